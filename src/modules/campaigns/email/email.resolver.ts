import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { badInput, conflict, notFound } from '../../../platform/errors.js';
import { Caller } from '../../../platform/graphql/caller.js';
import type { Principal, RequestContext } from '../../../platform/graphql/context.js';
import { freshRow } from '../../../platform/graphql/lists.js';
import { DateTime } from '../../../platform/graphql/types.js';
import { fromGlobalId } from '../../../platform/ids.js';
import { recordWriteTypes } from '../../../platform/records/index.js';
import { campaignList, type CampaignRow } from '../campaign.entity.js';
import { bounceTopic } from '../campaign.events.js';
import { campaignRecord, CampaignStatus } from '../campaign.record.js';
import { checkOptionsOf, checksRefusal, loadCheckedCampaign, screenChecked } from './checks.js';
import type { SendingDomains } from './domains.js';
import type { CampaignSender } from './sender.js';
import { measure, restrictedError, type BouncePolicy } from './policy.js';

const { payload: CampaignPayload, idInput: CampaignIdInput } = recordWriteTypes(campaignRecord);

@InputType({ description: 'When to start sending: a time in the future, at most a year ahead.' })
export class ScheduleCampaignInput {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTime)
  at!: Date;
}

export interface EmailDeps {
  /** The send worker of this instance (kicked after a send is requested). */
  sender?: CampaignSender;
  /**
   * Mailgun's domains API when Mailgun is configured: sending domains are registered and verified
   * through it. Without it, domains verify locally (provider LOCAL) at once.
   */
  domains?: SendingDomains;
  /** The bounce policy (restricted organisations cannot send or schedule). */
  bouncePolicy?: BouncePolicy;
}

/** Times the checks run again when the campaign changed between them and the status change. */
const CHECK_ATTEMPTS = 3;

const YEAR_MS = 366 * 86_400_000;

/** Which statuses each transition accepts, and what it leads to. */
const TRANSITIONS: Record<'send' | 'schedule' | 'pause' | 'cancel', CampaignStatus[]> = {
  send: [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.PAUSED],
  schedule: [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.PAUSED],
  pause: [CampaignStatus.SENDING, CampaignStatus.SCHEDULED],
  cancel: [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.SENDING, CampaignStatus.PAUSED],
};

const refusedMove = (verb: keyof typeof TRANSITIONS, status: string, allowed: CampaignStatus[]) =>
  conflict(`A ${status} campaign cannot be ${verb === 'send' ? 'sent' : `${verb}d`}.`, { status, allowed });

/**
 * Sending (CONTRACT §7): `sendCampaign` starts the durable send (email/sender.ts), `scheduleCampaign`
 * starts it later, `pauseCampaign` stops claiming more recipients (messages in flight finish), and
 * `cancelCampaign` ends it for good. Each checks the campaign's status in the same statement that
 * changes it, so two concurrent requests cannot both pass. `sendCampaign` and `scheduleCampaign`
 * first run the pre-send checks (checks.ts) and refuse a campaign with findings (BAD_USER_INPUT,
 * `extensions.findings`); the status then changes only if the campaign is still the version
 * that was checked.
 */
@Resolver()
export class CampaignSendingResolver {
  constructor(private readonly deps: EmailDeps) {}

  private async transition(
    ctx: RequestContext,
    caller: Principal,
    globalId: string,
    verb: keyof typeof TRANSITIONS,
    to: CampaignStatus,
    scheduledAt: Date | null,
  ): Promise<{ campaign: CampaignRow }> {
    const id = fromGlobalId(globalId, 'Campaign', 'input.id');
    const from = TRANSITIONS[verb];
    // Sending and scheduling run the pre-send checks first: nothing changes when they fail.
    const checked = verb === 'send' || verb === 'schedule';
    if (checked && this.deps.bouncePolicy) {
      // The bounce policy first: a restricted organisation sends nothing, whatever the campaign.
      const standing = await measure(ctx.db, this.deps.bouncePolicy);
      if (standing.restricted) throw restrictedError(standing);
    }
    for (let attempt = 1; ; attempt++) {
      let version: Date | null = null;
      if (checked) {
        const campaign = await loadCheckedCampaign(ctx.db, id, checkOptionsOf(this.deps));
        if (!campaign) throw notFound('Campaign', globalId);
        if (!from.includes(campaign.status)) throw refusedMove(verb, campaign.status, from);
        const result = screenChecked(campaign);
        if (result.findings.length) throw checksRefusal(verb === 'send' ? 'sent' : 'scheduled', result);
        version = campaign.updatedAt;
      }
      // With checks, only the version that passed them: an edit in between is checked again.
      const rows = await ctx.db.query<{ id: string }>(
        `update campaign set status = $3, scheduled_at = $4, updated_at = now()
          where organization_id = $1 and id = $2 and deleted_at is null and status = any($5::text[])
            and ($6::timestamptz is null or updated_at = $6)
          returning id`,
        [id, to, scheduledAt, from, version],
      );
      if (rows.length) break;
      if (checked && attempt < CHECK_ATTEMPTS) continue;
      const found = await ctx.db.query<{ status: CampaignStatus }>(
        'select status from campaign where organization_id = $1 and id = $2 and deleted_at is null',
        [id],
      );
      if (!found.length) throw notFound('Campaign', globalId);
      if (from.includes(found[0].status)) {
        throw conflict('The campaign kept changing while it was being checked; try again.', {
          status: found[0].status,
        });
      }
      throw refusedMove(verb, found[0].status, from);
    }
    ctx.pubsub.emit(bounceTopic, caller.organizationId, { campaignId: id });
    if (to === CampaignStatus.SENDING) this.deps.sender?.kick();
    return { campaign: await freshRow<CampaignRow>(ctx, campaignList, id) };
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload, {
    description:
      'Starts sending now: one message per eligible recipient (unsubscribed, bounced, complained, suppressed and address-less recipients are SKIPPED with a reason). DRAFT, SCHEDULED or PAUSED campaigns only. The pre-send checks run first (see previewCampaignChecks): a campaign with findings is refused with BAD_USER_INPUT listing them in `extensions.findings`, and nothing changes.',
  })
  sendCampaign(
    @Arg('input', () => CampaignIdInput) input: { id: string },
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    return this.transition(ctx, caller, input.id, 'send', CampaignStatus.SENDING, null);
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload, {
    description:
      'Sends at the given time (DRAFT, SCHEDULED or PAUSED campaigns). The pre-send checks run first, as for sendCampaign.',
  })
  scheduleCampaign(
    @Arg('input') input: ScheduleCampaignInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const at = input.at.getTime();
    if (!(at > Date.now())) throw badInput('input.at', 'must be in the future.');
    if (at > Date.now() + YEAR_MS) throw badInput('input.at', 'must be at most a year ahead.');
    return this.transition(ctx, caller, input.id, 'schedule', CampaignStatus.SCHEDULED, input.at);
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload, {
    description:
      'Stops a SENDING or SCHEDULED campaign; sendCampaign resumes it with the recipients not yet sent to.',
  })
  pauseCampaign(
    @Arg('input', () => CampaignIdInput) input: { id: string },
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    return this.transition(ctx, caller, input.id, 'pause', CampaignStatus.PAUSED, null);
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload, {
    description: 'Ends a campaign for good; recipients not yet sent to are never sent to.',
  })
  cancelCampaign(
    @Arg('input', () => CampaignIdInput) input: { id: string },
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    return this.transition(ctx, caller, input.id, 'cancel', CampaignStatus.CANCELLED, null);
  }
}

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
import type { CampaignSender } from './sender.js';

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
}

const YEAR_MS = 366 * 86_400_000;

/** Which statuses each transition accepts, and what it leads to. */
const TRANSITIONS: Record<'send' | 'schedule' | 'pause' | 'cancel', CampaignStatus[]> = {
  send: [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.PAUSED],
  schedule: [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.PAUSED],
  pause: [CampaignStatus.SENDING, CampaignStatus.SCHEDULED],
  cancel: [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.SENDING, CampaignStatus.PAUSED],
};

/**
 * Sending (CONTRACT §7): `sendCampaign` starts the durable send (email/sender.ts), `scheduleCampaign`
 * starts it later, `pauseCampaign` stops claiming more recipients (messages in flight finish), and
 * `cancelCampaign` ends it for good. Each checks the campaign's status in the same statement that
 * changes it, so two concurrent requests cannot both pass.
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
    const rows = await ctx.db.query<{ id: string }>(
      `update campaign set status = $3, scheduled_at = $4, updated_at = now()
        where organization_id = $1 and id = $2 and deleted_at is null and status = any($5::text[])
        returning id`,
      [id, to, scheduledAt, from],
    );
    if (!rows.length) {
      const found = await ctx.db.query<{ status: string }>(
        'select status from campaign where organization_id = $1 and id = $2 and deleted_at is null',
        [id],
      );
      if (!found.length) throw notFound('Campaign', globalId);
      throw conflict(`A ${found[0].status} campaign cannot be ${verb === 'send' ? 'sent' : `${verb}d`}.`, {
        status: found[0].status,
        allowed: from,
      });
    }
    ctx.pubsub.emit(bounceTopic, caller.organizationId, { campaignId: id });
    if (to === CampaignStatus.SENDING) this.deps.sender?.kick();
    return { campaign: await freshRow<CampaignRow>(ctx, campaignList, id) };
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload, {
    description:
      'Starts sending now: one message per eligible recipient (unsubscribed, bounced, complained, suppressed and address-less recipients are SKIPPED with a reason). DRAFT, SCHEDULED or PAUSED campaigns only.',
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
    description: 'Sends at the given time (DRAFT, SCHEDULED or PAUSED campaigns).',
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

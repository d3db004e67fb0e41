import { Arg, Authorized, Ctx, Extensions, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Caller } from '../../../platform/graphql/caller.js';
import type { Principal, RequestContext } from '../../../platform/graphql/context.js';
import { fromGlobalId } from '../../../platform/ids.js';
import { CampaignChecks, campaignChecks, checkOptionsOf, findingOut } from './checks.js';
import {
  createSendingDomain,
  CreateSendingDomainInput,
  deleteSendingDomain,
  DeleteSendingDomainPayload,
  listSendingDomains,
  MAX_SENDING_DOMAINS,
  refreshSendingDomain,
  SendingDomainIdInput,
  SendingDomainNode,
  SendingDomainPayload,
} from './domains.js';
import type { EmailDeps } from './email.resolver.js';
import {
  EmailSettingsNode,
  readEmailSettings,
  updateEmailSettings,
  UpdateEmailSettingsInput,
  UpdateEmailSettingsPayload,
} from './settings.js';

/** Sending domains: registered (with Mailgun when configured), verified, listed and deleted. */
@Resolver()
export class SendingDomainResolver {
  constructor(private readonly deps: EmailDeps) {}

  @Authorized('read')
  @Extensions({ cost: { listSize: MAX_SENDING_DOMAINS } })
  @Query(() => [SendingDomainNode], {
    description: `The organisation's sending domains (at most ${MAX_SENDING_DOMAINS}), by name.`,
  })
  sendingDomains(@Ctx() ctx: RequestContext): Promise<SendingDomainNode[]> {
    return listSendingDomains(ctx.em);
  }

  @Authorized('admin')
  @Mutation(() => SendingDomainPayload, {
    description: `Adds a domain to send from (at most ${MAX_SENDING_DOMAINS} per organisation). With Mailgun configured it is registered with Mailgun and starts UNVERIFIED: publish its dnsRecords, then refreshSendingDomain. Without Mailgun (local outbox) it is VERIFIED at once, provider LOCAL, without any DNS check. A name Mailgun already has (another account's or organisation's, the platform's own) is refused with CONFLICT.`,
  })
  async createSendingDomain(
    @Arg('input') input: CreateSendingDomainInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ): Promise<SendingDomainPayload> {
    return {
      sendingDomain: await createSendingDomain(ctx.em, caller.organizationId, input, this.deps.domains),
    };
  }

  @Authorized('admin')
  @Mutation(() => SendingDomainPayload, {
    description:
      "Has the provider check the domain's DNS records again: VERIFIED once Mailgun finds them (its state `active`). Registers a domain Mailgun does not have yet (a LOCAL one, once Mailgun is configured). Without Mailgun, answers the domain as it is.",
  })
  async refreshSendingDomain(
    @Arg('input') input: SendingDomainIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SendingDomainPayload> {
    return { sendingDomain: await refreshSendingDomain(ctx.em, input.id, this.deps.domains) };
  }

  @Authorized('admin')
  @Mutation(() => DeleteSendingDomainPayload, {
    description:
      'Deletes the domain (and its Mailgun registration): campaigns from addresses on it no longer pass the checks.',
  })
  async deleteSendingDomain(
    @Arg('input') input: SendingDomainIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteSendingDomainPayload> {
    return { deletedSendingDomainId: await deleteSendingDomain(ctx.em, input.id, this.deps.domains) };
  }
}

/** The organisation's email settings: the postal address campaigns must show (CAN-SPAM). */
@Resolver()
export class EmailSettingsResolver {
  @Authorized('read')
  @Query(() => EmailSettingsNode, { description: "The organisation's email settings." })
  emailSettings(@Ctx() ctx: RequestContext): Promise<EmailSettingsNode> {
    return readEmailSettings(ctx.db);
  }

  @Authorized('admin')
  @Mutation(() => UpdateEmailSettingsPayload, {
    description: "Sets the organisation's email settings: the sender's postal address (CAN-SPAM).",
  })
  async updateEmailSettings(
    @Arg('input') input: UpdateEmailSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<UpdateEmailSettingsPayload> {
    return { emailSettings: await updateEmailSettings(ctx.db, input) };
  }
}

/** The pre-send checks, shown without sending. */
@Resolver()
export class CampaignChecksResolver {
  constructor(private readonly deps: EmailDeps) {}

  @Authorized('read')
  @Query(() => CampaignChecks, {
    description:
      'Runs the checks sendCampaign and scheduleCampaign run (unsubscribe link, postal address, verified sending domain, blocked links, spam score) and shows every finding, without sending.',
  })
  async previewCampaignChecks(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignChecks> {
    const { score, findings } = await campaignChecks(
      ctx,
      fromGlobalId(id, 'Campaign', 'id'),
      checkOptionsOf(this.deps),
    );
    return { passed: findings.length === 0, score, findings: findings.map(findingOut) };
  }
}

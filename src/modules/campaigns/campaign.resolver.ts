import { Caller } from '../../platform/graphql/caller.js';
import type { GraphQLResolveInfo } from 'graphql';
import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Info, Mutation, Resolver } from 'type-graphql';
import { Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { RequestCache, requireScope } from '../../platform/graphql/context.js';
import type { Principal, RequestContext } from '../../platform/graphql/context.js';
import { freshRow, recordEvents } from '../../platform/graphql/lists.js';
import { recordResolver } from '../../platform/records/index.js';
import { campaignList, type CampaignRow } from './campaign.entity.js';
import { bounceTopic } from './campaign.events.js';
import { campaignRecord, memberRecord } from './campaign.record.js';
import * as service from './campaign.service.js';
import { campaignService } from './campaign.service.js';
import {
  AddCampaignRecipientsInput,
  AddCampaignRecipientsPayload,
  BounceRateChange,
  CampaignNode,
  CampaignStats,
  RemoveCampaignRecipientsInput,
  RemoveCampaignRecipientsPayload,
} from './campaign.types.js';

const EMPTY: Omit<service.StatsRow, 'campaignId'> = {
  recipients: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  bouncedHard: 0,
  bouncedSoft: 0,
  complained: 0,
  unsubscribed: 0,
  failed: 0,
  skipped: 0,
};

function statsLoader(ctx: RequestContext): DataLoader<string, CampaignStats> {
  return ctx.cache.get('campaigns:stats', () => {
    requireScope(ctx, null);
    return new DataLoader<string, CampaignStats>(async (ids) => {
      const rows = new Map((await service.campaignStats(ctx.db, ids)).map((r) => [r.campaignId, r]));
      return ids.map((id) => {
        const r = rows.get(id) ?? { ...EMPTY, campaignId: id };
        return {
          ...r,
          bounceRate: r.sent ? r.bouncedHard / r.sent : 0,
          softBounceRate: r.sent ? r.bouncedSoft / r.sent : 0,
          complaintRate: r.sent ? r.complained / r.sent : 0,
        };
      });
    });
  });
}

/** Campaigns: list, by id, create, update, soft delete and restore are uniform; recipients and stats are the campaign's own. */
@Resolver(() => CampaignNode)
export class CampaignResolver extends recordResolver(campaignRecord, { service: campaignService }) {
  @Authorized()
  @Subscription(() => BounceRateChange, {
    description:
      "A campaign's (or every campaign's) stats and bounce and complaint rates, each time its members change.",
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { campaignId?: string | null }, RequestContext>) =>
      recordEvents(context, bounceTopic, campaignList, args.campaignId, (e) => e.campaignId),
  })
  async bounceRateChanged(
    @Root() event: { campaignId: string },
    @Ctx() ctx: RequestContext,
    @Arg('campaignId', () => ID, {
      nullable: true,
      description: 'Only this campaign; every campaign when left out.',
    })
    _campaignId?: string | null,
  ): Promise<BounceRateChange> {
    // Each event is read afresh, through the read path, as a new query would.
    ctx.cache = new RequestCache();
    const campaign = await freshRow<CampaignRow>(ctx, campaignList, event.campaignId);
    const restriction = await ctx.db.query<{ restricted: boolean }>(
      'select restricted from email_restriction where organization_id = $1',
    );
    return {
      campaign,
      stats: await statsLoader(ctx).load(campaign.pk),
      sendingRestricted: restriction[0]?.restricted ?? false,
    };
  }

  @Authorized('read')
  @FieldResolver(() => CampaignStats)
  stats(@Root() campaign: CampaignRow, @Ctx() ctx: RequestContext): Promise<CampaignStats> {
    return statsLoader(ctx).load(campaign.pk);
  }

  @Authorized('write')
  @Extensions({ cost: { bulk: 'contactIds', bulkFilter: true } })
  @Mutation(() => AddCampaignRecipientsPayload)
  async addCampaignRecipients(
    @Arg('input') input: AddCampaignRecipientsInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Caller() caller: Principal,
  ) {
    const limit = ctx.limits?.recordsPerCall ?? Number.MAX_SAFE_INTEGER;
    const r = await service.addRecipients(ctx.em, ctx.db, input, limit);
    ctx.processedItems.set(String(info.path.key), r.added + r.alreadyMembers);
    ctx.pubsub.emit(bounceTopic, caller.organizationId, { campaignId: r.campaign.id });
    if (r.resumeCursor) {
      ctx.warnings.push(
        new AppError(
          ErrorCode.USAGE_LIMIT_EXCEEDED,
          `Stopped after ${r.added + r.alreadyMembers} contacts: the plan allows ${limit} records per call. Send the same input with resumeCursor to continue.`,
          {
            dimension: 'RECORDS_PER_CALL',
            limit,
            used: r.added + r.alreadyMembers,
            processed: r.added + r.alreadyMembers,
            remaining: r.remaining,
            resumeCursor: r.resumeCursor,
          },
        ),
      );
    }
    return {
      added: r.added,
      alreadyMembers: r.alreadyMembers,
      processed: r.added + r.alreadyMembers,
      failed: 0,
      remaining: r.remaining,
      resumeCursor: r.resumeCursor,
      campaign: await freshRow<CampaignRow>(ctx, campaignList, r.campaign.id),
    };
  }

  @Authorized('write')
  @Mutation(() => RemoveCampaignRecipientsPayload, { description: 'Removes members not yet sent to.' })
  async removeCampaignRecipients(
    @Arg('input') input: RemoveCampaignRecipientsInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const r = await service.removeRecipients(ctx.em, ctx.db, input.campaignId, input.contactIds);
    ctx.pubsub.emit(bounceTopic, caller.organizationId, { campaignId: r.campaign.id });
    return { removed: r.removed, campaign: await freshRow<CampaignRow>(ctx, campaignList, r.campaign.id) };
  }
}

/** `CampaignMember.campaign` and `.contact`; members are listed under their campaign and contact. */
export const CampaignMemberResolver = recordResolver(memberRecord, { queries: false });

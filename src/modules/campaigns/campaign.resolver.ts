import type { GraphQLResolveInfo } from 'graphql';
import DataLoader from 'dataloader';
import { Caller } from '../../platform/graphql/caller.js';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Info,
  Extensions,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { bounceTopic } from './campaign.events.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import {
  RequestCache,
  requireScope,
  type RequestContext,
  type Principal,
} from '../../platform/graphql/context.js';
import { freshRow, recordEvents, rootList, rowById } from '../../platform/graphql/lists.js';
import { pageLoader, rowLoader } from '../../platform/graphql/loaders.js';
import type { Connection } from '../../platform/pagination.js';
import { contactList, type ContactRow, ContactNode } from '../contacts/index.js';
import { campaignList, memberList, type CampaignRow, type MemberRow } from './campaign.read.js';
import * as service from './campaign.service.js';
import {
  AddCampaignRecipientsInput,
  AddCampaignRecipientsPayload,
  BounceRateChange,
  CampaignConnection,
  CampaignIdInput,
  CampaignMemberConnection,
  CampaignMemberNode,
  CampaignMembersArgs,
  CampaignNode,
  CampaignPayload,
  CampaignsArgs,
  CampaignStats,
  CreateCampaignInput,
  DeleteCampaignPayload,
  RemoveCampaignRecipientsInput,
  RemoveCampaignRecipientsPayload,
  UpdateCampaignInput,
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
};

function statsLoader(ctx: RequestContext): DataLoader<string, CampaignStats> {
  return ctx.cache.get('campaigns:stats', () => {
    const { organizationId } = requireScope(ctx, null);
    return new DataLoader<string, CampaignStats>(async (ids) => {
      const rows = new Map(
        (await service.campaignStats(ctx.sql, organizationId, ids)).map((r) => [r.campaignId, r]),
      );
      return ids.map((id) => {
        const r = rows.get(id) ?? { ...EMPTY, campaignId: id };
        const bounced = r.bouncedHard + r.bouncedSoft;
        return {
          ...r,
          bounceRate: r.sent ? bounced / r.sent : 0,
          complaintRate: r.sent ? r.complained / r.sent : 0,
        };
      });
    });
  });
}

@Resolver(() => CampaignNode)
export class CampaignResolver {
  @Authorized('read')
  @Query(() => CampaignConnection)
  campaigns(
    @Args() args: CampaignsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<CampaignRow>> {
    return rootList<CampaignRow>(ctx, campaignList, args, info);
  }

  @Authorized('read')
  @Query(() => CampaignNode)
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CampaignRow> {
    return rowById<CampaignRow>(ctx, campaignList, id);
  }

  @FieldResolver(() => CampaignMemberConnection)
  members(
    @Root() campaign: CampaignRow,
    @Args() args: CampaignMembersArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<MemberRow>(ctx, memberList, 'campaign_id', args, info).load(campaign.pk);
  }

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
    return { campaign, stats: await statsLoader(ctx).load(campaign.pk), sendingRestricted: false };
  }

  @Authorized('read')
  @FieldResolver(() => CampaignStats)
  stats(@Root() campaign: CampaignRow, @Ctx() ctx: RequestContext): Promise<CampaignStats> {
    return statsLoader(ctx).load(campaign.pk);
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload)
  async createCampaign(
    @Arg('input') input: CreateCampaignInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const c = await service.createCampaign(ctx.em, caller.organizationId, input);
    return { campaign: await freshRow<CampaignRow>(ctx, campaignList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload)
  async updateCampaign(@Arg('input') input: UpdateCampaignInput, @Ctx() ctx: RequestContext) {
    const c = await service.updateCampaign(ctx.em, input);
    return { campaign: await freshRow<CampaignRow>(ctx, campaignList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => DeleteCampaignPayload)
  async deleteCampaign(@Arg('input') input: CampaignIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCampaignDeleted(ctx.em, input.id, true);
    return { deletedCampaignId: input.id, campaign: await freshRow<CampaignRow>(ctx, campaignList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CampaignPayload)
  async restoreCampaign(@Arg('input') input: CampaignIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCampaignDeleted(ctx.em, input.id, false);
    return { campaign: await freshRow<CampaignRow>(ctx, campaignList, c.id) };
  }

  @Authorized('write')
  @Extensions({ cost: { bulk: 'contactIds', bulkFilter: true } })
  @Mutation(() => AddCampaignRecipientsPayload)
  async addCampaignRecipients(
    @Arg('input') input: AddCampaignRecipientsInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const principal = requireScope(ctx, 'write');
    const limit = ctx.limits?.recordsPerCall ?? Number.MAX_SAFE_INTEGER;
    const r = await service.addRecipients(ctx.em, ctx.sql, principal.organizationId, input, limit);
    ctx.processedItems.set(String(info.path.key), r.added + r.alreadyMembers);
    ctx.pubsub.emit(bounceTopic, principal.organizationId, { campaignId: r.campaign.id });
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
  ) {
    const { organizationId } = requireScope(ctx, 'write');
    const r = await service.removeRecipients(
      ctx.em,
      ctx.sql,
      organizationId,
      input.campaignId,
      input.contactIds,
    );
    ctx.pubsub.emit(bounceTopic, organizationId, { campaignId: r.campaign.id });
    return { removed: r.removed, campaign: await freshRow<CampaignRow>(ctx, campaignList, r.campaign.id) };
  }
}

@Resolver(() => CampaignMemberNode)
export class CampaignMemberResolver {
  @FieldResolver(() => ContactNode)
  contact(@Root() member: MemberRow, @Ctx() ctx: RequestContext) {
    return rowLoader<ContactRow>(ctx, contactList).load(member.contactId);
  }

  @FieldResolver(() => CampaignNode)
  campaign(@Root() member: MemberRow, @Ctx() ctx: RequestContext) {
    return rowLoader<CampaignRow>(ctx, campaignList).load(member.campaignId);
  }
}

/** `Contact.campaignMemberships`, added from this module. */
@Resolver(() => ContactNode)
export class ContactCampaignsResolver {
  @FieldResolver(() => CampaignMemberConnection)
  campaignMemberships(
    @Root() contact: ContactRow,
    @Args() args: CampaignMembersArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<MemberRow>(ctx, memberList, 'contact_id', args, info).load(contact.pk);
  }
}

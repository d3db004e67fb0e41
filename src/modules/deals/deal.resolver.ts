import type { GraphQLResolveInfo } from 'graphql';
import DataLoader from 'dataloader';
import { Caller } from '../../platform/graphql/caller.js';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Info,
} from 'type-graphql';
import { requireScope, type RequestContext, type Principal } from '../../platform/graphql/context.js';
import { freshRow, rootList, rowById } from '../../platform/graphql/lists.js';
import { pageLoader, rowLoader } from '../../platform/graphql/loaders.js';
import { toGlobalId } from '../../platform/ids.js';
import { selectList, toNode, type Connection, type PageArgs } from '../../platform/pagination.js';
import { UserNode } from '../auth/index.js';
import { companyList, type CompanyRow, CompanyNode } from '../companies/index.js';
import {
  contactList,
  type ContactRow,
  CompanyContactsArgs,
  ContactConnection,
  ContactNode,
} from '../contacts/index.js';
import { loadUser, type UserRow } from '../users/index.js';
import {
  dealList,
  pipelineList,
  stageList,
  type DealRow,
  type PipelineRow,
  type StageRow,
} from './deal.read.js';
import * as service from './deal.service.js';
import {
  CreateDealInput,
  CreatePipelineInput,
  CreateStageInput,
  DealConnection,
  DealIdInput,
  DealNode,
  DealPayload,
  DealsArgs,
  DealStageChangeNode,
  DeleteDealPayload,
  DeleteStageInput,
  DeleteStagePayload,
  MoveDealInput,
  PipelineConnection,
  PipelineIdInput,
  PipelineNode,
  PipelinePayload,
  PipelinesArgs,
  PipelineValue,
  RelatedDealsArgs,
  ReorderStagesInput,
  StageNode,
  StagePayload,
  UpdateDealInput,
  UpdatePipelineInput,
  UpdateStageInput,
} from './deal.types.js';

// `deals` conditions on the older modules' filters, declared from here (contacts and companies do not know deals).

interface StageChangeRow {
  id: string;
  dealId: string;
  fromStageId: string | null;
  fromStageName: string | null;
  toStageId: string | null;
  toStageName: string;
  changedAt: string;
  changedById: string | null;
}

/** Stages of many pipelines in one SQL statement. */
function stagesLoader(ctx: RequestContext): DataLoader<string, StageRow[]> {
  return ctx.cache.get('stages:byPipeline', () => {
    const { organizationId } = requireScope(ctx, null);
    return new DataLoader<string, StageRow[]>(async (pipelineIds) => {
      const rows = await ctx.sql.query(
        `select ${selectList(stageList, 't')} from stage t where t.organization_id = $1 and t.pipeline_id = any($2::uuid[]) order by t.position, t.id`,
        [organizationId, pipelineIds],
      );
      const by = new Map<string, StageRow[]>(pipelineIds.map((id) => [id, []]));
      for (const r of rows) by.get(r.pipelineId as string)?.push(toNode<StageRow>('Stage', r));
      return pipelineIds.map((id) => by.get(id) ?? []);
    });
  });
}

/** Stage histories of many deals in one SQL statement. */
function historyLoader(ctx: RequestContext): DataLoader<string, StageChangeRow[]> {
  return ctx.cache.get('deals:history', () => {
    const { organizationId } = requireScope(ctx, null);
    return new DataLoader<string, StageChangeRow[]>(async (dealIds) => {
      const rows = await ctx.sql.query<StageChangeRow & Record<string, unknown>>(
        `select id, deal_id as "dealId", from_stage_id as "fromStageId", from_stage_name as "fromStageName",
                to_stage_id as "toStageId", to_stage_name as "toStageName", changed_at as "changedAt", changed_by_id as "changedById"
           from deal_stage_change where organization_id = $1 and deal_id = any($2::uuid[]) order by changed_at, id`,
        [organizationId, dealIds],
      );
      const by = new Map<string, StageChangeRow[]>(dealIds.map((id) => [id, []]));
      for (const r of rows) by.get(r.dealId)?.push({ ...r, id: toGlobalId('DealStageChange', r.id) });
      return dealIds.map((id) => by.get(id) ?? []);
    });
  });
}

const stageRow = (ctx: RequestContext, pk: string | null) =>
  pk ? rowLoader<StageRow>(ctx, stageList).load(pk) : null;

@Resolver(() => PipelineNode)
export class PipelineResolver {
  @Authorized('read')
  @Query(() => PipelineConnection)
  pipelines(
    @Args() args: PipelinesArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<PipelineRow>> {
    return rootList<PipelineRow>(ctx, pipelineList, args, info);
  }

  @Authorized('read')
  @Query(() => PipelineNode)
  pipeline(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<PipelineRow> {
    return rowById<PipelineRow>(ctx, pipelineList, id);
  }

  @Authorized('read')
  @Query(() => PipelineValue, {
    description: 'Total and weighted (amount × probability) value per stage and currency.',
  })
  async pipelineValue(
    @Arg('pipelineId', () => ID) pipelineId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<PipelineValue> {
    const pipeline = await rowById<PipelineRow>(ctx, pipelineList, pipelineId);
    const rows = await service.pipelineValue(ctx.sql, requireScope(ctx, 'read').organizationId, pipeline.pk);
    const stages = new Map((await stagesLoader(ctx).load(pipeline.pk)).map((s) => [s.pk, s]));
    const totals = new Map<
      string,
      { dealCount: number; total: number; weighted: number; t: string[]; w: string[] }
    >();
    for (const r of rows) {
      const t = totals.get(r.currency) ?? { dealCount: 0, total: 0, weighted: 0, t: [], w: [] };
      t.dealCount += r.dealCount;
      t.t.push(r.totalAmount);
      t.w.push(r.weightedAmount);
      totals.set(r.currency, t);
    }
    return {
      pipeline,
      byStage: rows.map((r) => ({ ...r, stage: stages.get(r.stageId) as StageRow })),
      totals: [...totals].map(([currency, t]) => ({
        currency,
        dealCount: t.dealCount,
        totalAmount: addDecimals(t.t),
        weightedAmount: addDecimals(t.w),
      })),
    };
  }

  @Authorized('read')
  @Extensions({ cost: { listSize: 10 } })
  @FieldResolver(() => [StageNode], { description: 'In pipeline order.' })
  stages(@Root() pipeline: PipelineRow, @Ctx() ctx: RequestContext): Promise<StageRow[]> {
    return stagesLoader(ctx).load(pipeline.pk);
  }

  @FieldResolver(() => DealConnection)
  deals(
    @Root() pipeline: PipelineRow,
    @Args() args: RelatedDealsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<DealRow>(ctx, dealList, 'pipeline_id', args, info).load(pipeline.pk);
  }

  @Authorized('write')
  @Mutation(() => PipelinePayload)
  async createPipeline(
    @Arg('input') input: CreatePipelineInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const p = await service.createPipeline(ctx.em, caller.organizationId, input);
    return { pipeline: await freshRow<PipelineRow>(ctx, pipelineList, p.id) };
  }

  @Authorized('write')
  @Mutation(() => PipelinePayload)
  async updatePipeline(@Arg('input') input: UpdatePipelineInput, @Ctx() ctx: RequestContext) {
    const p = await service.updatePipeline(ctx.em, input);
    return { pipeline: await freshRow<PipelineRow>(ctx, pipelineList, p.id) };
  }

  @Authorized('write')
  @Mutation(() => PipelinePayload, {
    description: 'Soft delete; CONFLICT while it is the default or has live deals.',
  })
  async deletePipeline(@Arg('input') input: PipelineIdInput, @Ctx() ctx: RequestContext) {
    const p = await service.setPipelineDeleted(ctx.em, input.id, true);
    return { pipeline: await freshRow<PipelineRow>(ctx, pipelineList, p.id) };
  }

  @Authorized('write')
  @Mutation(() => PipelinePayload)
  async restorePipeline(@Arg('input') input: PipelineIdInput, @Ctx() ctx: RequestContext) {
    const p = await service.setPipelineDeleted(ctx.em, input.id, false);
    return { pipeline: await freshRow<PipelineRow>(ctx, pipelineList, p.id) };
  }

  @Authorized('write')
  @Mutation(() => StagePayload)
  async createStage(
    @Arg('input') input: CreateStageInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const s = await service.createStage(ctx.em, caller.organizationId, input);
    return { stage: await freshRow<StageRow>(ctx, stageList, s.id) };
  }

  @Authorized('write')
  @Mutation(() => StagePayload)
  async updateStage(@Arg('input') input: UpdateStageInput, @Ctx() ctx: RequestContext) {
    const s = await service.updateStage(ctx.em, input);
    return { stage: await freshRow<StageRow>(ctx, stageList, s.id) };
  }

  @Authorized('write')
  @Mutation(() => PipelinePayload)
  async reorderStages(@Arg('input') input: ReorderStagesInput, @Ctx() ctx: RequestContext) {
    const p = await service.reorderStages(ctx.em, input.pipelineId, input.stageIds);
    return { pipeline: await freshRow<PipelineRow>(ctx, pipelineList, p.id) };
  }

  @Authorized('write')
  @Mutation(() => DeleteStagePayload, {
    description: 'CONFLICT while deals are in the stage, unless moveDealsToStageId is given.',
  })
  async deleteStage(@Arg('input') input: DeleteStageInput, @Ctx() ctx: RequestContext) {
    const principal = requireScope(ctx, 'write');
    const { pipeline, moved } = await service.deleteStage(
      ctx.em,
      principal.userId,
      input.id,
      input.moveDealsToStageId,
    );
    return {
      deletedStageId: input.id,
      movedDeals: moved,
      pipeline: await freshRow<PipelineRow>(ctx, pipelineList, pipeline.id),
    };
  }
}

@Resolver(() => StageNode)
export class StageResolver {
  @FieldResolver(() => PipelineNode)
  pipeline(@Root() stage: StageRow, @Ctx() ctx: RequestContext) {
    return rowLoader<PipelineRow>(ctx, pipelineList).load(stage.pipelineId);
  }

  @FieldResolver(() => DealConnection)
  deals(
    @Root() stage: StageRow,
    @Args() args: RelatedDealsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<DealRow>(ctx, dealList, 'stage_id', args, info).load(stage.pk);
  }
}

@Resolver(() => DealNode)
export class DealResolver {
  @Authorized('read')
  @Query(() => DealConnection)
  deals(
    @Args() args: DealsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<DealRow>> {
    return rootList<DealRow>(ctx, dealList, args, info);
  }

  @Authorized('read')
  @Query(() => DealNode)
  deal(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<DealRow> {
    return rowById<DealRow>(ctx, dealList, id);
  }

  @FieldResolver(() => PipelineNode)
  pipeline(@Root() deal: DealRow, @Ctx() ctx: RequestContext) {
    return rowLoader<PipelineRow>(ctx, pipelineList).load(deal.pipelineId);
  }

  @FieldResolver(() => StageNode)
  stage(@Root() deal: DealRow, @Ctx() ctx: RequestContext) {
    return stageRow(ctx, deal.stageId);
  }

  @FieldResolver(() => CompanyNode, { nullable: true })
  company(@Root() deal: DealRow, @Ctx() ctx: RequestContext) {
    return deal.companyId ? rowLoader<CompanyRow>(ctx, companyList).load(deal.companyId) : null;
  }

  @FieldResolver(() => UserNode, { nullable: true })
  owner(@Root() deal: DealRow, @Ctx() ctx: RequestContext): Promise<UserRow | null> | null {
    return loadUser(ctx, deal.ownerId);
  }

  @FieldResolver(() => ContactConnection)
  contacts(
    @Root() deal: DealRow,
    @Args(() => CompanyContactsArgs) args: PageArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<ContactRow>(
      ctx,
      contactList,
      { through: 'deal_contact', fk: 'contact_id', parentFk: 'deal_id' },
      args,
      info,
    ).load(deal.pk);
  }

  @Authorized('read')
  @Extensions({ cost: { listSize: 10 } })
  @FieldResolver(() => [DealStageChangeNode], { description: 'Every stage move, oldest first.' })
  stageHistory(@Root() deal: DealRow, @Ctx() ctx: RequestContext): Promise<StageChangeRow[]> {
    return historyLoader(ctx).load(deal.pk);
  }

  @Authorized('write')
  @Mutation(() => DealPayload)
  async createDeal(@Arg('input') input: CreateDealInput, @Ctx() ctx: RequestContext) {
    const principal = requireScope(ctx, 'write');
    const d = await service.createDeal(ctx.em, principal.organizationId, principal.userId, input);
    return { deal: await freshRow<DealRow>(ctx, dealList, d.id) };
  }

  @Authorized('write')
  @Mutation(() => DealPayload)
  async updateDeal(@Arg('input') input: UpdateDealInput, @Ctx() ctx: RequestContext) {
    const d = await service.updateDeal(ctx.em, input);
    return { deal: await freshRow<DealRow>(ctx, dealList, d.id) };
  }

  @Authorized('write')
  @Mutation(() => DealPayload, {
    description: 'Moves a deal to a stage, recording the move; sets closedAt on WON/LOST.',
  })
  async moveDeal(@Arg('input') input: MoveDealInput, @Ctx() ctx: RequestContext) {
    const d = await service.moveDeal(ctx.em, requireScope(ctx, 'write').userId, input.id, input.stageId);
    return { deal: await freshRow<DealRow>(ctx, dealList, d.id) };
  }

  @Authorized('write')
  @Mutation(() => DeleteDealPayload)
  async deleteDeal(@Arg('input') input: DealIdInput, @Ctx() ctx: RequestContext) {
    const d = await service.setDealDeleted(ctx.em, input.id, true);
    return { deletedDealId: input.id, deal: await freshRow<DealRow>(ctx, dealList, d.id) };
  }

  @Authorized('write')
  @Mutation(() => DealPayload)
  async restoreDeal(@Arg('input') input: DealIdInput, @Ctx() ctx: RequestContext) {
    const d = await service.setDealDeleted(ctx.em, input.id, false);
    return { deal: await freshRow<DealRow>(ctx, dealList, d.id) };
  }
}

@Resolver(() => DealStageChangeNode)
export class DealStageChangeResolver {
  @FieldResolver(() => StageNode, { nullable: true })
  fromStage(@Root() change: StageChangeRow, @Ctx() ctx: RequestContext) {
    return stageRow(ctx, change.fromStageId);
  }

  @FieldResolver(() => StageNode, { nullable: true })
  toStage(@Root() change: StageChangeRow, @Ctx() ctx: RequestContext) {
    return stageRow(ctx, change.toStageId);
  }

  @FieldResolver(() => UserNode, { nullable: true })
  changedBy(@Root() change: StageChangeRow, @Ctx() ctx: RequestContext) {
    return loadUser(ctx, change.changedById);
  }
}

/** `Contact.deals` and `Company.deals`, added from this module. */
@Resolver(() => ContactNode)
export class ContactDealsResolver {
  @FieldResolver(() => DealConnection)
  deals(
    @Root() contact: ContactRow,
    @Args() args: RelatedDealsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<DealRow>(
      ctx,
      dealList,
      { through: 'deal_contact', fk: 'deal_id', parentFk: 'contact_id' },
      args,
      info,
    ).load(contact.pk);
  }
}

@Resolver(() => CompanyNode)
export class CompanyDealsResolver {
  @FieldResolver(() => DealConnection)
  deals(
    @Root() company: CompanyRow,
    @Args() args: RelatedDealsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<DealRow>(ctx, dealList, 'company_id', args, info).load(company.pk);
  }
}

/** Exact decimal addition of strings with up to 4 decimals (no floating point). */
function addDecimals(values: string[]): string {
  let sum = 0n;
  for (const v of values) {
    const [int, frac = ''] = v.replace('-', '').split('.');
    const scaled = BigInt(int) * 10000n + BigInt((frac + '0000').slice(0, 4));
    sum += v.startsWith('-') ? -scaled : scaled;
  }
  const neg = sum < 0n;
  const abs = neg ? -sum : sum;
  // Same display as amounts: at least 2, at most 4 decimals.
  const frac = (abs % 10000n)
    .toString()
    .padStart(4, '0')
    .replace(/0{1,2}$/, '')
    .padEnd(2, '0');
  return `${neg ? '-' : ''}${abs / 10000n}.${frac}`;
}

import DataLoader from 'dataloader';
import { Caller } from '../../platform/graphql/caller.js';
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Root } from 'type-graphql';
import { requireScope, type RequestContext, type Principal } from '../../platform/graphql/context.js';
import { freshRow, rowById } from '../../platform/graphql/lists.js';
import { rowLoader } from '../../platform/graphql/loaders.js';
import { toGlobalId } from '../../platform/ids.js';
import { selectList, toNode } from '../../platform/pagination.js';
import { UserNode } from '../auth/index.js';
import { recordResolver } from '../../platform/records/index.js';
import { loadUser } from '../users/index.js';
import {
  pipelineList,
  stageList,
  dealList,
  type PipelineRow,
  type StageRow,
  type DealRow,
} from './deal.entity.js';
import { dealRecord, pipelineRecord, stageRecord } from './deal.record.js';
import * as service from './deal.service.js';
import { dealService, pipelineService } from './deal.service.js';
import {
  CreatePipelineInput,
  CreateStageInput,
  DealNode,
  DealStageChangeNode,
  DealPayload,
  PipelinePayload,
  StagePayload,
  DeleteStageInput,
  DeleteStagePayload,
  MoveDealInput,
  PipelineNode,
  PipelineValue,
  ReorderStagesInput,
  StageNode,
  UpdatePipelineInput,
  UpdateStageInput,
  CreateDealInput,
  UpdateDealInput,
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
    requireScope(ctx, null);
    return new DataLoader<string, StageRow[]>(async (pipelineIds) => {
      const rows = await ctx.db.query(
        `select ${selectList(stageList, 't')} from stage t where t.organization_id = $1 and t.pipeline_id = any($2::uuid[]) order by t.position, t.id`,
        [pipelineIds],
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
    requireScope(ctx, null);
    return new DataLoader<string, StageChangeRow[]>(async (dealIds) => {
      const rows = await ctx.db.query<StageChangeRow & Record<string, unknown>>(
        `select id, deal_id as "dealId", from_stage_id as "fromStageId", from_stage_name as "fromStageName",
                to_stage_id as "toStageId", to_stage_name as "toStageName", changed_at as "changedAt", changed_by_id as "changedById"
           from deal_stage_change where organization_id = $1 and deal_id = any($2::uuid[]) order by changed_at, id`,
        [dealIds],
      );
      const by = new Map<string, StageChangeRow[]>(dealIds.map((id) => [id, []]));
      for (const r of rows) by.get(r.dealId)?.push({ ...r, id: toGlobalId('DealStageChange', r.id) });
      return dealIds.map((id) => by.get(id) ?? []);
    });
  });
}

const stageRow = (ctx: RequestContext, pk: string | null) =>
  pk ? rowLoader<StageRow>(ctx, stageList).load(pk) : null;

/** Pipelines: list, by id, soft delete and restore are uniform; creating and editing go with their stages. */
@Resolver(() => PipelineNode)
export class PipelineResolver extends recordResolver(pipelineRecord, {
  service: pipelineService,
  mutations: { create: false, update: false },
  deletePayload: 'record',
  texts: { delete: 'Soft delete; CONFLICT while it is the default or has live deals.' },
}) {
  @Authorized('read')
  @Query(() => PipelineValue, {
    description: 'Total and weighted (amount × probability) value per stage and currency.',
  })
  async pipelineValue(
    @Arg('pipelineId', () => ID) pipelineId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<PipelineValue> {
    const pipeline = await rowById<PipelineRow>(ctx, pipelineList, pipelineId);
    const rows = await service.pipelineValue(ctx.db, pipeline.pk);
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
  async deleteStage(
    @Arg('input') input: DeleteStageInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const { pipeline, moved } = await service.deleteStage(
      ctx.em,
      caller.userId,
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

/** `Stage.pipeline`; stages are listed in their pipeline, not at the root. */
export const StageResolver = recordResolver(stageRecord, { queries: false });

/** Deals: list, by id, soft delete, restore and to-one fields are uniform; the rest is the deal's own. */
@Resolver(() => DealNode)
export class DealResolver extends recordResolver(dealRecord, {
  service: dealService,
  mutations: { create: false, update: false },
}) {
  @Authorized('read')
  @Extensions({ cost: { listSize: 10 } })
  @FieldResolver(() => [DealStageChangeNode], { description: 'Every stage move, oldest first.' })
  stageHistory(@Root() deal: DealRow, @Ctx() ctx: RequestContext): Promise<StageChangeRow[]> {
    return historyLoader(ctx).load(deal.pk);
  }

  @Authorized('write')
  @Mutation(() => DealPayload)
  async createDeal(
    @Arg('input', () => CreateDealInput) input: CreateDealInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const d = await service.createDeal(ctx.em, caller.organizationId, caller.userId, input);
    return { deal: await freshRow<DealRow>(ctx, dealList, d.id) };
  }

  @Authorized('write')
  @Mutation(() => DealPayload)
  async updateDeal(
    @Arg('input', () => UpdateDealInput) input: UpdateDealInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const d = await service.updateDeal(ctx.em, caller.organizationId, input);
    return { deal: await freshRow<DealRow>(ctx, dealList, d.id) };
  }

  @Authorized('write')
  @Mutation(() => DealPayload, {
    description: 'Moves a deal to a stage, recording the move; sets closedAt on WON/LOST.',
  })
  async moveDeal(
    @Arg('input') input: MoveDealInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const d = await service.moveDeal(ctx.em, caller.userId, input.id, input.stageId);
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

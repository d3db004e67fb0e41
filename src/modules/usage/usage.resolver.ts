import { getVariableValues, type GraphQLSchema } from 'graphql';
import {
  Arg,
  Authorized,
  Ctx,
  Extensions,
  Query,
  Resolver,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { badInput } from '../../platform/errors.js';
import { RequestCache, requireScope } from '../../platform/graphql/context.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { quotaTopic } from './usage.events.js';
import { emailsSentToday } from '../campaigns/index.js';
import { callsPlacedToday } from '../calls/index.js';
import { activeNumbers } from '../numbers/index.js';
import { checkOperationInput } from '../../platform/graphql/input-bounds.js';
import { parseOperation } from '../../platform/graphql/request-bounds.js';
import { MAX_SELECTION_NODES, type CostCalculator } from './cost.js';
import { DAY, dayStart, RATE_WINDOW_MS, type Meter, type PlanCache, type PlanLimits } from './meter.js';
import { assessOperation } from './usage.gate.js';
import {
  CostEstimate,
  EstimateVariables,
  PlanNode,
  Usage,
  UsageDimension,
  type LimitHit,
  type UsageItem,
} from './usage.types.js';

export interface UsageResolverDeps {
  meter: Meter;
  plans: PlanCache;
  /** Set once the schema is built (the calculator needs it). */
  costCalculator?: CostCalculator;
  schema?: GraphQLSchema;
}

@Resolver()
export class UsageResolver {
  constructor(private readonly deps: UsageResolverDeps) {}

  private async plan(ctx: RequestContext): Promise<PlanLimits> {
    return this.deps.plans.get(requireScope(ctx, null).plan);
  }

  @Authorized()
  @Query(() => Usage, { description: 'Every usage dimension with its limit, use, remainder and reset time.' })
  async usage(@Ctx() ctx: RequestContext): Promise<Usage> {
    const { organizationId } = requireScope(ctx, null);
    const plan = await this.plan(ctx);
    const [{ counters, available, now }, subscriptions, emailsToday, callsToday, numbers] = await Promise.all(
      [
        this.deps.meter.snapshot(organizationId, plan),
        this.deps.meter.subscriptions(organizationId),
        emailsSentToday(ctx.db),
        callsPlacedToday(ctx.db),
        activeNumbers(ctx.db),
      ],
    );
    const tomorrow = new Date(dayStart(now) + DAY);
    const daily = (dimension: UsageDimension, limit: number): UsageItem => {
      const c = counters.get(dimension);
      // Periods only move forward: a counter already in a later period is current.
      const used = c && c.periodStart.getTime() >= dayStart(now) ? c.used : 0;
      return { dimension, limit, used, remaining: Math.max(0, limit - used), resetAt: tomorrow };
    };
    const rps = counters.get(UsageDimension.REQUESTS_PER_SECOND);
    const window = Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;
    const rpsUsed = rps && rps.periodStart.getTime() >= window ? rps.used : 0;
    const rpsLimit = plan.requestsPerSecond * (RATE_WINDOW_MS / 1000);
    const perOperation = (dimension: UsageDimension, limit: number): UsageItem => ({
      dimension,
      limit,
      used: 0,
      remaining: limit,
      resetAt: null,
    });
    return {
      plan,
      throttleStatus: {
        maximumAvailable: plan.bucketSize,
        currentlyAvailable: Math.floor(available),
        restoreRate: plan.restoreRate,
      },
      dimensions: [
        daily(UsageDimension.API_CALLS, plan.apiCallsPerDay),
        daily(UsageDimension.BANDWIDTH, plan.bandwidthPerDay),
        // Counted where they are sent (campaign members sent today), as the send worker counts them.
        {
          dimension: UsageDimension.EMAILS,
          limit: plan.emailsPerDay,
          used: emailsToday,
          remaining: Math.max(0, plan.emailsPerDay - emailsToday),
          resetAt: tomorrow,
        },
        // Counted where they are placed (calls placed today), as placeCall counts them.
        {
          dimension: UsageDimension.CALLS_PLACED,
          limit: plan.callsPerDay,
          used: callsToday,
          remaining: Math.max(0, plan.callsPerDay - callsToday),
          resetAt: tomorrow,
        },
        {
          dimension: UsageDimension.REQUESTS_PER_SECOND,
          limit: rpsLimit,
          used: rpsUsed,
          remaining: Math.max(0, rpsLimit - rpsUsed),
          resetAt: new Date(window + RATE_WINDOW_MS),
        },
        {
          dimension: UsageDimension.COST,
          limit: plan.bucketSize,
          used: Math.round(plan.bucketSize - available),
          remaining: Math.floor(available),
          resetAt: new Date(now + Math.ceil((plan.bucketSize - available) / plan.restoreRate) * 1000),
        },
        perOperation(UsageDimension.CONCURRENT_REQUESTS, plan.concurrentRequests),
        perOperation(UsageDimension.RECORDS_PER_CALL, plan.recordsPerCall),
        perOperation(UsageDimension.MAX_COST, plan.maxCost),
        perOperation(UsageDimension.DEPTH, plan.maxDepth),
        perOperation(UsageDimension.ALIASES, plan.maxAliases),
        perOperation(UsageDimension.ROOT_FIELDS, plan.maxRootFields),
        perOperation(UsageDimension.SELECTIONS, MAX_SELECTION_NODES),
        {
          dimension: UsageDimension.PHONE_NUMBERS,
          limit: plan.phoneNumbers,
          used: numbers,
          remaining: Math.max(0, plan.phoneNumbers - numbers),
          resetAt: null,
        },
        {
          dimension: UsageDimension.SUBSCRIPTIONS,
          limit: plan.maxSubscriptions,
          used: subscriptions,
          remaining: Math.max(0, plan.maxSubscriptions - subscriptions),
          resetAt: null,
        },
      ],
    };
  }

  @Authorized()
  @Subscription(() => Usage, {
    description:
      'The `usage` numbers: at once on subscribe, then whenever a dimension changes (at most 4 events per second).',
    subscribe: ({ context }: SubscribeResolverData<unknown, unknown, RequestContext>) =>
      context.pubsub.subscribe(quotaTopic, requireScope(context, null).organizationId, [
        { changedAt: Date.now() },
      ]),
  })
  quotaChanged(@Ctx() ctx: RequestContext): Promise<Usage> {
    // Each event is read afresh, as a new query would.
    ctx.cache = new RequestCache();
    return this.usage(ctx);
  }

  @Authorized()
  @Query(() => CostEstimate, {
    description: 'The cost of an operation and the limits it would hit now, without running or charging it.',
  })
  async estimateCost(
    @Arg('query') query: string,
    @Ctx() ctx: RequestContext,
    @Arg('variables', () => EstimateVariables, { nullable: true }) variables?: Record<string, unknown> | null,
    @Arg('operationName', () => String, { nullable: true }) operationName?: string | null,
  ): Promise<CostEstimate> {
    const { organizationId } = requireScope(ctx, null);
    const { costCalculator, schema } = this.deps;
    if (!costCalculator || !schema) throw new Error('estimateCost is not wired');
    // The same bounds as a request's own document (the estimated text is parsed here).
    const parsed = parseOperation(schema, query, operationName);
    if (parsed.errors) {
      const [first] = parsed.errors;
      if (first.extensions.code === 'OPERATION_RESOLUTION_FAILURE')
        throw badInput('operationName', 'does not name exactly one operation of the query.');
      throw badInput('query', parsed.errors.map((e) => e.message).join(' '));
    }
    const { document, operation } = parsed;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    if (coerced.errors) throw badInput('variables', coerced.errors[0].message);
    checkOperationInput(schema, document, operation, coerced.coerced);
    const plan = await this.plan(ctx);
    const {
      shape,
      requested: priced,
      refusals,
    } = assessOperation(costCalculator, plan, document, operation, variables ?? {}, operationName ?? null);
    const requested = priced ?? 0;
    const { counters, available, now } = await this.deps.meter.snapshot(organizationId, plan);
    const todays = (d: UsageDimension) => {
      const c = counters.get(d);
      return c && c.periodStart.getTime() >= dayStart(now) ? c.used : 0;
    };
    const hits: LimitHit[] = refusals.map((r) => ({
      dimension: r.extensions.dimension as UsageDimension,
      limit: r.extensions.limit as number,
      requested: r.extensions.used as number,
      message: r.message,
    }));
    const check = (dimension: UsageDimension, limit: number, value: number, message: string) => {
      if (value > limit) hits.push({ dimension, limit, requested: value, message });
    };
    check(
      UsageDimension.COST,
      Math.floor(available),
      requested,
      `needs ${requested} but ${Math.floor(available)} is available now`,
    );
    check(
      UsageDimension.API_CALLS,
      plan.apiCallsPerDay,
      todays(UsageDimension.API_CALLS) + 1,
      'the daily API call limit is reached',
    );
    check(
      UsageDimension.BANDWIDTH,
      plan.bandwidthPerDay - 1,
      todays(UsageDimension.BANDWIDTH),
      'the daily bandwidth is used up',
    );
    return {
      requestedQueryCost: requested,
      maximum: plan.maxCost,
      depth: shape.depth,
      aliases: shape.aliases,
      rootFields: shape.rootFields,
      wouldExceed: hits,
      throttleStatus: {
        maximumAvailable: plan.bucketSize,
        currentlyAvailable: Math.floor(available),
        restoreRate: plan.restoreRate,
      },
    };
  }

  @Extensions({ cost: { listSize: 4 } })
  @Query(() => [PlanNode], { description: 'Every plan and its limits (public).' })
  plans(): Promise<PlanLimits[]> {
    return this.deps.plans.all();
  }
}

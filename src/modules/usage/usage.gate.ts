import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { GraphQLError, Kind } from 'graphql';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { rootFieldName, type GateStep } from '../../platform/graphql/gate.js';
import type { Metrics } from '../../platform/metrics.js';
import { MAX_SELECTION_NODES, operationShape, type CostCalculator, type OperationShape } from './cost.js';
import { limitError, type Meter, type PlanCache, type PlanLimits, type Slot } from './meter.js';
import type { QuotaNotifier } from './usage.events.js';
import { randomUUID } from 'node:crypto';

export interface UsageDeps {
  meter: Meter;
  plans: PlanCache;
  cost: CostCalculator;
  metrics: Metrics;
  quota: QuotaNotifier;
}

/** The operation measured against a plan: its shape, its cost and the first limit it breaks. */
export interface Assessment {
  shape: OperationShape;
  /** Null when the shape was refused before pricing. */
  requested: number | null;
  /** Every per-operation limit it breaks, shape first, in gate order. */
  refusals: AppError[];
}

/**
 * Shape (selections, depth, aliases, root fields), then cost, against the plan. The gate
 * refuses with the first refusal; `estimateCost` reports them all. Pricing is skipped when
 * the shape is over its bounds (a fragment bomb is not worth pricing).
 */
export function assessOperation(
  cost: CostCalculator,
  plan: PlanLimits,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  /** As sent: the pricing coerces them itself. */
  rawVariables: Record<string, unknown>,
  operationName: string | null,
): Assessment {
  const shape = operationShape(document, operation);
  const refusals: AppError[] = [];
  if (shape.nodes > MAX_SELECTION_NODES) {
    refusals.push(
      limitError(
        ErrorCode.COST_LIMIT_EXCEEDED,
        'SELECTIONS',
        `The operation selects more than ${MAX_SELECTION_NODES} fields once its fragments are expanded.`,
        { limit: MAX_SELECTION_NODES, used: shape.nodes },
      ),
    );
    return { shape, requested: null, refusals };
  }
  const shapeLimits: [keyof OperationShape, number, string][] = [
    ['depth', plan.maxDepth, 'DEPTH'],
    ['aliases', plan.maxAliases, 'ALIASES'],
    ['rootFields', plan.maxRootFields, 'ROOT_FIELDS'],
  ];
  for (const [key, limit, dimension] of shapeLimits) {
    if (shape[key] > limit) {
      refusals.push(
        limitError(
          ErrorCode.COST_LIMIT_EXCEEDED,
          dimension,
          `The operation's ${key} ${shape[key]} exceeds the plan's ${limit}.`,
          { limit, used: shape[key] },
        ),
      );
    }
  }
  let requested: number;
  try {
    requested = cost.requested(document, rawVariables, operationName, plan);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (!(err instanceof GraphQLError)) throw err;
    throw new AppError(ErrorCode.BAD_USER_INPUT, err.message, { http: { status: 400 } });
  }
  if (requested > plan.maxCost) {
    refusals.push(
      limitError(
        ErrorCode.COST_LIMIT_EXCEEDED,
        'MAX_COST',
        `The operation's cost ${requested} exceeds the ${plan.code} plan's maximum ${plan.maxCost}; ask for fewer items (first/last) or fewer fields.`,
        { requestedQueryCost: requested, maximum: plan.maxCost, limit: plan.maxCost, used: requested },
      ),
    );
  }
  return { shape, requested, refusals };
}

/** Per root field costs for the debug header: each root field scored on its own. */
function perFieldCosts(
  cost: CostCalculator,
  plan: PlanLimits,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
) {
  return operation.selectionSet.selections.flatMap((sel) => {
    if (sel.kind !== Kind.FIELD) return [];
    const single: DocumentNode = {
      ...document,
      definitions: document.definitions.map((d) =>
        d === operation
          ? { ...operation, selectionSet: { ...operation.selectionSet, selections: [sel] } }
          : d,
      ),
    };
    return [
      {
        path: sel.alias?.value ?? sel.name.value,
        cost: cost.requested(single, variables, operation.name?.value, plan),
      },
    ];
  });
}

/**
 * The gate's usage steps (CONTRACT §5), after the introspection and input steps: shape and
 * cost against the plan, then admission (a concurrency place, then daily calls, request
 * rate and the bucket in one statement). The finish reports `extensions.cost` and the
 * RateLimit headers on every authenticated response, refunds the unused cost and gives
 * the place back.
 */
export function meteringStep(deps: UsageDeps): GateStep {
  const { meter, plans, cost, metrics, quota } = deps;
  return {
    name: 'usage',
    start() {
      let plan: PlanLimits | undefined;
      let requested = 0;
      let remaining: number | undefined;
      let slot: Slot | undefined;
      let refusal: AppError | undefined;
      let variables: Record<string, unknown> = {};
      let rawVariables: Record<string, unknown> = {};
      /** The live-subscription row a subscription holds until it ends. */
      let subscriptionId: string | undefined;
      const refuse = (err: AppError): never => {
        refusal = err;
        metrics.refusals.inc({ reason: String(err.extensions.dimension ?? err.code) });
        throw err;
      };
      return {
        async check(request) {
          const { document, operation, operationName, ctx } = request;
          const principal = ctx.principal;
          if (!principal) return;
          plan = await plans.get(principal.plan);
          ({ variables, rawVariables } = request);
          const assessment = assessOperation(cost, plan, document, operation, rawVariables, operationName);
          requested = assessment.requested ?? 0;
          if (assessment.refusals.length) refuse(assessment.refusals[0]);
          const subscription =
            operation.operation === 'subscription'
              ? {
                  id: randomUUID(),
                  apiKeyId: principal.apiKeyId,
                  field: rootFieldName(operation),
                }
              : undefined;
          try {
            slot = meter.enter(principal.organizationId, plan);
            remaining = (await meter.admit(principal.organizationId, plan, requested, subscription))
              .remaining;
            ctx.admission.admitted = true;
            if (subscription) {
              // A live subscription holds a subscription place, not a request place.
              subscriptionId = subscription.id;
              slot.release();
              quota.changed(principal.organizationId);
            }
          } catch (err) {
            slot?.release();
            // A limit refusal is reported as such; anything else (e.g. the database) is internal.
            if (err instanceof AppError) refuse(err);
            throw err;
          }
        },

        async finish({ result, document, operation, ctx, requestHeaders, responseHeaders, ended }) {
          slot?.release();
          const principal = ctx.principal;
          if (ended) {
            // A subscription ended: its place is free, which is a change of usage.
            if (subscriptionId && principal) {
              await meter.endSubscription(subscriptionId);
              quota.changed(principal.organizationId);
            }
            return;
          }
          if (principal && ctx.admission.admitted) quota.changed(principal.organizationId);
          // Requests refused before the gate (parse, validation) still report cost 0.
          if (principal && !plan) plan = await plans.get(principal.plan);
          if (ctx.warnings.length) {
            result.errors = [
              ...(result.errors ?? []),
              ...ctx.warnings.map((w) => {
                const { http: _http, ...extensions } = w.extensions;
                void _http;
                return { message: w.message, extensions };
              }),
            ];
          }
          if (!plan || !principal) return;
          const organizationId = principal.organizationId;
          // (An admitted subscription finishes only when it ends, above: it keeps what it was charged.)
          // The compiled read path counts the cost while it builds the response (reads/compiler.ts).
          const actual = !ctx.admission.admitted
            ? 0
            : ctx.readCost !== undefined
              ? Math.min(requested, ctx.readCost)
              : document && operation
                ? cost.actual({
                    document,
                    operation,
                    data: result.data,
                    requested,
                    variables,
                    limits: plan,
                    processed: ctx.processedItems,
                  })
                : 0;
          const refund = ctx.admission.admitted ? requested - actual : 0;
          meter.refund(organizationId, refund);
          if (actual > 0) metrics.costSpent.inc({ plan: plan.code }, actual);
          const refusalAvailable = refusal?.extensions.currentlyAvailable;
          const available = Math.floor(
            remaining !== undefined
              ? Math.min(plan.bucketSize, remaining + refund)
              : typeof refusalAvailable === 'number'
                ? refusalAvailable
                : meter.lastKnown(organizationId, plan),
          );
          const costExt: Record<string, unknown> = {
            requestedQueryCost: requested,
            actualQueryCost: actual,
            throttleStatus: {
              maximumAvailable: plan.bucketSize,
              currentlyAvailable: available,
              restoreRate: plan.restoreRate,
            },
          };
          const debug = requestHeaders.get('x-workpex-cost-debug');
          if (debug === '1' && principal.scopes.has('admin') && document && operation) {
            costExt.fields = perFieldCosts(cost, plan, document, operation, rawVariables);
          }
          result.extensions = { ...result.extensions, cost: costExt };
          const headers = responseHeaders;
          if (!headers) return;
          headers.set('ratelimit-limit', String(plan.bucketSize));
          headers.set('ratelimit-remaining', String(Math.max(0, available)));
          headers.set(
            'ratelimit-reset',
            String(Math.ceil(Math.max(0, plan.bucketSize - available) / plan.restoreRate)),
          );
          headers.set(
            'ratelimit-policy',
            `${plan.bucketSize};w=${Math.ceil(plan.bucketSize / plan.restoreRate)}`,
          );
        },
      };
    },
  };
}

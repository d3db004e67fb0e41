import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { AppError, ErrorCode } from '../../platform/errors.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import type { Metrics } from '../../platform/metrics.js';
import { operationShape, type CostCalculator } from './cost.js';
import { limitError, type Meter, type PlanCache, type PlanLimits } from './meter.js';

export interface UsageDeps {
  meter: Meter;
  plans: PlanCache;
  cost: CostCalculator;
  metrics: Metrics;
}

interface MeterState {
  plan?: PlanLimits;
  organizationId?: string;
  requested: number;
  admitted: boolean;
  entered: boolean;
  remaining?: number;
  refusal?: AppError;
}

/** Per root field costs for the debug header: each root field scored on its own. */
function perFieldCosts(
  cost: CostCalculator,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
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
        cost: cost.requested(single, variables, operation.name?.value),
      },
    ];
  });
}

/**
 * Meters every authenticated operation (CONTRACT §5): shape and cost limits refused before
 * execution, the cost reserved from the bucket and the call counted in one SQL statement,
 * the unused cost refunded after, and `extensions.cost` plus RateLimit headers on every response.
 */
export function usagePlugin(deps: UsageDeps): ApolloServerPlugin<RequestContext> {
  const { meter, plans, cost, metrics } = deps;
  return {
    async requestDidStart() {
      const state: MeterState = { requested: 0, admitted: false, entered: false };
      return {
        async didResolveOperation({ document, operation, request, contextValue: ctx }) {
          const principal = ctx.principal;
          if (!principal || !operation) return;
          const plan = await plans.get(principal.plan);
          state.plan = plan;
          state.organizationId = principal.organizationId;
          const refuse = (err: AppError): never => {
            state.refusal = err;
            metrics.refusals.inc({ reason: String(err.extensions.dimension ?? err.code) });
            throw err;
          };
          const shape = operationShape(document, operation);
          const shapeLimits: [keyof typeof shape, number, string][] = [
            ['depth', plan.maxDepth, 'DEPTH'],
            ['aliases', plan.maxAliases, 'ALIASES'],
            ['rootFields', plan.maxRootFields, 'ROOT_FIELDS'],
          ];
          for (const [key, limit, dimension] of shapeLimits) {
            if (shape[key] > limit) {
              refuse(
                limitError(
                  ErrorCode.COST_LIMIT_EXCEEDED,
                  dimension,
                  `The operation's ${key} ${shape[key]} exceeds the plan's ${limit}.`,
                  {
                    limit,
                    used: shape[key],
                  },
                ),
              );
            }
          }
          try {
            state.requested = cost.requested(document, request.variables, request.operationName);
          } catch (err) {
            // Scoring coerces the variables first: a bad variable is the client's input error.
            if (!(err instanceof GraphQLError)) throw err;
            throw new AppError(ErrorCode.BAD_USER_INPUT, err.message, { http: { status: 400 } });
          }
          if (state.requested > plan.maxCost) {
            refuse(
              limitError(
                ErrorCode.COST_LIMIT_EXCEEDED,
                'MAX_COST',
                `The operation's cost ${state.requested} exceeds the ${plan.code} plan's maximum ${plan.maxCost}; ask for fewer items (first/last) or fewer fields.`,
                {
                  requestedQueryCost: state.requested,
                  maximum: plan.maxCost,
                  limit: plan.maxCost,
                  used: state.requested,
                },
              ),
            );
          }
          try {
            meter.enter(principal.organizationId, plan);
            state.entered = true;
            state.remaining = (await meter.admit(principal.organizationId, plan, state.requested)).remaining;
            state.admitted = true;
          } catch (err) {
            // A limit refusal is reported as such; anything else (e.g. the database) is internal.
            if (err instanceof AppError) refuse(err);
            throw err;
          }
        },

        async willSendResponse({ response, document, operation, contextValue: ctx, request }) {
          if (state.entered && state.organizationId) meter.leave(state.organizationId);
          // Requests refused before an operation was resolved (parse, validation) still report cost 0.
          if (!state.plan && ctx.principal) {
            state.plan = await plans.get(ctx.principal.plan);
            state.organizationId = ctx.principal.organizationId;
          }
          const { plan, organizationId } = state;
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
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
          if (!plan || !organizationId) return;
          const actual =
            state.admitted && document && operation
              ? cost.actual(document, operation, result.data, state.requested)
              : 0;
          const refund = state.admitted ? state.requested - actual : 0;
          meter.refund(organizationId, refund);
          if (actual > 0) metrics.costSpent.inc({ plan: plan.code }, actual);
          const refusalAvailable = state.refusal?.extensions.currentlyAvailable;
          const available = Math.floor(
            state.remaining !== undefined
              ? Math.min(plan.bucketSize, state.remaining + refund)
              : typeof refusalAvailable === 'number'
                ? refusalAvailable
                : meter.lastKnown(organizationId, plan),
          );
          const costExt: Record<string, unknown> = {
            requestedQueryCost: state.requested,
            actualQueryCost: actual,
            throttleStatus: {
              maximumAvailable: plan.bucketSize,
              currentlyAvailable: available,
              restoreRate: plan.restoreRate,
            },
          };
          const debug = request.http?.headers.get('x-workpex-cost-debug');
          if (debug === '1' && ctx.principal?.scopes.has('admin') && document && operation) {
            costExt.fields = perFieldCosts(cost, document, operation, request.variables);
          }
          result.extensions = { ...result.extensions, cost: costExt };
          const headers = response.http.headers;
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

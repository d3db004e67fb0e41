import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  execute,
  getVariableValues,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { TenantSql } from '../db/tenant-sql.js';
import type { SqlClient } from '../db/sql.js';
import { RequestCache, type RequestContext } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { Bail, OperationCompiler, type ArgumentCost, type CompiledOperation } from './compiler.js';
import type { ReadModel } from './read-model.js';

export type ReadPath = 'compiled' | 'graphql' | 'verify';

/** Plans kept per document (one per operation, caller kind and variable values). */
const PLANS_PER_DOCUMENT = 50;

/**
 * Compiled plans, per parsed document (Apollo keeps parsed documents, so the same query text is
 * the same object) and then per operation, admin-ness and variables. A document the compiler
 * cannot answer is remembered as such. Bounded: documents go with Apollo's cache (WeakMap),
 * plans per document are capped.
 */
class PlanCache {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, CompiledOperation | null>>();

  get(
    document: DocumentNode,
    key: string,
    compile: () => CompiledOperation | null,
  ): CompiledOperation | null {
    let plans = this.byDocument.get(document);
    if (!plans) this.byDocument.set(document, (plans = new Map()));
    if (plans.has(key)) return plans.get(key) ?? null;
    const plan = compile();
    if (plans.size >= PLANS_PER_DOCUMENT) plans.delete(plans.keys().next().value as string);
    plans.set(key, plan);
    return plan;
  }
}

export interface CompiledReadsOptions {
  schema: GraphQLSchema;
  model: ReadModel;
  mode: ReadPath;
  sql: SqlClient;
  metrics: Metrics;
  log: Logger;
  /**
   * Pricing, when usage is metered: the relation-filter cost of a field's arguments (counted
   * while building), and the usage step's own pricing of a query's data, which verify mode
   * compares with the count.
   */
  cost?: {
    argumentCost: ArgumentCost;
    priceData(
      document: DocumentNode,
      operation: OperationDefinitionNode,
      data: Record<string, unknown>,
      variables: Record<string, unknown>,
    ): number;
  };
}

/** What verify mode compares: the data and each error's message and path, as JSON. */
function normalised(result: { data?: unknown; errors?: readonly { message: string; path?: unknown }[] }) {
  return JSON.stringify({
    data: result.data ?? null,
    errors: result.errors?.map((e) => ({ message: e.message, path: e.path })),
  });
}

/**
 * Answers queries over record types with the compiled read path (reads/compiler.ts), after the
 * request gate has admitted them (Apollo calls `responseForOperation` after every
 * `didResolveOperation`): the response then goes through the same `willSendResponse` steps
 * (cost, RateLimit headers, status) as any other. Anything the compiler does not cover returns
 * null here, and Apollo executes the operation with graphql-js as before.
 */
export function compiledReads(opts: CompiledReadsOptions): ApolloServerPlugin<RequestContext> {
  const { schema, model, mode, sql, metrics, log, cost: pricing } = opts;
  const plans = new PlanCache();
  const quiet = sql.uncounted();

  const plan = (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    admin: boolean,
    rawKey: string,
  ): CompiledOperation | null =>
    plans.get(document, `${operation.name?.value ?? ''}|${admin ? 'a' : ''}|${rawKey}`, () => {
      try {
        return new OperationCompiler(
          schema,
          model,
          document,
          variables,
          admin,
          pricing?.argumentCost,
        ).compile(operation);
      } catch (err) {
        // No SQL form, or an input error graphql-js reports in its own words: it answers.
        log.debug({ reason: (err as Error).message }, 'query answered by graphql-js');
        return null;
      }
    });

  /** graphql-js on the same request, uncounted, with its own loaders (verify mode). */
  const reference = (
    ctx: RequestContext,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined,
  ) => {
    const db = new TenantSql(quiet, ctx.principal?.organizationId ?? null);
    const shadow = Object.create(ctx, {
      cache: { value: new RequestCache() },
      db: { value: db },
      warnings: { value: [] },
    }) as RequestContext;
    return execute({ schema, document, contextValue: shadow, variableValues: variables, operationName });
  };

  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, document, contextValue: ctx, request }) {
          if (mode === 'graphql' || !operation || operation.operation !== 'query') return null;
          const p = ctx.principal;
          if (!p || !(p.scopes.has('read') || p.scopes.has('admin'))) return null;
          const raw = request.variables ?? {};
          let compiled: CompiledOperation | null = null;
          const rawKey = operation.variableDefinitions?.length ? JSON.stringify(raw) : '';
          const coerced = operation.variableDefinitions?.length
            ? getVariableValues(schema, operation.variableDefinitions, raw)
            : { coerced: {} };
          if (coerced.coerced)
            compiled = plan(document, operation, coerced.coerced, p.scopes.has('admin'), rawKey);
          if (!compiled) {
            metrics.reads.inc({ path: 'graphql' });
            return null;
          }
          let data: Record<string, unknown>;
          let cost: number | null;
          try {
            const s = compiled.statement;
            const values = s ? (((await ctx.db.query(s.text, s.params))[0]?.r ?? []) as unknown[]) : [];
            ({ data, cost } = compiled.build(values));
          } catch (err) {
            // Not found, a null where the schema forbids one, a database error: graphql-js
            // answers with its own errors (the request stays admitted and charged once).
            if (!(err instanceof Bail)) log.debug({ err }, 'compiled read fell back to graphql-js');
            metrics.reads.inc({ path: 'graphql' });
            return null;
          }
          metrics.reads.inc({ path: 'compiled' });
          // The usage step charges this instead of pricing the data again.
          if (cost !== null) ctx.readCost = cost;
          if (mode === 'verify') {
            const expected = await reference(ctx, document, request.variables, request.operationName);
            const want = normalised(expected);
            const got = normalised({ data });
            const priced =
              pricing && coerced.coerced
                ? pricing.priceData(document, operation, data, coerced.coerced)
                : null;
            if (cost !== null && priced !== null && priced !== cost) {
              throw new Error(
                `The compiled read counted cost ${cost}; the usage step prices its data at ${priced}.`,
              );
            }
            if (want !== got) {
              log.error(
                { query: request.query, variables: request.variables, want, got },
                'compiled read differs',
              );
              throw new Error(`The compiled read differs from graphql-js:\n want ${want}\n got  ${got}`);
            }
          }
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data } },
          };
        },
      };
    },
  };
}

import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import {
  BREAK,
  getVariableValues,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { AppError, ErrorCode, forbidden } from '../errors.js';
import type { RequestContext } from './context.js';
import { checkOperationInput } from './input-bounds.js';

/** One operation as the gate sees it: parsed, validated, variables coerced. */
export interface GateRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
  /** Coerced by graphql-js before any step runs. */
  variables: Record<string, unknown>;
  /** As sent (graphql-query-complexity coerces them itself). */
  rawVariables: Record<string, unknown>;
  ctx: RequestContext;
  headers: { get(name: string): string | undefined };
}

/** One step of the gate, made per request (it may keep state between check and finish). */
export interface GateStepRun {
  /** Runs before execution; throwing refuses the request and no later step runs. */
  check?(request: GateRequest): Promise<void> | void;
  /** Runs once the response is built, for every request that reached the gate or not. */
  finish?(response: GraphQLRequestContextWillSendResponse<RequestContext>): Promise<void> | void;
}

export interface GateStep {
  name: string;
  start(): GateStepRun;
}

export function selectsIntrospection(document: DocumentNode): boolean {
  let found = false;
  // The whole document, fragments included: a spread cannot hide __schema.
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Introspection is for keys with the read scope (CONTRACT §11). */
export const introspectionStep: GateStep = {
  name: 'introspection',
  start: () => ({
    check({ document, ctx }) {
      if (!selectsIntrospection(document)) return;
      const p = ctx.principal;
      if (!p || !(p.scopes.has('read') || p.scopes.has('admin'))) {
        // Refused before execution: a request error, so an HTTP status of its own (Apollo strips `http`).
        throw forbidden('Introspection needs an API key with the read scope.', {
          requiredScope: 'read',
          http: { status: 403 },
        });
      }
    },
  }),
};

/** Filters and lists within their documented bounds (input-bounds.ts), before anything is priced. */
export function inputBoundsStep(schema: GraphQLSchema): GateStep {
  // An operation without variables has the same inputs every time: Apollo reuses parsed documents.
  const withinBounds = new WeakSet<OperationDefinitionNode>();
  return {
    name: 'input',
    start: () => ({
      check: ({ document, operation, variables }) => {
        const constant = !operation.variableDefinitions?.length;
        if (constant && withinBounds.has(operation)) return;
        checkOperationInput(schema, document, operation, variables);
        if (constant) withinBounds.add(operation);
      },
    }),
  };
}

/**
 * The one request gate (STYLE: "one gate, in order"). Apollo runs the `didResolveOperation`
 * hooks of different plugins concurrently, so every refusal lives here, in one hook that
 * runs the steps strictly in order: a step refused stops every later one, so a request
 * refused by the introspection rule, its input or its shape is never priced, admitted,
 * counted or given a concurrency slot.
 */
export function requestGate(schema: GraphQLSchema, steps: GateStep[]): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const runs = steps.map((s) => s.start());
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          const coerced = getVariableValues(
            schema,
            operation.variableDefinitions ?? [],
            request.variables ?? {},
            {
              maxErrors: 10,
            },
          );
          if (coerced.errors) {
            const first = coerced.errors[0];
            throw new AppError(ErrorCode.BAD_USER_INPUT, first.message, { http: { status: 400 } });
          }
          const gateRequest: GateRequest = {
            document,
            operation,
            operationName: request.operationName ?? null,
            variables: coerced.coerced,
            rawVariables: request.variables ?? {},
            ctx: contextValue,
            headers: { get: (name) => request.http?.headers.get(name) },
          };
          try {
            for (const run of runs) await run.check?.(gateRequest);
          } catch (err) {
            // A refusal is the client's: without a status of its own Apollo would answer 500.
            if (err instanceof AppError && !err.extensions.http) err.extensions.http = { status: 400 };
            throw err;
          }
        },
        async willSendResponse(response) {
          for (const run of runs) await run.finish?.(response);
        },
      };
    },
  };
}

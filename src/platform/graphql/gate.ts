import type { ApolloServerPlugin } from '@apollo/server';
import {
  BREAK,
  getVariableValues,
  Kind,
  visit,
  type DocumentNode,
  type GraphQLFormattedError,
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
  /** HTTP request headers (none over the WebSocket). */
  headers: { get(name: string): string | undefined };
}

/** The result about to be sent, HTTP or WebSocket alike: steps may add errors and extensions. */
export interface GateResponse {
  result: {
    data?: Record<string, unknown> | null;
    errors?: ReadonlyArray<GraphQLFormattedError>;
    extensions?: Record<string, unknown>;
  };
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
  ctx: RequestContext;
  /** HTTP request headers (none over the WebSocket). */
  requestHeaders: { get(name: string): string | undefined };
  /** HTTP response headers (none over the WebSocket). */
  responseHeaders?: { set(name: string, value: string): void };
  /** A subscription that ended: its result is not a response to price. */
  ended?: boolean;
}

/** One step of the gate, made per request (it may keep state between check and finish). */
export interface GateStepRun {
  /** Runs before execution; throwing refuses the request and no later step runs. */
  check?(request: GateRequest): Promise<void> | void;
  /** Runs once the response is built (or the subscription ended), refused or not. */
  finish?(response: GateResponse): Promise<void> | void;
}

export interface GateStep {
  name: string;
  start(): GateStepRun;
}

/** The gate's steps for one operation, checked in order, then finished once. */
export class GateRun {
  private readonly runs: GateStepRun[];
  private finished = false;

  constructor(
    private readonly schema: GraphQLSchema,
    steps: GateStep[],
  ) {
    this.runs = steps.map((s) => s.start());
  }

  /**
   * Coerces the variables, then runs every step's check in order; the first refusal stops the
   * rest. A refusal without an HTTP status of its own is a 400 (the client's input).
   */
  async check(request: Omit<GateRequest, 'variables'>): Promise<void> {
    const { operation, rawVariables } = request;
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], rawVariables, {
      maxErrors: 10,
    });
    if (coerced.errors) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, coerced.errors[0].message, { http: { status: 400 } });
    }
    const full: GateRequest = { ...request, variables: coerced.coerced };
    try {
      for (const run of this.runs) await run.check?.(full);
    } catch (err) {
      if (err instanceof AppError && !err.extensions.http) err.extensions.http = { status: 400 };
      throw err;
    }
  }

  /** Finishes every step once (a second call does nothing). */
  async finish(response: GateResponse): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const run of this.runs) await run.finish?.(response);
  }
}

/** `__schema` and `__type`: the fields that read the schema itself. */
export const isIntrospectionField = (name: string) => name === '__schema' || name === '__type';

/** The operation's first root field (what a subscription is called by, in metrics and usage). */
export const rootFieldName = (operation: OperationDefinitionNode): string =>
  operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD)?.name.value ?? '';

/** Parsed documents are reused across requests (Apollo's cache): each is walked once. */
const introspects = new WeakMap<DocumentNode, boolean>();

export function selectsIntrospection(document: DocumentNode): boolean {
  const known = introspects.get(document);
  if (known !== undefined) return known;
  let found = false;
  // The whole document, fragments included: a spread cannot hide __schema.
  visit(document, {
    Field(node) {
      if (isIntrospectionField(node.name.value)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  introspects.set(document, found);
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
 * The one request gate over HTTP (STYLE: "one gate, in order"). Apollo runs the
 * `didResolveOperation` hooks of different plugins concurrently, so every refusal lives in
 * this one hook, which runs the steps strictly in order: a step refused stops every later
 * one, so a request refused by the introspection rule, its input or its shape is never
 * priced, admitted, counted or given a concurrency slot.
 */
export function requestGate(schema: GraphQLSchema, steps: GateStep[]): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const gate = new GateRun(schema, steps);
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          if (operation.operation === 'subscription') {
            // Refused before the gate: a subscription over HTTP would hold a place it never gives back.
            throw new AppError(
              ErrorCode.BAD_USER_INPUT,
              'Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, not over HTTP.',
              { http: { status: 400 } },
            );
          }
          await gate.check({
            document,
            operation,
            operationName: request.operationName ?? null,
            rawVariables: request.variables ?? {},
            ctx: contextValue,
            headers: { get: (name) => request.http?.headers.get(name) },
          });
        },
        async willSendResponse({ response, document, operation, contextValue, request }) {
          if (response.body.kind !== 'single') return;
          await gate.finish({
            result: response.body.singleResult,
            document,
            operation,
            ctx: contextValue,
            requestHeaders: { get: (name) => request.http?.headers.get(name) },
            responseHeaders: response.http.headers,
          });
        },
      };
    },
  };
}

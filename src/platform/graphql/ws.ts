import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type Net from 'node:net';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, formatError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Principal, RequestContext } from './context.js';
import { GateRun, type GateStep } from './gate.js';
import { checkRequestBounds, REQUEST_LIMITS } from './request-bounds.js';

export interface WebSocketOptions {
  server: http.Server;
  schema: GraphQLSchema;
  gateSteps: GateStep[];
  log: Logger;
  metrics: Metrics;
  /** Largest accepted message, as the HTTP body limit. */
  maxPayloadBytes: number;
  statementTimeoutMs: number;
  /** Keep-alive ping interval. */
  keepAliveMs?: number;
  /** The principal of `connectionParams.authorization` (`Bearer <key>` or the bare key), or null. */
  authenticate(authorization: unknown): Promise<Principal | null>;
  /** A fresh request context for one operation of an authenticated socket. */
  context(principal: Principal, requestId: string): Promise<RequestContext>;
}

export interface WebSocketGateway {
  /** Closes every socket of the key (revoked) with 4403. */
  closeKey(apiKeyId: string): void;
  /** Closes every socket with 1001 (going away) and stops accepting. */
  close(): Promise<void>;
}

/**
 * An event's result, serialised once for all the subscribers that share it: graphql-ws
 * serialises each `next` message around a short token (its JSON replacer), and the socket's
 * send puts the shared JSON in its place, so a frame costs a string concatenation, not a
 * serialisation of the result.
 */
class SharedFrames {
  private seq = 0;
  private readonly byResult = new WeakMap<object, SharedPayload>();
  private readonly json = new Map<string, { text: string; at: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    // A frame's JSON is needed only while its event is being sent; old ones go.
    this.sweeper = setInterval(() => {
      const old = Date.now() - 30_000;
      for (const [token, { at }] of this.json) if (at < old) this.json.delete(token);
    }, 10_000);
    this.sweeper.unref();
  }

  payloadFor(result: ExecutionResult, format: (r: ExecutionResult) => object): SharedPayload {
    let payload = this.byResult.get(result);
    if (!payload) {
      payload = { [FRAME]: `wpx-frame:${(this.seq += 1)}` };
      this.json.set(payload[FRAME], { text: JSON.stringify(format(result)), at: Date.now() });
      this.byResult.set(result, payload);
    }
    return payload;
  }

  readonly replacer = (key: string, value: unknown): unknown =>
    key === 'payload' && typeof value === 'object' && value !== null && FRAME in value
      ? (value as SharedPayload)[FRAME]
      : value;

  /** Wraps the socket's send so a message ending in a token carries the shared JSON instead. */
  expandOn(socket: WebSocket): void {
    const send = socket.send.bind(socket);
    socket.send = ((data: unknown, ...rest: unknown[]) => {
      if (typeof data === 'string' && data.endsWith('"}')) {
        const at = data.lastIndexOf(',"payload":"wpx-frame:');
        const shared = at >= 0 ? this.json.get(data.slice(at + 12, data.length - 2)) : undefined;
        if (shared) data = `${data.slice(0, at)},"payload":${shared.text}}`;
      }
      return (send as (...args: unknown[]) => void)(data, ...rest);
    }) as typeof socket.send;
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

const FRAME = Symbol('shared frame');
type SharedPayload = { [FRAME]: string };

/** Close code of graphql-ws for a refused connection. */
const FORBIDDEN = 4403;

interface Operation {
  gate: GateRun;
  ctx: RequestContext;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  field: string;
}

interface Connection {
  principal: Principal;
  socket: WebSocket;
  operations: Map<string, Operation>;
}

type Extra = { socket: WebSocket; request: http.IncomingMessage };

/**
 * Subscriptions that would read an event identically (same organisation, scopes, document and
 * variables) share one execution of it: the event is read once through the read path, not once
 * per subscriber. Results are kept per event object, so they go when the event is done.
 */
class SharedExecutions {
  private readonly keys = new WeakMap<object, string>();
  private readonly results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

  /** Remembers what makes a subscription's reading of an event unique. */
  register(ctx: RequestContext, query: string, variables: unknown, operationName: unknown): void {
    const p = ctx.principal;
    const who = p ? `${p.organizationId}|${[...p.scopes].sort().join(',')}` : '';
    this.keys.set(ctx, `${who}|${String(operationName ?? '')}|${JSON.stringify(variables ?? {})}|${query}`);
  }

  /** graphql-js `subscribe`, with each event executed once per distinct key. */
  subscribe = async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    const key = this.keys.get(args.contextValue as object) ?? '';
    const results = this.results;
    const iterator = source[Symbol.asyncIterator]();
    const done = { value: undefined, done: true } as const;
    // A hand-written iterator, not a generator: a generator's return() would wait behind the
    // pending next(), so ending a subscription would wait for its next event.
    const mapped: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => mapped,
      async next(): Promise<IteratorResult<ExecutionResult>> {
        const next = await iterator.next();
        if (next.done) return done;
        const event = next.value as object;
        let byKey = results.get(event);
        if (!byKey) results.set(event, (byKey = new Map()));
        let result = byKey.get(key);
        if (!result) {
          result = Promise.resolve(execute({ ...args, rootValue: event }));
          byKey.set(key, result);
        }
        return { value: await result, done: false };
      },
      async return(): Promise<IteratorResult<ExecutionResult>> {
        await iterator.return?.();
        return done;
      },
      async throw(err: unknown): Promise<IteratorResult<ExecutionResult>> {
        await iterator.return?.();
        throw err;
      },
    };
    return mapped;
  };
}
type WsContext = Context<Record<string, unknown> | undefined, Extra>;

const noHeaders = { get: () => undefined };

/**
 * GraphQL over WebSocket (graphql-transport-ws, graphql-ws 6) at /graphql on the HTTP
 * server's port. Every operation passes the same gate as over HTTP (Apollo plugins do not
 * run here): bounds, parse, validation, then the ordered gate steps; queries and mutations
 * are priced and refunded like HTTP requests, a subscription is charged when it starts and
 * holds a concurrent-subscription place until it ends.
 */
export function startWebSocketGateway(opts: WebSocketOptions): WebSocketGateway {
  const { schema, log, metrics } = opts;
  const wss = new WebSocketServer({
    server: opts.server,
    path: '/graphql',
    maxPayload: opts.maxPayloadBytes,
  });
  const connections = new Map<WsContext, Connection>();
  // As over HTTP, minus the HTTP status a refusal carries for Apollo.
  const format = (err: GraphQLError) => {
    const out = formatError(err.toJSON(), err, opts.statementTimeoutMs);
    const { http: _http, ...extensions } = out.extensions ?? {};
    void _http;
    return { ...out, extensions };
  };
  const shared = new SharedExecutions();
  const formatResult = (result: ExecutionResult) => ({
    ...result,
    ...(result.errors ? { errors: result.errors.map(format) } : {}),
  });
  const frames = new SharedFrames();
  /**
   * Sockets written to in this turn of the event loop are corked until the next: an event
   * fanned out to a socket's many subscriptions leaves in one write, not one per frame.
   */
  const corked = new Set<Net.Socket>();
  const cork = (socket: WebSocket) => {
    const raw = (socket as unknown as { _socket?: Net.Socket })._socket;
    if (!raw || corked.has(raw)) return;
    raw.cork();
    if (!corked.size) {
      setImmediate(() => {
        for (const c of corked) c.uncork();
        corked.clear();
      });
    }
    corked.add(raw);
  };

  wss.on('connection', (socket) => {
    frames.expandOn(socket);
    metrics.openSockets.inc();
    socket.once('close', () => metrics.openSockets.dec());
  });

  const end = async (conn: Connection, id: string) => {
    const op = conn.operations.get(id);
    if (!op) return;
    conn.operations.delete(id);
    if (op.operation.operation === 'subscription') metrics.activeSubscriptions.dec({ field: op.field });
    await op.gate
      .finish({
        result: {},
        document: op.document,
        operation: op.operation,
        ctx: op.ctx,
        requestHeaders: noHeaders,
        ended: true,
      })
      .catch((err: unknown) => log.error({ err }, 'ending a WebSocket operation failed'));
  };

  const refusal = (message: string, extensions: Record<string, unknown>) => [
    new GraphQLError(message, { extensions }),
  ];

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      subscribe: shared.subscribe,
      jsonMessageReplacer: frames.replacer,
      onConnect: async (ctx) => {
        const principal = await opts.authenticate(ctx.connectionParams?.authorization).catch(() => null);
        if (!principal || !(principal.scopes.has('subscribe') || principal.scopes.has('admin'))) return false;
        connections.set(ctx, { principal, socket: ctx.extra.socket, operations: new Map() });
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const conn = connections.get(ctx);
        if (!conn)
          return refusal('The connection is not authenticated.', { code: ErrorCode.UNAUTHENTICATED });
        const bounds = checkRequestBounds(payload);
        if (bounds) return refusal(bounds.message, bounds.extensions);
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: REQUEST_LIMITS.documentTokens });
        } catch (err) {
          const message = err instanceof Error ? err.message : 'Syntax Error';
          return refusal(message, { code: 'GRAPHQL_PARSE_FAILED' });
        }
        const invalid = validate(schema, document);
        if (invalid.length) {
          return invalid.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return refusal('The document does not name exactly one operation to run.', {
            code: 'OPERATION_RESOLUTION_FAILURE',
          });
        }
        const requestContext = await opts.context(conn.principal, `ws-${randomUUID()}`);
        const gate = new GateRun(schema, opts.gateSteps);
        const variables = payload.variables ?? {};
        try {
          await gate.check({
            document,
            operation,
            operationName: payload.operationName ?? null,
            rawVariables: variables,
            ctx: requestContext,
            headers: noHeaders,
          });
        } catch (err) {
          await gate.finish({
            result: {},
            document,
            operation,
            ctx: requestContext,
            requestHeaders: noHeaders,
          });
          if (err instanceof GraphQLError) return [err];
          throw err;
        }
        shared.register(requestContext, payload.query, variables, payload.operationName);
        const field = operation.selectionSet.selections.find((s) => s.kind === 'Field')?.name.value ?? '';
        conn.operations.set(id, { gate, ctx: requestContext, document, operation, field });
        if (operation.operation === 'subscription') metrics.activeSubscriptions.inc({ field });
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: variables,
          contextValue: requestContext,
        };
      },
      // Not async on the subscription path: an event fanned out to thousands of subscribers
      // should not cost each of them another promise.
      onNext: (ctx, id, _payload, _args, result: ExecutionResult) => {
        const conn = connections.get(ctx);
        const op = conn?.operations.get(id);
        if (conn) cork(conn.socket);
        if (!op || op.operation.operation === 'subscription') {
          // Subscribers sharing an execution share its formatted, serialised result too.
          return frames.payloadFor(result, formatResult) as FormattedExecutionResult;
        }
        // A query or mutation is one response: priced, refunded and reported like HTTP.
        const formatted = formatResult(result);
        return op.gate
          .finish({
            result: formatted,
            document: op.document,
            operation: op.operation,
            ctx: op.ctx,
            requestHeaders: noHeaders,
          })
          .then(() => formatted);
      },
      onError: (_ctx, _id, _payload, errors) => errors.map(format),
      onComplete: async (ctx, id) => {
        const conn = connections.get(ctx);
        if (conn) await end(conn, id);
      },
      onClose: async (ctx) => {
        const conn = connections.get(ctx);
        if (!conn) return;
        connections.delete(ctx);
        await Promise.all([...conn.operations.keys()].map((id) => end(conn, id)));
      },
    },
    wss,
    opts.keepAliveMs ?? 12_000,
  );

  return {
    closeKey(apiKeyId) {
      for (const conn of connections.values()) {
        if (conn.principal.apiKeyId === apiKeyId)
          conn.socket.close(FORBIDDEN, 'Forbidden: the API key was revoked');
      }
    },
    async close() {
      frames.close();
      await disposable.dispose();
    },
  };
}

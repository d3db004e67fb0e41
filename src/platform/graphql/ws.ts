import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type Net from 'node:net';
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
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
import { GateRun, rootFieldName, type GateStep } from './gate.js';
import { checkRequestBounds, parseOperation } from './request-bounds.js';
import { resolvePersisted, type PersistedDocumentStore } from './persisted.js';
import { isEventStream } from '../pubsub/pubsub.js';

export interface WebSocketOptions {
  /** Registered documents, persisted-only keys and the APQ cache, as over HTTP (persisted.ts). */
  persisted?: { store: PersistedDocumentStore; apq?: { get(key: string): Promise<string | undefined> } };
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

/** One subscriber of a fan-out group: the socket and the graphql-ws operation id its frames carry. */
interface Member {
  socket: WebSocket;
  id: string;
}

/**
 * Subscriptions that would read an event identically (same organisation, scopes, document and
 * variables) form one group: the group listens to the events once, reads each through the read
 * path once, serialises the result once and writes one frame per member, synchronously. So an
 * event costs one execution per distinct selection, not one per subscriber, and no promise per
 * subscriber. graphql-ws still owns each subscription's life (its iterator ends on complete or
 * close, which leaves the group); only the event frames bypass its per-subscription loop.
 */
class FanOut {
  private readonly members = new WeakMap<object, Member & { key: string }>();
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly format: (result: ExecutionResult) => object,
    private readonly cork: (socket: WebSocket) => void,
    private readonly log: Logger,
  ) {}

  /** Remembers who a subscription is and what makes its reading of an event unique. */
  register(
    ctx: RequestContext,
    member: Member,
    query: string,
    variables: unknown,
    operationName: unknown,
  ): void {
    const p = ctx.principal;
    const who = p ? `${p.organizationId}|${[...p.scopes].sort().join(',')}` : '';
    const key = `${who}|${String(operationName ?? '')}|${JSON.stringify(variables ?? {})}|${query}`;
    this.members.set(ctx, { ...member, key });
  }

  /** graphql-js `subscribe` for graphql-ws: joins the caller to its group. */
  subscribe = async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source;
    const registered = this.members.get(args.contextValue as object);
    if (!registered) throw new Error('A subscription was started without registering it.');
    const { key } = registered;
    // Events already waiting for this subscriber alone (the first quotaChanged) go to it alone.
    const own = isEventStream(source) ? source.queued() : [];
    const member: Member = { socket: registered.socket, id: registered.id };
    let group = this.groups.get(key);
    if (group) {
      await source[Symbol.asyncIterator]().return?.();
      group.members.add(member);
    } else {
      group = { members: new Set([member]), events: source[Symbol.asyncIterator]() };
      this.groups.set(key, group);
      void this.run(group, args);
    }
    for (const event of own)
      this.send(new Set([member]), args, event).catch((err: unknown) =>
        this.log.error({ err }, 'a first event failed'),
      );
    const joined = group;
    let release: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (release = resolve));
    const leave = async () => {
      release();
      joined.members.delete(member);
      if (joined.members.size || this.groups.get(key) !== joined) return;
      // The last member left: the group stops listening.
      this.groups.delete(key);
      await joined.events.return?.();
    };
    const done = { value: undefined, done: true } as const;
    const stream: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => stream,
      // Frames go out through the group; this iterator only waits for the subscription to end.
      next: async () => {
        await ended;
        return done;
      },
      return: async () => {
        await leave();
        return done;
      },
      throw: async (err: unknown) => {
        await leave();
        throw err;
      },
    };
    return stream;
  };

  /** The group's one reading of the events, until its last member leaves. */
  private async run(group: Group, args: ExecutionArgs): Promise<void> {
    try {
      while (group.members.size) {
        const next = await group.events.next();
        if (next.done) break;
        await this.send(group.members, args, next.value);
      }
    } catch (err) {
      this.log.error({ err }, 'a subscription group stopped');
    }
  }

  /** Reads `event` once and writes its frame to every member still there once it is read. */
  private async send(members: Set<Member>, args: ExecutionArgs, event: unknown): Promise<void> {
    const json = JSON.stringify(this.format(await execute({ ...args, rootValue: event })));
    for (const m of members) {
      if (m.socket.readyState !== m.socket.OPEN) continue;
      this.cork(m.socket);
      m.socket.send(`{"id":${JSON.stringify(m.id)},"type":"next","payload":${json}}`);
    }
  }
}

interface Group {
  members: Set<Member>;
  events: AsyncIterator<unknown>;
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
  const formatResult = (result: ExecutionResult) => ({
    ...result,
    ...(result.errors ? { errors: result.errors.map(format) } : {}),
  });
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
  const fanOut = new FanOut(formatResult, cork, log);

  wss.on('connection', (socket) => {
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
      subscribe: fanOut.subscribe,
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
        // The query's own bounds are checked as it is parsed.
        const bounds = checkRequestBounds({ variables: payload.variables, extensions: payload.extensions });
        if (bounds) return refusal(bounds.message, bounds.extensions);
        let query = payload.query;
        if (opts.persisted) {
          // A registered document by id (or APQ hash), with the rules of the HTTP side.
          const documentId = (payload as { documentId?: unknown }).documentId;
          const r = await resolvePersisted(opts.persisted.store, conn.principal, {
            query: payload.query,
            documentId,
            extensions: payload.extensions,
          });
          if (r.kind === 'refused') return refusal(r.message, { code: r.code });
          if (r.kind === 'document') query = r.query;
          if (r.kind === 'apollo-apq') {
            const hash = (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)
              ?.sha256Hash;
            const found = typeof hash === 'string' ? await opts.persisted.apq?.get(`apq:${hash}`) : undefined;
            if (found === undefined)
              return refusal('PersistedQueryNotFound', { code: 'PERSISTED_QUERY_NOT_FOUND' });
            query = found;
          }
        }
        const parsed = parseOperation(schema, query, payload.operationName);
        if (parsed.errors) return parsed.errors;
        const { document, operation } = parsed;
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
        fanOut.register(requestContext, { socket: conn.socket, id }, query, variables, payload.operationName);
        const field = rootFieldName(operation);
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
      // Subscription events go out through the fan-out; what comes here is a query's or a
      // mutation's one result (priced, refunded and reported like HTTP), or a subscription's error.
      onNext: async (ctx, id, _payload, _args, result: ExecutionResult) => {
        const op = connections.get(ctx)?.operations.get(id);
        const formatted = formatResult(result);
        if (op && op.operation.operation !== 'subscription') {
          await op.gate.finish({
            result: formatted,
            document: op.document,
            operation: op.operation,
            ctx: op.ctx,
            requestHeaders: noHeaders,
          });
        }
        return formatted;
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
      await disposable.dispose();
    },
  };
}

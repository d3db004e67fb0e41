import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import type { Config } from './config.js';
import { ErrorCode, formatError } from './errors.js';
import type { Principal, RequestContext } from './graphql/context.js';
import type { PgApqCache } from './graphql/apq-cache.js';
import { persistedDocuments, type PersistedDocumentStore } from './graphql/persisted.js';
import { requestGate, type GateStep } from './graphql/gate.js';
import { checkRequestBounds, REQUEST_LIMITS } from './graphql/request-bounds.js';
import type { Logger } from './logger.js';
import { bearerMatches, type Metrics } from './metrics.js';

export interface HttpServerOptions {
  config: Config;
  log: Logger;
  metrics: Metrics;
  schema: GraphQLSchema;
  /** Database reachable and migrations applied. */
  ready: () => Promise<boolean>;
  /** Builds the per-request context (authentication included). */
  /** The request gate's steps, run in this order before execution (graphql/gate.ts). */
  gateSteps: GateStep[];
  /** Further HTTP routes (e.g. provider webhooks), mounted before /graphql. */
  routers?: express.Router[];
  /** Further Apollo plugins, after the gate (e.g. the compiled read path). */
  plugins?: ApolloServerPlugin<RequestContext>[];
  /** Registered documents and persisted-only keys (graphql/persisted.ts), resolved before Apollo. */
  persisted?: {
    store: PersistedDocumentStore;
    authenticate: (authorization: string | undefined) => Promise<Principal | null>;
  };
  /** Apollo's APQ cache (default: Apollo's in-memory one, per instance). */
  apqCache?: PgApqCache;
  /** Called when a GraphQL response has been sent, with its request's context and size in bytes. */
  onGraphQLResponse?: (ctx: RequestContext, bytes: number) => void;
  context: (req: {
    headers: http.IncomingHttpHeaders;
    /** The caller, when an earlier step (persisted documents) already authenticated the request. */
    principal?: Principal | null;
    requestId: string;
    clientAddress: string;
    log: Logger;
  }) => Promise<RequestContext>;
}

export interface HttpServer {
  server: http.Server;
  port: number;
  /** Stops accepting, finishes in-flight requests, then resolves. */
  close(): Promise<void>;
}

const EXPOSED_HEADERS =
  'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy';

/** Whether the client negotiated the legacy `application/json` response type (no graphql-response+json). */
function wantsLegacyJson(accept: string | undefined): boolean {
  return !accept || !accept.includes('application/graphql-response+json');
}

/**
 * HTTP statuses per the GraphQL-over-HTTP spec: with `application/json` a well-formed request
 * gets 200 even when the operation fails (parse, validation, coercion, refusal), except the
 * 429 of THROTTLED and USAGE_LIMIT_EXCEEDED (CONTRACT §3), which keeps its Retry-After.
 * With `application/graphql-response+json` the 4xx statuses stay.
 */
const httpStatus: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors, request }) {
        if (!errors?.length || response.body.kind !== 'single') return;
        if (response.body.singleResult.data !== undefined && response.body.singleResult.data !== null) return;
        const code = errors[0].extensions?.code;
        if (code === ErrorCode.THROTTLED || code === ErrorCode.USAGE_LIMIT_EXCEEDED) {
          response.http.status = 429;
          const retry = errors[0].extensions?.retryAfterSeconds;
          if (typeof retry === 'number') response.http.headers.set('retry-after', String(retry));
          return;
        }
        const status = response.http.status ?? 200;
        // A malformed HTTP request (BAD_REQUEST) is not a well-formed GraphQL request: its 400 stays.
        if (
          code !== 'BAD_REQUEST' &&
          status >= 400 &&
          status < 500 &&
          wantsLegacyJson(request.http?.headers.get('accept'))
        ) {
          response.http.status = 200;
        }
      },
    };
  },
};

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const { config, log, metrics } = opts;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY);
  const server = http.createServer(app);
  const production = config.NODE_ENV === 'production';

  const apollo = new ApolloServer<RequestContext>({
    schema: opts.schema,
    formatError: (formatted, error) => {
      const out = formatError(formatted, error, config.DB_STATEMENT_TIMEOUT_MS);
      const code = String(out.extensions?.code ?? 'UNKNOWN');
      metrics.graphqlErrors.inc({ code });
      if (code === ErrorCode.INTERNAL_SERVER_ERROR) log.error({ err: error }, 'internal error');
      return out;
    },
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM: Apollo's own handlers would race the graceful shutdown.
    stopOnTerminationSignals: false,
    // Keys travel only in the Authorization header, never cookies: a cross-site page cannot
    // make an authenticated request, so Apollo's CSRF guard would only block plain GETs.
    csrfPrevention: false,
    introspection: true,
    // APQ (CONTRACT §9): the shared cache when given; documents never expire, eviction is the cache's.
    ...(opts.apqCache ? { persistedQueries: { cache: opts.apqCache, ttl: null } } : {}),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      // Both would wrap every field resolver; we use neither HTTP cache hints nor Apollo tracing.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      requestGate(opts.schema, opts.gateSteps),
      httpStatus,
      ...(opts.plugins ?? []),
    ],
    // graphql-js stops parsing past this many tokens (GRAPHQL_PARSE_FAILED), before any work.
    parseOptions: { maxTokens: REQUEST_LIMITS.documentTokens },
  });
  await apollo.start();

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      // originalUrl: a router mounted at /graphql may still have req.url stripped here.
      const path = req.originalUrl.split('?')[0];
      const route =
        path === '/graphql' || ['/healthz', '/readyz', '/metrics'].includes(path) ? path : 'other';
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.requests.inc({ route, status: String(res.statusCode) });
      // Provider webhooks, by provider (a path segment of a known route, never free text).
      const provider = /^\/webhooks\/(mailgun|plivo)(\/|$)/.exec(path)?.[1];
      if (provider) metrics.webhooks.inc({ provider, status: String(res.statusCode) });
      const ctx = res.locals.context as RequestContext | undefined;
      if (route === '/graphql' && ctx && opts.onGraphQLResponse) {
        opts.onGraphQLResponse(ctx, Number(res.getHeader('content-length') ?? 0));
      }
      metrics.latency.observe({ route }, seconds);
      log.info(
        {
          requestId,
          organizationId: res.locals.organizationId,
          method: req.method,
          path,
          status: res.statusCode,
          ms: seconds * 1000,
        },
        'request',
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await opts.ready().catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable' });
  });
  app.get('/metrics', async (req, res) => {
    if (config.METRICS_TOKEN && !bearerMatches(req.headers.authorization, config.METRICS_TOKEN)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(401).json({ error: 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".' });
      return;
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  for (const router of opts.routers ?? []) app.use(router);

  app.use('/graphql', (req, res, next) => {
    // API keys travel in a header, never in cookies, so any origin may call.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader(
        'Access-Control-Allow-Headers',
        'Authorization, Content-Type, Accept, X-Request-Id, Apollo-Require-Preflight, X-Workpex-Cost-Debug',
      );
      res.setHeader('Access-Control-Max-Age', '86400');
      res.status(204).end();
      return;
    }
    next();
  });
  app.use(
    '/graphql',
    express.json({
      limit: config.BODY_LIMIT_BYTES,
      type: ['application/json', 'application/graphql-response+json'],
    }),
  );
  // Nesting bounds before graphql-js parses or coerces anything (both recurse).
  app.use('/graphql', (req: Request, res: Response, next: NextFunction) => {
    const refusal = checkRequestBounds(req.method === 'GET' ? req.query : req.body);
    if (!refusal) return next();
    const graphqlResponse = !wantsLegacyJson(req.headers.accept);
    res
      .status(graphqlResponse ? 400 : 200)
      .type(graphqlResponse ? 'application/graphql-response+json' : 'application/json')
      .send(JSON.stringify({ errors: [refusal] }));
  });
  if (opts.persisted) {
    app.use('/graphql', persistedDocuments({ ...opts.persisted, legacyJson: wantsLegacyJson }));
  }
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const ctx = await opts.context({
          headers: req.headers,
          principal: res.locals.principal as Principal | null | undefined,
          requestId: res.locals.requestId as string,
          // req.ip: the socket's address, or X-Forwarded-For's as far as TRUST_PROXY trusts the hops.
          clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
          log,
        });
        res.locals.organizationId = ctx.principal?.organizationId;
        res.locals.context = ctx;
        return ctx;
      },
    }),
  );

  // Body parser failures (bad JSON, too large) answer in GraphQL's error shape, without internals.
  app.use((err: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message =
      status === 413
        ? `Request body larger than ${config.BODY_LIMIT_BYTES} bytes.`
        : status === 400
          ? 'The request body is not valid JSON.'
          : status < 500
            ? 'Bad request.'
            : 'Internal server error';
    if (status >= 500) log.error({ err }, 'unhandled http error');
    res.status(status).json({
      errors: [
        {
          message,
          extensions: { code: status < 500 ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL_SERVER_ERROR },
        },
      ],
    });
  });

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    server,
    port,
    close: async () => {
      await apollo.stop();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

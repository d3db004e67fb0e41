import 'reflect-metadata';
import type { Config } from './platform/config.js';
import { createOrm, migrate, pendingMigrations, type EntityManager } from './platform/db/orm.js';
import { SqlClient } from './platform/db/sql.js';
import { TenantSql } from './platform/db/tenant-sql.js';
import { RequestCache, type Principal, type RequestContext } from './platform/graphql/context.js';
import { buildAppSchema } from './platform/graphql/schema.js';
import { startHttpServer } from './platform/http.js';
import type { Logger } from './platform/logger.js';
import { Metrics } from './platform/metrics.js';
import { WindowLimiter } from './platform/rate-limit.js';
import { ApiKeyAuthenticator } from './modules/auth/api-key.js';
import type { AuthDeps } from './modules/auth/auth.resolver.js';
import { TENANT_FILTER } from './platform/records/index.js';
import { app as defaultParts, assemble, type AppModule } from './modules.js';
import type { NodeDeps } from './modules/search/search.resolver.js';
import type { ContactDeps } from './modules/contacts/contact.resolver.js';
import { migrationsList } from '../migrations/index.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CostCalculator, relationCost } from './modules/usage/cost.js';
import { Meter, PlanCache, type Clock } from './modules/usage/meter.js';
import { meteringStep } from './modules/usage/usage.gate.js';
import { QuotaNotifier } from './modules/usage/usage.events.js';
import { apiKeyRevokedTopic } from './modules/auth/auth.events.js';
import { startWebSocketGateway } from './platform/graphql/ws.js';
import { createTransport } from './platform/pubsub/index.js';
import { PubSub } from './platform/pubsub/pubsub.js';
import { inputBoundsStep, introspectionStep } from './platform/graphql/gate.js';
import type { UsageResolverDeps } from './modules/usage/usage.resolver.js';
import { compiledReads } from './platform/reads/plugin.js';
import { readModelOf } from './platform/reads/read-model.js';
import {
  bounceTopic,
  CampaignChanges,
  CampaignSender,
  MailgunDomains,
  linkSecret,
  mailgunWebhooks,
  MailgunTransport,
  OutboxTransport,
  unsubscribeRoutes,
  unsubscribeToken,
  type BouncePolicy,
  type EmailDeps,
  type EmailTransport,
} from './modules/campaigns/index.js';
import {
  PlivoTelephony,
  SimulatedTelephony,
  type NumbersDeps,
  type Telephony,
} from './modules/numbers/index.js';
import { applyCallEvent, callTopic, plivoWebhooks, type CallsDeps } from './modules/calls/index.js';
import {
  BillingService,
  PeriodEndJob,
  planChangedTopic,
  type BillingDeps,
  type PeriodEndReport,
} from './modules/billing/index.js';
import { PersistedStore, type PersistedDeps } from './modules/persisted/index.js';
import { PgApqCache } from './platform/graphql/apq-cache.js';
import { requireFeature } from './modules/usage/index.js';

/**
 * The channel events travel on: one per database, so deployments (and test databases) that
 * share a Redis never see each other's events. PostgreSQL's NOTIFY is per database already.
 */
function eventChannel(databaseUrl: string, redis: boolean): string | undefined {
  if (!redis) return undefined;
  const database = new URL(databaseUrl).pathname.replace(/^\//, '') || 'default';
  return `workpex:events:${database}`;
}

export interface App {
  port: number;
  url: string;
  orm: MikroORM;
  sql: SqlClient;
  metrics: Metrics;
  /** The campaign send worker (tests wait for it to be idle). */
  sender: CampaignSender;
  /** The billing period-end job, also run on a timer; tests run it at a time of their choosing. */
  billing: { runDue(now?: Date): Promise<PeriodEndReport> };
  /** Graceful: stops accepting, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

/** Wires platform and modules into one listening server (used by main and by tests). */
export interface AppOptions {
  /** Milliseconds since the epoch; tests inject a controllable clock for usage limits. */
  clock?: Clock;
  /** The modules to build (default: the app's module list); tests add modules of their own. */
  modules?: readonly AppModule[];
}

export async function createApp(
  config: Config,
  databaseUrl: string,
  log: Logger,
  options: AppOptions = {},
): Promise<App> {
  const { contactMergeSteps, entities, nodeTypes, organizationSetups, resolvers } = options.modules
    ? assemble(options.modules)
    : defaultParts;
  const metrics = new Metrics();
  const sql = new SqlClient(databaseUrl, config.DB_POOL_SIZE, config.DB_STATEMENT_TIMEOUT_MS);
  sql.onStatement(() => metrics.sqlStatements.inc());
  const orm = await createOrm({
    url: databaseUrl,
    entities,
    migrations: migrationsList,
    poolSize: config.DB_POOL_SIZE,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    onStatement: () => sql.countStatement(),
  });
  try {
    const applied = await migrate(orm);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');
  } catch (err) {
    await orm.close();
    await sql.close();
    throw err;
  }

  // The key that signs unsubscribe links: one per deployment, in the database (made on first start).
  const emailLinkKey = await linkSecret(sql.pool);

  // Events between instances; each deployment (database) has its own channel on a shared Redis.
  const transport = createTransport({
    databaseUrl,
    redisUrl: config.REDIS_URL,
    channel: eventChannel(databaseUrl, config.REDIS_URL !== undefined),
    log,
  });
  try {
    await transport.start();
  } catch (err) {
    await orm.close();
    await sql.close();
    throw err;
  }
  const pubsub = new PubSub(transport, metrics, log);
  const quota = new QuotaNotifier(pubsub);

  const authenticator = new ApiKeyAuthenticator(sql, config.API_KEY_CACHE_SECONDS * 1000);
  const metering = config.USAGE_METERING === 'on';
  const plans = new PlanCache(sql);
  const meter = new Meter(sql, options.clock);
  // Email: Mailgun through mailgun.js when a key is configured, else the local outbox (CONTRACT §12).
  const emailTransport: EmailTransport = config.MAILGUN_API_KEY
    ? new MailgunTransport({ key: config.MAILGUN_API_KEY, url: config.MAILGUN_URL })
    : new OutboxTransport(sql);
  // Campaign changes from the worker, webhooks and unsubscribes reach bounceRateChanged coalesced (100 ms).
  const campaignChanges = new CampaignChanges((organizationId, campaignId) =>
    pubsub.emit(bounceTopic, organizationId, { campaignId }),
  );
  const publicUrl = config.PUBLIC_URL?.replace(/\/$/, '');
  const sender = new CampaignSender(sql.uncounted(), emailTransport, {
    domain: config.MAILGUN_DOMAIN,
    unsubscribeUrl: (memberId) =>
      publicUrl ? `${publicUrl}/unsubscribe/${unsubscribeToken(emailLinkKey, memberId)}` : null,
    pollMs: config.EMAIL_POLL_MS,
    staleClaimMs: config.EMAIL_STALE_CLAIM_MS,
    emailsPerDay: async (organizationId) => {
      const rows = await sql
        .uncounted()
        .query<{ plan: string }>('select plan from organization where id = $1', [organizationId]);
      return (await plans.get(rows[0]?.plan ?? 'FREE')).emailsPerDay;
    },
    changed: (organizationId, campaignId) => campaignChanges.changed(organizationId, campaignId),
    log,
  });
  const bouncePolicy: BouncePolicy = {
    windowDays: config.EMAIL_BOUNCE_WINDOW_DAYS,
    minSends: config.EMAIL_BOUNCE_MIN_SENDS,
    hardBounceThreshold: config.EMAIL_HARD_BOUNCE_THRESHOLD,
    complaintThreshold: config.EMAIL_COMPLAINT_THRESHOLD,
  };
  // Telephony: Plivo through its SDK when configured, else simulated numbers and calls (CONTRACT §12).
  const simulated = config.PLIVO_AUTH_ID ? null : new SimulatedTelephony(config.SIMULATED_CALL_MS);
  const telephony: Telephony =
    simulated ??
    new PlivoTelephony({
      authId: config.PLIVO_AUTH_ID ?? '',
      authToken: config.PLIVO_AUTH_TOKEN ?? '',
      url: config.PLIVO_URL,
    });
  const eventSql = sql.uncounted();
  const callChanged = (organizationId: string, callId: string) =>
    pubsub.emit(callTopic, organizationId, { callId });
  // Simulated calls report each step to the code Plivo's callbacks reach.
  simulated?.deliverTo(async (callId, event) => {
    try {
      const applied = await applyCallEvent(eventSql, callId, event);
      if (applied?.changed) callChanged(applied.organizationId, callId);
    } catch (err) {
      log.error({ err, callId }, 'simulated call event failed');
    }
  });
  const planLimits = async (plan: string) => plans.get(plan);
  // Billing (CONTRACT §10) on the app's clock; a plan change reaches every instance's key cache.
  const billingClock = options.clock ?? Date.now;
  const planChanged = (organizationId: string, plan: string) => {
    authenticator.evictOrganization(organizationId);
    quota.changed(organizationId);
    pubsub.emit(planChangedTopic, organizationId, { plan });
  };
  const billing = new BillingService({ sql, plans, clock: billingClock, planChanged });
  const periodEnd = new PeriodEndJob({
    sql,
    plans,
    clock: billingClock,
    tickMs: config.BILLING_TICK_MS,
    log,
    planChanged,
  });
  // Persisted documents (CONTRACT §9): the registered ones per organisation, and APQ for everyone.
  const persistedStore = new PersistedStore(sql, async (plan) => (await plans.get(plan)).partnerAccess);
  const apqCache = new PgApqCache(sql, { maxDocuments: config.APQ_MAX_DOCUMENTS, maxDocumentChars: 100_000 });
  const authenticateHeader = async (authorization: unknown) => {
    const key = typeof authorization === 'string' ? ApiKeyAuthenticator.keyFromHeader(authorization) : null;
    return key ? authenticator.authenticate(key) : null;
  };
  const requirePartnerAccess = (plan: string) => requireFeature(plan, 'partnerAccess', plans);

  const deps: AuthDeps &
    ContactDeps &
    NodeDeps &
    UsageResolverDeps &
    EmailDeps &
    NumbersDeps &
    CallsDeps &
    PersistedDeps &
    BillingDeps = {
    authenticator,
    signUpLimiter: new WindowLimiter(config.SIGNUP_LIMIT_PER_HOUR, 3_600_000),
    organizationSetups,
    contactMergeSteps,
    nodeTypes,
    meter,
    plans,
    sender,
    domains: config.MAILGUN_API_KEY
      ? new MailgunDomains({ key: config.MAILGUN_API_KEY, url: config.MAILGUN_URL })
      : undefined,
    bouncePolicy,
    telephony,
    planLimits,
    publicUrl,
    eventSql,
    requirePartnerAccess,
    billing,
  };
  const schema = await buildAppSchema(resolvers, deps);
  const costCalculator = new CostCalculator(schema);
  deps.schema = schema;
  deps.costCalculator = costCalculator;

  const scopedEm = (principal: Principal | null): EntityManager => {
    const em = orm.em.fork();
    if (principal) em.setFilterParams(TENANT_FILTER, { organizationId: principal.organizationId });
    return em;
  };

  const requestContext = async (
    principal: Principal | null,
    requestId: string,
    clientAddress: string,
    authFailure?: string,
  ): Promise<RequestContext> => {
    let em: EntityManager | undefined;
    let db: TenantSql | undefined;
    return {
      requestId,
      clientAddress,
      log,
      pubsub,
      principal,
      authFailure,
      cache: new RequestCache(),
      limits:
        principal && metering ? { recordsPerCall: (await plans.get(principal.plan)).recordsPerCall } : null,
      warnings: [],
      admission: { admitted: false },
      processedItems: new Map(),
      get em() {
        return (em ??= scopedEm(principal));
      },
      get db() {
        return (db ??= new TenantSql(sql, principal?.organizationId ?? null));
      },
    };
  };

  // The gate's order is the contract: introspection rule, input bounds, shape, cost, admission.
  const gateSteps = [
    introspectionStep,
    inputBoundsStep(schema),
    ...(metering ? [meteringStep({ meter, plans, cost: costCalculator, metrics, quota })] : []),
  ];

  const http = await startHttpServer({
    config,
    log,
    metrics,
    schema,
    gateSteps,
    persisted: { store: persistedStore, authenticate: authenticateHeader },
    apqCache,
    routers: [
      unsubscribeRoutes({
        pool: sql.pool,
        secret: emailLinkKey,
        log,
        changed: (organizationId, campaignId) => campaignChanges.changed(organizationId, campaignId),
      }),
      plivoWebhooks({
        sql: eventSql,
        authToken: config.PLIVO_AUTH_TOKEN,
        publicUrl,
        log,
        changed: callChanged,
      }),
      mailgunWebhooks({
        pool: sql.pool,
        signingKey: config.MAILGUN_WEBHOOK_SIGNING_KEY,
        policy: bouncePolicy,
        log,
        changed: (organizationId, campaignId) => campaignChanges.changed(organizationId, campaignId),
      }),
    ],
    plugins: [
      compiledReads({
        schema,
        model: readModelOf(resolvers, nodeTypes),
        mode: config.READ_PATH,
        sql,
        metrics,
        log,
        cost: metering
          ? {
              argumentCost: relationCost,
              priceData: (document, operation, data, variables) =>
                costCalculator.actual({
                  document,
                  operation,
                  data,
                  requested: Number.MAX_SAFE_INTEGER,
                  variables,
                  limits: { recordsPerCall: 0 },
                  processed: new Map(),
                }),
            }
          : undefined,
      }),
    ],
    onGraphQLResponse: (ctx, bytes) => {
      // Only admitted requests are charged: a refusal's bytes are not the client's usage.
      if (ctx.admission.admitted && ctx.principal) meter.addBytes(ctx.principal.organizationId, bytes);
    },
    ready: async () => (await orm.isConnected()) && (await pendingMigrations(orm)) === 0,
    context: async ({ headers, requestId, clientAddress, principal: known }) => {
      const key = ApiKeyAuthenticator.keyFromHeader(headers.authorization);
      const principal = known !== undefined ? known : await authenticateHeader(headers.authorization);
      const authFailure = key && !principal ? 'The API key is invalid or has been revoked.' : undefined;
      return requestContext(principal, requestId, clientAddress, authFailure);
    },
  });

  const ws = startWebSocketGateway({
    server: http.server,
    schema,
    gateSteps,
    log,
    metrics,
    maxPayloadBytes: config.BODY_LIMIT_BYTES,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    authenticate: authenticateHeader,
    persisted: { store: persistedStore, apq: apqCache },
    context: (principal, requestId) => requestContext(principal, requestId, 'websocket'),
  });
  sender.start();
  periodEnd.start();
  // A revoked key stops at once on every instance: its cached lookup and its sockets go.
  pubsub.listenEverywhere(apiKeyRevokedTopic, (_organizationId, { apiKeyId }) => {
    authenticator.evict(apiKeyId);
    ws.closeKey(apiKeyId);
  });
  pubsub.listenEverywhere(planChangedTopic, (organizationId) =>
    authenticator.evictOrganization(organizationId),
  );

  return {
    port: http.port,
    url: `http://localhost:${http.port}/graphql`,
    orm,
    sql,
    metrics,
    sender,
    billing: { runDue: (now) => periodEnd.runDue(now) },
    close: async () => {
      await periodEnd.stop();
      // Sockets first (1001), then in-flight HTTP requests finish before the pools close.
      await sender.stop();
      simulated?.close();
      campaignChanges.flush();
      await ws.close();
      await http.close();
      quota.close();
      await transport.close();
      await meter.close();
      await orm.close();
      await sql.close();
    },
  };
}

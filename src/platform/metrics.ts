import { createHash, timingSafeEqual } from 'node:crypto';
import client from 'prom-client';

const sha256 = (v: string): Buffer => createHash('sha256').update(v).digest();

/** Whether an Authorization header is `Bearer <token>`; compared in constant time (digests of equal length). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(sha256(given), sha256(token));
}

/** Prometheus metrics of one server instance (its own registry, so tests can run several). */
export class Metrics {
  readonly registry = new client.Registry();
  readonly requests = new client.Counter({
    name: 'workpex_http_requests_total',
    help: 'HTTP requests by route and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new client.Histogram({
    name: 'workpex_http_request_duration_seconds',
    help: 'HTTP request latency by route.',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly webhooks = new client.Counter({
    name: 'workpex_webhook_events_total',
    help: 'Provider webhook requests (Mailgun events, Plivo callbacks) by provider and answer status.',
    labelNames: ['provider', 'status'] as const,
    registers: [this.registry],
  });
  readonly sqlStatements = new client.Counter({
    name: 'workpex_sql_statements_total',
    help: 'SQL statements sent to PostgreSQL (read path and ORM).',
    registers: [this.registry],
  });
  readonly reads = new client.Counter({
    name: 'workpex_query_reads_total',
    help: 'Queries by read path: compiled (one SQL statement per root field) or graphql (graphql-js).',
    labelNames: ['path'] as const,
    registers: [this.registry],
  });
  readonly costSpent = new client.Counter({
    name: 'workpex_cost_spent_total',
    help: 'Actual query cost charged, by plan.',
    labelNames: ['plan'] as const,
    registers: [this.registry],
  });
  readonly refusals = new client.Counter({
    name: 'workpex_usage_refusals_total',
    help: 'Operations refused by a usage limit, by dimension.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly graphqlErrors = new client.Counter({
    name: 'workpex_graphql_errors_total',
    help: 'GraphQL errors returned, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly openSockets = new client.Gauge({
    name: 'workpex_websocket_connections',
    help: 'Open WebSocket connections (graphql-transport-ws).',
    registers: [this.registry],
  });
  readonly activeSubscriptions = new client.Gauge({
    name: 'workpex_active_subscriptions',
    help: 'Live subscriptions on this instance, by root field.',
    labelNames: ['field'] as const,
    registers: [this.registry],
  });
  readonly eventsPublished = new client.Counter({
    name: 'workpex_events_published_total',
    help: 'Events published to the pub/sub transport, by topic.',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly eventsDelivered = new client.Counter({
    name: 'workpex_events_delivered_total',
    help: 'Events handed to a listener on this instance (a group of identical subscriptions, or platform bookkeeping), by topic.',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly eventLag = new client.Histogram({
    name: 'workpex_event_delivery_lag_seconds',
    help: 'From publishing an event to its arrival on this instance, by topic.',
    labelNames: ['topic'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
}

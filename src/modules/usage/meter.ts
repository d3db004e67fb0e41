import type { SqlClient } from '../../platform/db/sql.js';
import { AppError, ErrorCode } from '../../platform/errors.js';

export interface PlanLimits {
  code: string;
  name: string;
  maxCost: number;
  bucketSize: number;
  restoreRate: number;
  apiCallsPerDay: number;
  recordsPerCall: number;
  bandwidthPerDay: number;
  requestsPerSecond: number;
  concurrentRequests: number;
  emailsPerDay: number;
  callsPerDay: number;
  phoneNumbers: number;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxSubscriptions: number;
  partnerAccess: boolean;
}

export type Clock = () => number;

export const DAY = 86_400_000;
export const RATE_WINDOW_MS = 10_000;
const IDLE_BEFORE_FLUSH_MS = 250;
export const dayStart = (now: number) => Math.floor(now / DAY) * DAY;

/** Plans change rarely: read once, kept a few seconds, dropped at once when changed here. */
export class PlanCache {
  private plans = new Map<string, PlanLimits>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly sql: SqlClient,
    private readonly ttlMs = 5_000,
  ) {}

  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  async get(code: string): Promise<PlanLimits> {
    // A plan added since the last load is read at once rather than after the TTL.
    if (Date.now() - this.loadedAt > this.ttlMs || !this.plans.has(code)) {
      this.loading ??= this.load().finally(() => (this.loading = null));
      await this.loading;
    }
    // An unknown plan code is treated as FREE: never unlimited by accident.
    const plan = this.plans.get(code) ?? this.plans.get('FREE');
    if (!plan) throw new Error('The plan table has no FREE plan.');
    return plan;
  }

  async all(): Promise<PlanLimits[]> {
    await this.get('FREE');
    return [...this.plans.values()].sort((a, b) => a.maxCost - b.maxCost);
  }

  private async load(): Promise<void> {
    const rows = await this.sql.query<PlanLimits & Record<string, unknown>>(
      `select code, name, max_cost as "maxCost", bucket_size as "bucketSize", restore_rate as "restoreRate",
              api_calls_per_day as "apiCallsPerDay", records_per_call as "recordsPerCall", bandwidth_per_day as "bandwidthPerDay",
              requests_per_second as "requestsPerSecond", concurrent_requests as "concurrentRequests",
              emails_per_day as "emailsPerDay", calls_per_day as "callsPerDay", phone_numbers as "phoneNumbers",
              max_depth as "maxDepth", max_aliases as "maxAliases", max_root_fields as "maxRootFields",
              max_subscriptions as "maxSubscriptions", partner_access as "partnerAccess"
         from plan`,
    );
    this.plans = new Map(rows.map((r) => [r.code, r]));
    this.loadedAt = Date.now();
  }
}

export interface Admission {
  /** Tokens left in the bucket after reserving the requested cost. */
  remaining: number;
}

interface Pending {
  refund: number;
  bytes: number;
}

/**
 * Shared usage accounting in PostgreSQL. One statement per request admits it: adds the
 * response bytes recorded since the last request, counts the call against the daily and
 * per-second limits, and reserves the requested cost from the bucket, each step only if
 * the previous one passed; row locks make concurrent instances agree exactly. Refunds
 * and byte counts ride along with the organisation's next request (or a periodic flush).
 */
export class Meter {
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Map<string, number>();
  private readonly lastActivity = new Map<string, number>();
  /** The bucket level this instance last saw per organisation, for responses refused before reading it. */
  private readonly seen = new Map<string, { tokens: number; at: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sql: SqlClient,
    readonly clock: Clock,
    flushEveryMs = 500,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushEveryMs);
    this.timer.unref();
  }

  private pendingOf(org: string): Pending {
    if (this.lastActivity.size > 100_000) this.lastActivity.clear();
    this.lastActivity.set(org, Date.now());
    let p = this.pending.get(org);
    if (!p) this.pending.set(org, (p = { refund: 0, bytes: 0 }));
    return p;
  }

  /** Removes and returns what is pending for `org`. */
  private take(org: string): Pending {
    const p = this.pending.get(org) ?? { refund: 0, bytes: 0 };
    this.pending.delete(org);
    return p;
  }

  private giveBack(org: string, bytes: number, refund: number): void {
    const p = this.pendingOf(org);
    p.bytes += bytes;
    p.refund += refund;
  }

  /** Concurrent requests are limited per server instance (documented). */
  enter(org: string, plan: PlanLimits): void {
    const n = this.inFlight.get(org) ?? 0;
    if (n >= plan.concurrentRequests) {
      throw limitError(
        ErrorCode.THROTTLED,
        'CONCURRENT_REQUESTS',
        `At most ${plan.concurrentRequests} concurrent requests.`,
        {
          limit: plan.concurrentRequests,
          used: n,
          retryAfterSeconds: 1,
        },
      );
    }
    this.inFlight.set(org, n + 1);
  }

  leave(org: string): void {
    const n = (this.inFlight.get(org) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(org);
    else this.inFlight.set(org, n);
  }

  refund(org: string, tokens: number): void {
    if (tokens > 0) this.pendingOf(org).refund += tokens;
  }

  addBytes(org: string, bytes: number): void {
    if (bytes > 0) this.pendingOf(org).bytes += bytes;
  }

  async admit(org: string, plan: PlanLimits, cost: number): Promise<Admission> {
    const now = this.clock();
    const day = dayStart(now);
    // Requests per second are averaged over 10 s windows: bursts pass, sustained rates do not.
    const second = Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;
    // Take what is pending before the await, so that concurrent requests never send it twice.
    const { bytes, refund } = this.take(org);
    const restored = `least($9::float8, k.tokens + $12::float8 + $10::float8 * greatest(0, extract(epoch from ($2::timestamptz - k.updated_at))::float8))`;
    const rows = await this.sql
      .query<{
        bandwidth: number;
        calls: number | null;
        rps: number | null;
        tokens: number | null;
        available: number | null;
      }>(
        `with bw as (
         insert into usage_counter as u (organization_id, dimension, period_start, used) values ($1, 'BANDWIDTH', $3, $8::bigint)
         on conflict (organization_id, dimension) do update
           set used = case when u.period_start = excluded.period_start then u.used + excluded.used else excluded.used end,
               period_start = excluded.period_start
         returning used
       ), calls as (
         insert into usage_counter as u (organization_id, dimension, period_start, used)
         select $1, 'API_CALLS', $3, 1 where (select used from bw) < $7::bigint
         on conflict (organization_id, dimension) do update
           set used = case when u.period_start = excluded.period_start then u.used + 1 else 1 end,
               period_start = excluded.period_start
           where u.period_start <> excluded.period_start or u.used < $5::bigint
         returning used
       ), rps as (
         insert into usage_counter as u (organization_id, dimension, period_start, used)
         select $1, 'REQUESTS_PER_SECOND', $4, 1 where exists (select 1 from calls)
         on conflict (organization_id, dimension) do update
           set used = case when u.period_start = excluded.period_start then u.used + 1 else 1 end,
               period_start = excluded.period_start
           where u.period_start <> excluded.period_start or u.used < $6::bigint
         returning used
       ), b as (
         insert into usage_bucket as k (organization_id, tokens, updated_at)
         select $1, $9::float8 - $11::float8, $2 where exists (select 1 from rps) and $9::float8 >= $11::float8
         on conflict (organization_id) do update
           set tokens = ${restored} - $11::float8, updated_at = greatest(k.updated_at, $2::timestamptz)
           where ${restored} >= $11::float8
         returning tokens
       )
       select (select used from bw) as bandwidth, (select used from calls) as calls, (select used from rps) as rps,
              (select tokens from b) as tokens,
              (select ${restored} from usage_bucket k where k.organization_id = $1) as available`,
        [
          org,
          new Date(now),
          new Date(day),
          new Date(second),
          plan.apiCallsPerDay,
          plan.requestsPerSecond * (RATE_WINDOW_MS / 1000),
          plan.bandwidthPerDay,
          bytes,
          plan.bucketSize,
          plan.restoreRate,
          cost,
          refund,
        ],
      )
      .catch((err: unknown) => {
        this.giveBack(org, bytes, refund);
        throw err;
      });
    const r = rows[0];
    // The statement committed: the bytes are counted whatever the outcome; the refund only
    // if the bucket step ran.
    if (r.tokens === null) this.giveBack(org, 0, refund);
    const resetAt = new Date(day + DAY).toISOString();
    const untilTomorrow = Math.ceil((day + DAY - now) / 1000);
    if (Number(r.bandwidth) >= plan.bandwidthPerDay) {
      throw limitError(
        ErrorCode.USAGE_LIMIT_EXCEEDED,
        'BANDWIDTH',
        'The daily response bandwidth is used up.',
        {
          limit: plan.bandwidthPerDay,
          used: Number(r.bandwidth),
          resetAt,
          retryAfterSeconds: untilTomorrow,
        },
      );
    }
    if (r.calls === null) {
      throw limitError(ErrorCode.USAGE_LIMIT_EXCEEDED, 'API_CALLS', 'The daily API call limit is reached.', {
        limit: plan.apiCallsPerDay,
        used: plan.apiCallsPerDay,
        resetAt,
        retryAfterSeconds: untilTomorrow,
      });
    }
    if (r.rps === null) {
      await this.uncount(org, ['API_CALLS']);
      const windowLimit = plan.requestsPerSecond * (RATE_WINDOW_MS / 1000);
      throw limitError(
        ErrorCode.THROTTLED,
        'REQUESTS_PER_SECOND',
        `At most ${plan.requestsPerSecond} requests per second (${windowLimit} per ${RATE_WINDOW_MS / 1000} s).`,
        {
          limit: windowLimit,
          used: windowLimit,
          resetAt: new Date(second + RATE_WINDOW_MS).toISOString(),
          retryAfterSeconds: Math.max(1, Math.ceil((second + RATE_WINDOW_MS - now) / 1000)),
        },
      );
    }
    if (r.tokens === null) {
      await this.uncount(org, ['API_CALLS', 'REQUESTS_PER_SECOND']);
      const available = r.available ?? plan.bucketSize;
      const wait = Math.max(1, Math.ceil((cost - available) / plan.restoreRate));
      throw limitError(
        ErrorCode.THROTTLED,
        'COST',
        `Not enough cost available: ${Math.floor(available)} of ${cost} needed.`,
        {
          limit: plan.bucketSize,
          used: Math.round(plan.bucketSize - available),
          requestedQueryCost: cost,
          currentlyAvailable: Math.floor(available),
          restoreRate: plan.restoreRate,
          resetAt: new Date(now + wait * 1000).toISOString(),
          retryAfterSeconds: wait,
        },
      );
    }
    this.seen.set(org, { tokens: r.tokens, at: now });
    return { remaining: r.tokens };
  }

  /** Takes back a counted call that was then refused (rare path: a second statement). */
  private async uncount(org: string, dimensions: string[]): Promise<void> {
    await this.sql.query(
      `update usage_counter set used = greatest(0, used - 1) where organization_id = $1 and dimension = any($2::text[])`,
      [org, dimensions],
    );
  }

  /**
   * Writes pending refunds and byte counts. The timer writes only organisations idle for a
   * moment (a busy one's values ride on its next request, which leaves no window in which a
   * read misses them); `all` writes everything (shutdown).
   */
  async flush(all = false): Promise<void> {
    const now = this.clock();
    const quiet = Date.now() - IDLE_BEFORE_FLUSH_MS;
    for (const org of [...this.pending.keys()]) {
      if (!all && (this.lastActivity.get(org) ?? 0) > quiet) continue;
      const { refund, bytes } = this.take(org);
      if (refund === 0 && bytes === 0) continue;
      await this.sql
        .query(
          `with bw as (
           insert into usage_counter as u (organization_id, dimension, period_start, used) values ($1, 'BANDWIDTH', $2, $3::bigint)
           on conflict (organization_id, dimension) do update
             set used = case when u.period_start = excluded.period_start then u.used + excluded.used else excluded.used end,
                 period_start = excluded.period_start
         )
         update usage_bucket set tokens = tokens + $4::float8 where organization_id = $1`,
          [org, new Date(dayStart(now)), bytes, refund],
        )
        .catch((err: unknown) => {
          this.giveBack(org, bytes, refund);
          throw err;
        });
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush(true).catch(() => undefined);
  }

  /** Usage of every dimension as stored, plus what this instance has not written yet. */
  async snapshot(
    org: string,
    plan: PlanLimits,
  ): Promise<{ counters: Map<string, { used: number; periodStart: Date }>; available: number }> {
    const now = this.clock();
    const [counters, bucket] = await Promise.all([
      this.sql.query<{ dimension: string; used: number; periodStart: string }>(
        `select dimension, used, period_start as "periodStart" from usage_counter where organization_id = $1`,
        [org],
      ),
      this.sql.query<{ tokens: number; updatedAt: string }>(
        `select tokens, updated_at as "updatedAt" from usage_bucket where organization_id = $1`,
        [org],
      ),
    ]);
    const p = this.pending.get(org);
    const map = new Map(
      counters.map((c) => [c.dimension, { used: Number(c.used), periodStart: new Date(c.periodStart) }]),
    );
    if (p?.bytes) {
      const bw = map.get('BANDWIDTH');
      const current = bw && bw.periodStart.getTime() === dayStart(now);
      map.set('BANDWIDTH', { used: (current ? bw.used : 0) + p.bytes, periodStart: new Date(dayStart(now)) });
    }
    const b = bucket[0];
    return {
      counters: map,
      available: b ? this.restored(b.tokens, new Date(b.updatedAt), plan, org, now) : plan.bucketSize,
    };
  }

  lastKnown(org: string, plan: PlanLimits): number {
    const s = this.seen.get(org);
    return s ? this.restored(s.tokens, new Date(s.at), plan, org) : plan.bucketSize;
  }

  /** Bucket level at `now`: stored tokens plus pending refunds plus the restore since the last write. */
  restored(tokens: number, updatedAt: Date, plan: PlanLimits, org: string, now = this.clock()): number {
    const elapsed = Math.max(0, (now - updatedAt.getTime()) / 1000);
    return Math.min(
      plan.bucketSize,
      tokens + (this.pending.get(org)?.refund ?? 0) + plan.restoreRate * elapsed,
    );
  }
}

export function limitError(
  code:
    typeof ErrorCode.THROTTLED | typeof ErrorCode.USAGE_LIMIT_EXCEEDED | typeof ErrorCode.COST_LIMIT_EXCEEDED,
  dimension: string,
  message: string,
  details: Record<string, unknown>,
): AppError {
  const retry = details.retryAfterSeconds;
  return new AppError(code, message, {
    dimension,
    ...details,
    // Refused before execution: Apollo sends this status and header (and strips `http`).
    http: {
      status: code === ErrorCode.COST_LIMIT_EXCEEDED ? 400 : 429,
      headers: new Map(typeof retry === 'number' ? [['retry-after', String(retry)]] : []),
    },
  });
}

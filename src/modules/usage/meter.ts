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
  /** Monthly price in USD, a decimal string ("49.00"). */
  price: string;
}

export type Clock = () => number;

export const DAY = 86_400_000;
export const RATE_WINDOW_MS = 10_000;
const IDLE_BEFORE_FLUSH_MS = 250;
/** A subscription whose instance has not refreshed it for this long no longer counts. */
export const SUBSCRIPTION_STALE_MS = 60_000;
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
              max_subscriptions as "maxSubscriptions", partner_access as "partnerAccess", price::text as price
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

/** A held concurrent-request place; releasing it twice gives back one place. */
export interface Slot {
  release(): void;
}

interface Pending {
  refund: number;
  bytes: number;
}

export interface AdmissionSubscription {
  id: string;
  apiKeyId: string;
  field: string;
}

/** A request waiting for its organisation's admission statement. */
interface Waiting {
  plan: PlanLimits;
  cost: number;
  subscription: AdmissionSubscription | undefined;
  /** The injected time when the request arrived (null: the database's clock). */
  now: Date | null;
  resolve(admission: Admission): void;
  reject(err: unknown): void;
}

/** One item's answer, in the order sent. */
type AdmissionRow = {
  ordinality: number;
  outcome: 'ADMITTED' | 'BANDWIDTH' | 'API_CALLS' | 'REQUESTS_PER_SECOND' | 'SUBSCRIPTIONS' | 'COST';
  bandwidth: number;
  tokens: number;
  subscriptions: number;
  at: string;
};

/** Requests of one organisation admitted by one statement, at most. */
export const MAX_ADMISSION_BATCH = 64;

/** Requests allowed per rate window. */
const windowLimitOf = (plan: PlanLimits) => plan.requestsPerSecond * (RATE_WINDOW_MS / 1000);

const epochMs = (v: string | Date) => new Date(v).getTime();

/**
 * Shared usage accounting in PostgreSQL. The database admits every request
 * (`wpx_usage_admit_batch`, see its migration): it locks the organisation's bucket, adds the
 * response bytes recorded since the last request, checks the daily calls, the request rate
 * and the bucket, and only if all pass counts the call and reserves the cost. A refused
 * request is never counted. Requests of one organisation that arrive while its statement is
 * in flight are admitted together by the next one, in order (group admission). Refunds and
 * byte counts ride along with the organisation's next statement (or a periodic flush). Times
 * come from the database unless a clock is injected.
 */
export class Meter {
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Map<string, number>();
  private readonly lastActivity = new Map<string, number>();
  /** The bucket level this instance last saw per organisation, for responses refused before reading it. */
  private readonly seen = new Map<string, { tokens: number; at: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;
  /** Ids of the subscriptions this instance holds. */
  private readonly live = new Set<string>();
  /**
   * Organisations with an admission statement in flight, each with the requests that arrived
   * since (they go in its next statement).
   */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    private readonly sql: SqlClient,
    /** Tests inject a clock; without one, periods and the bucket follow the database's clock. */
    private readonly clock?: Clock,
    flushEveryMs = 500,
    /** Most requests one admission statement carries (1: a statement per request). */
    private readonly maxBatch = MAX_ADMISSION_BATCH,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushEveryMs);
    this.timer.unref();
    this.heartbeatTimer = setInterval(
      () => void this.heartbeat().catch(() => undefined),
      SUBSCRIPTION_STALE_MS / 6,
    );
    this.heartbeatTimer.unref();
  }

  /** The injected time, or null to let the database use its own. */
  private injected(): Date | null {
    return this.clock ? new Date(this.clock()) : null;
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

  /** Takes a concurrent-request place (limited per server instance, documented). */
  enter(org: string, plan: PlanLimits): Slot {
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
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        const left = (this.inFlight.get(org) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(org);
        else this.inFlight.set(org, left);
      },
    };
  }

  refund(org: string, tokens: number): void {
    if (tokens > 0) this.pendingOf(org).refund += tokens;
  }

  addBytes(org: string, bytes: number): void {
    if (bytes > 0) this.pendingOf(org).bytes += bytes;
  }

  /**
   * Admits a request, or a subscription when `subscription` is given: it is then also counted
   * against the plan's concurrent subscriptions (across instances) and recorded as live.
   *
   * Group admission: while an admission statement of the organisation is in flight, its next
   * requests wait here and then go together as one statement (`wpx_usage_admit_batch`, at most
   * MAX_ADMISSION_BATCH each), which decides them in order under the organisation's row lock,
   * each exactly as its own statement would. With nothing in flight a request goes at the end
   * of the current turn of the event loop, with every request of the organisation that reached
   * admission in the same turn.
   */
  admit(
    org: string,
    plan: PlanLimits,
    cost: number,
    subscription?: AdmissionSubscription,
  ): Promise<Admission> {
    return new Promise<Admission>((resolve, reject) => {
      const item: Waiting = { plan, cost, subscription, now: this.injected(), resolve, reject };
      const queue = this.waiting.get(org);
      if (queue) {
        queue.push(item);
        return;
      }
      // Sent after the requests the server is handling in this turn of the event loop have
      // queued too (setImmediate: no timer, no wait when idle), so a burst goes as one batch.
      const gathered: Waiting[] = [item];
      this.waiting.set(org, gathered);
      setImmediate(() => {
        this.waiting.set(org, []);
        void this.sendBatches(org, gathered.splice(0, this.maxBatch).concat());
        const rest = gathered;
        if (rest.length) (this.waiting.get(org) as Waiting[]).unshift(...rest);
      });
    });
  }

  /** Sends `batch`, then whatever queued meanwhile, until the organisation's queue is empty. */
  private async sendBatches(org: string, batch: Waiting[]): Promise<void> {
    for (;;) {
      // admitBatch settles every item itself; this only guards the queue against a bug there
      // (settling a settled promise does nothing).
      await this.admitBatch(org, batch).catch((err: unknown) => batch.forEach((w) => w.reject(err)));
      const queue = this.waiting.get(org) ?? [];
      if (!queue.length) {
        this.waiting.delete(org);
        return;
      }
      batch = queue.splice(0, this.maxBatch);
    }
  }

  /** One statement for `batch`; settles every item's promise and never throws. */
  private async admitBatch(org: string, batch: Waiting[]): Promise<void> {
    // Take what is pending before the await, so that concurrent statements never send it twice.
    const { bytes, refund } = this.take(org);
    let rows: AdmissionRow[];
    try {
      rows = await this.sql.query<AdmissionRow>(
        `select o_ordinality as ordinality, o_outcome as outcome, o_bandwidth as bandwidth, o_tokens as tokens,
                o_subscriptions as subscriptions, o_at as at
           from wpx_usage_admit_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          org,
          batch.map((w) => (w.now ? w.now.toISOString() : null)),
          batch.map((w) => w.plan.apiCallsPerDay),
          batch.map((w) => windowLimitOf(w.plan)),
          RATE_WINDOW_MS,
          batch.map((w) => w.plan.bandwidthPerDay),
          bytes,
          batch.map((w) => w.plan.bucketSize),
          batch.map((w) => w.plan.restoreRate),
          batch.map((w) => w.cost),
          refund,
          batch.map((w) => w.subscription?.id ?? null),
          batch.map((w) => w.subscription?.apiKeyId ?? null),
          batch.map((w) => w.subscription?.field ?? null),
          batch.map((w) => w.plan.maxSubscriptions),
          SUBSCRIPTION_STALE_MS,
        ],
      );
      if (rows.length !== batch.length)
        throw new Error(`Admission answered ${rows.length} rows for ${batch.length} requests.`);
    } catch (err) {
      // Nothing was recorded: the bytes and refund go with the next statement, once.
      this.giveBack(org, bytes, refund);
      for (const w of batch) w.reject(err);
      return;
    }
    // The statement committed: bytes and refund are recorded whatever the outcomes.
    const last = rows[rows.length - 1];
    this.seen.set(org, { tokens: last.tokens, at: epochMs(last.at) });
    for (const r of rows) {
      const w = batch[r.ordinality - 1];
      try {
        w.resolve(this.outcome(r, w));
      } catch (err) {
        w.reject(err);
      }
    }
  }

  /** The result of one admitted item, or its refusal thrown as the limit's error. */
  private outcome(r: AdmissionRow, { plan, cost, subscription }: Waiting): Admission {
    const windowLimit = windowLimitOf(plan);
    const now = epochMs(r.at);
    const day = dayStart(now);
    const resetAt = new Date(day + DAY).toISOString();
    const untilTomorrow = Math.ceil((day + DAY - now) / 1000);
    switch (r.outcome) {
      case 'ADMITTED':
        if (subscription) this.live.add(subscription.id);
        return { remaining: r.tokens };
      case 'SUBSCRIPTIONS':
        throw limitError(
          ErrorCode.USAGE_LIMIT_EXCEEDED,
          'SUBSCRIPTIONS',
          `At most ${plan.maxSubscriptions} concurrent subscriptions; end one to start another.`,
          { limit: plan.maxSubscriptions, used: Number(r.subscriptions) },
        );
      case 'BANDWIDTH':
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
      case 'API_CALLS':
        throw limitError(
          ErrorCode.USAGE_LIMIT_EXCEEDED,
          'API_CALLS',
          'The daily API call limit is reached.',
          {
            limit: plan.apiCallsPerDay,
            used: plan.apiCallsPerDay,
            resetAt,
            retryAfterSeconds: untilTomorrow,
          },
        );
      case 'REQUESTS_PER_SECOND': {
        const second = Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;
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
      case 'COST': {
        const available = r.tokens;
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
    }
  }

  /**
   * Writes pending refunds and byte counts. The timer writes only organisations idle for a
   * moment (a busy one's values ride on its next request, which leaves no window in which a
   * read misses them); `all` writes everything (shutdown).
   */
  async flush(all = false): Promise<void> {
    const quiet = Date.now() - IDLE_BEFORE_FLUSH_MS;
    for (const org of [...this.pending.keys()]) {
      if (!all && (this.lastActivity.get(org) ?? 0) > quiet) continue;
      const { refund, bytes } = this.take(org);
      if (refund === 0 && bytes === 0) continue;
      await this.sql
        .query('select wpx_usage_settle($1, $2, $3, $4)', [org, this.injected(), bytes, refund])
        .catch((err: unknown) => {
          this.giveBack(org, bytes, refund);
          throw err;
        });
    }
  }

  /** Ends a live subscription (its place is free at once on every instance); idempotent. */
  async endSubscription(id: string): Promise<void> {
    if (!this.live.delete(id)) return;
    await this.sql.query('delete from active_subscription where id = $1', [id]);
  }

  /** Live subscriptions of `org` across instances (as `usage` shows them). */
  async subscriptions(org: string): Promise<number> {
    const rows = await this.sql.query<{ n: number }>(
      `select count(*) as n from active_subscription
        where organization_id = $1 and heartbeat_at >= coalesce($2::timestamptz, clock_timestamp()) - make_interval(secs => $3::float8 / 1000)`,
      [org, this.injected(), SUBSCRIPTION_STALE_MS],
    );
    return Number(rows[0].n);
  }

  /** Keeps this instance's subscriptions counted (a crashed instance's go stale). */
  private async heartbeat(): Promise<void> {
    if (!this.live.size) return;
    await this.sql.query(
      'update active_subscription set heartbeat_at = coalesce($2::timestamptz, clock_timestamp()) where id = any($1::uuid[])',
      [[...this.live], this.injected()],
    );
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.heartbeatTimer);
    await this.flush(true).catch(() => undefined);
    const live = [...this.live];
    this.live.clear();
    if (live.length)
      await this.sql
        .query('delete from active_subscription where id = any($1::uuid[])', [live])
        .catch(() => undefined);
  }

  /**
   * Usage of every dimension as stored, plus what this instance has not written yet, at
   * `now` (the injected clock or the database's).
   */
  async snapshot(
    org: string,
    plan: PlanLimits,
  ): Promise<{ counters: Map<string, { used: number; periodStart: Date }>; available: number; now: number }> {
    const [counters, bucket] = await Promise.all([
      this.sql.query<{ dimension: string; used: number; periodStart: string }>(
        `select dimension, used, period_start as "periodStart" from usage_counter where organization_id = $1`,
        [org],
      ),
      this.sql.query<{ tokens: number | null; updatedAt: string | null; now: string }>(
        `select k.tokens, k.updated_at as "updatedAt", coalesce($2::timestamptz, clock_timestamp()) as now
           from (select 1) one left join usage_bucket k on k.organization_id = $1`,
        [org, this.injected()],
      ),
    ]);
    const now = epochMs(bucket[0].now);
    const p = this.pending.get(org);
    const map = new Map(
      counters.map((c) => [c.dimension, { used: Number(c.used), periodStart: new Date(c.periodStart) }]),
    );
    if (p?.bytes) {
      const bw = map.get('BANDWIDTH');
      const current = bw && bw.periodStart.getTime() >= dayStart(now);
      map.set('BANDWIDTH', {
        used: (current ? bw.used : 0) + p.bytes,
        periodStart: current ? bw.periodStart : new Date(dayStart(now)),
      });
    }
    const b = bucket[0];
    return {
      counters: map,
      available:
        b.tokens !== null && b.updatedAt !== null
          ? this.restored(b.tokens, epochMs(b.updatedAt), plan, org, now)
          : plan.bucketSize,
      now,
    };
  }

  lastKnown(org: string, plan: PlanLimits): number {
    const s = this.seen.get(org);
    return s ? this.restored(s.tokens, s.at, plan, org, this.clock?.() ?? Date.now()) : plan.bucketSize;
  }

  /** Bucket level at `now`: stored tokens plus pending refunds plus the restore since the last write. */
  private restored(tokens: number, updatedAt: number, plan: PlanLimits, org: string, now: number): number {
    const elapsed = Math.max(0, (now - updatedAt) / 1000);
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

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../src/platform/errors';
import { SqlClient, type Row } from '../src/platform/db/sql';
import { Meter, type Admission, type PlanLimits } from '../src/modules/usage/meter';
import { createTestDatabase, startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { pkOf } from './support/graphql';
import {
  costOf,
  insertPlan,
  limitErrorOf,
  nextUtcMidnight,
  post,
  testClock,
  type PlanRow,
  GENEROUS,
} from './support/usage';

/**
 * Group admission (issue 10 item 5): requests of one organisation that arrive while its admission
 * statement is in flight are admitted together by the next statement, in order, each exactly as
 * its own statement would admit it. Limits stay decided by the database, shared by all instances.
 */

const t = testClock(Date.UTC(2031, 7, 20, 10, 0, 0));
const CHEAP = '{ viewer { organization { id } } }';

const planOf = (code: string, limits: Partial<PlanRow>): PlanLimits => ({
  code,
  name: code,
  price: '0',
  ...GENEROUS,
  ...limits,
});

/** A SqlClient that counts admission statements and can fail chosen ones (1-based, in order sent). */
class ObservedSql extends SqlClient {
  admissions = 0;
  readonly failing = new Set<number>();

  override query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    if (text.includes('wpx_usage_admit')) {
      this.admissions += 1;
      if (this.failing.has(this.admissions)) {
        this.countStatement();
        return Promise.reject(new Error('connection terminated (test)'));
      }
    }
    return super.query<T>(text, params);
  }
}

type Settled = { ok: true; admission: Admission } | { ok: false; error: unknown };
const settle = (p: Promise<Admission>): Promise<Settled> =>
  p.then(
    (admission) => ({ ok: true as const, admission }),
    (error: unknown) => ({ ok: false as const, error }),
  );
/** The refusal's extensions without the HTTP part (what the client sees). */
const refusal = (s: Settled): Record<string, unknown> => {
  if (s.ok) throw new Error(`Expected a refusal, got ${JSON.stringify(s.admission)}`);
  if (!(s.error instanceof AppError)) throw s.error;
  const { http: _http, ...rest } = s.error.extensions;
  void _http;
  return { code: s.error.extensions.code, ...rest };
};

let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  a = await startServer({ databaseUrl, clock: t.clock });
  b = await startServer({ databaseUrl, clock: t.clock });
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const counters = async (org: string) =>
  Object.fromEntries(
    (await a.db('select dimension, used from usage_counter where organization_id = $1', [org])).map((r) => [
      r.dimension as string,
      Number(r.used),
    ]),
  );
const tokens = async (org: string) =>
  Number((await a.db('select tokens from usage_bucket where organization_id = $1', [org]))[0]?.tokens);

describe('Meter with a real database', () => {
  let sql: ObservedSql;
  let meter: Meter;
  beforeEach(() => {
    sql = new ObservedSql(a.databaseUrl, 10);
    meter = new Meter(sql, t.clock, 60_000);
  });
  afterEach(async () => {
    await meter.close();
    await sql.close();
  });

  it('admits 40 concurrent requests of one organisation in 1 statement, counting all 40 exactly', async () => {
    const org = randomUUID();
    const plan = planOf('BATCH', { bucketSize: 1000, restoreRate: 1 });
    const results = await Promise.all(Array.from({ length: 40 }, () => settle(meter.admit(org, plan, 3))));
    expect(results.every((r) => r.ok)).toBe(true);
    // All 40 reached admission in the same turn of the event loop: one batch.
    expect(sql.admissions).toBe(1);
    // In order: each sees the bucket after the ones before it.
    expect(results.map((r) => (r.ok ? r.admission.remaining : null))).toEqual(
      Array.from({ length: 40 }, (_, i) => 1000 - 3 * (i + 1)),
    );
    expect(await counters(org)).toEqual({ API_CALLS: 40, REQUESTS_PER_SECOND: 40, BANDWIDTH: 0 });
    expect(await tokens(org)).toBe(1000 - 3 * 40);
  });

  it('sends the requests of one turn of the event loop together, and queues later ones while that is in flight', async () => {
    const [org1, org2] = [randomUUID(), randomUUID()];
    const plan = planOf('BATCH', {});
    const before = sql.admissions;
    const first = meter.admit(org1, plan, 1);
    const other = meter.admit(org2, plan, 1);
    const sameTurn = meter.admit(org1, plan, 1);
    expect(sql.admissions).toBe(before); // gathered until the end of this turn (no timer)
    await new Promise((resolve) => setImmediate(resolve));
    // One statement per organisation: another organisation is never held back.
    expect(sql.admissions).toBe(before + 2);
    const queued = [meter.admit(org1, plan, 1), meter.admit(org1, plan, 1)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(sql.admissions).toBe(before + 2); // org1's statement is in flight: they wait for it
    await Promise.all([first, other, sameTurn, ...queued]);
    expect(sql.admissions).toBe(before + 3);
    // Idle again: the next request goes at the end of its turn, alone.
    await meter.admit(org1, plan, 1);
    expect(sql.admissions).toBe(before + 4);
    expect((await counters(org1)).API_CALLS).toBe(5);
  });

  it('caps a batch at 64 requests', async () => {
    const org = randomUUID();
    const plan = planOf('BATCH', {});
    const results = await Promise.all(Array.from({ length: 1 + 64 + 10 }, () => meter.admit(org, plan, 1)));
    expect(results).toHaveLength(75);
    expect(sql.admissions).toBe(2); // 64, then 11
    expect((await counters(org)).API_CALLS).toBe(75);
  });

  it('gives each request of a batch its own answer: admitted, refused for COST by earlier items, or by its own plan', async () => {
    const org = randomUUID();
    const P = planOf('P', { bucketSize: 100, restoreRate: 1 });
    // The same organisation, moved to a plan of 3 calls a day between two requests.
    const Q = planOf('Q', { bucketSize: 100, restoreRate: 1, apiCallsPerDay: 3 });
    const sent: [PlanLimits, number][] = [
      [P, 30], // 70 left
      [P, 30], // 40 left
      [P, 30], // 10 left
      [Q, 5], // 3 calls already today: API_CALLS
      [P, 30], // only 10 left: COST
      [P, 5], // 5 left
      [P, 40], // only 5 left: COST
      [P, 5], // 0 left
    ];
    const results = await Promise.all(sent.map(([plan, cost]) => settle(meter.admit(org, plan, cost))));
    expect(sql.admissions).toBe(1);
    const midnight = nextUtcMidnight(t.now);
    expect(results.map((r) => (r.ok ? r.admission.remaining : refusal(r).dimension))).toEqual([
      70,
      40,
      10,
      'API_CALLS',
      'COST',
      5,
      'COST',
      0,
    ]);
    expect(refusal(results[3])).toMatchObject({
      code: 'USAGE_LIMIT_EXCEEDED',
      dimension: 'API_CALLS',
      limit: 3,
      used: 3,
      resetAt: midnight.toISOString(),
      retryAfterSeconds: Math.ceil((midnight.getTime() - t.now) / 1000),
    });
    expect(refusal(results[4])).toEqual({
      code: 'THROTTLED',
      dimension: 'COST',
      limit: 100,
      used: 90,
      requestedQueryCost: 30,
      currentlyAvailable: 10,
      restoreRate: 1,
      resetAt: new Date(t.now + 20_000).toISOString(),
      retryAfterSeconds: 20,
    });
    expect(refusal(results[6])).toMatchObject({
      code: 'THROTTLED',
      dimension: 'COST',
      used: 95,
      requestedQueryCost: 40,
      currentlyAvailable: 5,
      retryAfterSeconds: 35,
    });
    // Refused items counted nothing.
    expect(await counters(org)).toEqual({ API_CALLS: 5, REQUESTS_PER_SECOND: 5, BANDWIDTH: 0 });
    expect(await tokens(org)).toBe(0);
    expect(meter.lastKnown(org, P)).toBe(0);
  });

  it('decides each request of a batch in order, as separate statements would, over the rate window and bandwidth', async () => {
    const org = randomUUID();
    const plan = planOf('RATE', { requestsPerSecond: 1, bandwidthPerDay: 1500 }); // 10 per 10 s window
    meter.addBytes(org, 1000);
    const results = await Promise.all(Array.from({ length: 14 }, () => settle(meter.admit(org, plan, 1))));
    expect(sql.admissions).toBe(1);
    expect(results.map((r) => (r.ok ? 'OK' : refusal(r).dimension))).toEqual([
      ...Array<string>(10).fill('OK'),
      ...Array<string>(4).fill('REQUESTS_PER_SECOND'),
    ]);
    expect(await counters(org)).toEqual({ API_CALLS: 10, REQUESTS_PER_SECOND: 10, BANDWIDTH: 1000 });
    // Bytes recorded before the batch leaves ride on it, once (on its first item).
    const more = [meter.admit(org, plan, 1), meter.admit(org, plan, 1)];
    meter.addBytes(org, 600);
    const next = await Promise.all(more.map(settle));
    expect(next.map((r) => (r.ok ? 'OK' : refusal(r).dimension))).toEqual(['BANDWIDTH', 'BANDWIDTH']);
    expect(refusal(next[1])).toMatchObject({ code: 'USAGE_LIMIT_EXCEEDED', limit: 1500, used: 1600 });
    expect((await counters(org)).BANDWIDTH).toBe(1600);
  });

  it('admits concurrent subscriptions of a batch up to the plan limit, each one counted once', async () => {
    const org = randomUUID();
    const plan = planOf('SUBS', { maxSubscriptions: 2 });
    const subs = Array.from({ length: 5 }, (_, i) => ({
      id: randomUUID(),
      apiKeyId: randomUUID(),
      field: `field${i}`,
    }));
    const results = await Promise.all(subs.map((s) => settle(meter.admit(org, plan, 1, s))));
    expect(sql.admissions).toBe(1);
    expect(results.map((r) => (r.ok ? 'OK' : refusal(r).dimension))).toEqual([
      'OK',
      'OK',
      'SUBSCRIPTIONS',
      'SUBSCRIPTIONS',
      'SUBSCRIPTIONS',
    ]);
    expect(refusal(results[2])).toMatchObject({ code: 'USAGE_LIMIT_EXCEEDED', limit: 2, used: 2 });
    const rows = await a.db('select id from active_subscription where organization_id = $1 order by field', [
      org,
    ]);
    expect(rows.map((r) => r.id)).toEqual([subs[0].id, subs[1].id]);
    await meter.endSubscription(subs[0].id);
    expect(await meter.subscriptions(org)).toBe(1);
  });

  it('fails every request of a batch whose statement fails, and gives its bytes and refund back once', async () => {
    const org = randomUUID();
    const plan = planOf('FAIL', { bucketSize: 1000, restoreRate: 1 });
    sql.failing.add(2);
    const first = settle(meter.admit(org, plan, 10));
    await new Promise((resolve) => setImmediate(resolve)); // its statement is in flight now
    const batch = Array.from({ length: 4 }, () => settle(meter.admit(org, plan, 10)));
    // Pending while the first statement is in flight: they ride on the (failing) batch.
    meter.addBytes(org, 700);
    meter.refund(org, 6);
    expect((await first).ok).toBe(true);
    const failed = await Promise.all(batch);
    expect(failed.map((r) => (r.ok ? 'OK' : (r.error as Error).message))).toEqual(
      Array<string>(4).fill('connection terminated (test)'),
    );
    expect(sql.admissions).toBe(2);
    expect(await counters(org)).toEqual({ API_CALLS: 1, REQUESTS_PER_SECOND: 1, BANDWIDTH: 0 });
    // The next statement carries them, once.
    const after = await meter.admit(org, plan, 10);
    expect(after.remaining).toBe(1000 - 10 + 6 - 10);
    expect(await counters(org)).toEqual({ API_CALLS: 2, REQUESTS_PER_SECOND: 2, BANDWIDTH: 700 });
  });
});

describe('wpx_usage_admit_batch against wpx_usage_admit', () => {
  /** A small deterministic generator (mulberry32), so a failure can be replayed. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  interface Item {
    now: string;
    calls: number;
    window: number;
    bandwidth: number;
    bucket: number;
    restore: number;
    cost: number;
    subscription: string | null;
    apiKey: string | null;
    field: string | null;
    subscriptions: number;
  }
  const state = async (org: string) => ({
    counters: await a.db(
      'select dimension, period_start, used from usage_counter where organization_id = $1 order by dimension',
      [org],
    ),
    bucket: await a.db('select tokens, updated_at from usage_bucket where organization_id = $1', [org]),
    subscriptions: Number(
      (await a.db('select count(*) as n from active_subscription where organization_id = $1', [org]))[0].n,
    ),
  });

  it.each([1, 2, 3, 4, 5, 6])(
    'decides a batch exactly as one statement per item, in order (seed %i)',
    async (seedNo) => {
      const rnd = random(seedNo);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
      // Near midnight and across rate windows; times may step back (instances' clocks differ).
      let now = Date.UTC(2031, 7, 20, 23, 59, 40) + Math.floor(rnd() * 1000);
      const items: Item[] = Array.from({ length: 40 }, () => {
        now += pick([0, 0, 1, 250, 1500, 4000, -3000]);
        const sub = rnd() < 0.2;
        return {
          now: new Date(now).toISOString(),
          calls: pick([12, 25, 1000]),
          window: pick([4, 8, 1000]),
          bandwidth: pick([400, 100_000]),
          bucket: pick([60, 100]),
          restore: pick([1, 5]),
          cost: pick([1, 5, 20, 45]),
          subscription: sub ? randomUUID() : null,
          apiKey: sub ? randomUUID() : null,
          field: sub ? 'quotaChanged' : null,
          subscriptions: pick([1, 3]),
        };
      });
      const [bytes, refund] = [pick([0, 300, 500]), pick([0, 7.5])];
      const [single, batched] = [randomUUID(), randomUUID()];
      const one: Record<string, unknown>[] = [];
      for (const [i, it] of items.entries()) {
        const rows = await a.db(
          `select o_outcome, o_bandwidth, o_calls, o_window, o_tokens, o_subscriptions, o_at
             from wpx_usage_admit($1, $2, $3, $4, 10000, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 60000)`,
          [
            single,
            it.now,
            it.calls,
            it.window,
            it.bandwidth,
            i === 0 ? bytes : 0,
            it.bucket,
            it.restore,
            it.cost,
            i === 0 ? refund : 0,
            it.subscription,
            it.apiKey,
            it.field,
            it.subscriptions,
          ],
        );
        one.push(rows[0]);
      }
      const col = <K extends keyof Item>(k: K) => items.map((it) => it[k]);
      const many = await a.db(
        `select o_outcome, o_bandwidth, o_calls, o_window, o_tokens, o_subscriptions, o_at
           from wpx_usage_admit_batch($1, $2, $3, $4, 10000, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 60000)
          order by o_ordinality`,
        [
          batched,
          col('now'),
          col('calls'),
          col('window'),
          col('bandwidth'),
          bytes,
          col('bucket'),
          col('restore'),
          col('cost'),
          refund,
          // Other ids: a subscription's id is unique across organisations.
          col('subscription').map((id) => id && randomUUID()),
          col('apiKey'),
          col('field'),
          col('subscriptions'),
        ],
      );
      expect(many).toEqual(one);
      // Mixed outcomes, or the comparison proves little.
      expect(new Set(one.map((r) => r.o_outcome)).size).toBeGreaterThanOrEqual(3);
      expect(await state(batched)).toEqual(await state(single));
    },
  );
});

describe('two server instances, one organisation, exact limits', () => {
  const K = 30;
  const BURST = 3 * K;
  /** Admission statements both instances sent, seen on their SQL clients. */
  let admissions = 0;
  const observe = (text: string) => {
    if (text.includes('wpx_usage_admit')) admissions += 1;
  };
  beforeAll(async () => {
    a.app.sql.audit(observe);
    b.app.sql.audit(observe);
    await insertPlan(a, 'BATCH_CALLS', { apiCallsPerDay: K });
    await insertPlan(a, 'BATCH_BUCKET', { bucketSize: 2 * K, restoreRate: 1 });
  });
  afterAll(() => {
    a.app.sql.audit(null);
    b.app.sql.audit(null);
  });

  /**
   * BURST concurrent requests, alternating between the instances. A test connection holds the
   * organisation's bucket row meanwhile, so each instance's first admission statement waits and the
   * requests behind it certainly arrive while it is in flight (without the hold, whether requests
   * overlap depends on the machine's speed). Released once both first statements are waiting and
   * the others have had time to arrive.
   */
  const burst = async (org: SeededOrg) => {
    const holder = new pg.Client({ connectionString: a.databaseUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      const held = await holder.query('select 1 from usage_bucket where organization_id = $1 for update', [
        pkOf(org.organizationId),
      ]);
      expect(held.rowCount).toBe(1);
      admissions = 0;
      const all = Promise.all(
        Array.from({ length: BURST }, (_, i) => post(i % 2 ? b : a, { key: org.key, query: CHEAP })),
      );
      const deadline = Date.now() + 10_000;
      while (admissions < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 300));
      await holder.query('commit');
      return { results: await all, statements: admissions };
    } finally {
      await holder.end();
    }
  };

  it(`${BURST} concurrent requests over a plan of ${K} calls a day: exactly ${K} admitted, in fewer statements than requests`, async () => {
    const org = await seed(a).org('Batch calls').onPlan('BATCH_CALLS');
    // Warm both instances' key caches (these two calls count).
    for (const s of [a, b]) expect((await post(s, { key: org.key, query: CHEAP })).status).toBe(200);
    const { results, statements } = await burst(org);
    const admitted = results.filter((r) => r.status === 200);
    expect(admitted).toHaveLength(K - 2);
    expect(admitted.every((r) => r.body.errors === undefined && r.body.data)).toBe(true);
    const midnight = nextUtcMidnight(t.now);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe(String(Math.ceil((midnight.getTime() - t.now) / 1000)));
      expect(limitErrorOf(r)).toMatchObject({
        code: 'USAGE_LIMIT_EXCEEDED',
        dimension: 'API_CALLS',
        limit: K,
        used: K,
        resetAt: midnight.toISOString(),
      });
      expect(costOf(r).actualQueryCost).toBe(0);
    }
    const pk = pkOf(org.organizationId);
    expect((await counters(pk)).API_CALLS).toBe(K);
    // One statement per request before group admission; here each instance's first, then a few batches.
    expect(statements).toBeLessThan(BURST / 3);
  });

  it(`${BURST} concurrent requests over a bucket of ${K} requests: exactly ${K} admitted, the rest THROTTLED for COST`, async () => {
    const org = await seed(a).org('Batch bucket').onPlan('BATCH_BUCKET');
    // Warm both instances' key caches (these two calls count and cost 2 each).
    for (const s of [a, b]) expect((await post(s, { key: org.key, query: CHEAP })).status).toBe(200);
    const { results, statements } = await burst(org);
    const admitted = results.filter((r) => r.status === 200);
    expect(admitted).toHaveLength(K - 2);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('2');
      expect(limitErrorOf(r)).toMatchObject({
        code: 'THROTTLED',
        dimension: 'COST',
        limit: 2 * K,
        used: 2 * K,
        requestedQueryCost: 2,
        currentlyAvailable: 0,
        retryAfterSeconds: 2,
      });
      expect(costOf(r)).toMatchObject({ requestedQueryCost: 2, actualQueryCost: 0 });
    }
    const pk = pkOf(org.organizationId);
    expect((await counters(pk)).API_CALLS).toBe(K);
    expect(await tokens(pk)).toBe(0);
    expect(statements).toBeLessThan(BURST / 3);
  });
});

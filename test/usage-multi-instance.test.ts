import { createTestDatabase, startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { dataOf } from './support/graphql';
import {
  costOf,
  insertPlan,
  limitErrorOf,
  nextUtcMidnight,
  post,
  testClock,
  type UsageResponse,
} from './support/usage';

/**
 * CONTRACT §5: daily dimensions are counted per organisation in the database and shared by all
 * server instances. Two instances on one database, one organisation with 30 calls a day, and a
 * burst of 80 concurrent requests spread over both: exactly 30 get through.
 */
describe('daily API calls shared by two server instances', () => {
  const LIMIT = 30;
  const BURST = 80;
  const t = testClock(Date.UTC(2031, 5, 2, 15, 0, 0));
  let a: TestServer;
  let b: TestServer;
  let org: SeededOrg;
  /** Bytes of every admitted response the organisation received, from either instance (refusals are free). */
  let sent = 0;
  const call = async <T = Record<string, unknown>>(s: TestServer, query: string) => {
    const res = await post<T>(s, { key: org.key, query });
    if (res.status !== 429) sent += res.bytes;
    return res;
  };

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    // No principal cache: the plan switch at the end is seen at once by both instances.
    const env = { API_KEY_CACHE_SECONDS: '0' };
    a = await startServer({ databaseUrl, clock: t.clock, env });
    b = await startServer({ databaseUrl, clock: t.clock, env });
    await insertPlan(a, 'CALLS30', { apiCallsPerDay: LIMIT });
    await insertPlan(a, 'CALLS1000', { apiCallsPerDay: 1000 });
    org = await seed(a).org('Shared').onPlan('CALLS30');
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it(`admits exactly ${LIMIT} of ${BURST} concurrent requests, the rest 429 USAGE_LIMIT_EXCEEDED`, async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        call(
          i % 2 ? b : a,
          i % 3 ? '{ viewer { organization { id } } }' : '{ contacts(first: 5) { nodes { id } } }',
        ),
      ),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    const admitted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    expect(admitted.every((r) => r.body.errors === undefined && r.body.data)).toBe(true);
    expect(admitted).toHaveLength(LIMIT);
    expect(refused).toHaveLength(BURST - LIMIT);
    const midnight = nextUtcMidnight(t.now);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe(String(Math.ceil((midnight.getTime() - t.now) / 1000)));
      expect(limitErrorOf(r)).toMatchObject({
        code: 'USAGE_LIMIT_EXCEEDED',
        dimension: 'API_CALLS',
        limit: LIMIT,
        used: LIMIT,
        resetAt: midnight.toISOString(),
      });
      expect(costOf(r).actualQueryCost).toBe(0);
    }
    // Both instances admitted some: the count really is shared, not per instance.
    const admittedBy = (s: TestServer) =>
      results.filter((r, i) => r.status === 200 && (i % 2 ? b : a) === s).length;
    expect(admittedBy(a)).toBeGreaterThan(0);
    expect(admittedBy(b)).toBeGreaterThan(0);
  });

  it('either instance refuses the next call too', async () => {
    for (const s of [a, b]) {
      const res = await call(s, '{ viewer { organization { id } } }');
      expect(res.status).toBe(429);
      expect(limitErrorOf(res).code).toBe('USAGE_LIMIT_EXCEEDED');
    }
  });

  it(`usage shows ${LIMIT} calls used (read after the plan is raised, from either instance)`, async () => {
    await a.setPlan(org.organizationId, 'CALLS1000');
    type Usage = { usage: { dimensions: { dimension: string; limit: number; used: number }[] } };
    const calls = (r: UsageResponse<Usage>) =>
      dataOf(r).usage.dimensions.find((d) => d.dimension === 'API_CALLS');
    const fromA = await call<Usage>(a, '{ usage { dimensions { dimension limit used } } }');
    // The usage call itself is the 31st.
    expect(calls(fromA)).toEqual({ dimension: 'API_CALLS', limit: 1000, used: LIMIT + 1 });
    const fromB = await call<Usage>(b, '{ usage { dimensions { dimension limit used } } }');
    expect(calls(fromB)).toEqual({ dimension: 'API_CALLS', limit: 1000, used: LIMIT + 2 });
  });

  it('response bytes counted by one instance reach the other within about a second', async () => {
    type Usage = { usage: { dimensions: { dimension: string; used: number }[] } };
    const QUERY = '{ usage { dimensions { dimension used } } }';
    await call(a, '{ contacts(first: 5) { nodes { id name } } viewer { organization { id name } } }');
    const deadline = Date.now() + 1500;
    let seen = -1;
    let expected = 0;
    while (Date.now() < deadline) {
      expected = sent; // every response before this one
      const res = await call<Usage>(b, QUERY);
      seen = dataOf(res).usage.dimensions.find((d) => d.dimension === 'BANDWIDTH')?.used ?? -1;
      if (seen === expected) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(expected);
  });

  describe('concurrent requests of one organisation on both instances', () => {
    const ROUNDS = 12;
    const PARALLEL = 8;
    const BUCKET = 100_000;
    let busy: SeededOrg;
    let busySent = 0;
    const busyCall = async <T = Record<string, unknown>>(s: TestServer, query: string) => {
      const res = await post<T>(s, { key: busy.key, query });
      busySent += res.bytes;
      return res;
    };

    beforeAll(async () => {
      // The clock stays frozen: the bucket does not restore, so its level is exact arithmetic.
      await insertPlan(a, 'BUSY', { bucketSize: BUCKET, restoreRate: 1, bandwidthPerDay: 50_000_000 });
      busy = await seed(a).org('Busy').onPlan('BUSY');
    });

    it(`${ROUNDS} rounds of ${PARALLEL} parallel requests are all admitted, and bytes and refunds add up exactly`, async () => {
      // No contacts: each page requests 2 + 8 = 10 and costs 2 (8 refunded).
      const PAGE = '{ contacts(first: 8) { nodes { id } } }';
      const statuses = new Map<string, number>();
      let requests = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const results = await Promise.all(
          Array.from({ length: PARALLEL }, (_, i) => busyCall(i % 2 ? b : a, PAGE)),
        );
        for (const r of results) {
          const key = `${r.status} ${String(r.body.errors?.[0]?.extensions?.code ?? 'OK')}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (r.status === 200)
            expect(costOf(r)).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 2 });
        }
        requests += PARALLEL;
      }
      expect(Object.fromEntries(statuses)).toEqual({ '200 OK': requests });

      // One request on each instance carries its pending bytes and refunds to the database.
      const CHEAP = '{ viewer { organization { id } } }';
      expect((await busyCall(a, CHEAP)).status).toBe(200);
      const lastB = await busyCall(b, CHEAP);
      expect(lastB.status).toBe(200);
      const before = busySent;
      const res = await busyCall<{ usage: { dimensions: { dimension: string; used: number }[] } }>(
        a,
        '{ usage { dimensions { dimension used } } }',
      );
      expect(res.status).toBe(200);
      // Every byte sent so far, except the last response of b (still pending there).
      const bandwidth = dataOf(res).usage.dimensions.find((d) => d.dimension === 'BANDWIDTH');
      expect(bandwidth?.used).toBe(before - lastB.bytes);
      const after = await busyCall(a, CHEAP);
      const own = costOf(res).actualQueryCost;
      expect(costOf(after).throttleStatus.currentlyAvailable).toBe(BUCKET - 2 * requests - 2 - 2 - own - 2);
    });
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { dataOf, globalIdOf } from './support/graphql';
import {
  costOf,
  insertPlan,
  limitErrorOf,
  metric,
  nextUtcMidnight,
  post,
  queryOfCost,
  readmePlanTable,
  readPlans,
  SEEDED_PLAN_CODES,
  testClock,
  type PlanLimits,
  type UsageResponse,
} from './support/usage';

/**
 * CONTRACT §5 (plans and usage limits), black-box over HTTP. The server runs on an injected
 * clock that only the test moves, so bucket restores, per-second windows and UTC-day resets
 * are exact and nothing sleeps.
 */

// 09:00 UTC on an ordinary day; tests only ever move the clock forward.
const t = testClock(Date.UTC(2031, 2, 14, 9, 0, 0));

/** `{ viewer { organization { id } } }`: two objects, cost 2, no list, so actual = requested. */
const CHEAP = '{ viewer { organization { id } } }';
const CHEAP_COST = 2;

/** Seconds that refill any bucket of this file (checked below); all the tests' advances stay within one day. */
const REFILL = 600;

const UNKNOWN_CONTACT = globalIdOf('Contact', '00000000-0000-4000-8000-000000000000');

let server: TestServer;
/** The plans as the server reads them (`plans` query), by code. */
let plans: Record<string, PlanLimits>;
/** Every authenticated response this file received (checked for extensions.cost and headers at the end). */
const responses: { what: string; res: UsageResponse }[] = [];

async function ask<T = Record<string, unknown>>(
  key: string,
  query: string,
  variables?: Record<string, unknown>,
  extra: { operationName?: string; headers?: Record<string, string>; record?: boolean } = {},
) {
  const { record = true, ...opts } = extra;
  const res = await post<T>(server, { key, query, variables, ...opts });
  if (record) responses.push({ what: query.slice(0, 80), res: res as UsageResponse });
  return res;
}

/**
 * Sends a request expected to be refused before admission and reports the SQL statements the
 * server sent meanwhile. The usage meter flushes byte counts once a second in the background, so
 * a flush may fall into the window: up to three attempts, the smallest count wins.
 */
async function withoutSql(send: () => Promise<UsageResponse>) {
  let best = Infinity;
  let res: UsageResponse | undefined;
  for (let attempt = 0; attempt < 3 && best > 0; attempt++) {
    const before = await server.sqlStatements();
    res = await send();
    best = Math.min(best, (await server.sqlStatements()) - before);
  }
  return { res: res as UsageResponse, statements: best };
}

/** Creates `n` contacts in one bulk call (one request, whatever the plan's requests per second). */
async function bulkCreate(key: string, contacts: Record<string, unknown>[]) {
  const res = await ask<{ createContacts: { createdCount: number } }>(
    key,
    'mutation($input: CreateContactsInput!) { createContacts(input: $input) { createdCount } }',
    { input: { contacts } },
  );
  expect(dataOf(res).createContacts.createdCount).toBe(contacts.length);
}

beforeAll(async () => {
  server = await startServer({ clock: t.clock, env: { API_KEY_CACHE_SECONDS: '300' } });
  plans = await readPlans(server);
});
afterAll(() => server.close());

describe('max cost per operation, for each seeded plan', () => {
  it('the four seeded plans have the limits of the README table', () => {
    const table = readmePlanTable(readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8'));
    for (const code of SEEDED_PLAN_CODES) {
      const { code: _code, ...limits } = plans[code];
      void _code;
      expect([code, limits]).toEqual([code, table[code]]);
      expect(limits.bucketSize / limits.restoreRate).toBeLessThanOrEqual(REFILL);
      expect(limits.bucketSize).toBeGreaterThanOrEqual(limits.maxCost);
    }
  });

  describe.each(SEEDED_PLAN_CODES)('%s', (code) => {
    let org: SeededOrg;

    beforeAll(async () => {
      org = await seed(server).org(`Max cost ${code}`).onPlan(code);
    });

    it('a query costing exactly the plan maximum runs', async () => {
      const { maxCost, maxRootFields } = plans[code];
      const { query, rootFields } = queryOfCost(maxCost);
      expect(rootFields).toBeLessThanOrEqual(maxRootFields);
      t.advance(REFILL);
      const estimate = await ask<{
        estimateCost: { requestedQueryCost: number; wouldExceed: { dimension: string }[] };
      }>(
        org.key,
        'query($q: String!) { estimateCost(query: $q) { requestedQueryCost wouldExceed { dimension } } }',
        {
          q: query,
        },
      );
      expect(dataOf(estimate).estimateCost.requestedQueryCost).toBe(maxCost);
      expect(dataOf(estimate).estimateCost.wouldExceed).not.toContainEqual({ dimension: 'MAX_COST' });
      t.advance(REFILL);
      const res = await ask(org.key, query);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(Object.keys(res.body.data ?? {})).toHaveLength(rootFields);
      expect(costOf(res)).toMatchObject({ requestedQueryCost: maxCost });
    });

    it('a query costing one more is refused before execution: COST_LIMIT_EXCEEDED, HTTP 400, no SQL', async () => {
      const { maxCost } = plans[code];
      const { query } = queryOfCost(maxCost + 1);
      t.advance(REFILL);
      expect((await ask(org.key, CHEAP)).status).toBe(200); // key and plan caches warm
      const { res, statements } = await withoutSql(() => ask(org.key, query));
      expect(res.status).toBe(400);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(limitErrorOf(res)).toMatchObject({
        code: 'COST_LIMIT_EXCEEDED',
        dimension: 'MAX_COST',
        requestedQueryCost: maxCost + 1,
        maximum: maxCost,
      });
      expect(costOf(res)).toMatchObject({ requestedQueryCost: maxCost + 1, actualQueryCost: 0 });
      expect(statements).toBe(0);
    });
  });
});

describe('depth, alias and root-field limits (FREE plan)', () => {
  let org: SeededOrg;
  beforeAll(async () => {
    org = await seed(server).org('Shapes').onPlan('FREE');
  });

  /**
   * contacts → nodes → company → contacts → …, `depth` fields deep counting the leaf; with
   * `viaFragment` everything below the first field sits in a named fragment.
   */
  function deep(depth: number, viaFragment = false): string {
    const chain = ['contacts(first: 1)', 'nodes', 'company'];
    const leaf = ['totalCount', 'id', 'id'][(depth - 2) % 3];
    const fields = Array.from({ length: depth - 1 }, (_, i) => chain[i % 3]);
    const inner = (k: number): string => (k === fields.length ? leaf : `${fields[k]} { ${inner(k + 1)} }`);
    return viaFragment
      ? `{ ${fields[0]} { ...Rest } } fragment Rest on ContactConnection { ${inner(1)} }`
      : `{ ${inner(0)} }`;
  }

  async function refused(query: string, dimension: string, limit: number, used: number) {
    t.advance(1);
    expect((await ask(org.key, CHEAP)).status).toBe(200);
    const { res, statements } = await withoutSql(() => ask(org.key, query));
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(limitErrorOf(res)).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', dimension, limit, used });
    expect(statements).toBe(0);
    return res;
  }

  async function runs(query: string) {
    t.advance(1);
    const res = await ask(org.key, query);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return res;
  }

  it('the maximum depth runs, one deeper is refused naming DEPTH', async () => {
    const { maxDepth } = plans.FREE;
    await runs(deep(maxDepth));
    const res = await refused(deep(maxDepth + 1), 'DEPTH', maxDepth, maxDepth + 1);
    expect(res.body.errors?.[0].message).toMatch(/depth/i);
  });

  it('fragments do not hide depth', async () => {
    const { maxDepth } = plans.FREE;
    await runs(deep(maxDepth, true));
    await refused(deep(maxDepth + 2, true), 'DEPTH', maxDepth, maxDepth + 2);
  });

  it('the maximum number of aliases runs, one more is refused naming ALIASES', async () => {
    const { maxAliases } = plans.FREE;
    const aliases = (n: number) =>
      `{ viewer { ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} } }`;
    await runs(aliases(maxAliases));
    const res = await refused(aliases(maxAliases + 1), 'ALIASES', maxAliases, maxAliases + 1);
    expect(res.body.errors?.[0].message).toMatch(/alias/i);
  });

  it('the maximum number of root fields runs, one more is refused naming ROOT_FIELDS', async () => {
    const { maxRootFields, maxAliases } = plans.FREE;
    expect(maxRootFields + 1).toBeLessThanOrEqual(maxAliases);
    const roots = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `r${i}: viewer { organization { id } }`).join(' ')} }`;
    await runs(roots(maxRootFields));
    const res = await refused(roots(maxRootFields + 1), 'ROOT_FIELDS', maxRootFields, maxRootFields + 1);
    expect(res.body.errors?.[0].message).toMatch(/root/i);
  });
});

describe('cost bucket (plan BUCKET: size 100, restores 10/s, max cost 100)', () => {
  let org: SeededOrg;
  /** 2 + 30 nodes, and the org has 30 contacts: actual = requested = 32. */
  const PAGE = '{ contacts(first: 30) { nodes { id } } }';

  beforeAll(async () => {
    await insertPlan(server, 'BUCKET', { bucketSize: 100, restoreRate: 10, maxCost: 100 });
    org = await seed(server).org('Bucket').onPlan('BUCKET');
    await bulkCreate(
      org.key,
      Array.from({ length: 30 }, (_, i) => ({ firstName: `B${i}` })),
    );
    t.advance(100); // full again
  });

  it('three pages drain it; the fourth is THROTTLED with 429, Retry-After and retryAfterSeconds', async () => {
    const available: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ask(org.key, PAGE);
      expect(res.status).toBe(200);
      expect(costOf(res)).toMatchObject({ requestedQueryCost: 32, actualQueryCost: 32 });
      available.push(costOf(res).throttleStatus.currentlyAvailable);
    }
    expect(available).toEqual([68, 36, 4]);

    const res = await ask(org.key, PAGE);
    expect(res.status).toBe(429);
    expect(res.body.data ?? null).toBeNull();
    // ceil((32 − 4) / 10) = 3
    expect(res.headers.get('retry-after')).toBe('3');
    expect(limitErrorOf(res)).toMatchObject({ code: 'THROTTLED', retryAfterSeconds: 3 });
    expect(costOf(res)).toEqual({
      requestedQueryCost: 32,
      actualQueryCost: 0,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 4, restoreRate: 10 },
    });
  });

  it('after 2 of the 3 seconds it is still throttled, retrying after 1 more', async () => {
    t.advance(2);
    const res = await ask(org.key, PAGE);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(limitErrorOf(res)).toMatchObject({ code: 'THROTTLED', retryAfterSeconds: 1 });
    expect(costOf(res).throttleStatus.currentlyAvailable).toBe(24);
  });

  it('once the announced wait has passed the same query runs', async () => {
    t.advance(1);
    const res = await ask(org.key, PAGE);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(costOf(res).throttleStatus.currentlyAvailable).toBe(34 - 32);
  });

  it('currentlyAvailable restores at 10 per second, up to the bucket size', async () => {
    t.advance(4);
    const a = await ask(org.key, CHEAP);
    expect(costOf(a).throttleStatus.currentlyAvailable).toBe(2 + 40 - CHEAP_COST);
    t.advance(0.5);
    const b = await ask(org.key, CHEAP);
    expect(costOf(b).throttleStatus.currentlyAvailable).toBe(40 + 5 - CHEAP_COST);
    t.advance(REFILL);
    const c = await ask(org.key, CHEAP);
    expect(costOf(c).throttleStatus.currentlyAvailable).toBe(100 - CHEAP_COST);
    expect(c.headers.get('ratelimit-remaining')).toBe(String(100 - CHEAP_COST));
  });

  it('a refused request is not counted as an API call', async () => {
    t.advance(REFILL);
    const before = await ask<{ usage: { dimensions: { dimension: string; used: number }[] } }>(
      org.key,
      '{ usage { dimensions { dimension used } } }',
    );
    const calls = (r: typeof before) =>
      dataOf(r).usage.dimensions.find((d) => d.dimension === 'API_CALLS')?.used;
    const big = '{ contacts(first: 98) { nodes { id } } }'; // 100: the whole bucket
    t.advance(REFILL);
    expect((await ask(org.key, big)).status).toBe(200);
    expect((await ask(org.key, big)).status).toBe(429);
    t.advance(REFILL);
    const after = await ask<{ usage: { dimensions: { dimension: string; used: number }[] } }>(
      org.key,
      '{ usage { dimensions { dimension used } } }',
    );
    expect(calls(after)).toBe((calls(before) ?? 0) + 2);
  });
});

describe('requests per second (plan RPS3: 3 a second, averaged over the window usage reports)', () => {
  it('a full window is admitted, the next request is THROTTLED (429, Retry-After) until the window ends', async () => {
    await insertPlan(server, 'RPS3', { requestsPerSecond: 3 });
    const org = await seed(server).org('Rps').onPlan('RPS3');
    t.advance(1);
    const usage = await ask<{
      usage: { dimensions: { dimension: string; limit: number; resetAt: string }[] };
    }>(org.key, '{ usage { dimensions { dimension limit resetAt } } }');
    const rps = dataOf(usage).usage.dimensions.find((d) => d.dimension === 'REQUESTS_PER_SECOND');
    if (!rps) throw new Error('no REQUESTS_PER_SECOND dimension');
    const windowSeconds = rps.limit / 3;
    expect(Number.isInteger(windowSeconds) && windowSeconds >= 1 && windowSeconds <= 10).toBe(true);
    t.set(Date.parse(rps.resetAt)); // the start of the next window
    for (let i = 0; i < rps.limit; i++) expect((await ask(org.key, CHEAP)).status).toBe(200);
    const res = await ask(org.key, CHEAP);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe(String(windowSeconds));
    expect(limitErrorOf(res)).toMatchObject({
      code: 'THROTTLED',
      dimension: 'REQUESTS_PER_SECOND',
      limit: rps.limit,
      retryAfterSeconds: windowSeconds,
      resetAt: new Date(t.now + windowSeconds * 1000).toISOString(),
    });
    t.advance(windowSeconds - 1);
    const still = await ask(org.key, CHEAP);
    expect(still.status).toBe(429);
    expect(still.headers.get('retry-after')).toBe('1');
    t.advance(1);
    expect((await ask(org.key, CHEAP)).status).toBe(200);
  });
});

describe('actual cost and refunds (FREE plan, frozen clock)', () => {
  it('contacts(first: 50) over 3 contacts costs 52 requested, 5 actual; the refund shows in the next response', async () => {
    const { bucketSize: full, restoreRate } = plans.FREE;
    const org = await seed(server).org('Refund').onPlan('FREE');
    await bulkCreate(org.key, [{ firstName: 'A' }, { firstName: 'B' }, { firstName: 'C' }]);
    t.advance(REFILL); // a full bucket; the clock then stays frozen
    const page = await ask(org.key, '{ contacts(first: 50) { nodes { id } } }');
    expect(costOf(page)).toEqual({
      requestedQueryCost: 52,
      actualQueryCost: 5,
      throttleStatus: { maximumAvailable: full, currentlyAvailable: full - 5, restoreRate },
    });
    const next = await ask(org.key, CHEAP);
    // Without the refund of 47 it would read full − 52 − 2.
    expect(costOf(next)).toEqual({
      requestedQueryCost: CHEAP_COST,
      actualQueryCost: CHEAP_COST,
      throttleStatus: { maximumAvailable: full, currentlyAvailable: full - 5 - CHEAP_COST, restoreRate },
    });
    expect(next.headers.get('ratelimit-remaining')).toBe(String(full - 5 - CHEAP_COST));
    const usage = await ask<{ usage: { throttleStatus: { currentlyAvailable: number } } }>(
      org.key,
      '{ usage { throttleStatus { currentlyAvailable } } }',
    );
    // usage reads the bucket with its own requested cost reserved; its response adds back the unused part.
    const own = costOf(usage);
    expect(dataOf(usage).usage.throttleStatus.currentlyAvailable).toBe(
      full - 5 - CHEAP_COST - own.requestedQueryCost,
    );
    expect(own.throttleStatus.currentlyAvailable).toBe(full - 5 - CHEAP_COST - own.actualQueryCost);
  });

  it('null objects and short nested pages are not charged', async () => {
    const org = await seed(server).org('Refund nested').onPlan('FREE');
    await bulkCreate(org.key, [{ firstName: 'Lonely' }]);
    t.advance(REFILL);
    // requested: 2 + 10 + 10 × (company 1 + its contacts 2 + 5) = 92; actual: one contact, no company: 2 + 1 = 3
    const res = await ask(
      org.key,
      '{ contacts(first: 10) { nodes { id company { id contacts(first: 5) { nodes { id } } } } } }',
    );
    expect(costOf(res)).toMatchObject({ requestedQueryCost: 92, actualQueryCost: 3 });
    expect(costOf(res).throttleStatus.currentlyAvailable).toBe(plans.FREE.bucketSize - 3);
  });
});

describe('bandwidth: response bytes per UTC day', () => {
  type Usage = { usage: { dimensions: { dimension: string; limit: number; used: number }[] } };
  const bandwidth = (r: UsageResponse<Usage>) =>
    dataOf(r).usage.dimensions.find((d) => d.dimension === 'BANDWIDTH');

  it('counts the exact bytes of every response sent, errors and multi-byte text included', async () => {
    await insertPlan(server, 'METERED', {});
    const org = await seed(server).org('Bytes').onPlan('METERED');
    t.advance(1);
    let sent = 0;
    const track = async (res: Promise<UsageResponse>) => {
      const r = await res;
      expect(r.headers.get('content-length')).not.toBeNull();
      sent += r.bytes;
      return r;
    };
    await track(
      ask(
        org.key,
        'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }',
        { input: { firstName: 'Zoë', lastName: '日本語テキスト', emails: ['zoe@bytes.test'] } },
      ),
    );
    const page = await track(ask(org.key, '{ contacts(first: 5) { nodes { id name emails } } }'));
    expect(JSON.stringify(page.body)).toContain('日本語テキスト');
    await track(ask(org.key, 'query($id: ID!) { contact(id: $id) { id } }', { id: UNKNOWN_CONTACT }));
    await track(ask(org.key, CHEAP));
    const first = (await track(
      ask<Usage>(org.key, '{ usage { dimensions { dimension limit used } } }'),
    )) as UsageResponse<Usage>;
    // Everything before the usage call, not the usage response itself (not sent yet then).
    expect(bandwidth(first)?.used).toBe(sent - first.bytes);
    const second = await ask<Usage>(org.key, '{ usage { dimensions { dimension limit used } } }');
    expect(bandwidth(second)).toEqual({ dimension: 'BANDWIDTH', limit: 1_000_000_000_000, used: sent });
  });

  it('crossing a small daily allowance refuses the next call with USAGE_LIMIT_EXCEEDED until UTC midnight', async () => {
    const LIMIT = 3000;
    await insertPlan(server, 'BWTINY', { bandwidthPerDay: LIMIT });
    const org = await seed(server).org('Thin pipe').onPlan('BWTINY');
    t.advance(1);
    let sent = 0;
    let refusal: UsageResponse | undefined;
    for (let i = 0; i < 40 && !refusal; i++) {
      const before = sent;
      const res = await ask(
        org.key,
        '{ contacts(first: 3) { totalCount nodes { id } } viewer { organization { id name } } }',
      );
      sent += res.bytes;
      if (before < LIMIT) {
        expect(res.status).toBe(200);
      } else {
        refusal = res;
        expect(limitErrorOf(res)).toMatchObject({ used: before });
      }
    }
    if (!refusal) throw new Error('never refused');
    const midnight = nextUtcMidnight(t.now);
    expect(refusal.status).toBe(429);
    expect(refusal.body.data ?? null).toBeNull();
    expect(limitErrorOf(refusal)).toMatchObject({
      code: 'USAGE_LIMIT_EXCEEDED',
      dimension: 'BANDWIDTH',
      limit: LIMIT,
      resetAt: midnight.toISOString(),
      retryAfterSeconds: Math.ceil((midnight.getTime() - t.now) / 1000),
    });
    expect(refusal.headers.get('retry-after')).toBe(String(Math.ceil((midnight.getTime() - t.now) / 1000)));

    // Still refused until the day turns; a refusal is never charged, so its own bytes do not count.
    const again = await ask(org.key, CHEAP);
    expect(again.status).toBe(429);
    expect(limitErrorOf(again)).toMatchObject({ code: 'USAGE_LIMIT_EXCEEDED', used: sent - refusal.bytes });
    t.set(midnight.getTime() + 1000);
    const fresh = await ask<Usage>(org.key, '{ usage { dimensions { dimension limit used } } }');
    expect(fresh.status).toBe(200);
    // Bytes are written with the next request: the last refusal's may land in the new day.
    expect(bandwidth(fresh)?.used).toBeLessThanOrEqual(again.bytes);
  });
});

describe('concurrent requests of one organisation on one instance', () => {
  const ROUNDS = 12;
  const PARALLEL = 8;
  const BUCKET = 100_000;

  it(`${ROUNDS} rounds of ${PARALLEL} parallel requests are all admitted; bytes and refunds add up exactly`, async () => {
    // The clock stays frozen during the test: the bucket does not restore, its level is exact arithmetic.
    await insertPlan(server, 'BUSY', { bucketSize: BUCKET, restoreRate: 1, bandwidthPerDay: 50_000_000 });
    const org = await seed(server).org('Busy').onPlan('BUSY');
    t.advance(1);
    let sent = 0;
    const call = async <T = Record<string, unknown>>(query: string) => {
      const res = await ask<T>(org.key, query);
      sent += res.bytes;
      return res;
    };
    // No contacts: each page requests 2 + 8 = 10 and costs 2 (8 refunded after the response).
    const PAGE = '{ contacts(first: 8) { nodes { id } } }';
    const statuses = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(Array.from({ length: PARALLEL }, () => call(PAGE)));
      for (const r of results) {
        const key = `${r.status} ${String(r.body.errors?.[0]?.extensions?.code ?? 'OK')}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    }
    const requests = ROUNDS * PARALLEL;
    expect(Object.fromEntries(statuses)).toEqual({ '200 OK': requests });

    const before = sent;
    const res = await call<{ usage: { dimensions: { dimension: string; used: number }[] } }>(
      '{ usage { dimensions { dimension used } } }',
    );
    expect(res.status).toBe(200);
    // Every byte sent before the usage call.
    expect(dataOf(res).usage.dimensions.find((d) => d.dimension === 'BANDWIDTH')?.used).toBe(before);
    const after = await call(CHEAP);
    expect(costOf(after).throttleStatus.currentlyAvailable).toBe(
      BUCKET - 2 * requests - costOf(res).actualQueryCost - CHEAP_COST,
    );
  });
});

describe('daily API calls (plan CALLS20: 20 a day)', () => {
  it('the 21st call is USAGE_LIMIT_EXCEEDED with limit, used and resetAt; the next UTC day starts afresh', async () => {
    await insertPlan(server, 'CALLS20', { apiCallsPerDay: 20 });
    const org = await seed(server).org('Twenty').onPlan('CALLS20');
    t.advance(60);
    for (let i = 0; i < 20; i++) {
      const res = await ask(org.key, i === 0 ? '{ contacts(first: 1) { nodes { id } } }' : CHEAP);
      expect(res.status).toBe(200);
    }
    const midnight = nextUtcMidnight(t.now);
    const wait = Math.ceil((midnight.getTime() - t.now) / 1000);
    for (const query of [CHEAP, '{ usage { plan { code } } }']) {
      const res = await ask(org.key, query);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe(String(wait));
      expect(res.body.data ?? null).toBeNull();
      expect(limitErrorOf(res)).toMatchObject({
        code: 'USAGE_LIMIT_EXCEEDED',
        dimension: 'API_CALLS',
        limit: 20,
        used: 20,
        resetAt: midnight.toISOString(),
        retryAfterSeconds: wait,
      });
    }
    t.set(midnight.getTime() - 1000);
    expect((await ask(org.key, CHEAP)).status).toBe(429);
    t.set(midnight.getTime() + 1);
    const res = await ask<{ usage: { dimensions: Record<string, unknown>[] } }>(
      org.key,
      '{ usage { dimensions { dimension limit used remaining resetAt } } }',
    );
    expect(res.status).toBe(200);
    expect(dataOf(res).usage.dimensions.find((d) => d.dimension === 'API_CALLS')).toEqual({
      dimension: 'API_CALLS',
      limit: 20,
      used: 1,
      remaining: 19,
      resetAt: nextUtcMidnight(t.now).toISOString(),
    });
  });
});

describe('estimateCost', () => {
  let org: SeededOrg;
  beforeAll(async () => {
    t.advance(REFILL);
    org = await seed(server)
      .org('Estimator')
      .onPlan('PROFESSIONAL')
      .withCompanies(2)
      .withContacts(3, { spread: true })
      .withDeals(2, { extra: (_, o) => ({ contactIds: [o.contacts[0].id] }) });
  });

  const cases: {
    name: string;
    query: string;
    variables?: (o: SeededOrg) => Record<string, unknown>;
    operationName?: string;
  }[] = [
    {
      name: 'nested connections',
      query:
        '{ companies(first: 4) { nodes { id name contacts(first: 3) { totalCount nodes { id company { id } } } } } }',
    },
    {
      name: 'variables for first, edges and pageInfo',
      query:
        'query($n: Int, $m: Int) { contacts(first: $n) { edges { cursor node { id deals(first: $m) { nodes { id } } } } pageInfo { hasNextPage } } }',
      variables: () => ({ n: 7, m: 2 }),
    },
    {
      name: 'fragments, inline fragments and node(id)',
      query: `query($id: ID!) { node(id: $id) { ...C } deals(first: 2) { ...D } }
        fragment C on Contact { id company { ...K } }
        fragment K on Company { name contacts(last: 2) { nodes { id } } }
        fragment D on DealConnection { nodes { ... on Deal { id stage { name } pipeline { id } } } }`,
      variables: (o) => ({ id: o.contacts[0].id }),
    },
    {
      name: 'aliases of one field with different arguments',
      query:
        '{ a: contacts(first: 1) { nodes { id } } b: contacts(last: 5) { nodes { id } } c: companies { totalCount } }',
    },
    {
      name: 'plain lists: stages, nodes(ids), search',
      query: `query($ids: [ID!]!) { pipelines(first: 2) { nodes { id stages { id name deals(first: 3) { nodes { id } } } } }
        nodes(ids: $ids) { id } search(text: "First", first: 5) { __typename } }`,
      variables: (o) => ({ ids: [o.contacts[0].id, o.contacts[1].id, o.companies[0].id] }),
    },
    {
      name: 'operationName picks one of several operations',
      query: `query Small { viewer { user { id } } }
        query Large($n: Int!) { contacts(first: $n) { nodes { id owner { id } company { id } } } }`,
      variables: () => ({ n: 12 }),
      operationName: 'Large',
    },
    {
      name: 'a mutation',
      query:
        'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id company { id } } } }',
      variables: () => ({ input: { firstName: 'Estimated', emails: ['estimated@estimator.test'] } }),
    },
    {
      name: 'a bulk mutation',
      query:
        'mutation($input: CreateContactsInput!) { createContacts(input: $input) { createdCount results { index contact { id } } } }',
      variables: () => ({
        input: { contacts: [{ firstName: 'X' }, { firstName: 'Y' }, { firstName: 'Z' }] },
      }),
    },
  ];

  it.each(cases)('equals the requested cost of really running: $name', async (c) => {
    t.advance(1);
    const variables = c.variables?.(org);
    const est = await ask<{ estimateCost: { requestedQueryCost: number; wouldExceed: unknown[] } }>(
      org.key,
      'query($q: String!, $v: JSONObject, $op: String) { estimateCost(query: $q, variables: $v, operationName: $op) { requestedQueryCost wouldExceed { dimension } } }',
      { q: c.query, v: variables ?? null, op: c.operationName ?? null },
    );
    const estimate = dataOf(est).estimateCost;
    expect(estimate.wouldExceed).toEqual([]);
    const run = await ask(org.key, c.query, variables, { operationName: c.operationName });
    expect(run.body.errors).toBeUndefined();
    expect(costOf(run).requestedQueryCost).toBe(estimate.requestedQueryCost);
    expect(estimate.requestedQueryCost).toBeGreaterThan(0);
  });

  it('lists wouldExceed for a query over the plan maximum or with too many aliases', async () => {
    t.advance(1);
    const { maxCost, maxAliases } = plans.PROFESSIONAL;
    const over = queryOfCost(maxCost + 1).query;
    const res = await ask<{
      estimateCost: {
        requestedQueryCost: number;
        maximum: number;
        wouldExceed: { dimension: string; limit: number; requested: number }[];
      };
    }>(
      org.key,
      'query($q: String!) { estimateCost(query: $q) { requestedQueryCost maximum wouldExceed { dimension limit requested } } }',
      { q: over },
    );
    expect(dataOf(res).estimateCost).toEqual({
      requestedQueryCost: maxCost + 1,
      maximum: maxCost,
      wouldExceed: [{ dimension: 'MAX_COST', limit: maxCost, requested: maxCost + 1 }],
    });
    const wide = `{ viewer { ${Array.from({ length: maxAliases + 1 }, (_, i) => `a${i}: __typename`).join(' ')} } }`;
    const res2 = await ask<{
      estimateCost: { wouldExceed: { dimension: string; limit: number; requested: number }[] };
    }>(
      org.key,
      'query($q: String!) { estimateCost(query: $q) { wouldExceed { dimension limit requested } } }',
      { q: wide },
    );
    expect(dataOf(res2).estimateCost.wouldExceed).toEqual([
      { dimension: 'ALIASES', limit: maxAliases, requested: maxAliases + 1 },
    ]);
  });

  it('does not run or charge the estimated operation: the bucket pays only the estimateCost call', async () => {
    const frozen = await seed(server).org('Estimate only').onPlan('FREE');
    t.advance(REFILL);
    const warm = await ask(frozen.key, CHEAP);
    const before = costOf(warm).throttleStatus.currentlyAvailable;
    expect(before).toBe(plans.FREE.bucketSize - CHEAP_COST);
    const est = await ask<{ estimateCost: { requestedQueryCost: number } }>(
      frozen.key,
      'query($q: String!, $v: JSONObject) { estimateCost(query: $q, variables: $v) { requestedQueryCost } }',
      {
        q: 'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }',
        v: { input: { firstName: 'Never written' } },
      },
    );
    expect(dataOf(est).estimateCost.requestedQueryCost).toBe(11);
    const own = costOf(est);
    expect(own.requestedQueryCost).toBe(1);
    expect(own.throttleStatus.currentlyAvailable).toBe(before - own.actualQueryCost);
    const after = await ask(frozen.key, CHEAP);
    expect(costOf(after).throttleStatus.currentlyAvailable).toBe(before - own.actualQueryCost - CHEAP_COST);
    const list = await ask<{ contacts: { totalCount: number } }>(frozen.key, '{ contacts { totalCount } }');
    expect(dataOf(list).contacts.totalCount).toBe(0);
  });
});

describe('usage and changePlan', () => {
  type Item = { dimension: string; limit: number; used: number; remaining: number; resetAt: string | null };
  let org: SeededOrg;
  let memberKey: string;
  beforeAll(async () => {
    org = await seed(server).org('Upgrader').onPlan('FREE');
    t.advance(1);
    memberKey = (await createApiKey(server, org.key, ['READ', 'WRITE'])).key;
  });

  it('usage lists every dimension with limit, used, remaining and resetAt', async () => {
    t.advance(1);
    const enumRes = await ask<{ __type: { enumValues: { name: string }[] } }>(
      org.key,
      '{ __type(name: "UsageDimension") { enumValues { name } } }',
    );
    const all = dataOf(enumRes).__type.enumValues.map((v) => v.name);
    t.advance(1);
    const res = await ask<{
      usage: { plan: Record<string, number | string>; dimensions: Item[] };
    }>(
      org.key,
      `{ usage { plan { code maxCost bucketSize apiCallsPerDay bandwidthPerDay requestsPerSecond recordsPerCall maxDepth maxAliases maxRootFields concurrentRequests phoneNumbers emailsPerDay callsPerDay }
         dimensions { dimension limit used remaining resetAt } } }`,
    );
    const { plan, dimensions } = dataOf(res).usage;
    expect(plan.code).toBe('FREE');
    expect(dimensions.map((d) => d.dimension).sort()).toEqual([...all].sort());
    const byName = new Map(dimensions.map((d) => [d.dimension, d]));
    const limitOf: Record<string, unknown> = {
      API_CALLS: plan.apiCallsPerDay,
      BANDWIDTH: plan.bandwidthPerDay,
      EMAILS: plan.emailsPerDay,
      CALLS_PLACED: plan.callsPerDay,
      COST: plan.bucketSize,
      MAX_COST: plan.maxCost,
      DEPTH: plan.maxDepth,
      ALIASES: plan.maxAliases,
      ROOT_FIELDS: plan.maxRootFields,
      RECORDS_PER_CALL: plan.recordsPerCall,
      CONCURRENT_REQUESTS: plan.concurrentRequests,
      PHONE_NUMBERS: plan.phoneNumbers,
    };
    for (const d of dimensions) {
      if (d.dimension in limitOf) expect([d.dimension, d.limit]).toEqual([d.dimension, limitOf[d.dimension]]);
      expect(d.remaining).toBe(Math.max(0, d.limit - d.used));
    }
    const midnight = nextUtcMidnight(t.now).toISOString();
    for (const daily of ['API_CALLS', 'BANDWIDTH', 'EMAILS', 'CALLS_PLACED']) {
      expect(byName.get(daily)?.resetAt).toBe(midnight);
    }
    // Calls so far: createApiKey, __type, usage itself.
    expect(byName.get('API_CALLS')?.used).toBe(3);
    expect(byName.get('BANDWIDTH')?.used).toBeGreaterThan(0);
    // Requests per second are counted over a window of whole seconds (limit = rate × its length).
    const rps = byName.get('REQUESTS_PER_SECOND');
    if (!rps?.resetAt) throw new Error('REQUESTS_PER_SECOND without resetAt');
    const windowSeconds = rps.limit / Number(plan.requestsPerSecond);
    expect(Number.isInteger(windowSeconds) && windowSeconds >= 1).toBe(true);
    expect(rps.used).toBeGreaterThanOrEqual(1);
    expect(rps.used).toBeLessThanOrEqual(3);
    expect(Date.parse(rps.resetAt)).toBeGreaterThan(t.now);
    expect(Date.parse(rps.resetAt)).toBeLessThanOrEqual(t.now + windowSeconds * 1000);
    expect(byName.get('COST')?.used).toBeGreaterThan(0);
    for (const perOp of ['MAX_COST', 'DEPTH', 'ALIASES', 'ROOT_FIELDS', 'RECORDS_PER_CALL']) {
      expect(byName.get(perOp)?.resetAt).toBeNull();
    }
  });

  it('a non-admin key may not change the plan (FORBIDDEN); an unknown plan is BAD_USER_INPUT', async () => {
    t.advance(1);
    const forbidden = await ask(
      memberKey,
      'mutation { changePlan(input: { plan: "STANDARD" }) { plan { code } } }',
    );
    expect(limitErrorOf(forbidden).code).toBe('FORBIDDEN');
    const unknown = await ask(
      org.key,
      'mutation { changePlan(input: { plan: "PLATINUM" }) { plan { code } } }',
    );
    expect(limitErrorOf(unknown).code).toBe('BAD_USER_INPUT');
    const still = await ask<{ usage: { plan: { code: string } } }>(org.key, '{ usage { plan { code } } }');
    expect(dataOf(still).usage.plan.code).toBe('FREE');
    expect(still.headers.get('ratelimit-limit')).toBe(String(plans.FREE.bucketSize));
  });

  it('changePlan by an admin applies the new limits to the very next request', async () => {
    t.advance(1);
    const changed = await ask<{ changePlan: { plan: { code: string; maxCost: number } } }>(
      org.key,
      'mutation { changePlan(input: { plan: "STANDARD" }) { plan { code maxCost } } }',
    );
    const { bucketSize, restoreRate, maxCost } = plans.STANDARD;
    expect(dataOf(changed).changePlan.plan).toEqual({ code: 'STANDARD', maxCost });
    for (const key of [org.key, memberKey]) {
      const next = await ask<{ usage: { plan: { code: string }; dimensions: Item[] } }>(
        key,
        '{ usage { plan { code } dimensions { dimension limit } } }',
      );
      expect(next.headers.get('ratelimit-limit')).toBe(String(bucketSize));
      expect(next.headers.get('ratelimit-policy')).toBe(
        `${bucketSize};w=${Math.ceil(bucketSize / restoreRate)}`,
      );
      expect(costOf(next).throttleStatus).toMatchObject({ maximumAvailable: bucketSize, restoreRate });
      expect(dataOf(next).usage.plan.code).toBe('STANDARD');
      expect(dataOf(next).usage.dimensions.find((d) => d.dimension === 'MAX_COST')?.limit).toBe(maxCost);
    }
    // A query over FREE's maximum but within STANDARD's now runs.
    t.advance(REFILL);
    const between = plans.FREE.maxCost + 1;
    expect(between).toBeLessThanOrEqual(maxCost);
    const res = await ask(org.key, queryOfCost(between).query);
    expect(res.status).toBe(200);
    expect(costOf(res).requestedQueryCost).toBe(between);
  });
});

describe('X-Workpex-Cost-Debug', () => {
  const QUERY =
    '{ a: contacts(first: 5) { nodes { id } } b: companies(first: 3) { nodes { id owner { id } } } viewer { organization { id } } }';
  let org: SeededOrg;
  let readKey: string;
  beforeAll(async () => {
    org = await seed(server).org('Debugger').onPlan('ENTERPRISE');
    readKey = (await createApiKey(server, org.key, ['READ'])).key;
  });

  it('with an admin key adds the cost of each root field', async () => {
    t.advance(1);
    const res = await ask(org.key, QUERY, undefined, { headers: { 'X-Workpex-Cost-Debug': '1' } });
    expect(res.status).toBe(200);
    const cost = costOf(res);
    expect(cost.fields).toEqual([
      { path: 'a', cost: 7 },
      { path: 'b', cost: 2 + 3 + 3 * 1 },
      { path: 'viewer', cost: 2 },
    ]);
    expect(cost.requestedQueryCost).toBe(7 + 8 + 2);
  });

  it('without the header, or with a non-admin key, there are no per-field costs', async () => {
    t.advance(1);
    const plain = await ask(org.key, QUERY);
    expect(costOf(plain).fields).toBeUndefined();
    const member = await ask(readKey, QUERY, undefined, { headers: { 'X-Workpex-Cost-Debug': '1' } });
    expect(member.status).toBe(200);
    expect(costOf(member).fields).toBeUndefined();
    expect(Object.keys(costOf(member)).sort()).toEqual([
      'actualQueryCost',
      'requestedQueryCost',
      'throttleStatus',
    ]);
  });
});

describe('metrics', () => {
  it('workpex_cost_spent_total and workpex_usage_refusals_total rise', async () => {
    const org = await seed(server).org('Metered').onPlan('FREE');
    await bulkCreate(org.key, [{ firstName: 'M1' }, { firstName: 'M2' }]);
    t.advance(REFILL);
    const spent = await metric(server, 'workpex_cost_spent_total', { plan: 'FREE' });
    const refusedMax = await metric(server, 'workpex_usage_refusals_total', { reason: 'MAX_COST' });
    const refusedAll = await metric(server, 'workpex_usage_refusals_total');
    const res = await ask(org.key, '{ contacts(first: 10) { nodes { id } } }');
    expect(costOf(res).actualQueryCost).toBe(4);
    expect(await metric(server, 'workpex_cost_spent_total', { plan: 'FREE' })).toBe(spent + 4);
    expect((await ask(org.key, queryOfCost(plans.FREE.maxCost + 1).query)).status).toBe(400);
    expect(await metric(server, 'workpex_usage_refusals_total', { reason: 'MAX_COST' })).toBe(refusedMax + 1);
    expect(await metric(server, 'workpex_usage_refusals_total')).toBe(refusedAll + 1);
  });
});

describe('every response carries extensions.cost and the RateLimit headers', () => {
  /** The header values agree with extensions.cost. */
  function expectCostAndHeaders(what: string, res: UsageResponse) {
    const cost = res.body.extensions?.cost as Record<string, unknown> | undefined;
    expect([
      what,
      cost &&
        Object.keys(cost)
          .filter((k) => k !== 'fields')
          .sort(),
    ]).toEqual([what, ['actualQueryCost', 'requestedQueryCost', 'throttleStatus']]);
    const c = costOf(res);
    expect(Object.keys(c.throttleStatus).sort()).toEqual([
      'currentlyAvailable',
      'maximumAvailable',
      'restoreRate',
    ]);
    for (const n of [c.requestedQueryCost, c.actualQueryCost, ...Object.values(c.throttleStatus)]) {
      expect(Number.isInteger(n) && n >= 0).toBe(true);
    }
    expect(c.actualQueryCost).toBeLessThanOrEqual(c.requestedQueryCost);
    const { maximumAvailable: max, currentlyAvailable: now, restoreRate: rate } = c.throttleStatus;
    expect({
      what,
      limit: res.headers.get('ratelimit-limit'),
      remaining: res.headers.get('ratelimit-remaining'),
      reset: res.headers.get('ratelimit-reset'),
      policy: res.headers.get('ratelimit-policy'),
    }).toEqual({
      what,
      limit: String(max),
      remaining: String(now),
      reset: String(Math.ceil((max - now) / rate)),
      policy: `${max};w=${Math.ceil(max / rate)}`,
    });
  }

  it('on every authenticated response of this file: admitted, refused and failed alike', () => {
    const codes = new Set(responses.map((r) => r.res.body.errors?.[0]?.extensions?.code ?? 'OK'));
    for (const code of [
      'OK',
      'COST_LIMIT_EXCEEDED',
      'THROTTLED',
      'USAGE_LIMIT_EXCEEDED',
      'FORBIDDEN',
      'BAD_USER_INPUT',
      'NOT_FOUND',
    ]) {
      expect([code, codes.has(code)]).toEqual([code, true]);
    }
    expect(responses.length).toBeGreaterThan(100);
    for (const { what, res } of responses) expectCostAndHeaders(what, res);
  });

  describe('of requests that fail before execution (authenticated)', () => {
    let org: SeededOrg;
    beforeAll(async () => {
      org = await seed(server).org('Sloppy').onPlan('FREE');
      t.advance(1);
    });

    it('a variable of the wrong type (BAD_USER_INPUT)', async () => {
      const res = await ask(
        org.key,
        'query($n: Int) { contacts(first: $n) { totalCount } }',
        { n: 'many' },
        { record: false },
      );
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expectCostAndHeaders('bad variable', res);
    });

    it('a query that does not validate (GRAPHQL_VALIDATION_FAILED)', async () => {
      const res = await ask(org.key, '{ contacts { noSuchField } }', undefined, { record: false });
      expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expectCostAndHeaders('validation error', res);
    });

    it('a query that does not parse (GRAPHQL_PARSE_FAILED)', async () => {
      const res = await ask(org.key, '{ contacts { ', undefined, { record: false });
      expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expectCostAndHeaders('parse error', res);
    });
  });
});

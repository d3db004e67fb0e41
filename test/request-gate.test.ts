import pg from 'pg';
import { startServer, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { dataOf, pkOf } from './support/graphql';
import type { GraphQLResponse } from './support/server';
import { costOf, insertPlan, limitErrorOf, post, testClock, type UsageResponse } from './support/usage';

/**
 * The one ordered request gate (introspection rule, input bounds, shape, cost, admission)
 * and what it charges, black-box over HTTP with an injected clock.
 */

const t = testClock(Date.UTC(2031, 4, 20, 12, 0, 0));
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ clock: t.clock });
});
afterAll(() => server.close());

const ask = <T = Record<string, unknown>>(key: string, query: string, variables?: Record<string, unknown>) =>
  post<T>(server, { key, query, variables });

/** What the organisation has been charged so far, as stored. */
async function charged(org: SeededOrg) {
  const pk = pkOf(org.organizationId);
  const counters = await server.db(
    `select dimension, used::int from usage_counter where organization_id = $1 order by dimension`,
    [pk],
  );
  const bucket = await server.db('select tokens from usage_bucket where organization_id = $1', [pk]);
  return { counters, tokens: bucket[0]?.tokens };
}

/** Lets the meter's background flush write what earlier admitted requests left pending. */
const settle = () => new Promise((r) => setTimeout(r, 1200));

describe('a request refused at any step of the gate is never charged, counted or given a slot', () => {
  let org: SeededOrg;
  let writeOnly: string;
  beforeAll(async () => {
    await insertPlan(server, 'GATE', {
      maxDepth: 3,
      maxCost: 50,
      concurrentRequests: 1,
      bucketSize: 1000,
      restoreRate: 1,
    });
    org = await seed(server).org('Gatekeepers').onPlan('GATE');
    writeOnly = (await createApiKey(server, org.key, ['WRITE'])).key;
  });

  const refusals: [string, () => Promise<UsageResponse>, string][] = [
    [
      'introspection with a write-only key',
      () => ask(writeOnly, '{ __schema { queryType { name } } }'),
      'FORBIDDEN',
    ],
    [
      'a filter over its bounds',
      () =>
        ask(org.key, 'query($f: ContactFilter) { contacts(filter: $f) { totalCount } }', {
          f: { or: Array.from({ length: 101 }, (_, i) => ({ firstName: { eq: `n${i}` } })) },
        }),
      'BAD_USER_INPUT',
    ],
    [
      'a variable of the wrong type',
      () => ask(org.key, 'query($n: Int) { contacts(first: $n) { totalCount } }', { n: 'ten' }),
      'BAD_USER_INPUT',
    ],
    [
      'a query deeper than the plan',
      () => ask(org.key, '{ contacts { nodes { company { owner { id } } } } }'),
      'COST_LIMIT_EXCEEDED',
    ],
    [
      'a query costlier than the plan',
      () => ask(org.key, '{ contacts(first: 60) { totalCount } }'),
      'COST_LIMIT_EXCEEDED',
    ],
  ];

  it('leaves the daily counters, the request-rate window and the bucket exactly as they were', async () => {
    t.advance(1);
    expect((await ask(org.key, '{ viewer { organization { id } } }')).status).toBe(200);
    await settle();
    const before = await charged(org);
    expect(before.counters.length).toBeGreaterThan(0);
    for (const [what, send, code] of refusals) {
      const res = await send();
      expect([what, res.body.errors?.[0]?.extensions?.code]).toEqual([what, code]);
      expect([what, costOf(res).actualQueryCost]).toEqual([what, 0]);
    }
    await settle();
    expect(await charged(org)).toEqual(before);
  });

  it('gives no concurrency place to a refusal: with one place, the next request is admitted', async () => {
    for (const [, send] of refusals) await send();
    const res = await ask(org.key, '{ viewer { organization { id } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('reaches the per-instance concurrent-request limit: THROTTLED 429 while the place is held', async () => {
    const locker = new pg.Client({ connectionString: server.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table contact in access exclusive mode');
      const held = ask(org.key, '{ contacts(first: 1) { totalCount } }');
      // The held request is admitted, then waits on the lock inside execution.
      await new Promise((r) => setTimeout(r, 300));
      const second = await ask(org.key, '{ viewer { organization { id } } }');
      expect(second.status).toBe(429);
      expect(limitErrorOf(second)).toMatchObject({
        code: 'THROTTLED',
        dimension: 'CONCURRENT_REQUESTS',
        limit: 1,
        used: 1,
      });
      expect(second.headers.get('retry-after')).toBe('1');
      await locker.query('rollback');
      const first = await held;
      expect(first.status).toBe(200);
      expect(dataOf(first)).toEqual({ contacts: { totalCount: 0 } });
    } finally {
      await locker.end();
    }
    expect((await ask(org.key, '{ viewer { organization { id } } }')).status).toBe(200);
  });
});

describe('the cost formula, pinned to hand-computed numbers', () => {
  let key: string;
  beforeAll(async () => {
    ({ key } = await seed(server).org('Pricing').onPlan('ENTERPRISE'));
  });

  // Each number is worked out by hand from the README's cost model.
  const cases: [string, string, number][] = [
    ['a scalar of an object', '{ viewer { organization { id } } }', 2], // viewer 1 + organization 1
    ['__typename', '{ __typename }', 0],
    ['introspection, whatever it selects', '{ __schema { types { name fields { name } } } }', 1],
    ['__type', '{ __type(name: "Contact") { name } }', 1],
    ['a page of scalars', '{ contacts(first: 5) { totalCount nodes { id firstName } } }', 7], // 2 + 5 + 5×0
    ['a page with a to-one object', '{ contacts(first: 5) { nodes { id company { name } } } }', 12], // 2 + 5 + 5×1
    ['the default page size', '{ companies { nodes { id } } }', 22], // 2 + 20
    [
      'the dashboard query',
      '{ companies(first: 20) { nodes { contacts(first: 10) { totalCount nodes { id } } deals(first: 10) { nodes { id stage { name } } } } } }',
      702, // 2 + 20 + 20 × ((2 + 10) + (2 + 10 + 10×1))
    ],
    [
      'a to-one relation filter',
      '{ contacts(first: 5, filter: { company: { name: { eq: "x" } } }) { nodes { id } } }',
      12, // 7 + one EXISTS × 5
    ],
    [
      'nested relation filters',
      '{ deals(filter: { contacts: { some: { company: { name: { eq: "x" } } } } }) { totalCount } }',
      32, // 2 + 20 + two EXISTS × 5
    ],
    ['a mutation', 'mutation { createCompany(input: { name: "x" }) { company { id } } }', 11], // 10 + 1
  ];

  it.each(cases)('%s', async (_what, query, expected) => {
    const est = await ask<{ estimateCost: { requestedQueryCost: number } }>(
      key,
      'query($q: String!) { estimateCost(query: $q) { requestedQueryCost } }',
      { q: query },
    );
    expect(dataOf(est).estimateCost.requestedQueryCost).toBe(expected);
    const res = await ask(key, query);
    expect(costOf(res).requestedQueryCost).toBe(expected);
  });

  it('estimates an operation whose variables hold enum values (coerced once, by the pricing)', async () => {
    const est = await ask<{ estimateCost: { requestedQueryCost: number } }>(
      key,
      'query($q: String!, $v: JSONObject) { estimateCost(query: $q, variables: $v) { requestedQueryCost } }',
      {
        q: 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
        v: { i: { name: 'x', scopes: ['READ', 'WRITE'] } },
      },
    );
    expect(dataOf(est).estimateCost.requestedQueryCost).toBe(10);
  });

  it('charges the real page length: 3 contacts of a first: 50 page cost 2 + 3', async () => {
    const { key: small } = await seed(server).org('Three').onPlan('ENTERPRISE').withContacts(3);
    const res = await ask(small, '{ contacts(first: 50) { nodes { id } } }');
    expect(costOf(res)).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 5 });
  });

  // Both read paths charge it: the compiled one counts it while building, graphql-js's prices the data.
  it.each(['compiled', 'graphql'])(
    'charges an aliased page like any other (%s read path): 3 contacts under `rows: nodes` cost 2 + 3',
    async (readPath) => {
      const other = await startServer({ databaseUrl: server.databaseUrl, env: { READ_PATH: readPath } });
      try {
        const { key: small } = await seed(other)
          .org(`Aliased ${readPath}`)
          .onPlan('ENTERPRISE')
          .withContacts(3);
        const res = await post(other, {
          key: small,
          query: '{ contacts(first: 50) { rows: nodes { id } e: edges { cursor } } }',
        });
        expect(costOf(res)).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 5 });
      } finally {
        await other.close();
      }
    },
  );
});

/** The data of a response that may carry a USAGE_LIMIT_EXCEEDED warning beside it. */
function partial<T>(res: GraphQLResponse<T>): T {
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data;
}

describe('bulk writes are charged for the items they process', () => {
  const contacts = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ firstName: `F${i}`, emails: [`${tag}${i}@bulk.test`] }));
  const CREATE = `mutation($input: CreateContactsInput!) {
    createContacts(input: $input) { processed remaining resumeCursor } }`;

  it('a call that stops at records per call (FREE: 100) costs 10 + 100; its resumption 10 + the rest', async () => {
    const org = await seed(server).org('Stopper').onPlan('FREE');
    t.advance(60);
    const items = contacts(150, 's');
    const first = await ask<{ createContacts: { processed: number; resumeCursor: string } }>(
      org.key,
      CREATE,
      {
        input: { contacts: items },
      },
    );
    expect(partial(first).createContacts.processed).toBe(100);
    expect(costOf(first)).toMatchObject({ requestedQueryCost: 110, actualQueryCost: 110 });
    const rest = await ask<{ createContacts: { processed: number } }>(org.key, CREATE, {
      input: { contacts: items, resumeCursor: partial(first).createContacts.resumeCursor },
    });
    expect(partial(rest).createContacts.processed).toBe(50);
    expect(costOf(rest)).toMatchObject({ requestedQueryCost: 60, actualQueryCost: 60 });
  });

  it('importing 1,000 contacts on FREE in resumed calls fits the bucket and costs one call plus 10 per resumption', async () => {
    const org = await seed(server).org('Importer').onPlan('FREE');
    t.advance(60);
    const items = contacts(1000, 'i');
    let cursor: string | null = null;
    let spent = 0;
    let calls = 0;
    do {
      const res: UsageResponse<{ createContacts: { resumeCursor: string | null } }> = await ask(
        org.key,
        CREATE,
        {
          input: { contacts: items, resumeCursor: cursor },
        },
      );
      expect(res.status).toBe(200);
      cursor = partial(res).createContacts.resumeCursor;
      spent += costOf(res).actualQueryCost;
      calls += 1;
    } while (cursor && calls < 20);
    expect(calls).toBe(10);
    // One unlimited call would cost 10 + 1,000.
    expect(spent).toBe(10 * 10 + 1000);
    const rows = await server.db('select count(*)::int as n from contact where organization_id = $1', [
      pkOf(org.organizationId),
    ]);
    expect(rows[0].n).toBe(1000);
  });

  it('addCampaignRecipients by filter reserves records per call and refunds what it did not add', async () => {
    const org = await seed(server).org('Mailer').onPlan('FREE').withContacts(30);
    t.advance(60);
    const campaign = await ask<{ createCampaign: { campaign: { id: string } } }>(
      org.key,
      'mutation { createCampaign(input: { name: "Autumn", subject: "Hello", fromEmail: "news@mailer.test" }) { campaign { id } } }',
    );
    const campaignId = dataOf(campaign).createCampaign.campaign.id;
    const res = await ask<{ addCampaignRecipients: { processed: number } }>(
      org.key,
      'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { processed } }',
      { input: { campaignId, filter: { firstName: { startsWith: 'First' } } } },
    );
    expect(dataOf(res).addCampaignRecipients.processed).toBe(30);
    expect(costOf(res)).toMatchObject({ requestedQueryCost: 110, actualQueryCost: 40 });
  });
});

describe('usage periods only move forward', () => {
  it('two instances whose clocks straddle midnight by a second never reset the daily count back and forth', async () => {
    const midnight = Date.UTC(2031, 4, 21, 0, 0, 0);
    const ahead = testClock(midnight + 500);
    const behind = testClock(midnight - 500);
    const a = await startServer({ clock: ahead.clock });
    const b = await startServer({ databaseUrl: a.databaseUrl, clock: behind.clock });
    try {
      await insertPlan(a, 'DAILY', {});
      const org = await seed(a).org('Night shift').onPlan('DAILY');
      const calls = async (s: TestServer) => {
        const res = await post<{ usage: { dimensions: { dimension: string; used: number }[] } }>(s, {
          key: org.key,
          query: '{ usage { dimensions { dimension used } } }',
        });
        return dataOf(res).usage.dimensions.find((d) => d.dimension === 'API_CALLS')?.used;
      };
      const start = await calls(a);
      for (let i = 0; i < 3; i++) {
        for (const s of [b, a]) {
          const res = await post(s, { key: org.key, query: '{ viewer { organization { id } } }' });
          expect(res.status).toBe(200);
        }
      }
      // Six calls in between, and the usage call itself.
      expect(await calls(b)).toBe((start ?? 0) + 7);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

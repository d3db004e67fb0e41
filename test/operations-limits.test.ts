import net from 'node:net';
import pg from 'pg';
import { migrationsList } from '../migrations/index';
import { ConfigError, loadConfig } from '../src/platform/config';
import { createTestDatabase, startServer, type GraphQLResponse, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { dataOf } from './support/graphql';

const TOTAL_CONTACTS = '{ contacts { totalCount } }';
const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { key organization { id } } }';
const CREATE_COMPANY =
  'mutation($input: CreateCompanyInput!) { createCompany(input: $input) { company { id name } } }';

interface TableLock {
  /** Ends the locking transaction; safe to call more than once. */
  release(): Promise<void>;
  /** Resolves once some other session waits for this lock. */
  waitedOn(): Promise<void>;
}

/** Another session holds ACCESS EXCLUSIVE on `table`, so every statement of the server that touches it waits. */
async function lockTable(databaseUrl: string, table: string): Promise<TableLock> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query(`lock table ${table} in access exclusive mode`);
  let released: Promise<void> | undefined;
  return {
    release: () => (released ??= client.query('rollback').then(() => client.end())),
    async waitedOn() {
      for (let i = 0; i < 200; i++) {
        const [{ n }] = (await client.query('select count(*)::int as n from pg_locks where not granted'))
          .rows as Array<{ n: number }>;
        if (n > 0) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`nothing waited on the lock of ${table}`);
    },
  };
}

/** POST /graphql with chosen headers (the test helper sends none of its own beyond the key). */
async function post(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
}

let signUps = 0;
const signUp = (server: TestServer, headers: Record<string, string> = {}) => {
  signUps += 1;
  return post(
    server,
    SIGN_UP,
    { input: { organizationName: `Signup ${signUps}`, email: `owner${signUps}@signup.test` } },
    headers,
  );
};

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('statement timeout (DB_STATEMENT_TIMEOUT_MS)', () => {
  const TIMEOUT_MS = 300;
  let server: TestServer;
  let org: SeededOrg;
  beforeAll(async () => {
    server = await startServer({ env: { DB_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) } });
    org = await seed(server).org('Slow Co').withContacts(3);
  });
  afterAll(() => server.close());

  const timeoutError = {
    message: `A database statement ran longer than the ${TIMEOUT_MS} ms limit; narrow the filter or ask for fewer items.`,
    extensions: { code: 'COST_LIMIT_EXCEEDED', dimension: 'STATEMENT_TIMEOUT', limit: TIMEOUT_MS },
  };

  it('cancels a read that waits past the limit with COST_LIMIT_EXCEEDED, no SQL, and frees its connection', async () => {
    const lock = await lockTable(server.databaseUrl, 'contact');
    // Without a timeout the reads would wait for the lock; let them go after a while so the test fails, not hangs.
    const safety = setTimeout(() => void lock.release(), 3_000);
    try {
      // More reads at once than the pool (5) has connections: each connection must come back after its cancel.
      const responses = await Promise.all(
        Array.from({ length: 7 }, () => server.gql(TOTAL_CONTACTS, {}, org.key)),
      );
      for (const res of responses) {
        expect(res.body.errors).toHaveLength(1);
        expect(res.body.errors?.[0]).toMatchObject(timeoutError);
        expect(JSON.stringify(res.body)).not.toMatch(/select|canceling statement|statement timeout/i);
      }
    } finally {
      clearTimeout(safety);
      await lock.release();
    }
    for (let i = 0; i < 12; i++) {
      expect(dataOf(await server.gql(TOTAL_CONTACTS, {}, org.key))).toEqual({ contacts: { totalCount: 3 } });
    }
  });

  it('cancels an ORM write that waits past the limit the same way, writing nothing', async () => {
    const lock = await lockTable(server.databaseUrl, 'company');
    const safety = setTimeout(() => void lock.release(), 3_000);
    let res: GraphQLResponse;
    try {
      res = await server.gql(CREATE_COMPANY, { input: { name: 'Blocked Ltd' } }, org.key);
    } finally {
      clearTimeout(safety);
      await lock.release();
    }
    expect(res.body.errors?.[0]).toMatchObject(timeoutError);
    expect(await server.db("select 1 from company where name = 'Blocked Ltd'")).toEqual([]);
    for (let i = 0; i < 7; i++) {
      dataOf(await server.gql(CREATE_COMPANY, { input: { name: `After ${i}` } }, org.key));
    }
  });
});

describe('one server with the defaults', () => {
  let server: TestServer;
  let org: SeededOrg;
  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Faulty Co').withCompanies(2);
  });
  afterAll(() => server.close());

  it('answers a real database fault with INTERNAL_SERVER_ERROR and no SQL, then recovers', async () => {
    const query = '{ companies { nodes { id name } } }';
    await server.db('alter table company rename column name to name_gone');
    let res: GraphQLResponse;
    try {
      res = await server.gql(query, {}, org.key);
    } finally {
      await server.db('alter table company rename column name_gone to name');
    }
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0].message).toBe('Internal server error');
    expect(res.body.errors?.[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/name_gone|select|relation|does not exist/i);
    expect(
      dataOf(await server.gql<{ companies: { nodes: unknown[] } }>(query, {}, org.key)).companies.nodes,
    ).toHaveLength(2);
  });

  it('puts an organisation created by signUp on the FREE plan', async () => {
    const res = await signUp(server);
    const { key } = dataOf(res as GraphQLResponse<{ signUp: { key: string } }>).signUp;
    const viewer = await server.gql('{ viewer { organization { plan } } usage { plan { code } } }', {}, key);
    expect(dataOf(viewer)).toEqual({
      viewer: { organization: { plan: 'FREE' } },
      usage: { plan: { code: 'FREE' } },
    });
  });

  it('leaves /metrics open without METRICS_TOKEN', async () => {
    const res = await fetch(`${server.origin}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/workpex_sql_statements_total \d+/);
  });
});

describe('METRICS_TOKEN', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => server.close());

  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['the token without the Bearer scheme', TOKEN],
  ])('refuses GET /metrics with %s: 401', async (_, authorization) => {
    const res = await fetch(`${server.origin}/metrics`, {
      headers: authorization ? { authorization } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.text()).not.toMatch(/workpex_/);
  });

  it('serves GET /metrics for "Authorization: Bearer <token>"', async () => {
    const res = await fetch(`${server.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/workpex_http_requests_total/);
  });

  it('refuses a token shorter than 16 characters at start', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
  });
});

describe('the signUp limit per client address (SIGNUP_LIMIT_PER_HOUR=2)', () => {
  const servers: TestServer[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer({ env: { SIGNUP_LIMIT_PER_HOUR: '2', ...env } });
    servers.push(server);
    return server;
  };
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('refuses the third signUp from one address with THROTTLED, HTTP 429 and Retry-After', async () => {
    const server = await start();
    for (let i = 0; i < 2; i++) expect((await signUp(server)).body.errors).toBeUndefined();
    const res = await signUp(server);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body.errors?.[0].extensions).toMatchObject({
      code: 'THROTTLED',
      limit: 2,
      used: 2,
      retryAfterSeconds: Number(res.headers.get('retry-after')),
    });
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: other claimed addresses share the limit', async () => {
    const server = await start();
    for (const address of ['203.0.113.1', '203.0.113.2']) {
      expect((await signUp(server, { 'x-forwarded-for': address })).body.errors).toBeUndefined();
    }
    const res = await signUp(server, { 'x-forwarded-for': '203.0.113.3' });
    expect(res.status).toBe(429);
    expect(res.body.errors?.[0].extensions?.code).toBe('THROTTLED');
  });

  it('counts each X-Forwarded-For address on its own behind a trusted proxy (TRUST_PROXY=loopback)', async () => {
    const server = await start({ TRUST_PROXY: 'loopback' });
    const from = (address: string) => signUp(server, { 'x-forwarded-for': address });
    expect((await from('203.0.113.1')).body.errors).toBeUndefined();
    expect((await from('203.0.113.1')).body.errors).toBeUndefined();
    expect((await from('203.0.113.1')).status).toBe(429);
    // The hop a client adds in front of the proxy's entry is not trusted: the proxy's view counts.
    expect((await from('198.51.100.7, 203.0.113.1')).status).toBe(429);
    expect((await from('203.0.113.2')).body.errors).toBeUndefined();
  });

  it('reads TRUST_PROXY as express does: false, true, a hop count or a list of addresses and subnets', () => {
    const trust = (TRUST_PROXY?: string) => loadConfig({ TRUST_PROXY }).TRUST_PROXY;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8, fd00::1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(() => trust('10.0.0.0/40')).toThrow(/TRUST_PROXY/);
    expect(() => trust('proxy.internal')).toThrow(/TRUST_PROXY/);
  });
});

describe('migrations', () => {
  it('are applied exactly once when several instances start together on an empty database', async () => {
    const databaseUrl = await createTestDatabase();
    const servers = await Promise.allSettled([1, 2, 3].map(() => startServer({ databaseUrl })));
    const started = servers.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      expect(servers.filter((s) => s.status === 'rejected')).toEqual([]);
      const rows = await started[0].db(
        'select name, count(*)::int as n from mikro_orm_migrations group by name order by name',
      );
      expect(rows).toHaveLength(migrationsList.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      for (const server of started) {
        expect((await fetch(`${server.origin}/readyz`)).status).toBe(200);
      }
    } finally {
      await Promise.all(started.map((s) => s.close()));
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, refusing new connections meanwhile', async () => {
    const server = await startServer();
    const org = await seed(server).org('Closing Co').withContacts(2);
    const lock = await lockTable(server.databaseUrl, 'contact');
    const safety = setTimeout(() => void lock.release(), 10_000);
    try {
      const inFlight = server.gql(TOTAL_CONTACTS, {}, org.key);
      await lock.waitedOn();
      const closing = server.app.close();
      let refused = false;
      for (let i = 0; i < 40 && !refused; i++) {
        refused = await portRefuses(server.app.port);
        if (!refused) await new Promise((r) => setTimeout(r, 25));
      }
      expect(refused).toBe(true);
      await lock.release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ data: { contacts: { totalCount: 2 } } });
      await closing;
      expect(await portRefuses(server.app.port)).toBe(true);
    } finally {
      clearTimeout(safety);
      await lock.release();
      // The app is closed already; this ends the helper's own pool (its second app.close may throw).
      await server.close().catch(() => undefined);
    }
  });
});

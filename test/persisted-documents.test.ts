import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, startServer, type GraphQLResponse, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { clientFor, pkOf } from './support/graphql';
import { connect, disposeSockets } from './support/ws';
import { GENEROUS, insertPlan } from './support/usage';

/**
 * Persisted queries (CONTRACT §9): APQ shared by every instance, trusted documents registered from
 * the manifest codegen writes for the repository's own examples, called by id over HTTP and the
 * WebSocket, and persisted-only (partner) keys that run nothing else.
 */

const MANIFEST_FILE = path.join(__dirname, '..', 'examples', 'generated', 'persisted-documents.json');
const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Record<string, string>;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const idOf = (name: string): string => {
  const hash = Object.keys(manifest).find((h) =>
    new RegExp(`\\b(query|mutation|subscription) ${name}\\b`).test(manifest[h]),
  );
  if (!hash) throw new Error(`no ${name} in the manifest`);
  return `sha256:${hash}`;
};

const REGISTER = `mutation($input: RegisterPersistedDocumentsInput!) {
  registerPersistedDocuments(input: $input) {
    registered alreadyRegistered documents { id hash operationName operationType cost depth }
  }
}`;

async function post(
  server: TestServer,
  body: Record<string, unknown>,
  key?: string,
  accept = 'application/graphql-response+json',
): Promise<GraphQLResponse> {
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept,
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
}

async function get(
  server: TestServer,
  params: Record<string, string>,
  key: string,
): Promise<GraphQLResponse> {
  const res = await fetch(`${server.origin}/graphql?${new URLSearchParams(params).toString()}`, {
    headers: { accept: 'application/graphql-response+json', authorization: `Bearer ${key}` },
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse['body'] };
}

const codeOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions?.code;

describe('persisted queries', () => {
  let a: TestServer;
  let b: TestServer;
  let org: SeededOrg;
  let partnerKey: string;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    a = await startServer({ databaseUrl });
    b = await startServer({ databaseUrl });
    org = await seed(a).org('Partner Co').withCompanies(2).withContacts(3);
    partnerKey = (await createApiKey(a, org.key, ['READ', 'WRITE', 'SUBSCRIBE'], 'partner', true)).key;
  });
  afterEach(() => disposeSockets());
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  describe('automatic persisted queries (every client)', () => {
    const query = '{ viewer { organization { name } } }';
    const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

    it('registers on one instance and runs by hash on another (GET and POST)', async () => {
      const hash = sha256(query);
      const first = await post(a, { query, extensions: apq(hash) }, org.key);
      expect(first.body.data).toEqual({ viewer: { organization: { name: 'Partner Co' } } });
      const byHash = await post(b, { extensions: apq(hash) }, org.key);
      expect(byHash.body).toMatchObject({ data: { viewer: { organization: { name: 'Partner Co' } } } });
      const byGet = await get(b, { extensions: JSON.stringify(apq(hash)) }, org.key);
      expect(byGet.body.data).toEqual(first.body.data);
      const rows = await a.db('select count(*)::int as n from apq_document where key = $1', [`apq:${hash}`]);
      expect(rows[0].n).toBe(1);
    });

    it('answers PERSISTED_QUERY_NOT_FOUND for an unknown hash, so the client sends the text', async () => {
      const res = await post(b, { extensions: apq(sha256('{ viewer { user { email } } }')) }, org.key);
      expect(codeOf(res)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.body.data).toBeUndefined();
    });

    it('refuses a hash that is not the query’s', async () => {
      const res = await post(a, { query, extensions: apq(sha256('something else')) }, org.key);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].message).toMatch(/not the SHA-256 of the query/);
      expect(res.body.data).toBeUndefined();
    });
  });

  describe('trusted documents', () => {
    let registered: Array<{ hash: string; operationName: string; operationType: string; cost: number }>;

    beforeAll(async () => {
      const res = await clientFor(a, org.key).data<{
        registerPersistedDocuments: {
          registered: number;
          documents: Array<{ hash: string; operationName: string; operationType: string; cost: number }>;
        };
      }>(REGISTER, { input: { clientName: 'examples', manifest } });
      registered = res.registerPersistedDocuments.documents;
      expect(res.registerPersistedDocuments.registered).toBe(Object.keys(manifest).length);
    });

    it("registers the manifest codegen wrote for the repository's examples, each priced", () => {
      expect(registered.map((d) => d.hash).sort()).toEqual(Object.keys(manifest).sort());
      for (const d of registered) expect(d.cost).toBeGreaterThan(0);
      expect(new Set(registered.map((d) => d.operationType))).toEqual(
        new Set(['QUERY', 'MUTATION', 'SUBSCRIPTION']),
      );
    });

    it('registers again without duplicates', async () => {
      const { registerPersistedDocuments: again } = await clientFor(a, org.key).data<{
        registerPersistedDocuments: { registered: number; alreadyRegistered: number; documents: unknown[] };
      }>(REGISTER, { input: { clientName: 'examples', manifest } });
      expect(again.registered).toBe(0);
      expect(again.alreadyRegistered).toBe(Object.keys(manifest).length);
      expect(again.documents).toHaveLength(Object.keys(manifest).length);
      const rows = await a.db(
        'select count(*)::int as n from persisted_document where organization_id = $1',
        [pkOf(org.organizationId)],
      );
      expect(rows[0].n).toBe(Object.keys(manifest).length);
    });

    it('runs every query by id with a persisted-only key, over POST and GET, on either instance', async () => {
      const contactId = org.contacts[0].id;
      for (const [name, variables] of [
        ['DashboardOverview', {}],
        ['ContactsList', { first: 2 }],
        ['PartnerContact', { id: contactId }],
      ] as const) {
        const viaPost = await post(b, { documentId: idOf(name), variables }, partnerKey);
        expect(viaPost.body.errors).toBeUndefined();
        expect(viaPost.body.data).toBeTruthy();
        expect(viaPost.body.extensions?.cost).toBeDefined();
        const viaGet = await get(
          a,
          { documentId: idOf(name), variables: JSON.stringify(variables) },
          partnerKey,
        );
        expect(viaGet.body.data).toEqual(viaPost.body.data);
      }
    });

    it('runs a mutation by id (POST) with a persisted-only key', async () => {
      const res = await post(
        a,
        {
          documentId: idOf('PartnerUpdateContact'),
          variables: { input: { id: org.contacts[1].id, jobTitle: 'CTO' } },
        },
        partnerKey,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toMatchObject({ updateContact: { contact: { jobTitle: 'CTO' } } });
    });

    it('runs documents by id over the WebSocket: a query and a subscription', async () => {
      const ws = connect(b, partnerKey);
      await ws.connected();
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        ws.client.subscribe(
          { query: '', documentId: idOf('PartnerContact'), variables: { id: org.contacts[0].id } } as never,
          { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result).toMatchObject({ data: { contact: { id: org.contacts[0].id } } });
      const live: unknown[] = [];
      ws.client.subscribe({ query: '', documentId: idOf('CallStatus'), variables: {} } as never, {
        next: (v) => void live.push(v),
        error: () => undefined,
        complete: () => undefined,
      });
      await new Promise((r) => setTimeout(r, 150));
      await clientFor(a, org.key).data(
        'mutation($input: LogCallInput!) { logCall(input: $input) { call { id } } }',
        { input: { direction: 'INBOUND', fromNumber: '+14155550100', toNumber: '+14155550101' } },
      );
      const deadline = Date.now() + 5000;
      while (live.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(live[0]).toMatchObject({ data: { callStatusChanged: { direction: 'INBOUND' } } });
    });

    it('refuses query text from a persisted-only key (HTTP and WebSocket), uncharged', async () => {
      const usage = async () => {
        const { usage: u } = await clientFor(a, org.key).data<{
          usage: { dimensions: Array<{ dimension: string; used: number }> };
        }>('{ usage { dimensions { dimension used } } }');
        return u.dimensions.find((d) => d.dimension === 'API_CALLS')?.used ?? -1;
      };
      const before = await usage();
      const res = await post(a, { query: '{ contacts { totalCount } }' }, partnerKey);
      expect(codeOf(res)).toBe('PERSISTED_QUERY_REQUIRED');
      expect(res.status).toBe(403);
      expect(res.body.data).toBeUndefined();
      // The standard introspection query too: partners introspect nothing.
      expect(codeOf(await post(a, { query: '{ __schema { queryType { name } } }' }, partnerKey))).toBe(
        'PERSISTED_QUERY_REQUIRED',
      );
      // APQ registration is query text as well.
      const text = '{ companies { totalCount } }';
      const apq = { persistedQuery: { version: 1, sha256Hash: sha256(text) } };
      expect(codeOf(await post(a, { query: text, extensions: apq }, partnerKey))).toBe(
        'PERSISTED_QUERY_REQUIRED',
      );
      // A hash another client put in the APQ cache is not a registered document.
      await post(a, { query: text, extensions: apq }, org.key);
      expect(codeOf(await post(a, { extensions: apq }, partnerKey))).toBe('PERSISTED_QUERY_NOT_FOUND');
      // Charged: the second usage query and the admin key's APQ registration; none of the refusals.
      expect(await usage()).toBe(before + 2);

      const socket = connect(b, partnerKey);
      await socket.connected();
      const refused = await socket.subscribe('{ contacts { totalCount } }').refusal();
      expect(refused[0].extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
    });

    it("runs a registered document's APQ hash with a persisted-only key", async () => {
      const hash = idOf('PartnerContact').slice('sha256:'.length);
      const res = await post(
        a,
        {
          extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
          variables: { id: org.contacts[0].id },
        },
        partnerKey,
      );
      expect(res.body.data).toMatchObject({ contact: { id: org.contacts[0].id } });
      // It ran as the registered document: nothing was copied into the shared APQ cache.
      expect(
        await a.db('select count(*)::int as n from apq_document where key = $1', [`apq:${hash}`]),
      ).toEqual([{ n: 0 }]);
    });

    it("refuses another organisation's document, and an unknown id", async () => {
      const other = await seed(a).org('Other Co');
      const otherPartner = (await createApiKey(a, other.key, ['READ'], 'other partner', true)).key;
      const res = await post(a, { documentId: idOf('DashboardOverview') }, otherPartner);
      expect(codeOf(res)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.body.data).toBeUndefined();
      expect(codeOf(await post(a, { documentId: `sha256:${'0'.repeat(64)}` }, partnerKey))).toBe(
        'PERSISTED_QUERY_NOT_FOUND',
      );
      const malformed = await post(a, { documentId: 'md5:abc' }, partnerKey);
      expect(malformed.status).toBe(400);
    });

    it('lists the documents per client with their cost and last use', async () => {
      const { persistedDocuments } = await clientFor(a, org.key).data<{
        persistedDocuments: {
          totalCount: number;
          nodes: Array<{ operationName: string; cost: number; lastUsedAt: string | null; useCount: number }>;
        };
      }>(
        '{ persistedDocuments(filter: { clientName: { eq: "examples" } }, orderBy: [{ field: COST, direction: DESC }]) { totalCount nodes { operationName cost lastUsedAt useCount } } }',
      );
      expect(persistedDocuments.totalCount).toBe(Object.keys(manifest).length);
      const used = persistedDocuments.nodes.find((n) => n.operationName === 'DashboardOverview');
      expect(used?.lastUsedAt).not.toBeNull();
      const costs = persistedDocuments.nodes.map((n) => n.cost);
      expect(costs).toEqual([...costs].sort((x, y) => y - x));
    });
  });

  describe('APQ limits', () => {
    it('keeps at most APQ_MAX_DOCUMENTS, evicting the least recently used', async () => {
      const small = await startServer({ env: { APQ_MAX_DOCUMENTS: '10' } });
      try {
        const o = await seed(small).org('Many Queries Co');
        const texts = Array.from(
          { length: 100 },
          (_, i) => `query Q${i} { viewer { organization { name } } }`,
        );
        for (const t of texts) {
          const res = await post(
            small,
            { query: t, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(t) } } },
            o.key,
          );
          expect(res.body.errors).toBeUndefined();
        }
        const rows = await small.db('select key from apq_document');
        expect(rows).toHaveLength(10);
        // The most recent ones stay.
        expect(rows.map((r) => r.key)).toContain(`apq:${sha256(texts[99])}`);
        expect(rows.map((r) => r.key)).not.toContain(`apq:${sha256(texts[0])}`);
      } finally {
        await small.close();
      }
    });

    it('runs an APQ hash over the WebSocket', async () => {
      const text = '{ viewer { organization { id } } }';
      const hash = sha256(text);
      await post(
        a,
        { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
        org.key,
      );
      const ws = connect(b, org.key);
      await ws.connected();
      const result = await ws
        .execute<{ viewer: { organization: { id: string } } }>('', undefined, 5000)
        .catch(() => null);
      expect(result).toBeNull();
      const byHash = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        ws.client.subscribe(
          { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
          { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
        );
      });
      expect(byHash).toMatchObject({ data: { viewer: { organization: { id: org.organizationId } } } });
      const unknown = await new Promise<unknown>((resolve) => {
        ws.client.subscribe(
          { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('nope') } } },
          { next: () => undefined, error: (e) => resolve(e), complete: () => resolve(null) },
        );
      });
      expect(JSON.stringify(unknown)).toContain('PERSISTED_QUERY_NOT_FOUND');
    });
  });

  describe('registration refusals', () => {
    it('refuses a manifest whose hash is not its document’s, naming it; nothing is stored', async () => {
      const other = await seed(a).org('Sloppy Co');
      const text = 'query Mine { viewer { organization { name } } }';
      const res = await clientFor(a, other.key).call(REGISTER, {
        input: { clientName: 'sloppy', manifest: { [sha256(text)]: text, [sha256('x')]: text } },
      });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors?.[0].extensions?.documents).toEqual([
        expect.objectContaining({ documentId: `sha256:${sha256('x')}` }),
      ]);
      expect(
        await a.db('select count(*)::int as n from persisted_document where hash = $1', [sha256(text)]),
      ).toEqual([{ n: 0 }]);
    });

    it("refuses a document over the plan's max cost, with the numbers", async () => {
      // Enough for the registration itself, not for the dashboard query (86).
      await insertPlan(a, 'TINY_COST', { ...GENEROUS, maxCost: 50 });
      const other = await seed(a).org('Tiny Co').onPlan('TINY_COST');
      const text = manifest[idOf('DashboardOverview').slice(7)];
      const res = await clientFor(a, other.key).call(REGISTER, {
        input: { clientName: 'tiny', manifest: { [sha256(text)]: text } },
      });
      expect(codeOf(res)).toBe('COST_LIMIT_EXCEEDED');
      expect(res.body.errors?.[0].extensions?.documents).toEqual([
        expect.objectContaining({
          documentId: `sha256:${sha256(text)}`,
          dimension: 'MAX_COST',
          limit: 50,
          used: 86,
        }),
      ]);
    });

    it('pushes a manifest with the CLI (npm run persisted:push)', async () => {
      const other = await seed(a).org('Cli Co');
      const text = 'query CliViewer { viewer { organization { name } } }';
      const file = path.join(tmpdir(), `manifest-${process.pid}.json`);
      writeFileSync(file, JSON.stringify({ [sha256(text)]: text }));
      const run = promisify(execFile);
      const { stdout } = await run(
        process.execPath,
        [path.join(__dirname, '..', 'dist', 'scripts', 'persisted-push.js'), file, '--client', 'cli'],
        { env: { ...process.env, WORKPEX_API_KEY: other.key, WORKPEX_URL: `${a.origin}/graphql` } },
      );
      expect(stdout).toContain(`sha256:${sha256(text)}`);
      expect(stdout).toContain('1 registered');
      const res = await post(a, { documentId: `sha256:${sha256(text)}` }, other.key);
      expect(res.body.data).toEqual({ viewer: { organization: { name: 'Cli Co' } } });
    });
  });

  describe('persisted-only keys need partner access', () => {
    it('refuses a partner key once its organisation is on a plan without partner access', async () => {
      const lapsed = await seed(a).org('Lapsed Partner Co');
      const key = (await createApiKey(a, lapsed.key, ['READ'], 'partner', true)).key;
      await a.setPlan(lapsed.organizationId, 'FREE');
      const res = await post(a, { documentId: idOf('DashboardOverview') }, key);
      expect(codeOf(res)).toBe('SUBSCRIPTION_INACTIVE');
      expect(res.body.data).toBeUndefined();
    });

    it('a FREE organisation cannot create one; after changePlan to STANDARD it can', async () => {
      const free = await seed(a).org('Free Partner Co').onPlan('FREE');
      const create = () =>
        clientFor(a, free.key).call(
          'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { persistedOnly } } }',
          { input: { name: 'partner', scopes: ['READ'], persistedOnly: true } },
        );
      const refused = await create();
      expect(refused.body.errors?.[0].extensions).toMatchObject({
        code: 'SUBSCRIPTION_INACTIVE',
        plan: 'FREE',
        plansWithFeature: expect.arrayContaining(['STANDARD', 'PROFESSIONAL', 'ENTERPRISE']),
      });
      const partnerKeys = () =>
        a.db('select count(*)::int as n from api_key where organization_id = $1 and persisted_only', [
          pkOf(free.organizationId),
        ]);
      expect(await partnerKeys()).toEqual([{ n: 0 }]);
      await clientFor(a, free.key).data(
        'mutation { changePlan(input: { plan: "STANDARD" }) { plan { code } } }',
      );
      const allowed = await create();
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.body.data).toEqual({ createApiKey: { apiKey: { persistedOnly: true } } });
      expect(await partnerKeys()).toEqual([{ n: 1 }]);
    });
  });
});

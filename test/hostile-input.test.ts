import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isInputObjectType,
  type IntrospectionQuery,
} from 'graphql';
import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';

/**
 * Hostile and malformed input, black-box over HTTP against a FREE organisation: every case
 * is answered fast with a typed error (or data), never a 5xx, a stack trace or SQL text, and
 * the server keeps answering afterwards (README "HTTP status codes", "Bounds on every input").
 */

const ROOT = path.resolve(__dirname, '..');
const GENERATED = path.join(ROOT, 'examples', 'generated');
/** "Within a few seconds": every answer of this file, the code generator's run excepted. */
const FAST_MS = 5000;
const CONTACTS = 5;

interface Body<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

interface Answer<T = Record<string, unknown>> {
  status: number;
  /** The raw response text; `body` is it parsed, when it is JSON. */
  text: string;
  body: Body<T> | undefined;
  ms: number;
}

type Filter = { [field: string]: unknown };

let server: TestServer;
let org: SeededOrg;

/** POSTs a raw body to /graphql (the FREE key unless `key: null`), timing the answer. */
async function send<T = Record<string, unknown>>(
  body: string | FormData | undefined,
  opts: { key?: string | null; contentType?: string | null; accept?: string } = {},
): Promise<Answer<T>> {
  const key = opts.key === undefined ? org.key : opts.key;
  const contentType = opts.contentType === undefined ? 'application/json' : opts.contentType;
  const started = performance.now();
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: {
      accept: opts.accept ?? 'application/graphql-response+json',
      ...(contentType ? { 'content-type': contentType } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let parsed: Body<T> | undefined;
  try {
    parsed = JSON.parse(text) as Body<T>;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, text, body: parsed, ms };
}

const ask = <T = Record<string, unknown>>(
  query: unknown,
  variables?: Record<string, unknown>,
  opts: { key?: string | null; accept?: string } = {},
) => send<T>(JSON.stringify({ query, variables }), opts);

const LEAKS: [string, RegExp][] = [
  ['stack trace', /\bat [\w.<>]+ \(|\.[cm]?[jt]s:\d+:\d+|stacktrace|node_modules/i],
  [
    'SQL',
    /\b(select|insert|update|delete)\b[^"]{0,200}\b(from|into|set|where)\b|SQLSTATE|syntax error at or near|invalid byte sequence|pg_catalog/i,
  ],
];

/** Internals a client must never see, looked for in the errors (or the whole text if not JSON). */
function leaksIn(a: Answer<unknown>): string[] {
  const text = a.body ? JSON.stringify(a.body.errors ?? []) : a.text;
  return LEAKS.filter(([, re]) => re.test(text)).map(([what]) => `${what}: ${text.slice(0, 300)}`);
}

/** Fast, below 500, nothing internal in the errors. */
function expectSafe(a: Answer<unknown>): void {
  expect(a.status).toBeLessThan(500);
  expect(a.ms).toBeLessThan(FAST_MS);
  expect(leaksIn(a)).toEqual([]);
}

/** Refused as a whole with `code` (and these extensions), no data, `status` (400 by default); fast, nothing internal. */
function expectRefused(
  a: Answer<unknown>,
  code: string,
  extensions: Record<string, unknown> = {},
  status = 400,
) {
  expect({
    status: a.status,
    data: a.body?.data ?? null,
    error: a.body?.errors?.[0]?.extensions,
  }).toMatchObject({
    status,
    data: null,
    error: { code, ...extensions },
  });
  expectSafe(a);
}

/** A JavaScript value as a GraphQL input literal (strings escaped as JSON, which GraphQL reads the same). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** `levels` ContactFilters, each the only `and` branch of the one above; the innermost matches First1. */
function nestedAnd(levels: number): Filter {
  let filter: Filter = { firstName: { eq: 'First1' } };
  for (let i = 1; i < levels; i++) filter = { and: [filter] };
  return filter;
}

/** `nestedAnd(levels)` as a literal, written flat (a recursive printer would overflow the test's own stack). */
const nestedAndLiteral = (levels: number) =>
  `${'{ and: ['.repeat(levels - 1)}{ firstName: { eq: "First1" } }${'] }'.repeat(levels - 1)}`;

/** Fragments F0…F30 on Viewer, each spreading the next twice: `...F0` expands to 2^30 selections. */
const FRAGMENT_BOMB = [
  ...Array.from({ length: 30 }, (_, i) => `fragment F${i} on Viewer { ...F${i + 1} ...F${i + 1} }`),
  'fragment F30 on Viewer { organization { id } }',
].join(' ');

const FAR_PAST = '2000-01-01T00:00:00Z';
const FAR_FUTURE = '2999-01-01T00:00:00Z';

const CONTACTS_BY_FILTER = 'query($f: ContactFilter) { contacts(first: 1, filter: $f) { totalCount } }';
const contactsByLiteral = (filter: Filter) =>
  `{ contacts(first: 1, filter: ${literal(filter)}) { totalCount } }`;
const totalOf = (a: Answer) => (a.body?.data?.contacts as { totalCount?: number } | undefined)?.totalCount;

/** Answered with data and no errors; returns the contacts' totalCount. */
function expectAccepted(a: Answer): number | undefined {
  expectSafe(a);
  expect({ status: a.status, errors: a.body?.errors }).toEqual({ status: 200, errors: undefined });
  return totalOf(a);
}

/** SQL statements the server sent while `request` ran; the smallest of up to 3 tries (the meter flushes in the background). */
async function statementsDuring(
  request: () => Promise<Answer>,
): Promise<{ answer: Answer; statements: number }> {
  let statements = Infinity;
  let answer: Answer | undefined;
  for (let attempt = 0; attempt < 3 && statements > 0; attempt++) {
    const before = await server.sqlStatements();
    answer = await request();
    statements = Math.min(statements, (await server.sqlStatements()) - before);
  }
  if (!answer) throw new Error('no attempt ran');
  return { answer, statements };
}

beforeAll(async () => {
  // A long key cache: a refused request's SQL count is then only what the request itself caused.
  server = await startServer({ env: { API_KEY_CACHE_SECONDS: '300' } });
  org = await seed(server).org('Hostile Input Co').onPlan('FREE').withContacts(CONTACTS);
});
afterAll(() => server.close());

afterEach(async () => {
  const a = await ask('{ viewer { __typename } }');
  expect({ status: a.status, data: a.body?.data }).toEqual({
    status: 200,
    data: { viewer: { __typename: 'Viewer' } },
  });
});

describe('introspection on the FREE plan', () => {
  it('answers the standard introspection query at a fixed cost of 1', async () => {
    const a = await ask<IntrospectionQuery>(getIntrospectionQuery());
    expectSafe(a);
    expect(a.status).toBe(200);
    expect(a.body?.errors).toBeUndefined();
    expect(a.body?.data?.__schema.types.length).toBeGreaterThan(50);
    expect(a.body?.extensions?.cost).toMatchObject({ requestedQueryCost: 1 });
  });

  it('answers the introspection query of Apollo Sandbox and GraphQL Code Generator (every option on)', async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    const a = await ask<IntrospectionQuery>(query);
    expectSafe(a);
    expect(a.status).toBe(200);
    expect(a.body?.errors).toBeUndefined();
    const types = a.body?.data?.__schema.types ?? [];
    expect(types.length).toBeGreaterThan(50);
    expect(types.find((t) => t.name === 'DateTime')).toHaveProperty('specifiedByURL');
    expect(a.body?.data?.__schema.directives.find((d) => d.name === 'include')).toMatchObject({
      isRepeatable: false,
    });
    expect(a.body?.extensions?.cost).toMatchObject({ requestedQueryCost: 1 });
  });

  it('prices __typename at 0', async () => {
    const a = await ask('{ __typename }');
    expectSafe(a);
    expect({ data: a.body?.data, cost: a.body?.extensions?.cost }).toMatchObject({
      data: { __typename: 'Query' },
      cost: { requestedQueryCost: 0 },
    });
  });

  it('refuses a cyclic introspection query: GRAPHQL_VALIDATION_FAILED', async () => {
    const a = await ask(
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    );
    expectRefused(a, 'GRAPHQL_VALIDATION_FAILED');
    expect(a.body?.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('refuses introspection without a key: FORBIDDEN or UNAUTHENTICATED, not a 5xx', async () => {
    const a = await ask(getIntrospectionQuery(), undefined, { key: null });
    expectSafe(a);
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.body?.data ?? null).toBeNull();
    expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(a.body?.errors?.[0]?.extensions?.code);
  });
});

/** Every file under `dir`, by path relative to it. */
function readTree(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(path.join(dir, f)).isFile())
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
  );
}

const sameTree = (a: Map<string, string>, b: Map<string, string>) =>
  a.size === b.size && [...a].every(([f, content]) => b.get(f) === content);

describe('GraphQL Code Generator against the live server', () => {
  /** codegen.yml's documents, preset and config, written under `dir`; from `url` if given, else its schema file. */
  async function codegenInto(dir: string, url?: string): Promise<Map<string, string>> {
    const { config } = await loadCodegenConfig({ configFilePath: path.join(ROOT, 'codegen.yml') });
    const outputs = Object.values(config.generates);
    expect(outputs).toHaveLength(1);
    await generate(
      {
        ...config,
        schema: url ? { [url]: { headers: { Authorization: `Bearer ${org.key}` } } } : config.schema,
        generates: { [dir + path.sep]: outputs[0] },
        cwd: ROOT,
        silent: true,
      },
      true,
    );
    return readTree(dir);
  }

  it('generates from the URL exactly what it generates from schema/schema.graphql', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'workpex-codegen-'));
    try {
      const fromUrl = await codegenInto(path.join(tmp, 'url'), `${server.origin}/graphql`);
      const fromFile = await codegenInto(path.join(tmp, 'file'));
      const committed = readTree(GENERATED);
      // A stale examples/generated/ is codegen.test.ts's finding; here the URL must equal the file.
      const reference = sameTree(fromFile, committed) ? committed : fromFile;
      expect(fromUrl.size).toBeGreaterThan(0);
      expect([...fromUrl.keys()]).toEqual([...reference.keys()]);
      for (const [file, content] of reference) expect([file, fromUrl.get(file)]).toEqual([file, content]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('filter bounds', () => {
  it('refuses variables nested 1,500 levels deep before parsing them: BAD_USER_INPUT on `variables`', async () => {
    const a = await ask(CONTACTS_BY_FILTER, { f: nestedAnd(1500) });
    expectRefused(a, 'BAD_USER_INPUT', { field: 'variables', limit: 64 });
  });

  it('refuses extensions nested 100 levels deep: BAD_USER_INPUT on `extensions`', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    const a = await send(JSON.stringify({ query: '{ viewer { __typename } }', extensions: { deep } }));
    expectRefused(a, 'BAD_USER_INPUT', { field: 'extensions', limit: 64 });
  });

  it('refuses a literal filter nested 1,500 levels deep: GRAPHQL_PARSE_FAILED', async () => {
    const a = await ask(`{ contacts(first: 1, filter: ${nestedAndLiteral(1500)}) { totalCount } }`);
    expectRefused(a, 'GRAPHQL_PARSE_FAILED');
    expect(a.body?.errors?.[0]?.message).toMatch(/nests more than 100/);
  });

  it('answers a request bound 400 with application/graphql-response+json and 200 with application/json', async () => {
    const tooDeep = { f: nestedAnd(100) };
    expectRefused(await ask(CONTACTS_BY_FILTER, tooDeep), 'BAD_USER_INPUT', {}, 400);
    expectRefused(
      await ask(CONTACTS_BY_FILTER, tooDeep, { accept: 'application/json' }),
      'BAD_USER_INPUT',
      {},
      200,
    );
    const unparsable = `{ contacts(first: 1, filter: ${nestedAndLiteral(200)}) { totalCount } }`;
    expectRefused(await ask(unparsable), 'GRAPHQL_PARSE_FAILED', {}, 400);
    expectRefused(
      await ask(unparsable, undefined, { accept: 'application/json' }),
      'GRAPHQL_PARSE_FAILED',
      {},
      200,
    );
  });

  it('answers a filter bound 400 with application/graphql-response+json and 200 with application/json', async () => {
    const nineLevels = { f: nestedAnd(9) };
    expectRefused(await ask(CONTACTS_BY_FILTER, nineLevels), 'BAD_USER_INPUT', { limit: 8 }, 400);
    expectRefused(
      await ask(CONTACTS_BY_FILTER, nineLevels, { accept: 'application/json' }),
      'BAD_USER_INPUT',
      { limit: 8 },
      200,
    );
  });

  it.each([
    ['variables', (f: Filter) => ask(CONTACTS_BY_FILTER, { f })],
    ['a literal', (f: Filter) => ask(contactsByLiteral(f))],
  ])('refuses and/or/not nested 9 levels as %s (limit 8), before any SQL; runs 8', async (_as, request) => {
    const { answer, statements } = await statementsDuring(() => request(nestedAnd(9)));
    expectRefused(answer, 'BAD_USER_INPUT', { field: `filter${'.and[0]'.repeat(8)}`, limit: 8, used: 9 });
    expect(statements).toBe(0);
    expect(answer.body?.extensions?.cost ?? { actualQueryCost: 0 }).toMatchObject({ actualQueryCost: 0 });
    expect(expectAccepted(await request(nestedAnd(8)))).toBe(1);

    let nots: Filter = { firstName: { eq: 'First1' } };
    for (let i = 1; i < 9; i++) nots = { not: nots };
    expectRefused(await request(nots), 'BAD_USER_INPUT', { field: `filter${'.not'.repeat(8)}`, limit: 8 });
    // Seven nots around "is First1": everyone else.
    expect(expectAccepted(await request(nots.not as Filter))).toBe(CONTACTS - 1);
  });

  it.each([
    ['nested 9 levels', nestedAnd(9), 8],
    [
      'with 5,000 `or` terms',
      { or: Array.from({ length: 5000 }, () => ({ createdAt: { lte: FAR_FUTURE } })) },
      100,
    ],
    [
      'with 201 operators',
      {
        or: Array.from({ length: 100 }, () => ({
          createdAt: { gte: FAR_PAST, lte: FAR_FUTURE },
        })),
      },
      200,
    ],
    [
      'with 1,001 `in` values',
      { firstName: { in: Array.from({ length: 1001 }, (_, i) => `First${i}`) } },
      1000,
    ],
  ])("refuses a filter %s before the plan's shape limits (one gate, in order)", async (_what, f, limit) => {
    // Beside a fragment bomb: the shape step would refuse it (SELECTIONS) without pricing the filter.
    const query = `query($f: ContactFilter) { contacts(first: 1, filter: $f) { totalCount } viewer { ...F0 } } ${FRAGMENT_BOMB}`;
    expectRefused(await ask(query, { f }), 'BAD_USER_INPUT', { limit });
  });

  it('refuses relation filters 9 levels deep (contacts → company → deals → contacts → …), runs 8', async () => {
    // Each hop leads to the next record type's filter; with 8 hops the innermost filter is level 9.
    const HOPS = {
      Contact: ['company', 'Company'],
      Company: ['deals.some', 'Deal'],
      Deal: ['contacts.some', 'Contact'],
    };
    const chain = (levels: number) => {
      const steps: string[] = [];
      let type: keyof typeof HOPS = 'Contact';
      for (let i = 1; i < levels; i++) {
        const [step, next] = HOPS[type];
        steps.push(step);
        type = next as keyof typeof HOPS;
      }
      let filter: Filter = { createdAt: { lte: FAR_FUTURE } };
      for (const key of steps.flatMap((s) => s.split('.')).reverse()) filter = { [key]: filter };
      return { filter, path: ['filter', ...steps].join('.') };
    };
    const nine = chain(9);
    expectRefused(await ask(CONTACTS_BY_FILTER, { f: nine.filter }), 'BAD_USER_INPUT', {
      field: nine.path,
      limit: 8,
      used: 9,
    });
    expectRefused(await ask(contactsByLiteral(nine.filter)), 'BAD_USER_INPUT', {
      field: nine.path,
      limit: 8,
    });
    // Nobody has a company, so the 8-level chain matches no one; its negation, everyone.
    expect(expectAccepted(await ask(CONTACTS_BY_FILTER, { f: chain(8).filter }))).toBe(0);
    expect(expectAccepted(await ask(CONTACTS_BY_FILTER, { f: { not: chain(7).filter } }))).toBe(CONTACTS);
  });

  it('refuses an `or` of 5,000 terms (limit 100) before any SQL; runs 100', async () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => ({ firstName: { eq: `First${i}` } }));
    const { answer, statements } = await statementsDuring(() =>
      ask(CONTACTS_BY_FILTER, { f: { or: names(5000) } }),
    );
    expectRefused(answer, 'BAD_USER_INPUT', { field: 'filter.or', limit: 100, used: 5000 });
    expect(statements).toBe(0);
    expectRefused(await ask(contactsByLiteral({ or: names(101) })), 'BAD_USER_INPUT', {
      field: 'filter.or',
      limit: 100,
      used: 101,
    });
    const dates = Array.from({ length: 100 }, () => ({ createdAt: { lte: FAR_FUTURE } }));
    expect(expectAccepted(await ask(CONTACTS_BY_FILTER, { f: { or: dates } }))).toBe(CONTACTS);
  });

  it('refuses 201 operators and conditions in one filter (limit 200); runs 200', async () => {
    // The `or` is one; each term adds its two operators.
    const twoEach = Array.from({ length: 100 }, () => ({ createdAt: { gte: FAR_PAST, lte: FAR_FUTURE } }));
    expectRefused(await ask(CONTACTS_BY_FILTER, { f: { or: twoEach } }), 'BAD_USER_INPUT', {
      field: 'filter.or[99].createdAt',
      limit: 200,
      used: 201,
    });
    expectRefused(await ask(contactsByLiteral({ or: twoEach })), 'BAD_USER_INPUT', { limit: 200, used: 201 });
    const lastHalved = [...twoEach.slice(0, 99), { createdAt: { lte: FAR_FUTURE } }];
    expect(expectAccepted(await ask(CONTACTS_BY_FILTER, { f: { or: lastHalved } }))).toBe(CONTACTS);
  });

  it('counts only the operators a client sent: 100 `{ firstName: { eq } }` terms run (ignoreCase defaults)', async () => {
    const names = Array.from({ length: 100 }, (_, i) => ({ firstName: { eq: `First${i}` } }));
    expect(expectAccepted(await ask(CONTACTS_BY_FILTER, { f: { or: names } }))).toBe(CONTACTS);
    expect(expectAccepted(await ask(contactsByLiteral({ or: names })))).toBe(CONTACTS);
  });

  it('refuses an `in` list of 1,001 values (limit 1000); runs 1,000', async () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `First${i}`);
    expectRefused(
      await ask(CONTACTS_BY_FILTER, { f: { firstName: { in: names(1001) } } }),
      'BAD_USER_INPUT',
      {
        field: 'filter.firstName.in',
        limit: 1000,
        used: 1001,
      },
    );
    expectRefused(await ask(contactsByLiteral({ firstName: { in: names(1001) } })), 'BAD_USER_INPUT', {
      field: 'filter.firstName.in',
      limit: 1000,
    });
    expect(expectAccepted(await ask(CONTACTS_BY_FILTER, { f: { firstName: { in: names(1000) } } }))).toBe(
      CONTACTS,
    );
  });
});

describe('document shape', () => {
  /** A valid selection `depth` fields deep: contacts → nodes → company → contacts → …, ending in a scalar. */
  function queryOfDepth(depth: number): string {
    const chain = ['contacts(first: 1)', 'nodes', 'company'];
    const leaf = ['id', 'totalCount', 'id'];
    const fields = Array.from({ length: depth - 1 }, (_, i) => chain[i % 3]);
    return `{ ${fields.join(' { ')} { ${leaf[(depth - 1) % 3]} }${' }'.repeat(depth - 2)} }`;
  }

  it('refuses 1,000 aliases: COST_LIMIT_EXCEEDED ALIASES', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: viewer { organization { id } }`).join(' ');
    expectRefused(await ask(`{ ${aliases} }`), 'COST_LIMIT_EXCEEDED', { dimension: 'ALIASES', limit: 20 });
  });

  it('answers one field repeated 500 times; refuses 5,000 (GRAPHQL_VALIDATION_FAILED) and 20,000 (tokens)', async () => {
    const repeated = (n: number) => `{ viewer { organization { ${'id '.repeat(n)}} } }`;
    const ok = await ask(repeated(500));
    expectSafe(ok);
    expect({ status: ok.status, errors: ok.body?.errors }).toEqual({ status: 200, errors: undefined });
    expect(ok.body?.data).toMatchObject({ viewer: { organization: { id: org.organizationId } } });

    // graphql-js 16.15 gives OverlappingFieldsCanBeMerged a work budget (about 700 same-named fields).
    const quadratic = await ask(repeated(5000));
    expectRefused(quadratic, 'GRAPHQL_VALIDATION_FAILED');
    expect(quadratic.body?.errors?.[0]?.message).toMatch(/Validation aborted/);

    // graphql-js's message reads "more that 15000 tokens".
    const tooMany = await ask(repeated(20000));
    expectRefused(tooMany, 'GRAPHQL_PARSE_FAILED');
    expect(tooMany.body?.errors?.[0]?.message).toMatch(/Document contains more tha[nt] 15000 tokens/);
  });

  it('refuses @include repeated 500 times on one field: GRAPHQL_VALIDATION_FAILED', async () => {
    expectRefused(
      await ask(`{ viewer { organization { id ${'@include(if: true) '.repeat(500)}} } }`),
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('refuses a fragment cycle: GRAPHQL_VALIDATION_FAILED', async () => {
    const a = await ask(
      '{ viewer { ...A } } fragment A on Viewer { organization { id } ...B } fragment B on Viewer { ...A }',
    );
    expectRefused(a, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a fragment bomb (2^30 selections) fast: COST_LIMIT_EXCEEDED SELECTIONS or GRAPHQL_VALIDATION_FAILED', async () => {
    const a = await ask(`{ viewer { ...F0 } } ${FRAGMENT_BOMB}`);
    expectSafe(a);
    expect(a.status).toBe(400);
    const error = a.body?.errors?.[0]?.extensions;
    if (error?.code === 'COST_LIMIT_EXCEEDED') expect(error).toMatchObject({ dimension: 'SELECTIONS' });
    else expect(error).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('refuses a selection nested 150 deep before parsing: GRAPHQL_PARSE_FAILED', async () => {
    const a = await ask(`{ ${'viewer { '.repeat(150)}__typename${' }'.repeat(150)} }`);
    expectRefused(a, 'GRAPHQL_PARSE_FAILED');
  });

  it('refuses depth 11 on FREE (COST_LIMIT_EXCEEDED DEPTH); runs depth 10', async () => {
    expectRefused(await ask(queryOfDepth(11)), 'COST_LIMIT_EXCEEDED', {
      dimension: 'DEPTH',
      limit: 10,
      used: 11,
    });
    const ok = await ask(queryOfDepth(10));
    expectSafe(ok);
    expect({ status: ok.status, errors: ok.body?.errors }).toEqual({ status: 200, errors: undefined });
  });
});

describe('HTTP bodies', () => {
  /** A 4xx answer; if it is JSON, its first error has a code. */
  function expectClientError(a: Answer<unknown>, status?: number): void {
    expectSafe(a);
    if (status) expect(a.status).toBe(status);
    else expect(a.status).toBeGreaterThanOrEqual(400);
    if (a.body) expect(a.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }

  it('refuses a 2 MB body: 413', async () => {
    const a = await send(
      JSON.stringify({ query: '{ viewer { __typename } }', variables: { pad: 'x'.repeat(2_000_000) } }),
    );
    expectClientError(a, 413);
  });

  it('refuses malformed JSON: 400', async () => {
    expectClientError(await send('{"query": "{ viewer { __typename } }"'), 400);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])(
    'refuses a body sent as %s: 4xx',
    async (contentType) => {
      expectClientError(await send('query={ viewer { __typename } }', { contentType }));
    },
  );

  it('refuses a multipart/form-data body: 4xx', async () => {
    const form = new FormData();
    form.set('query', '{ viewer { __typename } }');
    // fetch sets the multipart content type with its boundary.
    expectClientError(await send(form, { contentType: null }));
  });

  it.each([
    ['an empty body', ''],
    ['a JSON array', JSON.stringify([{ query: '{ viewer { __typename } }' }])],
    ['`query` as a number', JSON.stringify({ query: 42 })],
    [
      '`variables` as a string that is not JSON',
      JSON.stringify({ query: '{ viewer { __typename } }', variables: '{' }),
    ],
  ])('refuses %s: 400', async (_what, body) => {
    expectClientError(await send(body), 400);
  });
});

describe('text values in filters and search', () => {
  const VALUES = ['\u0000', 'a\u0000b', "'; drop table contact; --", '%', '_', '\\', '\u{1F600}'];
  const hasNul = (v: string) => v.includes('\u0000');

  /**
   * Every answer is data or BAD_USER_INPUT, fast, without internals; values without NUL are
   * valid text, so they must answer data, and none of them occurs in the seeded rows
   * (LIKE wildcards are matched literally).
   */
  function problemsOf(
    what: string,
    value: string,
    a: Answer,
    empty: (data: Record<string, unknown>) => boolean,
  ) {
    const problems: string[] = [];
    const where = `${what} with ${JSON.stringify(value)}`;
    const code = a.body?.errors?.[0]?.extensions?.code;
    if (a.status >= 500 || !a.body) problems.push(`${where}: HTTP ${a.status} ${a.text.slice(0, 200)}`);
    if (a.ms >= FAST_MS) problems.push(`${where}: ${Math.round(a.ms)} ms`);
    problems.push(...leaksIn(a).map((leak) => `${where}: ${leak}`));
    if (code !== undefined && code !== 'BAD_USER_INPUT')
      problems.push(`${where}: ${String(code)} ${a.text.slice(0, 200)}`);
    if (!hasNul(value) && (code !== undefined || !a.body?.data || !empty(a.body.data)))
      problems.push(`${where}: expected no match, got ${a.text.slice(0, 200)}`);
    return problems;
  }

  it('answers every StringFilter operator of every root filter with data or BAD_USER_INPUT', async () => {
    const introspection = await ask<IntrospectionQuery>(getIntrospectionQuery());
    if (!introspection.body?.data)
      throw new Error(`introspection failed: ${introspection.text.slice(0, 300)}`);
    const schema = buildClientSchema(introspection.body.data);
    const probes = Object.values(schema.getQueryType()?.getFields() ?? {}).flatMap((root) => {
      const filterType = root.args.find((arg) => arg.name === 'filter')?.type;
      if (!filterType || !isInputObjectType(filterType)) return [];
      return Object.values(filterType.getFields())
        .filter((f) => getNamedType(f.type).name === 'StringFilter')
        .map((f) => ({ root: root.name, field: f.name }));
    });
    expect(new Set(probes.map((p) => p.root))).toEqual(
      new Set([
        'calls',
        'campaigns',
        'companies',
        'complianceApplications',
        'contacts',
        'deals',
        'persistedDocuments',
        'phoneNumbers',
        'pipelines',
        'users',
      ]),
    );
    expect(probes.length).toBeGreaterThanOrEqual(16);

    const problems: string[] = [];
    for (const { root, field } of probes) {
      const ops = [
        '{ eq: $v }',
        '{ contains: $v }',
        '{ startsWith: $v }',
        '{ endsWith: $v }',
        '{ in: [$v] }',
      ];
      const caseless = ['{ eq: $v, ignoreCase: true }', '{ contains: $v, ignoreCase: true }'];
      const or = [...ops, ...caseless].map((op) => `{ ${field}: ${op} }`).join(', ');
      const query = `query($v: String!) { r: ${root}(first: 1, filter: { or: [${or}] }) { totalCount } }`;
      for (const value of VALUES) {
        const a = await ask(query, { v: value });
        const empty = (data: Record<string, unknown>) => (data.r as { totalCount: number }).totalCount === 0;
        problems.push(...problemsOf(`${root}(filter: { ${field} })`, value, a, empty));
      }
    }
    for (const value of VALUES) {
      const a = await ask(contactsByLiteral({ firstName: { contains: value } }));
      problems.push(
        ...problemsOf(
          'a literal contacts(filter: { firstName: { contains } })',
          value,
          a,
          (data) => (data.contacts as { totalCount: number }).totalCount === 0,
        ),
      );
    }
    expect(problems).toEqual([]);
  });

  it('answers search with data or BAD_USER_INPUT', async () => {
    const problems: string[] = [];
    for (const value of VALUES) {
      const a = await ask('query($v: String!) { search(text: $v, first: 5) { __typename } }', { v: value });
      problems.push(
        ...problemsOf(
          'search(text:)',
          value,
          a,
          (data) => Array.isArray(data.search) && data.search.length === 0,
        ),
      );
    }
    expect(problems).toEqual([]);
  });

  it('leaves the contact table and its rows in place', async () => {
    expect(await server.db('select count(*)::int as n from contact')).toEqual([{ n: CONTACTS }]);
  });
});

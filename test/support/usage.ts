import type { GraphQLResponse, TestServer } from './server';

/** A controllable application clock: the test moves time, the server never sleeps. */
export interface TestClock {
  /** Pass as `startServer({ clock: c.clock })`. */
  clock: () => number;
  readonly now: number;
  advance(seconds: number): void;
  set(ms: number): void;
}

export function testClock(start: number): TestClock {
  let now = start;
  return {
    clock: () => now,
    get now() {
      return now;
    },
    advance(seconds) {
      now += Math.round(seconds * 1000);
    },
    set(ms) {
      now = ms;
    },
  };
}

const DAY = 86_400_000;
/** The next 00:00 UTC after `ms`, as the server reports it (ISO-8601). */
export const nextUtcMidnight = (ms: number) => new Date(Math.floor(ms / DAY) * DAY + DAY);

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  fields?: { path: string; cost: number }[];
}

export interface UsageResponse<T = Record<string, unknown>> extends GraphQLResponse<T> {
  /** The Content-Length the server sent (the response's size in bytes). */
  bytes: number;
}

/**
 * POST /graphql with full control: operationName and extra headers, and the response size.
 * (The shared `server.gql` sends neither.)
 */
export async function post<T = Record<string, unknown>>(
  server: TestServer,
  opts: {
    query: string;
    variables?: Record<string, unknown>;
    operationName?: string;
    key?: string;
    headers?: Record<string, string>;
  },
): Promise<UsageResponse<T>> {
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({
      query: opts.query,
      variables: opts.variables,
      ...(opts.operationName ? { operationName: opts.operationName } : {}),
    }),
  });
  const text = await res.text();
  let body: GraphQLResponse<T>['body'];
  try {
    body = JSON.parse(text) as GraphQLResponse<T>['body'];
  } catch {
    throw new Error(`Non-JSON response ${res.status}: ${text.slice(0, 500)}`);
  }
  const declared = res.headers.get('content-length');
  return {
    status: res.status,
    headers: res.headers,
    body,
    bytes: declared === null ? Buffer.byteLength(text) : Number(declared),
  };
}

/** `extensions.cost` of a response (fails the test when it is missing). */
export function costOf(res: GraphQLResponse<unknown>): CostExtension {
  const cost = res.body.extensions?.cost as CostExtension | undefined;
  if (!cost) throw new Error(`Response without extensions.cost: ${JSON.stringify(res.body)}`);
  return cost;
}

/** The first error's extensions (fails the test when there is no error). */
export function limitErrorOf(res: GraphQLResponse<unknown>): Record<string, unknown> & { code: string } {
  const e = res.body.errors?.[0];
  if (!e) throw new Error(`Expected an error, got ${JSON.stringify(res.body)}`);
  return { ...e.extensions, message: e.message } as unknown as Record<string, unknown> & { code: string };
}

export interface PlanRow {
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

/** Generous defaults: a test plan only limits what the test is about. */
export const GENEROUS: PlanRow = {
  maxCost: 1_000_000,
  bucketSize: 100_000_000,
  restoreRate: 100_000_000,
  apiCallsPerDay: 1_000_000_000,
  recordsPerCall: 1000,
  bandwidthPerDay: 1_000_000_000_000,
  requestsPerSecond: 1_000_000,
  concurrentRequests: 1000,
  emailsPerDay: 1_000_000,
  callsPerDay: 1_000_000,
  phoneNumbers: 1000,
  maxDepth: 50,
  maxAliases: 1000,
  maxRootFields: 200,
  maxSubscriptions: 1000,
  partnerAccess: true,
};

/** Adds a plan row, as an operator editing the plan table would (before any org is put on it). */
export async function insertPlan(
  server: TestServer,
  code: string,
  limits: Partial<PlanRow>,
): Promise<PlanRow> {
  const p = { ...GENEROUS, ...limits };
  await server.db(
    `insert into plan (code, name, max_cost, bucket_size, restore_rate, api_calls_per_day, records_per_call,
        bandwidth_per_day, requests_per_second, concurrent_requests, emails_per_day, calls_per_day, phone_numbers,
        max_depth, max_aliases, max_root_fields, max_subscriptions, partner_access)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      code,
      `Test plan ${code}`,
      p.maxCost,
      p.bucketSize,
      p.restoreRate,
      p.apiCallsPerDay,
      p.recordsPerCall,
      p.bandwidthPerDay,
      p.requestsPerSecond,
      p.concurrentRequests,
      p.emailsPerDay,
      p.callsPerDay,
      p.phoneNumbers,
      p.maxDepth,
      p.maxAliases,
      p.maxRootFields,
      p.maxSubscriptions,
      p.partnerAccess,
    ],
  );
  return p;
}

export const SEEDED_PLAN_CODES = ['FREE', 'STANDARD', 'PROFESSIONAL', 'ENTERPRISE'] as const;

export interface PlanLimits extends PlanRow {
  code: string;
}

/** Every plan as the public `plans` query shows it, by code. */
export async function readPlans(server: TestServer): Promise<Record<string, PlanLimits>> {
  const res = await post<{ plans: PlanLimits[] }>(server, {
    query: `{ plans { code maxCost bucketSize restoreRate apiCallsPerDay recordsPerCall bandwidthPerDay
      requestsPerSecond concurrentRequests emailsPerDay callsPerDay phoneNumbers maxDepth maxAliases
      maxRootFields maxSubscriptions partnerAccess } }`,
  });
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return Object.fromEntries(res.body.data.plans.map((p) => [p.code, p]));
}

/** README row label (its start) → plan field, for the one table of plan defaults. */
const README_ROWS: [string, keyof PlanRow][] = [
  ['Max cost of one operation', 'maxCost'],
  ['Cost bucket size', 'bucketSize'],
  ['Cost restored per second', 'restoreRate'],
  ['API calls per UTC day', 'apiCallsPerDay'],
  ['Records per call', 'recordsPerCall'],
  ['Response bandwidth per UTC day', 'bandwidthPerDay'],
  ['Requests per second', 'requestsPerSecond'],
  ['Concurrent requests', 'concurrentRequests'],
  ['Emails per UTC day', 'emailsPerDay'],
  ['Calls placed per UTC day', 'callsPerDay'],
  ['Rented phone numbers', 'phoneNumbers'],
  ['Max query depth', 'maxDepth'],
  ['Max aliases', 'maxAliases'],
  ['Max root fields', 'maxRootFields'],
  ['Concurrent subscriptions', 'maxSubscriptions'],
  ['Partner', 'partnerAccess'],
];

function readmeValue(cell: string): number | boolean {
  const v = cell.trim();
  if (v === 'yes' || v === 'no') return v === 'yes';
  const m = /^([\d,.]+)\s*(KiB|MiB|GiB|TiB)?$/.exec(v);
  if (!m) throw new Error(`README plan table: cannot read "${v}"`);
  const unit = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 }[m[2] ?? ''] ?? 1;
  return Number(m[1].replace(/,/g, '')) * unit;
}

/** The plan table of the README (`| Limit | FREE | STANDARD | … |`), by plan code. */
export function readmePlanTable(readme: string): Record<string, Partial<PlanRow>> {
  const lines = readme.split('\n').filter((l) => l.startsWith('|'));
  const header = lines.find((l) => l.includes('`FREE`'));
  if (!header) throw new Error('README has no plan table');
  const codes = header
    .split('|')
    .slice(2, -1)
    .map((c) => c.trim().replace(/`/g, ''));
  const out: Record<string, Partial<PlanRow>> = Object.fromEntries(codes.map((c) => [c, {}]));
  for (const line of lines) {
    const cells = line.split('|').slice(1, -1);
    const row = README_ROWS.find(([label]) => cells[0]?.trim().startsWith(label));
    if (!row) continue;
    codes.forEach((code, i) => {
      (out[code] as Record<string, unknown>)[row[1]] = readmeValue(cells[i + 1]);
    });
  }
  return out;
}

/**
 * A query whose requested cost is exactly `cost` under the contract's model (≥ 3):
 * `companies(first: k) { nodes { contacts(first: 100) { nodes { id } } } }` costs 2 + k × 103, and
 * `contacts(first: n) { nodes { id } }` costs 2 + n (n ≤ 100, the page maximum). Root fields are
 * aliased `c0`, `c1`, … so few aliases and root fields are used (depth 5).
 */
export function queryOfCost(cost: number): { query: string; rootFields: number } {
  if (!Number.isInteger(cost) || cost < 3) throw new Error(`queryOfCost: ${cost} is not buildable`);
  const parts: string[] = [];
  let rest = cost;
  while (rest > 104 + 102) {
    let k = Math.min(100, Math.floor((rest - 2) / 103));
    if ([1, 2].includes(rest - (2 + 103 * k))) k -= 1;
    parts.push(`companies(first: ${k}) { nodes { contacts(first: 100) { nodes { id } } } }`);
    rest -= 2 + 103 * k;
  }
  const flats = Math.ceil(rest / 102);
  for (let i = 0; i < flats; i++) {
    const share = Math.ceil(rest / (flats - i));
    parts.push(`contacts(first: ${share - 2}) { nodes { id } }`);
    rest -= share;
  }
  if (rest !== 0) throw new Error('queryOfCost: arithmetic');
  return { query: `{ ${parts.map((p, i) => `c${i}: ${p}`).join(' ')} }`, rootFields: parts.length };
}

/** A value of a Prometheus metric from GET /metrics (0 when the series is not there yet). */
export async function metric(server: TestServer, name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => {
          const [k, v] = kv.split('=');
          return [k, JSON.parse(v) as string];
        }),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[3]);
  }
  return total;
}

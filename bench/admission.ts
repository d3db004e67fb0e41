/**
 * Admission benchmark (issue 10 item 5, group admission): `npm run build && node dist/bench/admission.js`.
 *
 * Against a fresh database (`workpex_bench_admission`, dropped and recreated on the server of
 * DATABASE_URL, default postgres://root@127.0.0.1:5432), migrated by the app's migrations, it runs
 * BENCH_ADMISSIONS (2,000) admissions of one organisation from BENCH_CALLERS (10) concurrent callers
 * (closed loop, pool of 10 connections), three ways:
 *
 * - single: one `wpx_usage_admit` statement per request, as Meter.admit sent before group admission;
 * - batch-1: Meter.admit with batches capped at 1 (one `wpx_usage_admit_batch` per request);
 * - grouped: Meter.admit as deployed (requests queued while the organisation's statement is in flight).
 *
 * Reported per request: statements, CPU of the pool's PostgreSQL backends (/proc/<pid>/stat), CPU of
 * the whole PostgreSQL server (postmaster and all its children: WAL writer, checkpointer, …; other
 * databases' work counts too), time spent inside the admission functions (pg_stat_user_functions with
 * track_functions = pl, lock waits included) and wall time. BENCH_ROUNDS (3) rounds, the order
 * reversed every other round; the median round is reported. Writes bench/results/admission-latest.md
 * (or into BENCH_RESULTS_DIR).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { entities } from '../src/modules.js';
import { migrationsList } from '../migrations/index.js';
import { createOrm, migrate } from '../src/platform/db/orm.js';
import { SqlClient } from '../src/platform/db/sql.js';
import { Meter, RATE_WINDOW_MS, SUBSCRIPTION_STALE_MS, type PlanLimits } from '../src/modules/usage/meter.js';
import { cpuMs, postgresCpuMs, postmasterOf } from './proc.js';

/** bench/results of the checkout (dist/bench/../../bench/results), or BENCH_RESULTS_DIR. */
const OUT = path.join(
  process.env.BENCH_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', 'bench', 'results'),
  'admission-latest.md',
);
const DATABASE = 'workpex_bench_admission';
const APPLICATION = 'wpx_bench_admission';
const ADMISSIONS = Number(process.env.BENCH_ADMISSIONS ?? 2000);
const CALLERS = Number(process.env.BENCH_CALLERS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL = 10;
const WARMUP = 200;

/** A plan that never refuses the load: every admission does all its work and is admitted. */
const PLAN: PlanLimits = {
  code: 'BENCH',
  name: 'Bench',
  price: '0',
  maxCost: 1_000_000,
  bucketSize: 1e12,
  restoreRate: 1e9,
  apiCallsPerDay: 1e12,
  recordsPerCall: 1000,
  bandwidthPerDay: 1e15,
  requestsPerSecond: 1e9,
  concurrentRequests: 1000,
  emailsPerDay: 1000,
  callsPerDay: 1000,
  phoneNumbers: 10,
  maxDepth: 20,
  maxAliases: 200,
  maxRootFields: 50,
  maxSubscriptions: 500,
  partnerAccess: true,
};
const COST = 25;

const SINGLE_SQL = `select o_outcome as outcome, o_bandwidth as bandwidth, o_tokens as tokens,
                o_subscriptions as subscriptions, o_at as at
           from wpx_usage_admit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`;

type Way = 'single' | 'batch-1' | 'grouped';
const WAYS: Way[] = ['single', 'batch-1', 'grouped'];

interface Measure {
  way: Way;
  admissions: number;
  statements: number;
  backendCpuMs: number | null;
  serverCpuMs: number | null;
  functionMs: number | null;
  wallMs: number;
  admitted: number;
}

function urls(): { admin: string; bench: string; shown: string } {
  const base = new URL(process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/postgres');
  const admin = new URL(base.href);
  admin.pathname = '/postgres';
  const bench = new URL(base.href);
  bench.pathname = `/${DATABASE}`;
  return { admin: admin.href, bench: bench.href, shown: `${base.hostname}:${base.port || 5432}` };
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Time spent inside the admission functions so far (ms), or null without track_functions. */
async function functionMs(url: string): Promise<number | null> {
  return withClient(url, async (c) => {
    await c.query('select pg_stat_clear_snapshot()');
    const r = await c.query<{ ms: number | null; setting: string }>(
      `select (select sum(total_time) from pg_stat_user_functions
                where funcname in ('wpx_usage_admit', 'wpx_usage_admit_batch')) as ms,
              current_setting('track_functions') as setting`,
    );
    return r.rows[0].setting === 'none' ? null : Number(r.rows[0].ms ?? 0);
  });
}

/**
 * The pool's backends (all POOL connections held at once), after asking each to flush its
 * function statistics at once (PostgreSQL 15+; older servers flush within a second or so).
 */
async function backends(sql: SqlClient): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: POOL }, () => sql.pool.connect()));
  try {
    const pids: number[] = [];
    for (const c of clients) {
      const r = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
      await c.query('select pg_stat_force_next_flush()').catch(() => undefined);
      pids.push(r.rows[0].pid);
    }
    return pids;
  } finally {
    for (const c of clients) c.release();
  }
}

const sumCpu = (pids: number[]): number | null => {
  let total = 0;
  for (const pid of pids) {
    const ms = cpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` admissions from CALLERS concurrent callers, each sending its next when its last is answered. */
async function load(n: number, admit: () => Promise<boolean>): Promise<number> {
  let next = 0;
  let admitted = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < n) {
        next += 1;
        if (await admit()) admitted += 1;
      }
    }),
  );
  return admitted;
}

async function measure(way: Way, benchUrl: string): Promise<Measure> {
  const url = new URL(benchUrl);
  url.searchParams.set('application_name', APPLICATION);
  const sql = new SqlClient(url.href, POOL);
  const meter =
    way === 'single' ? null : new Meter(sql, undefined, 60_000, way === 'batch-1' ? 1 : undefined);
  const org = randomUUID();
  const admit = async (): Promise<boolean> => {
    if (meter) {
      await meter.admit(org, PLAN, COST);
      return true;
    }
    const rows = await sql.query<{ outcome: string }>(SINGLE_SQL, [
      org,
      null,
      PLAN.apiCallsPerDay,
      PLAN.requestsPerSecond * (RATE_WINDOW_MS / 1000),
      RATE_WINDOW_MS,
      PLAN.bandwidthPerDay,
      0,
      PLAN.bucketSize,
      PLAN.restoreRate,
      COST,
      0,
      null,
      null,
      null,
      PLAN.maxSubscriptions,
      SUBSCRIPTION_STALE_MS,
    ]);
    return rows[0].outcome === 'ADMITTED';
  };
  try {
    await load(WARMUP, admit); // connections open, statements prepared, the organisation's rows exist
    const pids = await backends(sql);
    await sleep(100);
    const postmaster = postmasterOf(pids[0]);
    const before = {
      backend: sumCpu(pids),
      server: postmaster === null ? null : postgresCpuMs(postmaster),
      fn: await functionMs(benchUrl),
      statements: sql.statements,
    };
    const started = performance.now();
    const admitted = await load(ADMISSIONS, admit);
    const wallMs = performance.now() - started;
    const statements = sql.statements - before.statements;
    const afterBackend = sumCpu(pids);
    const afterServer = postmaster === null ? null : postgresCpuMs(postmaster);
    await backends(sql);
    await sleep(100);
    const afterFn = await functionMs(benchUrl);
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    return {
      way,
      admissions: ADMISSIONS,
      statements,
      backendCpuMs: diff(afterBackend, before.backend),
      serverCpuMs: diff(afterServer, before.server),
      functionMs: diff(afterFn, before.fn),
      wallMs,
      admitted,
    };
  } finally {
    await meter?.close();
    await sql.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));

async function main(): Promise<void> {
  const { admin, bench, shown } = urls();
  await withClient(admin, async (c) => {
    await c.query(`drop database if exists ${DATABASE} with (force)`);
    await c.query(`create database ${DATABASE}`);
    // Time inside functions (superuser only; without it the column says n/a).
    await c.query(`alter database ${DATABASE} set track_functions = 'pl'`).catch(() => undefined);
  });
  const orm = await createOrm({ url: bench, entities, migrations: migrationsList, poolSize: 2 });
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
  const version = await withClient(bench, async (c) => {
    const r = await c.query<{ v: string; sc: string }>(
      `select current_setting('server_version') as v, current_setting('synchronous_commit') as sc`,
    );
    return `PostgreSQL ${r.rows[0].v} (synchronous_commit ${r.rows[0].sc}; the admission functions turn it off for their own transaction)`;
  });

  const all: Measure[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...WAYS].reverse() : WAYS;
    for (const way of order) {
      const m = await measure(way, bench);
      all.push(m);
      console.log(
        `round ${round + 1} ${way}: ${m.admitted}/${m.admissions} admitted, ${m.statements} statements, ` +
          `backend CPU ${fmt(m.backendCpuMs, 0)} ms, server CPU ${fmt(m.serverCpuMs, 0)} ms, ` +
          `in functions ${fmt(m.functionMs, 0)} ms, wall ${m.wallMs.toFixed(0)} ms`,
      );
    }
  }

  const perRequest = (way: Way, f: (m: Measure) => number | null) => {
    const xs = all.filter((m) => m.way === way).map(f);
    return xs.some((x) => x === null) ? null : median(xs as number[]);
  };
  const rows = WAYS.map((way) => {
    const n = ADMISSIONS;
    return {
      way,
      statements: perRequest(way, (m) => m.statements / n),
      backend: perRequest(way, (m) => (m.backendCpuMs === null ? null : m.backendCpuMs / n)),
      server: perRequest(way, (m) => (m.serverCpuMs === null ? null : m.serverCpuMs / n)),
      fn: perRequest(way, (m) => (m.functionMs === null ? null : m.functionMs / n)),
      wall: perRequest(way, (m) => m.wallMs / n),
      rps: perRequest(way, (m) => n / (m.wallMs / 1000)),
    };
  });
  const label: Record<Way, string> = {
    single: 'one `wpx_usage_admit` per request (before)',
    'batch-1': 'one `wpx_usage_admit_batch` per request (batches capped at 1)',
    grouped: 'group admission (`Meter.admit`, batches ≤ 64)',
  };
  const md = [
    `# Admission benchmark: ${new Date().toISOString()}`,
    '',
    `\`node dist/bench/admission.js\` (bench/admission.ts). ${ADMISSIONS.toLocaleString('en')} admissions of one organisation from ` +
      `${CALLERS} concurrent callers (closed loop, pool of ${POOL}), after ${WARMUP} of warm-up; median of ${ROUNDS} rounds ` +
      `(order reversed every other round). Plan limits never refuse, cost ${COST} per request, database clock.`,
    '',
    `Server: ${shown}, ${version}. Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}; ` +
      'PostgreSQL and this process share the machine, nothing pinned.',
    '',
    '| way | statements / request | backend CPU ms / request | PostgreSQL server CPU ms / request | in admission functions ms / request | wall ms / request | admissions / s |',
    '| --- | --: | --: | --: | --: | --: | --: |',
    ...rows.map(
      (r) =>
        `| ${label[r.way]} | ${fmt(r.statements, 3)} | ${fmt(r.backend)} | ${fmt(r.server)} | ${fmt(r.fn)} | ${fmt(r.wall)} | ${fmt(r.rps, 0)} |`,
    ),
    '',
    '- *backend CPU*: utime + stime of the pool’s 10 PostgreSQL backends (/proc/<pid>/stat, 10 ms ticks).',
    '- *server CPU*: the postmaster and all its children (WAL writer, checkpointer, other connections and databases too).',
    '- *in admission functions*: `pg_stat_user_functions.total_time` (track_functions = pl), wall time inside the',
    '  function, waits for the organisation’s row lock included.',
    '- *batch-1* and *grouped* go through `Meter.admit`, which keeps one admission statement per organisation in',
    '  flight (the rest wait in its queue), so they never wait on the row lock; *single* sends up to 10 at once,',
    '  which queue on the lock.',
    '',
    'Every round:',
    '',
    '| round | way | admitted | statements | backend CPU ms | server CPU ms | in functions ms | wall ms |',
    '| --: | --- | --: | --: | --: | --: | --: | --: |',
    ...all.map(
      (m, i) =>
        `| ${Math.floor(i / WAYS.length) + 1} | ${m.way} | ${m.admitted} | ${m.statements} | ${fmt(m.backendCpuMs, 0)} | ${fmt(m.serverCpuMs, 0)} | ${fmt(m.functionMs, 0)} | ${m.wallMs.toFixed(0)} |`,
    ),
    '',
  ].join('\n');
  writeFileSync(OUT, md);
  console.log(`\n${md}\nWritten to ${path.relative(process.cwd(), OUT)}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

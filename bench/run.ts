/**
 * The read-path benchmark: `npm run bench` (see bench/README.md).
 *
 * Recreates the workpex_bench database, lets the app migrate it, seeds it, then measures the
 * same query on five servers (ours with metering on and off, PostGraphile 5 and v4, hand-written SQL),
 * each its own process pinned to one core while this process, the load generator, runs on
 * another. Writes bench/results/<timestamp>.json and bench/results/latest.md.
 *
 * `node dist/bench/run.js --profile` instead profiles our server (node --cpu-prof) under the
 * same load and writes bench/results/profile-latest.md.
 *
 * Env: DATABASE_URL (server to use; default postgres://postgres@127.0.0.1:5432), BENCH_CONCURRENCY (16),
 * BENCH_WARMUP_S (3), BENCH_DURATION_S (10), BENCH_ROUNDS (3), BENCH_LOG_LEVEL (warn: the servers' LOG_LEVEL),
 * BENCH_NODE (the Node binary the servers run on; default this one's, e.g. `npx -y node@24.21.0 -p process.execPath`).
 * BENCH_PROFILE_METERING=off profiles with metering off; BENCH_KEEP_PROFILE=1 keeps the .cpuprofile.
 */
import { envNumber } from './env.js';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchUrls, recreateDatabase, seed, serverInfo, UnreachableError, type Dataset } from './database.js';
import { percentile, runLoad, send, type LoadResult, type Target } from './load.js';
import {
  cpuMs,
  hasTaskset,
  machineCpuMs,
  pinning,
  pinSelf,
  postgresCpuMs,
  postmasterOf,
  serverNodeVersion,
  startNode,
  type Child,
} from './proc.js';
import { profileMarkdown, summariseProfile } from './profile.js';
import {
  OURS_QUERY,
  POSTGRAPHILE5_QUERY,
  POSTGRAPHILE_QUERY,
  namesOf,
  shapeOf,
  type Shape,
} from './queries.js';

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const ORG_NAME = 'Workpex Bench';

const settings = {
  concurrency: envNumber('BENCH_CONCURRENCY', 16, 1),
  warmupS: envNumber('BENCH_WARMUP_S', 3, 0),
  durationS: envNumber('BENCH_DURATION_S', 10, 1),
  rounds: envNumber('BENCH_ROUNDS', 3, 1),
};

type ImplId =
  'ours-metering-on' | 'ours-metering-off' | 'postgraphile5' | 'postgraphile' | 'hand-written-sql';

interface Impl {
  id: ImplId;
  label: string;
  child: Child;
  target: Target;
  /** SQL statements sent so far, as the server counts them. */
  sqlCount: () => Promise<number>;
}

interface Snapshot {
  /** performance.now() when taken. */
  t: number;
  server: number;
  postgres: number;
  self: number;
  machine: { busy: number; total: number };
  sql: number;
}

interface Measurement {
  round: number;
  load: LoadResult;
  start: Snapshot;
  end: Snapshot;
}

function get(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      })
      .on('error', reject);
  });
}

const log = (msg: string) => console.log(`[bench ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);

function serverEnv(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    DB_POOL_SIZE: '10',
    ...extra,
  };
}

/**
 * Node flags of every server in the comparison, ours as `npm start` runs it: a larger young
 * generation means fewer scavenges for allocation-heavy GraphQL servers. PostGraphile and the
 * hand-written server get the same, so the comparison stays like for like.
 */
const NODE_FLAGS = ['--max-semi-space-size=32'];
const oursArgs = [...NODE_FLAGS, path.join(ROOT, 'dist', 'src', 'main.js')];

/** Fresh database, migrated by the app, one organisation from signUp, then the SQL seed. */
async function prepareDatabase(): Promise<{ url: string; key: string; dataset: Dataset; shown: string }> {
  const urls = benchUrls();
  try {
    await recreateDatabase(urls.admin, urls.shown);
  } catch (err) {
    if (err instanceof UnreachableError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  log(`database workpex_bench recreated on ${urls.shown}; migrating through the app`);
  const setup = await startNode('setup server', oursArgs, serverEnv(urls.bench), null);
  let key: string;
  try {
    const reply = await send(new http.Agent(), {
      port: setup.port,
      path: '/graphql',
      headers: {},
      body: JSON.stringify({
        query: `mutation { signUp(input: { organizationName: "${ORG_NAME}", email: "bench@example.com", name: "Bench" }) { key } }`,
      }),
    });
    const parsed = JSON.parse(reply.text) as { data?: { signUp?: { key?: string } } };
    const k = parsed.data?.signUp?.key;
    if (reply.status !== 200 || !k) throw new Error(`signUp failed: HTTP ${reply.status} ${reply.text}`);
    key = k;
  } finally {
    await setup.stop();
  }
  const dataset = await seed(urls.bench, ORG_NAME);
  log(
    `seeded ${dataset.companies} companies, ${dataset.contacts} contacts, ${dataset.deals} deals in ${dataset.seedMs} ms`,
  );
  return { url: urls.bench, key, dataset, shown: urls.shown };
}

async function startOurs(
  id: ImplId,
  url: string,
  key: string,
  metering: 'on' | 'off',
  nodeFlags: string[] = [],
): Promise<Impl> {
  const child = await startNode(
    id,
    [...nodeFlags, ...oursArgs],
    serverEnv(url, { USAGE_METERING: metering }),
    pinning?.server ?? null,
  );
  return {
    id,
    label: `ours, USAGE_METERING=${metering}`,
    child,
    target: {
      port: child.port,
      path: '/graphql',
      headers: { authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: OURS_QUERY }),
    },
    sqlCount: async () => {
      const text = await get(child.port, '/metrics');
      const m = /^workpex_sql_statements_total (\S+)$/m.exec(text);
      if (!m) throw new Error('workpex_sql_statements_total missing from /metrics');
      return Number(m[1]);
    },
  };
}

/** `script`: a compiled bench script (dist/bench/…), or an absolute path (e.g. PostGraphile 5's server.mjs). */
async function startScript(id: ImplId, label: string, script: string, env: NodeJS.ProcessEnv, body: string) {
  const child = await startNode(
    id,
    [...NODE_FLAGS, path.isAbsolute(script) ? script : path.join(ROOT, 'dist', 'bench', script)],
    env,
    pinning?.server ?? null,
  );
  const impl: Impl = {
    id,
    label,
    child,
    target: { port: child.port, path: '/graphql', headers: {}, body },
    sqlCount: async () =>
      (JSON.parse(await get(child.port, '/__stats')) as { sqlStatements: number }).sqlStatements,
  };
  return impl;
}

function takeSnapshot(impl: Impl, postmaster: number | null): () => Promise<Snapshot> {
  return async () => {
    const sql = await impl.sqlCount();
    return {
      t: performance.now(),
      sql,
      server: cpuMs(impl.child.pid) ?? NaN,
      postgres: postmaster === null ? NaN : postgresCpuMs(postmaster),
      self: cpuMs('self') ?? NaN,
      machine: machineCpuMs(),
    };
  };
}

async function measure(impl: Impl, round: number, postmaster: number | null): Promise<Measurement> {
  const snap = takeSnapshot(impl, postmaster);
  const snaps: Snapshot[] = [];
  const load = await runLoad(impl.target, {
    concurrency: settings.concurrency,
    warmupMs: settings.warmupS * 1000,
    durationMs: settings.durationS * 1000,
    snapshot: async () => {
      snaps.push(await snap());
    },
  });
  return { round, load, start: snaps[0], end: snaps[1] };
}

const round2 = (n: number, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

function aggregate(ms: Measurement[]) {
  const sum = (f: (m: Measurement) => number) => ms.reduce((a, m) => a + f(m), 0);
  const between = sum((m) => m.load.betweenSnapshots);
  const per = (f: (s: Snapshot) => number) => sum((m) => f(m.end) - f(m.start)) / between;
  const latencies = ms.flatMap((m) => m.load.latencies).sort((a, b) => a - b);
  const machineBusy = sum((m) => m.end.machine.busy - m.start.machine.busy);
  const machineTotal = sum((m) => m.end.machine.total - m.start.machine.total);
  const accounted = sum(
    (m) =>
      m.end.server - m.start.server + (m.end.postgres - m.start.postgres || 0) + (m.end.self - m.start.self),
  );
  return {
    reqPerSec: sum((m) => m.load.ok) / sum((m) => m.load.seconds),
    roundsReqPerSec: ms.map((m) => round2(m.load.ok / m.load.seconds, 1)),
    requests: sum((m) => m.load.ok),
    errors: sum((m) => m.load.errors),
    errorsIncludingWarmup: sum((m) => m.load.errorsTotal),
    errorSamples: ms.flatMap((m) => m.load.errorSamples).slice(0, 5),
    meanMs: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1],
    responseBytes: sum((m) => m.load.bytes * m.load.ok) / sum((m) => m.load.ok),
    sqlPerReq: per((s) => s.sql),
    serverCpuMsPerReq: per((s) => s.server),
    postgresCpuMsPerReq: per((s) => s.postgres),
    loadGeneratorCpuMsPerReq: per((s) => s.self),
    /** Server CPU ÷ wall time: near 100 % when the server is what limits throughput. */
    serverCorePct: (100 * sum((m) => m.end.server - m.start.server)) / sum((m) => m.end.t - m.start.t),
    /** Share of the machine's CPU used by processes other than server, PostgreSQL and load generator. */
    otherCpuPct: (100 * (machineBusy - accounted)) / machineTotal,
    machineBusyPct: (100 * machineBusy) / machineTotal,
  };
}

type Summary = ReturnType<typeof aggregate>;

function fmt(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

function markdown(
  when: string,
  results: { id: ImplId; label: string; summary: Summary }[],
  meta: Record<string, unknown>,
  dataset: Dataset,
  pgVersion: string,
): string {
  const by = (id: ImplId) => results.find((r) => r.id === id)?.summary;
  const pgRps = by('postgraphile5')?.reqPerSec ?? NaN;
  const on = by('ours-metering-on');
  const off = by('ours-metering-off');
  const rows = results.map(({ label, summary: s }) =>
    [
      label,
      fmt(s.reqPerSec, 0),
      fmt(s.p50Ms, 2),
      fmt(s.p99Ms, 2),
      fmt(s.sqlPerReq, 2),
      fmt(s.serverCpuMsPerReq, 2),
      fmt(s.serverCorePct, 0),
      fmt(s.postgresCpuMsPerReq, 2),
      `${fmt(s.reqPerSec / pgRps, 2)}×`,
      String(s.errors),
    ].join(' | '),
  );
  const overhead = on && off ? (100 * (off.reqPerSec - on.reqPerSec)) / off.reqPerSec : NaN;
  const cpuOverhead =
    on && off ? (100 * (on.serverCpuMsPerReq - off.serverCpuMsPerReq)) / off.serverCpuMsPerReq : NaN;
  const ratio = on ? on.reqPerSec / pgRps : NaN;
  const failed = results.filter((r) => r.summary.errors > 0);
  // Failed responses (often cheap refusals) make req/s meaningless: no verdict then.
  const verdict = (ok: boolean, ...ids: ImplId[]) => {
    const bad = failed.filter((r) => ids.includes(r.id));
    if (bad.length)
      return `**not measurable**: ${bad.map((r) => `${r.label} had ${r.summary.errors} failed responses`).join(', ')}`;
    return ok ? '**met**' : '**missed**';
  };
  const other = Math.max(...results.map((r) => r.summary.otherCpuPct));
  return [
    `# Read-path benchmark: ${when}`,
    '',
    'Query: first 20 companies, each with its first 10 contacts (+ totalCount) and first 10 deals with their stage name.',
    '',
    '| implementation | req/s | p50 ms | p99 ms | SQL/req | server CPU ms/req | server core % | PostgreSQL CPU ms/req | vs PostGraphile 5 | errors |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map((r) => `| ${r} |`),
    '',
    `- Metering overhead (on vs off): ${fmt(overhead, 1)} % fewer req/s, ${fmt(cpuOverhead, 1)} % more server CPU per request` +
      (on && off ? ` (${fmt(on.sqlPerReq - off.sqlPerReq, 2)} more SQL statements per request).` : '.'),
    `- Target ours (metering on) ≥ 1.5× PostGraphile 5 req/s: ${fmt(ratio, 2)}× — ${verdict(ratio >= 1.5, 'ours-metering-on', 'postgraphile5')}.`,
    `- Target metering overhead ≤ 10 %: ${fmt(overhead, 1)} % — ${verdict(overhead <= 10, 'ours-metering-on', 'ours-metering-off')}.`,
    '',
    ...results
      .filter((r) => r.summary.errorsIncludingWarmup > 0)
      .flatMap((r) => [
        `- **${r.label}: ${r.summary.errors} failed responses in the measured windows ` +
          `(${r.summary.errorsIncludingWarmup} with warm-up)**; first: \`${(r.summary.errorSamples[0] ?? '').slice(0, 240).replace(/`/g, "'")}\``,
        '',
      ]),
    `Per-round req/s: ${results.map((r) => `${r.label} ${r.summary.roundsReqPerSec.join(' / ')}`).join('; ')}.`,
    `Mean latency ms: ${results.map((r) => `${r.label} ${fmt(r.summary.meanMs, 2)}`).join('; ')}.`,
    `Response size bytes: ${results.map((r) => `${r.label} ${fmt(r.summary.responseBytes, 0)}`).join('; ')}.`,
    '',
    `Setup: commit ${meta.revision}; ${meta.cpus} × ${meta.cpuModel}, servers on Node ${meta.serverNode} (load generator on ${process.version}), PostgreSQL ${pgVersion} (${meta.database}); ` +
      `${meta.pinning}; concurrency ${settings.concurrency}, ${settings.warmupS} s warm-up + ${settings.durationS} s measured ` +
      `per implementation per round, ${settings.rounds} rounds interleaved. Data: ${dataset.companies} companies, ` +
      `${dataset.contacts} contacts, ${dataset.deals} deals (≥ ${dataset.dealsOfFirstCompanies} for each of the first 20 companies).`,
    `Load generator CPU ms/req: ${results.map((r) => `${r.label} ${fmt(r.summary.loadGeneratorCpuMsPerReq, 2)}`).join('; ')}.`,
    `Other processes used up to ${fmt(other, 1)} % of the machine's CPU during a measurement` +
      (other > 5 ? ' — the numbers are noisier than usual; run again on a quiet machine.' : '.'),
    '',
  ].join('\n');
}

async function checkShapes(impls: Impl[]): Promise<Record<string, number>> {
  const agent = new http.Agent({ keepAlive: false });
  const shapes: { impl: Impl; shape: Shape; names: string[]; bytes: number }[] = [];
  for (const impl of impls) {
    const reply = await send(agent, impl.target, 60_000);
    if (reply.status !== 200) throw new Error(`${impl.id}: HTTP ${reply.status} ${reply.text.slice(0, 500)}`);
    shapes.push({
      impl,
      shape: shapeOf(reply.text),
      names: namesOf(reply.text),
      bytes: Buffer.byteLength(reply.text),
    });
  }
  const ref = shapes[0];
  for (const s of shapes) {
    if (
      JSON.stringify(s.shape) !== JSON.stringify(ref.shape) ||
      JSON.stringify(s.names) !== JSON.stringify(ref.names)
    ) {
      throw new Error(
        `${s.impl.id} answers differently from ${ref.impl.id}:\n${JSON.stringify(s.shape)}\n${JSON.stringify(ref.shape)}`,
      );
    }
  }
  const sh = ref.shape;
  if (
    sh.companies !== 20 ||
    sh.contactsPerCompany.some((n) => n !== 10) ||
    sh.dealsPerCompany.some((n) => n !== 10) ||
    sh.stagedDealsPerCompany.some((n) => n !== 10)
  ) {
    throw new Error(`Unexpected answer shape: ${JSON.stringify(sh)}`);
  }
  log(
    `all return the same 20 companies × 10 contacts × 10 deals with their stage; bytes: ${shapes.map((s) => `${s.impl.id} ${s.bytes}`).join(', ')}`,
  );
  return Object.fromEntries(shapes.map((s) => [s.impl.id, s.bytes]));
}

/** The commit measured, with "+dirty" when src/ or migrations/ differ from it. */
function revisionOf(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--', 'src', 'migrations').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '+dirty' : ''}`;
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

async function profileMode(db: { url: string; key: string }, postmaster: number | null): Promise<void> {
  const metering = process.env.BENCH_PROFILE_METERING === 'off' ? 'off' : 'on';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workpex-prof-'));
  const impl = await startOurs('ours-metering-on', db.url, db.key, metering, [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ]);
  try {
    let window: [number, number] = [0, 0];
    let n = 0;
    const snap = takeSnapshot(impl, postmaster);
    const load = await runLoad(impl.target, {
      concurrency: settings.concurrency,
      warmupMs: settings.warmupS * 1000,
      durationMs: settings.durationS * 1000,
      snapshot: async () => {
        const now = Number(process.hrtime.bigint() / 1000n);
        if (n++ === 0) window = [now, now];
        else window[1] = now;
        await snap();
      },
    });
    if (load.errorSamples.length) log(`first errors: ${load.errorSamples.join(' | ')}`);
    await impl.child.stop();
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
    const summary = summariseProfile(path.join(dir, file), window, 25);
    const md = [
      `# CPU profile of our server (USAGE_METERING=${metering}): ${new Date().toISOString()}`,
      '',
      `Under the benchmark load (concurrency ${settings.concurrency}, ${settings.durationS} s): ` +
        `${fmt(load.ok / load.seconds, 0)} req/s while profiling, ${load.errors} errors.`,
      '',
      profileMarkdown(summary, load.betweenSnapshots),
      '',
    ].join('\n');
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(path.join(RESULTS, 'profile-latest.md'), md);
    console.log(`\n${md}`);
    log(`wrote bench/results/profile-latest.md (raw profile: ${path.join(dir, file)})`);
  } finally {
    await impl.child.stop();
    if (process.env.BENCH_KEEP_PROFILE !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const cpus = os.availableParallelism(); // before pinning, which narrows it to one core
  const revision = revisionOf(); // now, right after the build, not after minutes of others' edits
  const profile = process.argv.includes('--profile');
  const pinnedSelf = pinning ? pinSelf(pinning.load) : false;
  const pinText = pinning
    ? `servers pinned to core ${pinning.server}, load generator to core ${pinning.load}${pinnedSelf ? '' : ' (failed)'}, PostgreSQL unpinned`
    : hasTaskset
      ? 'one core only: nothing pinned'
      : 'no taskset: nothing pinned';
  log(pinText);

  const db = await prepareDatabase();
  const info = await serverInfo(db.url, postmasterOf);
  const postmaster = info.postmaster;
  if (postmaster === null) log('PostgreSQL is not a local process: its CPU time is not measured');

  if (profile) {
    await profileMode(db, postmaster);
    return;
  }

  const impls: Impl[] = [];
  try {
    log('starting the five servers');
    impls.push(
      ...(await Promise.all([
        startOurs('ours-metering-on', db.url, db.key, 'on'),
        startOurs('ours-metering-off', db.url, db.key, 'off'),
        startScript(
          'postgraphile5',
          'PostGraphile 5 (amber)',
          path.join(ROOT, 'bench', 'postgraphile5', 'server.mjs'),
          serverEnv(db.url),
          JSON.stringify({ query: POSTGRAPHILE5_QUERY, variables: { org: db.dataset.organizationId } }),
        ),
        startScript(
          'postgraphile',
          'PostGraphile v4',
          'postgraphile-server.js',
          serverEnv(db.url),
          JSON.stringify({ query: POSTGRAPHILE_QUERY, variables: { org: db.dataset.organizationId } }),
        ),
        startScript(
          'hand-written-sql',
          'hand-written SQL, bare node:http',
          'sql-server.js',
          serverEnv(db.url, { BENCH_ORG_ID: db.dataset.organizationId }),
          JSON.stringify({ query: OURS_QUERY }),
        ),
      ])),
    );
    const bytes = await checkShapes(impls);

    const measurements = new Map<ImplId, Measurement[]>(impls.map((i) => [i.id, []]));
    for (let round = 0; round < settings.rounds; round++) {
      // A B C D, then D C B A, …: a steady drift in machine speed then weighs the same on all four,
      // and metering on/off always run back to back.
      const order = round % 2 === 0 ? impls : [...impls].reverse();
      for (const impl of order) {
        const m = await measure(impl, round, postmaster);
        measurements.get(impl.id)?.push(m);
        log(
          `round ${round + 1}/${settings.rounds} ${impl.id}: ${fmt(m.load.ok / m.load.seconds, 0)} req/s, ` +
            `p50 ${fmt(percentile(m.load.latencies, 50), 2)} ms, errors ${m.load.errors}`,
        );
        if (m.load.errorSamples.length) log(`  first errors: ${m.load.errorSamples.join(' | ')}`);
      }
    }

    const when = new Date().toISOString();
    const results = impls.map((i) => ({
      id: i.id,
      label: i.label,
      summary: aggregate(measurements.get(i.id) ?? []),
    }));
    const meta = {
      cpus,
      cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
      database: db.shown,
      pinning: pinText,
      revision,
      serverNode: serverNodeVersion(),
    };
    const md = markdown(when, results, meta, db.dataset, info.version);
    const on = results.find((r) => r.id === 'ours-metering-on')?.summary;
    const off = results.find((r) => r.id === 'ours-metering-off')?.summary;
    const pgRps = results.find((r) => r.id === 'postgraphile5')?.summary.reqPerSec ?? NaN;
    const pgErrors = results.find((r) => r.id === 'postgraphile5')?.summary.errors;
    const json = {
      when,
      settings,
      machine: {
        ...meta,
        node: meta.serverNode,
        runner: process.version,
        postgres: info.version,
        loadAverage: os.loadavg(),
      },
      dataset: db.dataset,
      queries: { ours: OURS_QUERY, postgraphile: POSTGRAPHILE_QUERY, postgraphile5: POSTGRAPHILE5_QUERY },
      firstResponseBytes: bytes,
      results: results.map((r) => ({
        id: r.id,
        label: r.label,
        ...Object.fromEntries(
          Object.entries(r.summary).map(([k, v]) => [k, typeof v === 'number' ? round2(v, 3) : v]),
        ),
        vsPostgraphile5: round2(r.summary.reqPerSec / pgRps, 3),
      })),
      meteringOverheadPct: on && off ? round2((100 * (off.reqPerSec - on.reqPerSec)) / off.reqPerSec) : null,
      targets: {
        oursVsPostgraphile5: {
          target: 1.5,
          actual: on ? round2(on.reqPerSec / pgRps, 3) : null,
          /** False when a side had failed responses: the ratio then means nothing. */
          valid: on?.errors === 0 && pgErrors === 0,
        },
        meteringOverheadPct: {
          target: 10,
          actual: on && off ? round2((100 * (off.reqPerSec - on.reqPerSec)) / off.reqPerSec) : null,
          valid: on?.errors === 0 && off?.errors === 0,
        },
      },
    };
    mkdirSync(RESULTS, { recursive: true });
    const file = `${timestamp()}.json`;
    writeFileSync(path.join(RESULTS, file), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(path.join(RESULTS, 'latest.md'), md);
    console.log(`\n${md}`);
    log(`wrote bench/results/${file} and bench/results/latest.md`);
  } finally {
    await Promise.all(impls.map((i) => i.child.stop()));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);

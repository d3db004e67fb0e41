/**
 * Mailgun webhook ingest benchmark (issue 11): `npm run bench:webhooks` (see bench/README.md).
 *
 * Recreates the database `workpex_bench_webhooks` on the server of DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432), lets our server migrate it, signs up one organisation
 * through the API, and seeds with plain SQL one SENT campaign with one SENT member (and contact)
 * per event. Then it starts our server (`node dist/src/main.js`, NODE_ENV=production,
 * USAGE_METERING=on, MAILGUN_WEBHOOK_SIGNING_KEY set) pinned to core 1 while this process, the load
 * generator, runs on core 0, and POSTs BENCH_WEBHOOK_EVENTS signed webhook bodies (generated in
 * advance: unique event id and token each, timestamp now; 60 % delivered, 25 % opened, 10 % clicked,
 * 4 % failed/temporary, 1 % complained; one per member) to /webhooks/mailgun from BENCH_CONCURRENCY
 * keep-alive connections (closed loop). The first BENCH_WEBHOOK_WARMUP events warm up; the rest
 * are measured. Afterwards 100 of the bodies are replayed (each must get 406) and the rows are
 * counted: every event in email_event with its kind, every token in email_webhook_token, every
 * member in the status its event implies, complaints on the contact and the suppression list.
 *
 * `--profile` adds a second pass on reset data with the server under `node --cpu-prof`, and puts
 * where its CPU goes into the report.
 *
 * Writes bench/results/webhooks-<timestamp>.json and bench/results/webhooks-latest.md.
 *
 * Env: DATABASE_URL, BENCH_WEBHOOK_EVENTS (20000), BENCH_CONCURRENCY (32), BENCH_WEBHOOK_WARMUP (1000),
 * BENCH_WEBHOOK_REPLAYS (100), BENCH_DB_POOL_SIZE (10: the server's DB_POOL_SIZE), BENCH_LOG_LEVEL (warn),
 * BENCH_WEBHOOK_DATABASE (workpex_bench_webhooks),
 * BENCH_NODE (the Node binary of the server), BENCH_KEEP_PROFILE=1 (keep the .cpuprofile).
 */
import { envNumber } from './env.js';
import { TenantSql } from '../src/platform/db/tenant-sql.js';
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { measure, type BouncePolicy } from '../src/modules/campaigns/email/policy.js';
import { benchUrls, serverInfo, UnreachableError } from './database.js';
import { percentile, send } from './load.js';
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

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
/** BENCH_WEBHOOK_DATABASE: another name, so that two runs on one server do not drop each other's database. */
const DATABASE = process.env.BENCH_WEBHOOK_DATABASE || 'workpex_bench_webhooks';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DATABASE)) {
  console.error(`BENCH_WEBHOOK_DATABASE must be a plain lower-case identifier, got ${DATABASE}`);
  process.exit(2);
}
const ORG_NAME = 'Workpex Webhook Bench';
const SIGNING_KEY = `bench-signing-key-${randomBytes(12).toString('hex')}`;
const TARGET_EVENTS_PER_S = 2000;
/** The server's LISTEN/NOTIFY channel (PostgresTransport's default). */
const EVENT_CHANNEL = 'workpex_events';
const WEBHOOK_JS = path.join(ROOT, 'dist', 'src', 'modules', 'campaigns', 'email', 'webhooks.js');
const WEBHOOK_TS = 'src/modules/campaigns/email/webhooks.ts';

const settings = {
  events: envNumber('BENCH_WEBHOOK_EVENTS', 20_000, 200, { integer: true }),
  concurrency: envNumber('BENCH_CONCURRENCY', 32, 1, { integer: true }),
  warmup: envNumber('BENCH_WEBHOOK_WARMUP', 1_000, 0, { integer: true }),
  replays: envNumber('BENCH_WEBHOOK_REPLAYS', 100, 0, { integer: true }),
  dbPoolSize: envNumber('BENCH_DB_POOL_SIZE', 10, 1, { integer: true }),
};
if (settings.warmup >= settings.events / 2) {
  console.error('BENCH_WEBHOOK_WARMUP must be under half of BENCH_WEBHOOK_EVENTS');
  process.exit(2);
}
settings.replays = Math.min(settings.replays, settings.events);

/** The default bounce policy (config EMAIL_BOUNCE_*, left at their defaults for the server too). */
const POLICY: BouncePolicy = {
  windowDays: 7,
  minSends: 100,
  hardBounceThreshold: 0.05,
  complaintThreshold: 0.001,
};

// ---------------------------------------------------------------------------------------------
// The event mix
// ---------------------------------------------------------------------------------------------

interface Kind {
  /** email_event.kind the server records. */
  kind: string;
  /** Mailgun's event name. */
  event: string;
  severity?: 'temporary';
  /** Events of this kind in every 100. */
  per100: number;
  /** The member's status after it (from SENT). */
  status: string;
}

const MIX: Kind[] = [
  { kind: 'delivered', event: 'delivered', per100: 60, status: 'DELIVERED' },
  { kind: 'opened', event: 'opened', per100: 25, status: 'OPENED' },
  { kind: 'clicked', event: 'clicked', per100: 10, status: 'CLICKED' },
  { kind: 'failed-temporary', event: 'failed', severity: 'temporary', per100: 4, status: 'BOUNCED' },
  { kind: 'complained', event: 'complained', per100: 1, status: 'COMPLAINED' },
];

/** Event i's kind: exactly the mix in every 100 events, interleaved (37 is prime to 100). */
function kindOfIndex(i: number): Kind {
  const r = (i * 37) % 100;
  let acc = 0;
  for (const k of MIX) {
    acc += k.per100;
    if (r < acc) return k;
  }
  return MIX[0];
}

interface Member {
  id: string;
  email: string;
}

/** A body as Mailgun posts it (fields as in Mailgun's webhook samples), signed with the key. */
function webhookBody(member: Member, k: Kind, nowMs: number): { body: string; token: string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  const token = randomBytes(25).toString('hex');
  const signature = createHmac('sha256', SIGNING_KEY)
    .update(timestamp + token)
    .digest('hex');
  const domain = member.email.slice(member.email.indexOf('@') + 1);
  const event: Record<string, unknown> = {
    id: randomBytes(16).toString('base64url'),
    event: k.event,
    timestamp: nowMs / 1000,
    'log-level': k.event === 'failed' ? 'warn' : 'info',
    recipient: member.email,
    'recipient-domain': domain,
    tags: ['campaign'],
    campaigns: [],
    'user-variables': { member: member.id },
    flags: { 'is-routed': false, 'is-authenticated': true, 'is-system-test': false, 'is-test-mode': false },
    envelope: {
      transport: 'smtp',
      sender: 'news@mg.workpex.local',
      'sending-ip': '209.61.154.250',
      targets: member.email,
    },
    message: {
      headers: {
        to: member.email,
        'message-id': `${randomBytes(8).toString('hex')}@mg.workpex.local`,
        from: 'Workpex <news@mg.workpex.local>',
        subject: 'Our November news',
      },
      attachments: [],
      size: 4816,
    },
    storage: { url: 'https://storage.mailgun.net/v3/domains/mg.workpex.local/messages/x', key: 'x' },
  };
  if (k.event === 'delivered') {
    event['delivery-status'] = {
      tls: true,
      'mx-host': `mx.${domain}`,
      'attempt-no': 1,
      description: '',
      'session-seconds': 0.43,
      utf8: true,
      code: 250,
      message: 'OK',
      'certificate-verified': true,
    };
  } else if (k.event === 'failed') {
    event.severity = k.severity;
    event.reason = 'generic';
    event['delivery-status'] = {
      'attempt-no': 1,
      message: '4.2.2 The email account that you tried to reach is over quota.',
      code: 452,
      description: '',
      'session-seconds': 1.2,
      'retry-seconds': 600,
    };
  } else if (k.event === 'opened' || k.event === 'clicked') {
    event.ip = '50.56.129.169';
    event.geolocation = { country: 'US', region: 'CA', city: 'San Francisco' };
    event['client-info'] = {
      'client-os': 'Linux',
      'device-type': 'desktop',
      'client-name': 'Chrome',
      'client-type': 'browser',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    };
    if (k.event === 'clicked') event.url = 'https://www.workpex.example/news/november';
  }
  return {
    body: JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': event }),
    token,
  };
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

const log = (msg: string) => console.log(`[webhooks ${(performance.now() / 1000).toFixed(1)}s] ${msg}`);

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Drops and recreates the database; the URL of the new one. */
async function recreateDatabase(): Promise<{ url: string; shown: string }> {
  const urls = benchUrls();
  const admin = new pg.Client({ connectionString: urls.admin, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new UnreachableError(
      `Cannot reach PostgreSQL at ${urls.shown}: ${(err as Error).message}\n` +
        'Start PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) or set DATABASE_URL to a server ' +
        `where the role may CREATE DATABASE (the benchmark drops and recreates "${DATABASE}" there).`,
    );
  }
  try {
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
    await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(urls.admin);
  url.pathname = `/${DATABASE}`;
  return { url: url.href, shown: urls.shown };
}

interface Seeded {
  organizationId: string;
  campaignId: string;
  members: Member[];
  seedMs: number;
}

/** One SENT campaign with `n` SENT members (sent_at now, the contact's address), one contact each. */
async function seed(url: string, n: number): Promise<Seeded> {
  const started = Date.now();
  return withClient(url, async (c) => {
    const org = await c.query<{ id: string }>('select id from organization where name = $1', [ORG_NAME]);
    if (org.rows.length !== 1) throw new Error(`signUp did not create the organisation ${ORG_NAME}`);
    const organizationId = org.rows[0].id;
    await c.query('begin');
    await c.query(
      `insert into contact (id, organization_id, first_name, last_name, emails, phones, job_title, company_id,
                            owner_id, lifecycle_stage, email_status, tags, custom_fields, created_at, updated_at)
       select gen_random_uuid(), $1, 'Recipient', lpad(i::text, 6, '0'),
              array['recipient' || i || '@domain' || (i % 500) || '.example'], '{}', null, null, null, 'LEAD',
              'SUBSCRIBED', '{}', '{}'::jsonb, $2::timestamptz + i * interval '1 millisecond',
              $2::timestamptz + i * interval '1 millisecond'
         from generate_series(1, $3::int) i`,
      [organizationId, '2026-01-01T00:00:00Z', n],
    );
    const campaign = await c.query<{ id: string }>(
      `insert into campaign (id, organization_id, name, subject, html_body, text_body, from_email, from_name,
                             status, sent_at, created_at, updated_at)
       values (gen_random_uuid(), $1, 'Webhook bench', 'Our November news',
               '<p>News. <a href="%unsubscribe_url%">Unsubscribe</a></p>', 'News. %unsubscribe_url%',
               'news@mg.workpex.local', 'Workpex', 'SENT', now(), now(), now())
       returning id`,
      [organizationId],
    );
    const campaignId = campaign.rows[0].id;
    await c.query(
      `insert into campaign_member (id, organization_id, campaign_id, contact_id, email, status, sent_at, attempts,
                                    created_at, updated_at)
       select gen_random_uuid(), $1, $2, c.id, c.emails[1], 'SENT', now(), 1, now(), now()
         from contact c where c.organization_id = $1`,
      [organizationId, campaignId],
    );
    await c.query('commit');
    await c.query('vacuum analyze');
    const members = await c.query<Member>(
      `select m.id, m.email from campaign_member m join contact c on c.id = m.contact_id
        where m.campaign_id = $1 order by c.created_at`,
      [campaignId],
    );
    if (members.rows.length !== n) throw new Error(`seeded ${members.rows.length} members, not ${n}`);
    return { organizationId, campaignId, members: members.rows, seedMs: Date.now() - started };
  });
}

/** Back to the seeded state (for the profiled pass): no events, tokens, suppressions; all members SENT. */
async function resetData(url: string, s: Seeded): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('truncate email_event, email_webhook_token, email_suppression, email_restriction');
    await c.query(
      `update campaign_member set status = 'SENT', bounce_type = null, error = null, sent_at = now(),
              updated_at = now() where campaign_id = $1`,
      [s.campaignId],
    );
    await c.query(`update contact set email_status = 'SUBSCRIBED' where organization_id = $1`, [
      s.organizationId,
    ]);
    await c.query(`update campaign set status = 'SENT' where id = $1`, [s.campaignId]);
    await c.query('vacuum analyze');
  });
}

/** Cumulative counters of the database (complete once the server's backends have exited). */
interface DbStats {
  xacts: number;
  memberSeqScans: number;
  memberSeqTupRead: number;
  eventSeqScans: number;
  eventIdxScans: number;
  walRecords: number;
  walBytes: number;
  walSyncs: number;
}

async function dbStats(url: string): Promise<DbStats> {
  return withClient(url, async (c) => {
    const r = await c.query<Record<keyof DbStats, string>>(
      `select (select xact_commit + xact_rollback from pg_stat_database where datname = current_database()) as "xacts",
              (select seq_scan from pg_stat_user_tables where relname = 'campaign_member') as "memberSeqScans",
              (select seq_tup_read from pg_stat_user_tables where relname = 'campaign_member') as "memberSeqTupRead",
              (select seq_scan from pg_stat_user_tables where relname = 'email_event') as "eventSeqScans",
              (select coalesce(idx_scan, 0) from pg_stat_user_tables where relname = 'email_event') as "eventIdxScans",
              w.wal_records as "walRecords", w.wal_bytes as "walBytes", w.wal_sync as "walSyncs"
         from pg_stat_wal w`,
    );
    return Object.fromEntries(
      Object.entries(r.rows[0]).map(([k, v]) => [k, Number(v)]),
    ) as unknown as DbStats;
  });
}

const diffStats = (a: DbStats, b: DbStats): DbStats =>
  Object.fromEntries(
    (Object.keys(a) as (keyof DbStats)[]).map((k) => [k, b[k] - a[k]]),
  ) as unknown as DbStats;

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

function serverEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    DB_POOL_SIZE: String(settings.dbPoolSize),
    USAGE_METERING: 'on',
    MAILGUN_WEBHOOK_SIGNING_KEY: SIGNING_KEY,
  };
}

/** As `npm start` runs it. */
const serverArgs = (extra: string[] = []) => [
  '--max-semi-space-size=32',
  ...extra,
  path.join(ROOT, 'dist', 'src', 'main.js'),
];

async function signUp(url: string): Promise<void> {
  const setup = await startNode('setup server', serverArgs(), serverEnv(url), null);
  try {
    const reply = await send(new http.Agent(), {
      port: setup.port,
      path: '/graphql',
      headers: {},
      body: JSON.stringify({
        query: `mutation { signUp(input: { organizationName: "${ORG_NAME}", email: "webhooks@example.com", name: "Bench" }) { key } }`,
      }),
    });
    const parsed = JSON.parse(reply.text) as { data?: { signUp?: { key?: string } } };
    if (reply.status !== 200 || !parsed.data?.signUp?.key) {
      throw new Error(`signUp failed: HTTP ${reply.status} ${reply.text}`);
    }
  } finally {
    await setup.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

interface Snapshot {
  /** performance.now() */
  t: number;
  /** CLOCK_MONOTONIC µs (the clock of V8's profile timestamps). */
  monoUs: number;
  server: number;
  postgres: number;
  self: number;
  machine: { busy: number; total: number };
  /** The server's resident memory, MB. */
  rssMb: number;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function snapshot(server: Child, postmaster: number | null): Snapshot {
  return {
    t: performance.now(),
    monoUs: Number(process.hrtime.bigint() / 1000n),
    server: cpuMs(server.pid) ?? NaN,
    postgres: postmaster === null ? NaN : postgresCpuMs(postmaster),
    self: cpuMs('self') ?? NaN,
    machine: machineCpuMs(),
    rssMb: rssMb(server.pid),
  };
}

interface Phase {
  /** Events sent (each exactly once). */
  sent: number;
  statuses: Record<string, number>;
  messages: Record<string, number>;
  /** Latencies (ms), sorted. */
  latencies: number[];
  /** Completions per whole second since the phase began (the last, partial second left out). */
  perSecond: number[];
  start: Snapshot;
  end: Snapshot;
}

const messageOf = (text: string): string => {
  try {
    return String((JSON.parse(text) as { message?: unknown }).message);
  } catch {
    return text.slice(0, 80);
  }
};

/** POSTs bodies[from..to) from `concurrency` workers, each sending its next when its answer is in. */
async function runPhase(
  agent: http.Agent,
  server: Child,
  postmaster: number | null,
  bodies: string[],
  from: number,
  to: number,
  concurrency: number,
): Promise<Phase> {
  const statuses: Record<string, number> = {};
  const messages: Record<string, number> = {};
  const latencies: number[] = [];
  const ends: number[] = [];
  let next = from;
  const start = snapshot(server, postmaster);
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const t0 = performance.now();
      let status: string;
      let message: string;
      try {
        const reply = await send(agent, {
          port: server.port,
          path: '/webhooks/mailgun',
          headers: {},
          body: bodies[i],
        });
        status = String(reply.status);
        message = messageOf(reply.text);
      } catch (err) {
        status = 'network error';
        message = (err as Error).message;
      }
      const t1 = performance.now();
      statuses[status] = (statuses[status] ?? 0) + 1;
      messages[message] = (messages[message] ?? 0) + 1;
      latencies.push(t1 - t0);
      ends.push(t1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
  const end = snapshot(server, postmaster);
  latencies.sort((a, b) => a - b);
  const seconds = Math.floor((end.t - start.t) / 1000);
  const perSecond = Array.from({ length: seconds }, () => 0);
  for (const t of ends) {
    const s = Math.floor((t - start.t) / 1000);
    if (s < seconds) perSecond[s] += 1;
  }
  return { sent: to - from, statuses, messages, latencies, perSecond, start, end };
}

// ---------------------------------------------------------------------------------------------
// Checks after the run
// ---------------------------------------------------------------------------------------------

interface Check {
  name: string;
  expected: number;
  actual: number;
}

async function checkRows(
  url: string,
  s: Seeded,
  kinds: Kind[],
): Promise<{ checks: Check[]; restriction: { restricted: boolean; reason: string | null } | null }> {
  return withClient(url, async (c) => {
    const count = async (text: string, params: unknown[] = []) =>
      Number((await c.query<{ n: string }>(text, params)).rows[0].n);
    const expected = (status: string) => kinds.filter((k) => k.status === status).length;
    const expectedKind = (kind: string) => kinds.filter((k) => k.kind === kind).length;
    const n = kinds.length;
    const ids = s.members.slice(0, n).map((m) => m.id);
    const perKind: Check[] = [];
    const perStatus: Check[] = [];
    for (const k of MIX) {
      perKind.push({
        name: `email_event rows of kind ${k.kind}`,
        expected: expectedKind(k.kind),
        actual: await count('select count(*) as n from email_event where kind = $1', [k.kind]),
      });
      perStatus.push({
        name: `members ${k.status}`,
        expected: expected(k.status),
        actual: await count(
          'select count(*) as n from campaign_member where campaign_id = $1 and status = $2',
          [s.campaignId, k.status],
        ),
      });
    }
    const checks: Check[] = [
      { name: 'email_event rows', expected: n, actual: await count('select count(*) as n from email_event') },
      {
        name: 'email_webhook_token rows',
        expected: n,
        actual: await count('select count(*) as n from email_webhook_token'),
      },
      ...perKind,
      {
        name: 'events sent without their (member, kind) row in email_event',
        expected: 0,
        actual: await count(
          `select count(*) as n from unnest($1::uuid[], $2::text[]) as x(member, kind)
            where not exists (select 1 from email_event e where e.member = x.member and e.kind = x.kind)`,
          [ids, kinds.map((k) => k.kind)],
        ),
      },
      ...perStatus,
      {
        name: 'members not in the status their event implies',
        expected: 0,
        actual: await count(
          `select count(*) as n from unnest($1::uuid[], $2::text[]) as x(member, status)
             join campaign_member m on m.id = x.member where m.status is distinct from x.status`,
          [ids, kinds.map((k) => k.status)],
        ),
      },
      {
        name: 'members still SENT',
        expected: s.members.length - n,
        actual: await count(
          `select count(*) as n from campaign_member where campaign_id = $1 and status = 'SENT'`,
          [s.campaignId],
        ),
      },
      {
        name: 'members BOUNCED with bounce_type SOFT',
        expected: expectedKind('failed-temporary'),
        actual: await count(
          `select count(*) as n from campaign_member where campaign_id = $1 and status = 'BOUNCED' and bounce_type = 'SOFT'`,
          [s.campaignId],
        ),
      },
      {
        name: 'contacts COMPLAINED',
        expected: expectedKind('complained'),
        actual: await count(
          `select count(*) as n from contact where organization_id = $1 and email_status = 'COMPLAINED'`,
          [s.organizationId],
        ),
      },
      {
        name: 'email_suppression rows (COMPLAINT)',
        expected: expectedKind('complained'),
        actual: await count(
          `select count(*) as n from email_suppression where organization_id = $1 and reason = 'COMPLAINT'`,
          [s.organizationId],
        ),
      },
    ];
    const r = await c.query<{ restricted: boolean; reason: string | null }>(
      'select restricted, reason from email_restriction where organization_id = $1',
      [s.organizationId],
    );
    return { checks, restriction: r.rows[0] ?? null };
  });
}

/** The policy's measuring statement (the app's own, via policy.measure) on the final data: plan and time. */
async function policyStatement(
  url: string,
  organizationId: string,
): Promise<{ medianMs: number; executionMs: number; plan: string[] }> {
  return withClient(url, async (c) => {
    let captured: { text: string; params: readonly unknown[] } | null = null;
    const sql = {
      query: async <T extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) => {
        captured = { text, params };
        return (await c.query<T>(text, params as unknown[])).rows;
      },
    };
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await measure(new TenantSql(sql, organizationId), POLICY);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const stmt = captured as { text: string; params: readonly unknown[] } | null;
    if (!stmt) throw new Error('policy.measure sent no statement');
    const plan = (
      await c.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers) ${stmt.text}`,
        stmt.params as unknown[],
      )
    ).rows.map((r) => r['QUERY PLAN']);
    const exec = plan.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
    return { medianMs: percentile(times, 50), executionMs: exec ? Number(exec[1]) : NaN, plan };
  });
}

// ---------------------------------------------------------------------------------------------
// Profile: self time (profile.ts) and inclusive time per function
// ---------------------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function frameLabel(f: ProfileNode['callFrame']): string {
  const fn = f.functionName || '(anonymous)';
  if (!f.url) return fn;
  const file = f.url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  const shown = nm >= 0 ? file.slice(nm + '/node_modules/'.length) : path.relative(ROOT, file) || file;
  return `${fn} (${shown}:${f.lineNumber + 1})`;
}

/** CPU under each function (itself and what it calls, synchronously) in the window, idle excluded. */
function inclusiveTimes(file: string, windowUs: [number, number], top: number) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<string, number>();
  let total = 0;
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (t < windowUs[0] || t > windowUs[1]) continue;
    const leaf = byId.get(p.samples[i]);
    if (!leaf || leaf.callFrame.functionName === '(idle)') continue;
    total += dt;
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node || node.callFrame.functionName === '(root)') continue;
      const label = frameLabel(node.callFrame);
      if (seen.has(label)) continue;
      seen.add(label);
      time.set(label, (time.get(label) ?? 0) + dt);
    }
  }
  return [...time.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: total ? (100 * us) / total : 0 }));
}

/**
 * Preloaded into the profiled server (`--require`): counts the statements it sends, by text, through
 * the app's own `pg` (node-postgres) and writes them at exit. Only in the profiled pass.
 */
const STATEMENT_COUNTER = `
const fs = require('node:fs');
const pg = require(require.resolve('pg', { paths: [process.env.WPX_BENCH_ROOT] }));
const counts = new Map();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  const text = typeof config === 'string' ? config : config && config.text;
  if (typeof text === 'string') {
    const key = text.replace(/\\s+/g, ' ').trim().slice(0, 120);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return query.call(this, config, values, callback);
};
process.on('exit', () => {
  fs.writeFileSync(process.env.WPX_BENCH_STATEMENTS, JSON.stringify([...counts.entries()]));
});
`;

// ---------------------------------------------------------------------------------------------
// One pass: start the server, warm up, measure, replay, stop, count
// ---------------------------------------------------------------------------------------------

interface PassResult {
  profiled: boolean;
  measured: Phase;
  warmup: Phase | null;
  replay: { sent: number; statuses: Record<string, number>; messages: Record<string, number> };
  /**
   * `bounceRateChanged` notifications (pg_notify on the server's channel) seen by a LISTEN connection
   * of this process: by the end of the measured window, in all, and when the last arrived.
   */
  notified: { atWindowEnd: number; total: number; lastAfterWindowS: number | null; waitedS: number };
  /** Warnings and errors among the server's last 60 output lines (pino levels ≥ 40). */
  serverWarnings: string[];
  db: DbStats;
  /** From the server's start to its exit. */
  serverUpSeconds: number;
  checks: Check[];
  restriction: { restricted: boolean; reason: string | null } | null;
  nothingLost: boolean;
  allOk: boolean;
  profile?: {
    markdown: string;
    /** Milliseconds of non-idle samples in the window (more than the server's CPU when it waits off-CPU in system calls). */
    sampledMs: number;
    inclusive: { name: string; ms: number; pct: number }[];
    /** Statements the server sent over its whole life (start, warm-up, measured, replays), by text. */
    statements: { text: string; count: number }[];
    file?: string;
  };
}

async function pass(
  url: string,
  s: Seeded,
  postmaster: number | null,
  profiled: boolean,
): Promise<PassResult> {
  const n = settings.events;
  const dir = profiled ? mkdtempSync(path.join(os.tmpdir(), 'workpex-webhooks-prof-')) : null;
  if (dir) writeFileSync(path.join(dir, 'count-statements.cjs'), STATEMENT_COUNTER);
  const before = await dbStats(url);
  const server = await startNode(
    profiled ? 'workpex (profiled)' : 'workpex',
    serverArgs(
      dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--require', path.join(dir, 'count-statements.cjs')] : [],
    ),
    dir
      ? {
          ...serverEnv(url),
          WPX_BENCH_ROOT: ROOT,
          WPX_BENCH_STATEMENTS: path.join(dir, 'statements.json'),
        }
      : serverEnv(url),
    pinning?.server ?? null,
  );
  const upAt = performance.now();
  // The server publishes bounceRateChanged through PostgreSQL LISTEN/NOTIFY (no REDIS_URL): count them.
  const listener = new pg.Client({ connectionString: url });
  let notifiedCount = 0;
  let notifiedLastAt = 0;
  listener.on('notification', (msg) => {
    if (msg.payload?.startsWith('{"c":"bounce:')) {
      notifiedCount += 1;
      notifiedLastAt = performance.now();
    }
  });
  await listener.connect();
  await listener.query(`listen ${EVENT_CHANNEL}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.concurrency });
  let result: Omit<
    PassResult,
    'db' | 'checks' | 'restriction' | 'nothingLost' | 'allOk' | 'profile' | 'serverUpSeconds'
  >;
  try {
    const kinds = Array.from({ length: n }, (_, i) => kindOfIndex(i));
    const t0 = performance.now();
    const generated = s.members.slice(0, n).map((m, i) => webhookBody(m, kinds[i], Date.now()));
    const bodies = generated.map((g) => g.body);
    log(
      `${profiled ? 'profiled pass: ' : ''}${n} signed bodies generated in ${(performance.now() - t0).toFixed(0)} ms ` +
        `(mean ${(bodies.reduce((a, b) => a + b.length, 0) / n).toFixed(0)} bytes); warm-up ${settings.warmup}, measuring ${n - settings.warmup}`,
    );
    const warmup = settings.warmup
      ? await runPhase(agent, server, postmaster, bodies, 0, settings.warmup, settings.concurrency)
      : null;
    const measured = await runPhase(
      agent,
      server,
      postmaster,
      bodies,
      settings.warmup,
      n,
      settings.concurrency,
    );
    const atWindowEnd = notifiedCount;
    const secs = (measured.end.t - measured.start.t) / 1000;
    log(
      `measured ${measured.sent} events in ${secs.toFixed(2)} s: ${(measured.sent / secs).toFixed(0)} events/s, ` +
        `statuses ${JSON.stringify(measured.statuses)}`,
    );
    // Replays: evenly spread bodies sent again, one at a time.
    const replay = {
      sent: 0,
      statuses: {} as Record<string, number>,
      messages: {} as Record<string, number>,
    };
    for (let k = 0; k < settings.replays; k++) {
      const i = Math.floor((k * n) / settings.replays);
      const reply = await send(agent, {
        port: server.port,
        path: '/webhooks/mailgun',
        headers: {},
        body: bodies[i],
      });
      replay.sent += 1;
      replay.statuses[reply.status] = (replay.statuses[reply.status] ?? 0) + 1;
      const m = messageOf(reply.text);
      replay.messages[m] = (replay.messages[m] ?? 0) + 1;
    }
    log(`replayed ${replay.sent}: ${JSON.stringify(replay.statuses)}`);
    // Wait for the notifications still queued in the server: until one per event, 5 s without one, or 120 s.
    const waitFrom = performance.now();
    let seen = -1;
    let stillSince = performance.now();
    while (
      notifiedCount < n &&
      performance.now() - waitFrom < 120_000 &&
      performance.now() - stillSince < 5_000
    ) {
      if (notifiedCount !== seen) {
        seen = notifiedCount;
        stillSince = performance.now();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const notified = {
      atWindowEnd,
      total: notifiedCount,
      lastAfterWindowS: notifiedCount ? (notifiedLastAt - measured.end.t) / 1000 : null,
      waitedS: (performance.now() - waitFrom) / 1000,
    };
    log(
      `bounceRateChanged notifications: ${atWindowEnd} by the end of the window, ${notifiedCount} in all ` +
        `(the last ${fmt(notified.lastAfterWindowS, 1)} s after the window)`,
    );
    const serverWarnings = server
      .tail()
      .split('\n')
      .filter((l) => /"level":(4|5|6)0/.test(l));
    result = { profiled, measured, warmup, replay, notified, serverWarnings };
  } finally {
    agent.destroy();
    await listener.end().catch(() => undefined);
    await server.stop();
  }
  const serverUpSeconds = (performance.now() - upAt) / 1000;
  // The server's backends have exited: their statistics are flushed.
  await new Promise((r) => setTimeout(r, 500));
  const db = diffStats(before, await dbStats(url));
  const kinds = Array.from({ length: n }, (_, i) => kindOfIndex(i));
  const { checks, restriction } = await checkRows(url, s, kinds);
  const statusOk = (p: Phase | null) => !p || (p.statuses['200'] ?? 0) === p.sent;
  const appliedOk = (p: Phase | null) => !p || (p.messages['Applied.'] ?? 0) === p.sent;
  const replayOk = (result.replay.statuses['406'] ?? 0) === result.replay.sent;
  const rowsOk = checks.every((c) => c.expected === c.actual);
  const allOk =
    statusOk(result.warmup) &&
    statusOk(result.measured) &&
    appliedOk(result.warmup) &&
    appliedOk(result.measured);
  const out: PassResult = {
    ...result,
    serverUpSeconds,
    db,
    checks,
    restriction,
    allOk,
    nothingLost: rowsOk && allOk && replayOk,
  };
  if (dir) {
    try {
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
      const full = path.join(dir, file);
      const window: [number, number] = [result.measured.start.monoUs, result.measured.end.monoUs];
      const summary = summariseProfile(full, window, 25);
      out.profile = {
        markdown: profileMarkdown(summary, result.measured.sent).replace(/µs\/req/g, 'µs/event'),
        sampledMs: summary.sampledMs,
        inclusive: inclusiveTimes(full, window, 40),
        statements: (
          JSON.parse(readFileSync(path.join(dir, 'statements.json'), 'utf8')) as [string, number][]
        )
          .map(([text, count]) => ({ text, count }))
          .sort((a, b) => b.count - a.count),
        file: process.env.BENCH_KEEP_PROFILE === '1' ? full : undefined,
      };
    } finally {
      if (process.env.BENCH_KEEP_PROFILE !== '1') rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const fmt = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);

function summarise(p: PassResult) {
  const m = p.measured;
  const seconds = (m.end.t - m.start.t) / 1000;
  const events = m.sent;
  const per = (f: (s: Snapshot) => number) => (f(m.end) - f(m.start)) / events;
  const machineBusy = m.end.machine.busy - m.start.machine.busy;
  const machineTotal = m.end.machine.total - m.start.machine.total;
  const accounted =
    m.end.server - m.start.server + (m.end.postgres - m.start.postgres || 0) + (m.end.self - m.start.self);
  const sortedSeconds = [...m.perSecond].sort((a, b) => a - b);
  const total = settings.events + p.replay.sent;
  return {
    eventsPerSecond: events / seconds,
    seconds,
    events,
    meanMs: m.latencies.reduce((a, b) => a + b, 0) / m.latencies.length,
    p50Ms: percentile(m.latencies, 50),
    p90Ms: percentile(m.latencies, 90),
    p99Ms: percentile(m.latencies, 99),
    maxMs: m.latencies[m.latencies.length - 1],
    serverCpuMsPerEvent: per((s) => s.server),
    serverCorePct: (100 * (m.end.server - m.start.server)) / (m.end.t - m.start.t),
    postgresCpuMsPerEvent: per((s) => s.postgres),
    postgresCores: (m.end.postgres - m.start.postgres) / (m.end.t - m.start.t),
    loadGeneratorCpuMsPerEvent: per((s) => s.self),
    otherCpuPct: (100 * (machineBusy - accounted)) / machineTotal,
    machineBusyPct: (100 * machineBusy) / machineTotal,
    perSecond: { min: sortedSeconds[0], median: percentile(sortedSeconds, 50), max: sortedSeconds.at(-1) },
    perSecondSeries: m.perSecond,
    /** Over the whole pass (warm-up, measured, replays, server start and its background polling). */
    transactionsPerEvent: p.db.xacts / total,
    walBytesPerEvent: p.db.walBytes / total,
    walSyncsPerEvent: p.db.walSyncs / total,
    memberSeqScans: p.db.memberSeqScans,
    rssStartMb: m.start.rssMb,
    rssEndMb: m.end.rssMb,
    memberSeqTupReadPerEvent: p.db.memberSeqTupRead / total,
    serverUpSeconds: p.serverUpSeconds,
    /** events/s if the server's one core were the only limit, and if all CPU measured shared the machine's cores. */
    serverCoreCeiling: 1000 / ((m.end.server - m.start.server) / events),
  };
}

type Summary = ReturnType<typeof summarise>;

function revisionOf(): { revision: string; webhookDirty: boolean; webhookJsSha: string } {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'src', 'migrations').stdout?.trim() !== '';
  const webhookDirty = git('status', '--porcelain', '--', WEBHOOK_TS).stdout?.trim() !== '';
  const webhookJsSha = existsSync(WEBHOOK_JS)
    ? createHash('sha256').update(readFileSync(WEBHOOK_JS)).digest('hex').slice(0, 12)
    : 'missing';
  return {
    revision: head.status === 0 ? `${head.stdout.trim()}${dirty ? '+dirty' : ''}` : 'unknown',
    webhookDirty,
    webhookJsSha,
  };
}

function statementRows(p: PassResult): string[] {
  const posted = settings.events + p.replay.sent;
  const rows = (p.profile?.statements ?? []).filter((r) => r.count * 1000 >= posted);
  const total = (p.profile?.statements ?? []).reduce((a, r) => a + r.count, 0);
  return [
    ...rows.map(
      (r) =>
        `| \`${r.text.replace(/\|/g, '\\|').replace(/`/g, "'")}\` | ${r.count} | ${(r.count / posted).toFixed(3)} |`,
    ),
    `| **all statements** | ${total} | ${(total / posted).toFixed(2)} |`,
  ];
}

function markdown(
  when: string,
  run: PassResult,
  s: Summary,
  profiled: PassResult | null,
  meta: Record<string, unknown>,
  policy: { medianMs: number; executionMs: number; plan: string[] },
): string {
  const verdict = !run.allOk
    ? `**not measurable**: not every event got 200 "Applied." (${JSON.stringify(run.measured.statuses)})`
    : s.eventsPerSecond >= TARGET_EVENTS_PER_S
      ? '**met**'
      : '**missed**';
  const ok = (b: boolean) => (b ? 'yes' : '**NO**');
  const rows: [string, string][] = [
    ['events/s (measured window)', fmt(s.eventsPerSecond, 0)],
    ['events measured / window', `${s.events} / ${fmt(s.seconds, 2)} s`],
    [
      'events/s per second: min / median / max',
      `${s.perSecond.min} / ${s.perSecond.median} / ${s.perSecond.max}`,
    ],
    [
      'latency p50 / p90 / p99 / max ms',
      `${fmt(s.p50Ms, 2)} / ${fmt(s.p90Ms, 2)} / ${fmt(s.p99Ms, 2)} / ${fmt(s.maxMs, 1)}`,
    ],
    ['HTTP statuses (measured)', JSON.stringify(run.measured.statuses)],
    ['answers (measured)', JSON.stringify(run.measured.messages)],
    ['server CPU ms/event', fmt(s.serverCpuMsPerEvent, 3)],
    ['server core %', fmt(s.serverCorePct, 0)],
    ['PostgreSQL CPU ms/event', fmt(s.postgresCpuMsPerEvent, 3)],
    ['PostgreSQL cores busy', fmt(s.postgresCores, 2)],
    ['load generator CPU ms/event', fmt(s.loadGeneratorCpuMsPerEvent, 3)],
    ['transactions/event (whole pass)', fmt(s.transactionsPerEvent, 2)],
    [
      'WAL bytes/event, WAL syncs/event (whole cluster)',
      `${fmt(s.walBytesPerEvent, 0)}, ${fmt(s.walSyncsPerEvent, 3)}`,
    ],
    [
      'campaign_member seq scans (policy evaluations + the send worker polls, 1/s)',
      `${s.memberSeqScans} (server up ${fmt(s.serverUpSeconds, 0)} s; ${fmt(s.memberSeqTupReadPerEvent, 0)} rows read/event)`,
    ],
    ['ceiling from the server core alone (1000 ÷ server CPU ms/event)', fmt(s.serverCoreCeiling, 0)],
    [
      `ceiling from all measured CPU on ${meta.cpus} cores`,
      fmt(
        (1000 * Number(meta.cpus)) /
          (s.serverCpuMsPerEvent + (s.postgresCpuMsPerEvent || 0) + s.loadGeneratorCpuMsPerEvent),
        0,
      ),
    ],
    ['other processes, % of machine CPU', fmt(s.otherCpuPct, 1)],
    ['server RSS MB, window start → end', `${fmt(s.rssStartMb, 0)} → ${fmt(s.rssEndMb, 0)}`],
    [
      'bounceRateChanged notifications received: by window end / events applied; in all',
      `${run.notified.atWindowEnd} / ${settings.events}; ${run.notified.total} (last ${fmt(run.notified.lastAfterWindowS, 1)} s after the window)`,
    ],
  ];
  const checkRows = [
    ...run.checks.map((c) => `| ${c.name} | ${c.expected} | ${c.actual} | ${ok(c.expected === c.actual)} |`),
    `| every event answered 200 "Applied." (warm-up + measured) | ${settings.events} | ${(run.warmup?.messages['Applied.'] ?? 0) + (run.measured.messages['Applied.'] ?? 0)} | ${ok(run.allOk)} |`,
    `| replays answered 406 | ${run.replay.sent} | ${run.replay.statuses['406'] ?? 0} | ${ok((run.replay.statuses['406'] ?? 0) === run.replay.sent)} |`,
  ];
  const complaintsToRestrict = Math.floor(settings.events * POLICY.complaintThreshold) + 1;
  const durability =
    s.walSyncsPerEvent < 0.5
      ? `WAL flushes: ${fmt(s.walSyncsPerEvent, 3)} per event, so most events committed without waiting for the WAL flush ` +
        '(`synchronous_commit` off for their transaction): a PostgreSQL crash can lose events already answered 200, which Mailgun does not send again.'
      : `WAL flushes: ${fmt(s.walSyncsPerEvent, 3)} per event (commits wait for the flush; concurrent commits share one).`;
  const restricted = run.restriction?.restricted
    ? `The organisation ended **restricted** ("${run.restriction.reason}"): 1 complaint in every 100 events against ` +
      `${settings.events} sends passes the 0.1 % complaint threshold once ${complaintsToRestrict} complaints are in ` +
      `(about event ${complaintsToRestrict * 100}). That pauses SENDING campaigns only (none here); events are still ` +
      'applied, and every evaluation after it also sends the pausing UPDATE.'
    : 'The organisation did not end restricted.';
  const lines = [
    `# Mailgun webhook ingest benchmark: ${when}`,
    '',
    `\`npm run bench:webhooks\` (bench/webhooks.ts). ${settings.events} signed \`POST /webhooks/mailgun\` events ` +
      `(60 % delivered, 25 % opened, 10 % clicked, 4 % failed/temporary, 1 % complained; one per member of one SENT campaign), ` +
      `${settings.concurrency} keep-alive connections, closed loop; the first ${settings.warmup} warm up, the other ${settings.events - settings.warmup} are measured; then ${settings.replays} replays.`,
    '',
    '| metric | value |',
    '|---|--:|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
    '',
    `Target ≥ ${TARGET_EVENTS_PER_S.toLocaleString('en')} events/s: ${fmt(s.eventsPerSecond, 0)} — ${verdict}. Nothing lost: ${run.nothingLost ? '**yes**' : '**NO**'}.`,
    '',
    '## Nothing lost (rows counted after the run)',
    '',
    '| check | expected | actual | ok |',
    '|---|--:|--:|--:|',
    ...checkRows,
    '',
    `Replay answers: ${JSON.stringify(run.replay.messages)}.`,
    '',
    'These counts follow a clean run: what a crash of PostgreSQL or of the server would lose (an event answered 200 ' +
      'is not sent again by Mailgun) is not tested here.',
    durability,
    '',
    run.notified.total >= settings.events
      ? `Every applied event's \`bounceRateChanged\` notification arrived (${run.notified.atWindowEnd} of ${settings.events} by the end of the measured window).`
      : `**${run.notified.total} \`bounceRateChanged\` notifications for ${settings.events} applied events** (${run.notified.atWindowEnd} by the end of the measured window; ` +
        `the benchmark waited ${fmt(run.notified.waitedS, 0)} s after the replays, until 5 s passed without one): fewer than one per event means the server ` +
        "coalesces them, or publishes were lost (a publish that waits longer than the pub/sub pool's connection timeout fails and is only logged; see the warnings below). " +
        'Not part of "nothing lost" (the rows).',
    ...(run.serverWarnings.length
      ? [
          '',
          `The server's last output lines hold ${run.serverWarnings.length} warnings/errors; the last: \`${run.serverWarnings[run.serverWarnings.length - 1].slice(0, 400).replace(/`/g, "'")}\``,
        ]
      : []),
    '',
    restricted,
    '',
    '## The policy evaluation statement',
    '',
    `\`policy.measure\` (the statement every evaluation sends) on the final data (${settings.events} members sent, ${settings.events} events): ` +
      `median ${fmt(policy.medianMs, 2)} ms wall over 30 runs on one connection, ${fmt(policy.executionMs, 2)} ms execution (EXPLAIN ANALYZE). ` +
      `Scans in its plan: ${
        policy.plan
          .filter((l) => /Scan/.test(l))
          .map((l) =>
            l
              .trim()
              .replace(/\s+\(cost.*$/, '')
              .replace(/^->\s*/, ''),
          )
          .join('; ') || 'none'
      }.`,
    '',
  ];
  if (profiled?.profile) {
    const ps = summarise(profiled);
    lines.push(
      '## Where the server CPU goes (node --cpu-prof, second pass on reset data)',
      '',
      `Under the profiler: ${fmt(ps.eventsPerSecond, 0)} events/s, server CPU ${fmt(ps.serverCpuMsPerEvent, 3)} ms/event, ` +
        `core ${fmt(ps.serverCorePct, 0)} %, PostgreSQL ${fmt(ps.postgresCpuMsPerEvent, 3)} ms/event; nothing lost: ${profiled.nothingLost ? 'yes' : '**NO**'}. ` +
        'The profiler slows the server by 10–20 %: compare shares.',
      '',
      `The samples cover ${fmt(profiled.profile.sampledMs, 0)} ms against ${fmt(
        profiled.measured.end.server - profiled.measured.start.server,
        0,
      )} ms of server CPU in the window: the difference is time the server's thread spent off the CPU inside ` +
        'system calls, mostly `writev` to PostgreSQL, when the backend it wakes runs on the same core (PostgreSQL is not pinned).',
      '',
      profiled.profile.markdown,
      '',
      '| function (inclusive: itself and its synchronous callees) | ms | % |',
      '|---|--:|--:|',
      ...profiled.profile.inclusive.map(
        (r) => `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${r.pct.toFixed(1)} |`,
      ),
      '',
      `Statements the profiled server sent (node-postgres \`Client.query\`, counted over its whole life: start, ` +
        `${settings.events} events, ${profiled.replay.sent} replays), those sent at least once per 1,000 events:`,
      '',
      '| statement | count | per event |',
      '|---|--:|--:|',
      ...statementRows(profiled),
      '',
    );
  }
  lines.push(
    `Setup: commit ${meta.revision} (${WEBHOOK_TS} ${meta.webhookDirty ? 'modified in the work tree' : 'as committed'}, compiled webhooks.js sha256 ${meta.webhookJsSha}); ` +
      `${meta.cpus} × ${meta.cpuModel}; server on Node ${meta.serverNode} (\`--max-semi-space-size=32\`, NODE_ENV=production, USAGE_METERING=on, ` +
      `DB_POOL_SIZE=${settings.dbPoolSize}, LOG_LEVEL=${process.env.BENCH_LOG_LEVEL || 'warn'}), load generator on ${process.version}; ` +
      `PostgreSQL ${meta.postgres} (${meta.database}, server setting synchronous_commit ${meta.synchronousCommit}); ${meta.pinning}.`,
    'CPU from /proc/<pid>/stat over the measured window; PostgreSQL CPU is the whole server (other databases too). ' +
      'Transactions, WAL and scans from pg_stat_database / pg_stat_wal / pg_stat_user_tables over the whole pass ' +
      '(warm-up, replays, server start and its background polling included; WAL is cluster-wide).',
    '',
  );
  return lines.join('\n');
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

async function main(): Promise<void> {
  const cpus = os.availableParallelism();
  const rev = revisionOf();
  const profile = process.argv.includes('--profile');
  const pinnedSelf = pinning ? pinSelf(pinning.load) : false;
  const pinText = pinning
    ? `server pinned to core ${pinning.server}, load generator to core ${pinning.load}${pinnedSelf ? '' : ' (failed)'}, PostgreSQL unpinned`
    : hasTaskset
      ? 'one core only: nothing pinned'
      : 'no taskset: nothing pinned';
  log(pinText);

  let db: { url: string; shown: string };
  try {
    db = await recreateDatabase();
  } catch (err) {
    if (err instanceof UnreachableError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  log(`database ${DATABASE} recreated on ${db.shown}; migrating through the app, signing up`);
  await signUp(db.url);
  const seeded = await seed(db.url, settings.events);
  log(`seeded 1 campaign with ${seeded.members.length} SENT members in ${seeded.seedMs} ms`);
  const info = await serverInfo(db.url, postmasterOf);
  if (info.postmaster === null) log('PostgreSQL is not a local process: its CPU time is not measured');
  const synchronousCommit = await withClient(
    db.url,
    async (c) =>
      (await c.query<{ s: string }>(`select current_setting('synchronous_commit') as s`)).rows[0].s,
  );

  const measuredPass = await pass(db.url, seeded, info.postmaster, false);
  const summary = summarise(measuredPass);
  const policy = await policyStatement(db.url, seeded.organizationId);
  let profiled: PassResult | null = null;
  if (profile) {
    await resetData(db.url, seeded);
    profiled = await pass(db.url, seeded, info.postmaster, true);
  }

  const when = new Date().toISOString();
  const meta = {
    cpus,
    cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
    database: db.shown,
    pinning: pinText,
    ...rev,
    serverNode: serverNodeVersion(),
    postgres: info.version,
    synchronousCommit,
  };
  const md = markdown(when, measuredPass, summary, profiled, meta, policy);
  const round = (v: unknown): unknown =>
    typeof v === 'number' ? Number(v.toFixed(3)) : Array.isArray(v) ? v.map(round) : v;
  const json = {
    when,
    settings,
    target: {
      eventsPerSecond: TARGET_EVENTS_PER_S,
      met: measuredPass.allOk && summary.eventsPerSecond >= TARGET_EVENTS_PER_S,
    },
    nothingLost: measuredPass.nothingLost,
    machine: { ...meta, runner: process.version, loadAverage: os.loadavg() },
    mix: MIX,
    summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, round(v)])),
    statuses: {
      warmup: measuredPass.warmup?.statuses,
      measured: measuredPass.measured.statuses,
      replay: measuredPass.replay.statuses,
    },
    answers: {
      warmup: measuredPass.warmup?.messages,
      measured: measuredPass.measured.messages,
      replay: measuredPass.replay.messages,
    },
    bounceRateChangedNotifications: measuredPass.notified,
    serverWarnings: measuredPass.serverWarnings.slice(-5),
    dbStats: measuredPass.db,
    checks: measuredPass.checks,
    restriction: measuredPass.restriction,
    policyStatement: policy,
    profiled: profiled
      ? {
          summary: Object.fromEntries(Object.entries(summarise(profiled)).map(([k, v]) => [k, round(v)])),
          nothingLost: profiled.nothingLost,
          checks: profiled.checks,
          profile: profiled.profile,
        }
      : null,
  };
  mkdirSync(RESULTS, { recursive: true });
  const file = `webhooks-${timestamp()}.json`;
  writeFileSync(path.join(RESULTS, file), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(RESULTS, 'webhooks-latest.md'), md);
  console.log(`\n${md}`);
  log(`wrote bench/results/${file} and bench/results/webhooks-latest.md`);
  if (!measuredPass.nothingLost) process.exitCode = 1;
}

void main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { createLogger } from '../src/platform/logger.js';
import { PostgresTransport } from '../src/platform/pubsub/postgres-transport.js';
import { RedisTransport } from '../src/platform/pubsub/redis-transport.js';
import type { PubSubTransport } from '../src/platform/pubsub/transport.js';
import { benchUrls } from './database.js';
import { percentile } from './load.js';
import { pinning, pinSelf, startNode, type Child } from './proc.js';

/**
 * Subscription fan-out (issue "Live subscriptions"): N subscribers of one organisation on one
 * instance, one event (a `logCall` over HTTP publishes `callStatusChanged`), the time from
 * sending the mutation to each subscriber's frame; memory per subscriber; and events per second
 * through each transport. Run: npm run bench:fanout (needs PostgreSQL on 127.0.0.1:5432 or
 * DATABASE_URL, and Redis on 127.0.0.1:6379 for the Redis line).
 */

const DATABASE = 'workpex_bench_fanout';
const LEVELS = (process.env.FANOUT_LEVELS ?? '1000,5000,10000').split(',').map(Number);
const PER_SOCKET = 100;
const ROUNDS = 3;
const WARMUP = 2;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function recreate(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.query(`create database ${DATABASE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${DATABASE}`;
  return url.href;
}

interface Level {
  subscribers: number;
  sockets: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  kbPerSubscriber: number;
}

async function fanout(server: Child, key: string, n: number): Promise<Level> {
  const url = `ws://127.0.0.1:${server.port}/graphql`;
  const rssBefore = rssMb(server.pid);
  const sockets: WebSocket[] = [];
  let received: number[] = [];
  const errors: string[] = [];
  let sentAt = 0;
  const subscribe = JSON.stringify({ query: 'subscription { callStatusChanged { id status direction } }' });
  for (let s = 0; s < Math.ceil(n / PER_SOCKET); s++) {
    // A bare graphql-transport-ws client: the time measured is the server's, not a client
    // library's parsing of 10,000 frames on one core.
    const socket = new WebSocket(url, 'graphql-transport-ws');
    sockets.push(socket);
    socket.on('error', (err) => errors.push(err.message));
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"type":"next"')) received.push(Date.now() - sentAt);
      else if (text.includes('"type":"connection_ack"')) {
        for (let i = 0; i < PER_SOCKET && s * PER_SOCKET + i < n; i++) {
          socket.send(`{"id":"${i}","type":"subscribe","payload":${subscribe}}`);
        }
      } else if (text.includes('"type":"error"')) errors.push(text.slice(0, 300));
    });
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })),
    );
    // Let the server admit this socket's subscriptions before opening the next.
    if (s % 10 === 9) await new Promise((r) => setTimeout(r, 50));
  }
  const metricsUrl = `http://127.0.0.1:${server.port}/metrics`;
  const live = async () => {
    const text = await (await fetch(metricsUrl)).text();
    const m = /workpex_active_subscriptions\{field="callStatusChanged"\} (\d+)/.exec(text);
    return m ? Number(m[1]) : 0;
  };
  await until(`${n} live subscriptions`, async () => (await live()) >= n);
  const kbPerSubscriber = ((rssMb(server.pid) - rssBefore) * 1024) / n;
  const times: number[] = [];
  // Two events first warm the path up (JIT, pools); the next ROUNDS are measured.
  for (let round = -WARMUP; round < ROUNDS; round++) {
    received = [];
    sentAt = Date.now();
    const res = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query:
          'mutation { logCall(input: { direction: OUTBOUND, fromNumber: "+14155550100", toNumber: "+14155550123" }) { call { id } } }',
      }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (!res.ok || body.errors) throw new Error(`logCall: ${res.status} ${JSON.stringify(body)}`);
    await until(`${n} events`, async () => received.length >= n, 60_000).catch((err: Error) => {
      throw new Error(
        `${err.message} (${received.length} arrived; errors: ${errors.slice(0, 3).join(' | ')})`,
      );
    });
    if (round >= 0) times.push(...received);
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const socket of sockets) socket.close(1000);
  await until('subscriptions ended', async () => (await live()) === 0, 60_000).catch(async (err: Error) => {
    throw new Error(`${err.message}: ${await live()} still live`);
  });
  times.sort((a, b) => a - b);
  return {
    subscribers: n,
    sockets: sockets.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    maxMs: times[times.length - 1],
    kbPerSubscriber: Math.round(kbPerSubscriber * 10) / 10,
  };
}

/** Messages per second from one transport instance to another (1 kB each), all received. */
async function throughput(make: () => PubSubTransport, messages = 5000): Promise<number> {
  const a = make();
  const b = make();
  await a.start();
  await b.start();
  let got = 0;
  b.onMessage(() => (got += 1));
  const body = 'x'.repeat(1000);
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < messages; i++) {
    inFlight.push(a.publish(body));
    if (inFlight.length >= 50) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await until('all messages', async () => got >= messages, 60_000);
  const perSecond = Math.round(messages / ((Date.now() - started) / 1000));
  await a.close();
  await b.close();
  return perSecond;
}

async function main(): Promise<void> {
  if (pinning) pinSelf(pinning.load);
  const { admin } = benchUrls();
  const databaseUrl = await recreate(admin);
  const server = await startNode(
    'workpex',
    [
      '--max-semi-space-size=32',
      ...(process.env.FANOUT_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      'dist/src/main.js',
    ],
    {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      API_KEY_CACHE_SECONDS: '0',
    },
    pinning?.server ?? null,
  );
  const levels: Level[] = [];
  let transports: Record<string, number> = {};
  try {
    let key = '';
    await until('the demo key', async () => {
      key = /API key: (\S+)/.exec(server.tail())?.[1] ?? '';
      return key !== '';
    });
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`insert into plan select 'FANOUT', 'Fan-out bench', 1000000, 100000000, 100000000, 1000000000, 1000,
      1000000000000, 1000000, 100000, 1000000, 1000000, 1000, 50, 1000, 200, 100000, true`);
    await db.query(`update organization set plan = 'FANOUT'`);
    await db.end();
    for (const n of LEVELS) {
      const level = await fanout(server, key, n);
      console.log(
        `${n} subscribers: p50 ${level.p50Ms} ms, p99 ${level.p99Ms} ms, max ${level.maxMs} ms, ${level.kbPerSubscriber} kB each`,
      );
      levels.push(level);
    }
    const log = createLogger('silent');
    const channel = `workpex:bench:${Date.now()}`;
    transports = {
      postgres: await throughput(
        () => new PostgresTransport({ url: databaseUrl, channel: 'workpex_bench', log }),
      ),
      redis: await throughput(() => new RedisTransport({ url: REDIS_URL, channel, log })).catch(
        (err: unknown) => {
          console.error(`redis: ${(err as Error).message}`);
          return 0;
        },
      ),
    };
    console.log(`transport events/s: postgres ${transports.postgres}, redis ${transports.redis}`);
  } finally {
    await server.stop();
  }
  const at = new Date().toISOString();
  const results = {
    at,
    node: process.version,
    pinned: pinning !== null,
    levels,
    transportEventsPerSecond: transports,
  };
  const dir = path.join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `fanout-${at.replace(/[:.]/g, '-')}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  const rows = levels
    .map(
      (l) =>
        `| ${l.subscribers} | ${l.sockets} | ${l.p50Ms} | ${l.p99Ms} | ${l.maxMs} | ${l.kbPerSubscriber} |`,
    )
    .join('\n');
  writeFileSync(
    path.join(dir, 'fanout-latest.md'),
    `# Subscription fan-out (${at}, Node ${process.version})\n\n` +
      'One `logCall` over HTTP → `callStatusChanged` to every subscriber of the organisation on one instance; ' +
      `time from sending the mutation to each subscriber's frame, ${ROUNDS} events per level after ${WARMUP} unmeasured ones.\n\n` +
      '| subscribers | sockets | p50 ms | p99 ms | max ms | kB per subscriber |\n|--:|--:|--:|--:|--:|--:|\n' +
      `${rows}\n\n` +
      `Transport throughput (1 kB events, one publisher, one receiver): PostgreSQL LISTEN/NOTIFY ${transports.postgres}/s, ` +
      `Redis pub/sub ${transports.redis}/s.\n`,
  );
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

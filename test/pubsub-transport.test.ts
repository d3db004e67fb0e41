/*
 * The Redis half needs a Redis server on 127.0.0.1:6379 and fails (never skips) without one.
 * `.ci/run` can start a throwaway one before `npm test` with:
 *   redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { migrationsList } from '../migrations/index';
import { entities } from '../src/modules';
import { createOrm, migrate } from '../src/platform/db/orm';
import { createTransport } from '../src/platform/pubsub/index';
import { PostgresTransport } from '../src/platform/pubsub/postgres-transport';
import { RedisTransport } from '../src/platform/pubsub/redis-transport';
import type { PubSubTransport } from '../src/platform/pubsub/transport';
import { createTestDatabase } from './support/server';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** Nothing listens on port 1: connections are refused at once. */
const UNREACHABLE_PORT = 1;

interface Backend {
  kind: 'postgres' | 'redis';
  setup(): Promise<void>;
  teardown(): Promise<void>;
  transport(channel: string): PubSubTransport;
  unreachable(): PubSubTransport;
  /** Drops the subscribing connections of `channel` server-side, as a restart or failover would; returns how many. */
  killSubscriptions(channel: string): Promise<number>;
  /** Rows in pubsub_message (postgres only: how large messages travel). */
  storedMessages?(): Promise<number>;
}

/** A fresh database with the migrations applied, shared by every postgres test of this file. */
let pgDatabase: Promise<{ url: string; admin: pg.Pool }> | undefined;
function postgresDatabase(): Promise<{ url: string; admin: pg.Pool }> {
  pgDatabase ??= (async () => {
    const url = await createTestDatabase();
    const orm = await createOrm({ url, entities, migrations: migrationsList, poolSize: 2 });
    try {
      await migrate(orm);
    } finally {
      await orm.close();
    }
    // Kept open for the whole file (idle timeout off): the backoff test refuses new connections.
    return { url, admin: new pg.Pool({ connectionString: url, max: 1, idleTimeoutMillis: 0 }) };
  })();
  return pgDatabase;
}

afterAll(async () => {
  if (pgDatabase) await (await pgDatabase).admin.end();
});

let pgUrl: string | undefined;
const postgres: Backend = {
  kind: 'postgres',
  async setup() {
    pgUrl = (await postgresDatabase()).url;
  },
  async teardown() {},
  transport(channel) {
    if (!pgUrl) throw new Error('setup() first');
    return new PostgresTransport({ url: pgUrl, channel });
  },
  unreachable: () =>
    new PostgresTransport({ url: `postgres://postgres:postgres@127.0.0.1:${UNREACHABLE_PORT}/none` }),
  async killSubscriptions(channel) {
    const { admin } = await postgresDatabase();
    const { rowCount } = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query ilike 'listen%' and position($1 in query) > 0`,
      [channel],
    );
    return rowCount ?? 0;
  },
  async storedMessages() {
    const { admin } = await postgresDatabase();
    const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pubsub_message');
    return rows[0]?.n ?? 0;
  },
};

let redisAdmin: Redis | undefined;
const redis: Backend = {
  kind: 'redis',
  async setup() {
    redisAdmin = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1 });
    redisAdmin.on('error', () => undefined);
    try {
      await redisAdmin.connect();
    } catch (err) {
      redisAdmin.disconnect();
      throw new Error(`Redis is not reachable at ${REDIS_URL} (see the note at the top of this file)`, {
        cause: err,
      });
    }
  },
  async teardown() {
    await redisAdmin?.quit();
  },
  transport: (channel) => new RedisTransport({ url: REDIS_URL, channel }),
  unreachable: () => new RedisTransport({ url: `redis://127.0.0.1:${UNREACHABLE_PORT}` }),
  async killSubscriptions(channel) {
    if (!redisAdmin) throw new Error('setup() first');
    // By id, not `CLIENT KILL TYPE pubsub`: other test files share this Redis.
    const list = await redisAdmin.call('CLIENT', 'LIST', 'TYPE', 'pubsub');
    if (typeof list !== 'string') throw new Error('unexpected CLIENT LIST reply');
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=workpex-pubsub:${channel}:sub `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await redisAdmin.call('CLIENT', 'KILL', 'ID', id);
    return ids.length;
  },
};

/** Polls until `done()` holds; fails naming `what` after `timeoutMs`. */
async function waitFor(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Instance {
  transport: PubSubTransport;
  received: string[];
  reconnects: () => number;
}

describe.each([postgres, redis])('$kind transport', (backend) => {
  let channel: string;
  let open: PubSubTransport[];

  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  beforeEach(() => {
    // Unique per test: the Redis server (and a channel's listeners) must not be shared across tests.
    channel = `workpex_events_test_${randomBytes(5).toString('hex')}`;
    open = [];
  });
  afterEach(async () => {
    await Promise.all(open.map((t) => t.close()));
  });

  async function instance(): Promise<Instance> {
    const transport = backend.transport(channel);
    open.push(transport);
    const received: string[] = [];
    let reconnects = 0;
    transport.onMessage((m) => received.push(m));
    transport.onReconnect(() => (reconnects += 1));
    await transport.start();
    return { transport, received, reconnects: () => reconnects };
  }

  it('delivers each message once and in order to every instance, the publisher included', async () => {
    const [a, b] = [await instance(), await instance()];
    const sent = Array.from({ length: 50 }, (_, seq) => JSON.stringify({ seq }));
    for (const m of sent) await a.transport.publish(m);
    // Published last, so any duplicate of an earlier message would have arrived before it.
    await a.transport.publish('end');
    await waitFor('"end" on both instances', () => a.received.includes('end') && b.received.includes('end'));
    expect(a.received).toEqual([...sent, 'end']);
    expect(b.received).toEqual([...sent, 'end']);
  });

  it('delivers a burst of 5,000 messages published at once, all of them, in the order published', async () => {
    const [a, b] = [await instance(), await instance()];
    const sent = Array.from({ length: 5000 }, (_, seq) => JSON.stringify({ seq }));
    await Promise.all(sent.map((m) => a.transport.publish(m)));
    await waitFor(
      'the burst on both instances',
      () => a.received.length >= 5000 && b.received.length >= 5000,
      20_000,
    );
    expect(a.received).toEqual(sent);
    expect(b.received).toEqual(sent);
  });

  it('carries large messages and ones that look like references intact', async () => {
    const [a, b] = [await instance(), await instance()];
    const storedBefore = (await backend.storedMessages?.()) ?? 0;
    const sent = [
      '@1',
      '@@',
      // 5,000 characters but 10,000 bytes: too large for a NOTIFY although short in characters.
      'é'.repeat(5000),
      `{"note":"${'x€'.repeat(5000)}"}`, // 20,012 bytes
      'end',
    ];
    expect(Buffer.byteLength(sent[3] ?? '')).toBeGreaterThan(20_000);
    for (const m of sent) await a.transport.publish(m);
    await waitFor('"end" on both instances', () => a.received.includes('end') && b.received.includes('end'));
    expect(a.received).toEqual(sent);
    expect(b.received).toEqual(sent);
    if (backend.storedMessages) expect((await backend.storedMessages()) - storedBefore).toBe(2);
  });

  it('receives nothing after close()', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.transport.publish('before');
    await waitFor('"before" on both', () => a.received.includes('before') && b.received.includes('before'));
    await b.transport.close();
    await a.transport.publish('after');
    await a.transport.publish('end');
    await waitFor('"end" on the open instance', () => a.received.includes('end'));
    expect(a.received).toEqual(['before', 'after', 'end']);
    expect(b.received).toEqual(['before']);
    await expect(b.transport.publish('late')).rejects.toThrow(/after close/);
  });

  it('resubscribes after its connection is killed, calls onReconnect, and receives later messages', async () => {
    const [a, b] = [await instance(), await instance()];
    await a.transport.publish('before');
    await waitFor('"before" on both', () => a.received.includes('before') && b.received.includes('before'));
    expect(await backend.killSubscriptions(channel)).toBe(2);
    await waitFor('onReconnect on both', () => a.reconnects() === 1 && b.reconnects() === 1);
    await a.transport.publish('after');
    await waitFor('"after" on both', () => a.received.includes('after') && b.received.includes('after'));
    expect(a.received).toEqual(['before', 'after']);
    expect(b.received).toEqual(['before', 'after']);
    expect([a.reconnects(), b.reconnects()]).toEqual([1, 1]);
  });

  it('fails start() quickly, naming the cause, when the server is unreachable', async () => {
    const transport = backend.unreachable();
    open.push(transport);
    const started = Date.now();
    await expect(transport.start()).rejects.toThrow(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('postgres transport while the database refuses connections', () => {
  it('keeps retrying with backoff and resubscribes once it accepts them again', async () => {
    const { url } = await postgresDatabase();
    const channel = `workpex_events_test_${randomBytes(5).toString('hex')}`;
    const logs: Array<{ msg?: string }> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const transport = new PostgresTransport({ url, channel, log });
    const received: string[] = [];
    let reconnects = 0;
    transport.onMessage((m) => received.push(m));
    transport.onReconnect(() => (reconnects += 1));
    // A database cannot refuse connections to itself: this is altered from the server's `postgres` one.
    const serverUrl = new URL(url);
    const dbName = serverUrl.pathname.slice(1);
    serverUrl.pathname = '/postgres';
    const server = new pg.Client({ connectionString: serverUrl.toString() });
    await server.connect();
    try {
      await transport.start();
      try {
        // Applies to superusers too; connections already open (the publish pool's) stay.
        await server.query(`alter database ${dbName} allow_connections false`);
        expect(await postgres.killSubscriptions(channel)).toBe(1);
        const failures = () => logs.filter((l) => l.msg === 'pubsub reconnect failed').length;
        await waitFor('three refused reconnects (after 100, 200, 400 ms)', () => failures() >= 3);
        expect(reconnects).toBe(0);
      } finally {
        await server.query(`alter database ${dbName} allow_connections true`);
      }
      await waitFor('onReconnect', () => reconnects === 1, 8000);
      await transport.publish('after');
      await waitFor('"after"', () => received.includes('after'));
      expect(received).toEqual(['after']);
    } finally {
      await transport.close();
      await server.end();
    }
  });
});

describe('createTransport', () => {
  it('uses Redis when a Redis URL is configured, else PostgreSQL', async () => {
    const viaRedis = createTransport({ databaseUrl: 'postgres://unused/x', redisUrl: REDIS_URL });
    const viaPostgres = createTransport({ databaseUrl: 'postgres://unused/x' });
    expect([viaRedis.kind, viaPostgres.kind]).toEqual(['redis', 'postgres']);
    await Promise.all([viaRedis.close(), viaPostgres.close()]);
  });
});

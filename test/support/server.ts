import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp, type App, type AppOptions } from '../../src/app';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
}

export interface TestServer {
  app: App;
  /** http://127.0.0.1:<port> */
  origin: string;
  databaseUrl: string;
  /** POST /graphql with an optional API key. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    key?: string,
  ): Promise<GraphQLResponse<T>>;
  /** Runs SQL directly against this server's database (assertions on rows). */
  db(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Puts an organisation (global id) on a plan, as an operator editing the plan table would.
   * Tests that are not about limits use TEST_PLAN, so bursts of requests are never throttled.
   */
  setPlan(organizationId: string, plan: string): Promise<void>;
  /** Total SQL statements the server has sent so far (from GET /metrics). */
  sqlStatements(): Promise<number>;
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.WORKPEX_TEST_ADMIN_URL;
  if (!url) throw new Error('WORKPEX_TEST_ADMIN_URL is not set: run tests through jest (globalSetup).');
  return url;
}

/** A fresh, empty database on the test PostgreSQL server. */
export async function createTestDatabase(): Promise<string> {
  const name = `workpex_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts the real app on a random port against `databaseUrl` (a fresh database by default). */
export const TEST_PLAN = 'TEST';

export async function startServer(
  opts: {
    databaseUrl?: string;
    env?: Record<string, string>;
    clock?: () => number;
    /** The modules to build instead of the app's list (e.g. with a throwaway module added). */
    modules?: AppOptions['modules'];
  } = {},
): Promise<TestServer> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DB_POOL_SIZE: '5',
    SIGNUP_LIMIT_PER_HOUR: '1000',
    // Every query the suite sends is answered by the compiled read path and checked against
    // graphql-js: a difference fails the request (the differential test over the whole suite).
    READ_PATH: 'verify',
    ...opts.env,
  });
  const app = await createApp(config, databaseUrl, createLogger(config.LOG_LEVEL), {
    clock: opts.clock,
    modules: opts.modules,
  });
  const origin = `http://127.0.0.1:${app.port}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    app,
    origin,
    databaseUrl,
    async gql(query, variables, key) {
      const res = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      let body: GraphQLResponse['body'];
      try {
        body = JSON.parse(text) as GraphQLResponse['body'];
      } catch {
        throw new Error(`Non-JSON response ${res.status}: ${text.slice(0, 500)}`);
      }
      return { status: res.status, headers: res.headers, body } as GraphQLResponse<never>;
    },
    async db(text, params = []) {
      return (await pool.query(text, params)).rows as Record<string, unknown>[];
    },
    async setPlan(organizationId, plan) {
      if (plan === TEST_PLAN) {
        await pool.query(
          `insert into plan select $1, 'Test (no practical limits)', 1000000, 100000000, 100000000, 1000000000, 1000, 1000000000000,
             1000000, 1000, 1000000, 1000000, 1000, 50, 1000, 200, 1000, true on conflict (code) do nothing`,
          [TEST_PLAN],
        );
      }
      const pk = Buffer.from(organizationId, 'base64url').toString('utf8').split(':')[1];
      await pool.query('update organization set plan = $2 where id = $1', [pk, plan]);
    },
    async sqlStatements() {
      const res = await fetch(`${origin}/metrics`);
      const m = /^workpex_sql_statements_total (\d+)/m.exec(await res.text());
      return m ? Number(m[1]) : 0;
    },
    async close() {
      await pool.end();
      await app.close();
    },
  };
}

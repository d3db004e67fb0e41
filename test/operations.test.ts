import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/platform/config';
import { createTestDatabase, startServer, type TestServer } from './support/server';

/** The built entry point: `npm test` builds before running jest. */
const MAIN = path.join(__dirname, '..', 'dist', 'src', 'main.js');

describe('configuration', () => {
  it('reports every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it('treats empty values as unset and applies defaults', () => {
    const config = loadConfig({ PORT: '', NODE_ENV: 'production' });
    expect(config.PORT).toBe(4000);
    expect(config.NODE_ENV).toBe('production');
    expect(config.USAGE_METERING).toBe('on');
  });
});

describe('health endpoints', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('answers /healthz with 200', async () => {
    const res = await fetch(`${server.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('exposes Prometheus metrics', async () => {
    await fetch(`${server.origin}/healthz`);
    const text = await (await fetch(`${server.origin}/metrics`)).text();
    expect(text).toMatch(/^workpex_http_requests_total\{route="\/healthz",status="200"\} \d+/m);
    expect(text).toMatch(/workpex_http_request_duration_seconds_bucket/);
    expect(text).toMatch(/workpex_sql_statements_total \d+/);
  });

  it('echoes a request id, or makes one', async () => {
    const given = await fetch(`${server.origin}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${server.origin}/healthz`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the process (npm start)', () => {
  jest.setTimeout(60_000);

  function start(env: Record<string, string>): {
    child: ChildProcess;
    output: () => string;
    exited: Promise<number | null>;
  } {
    let out = '';
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => out, exited };
  }

  async function waitFor(output: () => string, pattern: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const m = output().match(pattern);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${pattern}; output:\n${output()}`);
  }

  it('refuses to start with bad configuration, listing every problem, exit code 1', async () => {
    const p = start({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://nope' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/PORT/);
    expect(p.output()).toMatch(/LOG_LEVEL/);
    expect(p.output()).toMatch(/DATABASE_URL/);
  });

  it('prints the endpoint and a working key on an empty database, then stops on SIGTERM', async () => {
    const databaseUrl = await createTestDatabase();
    const p = start({ DATABASE_URL: databaseUrl, PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'warn' });
    const [, port] = await waitFor(p.output, /GraphQL endpoint: http:\/\/localhost:(\d+)\/graphql/);
    const [, key] = await waitFor(p.output, /API key: (wpx_[\w-]+)/);
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ companies(first: 1) { totalCount } }' }),
    });
    const body = (await res.json()) as { data: { companies: { totalCount: number } } };
    expect(body.data.companies.totalCount).toBeGreaterThan(0);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });
});

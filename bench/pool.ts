import pg from 'pg';

/**
 * The database pool of a comparison server (DATABASE_URL, DB_POOL_SIZE, default 10), and the number of
 * statements its clients have sent, for `GET /__stats`. Exits when DATABASE_URL (or another `required`
 * variable) is missing.
 */
export function benchPool(required: string[] = []): { pool: pg.Pool; statements: () => number } {
  const missing = ['DATABASE_URL', ...required].filter((name) => !process.env[name]);
  if (missing.length) {
    console.error(`${missing.join(' and ')} required`);
    process.exit(1);
  }
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE || 10),
  });
  pool.on('error', () => undefined);
  let statements = 0;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements += 1;
      return query(...args);
    };
  });
  return { pool, statements: () => statements };
}

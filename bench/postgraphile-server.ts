/**
 * PostGraphile v4 as a library behind a bare node:http server, over the same tables.
 *
 * Env: DATABASE_URL, PORT (0 = any), DB_POOL_SIZE (10).
 * GET /__stats answers {"sqlStatements": n}: every query sent on the pool's clients.
 */
import { graphqlDir } from './graphql15.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { benchPool } from './pool.js';

const { pool, statements } = benchPool();

const middleware = postgraphile(pool as unknown as Parameters<typeof postgraphile>[0], 'public', {
  disableDefaultMutations: true,
  disableQueryLog: true,
  graphiql: false,
  watchPg: false,
  retryOnInitFail: false,
  enableQueryBatching: false,
  setofFunctionsContainNulls: false,
  ignoreRBAC: true,
});

const server = http.createServer((req, res) => {
  if (req.url === '/__stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sqlStatements: statements(), graphql: graphqlDir }));
    return;
  }
  void middleware(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`GraphQL endpoint: http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void middleware.release().then(() => pool.end().then(() => process.exit(0)));
});

/**
 * PostGraphile 5 (amber preset) behind a bare node:http server, over the same tables as the others.
 * Its own folder and package.json: the main package pins PostGraphile 4 under the same name.
 *
 * Env: DATABASE_URL, PORT (0 = any), DB_POOL_SIZE (10).
 * GET /__stats answers {"sqlStatements": n}: every query sent on the pool's clients.
 */
import './polyfill.mjs';
import http from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
// The same pool as every comparison server (built by `npm run bench` before this runs).
import { benchPool } from '../../dist/bench/pool.js';

const { pool, statements } = benchPool();

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
  // As the v4 server (ignoreIndexes): conditions and orders on every column, indexed or not.
  disablePlugins: ['PgIndexBehaviorsPlugin'],
};
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);

const server = http.createServer((req, res) => {
  if (req.url === '/__stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sqlStatements: statements() }));
    return;
  }
  handler(req, res);
});
const handler = serv.createHandler();
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`GraphQL endpoint: http://127.0.0.1:${server.address().port}/graphql`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pgl.release().then(() => pool.end().then(() => process.exit(0)));
});

/**
 * The floor: a bare node:http server answering the benchmark query's data with one hand-written
 * SQL statement (lateral subqueries + json_agg) whose text PostgreSQL returns ready to send.
 * No GraphQL parsing, validation or execution: the request body is read and ignored.
 *
 * Env: DATABASE_URL, BENCH_ORG_ID, PORT (0 = any), DB_POOL_SIZE (10).
 * GET /__stats answers {"sqlStatements": n}.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { benchPool } from './pool.js';

const SQL = `
select json_build_object('data', json_build_object('companies', json_build_object('nodes',
         coalesce(json_agg(json_build_object(
           'id', c.id,
           'name', c.name,
           'contacts', json_build_object('totalCount', ct.total, 'nodes', coalesce(cn.nodes, '[]'::json)),
           'deals', json_build_object('nodes', coalesce(dn.nodes, '[]'::json))
         ) order by c.created_at, c.id), '[]'::json))))::text as body
  from (select id, name, created_at from company
         where organization_id = $1 and deleted_at is null
         order by created_at, id limit 20) c
  cross join lateral (select count(*) as total from contact x
                       where x.organization_id = $1 and x.company_id = c.id and x.deleted_at is null) ct
  left join lateral (select json_agg(json_build_object('id', x.id, 'firstName', x.first_name, 'lastName', x.last_name,
                                                       'primaryEmail', x.emails[1]) order by x.created_at, x.id) as nodes
                       from (select * from contact x
                              where x.organization_id = $1 and x.company_id = c.id and x.deleted_at is null
                              order by x.created_at, x.id limit 10) x) cn on true
  left join lateral (select json_agg(json_build_object('id', d.id, 'name', d.name, 'amount', d.amount::text,
                                                       'stage', json_build_object('name', s.name))
                                     order by d.created_at, d.id) as nodes
                       from (select * from deal d
                              where d.organization_id = $1 and d.company_id = c.id and d.deleted_at is null
                              order by d.created_at, d.id limit 10) d
                       join stage s on s.id = d.stage_id and s.organization_id = $1) dn on true`;

const { pool, statements } = benchPool(['BENCH_ORG_ID']);
const organizationId = process.env.BENCH_ORG_ID as string;

const server = http.createServer((req, res) => {
  if (req.url === '/__stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sqlStatements: statements() }));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/graphql') {
    res.statusCode = 404;
    res.end();
    return;
  }
  req.resume();
  req.on('end', () => {
    pool.query<{ body: string }>({ name: 'bench', text: SQL, values: [organizationId] }).then(
      (r) => {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(r.rows[0].body);
      },
      (err: Error) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ errors: [{ message: err.message }] }));
      },
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`GraphQL endpoint: http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});

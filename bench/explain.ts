/**
 * The compiled statement of the benchmark query, its plan and its database time:
 * `npm run build && node dist/bench/explain.js` after `npm run bench` has seeded `workpex_bench`
 * (or against any database in DATABASE_URL's server named workpex_bench holding the bench data).
 *
 * Compiles OURS_QUERY with the app's own compiler (the same plan the server runs), prints the SQL,
 * runs `EXPLAIN (ANALYZE, BUFFERS)` on it for the bench organisation, then runs the statement
 * BENCH_EXPLAIN_RUNS (300) times, prepared, on one connection and reports the mean execution time
 * from EXPLAIN ANALYZE's own timing and the wall time per statement on that connection (database
 * time plus the round trip). Writes bench/results/explain-latest.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, getOperationAST } from 'graphql';
import pg from 'pg';
import { resolvers, nodeTypes } from '../src/modules.js';
import { buildAppSchema } from '../src/platform/graphql/schema.js';
import { OperationCompiler } from '../src/platform/reads/compiler.js';
import { readModelOf } from '../src/platform/reads/read-model.js';
import { benchUrls } from './database.js';
import { OURS_QUERY } from './queries.js';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_EXPLAIN_RUNS || 300);

async function main(): Promise<void> {
  const schema = await buildAppSchema(resolvers, {} as never);
  const document = parse(OURS_QUERY);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  const compiled = new OperationCompiler(
    schema,
    readModelOf(resolvers, nodeTypes),
    document,
    {},
    false,
  ).compile(operation);
  const statement = compiled.statement;
  if (!statement) throw new Error('the bench query compiled to no statement');

  const client = new pg.Client({ connectionString: benchUrls().bench, options: '-c TimeZone=UTC' });
  await client.connect();
  try {
    const org = await client.query<{ id: string }>(
      `select organization_id as id from company group by organization_id order by count(*) desc limit 1`,
    );
    const params = [org.rows[0].id, ...statement.params];
    await client.query({ name: 'bench_compiled', text: statement.text, values: params });
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) ${statement.text.replace(/\$(\d+)/g, (_m, n: string) => pg.Client.prototype.escapeLiteral.call(client, String(params[Number(n) - 1])))}`,
    );
    const planText = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    const execTimes: number[] = [];
    for (let i = 0; i < Math.min(RUNS, 50); i++) {
      const r = await client.query<{ 'QUERY PLAN': unknown }>(
        `explain (analyze, format json) ${statement.text.replace(/\$(\d+)/g, (_m, n: string) => pg.Client.prototype.escapeLiteral.call(client, String(params[Number(n) - 1])))}`,
      );
      const json = r.rows[0]['QUERY PLAN'] as [{ 'Execution Time': number }];
      execTimes.push(json[0]['Execution Time']);
    }
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await client.query({ name: 'bench_compiled', text: statement.text, values: params });
      bytes = JSON.stringify(r.rows[0].r).length;
    }
    const wallMs = (performance.now() - started) / RUNS;
    execTimes.sort((a, b) => a - b);
    const median = execTimes[Math.floor(execTimes.length / 2)];
    const md = [
      `# The compiled statement of the bench query: ${new Date().toISOString()}`,
      '',
      `Node ${process.version}; database workpex_bench (seeded by \`npm run bench\`).`,
      '',
      `- Execution time (EXPLAIN ANALYZE, median of ${execTimes.length}): **${median.toFixed(2)} ms**`,
      `- Prepared statement, one connection, ${RUNS} runs: ${wallMs.toFixed(2)} ms per statement wall time (database + round trip + client parse), ${bytes} bytes of JSON`,
      '',
      '## SQL',
      '',
      '```sql',
      statement.text,
      '```',
      '',
      '## EXPLAIN (ANALYZE, BUFFERS)',
      '',
      '```',
      planText,
      '```',
      '',
    ].join('\n');
    const dir = path.join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'explain-latest.md'), md);
    console.log(md);
  } finally {
    await client.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

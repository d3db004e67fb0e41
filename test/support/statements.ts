import { dataOf } from './graphql';
import type { TestServer } from './server';

/**
 * SQL statements the server sends to answer `query`. The query runs once before measuring,
 * so the API key cache is warm; of three measured runs the fewest counts, since statements
 * the server sends in the background (e.g. flushing usage counters) can land in any one run.
 */
export async function statementsFor<T>(
  server: TestServer,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ statements: number; data: T }> {
  dataOf(await server.gql<T>(query, variables, key));
  let statements = Infinity;
  let data: T | undefined;
  for (let run = 0; run < 3; run++) {
    const before = await server.sqlStatements();
    data = dataOf(await server.gql<T>(query, variables, key));
    statements = Math.min(statements, (await server.sqlStatements()) - before);
  }
  if (data === undefined) throw new Error('no run');
  return { statements, data };
}

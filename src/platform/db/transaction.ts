import type { Row, SqlClient } from './sql.js';

/** The statements of one transaction, with `$n` placeholders. */
export interface SqlTransaction {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * Runs `fn` in one transaction on a connection of `sql`'s pool: committed when it returns,
 * rolled back when it throws. `counted: false` keeps background work (timers) out of the
 * statement counts that /metrics and the tests read.
 */
export async function inTransaction<T>(
  sql: SqlClient,
  fn: (tx: SqlTransaction) => Promise<T>,
  opts: { counted?: boolean } = {},
): Promise<T> {
  const counted = opts.counted ?? true;
  const client = await sql.pool.connect();
  const tx: SqlTransaction = {
    query: async <R extends Row = Row>(text: string, params: readonly unknown[] = []) => {
      if (counted) sql.countStatement();
      return (await client.query<R>(text, params as unknown[])).rows;
    },
  };
  let broken: Error | undefined;
  try {
    await tx.query('begin');
    const result = await fn(tx);
    await tx.query('commit');
    return result;
  } catch (err) {
    // A connection that cannot even roll back is not given back to the pool.
    await client.query('rollback').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken);
  }
}

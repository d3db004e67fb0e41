import pg from 'pg';

// Read rows as plain JS values: bigint counts become numbers (never above 2^53 here),
// timestamps stay Date, numeric stays string (decimal amounts must not lose precision).
pg.types.setTypeParser(20, (v) => Number(v));
// Calendar dates stay 'YYYY-MM-DD' strings: no time zone shifts.
pg.types.setTypeParser(1082, (v) => v);

/** Collects SQL text and parameters in order, numbering placeholders `$1..$n`. */
export class SqlBuilder {
  readonly params: unknown[] = [];
  private aliasSeq = 0;

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** A fresh table alias for nested sub-queries (relation filters, windows). */
  alias(prefix = 't'): string {
    this.aliasSeq += 1;
    return `${prefix}${this.aliasSeq}`;
  }
}

export type Row = Record<string, unknown>;

/**
 * The read path's connection: plain rows from one pg pool, bypassing ORM hydration.
 * Every statement is counted so tests and /metrics can prove "no N+1".
 */
export class SqlClient {
  readonly pool: pg.Pool;
  statements = 0;
  private readonly listeners: Array<() => void> = [];

  constructor(connectionString: string, max: number) {
    this.pool = new pg.Pool({ connectionString, max });
    // An idle client's connection error must not crash the process.
    this.pool.on('error', () => undefined);
  }

  onStatement(listener: () => void): void {
    this.listeners.push(listener);
  }

  countStatement(): void {
    this.statements += 1;
    for (const l of this.listeners) l();
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    this.countStatement();
    const result = await this.pool.query<T>(text, params as unknown[]);
    return result.rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

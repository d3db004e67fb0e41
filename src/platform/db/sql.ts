import { createHash } from 'node:crypto';
import pg from 'pg';

const MAX_PREPARED = 500;

// Read rows as plain JS values: bigint counts become numbers (never above 2^53 here),
// timestamps stay Date, numeric stays string (decimal amounts must not lose precision).
pg.types.setTypeParser(20, (v) => Number(v));
// Calendar dates stay 'YYYY-MM-DD' strings: no time zone shifts.
pg.types.setTypeParser(1082, (v) => v);

const TIMESTAMPTZ = 1184;

/**
 * PostgreSQL's UTC text ('2026-11-25 12:00:00.12+00') as Date#toISOString() writes it
 * ('2026-11-25T12:00:00.120Z'), without building a Date.
 */
export function pgTimestampToIso(v: string): string {
  if (!v.endsWith('+00') || v.length < 22) return new Date(v).toISOString();
  const body = v.slice(0, v.length - 3);
  const frac = body.length > 20 ? `${body.slice(20)}000`.slice(0, 3) : '000';
  return `${body.slice(0, 10)}T${body.slice(11, 19)}.${frac}Z`;
}

/** Collects SQL text and parameters in order, numbering placeholders `$1..$n`. */
export class SqlBuilder {
  readonly params: unknown[] = [];
  private aliasSeq = 0;

  /** `offset`: placeholders already taken before this builder's (e.g. 1 for a bound `$1`). */
  constructor(private readonly offset = 0) {}

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length + this.offset}`;
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
  private readonly prepared = new Map<string, string>();
  private readonly seenOnce = new Map<string, number>();
  private auditor: ((text: string) => void) | undefined;

  /** `statementTimeoutMs`: PostgreSQL cancels longer statements (SQLSTATE 57014); unset, no limit. */
  constructor(connectionString: string, max: number, statementTimeoutMs?: number) {
    this.pool = new pg.Pool({
      connectionString,
      max,
      statement_timeout: statementTimeoutMs,
      // Timestamps arrive in UTC and are handed on as ISO strings: no Date per value on the read path.
      options: '-c TimeZone=UTC -c DateStyle=ISO',
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          oid === TIMESTAMPTZ
            ? pgTimestampToIso
            : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client's connection error must not crash the process.
    this.pool.on('error', () => undefined);
  }

  onStatement(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Hands every statement's text to `check` before it runs (tests audit tenant scoping with
   * it); a check that throws fails the query. `null` removes it. Unset, nothing is checked.
   */
  audit(check: ((text: string) => void) | null): void {
    this.auditor = check ?? undefined;
  }

  countStatement(): void {
    this.statements += 1;
    for (const l of this.listeners) l();
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    this.countStatement();
    if (this.auditor) this.auditor(text);
    const name = this.preparedName(text);
    const result = name
      ? await this.pool.query<T>({ name, text, values: params as unknown[] })
      : await this.pool.query<T>(text, params as unknown[]);
    return result.rows;
  }

  /**
   * Statements run again and again (the same list shapes) are prepared once per connection,
   * which saves PostgreSQL the planning (often as long as the execution). Each connection
   * keeps its prepared statements, so only the first MAX_PREPARED repeated texts are named.
   */
  private preparedName(text: string): string | undefined {
    const known = this.prepared.get(text);
    if (known) return known;
    const seen = (this.seenOnce.get(text) ?? 0) + 1;
    if (seen < 2 || this.prepared.size >= MAX_PREPARED) {
      if (this.seenOnce.size > 10_000) this.seenOnce.clear();
      this.seenOnce.set(text, seen);
      return undefined;
    }
    this.seenOnce.delete(text);
    const name = `wpx_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    this.prepared.set(text, name);
    return name;
  }

  /**
   * The same pool without counting or auditing (the compiled read path's reference run in
   * verify mode, which must not change what tests count).
   */
  uncounted(): Pick<SqlClient, 'query'> {
    return {
      query: async <T extends Row = Row>(text: string, params: readonly unknown[] = []) =>
        (await this.pool.query<T>(text, params as unknown[])).rows,
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

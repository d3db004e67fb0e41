import { unauthenticated } from '../errors.js';
import { SqlBuilder, type Row, type SqlClient } from './sql.js';

/**
 * The request's hand-written SQL, bound to the caller's organisation: `$1` is always the
 * organisation, supplied here, and a statement's own parameters follow from `$2` (a `builder()`
 * numbers them so). A statement cannot name another organisation than the caller's; that each
 * organisation-owned table in it is bound to `$1` is checked by the statement audit
 * (db/tenant-audit.ts, test/tenant-statements).
 */
export class TenantSql {
  constructor(
    private readonly sql: Pick<SqlClient, 'query'>,
    private readonly organization: string | null,
  ) {}

  /** The caller's organisation (the value of `$1`). */
  get organizationId(): string {
    if (!this.organization) throw unauthenticated();
    return this.organization;
  }

  /** A builder whose first parameter is `$2`. */
  builder(): SqlBuilder {
    return new SqlBuilder(1);
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.sql.query<T>(text, [this.organizationId, ...params]);
  }
}

import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import pg from 'pg';

export type { EntityManager };

export interface OrmOptions {
  url: string;
  entities: NonNullable<Options['entities']>;
  migrations: MigrationObject[];
  poolSize: number;
  /** PostgreSQL cancels longer statements (SQLSTATE 57014); unset, no limit (scripts, migrations). */
  statementTimeoutMs?: number;
  /** Called once per SQL statement the ORM sends (for "no N+1" counting). */
  onStatement?: () => void;
}

export function ormConfig(opts: Omit<OrmOptions, 'onStatement'>): Options {
  return {
    clientUrl: opts.url,
    entities: opts.entities,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    migrations: {
      migrationsList: opts.migrations,
      tableName: 'mikro_orm_migrations',
      path: 'migrations',
      pathTs: 'migrations',
      transactional: true,
      silent: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
    pool: { min: 0, max: opts.poolSize },
    // Handed to pg.Client, which sends it as a startup parameter of every pooled connection.
    driverOptions: opts.statementTimeoutMs
      ? { connection: { statement_timeout: opts.statementTimeoutMs } }
      : {},
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    // The read path does not use the identity map; writes fork per request.
    ensureDatabase: false,
  };
}

export async function createOrm(opts: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(opts));
  if (opts.onStatement) {
    const listener = opts.onStatement;
    orm.em
      .getConnection()
      .getKnex()
      .on('query', () => listener());
  }
  return orm;
}

const MIGRATION_LOCK = 'workpex:migrations';

/**
 * Applies pending migrations; returns their names. Instances starting together on one database
 * take turns on a session advisory lock (held on a connection of its own, outside the pool), so
 * each migration runs once and the later instances find nothing pending.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl') });
  // A dropped connection fails the pending query; the event alone must not crash the process.
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    try {
      const applied = await orm.em.getConnection().transactional(async (trx) => {
        // A migration may rightly take longer than a request's statement timeout.
        await trx.raw('set local statement_timeout = 0');
        return orm.getMigrator().up({ transaction: trx });
      });
      return applied.map((m) => m.name);
    } finally {
      await lock.query('select pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
    }
  } finally {
    await lock.end();
  }
}

export async function pendingMigrations(orm: MikroORM): Promise<number> {
  return (await orm.getMigrator().getPendingMigrations()).length;
}

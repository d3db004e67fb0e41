import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';

export type { EntityManager };

export interface OrmOptions {
  url: string;
  entities: NonNullable<Options['entities']>;
  migrations: MigrationObject[];
  poolSize: number;
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

/** Applies pending migrations; returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

export async function pendingMigrations(orm: MikroORM): Promise<number> {
  return (await orm.getMigrator().getPendingMigrations()).length;
}

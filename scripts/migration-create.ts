import 'reflect-metadata';
import { createOrm, migrate } from '../src/platform/db/orm.js';
import { entities } from '../src/modules.js';
import { migrationsList } from '../migrations/index.js';

/**
 * Writes a migration for the difference between the entities and the schema that the
 * existing migrations produce. Needs DATABASE_URL pointing at a scratch database.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a scratch database (it is migrated, not dropped).');
  const orm = await createOrm({ url, entities, migrations: migrationsList, poolSize: 2 });
  try {
    await migrate(orm);
    const result = await orm.getMigrator().createMigration('migrations', false, false, process.argv[2]);
    console.log(
      result.fileName
        ? `Created migrations/${result.fileName}; add it to migrations/index.ts`
        : 'No changes.',
    );
  } finally {
    await orm.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

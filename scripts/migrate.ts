import 'reflect-metadata';
import { loadConfig } from '../src/platform/config.js';
import { startEmbeddedPostgres } from '../src/platform/db/embedded.js';
import { createOrm, migrate } from '../src/platform/db/orm.js';
import { entities } from '../src/modules.js';
import { migrationsList } from '../migrations/index.js';

/** Applies pending migrations to DATABASE_URL, or to the embedded database when unset. */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.WORKPEX_DATA_DIR,
        port: config.EMBEDDED_PG_PORT,
        database: 'workpex',
        persistent: true,
      });
  const orm = await createOrm({
    url: config.DATABASE_URL ?? (embedded as { url: string }).url,
    entities,
    migrations: migrationsList,
    poolSize: 2,
  });
  try {
    const applied = await migrate(orm);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.');
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

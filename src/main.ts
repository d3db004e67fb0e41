import 'reflect-metadata';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { startEmbeddedPostgres } from './platform/db/embedded.js';
import { createLogger } from './platform/logger.js';
import { seedDemo } from './demo-seed.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  let databaseUrl = config.DATABASE_URL;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  if (!databaseUrl) {
    log.info(
      { dataDir: config.WORKPEX_DATA_DIR, port: config.EMBEDDED_PG_PORT },
      'no DATABASE_URL: starting embedded PostgreSQL',
    );
    embedded = await startEmbeddedPostgres({
      dataDir: config.WORKPEX_DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      database: 'workpex',
      persistent: true,
      log,
    });
    databaseUrl = embedded.url;
  }
  const app = await createApp(config, databaseUrl, log);
  const shownPort = app.port;
  console.log(`GraphQL endpoint: http://localhost:${shownPort}/graphql`);
  if (config.NODE_ENV !== 'production') {
    const seeded = await seedDemo(app.orm.em);
    if (seeded) {
      if (seeded.created) log.info('seeded the demo organisation');
      console.log(`API key: ${seeded.key}`);
    }
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    try {
      await app.close();
      await embedded?.stop();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

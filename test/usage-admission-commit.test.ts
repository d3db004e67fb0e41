import pg from 'pg';
import { startServer, type TestServer } from './support/server';
import { seed } from './support/seed';
import { pkOf } from './support/graphql';

/**
 * Admission and settlement commit without waiting for the WAL flush (an fsync per request under
 * load), for their own transaction only: nothing else the session does changes.
 */
describe('usage admission commit', () => {
  let server: TestServer;
  let client: pg.Client;
  let org: string;
  beforeAll(async () => {
    server = await startServer();
    org = pkOf((await seed(server).org('Commit Co')).organizationId);
    client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    // As a production server runs (the test database may run without it, for speed).
    await client.query('set synchronous_commit = on');
  });
  afterAll(async () => {
    await client.end();
    await server.close();
  });

  const setting = async () =>
    (await client.query<{ s: string }>('select current_setting($1) as s', ['synchronous_commit'])).rows[0].s;
  const admit = () =>
    client.query(
      'select * from wpx_usage_admit($1, null, 1000, 1000, 10000, 1000000, 0, 100, 1, 1, 0, null, null, null, 10, 60000)',
      [org],
    );

  it('turns synchronous commit off inside the admission transaction', async () => {
    await client.query('begin');
    try {
      expect(await setting()).toBe('on');
      await admit();
      expect(await setting()).toBe('off');
      await client.query('select wpx_usage_settle($1, null, 10, 0)', [org]);
      expect(await setting()).toBe('off');
    } finally {
      await client.query('rollback');
    }
  });

  it('leaves the session as it was once the admission has committed', async () => {
    await admit();
    expect(await setting()).toBe('on');
  });
});

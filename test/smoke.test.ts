import { startServer, type TestServer } from './support/server';
import { seed } from './support/seed';

describe('foundation smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('signs up and reads its own viewer', async () => {
    const org = await seed(server).org('Smoke Co').withCompanies(2).withContacts(3, { spread: true });
    const res = await server.gql<{ viewer: { organization: { name: string } } }>(
      '{ viewer { organization { name } } }',
      {},
      org.key,
    );
    expect(res.body.data?.viewer.organization.name).toBe('Smoke Co');
  });
});

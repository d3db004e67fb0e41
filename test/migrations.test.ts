import { startServer, type TestServer } from './support/server';

describe('migrations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('produce exactly the schema the entities describe (no drift between entities and migrations)', async () => {
    const diff = await server.app.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('seed the four plans of the contract', async () => {
    const rows = await server.db('select code from plan order by max_cost');
    expect(rows.map((r) => r.code)).toEqual(['FREE', 'STANDARD', 'PROFESSIONAL', 'ENTERPRISE']);
  });

  it('report readiness once applied', async () => {
    const res = await fetch(`${server.origin}/readyz`);
    expect(res.status).toBe(200);
  });
});

import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { statementsFor as countStatements } from './support/statements';

/** CONTRACT §4: a page of N items with their relations costs a constant number of SQL statements. */
describe('no N+1', () => {
  let server: TestServer;
  let org: SeededOrg;

  const statementsFor = <T>(query: string, variables: Record<string, unknown> = {}) =>
    countStatements<T>(server, org.key, query, variables);

  beforeAll(async () => {
    // Keys stay cached for the whole file: a cache entry expiring between the warm-up and the
    // measured request would add a key lookup to one measurement only.
    server = await startServer({ env: { API_KEY_CACHE_SECONDS: '300' } });
    // 20 companies with 5 contacts each.
    org = await seed(server).org('Busy Co').withCompanies(20).withContacts(100, { spread: true });
  });
  afterAll(() => server.close());

  it('lists 100 contacts with their company in as many SQL statements as 5', async () => {
    type Data = {
      contacts: { totalCount: number; nodes: { name: string; company: { name: string } | null }[] };
    };
    const query = 'query($n: Int) { contacts(first: $n) { totalCount nodes { name company { name } } } }';
    const few = await statementsFor<Data>(query, { n: 5 });
    const many = await statementsFor<Data>(query, { n: 100 });
    expect(many.data.contacts.nodes).toHaveLength(100);
    expect(many.data.contacts.nodes.every((c) => c.company?.name.startsWith('Company '))).toBe(true);
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });

  it('lists 20 companies with their contacts and each contact’s company in as many statements as 2', async () => {
    type Data = {
      companies: {
        nodes: {
          name: string;
          contacts: { totalCount: number; nodes: { name: string; company: { name: string } | null }[] };
        }[];
      };
    };
    const query = `query($n: Int) { companies(first: $n) { nodes { name
      contacts(first: 10) { totalCount nodes { name company { name } } } } } }`;
    const few = await statementsFor<Data>(query, { n: 2 });
    const many = await statementsFor<Data>(query, { n: 20 });
    const companies = many.data.companies.nodes;
    expect(companies).toHaveLength(20);
    for (const company of companies) {
      expect(company.contacts.totalCount).toBe(5);
      expect(company.contacts.nodes.map((c) => c.company?.name)).toEqual(new Array(5).fill(company.name));
    }
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });

  it('resolves 20 contacts by id in one request in as many statements as 2', async () => {
    const lookup = (n: number) =>
      `{ ${org.contacts
        .slice(0, n)
        .map((c, i) => `c${i}: contact(id: "${c.id}") { name company { name } }`)
        .join(' ')} }`;
    const few = await statementsFor<Record<string, { name: string }>>(lookup(2));
    const many = await statementsFor<Record<string, { name: string }>>(lookup(20));
    expect(Object.values(many.data).map((c) => c.name)).toEqual(
      org.contacts.slice(0, 20).map((c) => `${c.firstName} ${c.lastName}`),
    );
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });
});

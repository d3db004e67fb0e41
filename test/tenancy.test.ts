import { startServer, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { storedRows } from './support/rows';
import { dataOf, errorOf, pkOf } from './support/graphql';

/**
 * Organisation B holds a valid admin key and every id of organisation A. Whatever B asks,
 * it must neither see nor change A's rows; mutations are checked against the database.
 */
describe('tenancy: one organisation never reaches another', () => {
  let server: TestServer;
  let a: SeededOrg;
  let b: SeededOrg;
  let aReadKey: { key: string; id: string };
  let aAdminKeyId: string;
  let aDefinitionId: string;
  let aDeletedContact: string;
  let aDeletedCompany: string;

  /** Every row of A, as stored. */
  const rowsOfA = () => storedRows(server, pkOf(a.organizationId));

  const asB = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
    server.gql<T>(query, variables, b.key);

  beforeAll(async () => {
    server = await startServer();
    a = await seed(server).org('Alpha Org').withCompanies(3, 'Alpha Co').withContacts(4, { spread: true });
    b = await seed(server).org('Beta Org').withCompanies(1, 'Beta Co').withContacts(2, { spread: true });
    aReadKey = await createApiKey(server, a.key, ['READ']);
    const viewer = await server.gql<{ viewer: { apiKey: { id: string } } }>(
      '{ viewer { apiKey { id } } }',
      {},
      a.key,
    );
    aAdminKeyId = dataOf(viewer).viewer.apiKey.id;
    const def = await server.gql<{ createCustomFieldDefinition: { customFieldDefinition: { id: string } } }>(
      `mutation { createCustomFieldDefinition(input: {
        objectType: CONTACT, key: "score", label: "Score", type: NUMBER }) { customFieldDefinition { id } } }`,
      {},
      a.key,
    );
    aDefinitionId = dataOf(def).createCustomFieldDefinition.customFieldDefinition.id;
    aDeletedContact = a.contacts[3].id;
    aDeletedCompany = a.companies[2].id;
    dataOf(
      await server.gql(
        `mutation($c: ContactIdInput!, $co: CompanyIdInput!) {
          deleteContact(input: $c) { deletedContactId } deleteCompany(input: $co) { deletedCompanyId } }`,
        { c: { id: aDeletedContact }, co: { id: aDeletedCompany } },
        a.key,
      ),
    );
  });
  afterAll(() => server.close());

  describe('reads', () => {
    it('contacts lists only its own contacts, totalCount included', async () => {
      const res = await asB<{ contacts: { totalCount: number; nodes: { id: string }[] } }>(
        '{ contacts(first: 100) { totalCount nodes { id } } }',
      );
      const { totalCount, nodes } = dataOf(res).contacts;
      expect(nodes.map((n) => n.id).sort()).toEqual(b.contacts.map((c) => c.id).sort());
      expect(totalCount).toBe(b.contacts.length);
    });

    it("contacts with includeDeleted shows none of the other organisation's deleted contacts", async () => {
      const res = await asB<{ contacts: { nodes: { id: string }[] } }>(
        '{ contacts(first: 100, includeDeleted: true) { nodes { id } } }',
      );
      expect(dataOf(res).contacts.nodes.map((n) => n.id)).not.toContain(aDeletedContact);
      expect(dataOf(res).contacts.nodes).toHaveLength(b.contacts.length);
    });

    it.each([
      ['id in', () => ({ id: { in: a.contacts.map((c) => c.id) } })],
      ['companyId', () => ({ companyId: { eq: a.companies[0].id } })],
      ['company name', () => ({ company: { name: { eq: 'Alpha Co 1' } } })],
      ['company id', () => ({ company: { id: { in: a.companies.map((c) => c.id) } } })],
    ])("contacts filtered by the other organisation's %s finds nothing", async (_, filter) => {
      const res = await asB<{ contacts: { totalCount: number; nodes: unknown[] } }>(
        'query($f: ContactFilter) { contacts(filter: $f) { totalCount nodes { id } } }',
        { f: filter() },
      );
      expect(dataOf(res).contacts).toEqual({ totalCount: 0, nodes: [] });
    });

    it.each([
      ['live contact', () => a.contacts[0].id],
      ['deleted contact', () => aDeletedContact],
    ])("contact(id) of the other organisation's %s is NOT_FOUND", async (_, id) => {
      const res = await asB('query($id: ID!) { contact(id: $id) { id name } }', { id: id() });
      expect(errorOf(res).code).toBe('NOT_FOUND');
      expect(res.body.data ?? null).toBeNull();
    });

    it('companies lists only its own companies', async () => {
      const res = await asB<{ companies: { totalCount: number; nodes: { id: string }[] } }>(
        '{ companies(first: 100, includeDeleted: true) { totalCount nodes { id } } }',
      );
      expect(dataOf(res).companies.nodes.map((n) => n.id)).toEqual(b.companies.map((c) => c.id));
      expect(dataOf(res).companies.totalCount).toBe(b.companies.length);
    });

    it("companies filtered by the other organisation's names finds nothing", async () => {
      const res = await asB<{ companies: { nodes: unknown[] } }>(
        '{ companies(filter: { name: { startsWith: "Alpha" } }) { nodes { id } } }',
      );
      expect(dataOf(res).companies.nodes).toEqual([]);
    });

    it.each([
      ['live company', () => a.companies[0].id],
      ['deleted company', () => aDeletedCompany],
    ])("company(id) of the other organisation's %s is NOT_FOUND", async (_, id) => {
      const res = await asB('query($id: ID!) { company(id: $id) { id contacts { totalCount } } }', {
        id: id(),
      });
      expect(errorOf(res).code).toBe('NOT_FOUND');
    });

    it("company.contacts never lists another organisation's contact, even one pointing at the company", async () => {
      // The API refuses such a link; forge it in the database to prove the loader checks the tenant.
      const forged = pkOf(a.contacts[0].id);
      const [{ company_id: original }] = await server.db('select company_id from contact where id = $1', [
        forged,
      ]);
      await server.db('update contact set company_id = $1 where id = $2', [pkOf(b.companies[0].id), forged]);
      try {
        const res = await asB<{ company: { contacts: { totalCount: number; nodes: { id: string }[] } } }>(
          'query($id: ID!) { company(id: $id) { contacts(first: 100) { totalCount nodes { id } } } }',
          { id: b.companies[0].id },
        );
        const { contacts } = dataOf(res).company;
        expect(contacts.nodes.map((n) => n.id).sort()).toEqual(b.contacts.map((c) => c.id).sort());
        expect(contacts.totalCount).toBe(b.contacts.length);
      } finally {
        await server.db('update contact set company_id = $1 where id = $2', [original, forged]);
      }
    });

    it("contact.company never resolves to another organisation's company, even if linked", async () => {
      const own = pkOf(b.contacts[0].id);
      const [{ company_id: original }] = await server.db('select company_id from contact where id = $1', [
        own,
      ]);
      await server.db('update contact set company_id = $1 where id = $2', [pkOf(a.companies[0].id), own]);
      try {
        const res = await asB<{ contact: { company: unknown } }>(
          'query($id: ID!) { contact(id: $id) { company { id name } } }',
          { id: b.contacts[0].id },
        );
        expect(dataOf(res).contact.company).toBeNull();
      } finally {
        await server.db('update contact set company_id = $1 where id = $2', [original, own]);
      }
    });

    it('customFieldDefinitions lists none of the other organisation', async () => {
      const res = await asB<{ customFieldDefinitions: unknown[] }>('{ customFieldDefinitions { id key } }');
      expect(dataOf(res).customFieldDefinitions).toEqual([]);
    });

    it('viewer shows its own organisation and key', async () => {
      const res = await asB<{
        viewer: { organization: { id: string; name: string }; apiKey: { id: string } };
      }>('{ viewer { organization { id name } apiKey { id } } }');
      const { viewer } = dataOf(res);
      expect(viewer.organization).toEqual({ id: b.organizationId, name: 'Beta Org' });
      expect([aAdminKeyId, aReadKey.id]).not.toContain(viewer.apiKey.id);
    });

    it('apiKeys lists only its own keys', async () => {
      const res = await asB<{ apiKeys: { id: string }[] }>('{ apiKeys { id } }');
      const ids = dataOf(res).apiKeys.map((k) => k.id);
      expect(ids).toHaveLength(1);
      expect(ids).not.toContain(aAdminKeyId);
      expect(ids).not.toContain(aReadKey.id);
    });
  });

  describe('writes', () => {
    let before: Record<string, unknown>;
    beforeEach(async () => {
      before = await rowsOfA();
      // The snapshot must hold A's rows, or comparing it would prove nothing.
      expect(before.contact).toHaveLength(a.contacts.length);
    });
    afterEach(async () => {
      expect(await rowsOfA()).toEqual(before);
    });

    it("createContact with the other organisation's companyId is BAD_USER_INPUT and writes nothing", async () => {
      const [{ n: count }] = await server.db('select count(*)::int as n from contact');
      const res = await asB(
        'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }',
        { input: { firstName: 'Intruder', companyId: a.companies[0].id } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.companyId' });
      expect(await server.db('select count(*)::int as n from contact')).toEqual([{ n: count }]);
    });

    it("updateContact moving its own contact to the other organisation's company is BAD_USER_INPUT", async () => {
      const res = await asB(
        'mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }',
        { input: { id: b.contacts[0].id, companyId: a.companies[0].id } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.companyId' });
      const [row] = await server.db('select company_id from contact where id = $1', [pkOf(b.contacts[0].id)]);
      expect(row.company_id).toBe(pkOf(b.companies[0].id));
    });

    it("createContact with the other organisation's custom field key is BAD_USER_INPUT", async () => {
      const res = await asB(
        'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }',
        { input: { firstName: 'Intruder', customFields: { score: 3 } } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customFields.score' });
      expect(errorOf(res).message).toMatch(/not a defined/);
    });

    it.each<[string, string, () => string]>([
      [
        'updateContact',
        'mutation($id: ID!) { updateContact(input: { id: $id, firstName: "Hacked" }) { contact { id } } }',
        () => a.contacts[0].id,
      ],
      [
        'deleteContact',
        'mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }',
        () => a.contacts[0].id,
      ],
      [
        'restoreContact',
        'mutation($id: ID!) { restoreContact(input: { id: $id }) { contact { id } } }',
        () => aDeletedContact,
      ],
      [
        'updateCompany',
        'mutation($id: ID!) { updateCompany(input: { id: $id, name: "Hacked" }) { company { id } } }',
        () => a.companies[0].id,
      ],
      [
        'deleteCompany',
        'mutation($id: ID!) { deleteCompany(input: { id: $id }) { deletedCompanyId } }',
        () => a.companies[0].id,
      ],
      [
        'restoreCompany',
        'mutation($id: ID!) { restoreCompany(input: { id: $id }) { company { id } } }',
        () => aDeletedCompany,
      ],
      [
        'revokeApiKey',
        'mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }',
        () => aReadKey.id,
      ],
      [
        'deleteCustomFieldDefinition',
        'mutation($id: ID!) { deleteCustomFieldDefinition(input: { id: $id }) { deletedCustomFieldDefinitionId } }',
        () => aDefinitionId,
      ],
    ])("%s of the other organisation's row is NOT_FOUND and changes nothing", async (_, mutation, id) => {
      const res = await asB(mutation, { id: id() });
      expect(errorOf(res).code).toBe('NOT_FOUND');
      expect(res.body.data ?? null).toBeNull();
    });

    it("revokeApiKey of the other organisation's key leaves that key working", async () => {
      await asB('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }', {
        id: aReadKey.id,
      });
      const res = await server.gql<{ viewer: { organization: { id: string } } }>(
        '{ viewer { organization { id } } }',
        {},
        aReadKey.key,
      );
      expect(dataOf(res).viewer.organization.id).toBe(a.organizationId);
    });

    it('createCustomFieldDefinition may reuse a key the other organisation has', async () => {
      const res = await asB<{ createCustomFieldDefinition: { customFieldDefinition: { key: string } } }>(
        `mutation { createCustomFieldDefinition(input: {
          objectType: CONTACT, key: "score", label: "B score", type: TEXT }) { customFieldDefinition { key } } }`,
      );
      expect(dataOf(res).createCustomFieldDefinition.customFieldDefinition.key).toBe('score');
    });
  });
});

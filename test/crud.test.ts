import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { dataOf, errorOf } from './support/graphql';

const CONTACT_FIELDS = `id firstName lastName name emails primaryEmail phones jobTitle lifecycleStage emailStatus
  tags customFields deletedAt createdAt updatedAt company { id name }`;
const COMPANY_FIELDS = 'id name domain industry employees phone tags customFields deletedAt';

interface Contact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  name: string;
  emails: string[];
  primaryEmail: string | null;
  phones: string[];
  jobTitle: string | null;
  lifecycleStage: string | null;
  emailStatus: string;
  tags: string[];
  customFields: Record<string, unknown>;
  deletedAt: string | null;
  createdAt: string;
  updatedAt: string;
  company: { id: string; name: string } | null;
}
interface Company {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  phone: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  deletedAt: string | null;
}

describe('contacts and companies: create, read, update, delete', () => {
  let server: TestServer;
  let org: SeededOrg;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    server.gql<T>(query, variables, org.key);
  const createContact = async (input: Record<string, unknown>) =>
    dataOf(
      await gql<{ createContact: { contact: Contact } }>(
        `mutation($input: CreateContactInput!) { createContact(input: $input) { contact { ${CONTACT_FIELDS} } } }`,
        { input },
      ),
    ).createContact.contact;
  const updateContact = (input: Record<string, unknown>) =>
    gql<{ updateContact: { contact: Contact } }>(
      `mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { ${CONTACT_FIELDS} } } }`,
      { input },
    );
  const readContact = async (id: string) =>
    dataOf(
      await gql<{ contact: Contact }>(`query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id }),
    ).contact;
  const createCompany = async (input: Record<string, unknown>) =>
    dataOf(
      await gql<{ createCompany: { company: Company } }>(
        `mutation($input: CreateCompanyInput!) { createCompany(input: $input) { company { ${COMPANY_FIELDS} } } }`,
        { input },
      ),
    ).createCompany.company;
  const updateCompany = (input: Record<string, unknown>) =>
    gql<{ updateCompany: { company: Company } }>(
      `mutation($input: UpdateCompanyInput!) { updateCompany(input: $input) { company { ${COMPANY_FIELDS} } } }`,
      { input },
    );
  const readCompany = async (id: string) =>
    dataOf(
      await gql<{ company: Company }>(`query($id: ID!) { company(id: $id) { ${COMPANY_FIELDS} } }`, { id }),
    ).company;
  const listedContactIds = async () =>
    dataOf(
      await gql<{ contacts: { nodes: { id: string }[] } }>('{ contacts(first: 100) { nodes { id } } }'),
    ).contacts.nodes.map((n) => n.id);
  const listedCompanyIds = async () =>
    dataOf(
      await gql<{ companies: { nodes: { id: string }[] } }>('{ companies(first: 100) { nodes { id } } }'),
    ).companies.nodes.map((n) => n.id);
  const mutate = (name: string, inputType: string, id: string, selection: string) =>
    gql<Record<string, Record<string, unknown>>>(
      `mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection} } }`,
      { input: { id } },
    );

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Crud Co').withCompanies(2, 'Crud Company');
  });
  afterAll(() => server.close());

  describe('contacts', () => {
    it('creates a contact and reads back every field by id', async () => {
      const created = await createContact({
        firstName: ' Ada ',
        lastName: 'Lovelace',
        emails: ['Ada@Example.COM'],
        phones: ['+1 415 555 0123'],
        jobTitle: 'Engineer',
        lifecycleStage: 'LEAD',
        tags: ['vip'],
        companyId: org.companies[0].id,
      });
      expect(created).toEqual({
        id: expect.any(String),
        firstName: 'Ada',
        lastName: 'Lovelace',
        name: 'Ada Lovelace',
        emails: ['ada@example.com'],
        primaryEmail: 'ada@example.com',
        phones: ['+14155550123'],
        jobTitle: 'Engineer',
        lifecycleStage: 'LEAD',
        emailStatus: 'SUBSCRIBED',
        tags: ['vip'],
        customFields: {},
        deletedAt: null,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        company: { id: org.companies[0].id, name: 'Crud Company 1' },
      });
      expect(await readContact(created.id)).toEqual(created);
    });

    it('lower-cases and de-duplicates emails, the first staying primary', async () => {
      const c = await createContact({ emails: ['Grace@Navy.MIL', 'grace@navy.mil', 'G.Hopper@Yale.edu'] });
      expect(c.emails).toEqual(['grace@navy.mil', 'g.hopper@yale.edu']);
      expect(c.primaryEmail).toBe('grace@navy.mil');
    });

    it('normalises phones to E.164 and de-duplicates them', async () => {
      const c = await createContact({ firstName: 'Phone', phones: ['+44 20 7946 0958', '+442079460958'] });
      expect(c.phones).toEqual(['+442079460958']);
    });

    it('trims tags and drops duplicates, keeping their order', async () => {
      const c = await createContact({ firstName: 'Tagged', tags: [' vip ', 'beta', 'vip', 'beta '] });
      expect(c.tags).toEqual(['vip', 'beta']);
    });

    it('names a contact from whichever of first and last name it has', async () => {
      const c = await createContact({ lastName: 'Solo' });
      expect(c.name).toBe('Solo');
    });

    it('updates only the fields given, leaving the others as they were', async () => {
      const c = await createContact({
        firstName: 'Alan',
        lastName: 'Turing',
        emails: ['alan@bletchley.uk'],
        jobTitle: 'Cryptanalyst',
        tags: ['enigma'],
        lifecycleStage: 'CUSTOMER',
        companyId: org.companies[0].id,
      });
      const updated = dataOf(await updateContact({ id: c.id, jobTitle: 'Mathematician' })).updateContact
        .contact;
      expect(updated).toEqual({ ...c, jobTitle: 'Mathematician', updatedAt: expect.any(String) });
      expect(await readContact(c.id)).toEqual(updated);
    });

    it('clears the fields set to null', async () => {
      const c = await createContact({
        firstName: 'Clear',
        lastName: 'Me',
        jobTitle: 'Temp',
        phones: ['+14155550123'],
        tags: ['x'],
        lifecycleStage: 'LEAD',
        companyId: org.companies[1].id,
      });
      const input = {
        id: c.id,
        lastName: null,
        jobTitle: null,
        phones: null,
        tags: null,
        lifecycleStage: null,
        companyId: null,
      };
      const updated = dataOf(await updateContact(input)).updateContact.contact;
      expect(updated).toMatchObject({
        firstName: 'Clear',
        lastName: null,
        name: 'Clear',
        jobTitle: null,
        phones: [],
        tags: [],
        lifecycleStage: null,
        company: null,
      });
    });

    it('replaces emails and tags on update, normalising them', async () => {
      const c = await createContact({ emails: ['old@example.com'], tags: ['old'] });
      const updated = dataOf(await updateContact({ id: c.id, emails: ['New@Example.com'], tags: [' new '] }))
        .updateContact.contact;
      expect([updated.emails, updated.primaryEmail, updated.tags]).toEqual([
        ['new@example.com'],
        'new@example.com',
        ['new'],
      ]);
    });

    it('moves a contact to another company', async () => {
      const c = await createContact({ firstName: 'Mover', companyId: org.companies[0].id });
      const updated = dataOf(await updateContact({ id: c.id, companyId: org.companies[1].id })).updateContact
        .contact;
      expect(updated.company).toEqual({ id: org.companies[1].id, name: 'Crud Company 2' });
    });

    it('refuses a contact without a name or an email with BAD_USER_INPUT', async () => {
      const res = await gql('mutation { createContact(input: { jobTitle: "Nobody" }) { contact { id } } }');
      expect(errorOf(res).code).toBe('BAD_USER_INPUT');
    });

    it('refuses an update that would leave no name and no email', async () => {
      const c = await createContact({ firstName: 'Only' });
      const res = await updateContact({ id: c.id, firstName: null });
      expect(errorOf(res).code).toBe('BAD_USER_INPUT');
      expect((await readContact(c.id)).firstName).toBe('Only');
    });

    describe('soft delete', () => {
      it('deleteContact hides the contact from contacts and totalCount', async () => {
        const c = await createContact({ firstName: 'Deleted' });
        const total = async () =>
          dataOf(await gql<{ contacts: { totalCount: number } }>('{ contacts { totalCount } }')).contacts
            .totalCount;
        const before = await total();
        const res = await mutate(
          'deleteContact',
          'ContactIdInput',
          c.id,
          'deletedContactId contact { id deletedAt }',
        );
        expect(dataOf(res).deleteContact).toEqual({
          deletedContactId: c.id,
          contact: { id: c.id, deletedAt: expect.any(String) },
        });
        expect(await listedContactIds()).not.toContain(c.id);
        expect(await total()).toBe(before - 1);
      });

      it('contact(id) still returns a deleted contact, with deletedAt', async () => {
        const c = await createContact({ firstName: 'Still', lastName: 'There' });
        await mutate('deleteContact', 'ContactIdInput', c.id, 'deletedContactId');
        const read = await readContact(c.id);
        expect(read).toEqual({ ...c, deletedAt: expect.any(String), updatedAt: expect.any(String) });
        expect(read.deletedAt).not.toBeNull();
      });

      it('restoreContact brings a deleted contact back into contacts', async () => {
        const c = await createContact({ firstName: 'Lazarus' });
        await mutate('deleteContact', 'ContactIdInput', c.id, 'deletedContactId');
        const res = await mutate('restoreContact', 'ContactIdInput', c.id, 'contact { id deletedAt }');
        expect(dataOf(res).restoreContact).toEqual({ contact: { id: c.id, deletedAt: null } });
        expect(await listedContactIds()).toContain(c.id);
      });

      it('refuses to update or delete a deleted contact with NOT_FOUND', async () => {
        const c = await createContact({ firstName: 'Gone' });
        await mutate('deleteContact', 'ContactIdInput', c.id, 'deletedContactId');
        expect(errorOf(await updateContact({ id: c.id, firstName: 'Back' })).code).toBe('NOT_FOUND');
        expect(errorOf(await mutate('deleteContact', 'ContactIdInput', c.id, 'deletedContactId')).code).toBe(
          'NOT_FOUND',
        );
        expect((await readContact(c.id)).firstName).toBe('Gone');
      });
    });
  });

  describe('companies', () => {
    it('creates a company, normalising domain and phone, and reads it back', async () => {
      const created = await createCompany({
        name: ' Initech ',
        domain: 'https://www.Initech.COM/about',
        industry: 'Software',
        employees: 120,
        phone: '+1 (415) 555-0100',
        tags: ['b2b', 'b2b'],
      });
      expect(created).toEqual({
        id: expect.any(String),
        name: 'Initech',
        domain: 'initech.com',
        industry: 'Software',
        employees: 120,
        phone: '+14155550100',
        tags: ['b2b'],
        customFields: {},
        deletedAt: null,
      });
      expect(await readCompany(created.id)).toEqual(created);
    });

    it('updates only the fields given and clears those set to null', async () => {
      const c = await createCompany({
        name: 'Hooli',
        domain: 'hooli.com',
        industry: 'Tech',
        employees: 5000,
      });
      const renamed = dataOf(await updateCompany({ id: c.id, name: 'Hooli XYZ' })).updateCompany.company;
      expect(renamed).toEqual({ ...c, name: 'Hooli XYZ' });
      const cleared = dataOf(await updateCompany({ id: c.id, domain: null, employees: null })).updateCompany
        .company;
      expect(cleared).toEqual({ ...c, name: 'Hooli XYZ', domain: null, employees: null });
    });

    it('refuses to clear a company name with BAD_USER_INPUT', async () => {
      const c = await createCompany({ name: 'Named' });
      const res = await updateCompany({ id: c.id, name: null });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      expect((await readCompany(c.id)).name).toBe('Named');
    });

    it('lists a company’s contacts under company.contacts', async () => {
      const c = await createCompany({ name: 'Parent' });
      const kids = [
        await createContact({ firstName: 'Kid1', companyId: c.id }),
        await createContact({ firstName: 'Kid2', companyId: c.id }),
      ];
      const res = await gql<{ company: { contacts: { totalCount: number; nodes: { id: string }[] } } }>(
        'query($id: ID!) { company(id: $id) { contacts { totalCount nodes { id } } } }',
        { id: c.id },
      );
      expect(dataOf(res).company.contacts).toEqual({ totalCount: 2, nodes: kids.map((k) => ({ id: k.id })) });
    });

    describe('soft delete', () => {
      it('deleteCompany hides the company from companies; company(id) still returns it with deletedAt', async () => {
        const c = await createCompany({ name: 'Doomed' });
        const res = await mutate(
          'deleteCompany',
          'CompanyIdInput',
          c.id,
          'deletedCompanyId company { id deletedAt }',
        );
        expect(dataOf(res).deleteCompany).toEqual({
          deletedCompanyId: c.id,
          company: { id: c.id, deletedAt: expect.any(String) },
        });
        expect(await listedCompanyIds()).not.toContain(c.id);
        expect((await readCompany(c.id)).deletedAt).toEqual(expect.any(String));
      });

      it('keeps a deleted company on its contacts', async () => {
        const c = await createCompany({ name: 'Kept' });
        const contact = await createContact({ firstName: 'Loyal', companyId: c.id });
        await mutate('deleteCompany', 'CompanyIdInput', c.id, 'deletedCompanyId');
        expect((await readContact(contact.id)).company).toEqual({ id: c.id, name: 'Kept' });
      });

      it('refuses a deleted company as a new contact’s company with BAD_USER_INPUT', async () => {
        const c = await createCompany({ name: 'Closed' });
        await mutate('deleteCompany', 'CompanyIdInput', c.id, 'deletedCompanyId');
        const res = await gql(
          'mutation($id: ID!) { createContact(input: { firstName: "Late", companyId: $id }) { contact { id } } }',
          {
            id: c.id,
          },
        );
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.companyId' });
      });

      it('restoreCompany brings a deleted company back into companies', async () => {
        const c = await createCompany({ name: 'Phoenix' });
        await mutate('deleteCompany', 'CompanyIdInput', c.id, 'deletedCompanyId');
        const res = await mutate('restoreCompany', 'CompanyIdInput', c.id, 'company { id deletedAt }');
        expect(dataOf(res).restoreCompany).toEqual({ company: { id: c.id, deletedAt: null } });
        expect(await listedCompanyIds()).toContain(c.id);
      });
    });
  });
});

describe('custom fields', () => {
  let server: TestServer;
  let org: SeededOrg;
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    server.gql<T>(query, variables, org.key);
  const define = (input: Record<string, unknown>) =>
    gql<{ createCustomFieldDefinition: { customFieldDefinition: Record<string, unknown> } }>(
      `mutation($input: CreateCustomFieldDefinitionInput!) { createCustomFieldDefinition(input: $input) {
        customFieldDefinition { id objectType key label type options required } } }`,
      { input },
    );
  const createContact = (input: Record<string, unknown>) =>
    gql<{ createContact: { contact: { id: string; customFields: Record<string, unknown> } } }>(
      'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id customFields } } }',
      { input },
    );
  const updateContact = (input: Record<string, unknown>) =>
    gql<{ updateContact: { contact: { id: string; customFields: Record<string, unknown> } } }>(
      'mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id customFields } } }',
      { input },
    );
  const contactCount = async () => Number((await server.db('select count(*)::int as n from contact'))[0].n);
  const VALID = { nickname: 'Countess', score: 9.5, tier: 'gold', region: 'EMEA' };

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Fields Co');
    for (const input of [
      { objectType: 'CONTACT', key: 'nickname', label: 'Nickname', type: 'TEXT' },
      { objectType: 'CONTACT', key: 'score', label: 'Score', type: 'NUMBER' },
      { objectType: 'CONTACT', key: 'tier', label: 'Tier', type: 'SELECT', options: ['gold', 'silver'] },
      { objectType: 'CONTACT', key: 'region', label: 'Region', type: 'TEXT', required: true },
      { objectType: 'CONTACT', key: 'legacy', label: 'Legacy', type: 'TEXT' },
      { objectType: 'CONTACT', key: 'since', label: 'Customer since', type: 'DATE' },
      {
        objectType: 'CONTACT',
        key: 'channels',
        label: 'Channels',
        type: 'MULTI_SELECT',
        options: ['email', 'sms'],
      },
      { objectType: 'CONTACT', key: 'optIn', label: 'Opt-in', type: 'BOOLEAN' },
    ]) {
      dataOf(await define(input));
    }
  });
  afterAll(() => server.close());

  it('lists the definitions it created, per record type', async () => {
    const res = await gql<{
      customFieldDefinitions: { key: string; type: string; options: string[]; required: boolean }[];
    }>('{ customFieldDefinitions(objectType: CONTACT) { key type options required } }');
    const byKey = Object.fromEntries(dataOf(res).customFieldDefinitions.map((d) => [d.key, d]));
    expect(Object.keys(byKey).sort()).toEqual([
      'channels',
      'legacy',
      'nickname',
      'optIn',
      'region',
      'score',
      'since',
      'tier',
    ]);
    expect(byKey.tier).toEqual({ key: 'tier', type: 'SELECT', options: ['gold', 'silver'], required: false });
    expect(byKey.region.required).toBe(true);
    const companies = await gql<{ customFieldDefinitions: unknown[] }>(
      '{ customFieldDefinitions(objectType: COMPANY) { key } }',
    );
    expect(dataOf(companies).customFieldDefinitions).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a SELECT without options',
      { objectType: 'CONTACT', key: 'pick', label: 'Pick', type: 'SELECT' },
      'input.options',
    ],
    [
      'options on a TEXT field',
      { objectType: 'CONTACT', key: 'txt', label: 'Txt', type: 'TEXT', options: ['a'] },
      'input.options',
    ],
    [
      'a key that is not an identifier',
      { objectType: 'CONTACT', key: '1 bad-key', label: 'Bad', type: 'TEXT' },
      'input.key',
    ],
  ])('refuses a definition with %s with BAD_USER_INPUT', async (_, input, field) => {
    expect(errorOf(await define(input))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a second definition of the same key with CONFLICT', async () => {
    const res = await define({ objectType: 'CONTACT', key: 'score', label: 'Again', type: 'TEXT' });
    expect(errorOf(res).code).toBe('CONFLICT');
  });

  it('stores valid customFields on createContact', async () => {
    const c = dataOf(await createContact({ firstName: 'Valid', customFields: VALID })).createContact.contact;
    expect(c.customFields).toEqual(VALID);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown key', { ...VALID, bogus: 1 }, 'input.customFields.bogus'],
    ['text where a number is defined', { ...VALID, score: 'ten' }, 'input.customFields.score'],
    ['a number where text is defined', { ...VALID, nickname: 42 }, 'input.customFields.nickname'],
    ['an option that is not allowed', { ...VALID, tier: 'bronze' }, 'input.customFields.tier'],
    ['a missing required key', { nickname: 'NoRegion' }, 'input.customFields.region'],
    ['a string where a boolean is defined', { ...VALID, optIn: 'true' }, 'input.customFields.optIn'],
    [
      'a MULTI_SELECT value outside its options',
      { ...VALID, channels: ['email', 'fax'] },
      'input.customFields.channels',
    ],
    ['a DATE that is not YYYY-MM-DD', { ...VALID, since: '01/02/2026' }, 'input.customFields.since'],
    ['a DATE with month 13', { ...VALID, since: '2026-13-01' }, 'input.customFields.since'],
    ['a DATE of 30 February', { ...VALID, since: '2026-02-30' }, 'input.customFields.since'],
    ['a DATE of 29 February in a common year', { ...VALID, since: '2025-02-29' }, 'input.customFields.since'],
  ])(
    'refuses customFields with %s with BAD_USER_INPUT naming the key, writing nothing',
    async (_, customFields, field) => {
      const before = await contactCount();
      const res = await createContact({ firstName: 'Invalid', customFields });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await contactCount()).toBe(before);
    },
  );

  it('stores DATE, BOOLEAN and MULTI_SELECT values, de-duplicating the selection', async () => {
    const customFields = { ...VALID, since: '2024-02-29', optIn: false, channels: ['sms', 'email', 'sms'] };
    const c = dataOf(await createContact({ firstName: 'Typed', customFields })).createContact.contact;
    expect(c.customFields).toEqual({ ...customFields, channels: ['sms', 'email'] });
  });

  it('refuses a contact without customFields when a key is required', async () => {
    const res = await createContact({ firstName: 'Bare' });
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customFields.region' });
  });

  it('merges customFields on updateContact, keeping the keys not given', async () => {
    const c = dataOf(await createContact({ firstName: 'Merge', customFields: VALID })).createContact.contact;
    const updated = dataOf(await updateContact({ id: c.id, customFields: { score: 3, tier: 'silver' } }))
      .updateContact.contact;
    expect(updated.customFields).toEqual({ ...VALID, score: 3, tier: 'silver' });
  });

  it('leaves customFields alone when an update does not mention them', async () => {
    const c = dataOf(await createContact({ firstName: 'Untouched', customFields: VALID })).createContact
      .contact;
    const updated = dataOf(await updateContact({ id: c.id, firstName: 'Still untouched' })).updateContact
      .contact;
    expect(updated.customFields).toEqual(VALID);
  });

  it('removes a key set to null on updateContact', async () => {
    const c = dataOf(await createContact({ firstName: 'Remove', customFields: VALID })).createContact.contact;
    const updated = dataOf(await updateContact({ id: c.id, customFields: { nickname: null } })).updateContact
      .contact;
    expect(updated.customFields).toEqual({ score: 9.5, tier: 'gold', region: 'EMEA' });
  });

  it('refuses to remove a required key on update, leaving the values as they were', async () => {
    const c = dataOf(await createContact({ firstName: 'Keep', customFields: VALID })).createContact.contact;
    const res = await updateContact({ id: c.id, customFields: { region: null } });
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customFields.region' });
    const read = await gql<{ contact: { customFields: unknown } }>(
      'query($id: ID!) { contact(id: $id) { customFields } }',
      {
        id: c.id,
      },
    );
    expect(dataOf(read).contact.customFields).toEqual(VALID);
  });

  it('keeps stored values of a deleted definition but refuses new writes of its key', async () => {
    const c = dataOf(await createContact({ firstName: 'Legacy', customFields: { ...VALID, legacy: 'old' } }))
      .createContact.contact;
    const defs = await gql<{ customFieldDefinitions: { id: string; key: string }[] }>(
      '{ customFieldDefinitions { id key } }',
    );
    const legacy = dataOf(defs).customFieldDefinitions.find((d) => d.key === 'legacy');
    dataOf(
      await gql(
        'mutation($id: ID!) { deleteCustomFieldDefinition(input: { id: $id }) { deletedCustomFieldDefinitionId } }',
        {
          id: legacy?.id,
        },
      ),
    );
    const read = await gql<{ contact: { customFields: unknown } }>(
      'query($id: ID!) { contact(id: $id) { customFields } }',
      {
        id: c.id,
      },
    );
    expect(dataOf(read).contact.customFields).toEqual({ ...VALID, legacy: 'old' });
    const res = await updateContact({ id: c.id, customFields: { legacy: 'new' } });
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customFields.legacy' });
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { startServer, type GraphQLResponse, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { codesOf, dataOf, errorOf, globalIdOf, pkOf } from './support/graphql';

const CREATE_CONTACT =
  'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id firstName } } }';
const CREATE_COMPANY =
  'mutation($input: CreateCompanyInput!) { createCompany(input: $input) { company { id name } } }';
const CREATE_KEY =
  'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id prefix } } }';
const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { key organization { id } } }';

describe('authentication, authorisation and errors', () => {
  let server: TestServer;
  let org: SeededOrg;
  let readKey: string;
  let writeKey: string;
  /** Every error this file provoked, checked at the end for leaks. */
  const seen: NonNullable<GraphQLResponse['body']['errors']> = [];

  async function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    key?: string,
  ) {
    const res = await server.gql<T>(query, variables, key);
    seen.push(...(res.body.errors ?? []));
    return res;
  }
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await server.db(`select count(*)::int as n from ${sql}`, params))[0].n);

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Guarded Co').withCompanies(1).withContacts(1);
    readKey = (await createApiKey(server, org.key, ['READ'])).key;
    writeKey = (await createApiKey(server, org.key, ['WRITE'])).key;
  });
  afterAll(() => server.close());

  describe('authentication', () => {
    it('refuses a query without a key with UNAUTHENTICATED', async () => {
      const res = await gql('{ contacts { nodes { id } } }');
      expect(codesOf(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.body.data ?? null).toBeNull();
    });

    it('refuses a mutation without a key with UNAUTHENTICATED and writes nothing', async () => {
      const before = await count('contact');
      const res = await gql(CREATE_CONTACT, { input: { firstName: 'Anonymous' } });
      expect(codesOf(res)).toEqual(['UNAUTHENTICATED']);
      expect(await count('contact')).toBe(before);
    });

    it.each([
      ['an unknown key', () => `wpx_${randomUUID()}${randomUUID()}`],
      ['a malformed Authorization value', () => 'two words'],
    ])('refuses %s with UNAUTHENTICATED', async (_, key) => {
      const res = await gql('{ viewer { organization { id } } }', {}, key());
      expect(codesOf(res)).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a revoked key at once on the same server', async () => {
      const doomed = await createApiKey(server, org.key, ['READ']);
      dataOf(await gql('{ viewer { apiKey { id } } }', {}, doomed.key));
      dataOf(
        await gql(
          'mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }',
          { id: doomed.id },
          org.key,
        ),
      );
      const res = await gql('{ viewer { apiKey { id } } }', {}, doomed.key);
      expect(codesOf(res)).toEqual(['UNAUTHENTICATED']);
    });

    it('shows a revoked key as revoked in apiKeys', async () => {
      const doomed = await createApiKey(server, org.key, ['READ']);
      await gql(
        'mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }',
        { id: doomed.id },
        org.key,
      );
      const res = await gql<{ apiKeys: { id: string; revokedAt: string | null }[] }>(
        '{ apiKeys { id revokedAt } }',
        {},
        org.key,
      );
      expect(dataOf(res).apiKeys.find((k) => k.id === doomed.id)?.revokedAt).toEqual(expect.any(String));
    });
  });

  describe('scopes', () => {
    it('refuses a mutation with a read-only key with FORBIDDEN and writes nothing', async () => {
      const before = await count('contact');
      const res = await gql(CREATE_CONTACT, { input: { firstName: 'Reader' } }, readKey);
      expect(codesOf(res)).toEqual(['FORBIDDEN']);
      expect(await count('contact')).toBe(before);
    });

    it('refuses createApiKey with a write key (admin only) with FORBIDDEN and mints nothing', async () => {
      const before = await count('api_key');
      const res = await gql(CREATE_KEY, { input: { name: 'escalate', scopes: ['ADMIN'] } }, writeKey);
      expect(codesOf(res)).toEqual(['FORBIDDEN']);
      expect(await count('api_key')).toBe(before);
    });

    it('refuses apiKeys with a read key with FORBIDDEN', async () => {
      const res = await gql('{ apiKeys { id } }', {}, readKey);
      expect(codesOf(res)).toEqual(['FORBIDDEN']);
    });

    it('lets a key with only the write scope create a contact and read the payload', async () => {
      // Scopes are "read: queries; write: mutations": a mutation's own payload is part of the mutation.
      const res = await gql<{ createContact: { contact: { firstName: string } } }>(
        CREATE_CONTACT,
        { input: { firstName: 'Writer' } },
        writeKey,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.createContact.contact.firstName).toBe('Writer');
    });

    it.each(['contacts', 'companies'])(
      'refuses %s(includeDeleted: true) with a non-admin key with FORBIDDEN',
      async (list) => {
        const res = await gql(`{ ${list}(includeDeleted: true) { nodes { id } } }`, {}, readKey);
        expect(codesOf(res)).toEqual(['FORBIDDEN']);
      },
    );

    it('lists deleted contacts with includeDeleted: true and an admin key', async () => {
      const created = await gql<{ createContact: { contact: { id: string } } }>(
        CREATE_CONTACT,
        { input: { firstName: 'Ghost' } },
        org.key,
      );
      const id = dataOf(created).createContact.contact.id;
      dataOf(
        await gql(
          'mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }',
          { id },
          org.key,
        ),
      );
      const res = await gql<{ contacts: { nodes: { id: string; deletedAt: string | null }[] } }>(
        '{ contacts(first: 100, includeDeleted: true) { nodes { id deletedAt } } }',
        {},
        org.key,
      );
      expect(dataOf(res).contacts.nodes.find((n) => n.id === id)?.deletedAt).toEqual(expect.any(String));
    });
  });

  describe('bad input', () => {
    it.each<[string, string, Record<string, unknown>, string]>([
      ['an invalid email', CREATE_CONTACT, { firstName: 'Bad', emails: ['not-an-email'] }, 'input.emails[0]'],
      [
        'an invalid second email',
        CREATE_CONTACT,
        { firstName: 'Bad', emails: ['ok@example.com', 'a@b'] },
        'input.emails[1]',
      ],
      ['an invalid phone', CREATE_CONTACT, { firstName: 'Bad', phones: ['12'] }, 'input.phones[0]'],
      ['a malformed companyId', CREATE_CONTACT, { firstName: 'Bad', companyId: 'nope' }, 'input.companyId'],
      ['an invalid tag', CREATE_CONTACT, { firstName: 'Bad', tags: ['#!'] }, 'input.tags[0]'],
      ['an empty company name', CREATE_COMPANY, { name: '' }, 'input.name'],
      ['a blank company name', CREATE_COMPANY, { name: '   ' }, 'input.name'],
      ['a negative employee count', CREATE_COMPANY, { name: 'Bad', employees: -3 }, 'input.employees'],
      ['an invalid domain', CREATE_COMPANY, { name: 'Bad', domain: 'not a domain' }, 'input.domain'],
    ])(
      'refuses %s with BAD_USER_INPUT naming the field, writing nothing',
      async (_, mutation, input, field) => {
        const before = { contacts: await count('contact'), companies: await count('company') };
        const res = await gql(mutation, { input }, org.key);
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(errorOf(res).message).toContain(field);
        expect({ contacts: await count('contact'), companies: await count('company') }).toEqual(before);
      },
    );

    it('refuses an update with an invalid email and leaves the contact as it was', async () => {
      const pk = pkOf(org.contacts[0].id);
      const [before] = await server.db('select * from contact where id = $1', [pk]);
      const res = await gql(
        'mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }',
        { input: { id: org.contacts[0].id, firstName: 'Changed', emails: ['broken@'] } },
        org.key,
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.emails[0]' });
      expect(await server.db('select * from contact where id = $1', [pk])).toEqual([before]);
    });

    it('refuses a variable of the wrong type with BAD_USER_INPUT', async () => {
      const res = await gql(CREATE_COMPANY, { input: { name: 'Typed', employees: 'lots' } }, org.key);
      expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses text containing a NUL character with BAD_USER_INPUT naming the field', async () => {
      // PostgreSQL cannot store U+0000 in text: the API must say which input is wrong, not fail inside.
      const res = await gql(CREATE_CONTACT, { input: { firstName: 'Nul\u0000Byte' } }, org.key);
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.firstName' });
    });
  });

  describe('not found', () => {
    const ghost = (type: string) => globalIdOf(type, randomUUID());

    it.each<[string, string, () => Record<string, unknown>]>([
      ['contact(id)', 'query($id: ID!) { contact(id: $id) { id } }', () => ({ id: ghost('Contact') })],
      ['company(id)', 'query($id: ID!) { company(id: $id) { id } }', () => ({ id: ghost('Company') })],
      [
        'updateContact',
        'mutation($id: ID!) { updateContact(input: { id: $id, firstName: "X" }) { contact { id } } }',
        () => ({ id: ghost('Contact') }),
      ],
      [
        'deleteContact',
        'mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }',
        () => ({ id: ghost('Contact') }),
      ],
      [
        'updateCompany',
        'mutation($id: ID!) { updateCompany(input: { id: $id, name: "X" }) { company { id } } }',
        () => ({ id: ghost('Company') }),
      ],
      [
        'restoreCompany',
        'mutation($id: ID!) { restoreCompany(input: { id: $id }) { company { id } } }',
        () => ({ id: ghost('Company') }),
      ],
      [
        'revokeApiKey',
        'mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }',
        () => ({ id: ghost('ApiKey') }),
      ],
      [
        'deleteCustomFieldDefinition',
        'mutation($id: ID!) { deleteCustomFieldDefinition(input: { id: $id }) { deletedCustomFieldDefinitionId } }',
        () => ({ id: ghost('CustomFieldDefinition') }),
      ],
    ])('answers %s of an unknown id with NOT_FOUND', async (_, query, variables) => {
      const res = await gql(query, variables(), org.key);
      expect(codesOf(res)).toEqual(['NOT_FOUND']);
    });
  });

  describe('API key secrets', () => {
    it('returns the secret once and stores only its sha256 hash', async () => {
      const res = await gql<{ createApiKey: { key: string; apiKey: { id: string; prefix: string } } }>(
        CREATE_KEY,
        { input: { name: 'ci', scopes: ['READ'] } },
        org.key,
      );
      const { key, apiKey } = dataOf(res).createApiKey;
      // ≥ 32 random bytes, base64url-encoded, is at least 43 characters.
      expect(key.length).toBeGreaterThanOrEqual(43);
      expect(key.startsWith(apiKey.prefix)).toBe(true);
      expect(apiKey.prefix.length).toBeLessThan(key.length / 2);
      const [row] = await server.db('select * from api_key where id = $1', [pkOf(apiKey.id)]);
      expect(row.hash).toBe(createHash('sha256').update(key).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(key);
    });

    it('stores the sign-up admin key only as its hash too', async () => {
      const rows = await server.db('select hash, prefix from api_key where organization_id = $1', [
        pkOf(org.organizationId),
      ]);
      expect(rows.map((r) => r.hash)).toContain(createHash('sha256').update(org.key).digest('hex'));
      expect(JSON.stringify(rows)).not.toContain(org.key);
    });

    it('never shows a secret again in apiKeys or viewer', async () => {
      const res = await gql(
        '{ apiKeys { id name prefix scopes } viewer { apiKey { id prefix } } }',
        {},
        org.key,
      );
      const text = JSON.stringify(dataOf(res));
      expect(text).not.toContain(org.key);
      expect(text).not.toContain(readKey);
      expect(text).not.toContain(writeKey);
    });
  });

  describe('introspection', () => {
    const INTROSPECT = '{ __schema { queryType { name } } }';

    it('refuses introspection without a key with a coded error', async () => {
      const res = await gql(INTROSPECT);
      expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(errorOf(res).code);
      expect(res.body.data ?? null).toBeNull();
    });

    it('refuses __type without a key', async () => {
      const res = await gql('{ __type(name: "Contact") { fields { name } } }');
      expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(errorOf(res).code);
      expect(res.body.data ?? null).toBeNull();
    });

    it('refuses introspection hidden in a named fragment without a key', async () => {
      const res = await gql(
        'query { ...Schema } fragment Schema on Query { __schema { queryType { name } } }',
      );
      expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(errorOf(res).code);
      expect(res.body.data ?? null).toBeNull();
    });

    it('refuses introspection with a key that lacks the read scope', async () => {
      const res = await gql(INTROSPECT, {}, writeKey);
      expect(errorOf(res).code).toBe('FORBIDDEN');
    });

    it('answers introspection with a read key', async () => {
      const res = await gql<{ __schema: { queryType: { name: string } } }>(INTROSPECT, {}, readKey);
      expect(dataOf(res).__schema.queryType.name).toBe('Query');
    });
  });

  describe('signUp', () => {
    it.each([
      ['a bad email', { organizationName: 'Nope Inc', email: 'nope' }, 'input.email'],
      [
        'an empty organisation name',
        { organizationName: ' ', email: 'ok@nope.test' },
        'input.organizationName',
      ],
    ])('refuses %s with BAD_USER_INPUT and creates no organisation', async (_, input, field) => {
      const before = await count('organization');
      const res = await gql(SIGN_UP, { input });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await count('organization')).toBe(before);
    });
  });

  describe('internal errors', () => {
    it('answers a database failure with INTERNAL_SERVER_ERROR and nothing of the failure', async () => {
      // A cursor that decodes but does not fit the column types makes the SQL itself fail.
      const forged = Buffer.from(JSON.stringify(['not a time', 'not a uuid'])).toString('base64url');
      const res = await gql(
        'query($after: String) { contacts(after: $after) { nodes { id } } }',
        { after: forged },
        org.key,
      );
      const error = errorOf(res);
      expect(['INTERNAL_SERVER_ERROR', 'BAD_USER_INPUT']).toContain(error.code);
      expect(error.message).not.toMatch(/select|syntax|uuid|timestamp|postgres|relation|column/i);
    });

    it('never returns a stack trace, exception or SQL in any error provoked above', () => {
      expect(seen.length).toBeGreaterThan(30);
      for (const e of seen) {
        expect(Object.keys(e.extensions ?? {})).not.toEqual(expect.arrayContaining(['stacktrace']));
        expect(Object.keys(e.extensions ?? {})).not.toEqual(expect.arrayContaining(['exception']));
        expect(e.message).not.toMatch(/\b(select|insert|update|delete)\b.*\b(from|into|set|where)\b/i);
        expect(e.message).not.toMatch(/\.ts:\d+|node_modules|^\s+at /m);
      }
    });
  });
});

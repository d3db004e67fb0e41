import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, errorOf, globalIdOf, pkOf } from './support/graphql';

interface Hit {
  __typename: string;
  id: string;
  label: string;
}

/** Each search result as `Type:label`, the label being the name a client would show. */
const SEARCH = `query($text: String!, $first: Int! = 20, $types: [SearchType!]) {
  search(text: $text, first: $first, types: $types) {
    __typename
    ... on Contact { id label: name }
    ... on Company { id label: name }
    ... on Deal { id label: name }
  }
}`;

describe('node, nodes and search', () => {
  let server: TestServer;
  let org: SeededOrg;
  let api: ReturnType<typeof clientFor>;
  /** One id of every Node type, by type name. */
  const ids: Record<string, string> = {};

  const createOne = async (mutation: string, input: Record<string, unknown>, path: string) => {
    const inputType = `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;
    const data = await api.data<Record<string, Record<string, { id: string }>>>(
      `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${path} { id } } }`,
      { input },
    );
    return data[mutation][path].id;
  };
  const search = async (text: string, opts: { first?: number; types?: string[] } = {}) =>
    (await api.data<{ search: Hit[] }>(SEARCH, { text, ...opts })).search.map(
      (h) => `${h.__typename}:${h.label}`,
    );
  /** Pins updatedAt so "most recently updated" has a known order. */
  const touch = (table: string, id: string, at: string) =>
    server.db(`update ${table} set updated_at = $1 where id = $2`, [at, pkOf(id)]);

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Node Co').withUsers(1);
    api = clientFor(server, org.key);

    ids.Contact = await createOne(
      'createContact',
      { firstName: 'Ada', lastName: 'Lovelace', emails: ['ada@engine.test'] },
      'contact',
    );
    ids.Company = await createOne(
      'createCompany',
      { name: 'Analytical Engines', domain: 'engine.test' },
      'company',
    );
    ids.Deal = await createOne(
      'createDeal',
      { name: 'Difference engine', contactIds: [ids.Contact] },
      'deal',
    );
    const { pipelines } = await api.data<{
      pipelines: { nodes: { id: string; stages: { id: string }[] }[] };
    }>('{ pipelines { nodes { id stages { id } } } }');
    ids.Pipeline = pipelines.nodes[0].id;
    ids.Stage = pipelines.nodes[0].stages[0].id;
    ids.Campaign = await createOne(
      'createCampaign',
      { name: 'Launch', subject: 'Hi', fromEmail: 'a@node.test' },
      'campaign',
    );
    await api.data(
      'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
      {
        input: { campaignId: ids.Campaign, contactIds: [ids.Contact] },
      },
    );
    const { campaign } = await api.data<{ campaign: { members: { nodes: { id: string }[] } } }>(
      'query($id: ID!) { campaign(id: $id) { members { nodes { id } } } }',
      { id: ids.Campaign },
    );
    ids.CampaignMember = campaign.members.nodes[0].id;
    ids.Call = await createOne(
      'logCall',
      { direction: 'OUTBOUND', fromNumber: '+14155550100', toNumber: '+14155550101', contactId: ids.Contact },
      'call',
    );
    ids.User = org.users[1].id;
  });
  afterAll(() => server.close());

  describe('node', () => {
    it.each([
      'Contact',
      'Company',
      'Deal',
      'Pipeline',
      'Stage',
      'Campaign',
      'CampaignMember',
      'Call',
      'User',
    ])('returns a %s with its __typename and fields', async (type) => {
      const { node } = await api.data<{ node: { __typename: string; id: string } }>(
        `query($id: ID!) { node(id: $id) { __typename id
          ... on Contact { name } ... on Company { name } ... on Deal { name } ... on Pipeline { name }
          ... on Stage { name } ... on Campaign { name } ... on CampaignMember { status } ... on Call { toNumber }
          ... on User { email } } }`,
        { id: ids[type] },
      );
      expect(node).toMatchObject({ __typename: type, id: ids[type] });
      const expected: Record<string, Record<string, string>> = {
        Contact: { name: 'Ada Lovelace' },
        Company: { name: 'Analytical Engines' },
        Deal: { name: 'Difference engine' },
        Pipeline: { name: 'Sales' },
        Stage: { name: 'Qualification' },
        Campaign: { name: 'Launch' },
        CampaignMember: { status: 'PENDING' },
        Call: { toNumber: '+14155550101' },
        User: { email: 'user1@nodeco.test' },
      };
      expect(node).toEqual({ __typename: type, id: ids[type], ...expected[type] });
    });

    it.each<[string, () => string]>([
      ['an unknown contact id', () => globalIdOf('Contact', randomUUID())],
      ['an unknown deal id', () => globalIdOf('Deal', randomUUID())],
      ['an id of a type that is not a Node', () => globalIdOf('Organization', pkOf(org.organizationId))],
      ['an id naming another type than its row', () => globalIdOf('Company', pkOf(ids.Contact))],
      ['garbage', () => 'not an id at all'],
      ['an empty string', () => ''],
      ['base64 of a type without a uuid', () => Buffer.from('Contact:42').toString('base64url')],
    ])('is null for %s', async (_, id) => {
      const res = await api.call<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id: id() });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual({ node: null });
    });
  });

  describe('nodes', () => {
    it('returns the objects in the order asked, with null where an id is not visible', async () => {
      const asked = [ids.Deal, 'garbage', ids.Contact, globalIdOf('Call', randomUUID()), ids.Stage, ids.Deal];
      const { nodes } = await api.data<{ nodes: ({ __typename: string; id: string } | null)[] }>(
        'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
        { ids: asked },
      );
      expect(nodes).toEqual([
        { __typename: 'Deal', id: ids.Deal },
        null,
        { __typename: 'Contact', id: ids.Contact },
        null,
        { __typename: 'Stage', id: ids.Stage },
        { __typename: 'Deal', id: ids.Deal },
      ]);
    });

    it('returns an empty list for no ids', async () => {
      expect(await api.data('{ nodes(ids: []) { id } }')).toEqual({ nodes: [] });
    });

    it('refuses more than 100 ids with BAD_USER_INPUT', async () => {
      const res = await api.call('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
        ids: Array.from({ length: 101 }, () => ids.Contact),
      });
      expect(errorOf(res).code).toBe('BAD_USER_INPUT');
    });
  });

  describe('search', () => {
    beforeAll(async () => {
      // Prefix matches: "Orbit Labs" (company name), "Zed Orbitson" (contact last name).
      // Matches inside the text: "New orbit deal" (deal), "Sales Rep" with sales@orbit.io (contact email),
      // "Blue Sky" with domain getorbit.io (company).
      const labs = await createOne('createCompany', { name: 'Orbit Labs' }, 'company');
      const zed = await createOne('createContact', { firstName: 'Zed', lastName: 'Orbitson' }, 'contact');
      const deal = await createOne('createDeal', { name: 'New orbit deal' }, 'deal');
      const rep = await createOne(
        'createContact',
        { firstName: 'Sales', lastName: 'Rep', emails: ['sales@orbit.io'] },
        'contact',
      );
      const sky = await createOne('createCompany', { name: 'Blue Sky', domain: 'getorbit.io' }, 'company');
      const gone = await createOne('createContact', { firstName: 'Orbit', lastName: 'Deleted' }, 'contact');
      const goneDeal = await createOne('createDeal', { name: 'Orbit deleted deal' }, 'deal');
      await api.data('mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }', {
        id: gone,
      });
      await api.data('mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }', {
        id: goneDeal,
      });
      // Most recently updated first within each group.
      await touch('company', labs, '2026-01-01T00:00:00Z');
      await touch('contact', zed, '2026-01-02T00:00:00Z');
      await touch('deal', deal, '2026-01-05T00:00:00Z');
      await touch('contact', rep, '2026-01-04T00:00:00Z');
      await touch('company', sky, '2026-01-03T00:00:00Z');
    });

    it('finds contacts by name', async () => {
      expect(await search('lovelace')).toEqual(['Contact:Ada Lovelace']);
      expect(await search('Ada Love')).toEqual(['Contact:Ada Lovelace']);
    });

    it('finds contacts by email', async () => {
      expect(await search('ada@engine')).toEqual(['Contact:Ada Lovelace']);
    });

    it('finds companies by name and by domain', async () => {
      expect(await search('analytical')).toEqual(['Company:Analytical Engines']);
      expect(await search('getorbit.io')).toEqual(['Company:Blue Sky']);
    });

    it('finds deals by name', async () => {
      expect(await search('difference')).toEqual(['Deal:Difference engine']);
    });

    it('puts prefix matches first, then the most recently updated', async () => {
      expect(await search('orbit')).toEqual([
        'Contact:Zed Orbitson',
        'Company:Orbit Labs',
        'Deal:New orbit deal',
        'Contact:Sales Rep',
        'Company:Blue Sky',
      ]);
    });

    it('is case-insensitive', async () => {
      expect(await search('ORBIT')).toEqual(await search('orbit'));
    });

    it('keeps to the types asked for', async () => {
      expect(await search('orbit', { types: ['COMPANY'] })).toEqual([
        'Company:Orbit Labs',
        'Company:Blue Sky',
      ]);
      expect(await search('orbit', { types: ['DEAL', 'CONTACT'] })).toEqual([
        'Contact:Zed Orbitson',
        'Deal:New orbit deal',
        'Contact:Sales Rep',
      ]);
    });

    it('leaves out soft-deleted contacts and deals', async () => {
      const hits = await search('deleted');
      expect(hits).toEqual([]);
    });

    it('returns at most `first` results, the best ones', async () => {
      expect(await search('orbit', { first: 2 })).toEqual(['Contact:Zed Orbitson', 'Company:Orbit Labs']);
      expect(await search('orbit', { first: 3 })).toEqual([
        'Contact:Zed Orbitson',
        'Company:Orbit Labs',
        'Deal:New orbit deal',
      ]);
    });

    it('matches % and _ literally', async () => {
      expect(await search('%')).toEqual([]);
      expect(await search('_')).toEqual([]);
    });

    it('finds nothing for text no record contains', async () => {
      expect(await search('zzzz-nothing')).toEqual([]);
    });

    it.each<[string, Record<string, unknown>]>([
      ['first: 0', { text: 'orbit', first: 0 }],
      ['first: 51', { text: 'orbit', first: 51 }],
      ['blank text', { text: '   ' }],
      ['text over 200 characters', { text: 'x'.repeat(201) }],
    ])('refuses %s with BAD_USER_INPUT', async (_, vars) => {
      expect(errorOf(await api.call(SEARCH, vars)).code).toBe('BAD_USER_INPUT');
    });

    it('returns ids that node() resolves to the same object', async () => {
      const { search: hits } = await api.data<{ search: Hit[] }>(SEARCH, { text: 'orbit' });
      const { nodes } = await api.data<{ nodes: { __typename: string; id: string }[] }>(
        'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
        { ids: hits.map((h) => h.id) },
      );
      expect(nodes).toEqual(hits.map((h) => ({ __typename: h.__typename, id: h.id })));
    });
  });
});

import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, errorOf, pkOf } from './support/graphql';

type Filter = Record<string, unknown>;

/**
 * The data set every expected answer is computed from by hand.
 *
 * Companies: Acme (acme.com), Globex, Initech.
 * Contacts: Ann (Acme, vip), Bob (Acme), Cat (Globex, vip), Dan (none), Eve (Initech), Hal (none, no deals),
 *   Gus (Globex, soft-deleted after being linked).
 * Deals (default "Sales" pipeline):
 *   D1 Acme expansion  Acme     [Ann, Bob]  Won (WON)
 *   D2 Acme renewal    Acme     [Ann]       Qualification (OPEN)
 *   D3 Globex pilot    Globex   [Cat, Dan]  Lost (LOST)
 *   D4 Initech audit   Initech  [Eve]       Proposal (OPEN)
 *   D5 Solo            -        []          Won (WON)
 *   D6 Ghosted         Globex   [Gus]       Negotiation (OPEN)
 *   D7 Deleted deal    Acme     [Bob]       Won (WON), soft-deleted
 * Calls: C1 Ann/D1, C2 Ann/D2, C3 Cat/D3, C4 Eve/-, C5 -/D5, C6 Bob/D1 (soft-deleted).
 * Campaigns: Spring [Ann OPENED, Bob BOUNCED hard, Cat DELIVERED, Dan PENDING],
 *   Summer [Ann CLICKED, Eve BOUNCED soft], Empty [].
 */
const PEOPLE = [
  { firstName: 'Ann', company: 0, tags: ['vip'] },
  { firstName: 'Bob', company: 0, tags: [] },
  { firstName: 'Cat', company: 1, tags: ['vip'] },
  { firstName: 'Dan', company: null, tags: [] },
  { firstName: 'Eve', company: 2, tags: [] },
  { firstName: 'Hal', company: null, tags: [] },
  { firstName: 'Gus', company: 1, tags: ['vip'] },
];
const DEALS: { name: string; company: number | null; contacts: string[]; stage: string }[] = [
  { name: 'D1 Acme expansion', company: 0, contacts: ['Ann', 'Bob'], stage: 'Won' },
  { name: 'D2 Acme renewal', company: 0, contacts: ['Ann'], stage: 'Qualification' },
  { name: 'D3 Globex pilot', company: 1, contacts: ['Cat', 'Dan'], stage: 'Lost' },
  { name: 'D4 Initech audit', company: 2, contacts: ['Eve'], stage: 'Proposal' },
  { name: 'D5 Solo', company: null, contacts: [], stage: 'Won' },
  { name: 'D6 Ghosted', company: 1, contacts: ['Gus'], stage: 'Negotiation' },
  { name: 'D7 Deleted deal', company: 0, contacts: ['Bob'], stage: 'Won' },
];
const CALLS: { notes: string; contact: string | null; deal: string | null }[] = [
  { notes: 'C1', contact: 'Ann', deal: 'D1' },
  { notes: 'C2', contact: 'Ann', deal: 'D2' },
  { notes: 'C3', contact: 'Cat', deal: 'D3' },
  { notes: 'C4', contact: 'Eve', deal: null },
  { notes: 'C5', contact: null, deal: 'D5' },
  { notes: 'C6', contact: 'Bob', deal: 'D1' },
];
const CAMPAIGNS: Record<string, [string, string, string | null][]> = {
  Spring: [
    ['Ann', 'OPENED', null],
    ['Bob', 'BOUNCED', 'HARD'],
    ['Cat', 'DELIVERED', null],
    ['Dan', 'PENDING', null],
  ],
  Summer: [
    ['Ann', 'CLICKED', null],
    ['Eve', 'BOUNCED', 'SOFT'],
  ],
  Empty: [],
};

const sorted = (list: string[]) => [...list].sort();

describe('filters across relations', () => {
  let server: TestServer;
  let org: SeededOrg;
  let api: ReturnType<typeof clientFor>;
  const contact: Record<string, string> = {};
  const deal: Record<string, string> = {};
  const campaign: Record<string, string> = {};

  /** Names (or notes) of the rows a list returns for `filter`, sorted; totalCount must agree. */
  async function list(field: string, filterType: string, select: string, filter: Filter): Promise<string[]> {
    const data = await api.data<Record<string, { totalCount: number; nodes: Record<string, string>[] }>>(
      `query($f: ${filterType}) { ${field}(first: 100, filter: $f) { totalCount nodes { ${select} } } }`,
      { f: filter },
    );
    const { totalCount, nodes } = data[field];
    expect(totalCount).toBe(nodes.length);
    return nodes.map((n) => n[select]).sort();
  }
  const deals = (f: Filter) =>
    list('deals', 'DealFilter', 'name', f).then((n) => n.map((x) => x.split(' ')[0]));
  const contacts = (f: Filter) => list('contacts', 'ContactFilter', 'firstName', f);
  const calls = (f: Filter) => list('calls', 'CallFilter', 'notes', f);
  const campaigns = (f: Filter) => list('campaigns', 'CampaignFilter', 'name', f);

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server)
      .org('Relation Co')

      .withCompanies(1, 'Acme', { extra: () => ({ domain: 'acme.com' }) })
      .withCompanies(1, 'Globex')
      .withCompanies(1, 'Initech')
      .withContacts(PEOPLE.length, {
        extra: (i, o) => {
          const { company, ...person } = PEOPLE[i];
          return { ...person, lastName: null, companyId: company === null ? null : o.companies[company].id };
        },
      });
    api = clientFor(server, org.key);
    PEOPLE.forEach((p, i) => (contact[p.firstName] = org.contacts[i].id));

    const { pipelines } = await api.data<{
      pipelines: { nodes: { stages: { id: string; name: string }[] }[] };
    }>('{ pipelines { nodes { stages { id name } } } }');
    const stage = Object.fromEntries(pipelines.nodes[0].stages.map((s) => [s.name, s.id]));
    for (const d of DEALS) {
      const { createDeal } = await api.data<{ createDeal: { deal: { id: string } } }>(
        'mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id } } }',
        {
          input: {
            name: d.name,
            stageId: stage[d.stage],
            companyId: d.company === null ? null : org.companies[d.company].id,
            contactIds: d.contacts.map((n) => contact[n]),
          },
        },
      );
      deal[d.name.split(' ')[0]] = createDeal.deal.id;
    }
    for (const c of CALLS) {
      const { logCall } = await api.data<{ logCall: { call: { id: string } } }>(
        'mutation($input: LogCallInput!) { logCall(input: $input) { call { id } } }',
        {
          input: {
            direction: 'OUTBOUND',
            fromNumber: '+14155550100',
            toNumber: '+14155550199',
            notes: c.notes,
            contactId: c.contact && contact[c.contact],
            dealId: c.deal && deal[c.deal],
          },
        },
      );
      if (c.notes === 'C6') {
        await api.data('mutation($id: ID!) { deleteCall(input: { id: $id }) { deletedCallId } }', {
          id: logCall.call.id,
        });
      }
    }
    for (const [name, members] of Object.entries(CAMPAIGNS)) {
      const { createCampaign } = await api.data<{ createCampaign: { campaign: { id: string } } }>(
        'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
        { input: { name, subject: `${name} news`, fromEmail: 'news@relation.test' } },
      );
      campaign[name] = createCampaign.campaign.id;
      if (!members.length) continue;
      await api.data(
        'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
        { input: { campaignId: campaign[name], contactIds: members.map(([n]) => contact[n]) } },
      );
      // Sending is not implemented yet: set the delivery states directly.
      for (const [n, status, bounceType] of members) {
        await server.db(
          'update campaign_member set status = $1, bounce_type = $2 where campaign_id = $3 and contact_id = $4',
          [status, bounceType, pkOf(campaign[name]), pkOf(contact[n])],
        );
      }
    }
    await api.data('mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }', {
      id: deal.D7,
    });
    await api.data('mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }', {
      id: contact.Gus,
    });
  });
  afterAll(() => server.close());

  describe('deals by their company', () => {
    it.each<[string, Filter, string[]]>([
      ['company: { name: { eq } }', { company: { name: { eq: 'Acme 1' } } }, ['D1', 'D2']],
      ['company: { domain: { eq } }', { company: { domain: { eq: 'acme.com' } } }, ['D1', 'D2']],
      [
        'company: { name: { startsWith, ignoreCase } }',
        { company: { name: { startsWith: 'glo', ignoreCase: true } } },
        ['D3', 'D6'],
      ],
      [
        'not: { company: ... } keeps deals without a company',
        { not: { company: { name: { eq: 'Acme 1' } } } },
        ['D3', 'D4', 'D5', 'D6'],
      ],
      ['companyId: { isNull: true }', { companyId: { isNull: true } }, ['D5']],
    ])('%s', async (_, filter, expected) => {
      expect(await deals(filter)).toEqual(expected);
    });
  });

  describe('deals by their contacts', () => {
    it.each<[string, Filter, string[]]>([
      [
        'contacts: { some: { firstName } }',
        { contacts: { some: { firstName: { eq: 'Ann' } } } },
        ['D1', 'D2'],
      ],
      [
        'contacts: { some: { tags: { has } } }',
        { contacts: { some: { tags: { has: 'vip' } } } },
        ['D1', 'D2', 'D3'],
      ],
      [
        "contacts: { some: { company: ... } } (a contact's company)",
        { contacts: { some: { company: { name: { eq: 'Globex 1' } } } } },
        ['D3'],
      ],
      [
        'contacts: { none: { company: ... } }',
        { contacts: { none: { company: { name: { eq: 'Acme 1' } } } } },
        ['D3', 'D4', 'D5', 'D6'],
      ],
      [
        'contacts: { every: { company: ... } } holds for deals without live contacts',
        { contacts: { every: { company: { name: { eq: 'Acme 1' } } } } },
        ['D1', 'D2', 'D5', 'D6'],
      ],
      ['a soft-deleted contact never matches', { contacts: { some: { firstName: { eq: 'Gus' } } } }, []],
      [
        'not: { contacts: { some: {} } } finds deals without live contacts',
        { not: { contacts: { some: {} } } },
        ['D5', 'D6'],
      ],
    ])('%s', async (_, filter, expected) => {
      expect(await deals(filter)).toEqual(expected);
    });
  });

  describe('deals by their stage', () => {
    it.each<[string, Filter, string[]]>([
      [
        'stage: { kind: { eq: WON } } leaves out deleted deals',
        { stage: { kind: { eq: 'WON' } } },
        ['D1', 'D5'],
      ],
      [
        'stage: { kind: { in: [WON, LOST] } }',
        { stage: { kind: { in: ['WON', 'LOST'] } } },
        ['D1', 'D3', 'D5'],
      ],
      ['stage: { kind: { eq: OPEN } }', { stage: { kind: { eq: 'OPEN' } } }, ['D2', 'D4', 'D6']],
      ['stage: { name: { eq } }', { stage: { name: { eq: 'Proposal' } } }, ['D4']],
      ['stage: { probability: { gte: 80 } }', { stage: { probability: { gte: 80 } } }, ['D1', 'D5', 'D6']],
      [
        'stage and company side by side',
        { stage: { kind: { eq: 'OPEN' } }, company: { name: { eq: 'Acme 1' } } },
        ['D2'],
      ],
      [
        'or of company and stage',
        { or: [{ company: { name: { eq: 'Initech 1' } } }, { stage: { kind: { eq: 'LOST' } } }] },
        ['D3', 'D4'],
      ],
    ])('%s', async (_, filter, expected) => {
      expect(await deals(filter)).toEqual(expected);
    });
  });

  describe('contacts by their deals', () => {
    it.each<[string, Filter, string[]]>([
      [
        'deals: { some: { stage: { kind: { eq: WON } } } }',
        { deals: { some: { stage: { kind: { eq: 'WON' } } } } },
        ['Ann', 'Bob'],
      ],
      [
        'deals: { some: { stage: { kind: { eq: LOST } } } }',
        { deals: { some: { stage: { kind: { eq: 'LOST' } } } } },
        ['Cat', 'Dan'],
      ],
      [
        'deals: { none: { stage: { kind: { eq: OPEN } } } }',
        { deals: { none: { stage: { kind: { eq: 'OPEN' } } } } },
        ['Bob', 'Cat', 'Dan', 'Hal'],
      ],
      ['deals: { none: {} } finds contacts without live deals', { deals: { none: {} } }, ['Hal']],
      [
        'deals: { every: { stage: { kind: { eq: WON } } } }',
        { deals: { every: { stage: { kind: { eq: 'WON' } } } } },
        ['Bob', 'Hal'],
      ],
      [
        'deals: { some: { company: ... } }',
        { deals: { some: { company: { name: { eq: 'Globex 1' } } } } },
        ['Cat', 'Dan'],
      ],
      ['a soft-deleted deal never matches', { deals: { some: { name: { startsWith: 'D7' } } } }, []],
      [
        'deals: { some } and calls: { some } side by side',
        { deals: { some: { stage: { kind: { eq: 'WON' } } } }, calls: { some: {} } },
        ['Ann'],
      ],
    ])('%s', async (_, filter, expected) => {
      expect(await contacts(filter)).toEqual(sorted(expected));
    });
  });

  describe('calls by their contact and deal', () => {
    it.each<[string, () => Filter, string[]]>([
      ['contactId: { eq }', () => ({ contactId: { eq: contact.Ann } }), ['C1', 'C2']],
      ['contactId: { isNull: true }', () => ({ contactId: { isNull: true } }), ['C5']],
      [
        'contact: { company: ... } leaves out deleted calls',
        () => ({ contact: { company: { name: { eq: 'Acme 1' } } } }),
        ['C1', 'C2'],
      ],
      [
        'contact: { firstName: { in } }',
        () => ({ contact: { firstName: { in: ['Cat', 'Eve'] } } }),
        ['C3', 'C4'],
      ],
      ['dealId: { eq }', () => ({ dealId: { eq: deal.D1 } }), ['C1']],
      ['dealId: { isNull: true }', () => ({ dealId: { isNull: true } }), ['C4']],
      [
        'deal: { stage: { kind: { eq: WON } } }',
        () => ({ deal: { stage: { kind: { eq: 'WON' } } } }),
        ['C1', 'C5'],
      ],
      ['deal: { company: ... }', () => ({ deal: { company: { name: { eq: 'Acme 1' } } } }), ['C1', 'C2']],
      [
        'contact and deal side by side',
        () => ({ contactId: { eq: contact.Ann }, deal: { stage: { kind: { eq: 'OPEN' } } } }),
        ['C2'],
      ],
    ])('%s', async (_, filter, expected) => {
      expect(await calls(filter())).toEqual(expected);
    });

    it('contacts by their calls: calls: { some: { dealId } } leaves out deleted calls', async () => {
      expect(await contacts({ calls: { some: { dealId: { eq: deal.D1 } } } })).toEqual(['Ann']);
    });

    it('deals by their calls: calls: { none: {} }', async () => {
      expect(await deals({ calls: { none: {} } })).toEqual(['D4', 'D6']);
    });

    it('refuses a deal id where a contact id is expected, naming the filter path', async () => {
      const res = await api.call('query($f: CallFilter) { calls(filter: $f) { totalCount } }', {
        f: { contactId: { eq: deal.D1 } },
      });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.contactId.eq' });
    });
  });

  describe('campaign members by status', () => {
    async function members(name: string, filter: Filter): Promise<string[]> {
      const data = await api.data<{
        campaign: { members: { totalCount: number; nodes: { contact: { firstName: string } }[] } };
      }>(
        `query($id: ID!, $f: CampaignMemberFilter) {
          campaign(id: $id) { members(first: 100, filter: $f) { totalCount nodes { contact { firstName } } } } }`,
        { id: campaign[name], f: filter },
      );
      const { totalCount, nodes } = data.campaign.members;
      expect(totalCount).toBe(nodes.length);
      return nodes.map((n) => n.contact.firstName).sort();
    }

    it.each<[string, string, Filter, string[]]>([
      ['status: { eq: BOUNCED }', 'Spring', { status: { eq: 'BOUNCED' } }, ['Bob']],
      [
        'status: { in: [OPENED, DELIVERED] }',
        'Spring',
        { status: { in: ['OPENED', 'DELIVERED'] } },
        ['Ann', 'Cat'],
      ],
      ['status: { neq: PENDING }', 'Spring', { status: { neq: 'PENDING' } }, ['Ann', 'Bob', 'Cat']],
      ['bounceType: { eq: HARD }', 'Spring', { bounceType: { eq: 'HARD' } }, ['Bob']],
      ['bounceType: { eq: SOFT } in another campaign', 'Summer', { bounceType: { eq: 'SOFT' } }, ['Eve']],
      ['contact: { firstName }', 'Spring', { contact: { firstName: { eq: 'Dan' } } }, ['Dan']],
      ['no filter', 'Summer', {}, ['Ann', 'Eve']],
    ])('campaign.members(filter: %s)', async (_, name, filter, expected) => {
      expect(await members(name, filter)).toEqual(expected);
    });

    it.each<[string, Filter, string[]]>([
      [
        'members: { some: { status: { eq: BOUNCED } } }',
        { members: { some: { status: { eq: 'BOUNCED' } } } },
        ['Spring', 'Summer'],
      ],
      [
        'members: { some: { bounceType: { eq: SOFT } } }',
        { members: { some: { bounceType: { eq: 'SOFT' } } } },
        ['Summer'],
      ],
      [
        'members: { none: { status: { eq: PENDING } } }',
        { members: { none: { status: { eq: 'PENDING' } } } },
        ['Empty', 'Summer'],
      ],
      [
        'members: { every: { status: { in: [CLICKED, BOUNCED] } } }',
        { members: { every: { status: { in: ['CLICKED', 'BOUNCED'] } } } },
        ['Empty', 'Summer'],
      ],
      [
        'members: { some: { contact: { firstName } } }',
        { members: { some: { contact: { firstName: { eq: 'Eve' } } } } },
        ['Summer'],
      ],
    ])('campaigns(filter: %s)', async (_, filter, expected) => {
      expect(await campaigns(filter)).toEqual(expected);
    });

    it.each<[string, Filter, string[]]>([
      [
        'campaignMemberships: { some: { status: { eq: BOUNCED } } }',
        { campaignMemberships: { some: { status: { eq: 'BOUNCED' } } } },
        ['Bob', 'Eve'],
      ],
      [
        'campaignMemberships: { some: { status: { in: [OPENED, CLICKED] } } }',
        { campaignMemberships: { some: { status: { in: ['OPENED', 'CLICKED'] } } } },
        ['Ann'],
      ],
      ['campaignMemberships: { none: {} }', { campaignMemberships: { none: {} } }, ['Hal']],
      [
        'campaignMemberships: { every: { status: { eq: DELIVERED } } }',
        { campaignMemberships: { every: { status: { eq: 'DELIVERED' } } } },
        ['Cat', 'Hal'],
      ],
    ])('contacts(filter: %s)', async (_, filter, expected) => {
      expect(await contacts(filter)).toEqual(sorted(expected));
    });
  });
});

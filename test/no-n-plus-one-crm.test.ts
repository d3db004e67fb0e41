import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, pkOf } from './support/graphql';
import { statementsFor as countStatements } from './support/statements';

/** CONTRACT §4: a page of N deals, campaigns or calls with their relations costs a constant number of SQL statements. */
describe('no N+1 for deals, campaigns and calls', () => {
  let server: TestServer;
  let org: SeededOrg;

  const statementsFor = <T>(query: string, variables: Record<string, unknown> = {}) =>
    countStatements<T>(server, org.key, query, variables);

  beforeAll(async () => {
    // Keys stay cached for the whole file: a cache entry expiring between the warm-up and the
    // measured request would add a key lookup to one measurement only.
    server = await startServer({ env: { API_KEY_CACHE_SECONDS: '300' } });
    org = await seed(server)
      .org('Busy CRM')

      .withUsers(3)
      .withCompanies(10)
      .withContacts(20, { spread: true })
      .withDeals(50, {
        extra: (i, o) => ({
          amount: `${1000 + i}.50`,
          companyId: o.companies[i % 10].id,
          contactIds: [o.contacts[i % 20].id, o.contacts[(i + 7) % 20].id],
          ownerId: o.users[1 + (i % 3)].id,
        }),
      });
    const api = clientFor(server, org.key);

    // Half of the deals move on, so stage histories have one or two entries.
    const { pipelines } = await api.data<{ pipelines: { nodes: { stages: { id: string }[] }[] } }>(
      '{ pipelines { nodes { stages { id } } } }',
    );
    const [, second] = pipelines.nodes[0].stages;
    for (const d of org.deals.filter((_, i) => i % 2 === 0)) {
      await api.data('mutation($input: MoveDealInput!) { moveDeal(input: $input) { deal { id } } }', {
        input: { id: d.id, stageId: second.id },
      });
    }

    // 20 campaigns with 6 members each.
    for (let i = 0; i < 20; i++) {
      const { createCampaign } = await api.data<{ createCampaign: { campaign: { id: string } } }>(
        'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
        { input: { name: `Campaign ${i}`, subject: 'Hi', fromEmail: 'news@busy.test' } },
      );
      const id = createCampaign.campaign.id;
      await api.data(
        'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
        {
          input: { campaignId: id, contactIds: [0, 1, 2, 3, 4, 5].map((k) => org.contacts[(i + k) % 20].id) },
        },
      );
      // Campaign i has i % 3 hard bounces; everyone else got the message.
      await server.db(`update campaign_member set status = 'DELIVERED' where campaign_id = $1`, [pkOf(id)]);
      await server.db(
        `update campaign_member set status = 'BOUNCED', bounce_type = 'HARD'
          where id in (select id from campaign_member where campaign_id = $1 order by id limit $2)`,
        [pkOf(id), i % 3],
      );
    }

    // 30 calls, each with a contact, a deal and an owner.
    for (let i = 0; i < 30; i++) {
      await api.data('mutation($input: LogCallInput!) { logCall(input: $input) { call { id } } }', {
        input: {
          direction: i % 2 ? 'INBOUND' : 'OUTBOUND',
          fromNumber: '+14155550100',
          toNumber: '+14155550101',
          contactId: org.contacts[i % 20].id,
          dealId: org.deals[i].id,
          ownerId: org.users[1 + (i % 3)].id,
        },
      });
    }
  });
  afterAll(() => server.close());

  it('lists 50 deals with company, contacts, stage, owner, pipeline and history in as many statements as 5', async () => {
    type Data = {
      deals: {
        nodes: {
          name: string;
          company: { name: string } | null;
          contacts: { nodes: { name: string }[] };
          stage: { name: string };
          owner: { email: string } | null;
          pipeline: { name: string };
          stageHistory: { toStageName: string }[];
        }[];
      };
    };
    const query = `query($n: Int) { deals(first: $n) { nodes { name company { name } contacts(first: 5) { nodes { name } }
      stage { name } owner { email } pipeline { name } stageHistory { toStageName } } } }`;
    const few = await statementsFor<Data>(query, { n: 5 });
    const many = await statementsFor<Data>(query, { n: 50 });
    const deals = many.data.deals.nodes;
    expect(deals).toHaveLength(50);
    deals.forEach((d, i) => {
      expect(d.company?.name).toBe(`Company ${(i % 10) + 1}`);
      expect(d.contacts.nodes).toHaveLength(2);
      expect(d.owner?.email).toBe(`user${1 + (i % 3)}@busycrm.test`);
      expect(d.pipeline.name).toBe('Sales');
      expect(d.stageHistory.map((h) => h.toStageName)).toEqual(
        i % 2 === 0 ? ['Qualification', 'Meeting scheduled'] : ['Qualification'],
      );
      expect(d.stage.name).toBe(d.stageHistory[d.stageHistory.length - 1].toStageName);
    });
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });

  it('lists 20 campaigns with stats and their first 5 members in as many statements as 2', async () => {
    type Data = {
      campaigns: {
        nodes: {
          name: string;
          stats: {
            recipients: number;
            sent: number;
            delivered: number;
            bouncedHard: number;
            bounceRate: number;
          };
          members: {
            totalCount: number;
            nodes: { email: string; status: string; contact: { name: string } }[];
          };
        }[];
      };
    };
    const query = `query($n: Int) { campaigns(first: $n) { nodes { name
      stats { recipients sent delivered bouncedHard bounceRate }
      members(first: 5) { totalCount nodes { email status contact { name } } } } } }`;
    const few = await statementsFor<Data>(query, { n: 2 });
    const many = await statementsFor<Data>(query, { n: 20 });
    const campaigns = many.data.campaigns.nodes;
    expect(campaigns).toHaveLength(20);
    campaigns.forEach((c, i) => {
      expect(c.name).toBe(`Campaign ${i}`);
      expect(c.stats).toEqual({
        recipients: 6,
        sent: 6,
        delivered: 6 - (i % 3),
        bouncedHard: i % 3,
        bounceRate: (i % 3) / 6,
      });
      expect(c.members.totalCount).toBe(6);
      expect(c.members.nodes).toHaveLength(5);
      expect(c.members.nodes.every((m) => m.contact.name.startsWith('First'))).toBe(true);
    });
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });

  it('lists 30 calls with contact, deal (and its stage) and owner in as many statements as 3', async () => {
    type Data = {
      calls: {
        nodes: {
          contact: { name: string } | null;
          deal: { name: string; stage: { name: string } } | null;
          owner: { email: string } | null;
        }[];
      };
    };
    const query = `query($n: Int) { calls(first: $n) { nodes { contact { name } deal { name stage { name } } owner { email } } } }`;
    const few = await statementsFor<Data>(query, { n: 3 });
    const many = await statementsFor<Data>(query, { n: 30 });
    const calls = many.data.calls.nodes;
    expect(calls).toHaveLength(30);
    // Newest first: the last call logged (i = 29) comes first.
    calls.forEach((c, k) => {
      const i = 29 - k;
      expect(c.contact?.name).toBe(`First${i % 20} Last${i % 20}`);
      expect(c.deal?.name).toBe(`Deal ${i}`);
      expect(c.owner?.email).toBe(`user${1 + (i % 3)}@busycrm.test`);
    });
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });
});

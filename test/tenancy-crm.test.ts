import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, dataOf, errorOf, pkOf } from './support/graphql';
import { storedRows } from './support/rows';

/** Ids of organisation A's rows, by what they are. */
interface AIds {
  salesPipeline: string;
  stages: string[];
  extraPipeline: string;
  deletedPipeline: string;
  deal: string;
  deletedDeal: string;
  campaign: string;
  deletedCampaign: string;
  member: string;
  call: string;
  deletedCall: string;
  user: string;
  deletedUser: string;
}

/**
 * Organisation B holds a valid admin key and every id of organisation A's deals, pipelines,
 * stages, campaigns, members, calls and users. Whatever B asks, it must neither see nor
 * change A's rows; every write is checked against a snapshot of A's rows.
 */
describe('tenancy of deals, pipelines, campaigns, calls, users, bulk, merge, node and search', () => {
  let server: TestServer;
  let a: SeededOrg;
  let b: SeededOrg;
  let asA: ReturnType<typeof clientFor>;
  let asB: ReturnType<typeof clientFor>;
  const A = {} as AIds;
  let bSales: { id: string; stages: string[] };
  let bDeal: string;
  let bCampaign: string;
  let bCall: string;

  /** Every row of A, as stored. */
  const rowsOfA = () => storedRows(server, pkOf(a.organizationId));
  /** Every global id of A's rows, to look for in B's answers. */
  async function globalIdsOfA(): Promise<string[]> {
    const types: Record<string, string> = {
      app_user: 'User',
      company: 'Company',
      contact: 'Contact',
      pipeline: 'Pipeline',
      stage: 'Stage',
      deal: 'Deal',
      campaign: 'Campaign',
      campaign_member: 'CampaignMember',
      call: 'Call',
    };
    const out = [a.organizationId];
    for (const [table, type] of Object.entries(types)) {
      const rows = await server.db(`select id from ${table} where organization_id = $1`, [
        pkOf(a.organizationId),
      ]);
      out.push(...rows.map((r) => Buffer.from(`${type}:${r.id}`).toString('base64url')));
    }
    return out;
  }

  const mutation = (name: string, inputType: string, selection: string) =>
    `mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection} } }`;

  beforeAll(async () => {
    server = await startServer();
    a = await seed(server)
      .org('Alpha CRM')

      .withUsers(2)
      .withCompanies(2, 'Alpha Co')
      .withContacts(4, { spread: true });
    b = await seed(server)
      .org('Beta CRM')

      .withUsers(1)
      .withCompanies(1, 'Beta Co')
      .withContacts(3, { spread: true });
    asA = clientFor(server, a.key);
    asB = clientFor(server, b.key);

    const pipelinesOf = async (client: ReturnType<typeof clientFor>) =>
      (
        await client.data<{ pipelines: { nodes: { id: string; stages: { id: string }[] }[] } }>(
          '{ pipelines { nodes { id stages { id } } } }',
        )
      ).pipelines.nodes.map((p) => ({ id: p.id, stages: p.stages.map((s) => s.id) }));
    const [aSales] = await pipelinesOf(asA);
    [bSales] = await pipelinesOf(asB);
    A.salesPipeline = aSales.id;
    A.stages = aSales.stages;
    const pipeline = async (name: string) =>
      (
        await asA.data<{ createPipeline: { pipeline: { id: string } } }>(
          mutation('createPipeline', 'CreatePipelineInput', 'pipeline { id }'),
          { input: { name, stages: [{ name: 'Only', probability: 50 }] } },
        )
      ).createPipeline.pipeline.id;
    A.extraPipeline = await pipeline('Alpha extra');
    A.deletedPipeline = await pipeline('Alpha gone');
    await asA.data(mutation('deletePipeline', 'PipelineIdInput', 'pipeline { id }'), {
      input: { id: A.deletedPipeline },
    });

    const deal = async (client: ReturnType<typeof clientFor>, input: Record<string, unknown>) =>
      (
        await client.data<{ createDeal: { deal: { id: string } } }>(
          mutation('createDeal', 'CreateDealInput', 'deal { id }'),
          { input },
        )
      ).createDeal.deal.id;
    A.deal = await deal(asA, {
      name: 'Alpha secret deal',
      amount: '1000',
      companyId: a.companies[0].id,
      contactIds: [a.contacts[0].id, a.contacts[1].id],
      ownerId: a.users[1].id,
    });
    await asA.data(mutation('moveDeal', 'MoveDealInput', 'deal { id }'), {
      input: { id: A.deal, stageId: A.stages[2] },
    });
    A.deletedDeal = await deal(asA, { name: 'Alpha deleted deal' });
    await asA.data(mutation('deleteDeal', 'DealIdInput', 'deletedDealId'), { input: { id: A.deletedDeal } });
    bDeal = await deal(asB, { name: 'Beta deal', contactIds: [b.contacts[0].id] });

    const campaign = async (client: ReturnType<typeof clientFor>, name: string, contactIds: string[]) => {
      const id = (
        await client.data<{ createCampaign: { campaign: { id: string } } }>(
          mutation('createCampaign', 'CreateCampaignInput', 'campaign { id }'),
          { input: { name, subject: 'Hi', fromEmail: 'news@tenancy.test' } },
        )
      ).createCampaign.campaign.id;
      if (contactIds.length) {
        await client.data(mutation('addCampaignRecipients', 'AddCampaignRecipientsInput', 'added'), {
          input: { campaignId: id, contactIds },
        });
      }
      return id;
    };
    A.campaign = await campaign(asA, 'Alpha newsletter', [a.contacts[0].id, a.contacts[1].id]);
    A.deletedCampaign = await campaign(asA, 'Alpha old newsletter', []);
    await asA.data(mutation('deleteCampaign', 'CampaignIdInput', 'deletedCampaignId'), {
      input: { id: A.deletedCampaign },
    });
    const { campaign: aCampaign } = await asA.data<{ campaign: { members: { nodes: { id: string }[] } } }>(
      'query($id: ID!) { campaign(id: $id) { members { nodes { id } } } }',
      { id: A.campaign },
    );
    A.member = aCampaign.members.nodes[0].id;
    bCampaign = await campaign(asB, 'Beta newsletter', [b.contacts[0].id]);

    const call = async (client: ReturnType<typeof clientFor>, input: Record<string, unknown>) =>
      (
        await client.data<{ logCall: { call: { id: string } } }>(
          mutation('logCall', 'LogCallInput', 'call { id }'),
          {
            input: { direction: 'OUTBOUND', fromNumber: '+14155550100', toNumber: '+14155550101', ...input },
          },
        )
      ).logCall.call.id;
    A.call = await call(asA, { contactId: a.contacts[0].id, dealId: A.deal, notes: 'Alpha call' });
    A.deletedCall = await call(asA, { notes: 'Alpha deleted call' });
    await asA.data(mutation('deleteCall', 'CallIdInput', 'deletedCallId'), { input: { id: A.deletedCall } });
    bCall = await call(asB, { contactId: b.contacts[0].id, dealId: bDeal });

    A.user = a.users[1].id;
    A.deletedUser = a.users[2].id;
    await asA.data(mutation('deleteUser', 'UserIdInput', 'user { id }'), { input: { id: A.deletedUser } });
  });
  afterAll(() => server.close());

  describe('reads', () => {
    const listIds = async (field: string, args = 'first: 100') => {
      const data = await asB.data<Record<string, { totalCount: number; nodes: { id: string }[] }>>(
        `{ ${field}(${args}) { totalCount nodes { id } } }`,
      );
      expect(data[field].totalCount).toBe(data[field].nodes.length);
      return data[field].nodes.map((n) => n.id);
    };

    it('deals lists only its own deals, deleted ones included', async () => {
      expect(await listIds('deals', 'first: 100, includeDeleted: true')).toEqual([bDeal]);
    });

    it('pipelines lists only its own pipelines, deleted ones included', async () => {
      expect(await listIds('pipelines', 'first: 100, includeDeleted: true')).toEqual([bSales.id]);
    });

    it('campaigns lists only its own campaigns, deleted ones included', async () => {
      expect(await listIds('campaigns', 'first: 100, includeDeleted: true')).toEqual([bCampaign]);
    });

    it('calls lists only its own calls, deleted ones included', async () => {
      expect(await listIds('calls', 'first: 100, includeDeleted: true')).toEqual([bCall]);
    });

    it('users lists only its own members, deactivated ones included', async () => {
      expect((await listIds('users', 'first: 100, includeDeleted: true')).sort()).toEqual(
        b.users.map((u) => u.id).sort(),
      );
    });

    it.each<[string, string, () => Record<string, unknown>]>([
      ['deals', 'DealFilter', () => ({ id: { in: [A.deal, A.deletedDeal] } })],
      ['deals', 'DealFilter', () => ({ pipelineId: { eq: A.salesPipeline } })],
      ['deals', 'DealFilter', () => ({ stageId: { in: A.stages } })],
      ['deals', 'DealFilter', () => ({ companyId: { eq: a.companies[0].id } })],
      ['deals', 'DealFilter', () => ({ company: { name: { startsWith: 'Alpha' } } })],
      ['deals', 'DealFilter', () => ({ contacts: { some: { id: { in: a.contacts.map((c) => c.id) } } } })],
      ['deals', 'DealFilter', () => ({ ownerId: { eq: A.user } })],
      ['deals', 'DealFilter', () => ({ name: { startsWith: 'Alpha' } })],
      ['contacts', 'ContactFilter', () => ({ deals: { some: { id: { eq: A.deal } } } })],
      ['contacts', 'ContactFilter', () => ({ calls: { some: { id: { eq: A.call } } } })],
      ['contacts', 'ContactFilter', () => ({ campaignMemberships: { some: { id: { eq: A.member } } } })],
      ['companies', 'CompanyFilter', () => ({ deals: { some: { name: { startsWith: 'Alpha' } } } })],
      [
        'campaigns',
        'CampaignFilter',
        () => ({ members: { some: { contactId: { in: a.contacts.map((c) => c.id) } } } }),
      ],
      ['campaigns', 'CampaignFilter', () => ({ id: { eq: A.campaign } })],
      ['calls', 'CallFilter', () => ({ contactId: { eq: a.contacts[0].id } })],
      ['calls', 'CallFilter', () => ({ dealId: { eq: A.deal } })],
      ['calls', 'CallFilter', () => ({ deal: { name: { startsWith: 'Alpha' } } })],
      ['calls', 'CallFilter', () => ({ id: { in: [A.call, A.deletedCall] } })],
      ['users', 'UserFilter', () => ({ id: { in: [A.user, A.deletedUser] } })],
      ['users', 'UserFilter', () => ({ email: { endsWith: '@alphacrm.test' } })],
    ])("%s filtered by the other organisation's rows (%s) finds nothing", async (field, type, filter) => {
      const data = await asB.data<Record<string, { totalCount: number; nodes: unknown[] }>>(
        `query($f: ${type}) { ${field}(first: 100, filter: $f, includeDeleted: true) { totalCount nodes { id } } }`,
        { f: filter() },
      );
      expect(data[field]).toEqual({ totalCount: 0, nodes: [] });
    });

    it.each<[string, string, () => string]>([
      ['deal', 'deal(id: $id) { id name }', () => A.deal],
      ['deal (deleted)', 'deal(id: $id) { id }', () => A.deletedDeal],
      ['pipeline', 'pipeline(id: $id) { id stages { id } }', () => A.salesPipeline],
      ['pipeline (deleted)', 'pipeline(id: $id) { id }', () => A.deletedPipeline],
      ['pipelineValue', 'pipelineValue(pipelineId: $id) { totals { totalAmount } }', () => A.salesPipeline],
      ['campaign', 'campaign(id: $id) { id stats { recipients } }', () => A.campaign],
      ['campaign (deleted)', 'campaign(id: $id) { id }', () => A.deletedCampaign],
      ['call', 'call(id: $id) { id }', () => A.call],
      ['call (deleted)', 'call(id: $id) { id }', () => A.deletedCall],
      ['user', 'user(id: $id) { id email }', () => A.user],
      ['user (deactivated)', 'user(id: $id) { id }', () => A.deletedUser],
    ])("%s of the other organisation's row is NOT_FOUND", async (_, field, id) => {
      const res = await asB.call(`query($id: ID!) { ${field} }`, { id: id() });
      expect(errorOf(res).code).toBe('NOT_FOUND');
      expect(res.body.data ?? null).toBeNull();
    });

    it("node of every one of the other organisation's rows is null", async () => {
      for (const id of await globalIdsOfA()) {
        const res = await asB.call<{ node: unknown }>('query($id: ID!) { node(id: $id) { __typename id } }', {
          id,
        });
        expect({ id, errors: res.body.errors, data: res.body.data }).toEqual({
          id,
          errors: undefined,
          data: { node: null },
        });
      }
    });

    it("nodes of the other organisation's rows are all null, its own still found", async () => {
      const ids = [bDeal, ...Object.values(A).flat(), b.contacts[0].id];
      const { nodes } = await asB.data<{ nodes: ({ id: string } | null)[] }>(
        'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        { ids },
      );
      expect(nodes).toEqual([
        { id: bDeal },
        ...Object.values(A)
          .flat()
          .map(() => null),
        { id: b.contacts[0].id },
      ]);
    });

    it.each(['Alpha', 'alphacrm', 'secret', 'First0', 'c0@'])(
      'search for "%s" shows none of the other organisation\'s rows',
      async (text) => {
        const { search } = await asB.data<{ search: { id: string }[] }>(
          'query($t: String!) { search(text: $t, first: 50) { ... on Contact { id } ... on Company { id } ... on Deal { id } } }',
          { t: text },
        );
        const aIds = await globalIdsOfA();
        expect(search.filter((h) => aIds.includes(h.id))).toEqual([]);
      },
    );

    it('search for a name only the other organisation has finds nothing', async () => {
      const { search } = await asB.data<{ search: unknown[] }>('{ search(text: "Alpha") { __typename } }');
      expect(search).toEqual([]);
    });
  });

  describe('writes', () => {
    let before: Record<string, unknown>;
    beforeEach(async () => {
      before = await rowsOfA();
      // The snapshot must hold A's rows, or comparing it would prove nothing.
      expect(before.deal).toHaveLength(2);
      expect(before.campaign_member).toHaveLength(2);
    });
    afterEach(async () => {
      expect(await rowsOfA()).toEqual(before);
    });

    it.each<[string, string, string, () => Record<string, unknown>]>([
      [
        'updatePipeline',
        'UpdatePipelineInput',
        'pipeline { id }',
        () => ({ id: A.extraPipeline, name: 'Hacked' }),
      ],
      [
        'updatePipeline (isDefault)',
        'UpdatePipelineInput',
        'pipeline { id }',
        () => ({ id: A.extraPipeline, isDefault: true }),
      ],
      ['deletePipeline', 'PipelineIdInput', 'pipeline { id }', () => ({ id: A.extraPipeline })],
      ['restorePipeline', 'PipelineIdInput', 'pipeline { id }', () => ({ id: A.deletedPipeline })],
      [
        'createStage',
        'CreateStageInput',
        'stage { id }',
        () => ({ pipelineId: A.salesPipeline, name: 'Hacked', probability: 1 }),
      ],
      ['updateStage', 'UpdateStageInput', 'stage { id }', () => ({ id: A.stages[0], name: 'Hacked' })],
      [
        'reorderStages',
        'ReorderStagesInput',
        'pipeline { id }',
        () => ({ pipelineId: A.salesPipeline, stageIds: [...A.stages].reverse() }),
      ],
      ['deleteStage', 'DeleteStageInput', 'deletedStageId', () => ({ id: A.stages[5] })],
      ['updateDeal', 'UpdateDealInput', 'deal { id }', () => ({ id: A.deal, name: 'Hacked' })],
      ['moveDeal', 'MoveDealInput', 'deal { id }', () => ({ id: A.deal, stageId: bSales.stages[1] })],
      ['deleteDeal', 'DealIdInput', 'deletedDealId', () => ({ id: A.deal })],
      ['restoreDeal', 'DealIdInput', 'deal { id }', () => ({ id: A.deletedDeal })],
      [
        'updateCampaign',
        'UpdateCampaignInput',
        'campaign { id }',
        () => ({ id: A.campaign, name: 'Hacked' }),
      ],
      ['deleteCampaign', 'CampaignIdInput', 'deletedCampaignId', () => ({ id: A.campaign })],
      ['restoreCampaign', 'CampaignIdInput', 'campaign { id }', () => ({ id: A.deletedCampaign })],
      [
        'addCampaignRecipients',
        'AddCampaignRecipientsInput',
        'added',
        () => ({ campaignId: A.campaign, contactIds: [b.contacts[1].id] }),
      ],
      [
        'addCampaignRecipients (by filter)',
        'AddCampaignRecipientsInput',
        'added',
        () => ({ campaignId: A.campaign, filter: {} }),
      ],
      [
        'removeCampaignRecipients',
        'RemoveCampaignRecipientsInput',
        'removed',
        () => ({ campaignId: A.campaign, contactIds: [a.contacts[0].id] }),
      ],
      ['updateCall', 'UpdateCallInput', 'call { id }', () => ({ id: A.call, notes: 'Hacked' })],
      ['deleteCall', 'CallIdInput', 'deletedCallId', () => ({ id: A.call })],
      ['restoreCall', 'CallIdInput', 'call { id }', () => ({ id: A.deletedCall })],
      ['updateUser', 'UpdateUserInput', 'user { id }', () => ({ id: A.user, name: 'Hacked' })],
      ['deleteUser', 'UserIdInput', 'user { id }', () => ({ id: A.user })],
      ['restoreUser', 'UserIdInput', 'user { id }', () => ({ id: A.deletedUser })],
      [
        'mergeContacts',
        'MergeContactsInput',
        'mergedContactIds',
        () => ({ primaryId: a.contacts[0].id, duplicateIds: [a.contacts[1].id] }),
      ],
      [
        'mergeContacts (own primary)',
        'MergeContactsInput',
        'mergedContactIds',
        () => ({ primaryId: b.contacts[1].id, duplicateIds: [a.contacts[1].id] }),
      ],
      [
        'mergeContacts (own duplicate)',
        'MergeContactsInput',
        'mergedContactIds',
        () => ({ primaryId: a.contacts[0].id, duplicateIds: [b.contacts[2].id] }),
      ],
    ])(
      "%s of the other organisation's row is NOT_FOUND and changes nothing",
      async (name, type, selection, input) => {
        const res = await asB.call(mutation(name.split(' ')[0], type, selection), { input: input() });
        expect(errorOf(res).code).toBe('NOT_FOUND');
        expect(res.body.data ?? null).toBeNull();
      },
    );

    it.each<[string, string, string, () => Record<string, unknown>, string]>([
      [
        'createDeal',
        'CreateDealInput',
        'deal { id }',
        () => ({ name: 'X', companyId: a.companies[0].id }),
        'input.companyId',
      ],
      [
        'createDeal',
        'CreateDealInput',
        'deal { id }',
        () => ({ name: 'X', contactIds: [a.contacts[0].id] }),
        'input.contactIds[0]',
      ],
      [
        'createDeal',
        'CreateDealInput',
        'deal { id }',
        () => ({ name: 'X', ownerId: A.user }),
        'input.ownerId',
      ],
      [
        'createDeal',
        'CreateDealInput',
        'deal { id }',
        () => ({ name: 'X', pipelineId: A.salesPipeline }),
        'input.pipelineId',
      ],
      [
        'createDeal',
        'CreateDealInput',
        'deal { id }',
        () => ({ name: 'X', stageId: A.stages[1] }),
        'input.stageId',
      ],
      [
        'updateDeal',
        'UpdateDealInput',
        'deal { id }',
        () => ({ id: bDeal, contactIds: [b.contacts[1].id, a.contacts[0].id] }),
        'input.contactIds[1]',
      ],
      [
        'updateDeal',
        'UpdateDealInput',
        'deal { id }',
        () => ({ id: bDeal, companyId: a.companies[1].id }),
        'input.companyId',
      ],
      [
        'updateDeal',
        'UpdateDealInput',
        'deal { id }',
        () => ({ id: bDeal, ownerId: A.user }),
        'input.ownerId',
      ],
      [
        'moveDeal',
        'MoveDealInput',
        'deal { id }',
        () => ({ id: bDeal, stageId: A.stages[4] }),
        'input.stageId',
      ],
      [
        'deleteStage',
        'DeleteStageInput',
        'deletedStageId',
        () => ({ id: bSales.stages[0], moveDealsToStageId: A.stages[1] }),
        'input.moveDealsToStageId',
      ],
      [
        'reorderStages',
        'ReorderStagesInput',
        'pipeline { id }',
        () => ({ pipelineId: bSales.id, stageIds: [...bSales.stages.slice(0, 5), A.stages[5]] }),
        'input.stageIds',
      ],
      [
        'addCampaignRecipients',
        'AddCampaignRecipientsInput',
        'added',
        () => ({ campaignId: bCampaign, contactIds: [a.contacts[2].id] }),
        'input.contactIds[0]',
      ],
      [
        'logCall',
        'LogCallInput',
        'call { id }',
        () => ({
          direction: 'INBOUND',
          fromNumber: '+14155550100',
          toNumber: '+14155550101',
          contactId: a.contacts[0].id,
        }),
        'input.contactId',
      ],
      [
        'logCall',
        'LogCallInput',
        'call { id }',
        () => ({
          direction: 'INBOUND',
          fromNumber: '+14155550100',
          toNumber: '+14155550101',
          dealId: A.deal,
        }),
        'input.dealId',
      ],
      [
        'logCall',
        'LogCallInput',
        'call { id }',
        () => ({
          direction: 'INBOUND',
          fromNumber: '+14155550100',
          toNumber: '+14155550101',
          ownerId: A.user,
        }),
        'input.ownerId',
      ],
      [
        'updateCall',
        'UpdateCallInput',
        'call { id }',
        () => ({ id: bCall, contactId: a.contacts[0].id }),
        'input.contactId',
      ],
      ['updateCall', 'UpdateCallInput', 'call { id }', () => ({ id: bCall, dealId: A.deal }), 'input.dealId'],
    ])(
      "%s naming the other organisation's row is refused (%#) and changes neither organisation",
      async (name, type, selection, input, field) => {
        const orgB = pkOf(b.organizationId);
        const bRows = async () => ({
          deal: await server.db('select * from deal where organization_id = $1 order by id', [orgB]),
          dealContact: await server.db('select * from deal_contact where organization_id = $1 order by id', [
            orgB,
          ]),
          stage: await server.db('select * from stage where organization_id = $1 order by id', [orgB]),
          call: await server.db('select * from call where organization_id = $1 order by id', [orgB]),
          member: await server.db('select * from campaign_member where organization_id = $1 order by id', [
            orgB,
          ]),
        });
        const bBefore = await bRows();
        const res = await asB.call(mutation(name, type, selection), { input: input() });
        const error = errorOf(res);
        // A reference the caller cannot see is either bad input or not found, never accepted.
        expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(error.code);
        if (error.code === 'BAD_USER_INPUT') expect(error.field).toBe(field);
        expect(await bRows()).toEqual(bBefore);
      },
    );

    it('createPipeline with isDefault leaves the other organisation its default', async () => {
      const res = await asB.call<{ createPipeline: { pipeline: { id: string; isDefault: boolean } } }>(
        mutation('createPipeline', 'CreatePipelineInput', 'pipeline { id isDefault }'),
        { input: { name: 'Beta new default', isDefault: true, stages: [{ name: 'Only', probability: 10 }] } },
      );
      expect(dataOf(res).createPipeline.pipeline.isDefault).toBe(true);
      const { pipelines } = await asA.data<{ pipelines: { nodes: { id: string; isDefault: boolean }[] } }>(
        '{ pipelines { nodes { id isDefault } } }',
      );
      expect(pipelines.nodes.filter((p) => p.isDefault).map((p) => p.id)).toEqual([A.salesPipeline]);
    });

    it("updatePipeline making its own pipeline the default leaves the other organisation's default", async () => {
      const created = await asB.data<{ createPipeline: { pipeline: { id: string } } }>(
        mutation('createPipeline', 'CreatePipelineInput', 'pipeline { id }'),
        { input: { name: 'Beta second', stages: [{ name: 'Only', probability: 10 }] } },
      );
      dataOf(
        await asB.call(mutation('updatePipeline', 'UpdatePipelineInput', 'pipeline { id }'), {
          input: { id: created.createPipeline.pipeline.id, isDefault: true },
        }),
      );
      // Put B's original default back.
      dataOf(
        await asB.call(mutation('updatePipeline', 'UpdatePipelineInput', 'pipeline { id }'), {
          input: { id: bSales.id, isDefault: true },
        }),
      );
    });

    it("addCampaignRecipients by a filter matching the other organisation's contacts adds no one", async () => {
      const emails = [0, 1].map((i) => `c${i}@alphacrm.test`);
      const res = await asB.call<{ addCampaignRecipients: { added: number; alreadyMembers: number } }>(
        mutation('addCampaignRecipients', 'AddCampaignRecipientsInput', 'added alreadyMembers'),
        {
          input: {
            campaignId: bCampaign,
            filter: { or: [{ emails: { hasAny: emails } }, { id: { in: a.contacts.map((c) => c.id) } }] },
          },
        },
      );
      expect(dataOf(res).addCampaignRecipients).toEqual({ added: 0, alreadyMembers: 0 });
    });

    it("removeCampaignRecipients refuses the other organisation's contacts, even from its own campaign", async () => {
      const res = await asB.call<{ removeCampaignRecipients: { removed: number } }>(
        mutation('removeCampaignRecipients', 'RemoveCampaignRecipientsInput', 'removed'),
        { input: { campaignId: bCampaign, contactIds: a.contacts.map((c) => c.id) } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contactIds[0]' });
    });

    it('createUser may reuse an email the other organisation has', async () => {
      const res = await asB.call<{ createUser: { user: { email: string } } }>(
        mutation('createUser', 'CreateUserInput', 'user { email }'),
        { input: { email: 'user1@alphacrm.test' } },
      );
      expect(dataOf(res).createUser.user.email).toBe('user1@alphacrm.test');
    });

    it("createContacts with the other organisation's company fails that item only", async () => {
      const res = await asB.call<{
        createContacts: {
          createdCount: number;
          results: { status: string; error: { field: string } | null }[];
        };
      }>(
        mutation('createContacts', 'CreateContactsInput', 'createdCount results { status error { field } }'),
        {
          input: { contacts: [{ firstName: 'Ok' }, { firstName: 'Intruder', companyId: a.companies[0].id }] },
        },
      );
      const { createdCount, results } = dataOf(res).createContacts;
      expect(createdCount).toBe(1);
      expect(results[1]).toEqual({ status: 'FAILED', error: { field: 'input.contacts[1].companyId' } });
    });

    it("upsertContacts with the other organisation's emails creates its own contacts, never updating the other's", async () => {
      const res = await asB.call<{
        upsertContacts: { results: { status: string; contact: { id: string } }[] };
      }>(mutation('upsertContacts', 'UpsertContactsInput', 'results { status contact { id } }'), {
        input: {
          contacts: [
            { firstName: 'Hacked', emails: ['C2@alphacrm.test'] },
            { firstName: 'Hacked', emails: ['c3@alphacrm.test'] },
          ],
        },
      });
      const { results } = dataOf(res).upsertContacts;
      expect(results.map((r) => r.status)).toEqual(['CREATED', 'CREATED']);
      const aIds = await globalIdsOfA();
      expect(results.filter((r) => aIds.includes(r.contact.id))).toEqual([]);
    });
  });

  describe('nested reads', () => {
    const orgA = () => pkOf(a.organizationId);
    const orgB = () => pkOf(b.organizationId);

    // The API refuses links across organisations; forge them in the database to prove that every
    // loader and nested list checks the tenant, not only the root fields.
    beforeAll(async () => {
      await server.db('update deal set company_id = $1, owner_id = $2 where id = $3', [
        pkOf(a.companies[0].id),
        pkOf(A.user),
        pkOf(bDeal),
      ]);
      await server.db('update call set contact_id = $1, deal_id = $2, owner_id = $3 where id = $4', [
        pkOf(a.contacts[0].id),
        pkOf(A.deal),
        pkOf(A.user),
        pkOf(bCall),
      ]);
      await server.db('update deal_stage_change set changed_by_id = $1 where deal_id = $2', [
        pkOf(A.user),
        pkOf(bDeal),
      ]);
      await server.db(
        `insert into deal_contact (id, organization_id, deal_id, contact_id, created_at)
         values (gen_random_uuid(), $1, $2, $3, now()), (gen_random_uuid(), $4, $5, $6, now())`,
        [orgB(), pkOf(bDeal), pkOf(a.contacts[0].id), orgA(), pkOf(A.deal), pkOf(b.contacts[0].id)],
      );
      await server.db(
        `insert into campaign_member (id, organization_id, campaign_id, contact_id, email, status, created_at, updated_at)
         values (gen_random_uuid(), $1, $2, $3, 'x@alphacrm.test', 'DELIVERED', now(), now()),
                (gen_random_uuid(), $1, $4, $5, 'y@betacrm.test', 'BOUNCED', now(), now())`,
        [orgA(), pkOf(bCampaign), pkOf(a.contacts[3].id), pkOf(A.campaign), pkOf(b.contacts[1].id)],
      );
      await server.db(
        `insert into call (id, organization_id, direction, from_number, to_number, contact_id, deal_id, status, created_at, updated_at)
         values (gen_random_uuid(), $1, 'INBOUND', '+14155550100', '+14155550101', $2, $3, 'COMPLETED', now(), now())`,
        [orgA(), pkOf(b.contacts[0].id), pkOf(bDeal)],
      );
    });

    const NESTED = `{
      deals(first: 10) { nodes { id company { id } owner { id } pipeline { id } stage { id }
        contacts(first: 10) { totalCount nodes { id } }
        stageHistory { changedBy { id } fromStage { id } toStage { id } }
        calls(first: 10) { totalCount nodes { id contact { id } deal { id } owner { id } } } } }
      contacts(first: 10) { nodes { id company { id } owner { id }
        deals(first: 10) { totalCount nodes { id } }
        calls(first: 10) { totalCount nodes { id } }
        campaignMemberships(first: 10) { totalCount nodes { id campaign { id } } } } }
      calls(first: 10) { nodes { id contact { id } deal { id } owner { id } } }
      campaigns(first: 10) { nodes { id stats { recipients delivered bouncedHard }
        members(first: 10) { totalCount nodes { id contact { id } } } } }
      companies(first: 10) { nodes { id deals(first: 10) { totalCount nodes { id } } } }
      pipelines(first: 10) { nodes { id deals(first: 10) { totalCount nodes { id } } stages { id deals(first: 10) { nodes { id } } } } }
    }`;

    it("never shows the other organisation's rows, even through forged links", async () => {
      const res = await asB.call(NESTED);
      expect(res.body.errors).toBeUndefined();
      const text = JSON.stringify(res.body.data);
      const leaked = (await globalIdsOfA()).filter((id) => text.includes(id));
      expect(leaked).toEqual([]);
    });

    it('resolves forged to-one links to null and leaves them out of counts', async () => {
      type Data = {
        deals: { nodes: { id: string; company: null; owner: null; contacts: { totalCount: number } }[] };
        calls: { nodes: { contact: null; deal: null; owner: null }[] };
        campaigns: {
          nodes: { stats: { recipients: number; delivered: number }; members: { totalCount: number } }[];
        };
      };
      const data = await asB.data<Data>(NESTED);
      expect(data.deals.nodes[0]).toMatchObject({
        id: bDeal,
        company: null,
        owner: null,
        contacts: { totalCount: 1 },
      });
      expect(data.calls.nodes[0]).toMatchObject({ contact: null, deal: null, owner: null });
      expect(data.campaigns.nodes[0]).toMatchObject({
        stats: { recipients: 1, delivered: 0 },
        members: { totalCount: 1 },
      });
    });
  });
});

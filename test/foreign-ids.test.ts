import { startServer, type GraphQLResponse, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { clientFor, globalIdOf, pkOf } from './support/graphql';
import { storedRows } from './support/rows';

type Client = ReturnType<typeof clientFor>;

/** Rows of organisation A that B's inputs name. */
interface Alpha {
  user: string;
  company: string;
  contacts: string[];
  pipeline: string;
  stages: string[];
  deal: string;
  campaign: string;
  call: string;
  apiKey: string;
  customField: string;
}

/** B's own rows the inputs are about. */
interface Beta {
  user: string;
  company: string;
  contacts: string[];
  sales: string;
  stages: string[];
  /** A pipeline of two stages without deals. */
  spare: string;
  emptyStage: string;
  otherStage: string;
  deletedPipelineStage: string;
  deal: string;
  campaign: string;
  call: string;
}

const mutation = (name: string, inputType: string) =>
  `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename } }`;

/** Refused as a client sees it: NOT_FOUND, or BAD_USER_INPUT naming the offending input field. */
function expectRefused(res: GraphQLResponse<unknown>, field: string): void {
  const error = res.body.errors?.[0];
  if (!error) throw new Error(`Expected a refusal, got data: ${JSON.stringify(res.body.data)}`);
  expect(res.body.errors).toHaveLength(1);
  const code = error.extensions?.code;
  expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(code);
  if (code === 'BAD_USER_INPUT') expect(error.extensions?.field).toBe(field);
  expect(res.body.data ?? null).toBeNull();
}

describe("ids of another organisation's rows are refused in every mutation input, never ignored", () => {
  let server: TestServer;
  let a: SeededOrg;
  let b: SeededOrg;
  let asA: Client;
  let asB: Client;
  const A = {} as Alpha;
  const B = {} as Beta;

  /** Every stored row (what a refused mutation must leave as it was). */
  const allRows = () => storedRows(server);

  const create = async <T extends string>(
    client: Client,
    name: string,
    inputType: string,
    input: object,
    pick: T,
  ) => {
    const data = await client.data<Record<string, Record<T, { id: string }>>>(
      `mutation($input: ${inputType}!) { ${name}(input: $input) { ${pick} { id } } }`,
      { input },
    );
    return data[name][pick].id;
  };
  const pipelineOf = async (client: Client, id: string) =>
    (
      await client.data<{ pipeline: { stages: { id: string }[] } }>(
        'query($id: ID!) { pipeline(id: $id) { stages { id } } }',
        { id },
      )
    ).pipeline.stages.map((s) => s.id);

  beforeAll(async () => {
    server = await startServer();
    a = await seed(server).org('Alpha Foreign').withUsers(1).withCompanies(1).withContacts(2);
    b = await seed(server).org('Beta Foreign').withUsers(1).withCompanies(1).withContacts(4);
    asA = clientFor(server, a.key);
    asB = clientFor(server, b.key);

    A.user = a.users[1].id;
    A.company = a.companies[0].id;
    A.contacts = a.contacts.map((c) => c.id);
    const [aSales] = (
      await asA.data<{ pipelines: { nodes: { id: string }[] } }>('{ pipelines { nodes { id } } }')
    ).pipelines.nodes;
    A.pipeline = aSales.id;
    A.stages = await pipelineOf(asA, A.pipeline);
    A.deal = await create(
      asA,
      'createDeal',
      'CreateDealInput',
      { name: 'Alpha deal', contactIds: A.contacts },
      'deal',
    );
    A.campaign = await create(
      asA,
      'createCampaign',
      'CreateCampaignInput',
      { name: 'Alpha news', subject: 'Hi', fromEmail: 'news@alpha.test' },
      'campaign',
    );
    await asA.data(mutation('addCampaignRecipients', 'AddCampaignRecipientsInput'), {
      input: { campaignId: A.campaign, contactIds: A.contacts },
    });
    A.call = await create(
      asA,
      'logCall',
      'LogCallInput',
      {
        direction: 'OUTBOUND',
        fromNumber: '+14155550100',
        toNumber: '+14155550101',
        contactId: A.contacts[0],
      },
      'call',
    );
    A.apiKey = (await createApiKey(server, a.key, ['READ'])).id;
    A.customField = await create(
      asA,
      'createCustomFieldDefinition',
      'CreateCustomFieldDefinitionInput',
      { objectType: 'CONTACT', key: 'alphaOnly', label: 'Alpha only', type: 'TEXT' },
      'customFieldDefinition',
    );

    B.user = b.users[1].id;
    B.company = b.companies[0].id;
    B.contacts = b.contacts.map((c) => c.id);
    const [bSales] = (
      await asB.data<{ pipelines: { nodes: { id: string }[] } }>('{ pipelines { nodes { id } } }')
    ).pipelines.nodes;
    B.sales = bSales.id;
    B.stages = await pipelineOf(asB, B.sales);
    const twoStages = [
      { name: 'Empty', probability: 10 },
      { name: 'Other', probability: 20 },
    ];
    B.spare = await create(
      asB,
      'createPipeline',
      'CreatePipelineInput',
      { name: 'Spare', stages: twoStages },
      'pipeline',
    );
    [B.emptyStage, B.otherStage] = await pipelineOf(asB, B.spare);
    const gone = await create(
      asB,
      'createPipeline',
      'CreatePipelineInput',
      { name: 'Gone', stages: twoStages },
      'pipeline',
    );
    [B.deletedPipelineStage] = await pipelineOf(asB, gone);
    await asB.data(mutation('deletePipeline', 'PipelineIdInput'), { input: { id: gone } });
    B.deal = await create(
      asB,
      'createDeal',
      'CreateDealInput',
      { name: 'Beta deal', stageId: B.stages[0], contactIds: [B.contacts[0]] },
      'deal',
    );
    B.campaign = await create(
      asB,
      'createCampaign',
      'CreateCampaignInput',
      { name: 'Beta news', subject: 'Hi', fromEmail: 'news@beta.test' },
      'campaign',
    );
    await asB.data(mutation('addCampaignRecipients', 'AddCampaignRecipientsInput'), {
      input: { campaignId: B.campaign, contactIds: [B.contacts[0], B.contacts[1]] },
    });
    B.call = await create(
      asB,
      'logCall',
      'LogCallInput',
      {
        direction: 'INBOUND',
        fromNumber: '+14155550100',
        toNumber: '+14155550101',
        contactId: B.contacts[0],
      },
      'call',
    );
  });
  afterAll(() => server.close());

  const call = { direction: 'INBOUND', fromNumber: '+14155550100', toNumber: '+14155550101' };

  /** [mutation, input type, B's input naming A's row, the input field that names it, what else to say]. */
  const CASES: [string, string, () => Record<string, unknown>, string, string?][] = [
    ['createCompany', 'CreateCompanyInput', () => ({ name: 'X', ownerId: A.user }), 'input.ownerId'],
    ['updateCompany', 'UpdateCompanyInput', () => ({ id: B.company, ownerId: A.user }), 'input.ownerId'],
    ['updateCompany', 'UpdateCompanyInput', () => ({ id: A.company, name: 'Hijacked' }), 'input.id'],
    ['deleteCompany', 'CompanyIdInput', () => ({ id: A.company }), 'input.id'],
    ['createContact', 'CreateContactInput', () => ({ firstName: 'X', ownerId: A.user }), 'input.ownerId'],
    [
      'createContact',
      'CreateContactInput',
      () => ({ firstName: 'X', companyId: A.company }),
      'input.companyId',
    ],
    ['updateContact', 'UpdateContactInput', () => ({ id: B.contacts[1], ownerId: A.user }), 'input.ownerId'],
    [
      'updateContact',
      'UpdateContactInput',
      () => ({ id: B.contacts[1], companyId: A.company }),
      'input.companyId',
    ],
    ['updateContact', 'UpdateContactInput', () => ({ id: A.contacts[0], firstName: 'Hijacked' }), 'input.id'],
    [
      'mergeContacts',
      'MergeContactsInput',
      () => ({ primaryId: A.contacts[0], duplicateIds: [B.contacts[1]] }),
      'input.primaryId',
    ],
    [
      'mergeContacts',
      'MergeContactsInput',
      () => ({ primaryId: B.contacts[1], duplicateIds: [B.contacts[2], A.contacts[0]] }),
      'input.duplicateIds[1]',
    ],
    ['createDeal', 'CreateDealInput', () => ({ name: 'X', ownerId: A.user }), 'input.ownerId'],
    ['createDeal', 'CreateDealInput', () => ({ name: 'X', companyId: A.company }), 'input.companyId'],
    [
      'createDeal',
      'CreateDealInput',
      () => ({ name: 'X', contactIds: [B.contacts[1], A.contacts[0]] }),
      'input.contactIds[1]',
    ],
    ['createDeal', 'CreateDealInput', () => ({ name: 'X', pipelineId: A.pipeline }), 'input.pipelineId'],
    ['createDeal', 'CreateDealInput', () => ({ name: 'X', stageId: A.stages[1] }), 'input.stageId'],
    [
      'createDeal',
      'CreateDealInput',
      () => ({ name: 'X', stageId: B.stages[1], pipelineId: A.pipeline }),
      'input.pipelineId',
      ' (beside a stageId of its own)',
    ],
    ['updateDeal', 'UpdateDealInput', () => ({ id: B.deal, ownerId: A.user }), 'input.ownerId'],
    ['updateDeal', 'UpdateDealInput', () => ({ id: B.deal, companyId: A.company }), 'input.companyId'],
    [
      'updateDeal',
      'UpdateDealInput',
      () => ({ id: B.deal, contactIds: [B.contacts[0], A.contacts[1]] }),
      'input.contactIds[1]',
    ],
    ['updateDeal', 'UpdateDealInput', () => ({ id: A.deal, name: 'Hijacked' }), 'input.id'],
    ['moveDeal', 'MoveDealInput', () => ({ id: B.deal, stageId: A.stages[2] }), 'input.stageId'],
    ['moveDeal', 'MoveDealInput', () => ({ id: A.deal, stageId: B.stages[2] }), 'input.id'],
    ['deleteDeal', 'DealIdInput', () => ({ id: A.deal }), 'input.id'],
    [
      'createStage',
      'CreateStageInput',
      () => ({ pipelineId: A.pipeline, name: 'X', probability: 1 }),
      'input.pipelineId',
    ],
    ['updateStage', 'UpdateStageInput', () => ({ id: A.stages[0], name: 'Hijacked' }), 'input.id'],
    [
      'reorderStages',
      'ReorderStagesInput',
      () => ({ pipelineId: A.pipeline, stageIds: [...A.stages].reverse() }),
      'input.pipelineId',
    ],
    [
      'reorderStages',
      'ReorderStagesInput',
      () => ({ pipelineId: B.spare, stageIds: [B.otherStage, A.stages[0]] }),
      'input.stageIds',
    ],
    ['updatePipeline', 'UpdatePipelineInput', () => ({ id: A.pipeline, name: 'Hijacked' }), 'input.id'],
    ['deleteStage', 'DeleteStageInput', () => ({ id: A.stages[0] }), 'input.id'],
    [
      'deleteStage',
      'DeleteStageInput',
      () => ({ id: B.emptyStage, moveDealsToStageId: A.stages[0] }),
      'input.moveDealsToStageId',
      ' (a stage without deals)',
    ],
    [
      'deleteStage',
      'DeleteStageInput',
      () => ({ id: B.stages[0], moveDealsToStageId: A.stages[0] }),
      'input.moveDealsToStageId',
      ' (a stage with deals)',
    ],
    ['logCall', 'LogCallInput', () => ({ ...call, contactId: A.contacts[0] }), 'input.contactId'],
    ['logCall', 'LogCallInput', () => ({ ...call, dealId: A.deal }), 'input.dealId'],
    ['logCall', 'LogCallInput', () => ({ ...call, ownerId: A.user }), 'input.ownerId'],
    ['updateCall', 'UpdateCallInput', () => ({ id: B.call, contactId: A.contacts[0] }), 'input.contactId'],
    ['updateCall', 'UpdateCallInput', () => ({ id: B.call, dealId: A.deal }), 'input.dealId'],
    ['updateCall', 'UpdateCallInput', () => ({ id: B.call, ownerId: A.user }), 'input.ownerId'],
    ['updateCall', 'UpdateCallInput', () => ({ id: A.call, notes: 'Hijacked' }), 'input.id'],
    [
      'addCampaignRecipients',
      'AddCampaignRecipientsInput',
      () => ({ campaignId: A.campaign, contactIds: [B.contacts[2]] }),
      'input.campaignId',
    ],
    [
      'addCampaignRecipients',
      'AddCampaignRecipientsInput',
      () => ({ campaignId: B.campaign, contactIds: [B.contacts[2], A.contacts[0]] }),
      'input.contactIds[1]',
    ],
    [
      'removeCampaignRecipients',
      'RemoveCampaignRecipientsInput',
      () => ({ campaignId: A.campaign, contactIds: [A.contacts[0]] }),
      'input.campaignId',
    ],
    [
      'removeCampaignRecipients',
      'RemoveCampaignRecipientsInput',
      () => ({ campaignId: B.campaign, contactIds: [B.contacts[1], A.contacts[0]] }),
      'input.contactIds[1]',
    ],
    ['updateCampaign', 'UpdateCampaignInput', () => ({ id: A.campaign, name: 'Hijacked' }), 'input.id'],
    ['updateUser', 'UpdateUserInput', () => ({ id: A.user, role: 'ADMIN' }), 'input.id'],
    ['deleteUser', 'UserIdInput', () => ({ id: A.user }), 'input.id'],
    ['revokeApiKey', 'RevokeApiKeyInput', () => ({ id: A.apiKey }), 'input.id'],
    [
      'deleteCustomFieldDefinition',
      'DeleteCustomFieldDefinitionInput',
      () => ({ id: A.customField }),
      'input.id',
    ],
  ];

  it.each(
    CASES.map(([name, inputType, input, field, note = '']) => [name, field, note, inputType, input] as const),
  )(
    '%s refuses %s naming a row of another organisation%s, and writes nothing',
    async (name, field, _note, inputType, input) => {
      const before = await allRows();
      expectRefused(await asB.call(mutation(name, inputType), { input: input() }), field);
      expect(await allRows()).toEqual(before);
    },
  );

  describe('bulk contact writes', () => {
    it('createContacts fails the items naming another organisation and writes only the valid one', async () => {
      const before = await allRows();
      const { createContacts } = await asB.data<{
        createContacts: {
          results: { status: string; error: { code: string; field: string } | null }[];
          createdCount: number;
        };
      }>(
        'mutation($input: CreateContactsInput!) { createContacts(input: $input) { createdCount results { status error { code field } } } }',
        {
          input: {
            contacts: [
              { firstName: 'Bulk ok' },
              { firstName: 'Bulk owner', ownerId: A.user },
              { firstName: 'Bulk company', companyId: A.company },
            ],
          },
        },
      );
      expect(createContacts.results).toEqual([
        { status: 'CREATED', error: null },
        { status: 'FAILED', error: { code: 'BAD_USER_INPUT', field: 'input.contacts[1].ownerId' } },
        { status: 'FAILED', error: { code: 'BAD_USER_INPUT', field: 'input.contacts[2].companyId' } },
      ]);
      const after = await allRows();
      const names = (rows: unknown) => (rows as { first_name: string }[]).map((r) => r.first_name);
      expect(names(after.contact).filter((n) => n?.startsWith('Bulk'))).toEqual(['Bulk ok']);
      expect((after.contact as unknown[]).length).toBe((before.contact as unknown[]).length + 1);
    });

    it('upsertContacts does not update a matched contact with an owner of another organisation', async () => {
      const [email] = (
        await server.db('select emails[1] as email from contact where id = $1', [pkOf(B.contacts[3])])
      ).map((r) => r.email as string);
      const before = await allRows();
      const { upsertContacts } = await asB.data<{
        upsertContacts: { results: { status: string; error: { field: string } | null }[] };
      }>(
        'mutation($input: UpsertContactsInput!) { upsertContacts(input: $input) { results { status error { field } } } }',
        { input: { contacts: [{ emails: [email], ownerId: A.user, jobTitle: 'Hijacked' }] } },
      );
      expect(upsertContacts.results).toEqual([
        { status: 'FAILED', error: { field: 'input.contacts[0].ownerId' } },
      ]);
      expect(await allRows()).toEqual(before);
    });
  });

  describe('moveDealsToStageId on a stage without deals', () => {
    /** A fresh stage without deals in B's spare pipeline, so that each case stands alone. */
    let empty: string;
    beforeEach(async () => {
      empty = await create(
        asB,
        'createStage',
        'CreateStageInput',
        { pipelineId: B.spare, name: 'Fresh', probability: 5 },
        'stage',
      );
    });
    const deleteEmpty = (moveDealsToStageId: string) =>
      asB.call(mutation('deleteStage', 'DeleteStageInput'), { input: { id: empty, moveDealsToStageId } });

    it.each([
      ['a stage of another organisation', () => A.stages[3]],
      ['a stage of a deleted pipeline', () => B.deletedPipelineStage],
      ['the stage being deleted', () => empty],
      ['an id of another type', () => B.deal],
      ['a well-formed id of no stage', () => globalIdOf('Stage', '00000000-0000-4000-8000-000000000000')],
    ])('refuses %s and keeps the stage', async (_what, target) => {
      const before = await allRows();
      expectRefused(await deleteEmpty(target()), 'input.moveDealsToStageId');
      expect(await allRows()).toEqual(before);
    });

    it('still deletes the stage when moveDealsToStageId names a live stage of its own', async () => {
      const res = await deleteEmpty(B.otherStage);
      expect(res.body.errors).toBeUndefined();
      expect(await server.db('select id from stage where id = $1', [pkOf(empty)])).toEqual([]);
    });
  });

  it('removeCampaignRecipients still removes a deleted contact of its own organisation', async () => {
    await asB.data(mutation('addCampaignRecipients', 'AddCampaignRecipientsInput'), {
      input: { campaignId: B.campaign, contactIds: [B.contacts[3]] },
    });
    await asB.data(mutation('deleteContact', 'ContactIdInput'), { input: { id: B.contacts[3] } });
    const { removeCampaignRecipients } = await asB.data<{ removeCampaignRecipients: { removed: number } }>(
      'mutation($input: RemoveCampaignRecipientsInput!) { removeCampaignRecipients(input: $input) { removed } }',
      { input: { campaignId: B.campaign, contactIds: [B.contacts[3]] } },
    );
    expect(removeCampaignRecipients.removed).toBe(1);
  });
});

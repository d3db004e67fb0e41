import { startServer, type GraphQLResponse, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { clientFor, dataOf } from './support/graphql';
import { storedRows } from './support/rows';

/** Query root fields any valid key may call (README: `viewer` works with any key; plans and usage are the caller's own). */
const ANY_KEY_QUERIES = ['viewer', 'usage', 'estimateCost', 'plans'];
const ADMIN_QUERIES = ['apiKeys', 'suppressedAddresses'];
const PUBLIC_MUTATIONS = ['signUp'];

/** The fixtures every matrix row may name: real rows of the organisation. */
interface Fixtures {
  pipeline: string;
  stages: string[];
  deal: string;
  campaign: string;
  call: string;
  company: string;
  contacts: string[];
  member: string;
  apiKey: string;
  customField: string;
  sendingDomain: string;
  phoneNumber: string;
  complianceApplication: string;
}

type Row = [name: string, inputType: string, input: (f: Fixtures) => Record<string, unknown>];

/** One row per mutation that needs the write scope: a valid input over real rows. */
const WRITE_MUTATIONS: Row[] = [
  ['createCompany', 'CreateCompanyInput', () => ({ name: 'Refused Co' })],
  ['updateCompany', 'UpdateCompanyInput', (f) => ({ id: f.company, name: 'Renamed' })],
  ['deleteCompany', 'CompanyIdInput', (f) => ({ id: f.company })],
  ['restoreCompany', 'CompanyIdInput', (f) => ({ id: f.company })],
  ['createContact', 'CreateContactInput', () => ({ firstName: 'Refused' })],
  ['updateContact', 'UpdateContactInput', (f) => ({ id: f.contacts[0], firstName: 'Renamed' })],
  ['deleteContact', 'ContactIdInput', (f) => ({ id: f.contacts[0] })],
  ['restoreContact', 'ContactIdInput', (f) => ({ id: f.contacts[0] })],
  ['createContacts', 'CreateContactsInput', () => ({ contacts: [{ firstName: 'Refused' }] })],
  ['upsertContacts', 'UpsertContactsInput', () => ({ contacts: [{ emails: ['refused@scopes.test'] }] })],
  [
    'mergeContacts',
    'MergeContactsInput',
    (f) => ({ primaryId: f.contacts[0], duplicateIds: [f.contacts[1]] }),
  ],
  [
    'createPipeline',
    'CreatePipelineInput',
    () => ({ name: 'Refused', stages: [{ name: 'S', probability: 1 }] }),
  ],
  ['updatePipeline', 'UpdatePipelineInput', (f) => ({ id: f.pipeline, name: 'Renamed' })],
  ['deletePipeline', 'PipelineIdInput', (f) => ({ id: f.pipeline })],
  ['restorePipeline', 'PipelineIdInput', (f) => ({ id: f.pipeline })],
  ['createStage', 'CreateStageInput', (f) => ({ pipelineId: f.pipeline, name: 'Refused', probability: 5 })],
  ['updateStage', 'UpdateStageInput', (f) => ({ id: f.stages[0], name: 'Renamed' })],
  [
    'reorderStages',
    'ReorderStagesInput',
    (f) => ({ pipelineId: f.pipeline, stageIds: [...f.stages].reverse() }),
  ],
  ['deleteStage', 'DeleteStageInput', (f) => ({ id: f.stages[1] })],
  ['createDeal', 'CreateDealInput', () => ({ name: 'Refused' })],
  ['updateDeal', 'UpdateDealInput', (f) => ({ id: f.deal, name: 'Renamed' })],
  ['moveDeal', 'MoveDealInput', (f) => ({ id: f.deal, stageId: f.stages[1] })],
  ['deleteDeal', 'DealIdInput', (f) => ({ id: f.deal })],
  ['restoreDeal', 'DealIdInput', (f) => ({ id: f.deal })],
  ['createCampaign', 'CreateCampaignInput', () => ({ name: 'R', subject: 'R', fromEmail: 'r@scopes.test' })],
  ['updateCampaign', 'UpdateCampaignInput', (f) => ({ id: f.campaign, name: 'Renamed' })],
  ['deleteCampaign', 'CampaignIdInput', (f) => ({ id: f.campaign })],
  ['restoreCampaign', 'CampaignIdInput', (f) => ({ id: f.campaign })],
  ['sendCampaign', 'CampaignIdInput', (f) => ({ id: f.campaign })],
  [
    'scheduleCampaign',
    'ScheduleCampaignInput',
    (f) => ({ id: f.campaign, at: new Date(Date.now() + 86_400_000).toISOString() }),
  ],
  ['pauseCampaign', 'CampaignIdInput', (f) => ({ id: f.campaign })],
  ['cancelCampaign', 'CampaignIdInput', (f) => ({ id: f.campaign })],
  [
    'addCampaignRecipients',
    'AddCampaignRecipientsInput',
    (f) => ({ campaignId: f.campaign, contactIds: [f.contacts[2]] }),
  ],
  [
    'removeCampaignRecipients',
    'RemoveCampaignRecipientsInput',
    (f) => ({ campaignId: f.campaign, contactIds: [f.contacts[0]] }),
  ],
  [
    'logCall',
    'LogCallInput',
    () => ({ direction: 'INBOUND', fromNumber: '+14155550100', toNumber: '+14155550101' }),
  ],
  ['updateCall', 'UpdateCallInput', (f) => ({ id: f.call, notes: 'Rewritten' })],
  ['deleteCall', 'CallIdInput', (f) => ({ id: f.call })],
  ['restoreCall', 'CallIdInput', (f) => ({ id: f.call })],
  [
    'placeCall',
    'PlaceCallInput',
    (f) => ({ to: '+14155550123', fromNumberId: f.phoneNumber, userPhone: '+14155550199' }),
  ],
  ['hangupCall', 'CallIdInput', (f) => ({ id: f.call })],
];

/** One row per mutation that needs the admin scope. */
const ADMIN_MUTATIONS: Row[] = [
  ['createApiKey', 'CreateApiKeyInput', () => ({ name: 'escalate', scopes: ['ADMIN'] })],
  ['revokeApiKey', 'RevokeApiKeyInput', (f) => ({ id: f.apiKey })],
  ['createUser', 'CreateUserInput', () => ({ email: 'intruder@scopes.test', role: 'ADMIN' })],
  ['updateUser', 'UpdateUserInput', (f) => ({ id: f.member, role: 'ADMIN' })],
  ['deleteUser', 'UserIdInput', (f) => ({ id: f.member })],
  ['restoreUser', 'UserIdInput', (f) => ({ id: f.member })],
  [
    'createCustomFieldDefinition',
    'CreateCustomFieldDefinitionInput',
    () => ({ objectType: 'CONTACT', key: 'refused', label: 'Refused', type: 'TEXT' }),
  ],
  ['deleteCustomFieldDefinition', 'DeleteCustomFieldDefinitionInput', (f) => ({ id: f.customField })],
  ['changePlan', 'ChangePlanInput', () => ({ plan: 'ENTERPRISE' })],
  ['cancelSubscription', 'CancelSubscriptionInput', () => ({ reason: 'Refused cancel' })],
  ['resumeSubscription', 'ResumeSubscriptionInput', () => ({ reason: 'Refused resume' })],
  ['createSendingDomain', 'CreateSendingDomainInput', () => ({ name: 'refused.scopes.test' })],
  ['refreshSendingDomain', 'SendingDomainIdInput', (f) => ({ id: f.sendingDomain })],
  ['deleteSendingDomain', 'SendingDomainIdInput', (f) => ({ id: f.sendingDomain })],
  ['updateEmailSettings', 'UpdateEmailSettingsInput', () => ({ postalAddress: '1 Refused Street' })],
  ['liftEmailRestriction', 'LiftEmailRestrictionInput', () => ({ reason: 'Refused lift' })],
  ['suppressAddress', 'SuppressionInput', () => ({ email: 'refused@scopes.test' })],
  ['unsuppressAddress', 'SuppressionInput', () => ({ email: 'refused@scopes.test' })],
  [
    'registerPersistedDocuments',
    'RegisterPersistedDocumentsInput',
    () => ({ clientName: 'refused', manifest: { ['0'.repeat(64)]: '{ viewer { user { id } } }' } }),
  ],
  ['rentPhoneNumber', 'RentPhoneNumberInput', () => ({ number: '+14155550001', numberType: 'LOCAL' })],
  ['releasePhoneNumber', 'PhoneNumberIdInput', (f) => ({ id: f.phoneNumber })],
  [
    'createComplianceApplication',
    'CreateComplianceApplicationInput',
    () => ({ country: 'FR', numberType: 'LOCAL', endUserType: 'BUSINESS' }),
  ],
  [
    'updateComplianceApplication',
    'UpdateComplianceApplicationInput',
    (f) => ({ id: f.complianceApplication, city: 'Berlin' }),
  ],
  [
    'addComplianceDocument',
    'AddComplianceDocumentInput',
    (f) => ({
      applicationId: f.complianceApplication,
      type: 'PROOF_OF_ADDRESS',
      fileName: 'bill.pdf',
      contentType: 'application/pdf',
      contentBase64: Buffer.from('%PDF-1.4').toString('base64'),
    }),
  ],
  ['removeComplianceDocument', 'RemoveComplianceDocumentInput', (f) => ({ id: f.complianceApplication })],
  ['submitComplianceApplication', 'ComplianceApplicationIdInput', (f) => ({ id: f.complianceApplication })],
  ['refreshComplianceApplication', 'ComplianceApplicationIdInput', (f) => ({ id: f.complianceApplication })],
];

/** One row per query root field that needs the read scope (`$id` is bound to a real row). */
const READ_QUERIES: [name: string, document: string, id: (f: Fixtures) => string | null][] = [
  ['contacts', '{ contacts { totalCount } }', () => null],
  ['contact', 'query($id: ID!) { contact(id: $id) { id } }', (f) => f.contacts[0]],
  ['companies', '{ companies { totalCount } }', () => null],
  ['company', 'query($id: ID!) { company(id: $id) { id } }', (f) => f.company],
  ['deals', '{ deals { totalCount } }', () => null],
  ['deal', 'query($id: ID!) { deal(id: $id) { id } }', (f) => f.deal],
  ['pipelines', '{ pipelines { totalCount } }', () => null],
  ['pipeline', 'query($id: ID!) { pipeline(id: $id) { id } }', (f) => f.pipeline],
  [
    'pipelineValue',
    'query($id: ID!) { pipelineValue(pipelineId: $id) { totals { currency } } }',
    (f) => f.pipeline,
  ],
  ['campaigns', '{ campaigns { totalCount } }', () => null],
  ['campaign', 'query($id: ID!) { campaign(id: $id) { id } }', (f) => f.campaign],
  ['calls', '{ calls { totalCount } }', () => null],
  ['call', 'query($id: ID!) { call(id: $id) { id } }', (f) => f.call],
  ['users', '{ users { totalCount } }', () => null],
  ['user', 'query($id: ID!) { user(id: $id) { id } }', (f) => f.member],
  ['customFieldDefinitions', '{ customFieldDefinitions { id } }', () => null],
  ['node', 'query($id: ID!) { node(id: $id) { id } }', (f) => f.deal],
  ['nodes', 'query($id: ID!) { nodes(ids: [$id]) { id } }', (f) => f.deal],
  ['search', '{ search(text: "First") { __typename } }', () => null],
  ['sendingDomains', '{ sendingDomains { id } }', () => null],
  ['emailSendingStatus', '{ emailSendingStatus { restricted } }', () => null],
  ['outboxMessages', '{ outboxMessages { messageId } }', () => null],
  ['emailSettings', '{ emailSettings { postalAddress } }', () => null],
  [
    'previewCampaignChecks',
    'query($id: ID!) { previewCampaignChecks(id: $id) { passed } }',
    (f) => f.campaign,
  ],
  ['persistedDocuments', '{ persistedDocuments { totalCount } }', () => null],
  ['persistedDocument', 'query($id: ID!) { persistedDocument(id: $id) { id } }', (f) => f.deal],
  ['subscription', '{ subscription { status invoices { amount } } }', () => null],
  ['phoneNumbers', '{ phoneNumbers { totalCount } }', () => null],
  ['phoneNumber', 'query($id: ID!) { phoneNumber(id: $id) { id } }', (f) => f.phoneNumber],
  ['searchPhoneNumbers', '{ searchPhoneNumbers(country: "US") { number } }', () => null],
  ['complianceApplications', '{ complianceApplications { totalCount } }', () => null],
  [
    'complianceApplication',
    'query($id: ID!) { complianceApplication(id: $id) { id } }',
    (f) => f.complianceApplication,
  ],
  [
    'complianceRequirements',
    '{ complianceRequirements(country: "DE", numberType: LOCAL) { required } }',
    () => null,
  ],
];

const mutationDoc = (name: string, inputType: string) =>
  `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename } }`;

/** The refusal a client sees: one FORBIDDEN error naming the missing scope, and no data (a nullable root field is null). */
function expectForbidden(res: GraphQLResponse<unknown>, requiredScope: string): void {
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope });
  for (const value of Object.values(res.body.data ?? {})) expect(value).toBeNull();
}

describe('scopes: read for queries, write for mutations and their payloads, admin for admin', () => {
  let server: TestServer;
  let org: SeededOrg;
  let readKey: string;
  let writeKey: string;
  let readWriteKey: string;
  const f = {} as Fixtures;

  /** Every stored row (what a refused mutation must leave as it was). */
  const allRows = () => storedRows(server);

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Scoped Co').withUsers(1).withCompanies(1).withContacts(3);
    readKey = (await createApiKey(server, org.key, ['READ'])).key;
    writeKey = (await createApiKey(server, org.key, ['WRITE'])).key;
    readWriteKey = (await createApiKey(server, org.key, ['READ', 'WRITE'])).key;
    const admin = clientFor(server, org.key);

    const { createPipeline } = await admin.data<{
      createPipeline: { pipeline: { id: string; stages: { id: string }[] } };
    }>(
      'mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id stages { id } } } }',
      {
        input: {
          name: 'Fixture pipeline',
          stages: [
            { name: 'One', probability: 10 },
            { name: 'Two', probability: 50 },
          ],
        },
      },
    );
    f.pipeline = createPipeline.pipeline.id;
    f.stages = createPipeline.pipeline.stages.map((s) => s.id);
    f.company = org.companies[0].id;
    f.contacts = org.contacts.map((c) => c.id);
    f.member = org.users[1].id;
    f.deal = (
      await admin.data<{ createDeal: { deal: { id: string } } }>(
        'mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id } } }',
        { input: { name: 'Fixture deal', stageId: f.stages[0], contactIds: [f.contacts[0]] } },
      )
    ).createDeal.deal.id;
    f.campaign = (
      await admin.data<{ createCampaign: { campaign: { id: string } } }>(
        'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
        { input: { name: 'Fixture', subject: 'Hi', fromEmail: 'news@scopes.test' } },
      )
    ).createCampaign.campaign.id;
    await admin.data(
      'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
      { input: { campaignId: f.campaign, contactIds: [f.contacts[0], f.contacts[1]] } },
    );
    f.call = (
      await admin.data<{ logCall: { call: { id: string } } }>(
        'mutation($input: LogCallInput!) { logCall(input: $input) { call { id } } }',
        {
          input: {
            direction: 'OUTBOUND',
            fromNumber: '+14155550100',
            toNumber: '+14155550101',
            contactId: f.contacts[0],
          },
        },
      )
    ).logCall.call.id;
    f.apiKey = (await createApiKey(server, org.key, ['READ'], 'victim')).id;
    f.customField = (
      await admin.data<{ createCustomFieldDefinition: { customFieldDefinition: { id: string } } }>(
        'mutation($input: CreateCustomFieldDefinitionInput!) { createCustomFieldDefinition(input: $input) { customFieldDefinition { id } } }',
        { input: { objectType: 'CONTACT', key: 'crmId', label: 'CRM id', type: 'TEXT' } },
      )
    ).createCustomFieldDefinition.customFieldDefinition.id;
    f.sendingDomain = (
      await admin.data<{ createSendingDomain: { sendingDomain: { id: string } } }>(
        'mutation($input: CreateSendingDomainInput!) { createSendingDomain(input: $input) { sendingDomain { id } } }',
        { input: { name: 'fixture.scopes.test' } },
      )
    ).createSendingDomain.sendingDomain.id;
    f.phoneNumber = (
      await admin.data<{ rentPhoneNumber: { phoneNumber: { id: string } } }>(
        'mutation($input: RentPhoneNumberInput!) { rentPhoneNumber(input: $input) { phoneNumber { id } } }',
        { input: { number: '+14155550000', numberType: 'LOCAL' } },
      )
    ).rentPhoneNumber.phoneNumber.id;
    f.complianceApplication = (
      await admin.data<{ createComplianceApplication: { complianceApplication: { id: string } } }>(
        'mutation($input: CreateComplianceApplicationInput!) { createComplianceApplication(input: $input) { complianceApplication { id } } }',
        {
          input: { country: 'DE', numberType: 'LOCAL', endUserType: 'BUSINESS', businessName: 'Scoped GmbH' },
        },
      )
    ).createComplianceApplication.complianceApplication.id;
  });
  afterAll(() => server.close());

  it('covers every root field of the schema', async () => {
    const { __schema } = await clientFor(server, org.key).data<{
      __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } };
    }>('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
    const sorted = (names: string[]) => [...names].sort();
    expect(sorted(__schema.mutationType.fields.map((x) => x.name))).toEqual(
      sorted([...WRITE_MUTATIONS, ...ADMIN_MUTATIONS].map(([name]) => name).concat(PUBLIC_MUTATIONS)),
    );
    expect(sorted(__schema.queryType.fields.map((x) => x.name))).toEqual(
      sorted(READ_QUERIES.map(([name]) => name).concat(ANY_KEY_QUERIES, ADMIN_QUERIES)),
    );
  });

  describe('a read-only key', () => {
    it.each(WRITE_MUTATIONS)(
      'is refused %s with FORBIDDEN (write) and changes nothing',
      async (name, type, input) => {
        const before = await allRows();
        expectForbidden(await server.gql(mutationDoc(name, type), { input: input(f) }, readKey), 'write');
        expect(await allRows()).toEqual(before);
      },
    );
  });

  describe('a write-only key', () => {
    it.each(READ_QUERIES)(
      'is refused the query root field %s with FORBIDDEN (read)',
      async (_name, doc, id) => {
        const value = id(f);
        expectForbidden(await server.gql(doc, value ? { id: value } : {}, writeKey), 'read');
      },
    );
  });

  describe('a read+write key without admin', () => {
    it.each(ADMIN_MUTATIONS)(
      'is refused %s with FORBIDDEN (admin) and changes nothing',
      async (name, type, input) => {
        const before = await allRows();
        expectForbidden(
          await server.gql(mutationDoc(name, type), { input: input(f) }, readWriteKey),
          'admin',
        );
        expect(await allRows()).toEqual(before);
      },
    );

    it('is refused the apiKeys query with FORBIDDEN (admin)', async () => {
      expectForbidden(await server.gql('{ apiKeys { id } }', {}, readWriteKey), 'admin');
    });

    it('is refused includeDeleted on a list with FORBIDDEN (admin)', async () => {
      expectForbidden(
        await server.gql('{ deals(includeDeleted: true) { totalCount } }', {}, readWriteKey),
        'admin',
      );
    });
  });

  describe("a write-only key reads its own mutations' payloads, nested fields included", () => {
    let w: ReturnType<typeof clientFor>;
    beforeAll(() => {
      w = clientFor(server, writeKey);
    });

    it('gets the stages and deals of the pipeline createPipeline made', async () => {
      const { createPipeline } = await w.data<{
        createPipeline: {
          pipeline: { name: string; stages: { name: string; pipeline: { name: string } }[] };
        };
      }>(
        `mutation($input: CreatePipelineInput!) { createPipeline(input: $input) {
           pipeline { name stages { name probability pipeline { name } deals { totalCount } } deals { totalCount } } } }`,
        {
          input: {
            name: 'Written',
            stages: [
              { name: 'Open', probability: 20 },
              { name: 'Won', probability: 100, kind: 'WON' },
            ],
          },
        },
      );
      expect(createPipeline.pipeline.stages.map((s) => s.name)).toEqual(['Open', 'Won']);
      expect(createPipeline.pipeline.stages[0].pipeline.name).toBe('Written');
    });

    it('gets the pipeline stages in the payloads of createStage, reorderStages and deleteStage', async () => {
      const { createStage } = await w.data<{
        createStage: { stage: { id: string; pipeline: { stages: { id: string }[] } } };
      }>(
        'mutation($input: CreateStageInput!) { createStage(input: $input) { stage { id pipeline { stages { id } } } } }',
        { input: { pipelineId: f.pipeline, name: 'Three', probability: 70 } },
      );
      const stages = createStage.stage.pipeline.stages.map((s) => s.id);
      expect(stages).toEqual([...f.stages, createStage.stage.id]);
      const { reorderStages } = await w.data<{ reorderStages: { pipeline: { stages: { id: string }[] } } }>(
        'mutation($input: ReorderStagesInput!) { reorderStages(input: $input) { pipeline { stages { id } } } }',
        { input: { pipelineId: f.pipeline, stageIds: [createStage.stage.id, ...f.stages] } },
      );
      expect(reorderStages.pipeline.stages.map((s) => s.id)).toEqual([createStage.stage.id, ...f.stages]);
      const { deleteStage } = await w.data<{ deleteStage: { pipeline: { stages: { id: string }[] } } }>(
        'mutation($input: DeleteStageInput!) { deleteStage(input: $input) { pipeline { stages { id } } } }',
        { input: { id: createStage.stage.id } },
      );
      expect(deleteStage.pipeline.stages.map((s) => s.id)).toEqual(f.stages);
    });

    it('gets the stage history, stage, pipeline stages, company, owner and contacts of a deal it creates and moves', async () => {
      const DEAL = `id stage { name } pipeline { stages { name } } company { name owner { id } } owner { email }
        contacts { nodes { id company { name } } } calls { totalCount }
        stageHistory { fromStage { name } toStage { name } changedBy { email } }`;
      const { createDeal } = await w.data<{
        createDeal: { deal: { id: string; company: { name: string } } };
      }>(`mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { ${DEAL} } } }`, {
        input: {
          name: 'Written deal',
          stageId: f.stages[0],
          companyId: f.company,
          ownerId: f.member,
          contactIds: [f.contacts[1]],
        },
      });
      expect(createDeal.deal.company.name).toBe(org.companies[0].name);
      const { moveDeal } = await w.data<{
        moveDeal: {
          deal: {
            stage: { name: string };
            pipeline: { stages: { name: string }[] };
            owner: { email: string };
            contacts: { nodes: { id: string }[] };
            stageHistory: { fromStage: { name: string } | null; toStage: { name: string } }[];
          };
        };
      }>(`mutation($input: MoveDealInput!) { moveDeal(input: $input) { deal { ${DEAL} } } }`, {
        input: { id: createDeal.deal.id, stageId: f.stages[1] },
      });
      expect(moveDeal.deal.stage.name).toBe('Two');
      expect(moveDeal.deal.pipeline.stages.map((s) => s.name)).toEqual(['One', 'Two']);
      expect(moveDeal.deal.owner.email).toBe(org.users[1].email);
      expect(moveDeal.deal.contacts.nodes.map((c) => c.id)).toEqual([f.contacts[1]]);
      expect(moveDeal.deal.stageHistory.map((h) => [h.fromStage?.name ?? null, h.toStage.name])).toEqual([
        [null, 'One'],
        ['One', 'Two'],
      ]);
    });

    it('gets the stats and members of a campaign it creates and fills', async () => {
      const CAMPAIGN =
        'stats { recipients pending sent bounceRate } members { totalCount nodes { contact { id } campaign { name } } }';
      const { createCampaign } = await w.data<{
        createCampaign: { campaign: { id: string; stats: { recipients: number } } };
      }>(
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id ${CAMPAIGN} } } }`,
        { input: { name: 'Written campaign', subject: 'Hi', fromEmail: 'w@scopes.test' } },
      );
      expect(createCampaign.campaign.stats.recipients).toBe(0);
      const { addCampaignRecipients } = await w.data<{
        addCampaignRecipients: { campaign: { stats: { recipients: number; pending: number } } };
      }>(
        `mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { campaign { ${CAMPAIGN} } } }`,
        { input: { campaignId: createCampaign.campaign.id, contactIds: [f.contacts[0], f.contacts[2]] } },
      );
      expect(addCampaignRecipients.campaign.stats).toMatchObject({ recipients: 2, pending: 2 });
      const { removeCampaignRecipients } = await w.data<{
        removeCampaignRecipients: { campaign: { stats: { recipients: number } } };
      }>(
        `mutation($input: RemoveCampaignRecipientsInput!) { removeCampaignRecipients(input: $input) { campaign { ${CAMPAIGN} } } }`,
        { input: { campaignId: createCampaign.campaign.id, contactIds: [f.contacts[2]] } },
      );
      expect(removeCampaignRecipients.campaign.stats.recipients).toBe(1);
    });

    it('gets the company, owner, deals, calls and campaign memberships of a contact it creates', async () => {
      const { createContact } = await w.data<{
        createContact: {
          contact: {
            company: { name: string; owner: { email: string } | null };
            owner: { email: string };
            deals: { totalCount: number };
            campaignMemberships: { totalCount: number };
          };
        };
      }>(
        `mutation($input: CreateContactInput!) { createContact(input: $input) { contact {
           company { name owner { email } contacts { totalCount } deals { nodes { stageHistory { toStageName } } } }
           owner { email } deals { totalCount nodes { stage { name } } } calls { totalCount }
           campaignMemberships { totalCount nodes { campaign { stats { recipients } } } } } } }`,
        { input: { firstName: 'Written', companyId: f.company, ownerId: f.member } },
      );
      expect(createContact.contact.company.name).toBe(org.companies[0].name);
      expect(createContact.contact.owner.email).toBe(org.users[1].email);
      expect(createContact.contact.deals.totalCount).toBe(0);
    });

    it('gets nested fields of the contacts createContacts and mergeContacts return', async () => {
      const { createContacts } = await w.data<{
        createContacts: { results: { contact: { id: string; company: { name: string } } }[] };
      }>(
        `mutation($input: CreateContactsInput!) { createContacts(input: $input) {
           results { contact { id company { name } owner { email } } } } }`,
        {
          input: {
            contacts: [
              { firstName: 'Bulk A', companyId: f.company },
              { firstName: 'Bulk B', companyId: f.company },
            ],
          },
        },
      );
      const [keep, drop] = createContacts.results.map((r) => r.contact.id);
      expect(createContacts.results[0].contact.company.name).toBe(org.companies[0].name);
      const { mergeContacts } = await w.data<{ mergeContacts: { contact: { company: { name: string } } } }>(
        `mutation($input: MergeContactsInput!) { mergeContacts(input: $input) {
           contact { company { name } deals { nodes { stageHistory { toStage { name } } } } campaignMemberships { totalCount } } } }`,
        { input: { primaryId: keep, duplicateIds: [drop] } },
      );
      expect(mergeContacts.contact.company.name).toBe(org.companies[0].name);
    });

    it('gets the contact, deal (with its stage history) and owner of a call it logs', async () => {
      const { logCall } = await w.data<{
        logCall: {
          call: { contact: { id: string }; deal: { stageHistory: { toStage: { name: string } }[] } };
        };
      }>(
        `mutation($input: LogCallInput!) { logCall(input: $input) { call {
           contact { id } deal { stageHistory { toStage { name } } pipeline { stages { name } } } owner { email } } } }`,
        {
          input: {
            direction: 'INBOUND',
            fromNumber: '+14155550100',
            toNumber: '+14155550101',
            contactId: f.contacts[0],
            dealId: f.deal,
          },
        },
      );
      expect(logCall.call.contact.id).toBe(f.contacts[0]);
      expect(logCall.call.deal.stageHistory.map((h) => h.toStage.name)).toEqual(['One']);
    });

    it('gets the owner, contacts and deals of a company it creates', async () => {
      const res = await server.gql<{ createCompany: { company: { owner: { email: string } } } }>(
        `mutation($input: CreateCompanyInput!) { createCompany(input: $input) {
           company { owner { email } contacts { totalCount } deals { nodes { pipeline { stages { id } } } } } } }`,
        { input: { name: 'Written Co', ownerId: f.member } },
        writeKey,
      );
      expect(dataOf(res).createCompany.company.owner.email).toBe(org.users[1].email);
    });

    it('still may not read the same fields through a query', async () => {
      const res = await server.gql(
        'query($id: ID!) { pipeline(id: $id) { stages { id } } }',
        { id: f.pipeline },
        writeKey,
      );
      expectForbidden(res, 'read');
    });
  });
});

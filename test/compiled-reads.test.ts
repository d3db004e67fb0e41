import { createTestDatabase, startServer, type GraphQLResponse, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { clientFor, dataOf, pkOf } from './support/graphql';
import { metric } from './support/usage';
import { rentNumber, submittedApplication } from './support/telephony';
import { registerDocuments } from './support/persisted';
import {
  addToPools,
  dumpQuery,
  loadSchema,
  QueryGenerator,
  type Generated,
  type Pools,
} from './support/query-gen';

/**
 * The compiled read path against graphql-js (issue 10 item 6): two servers on one database, A
 * answering reads with the compiled path and B with graphql-js only, get the same generated
 * queries with the same keys; status, data, errors and cost must be the same, byte for byte (key
 * order included). Then: verify mode on a corpus of 20 more (the next seed), and the statements of the
 * dashboard query (one compiled statement plus admission, whatever the page size).
 */

const SEED = 20261127;
const QUERIES = 300;
const VERIFY_CORPUS = 20;

const READS = 'workpex_query_reads_total';

/** What the generated queries use, counted for the log (query text and variables). */
const features: Record<string, RegExp> = {
  byId: /\b(company|contact|deal|pipeline|call|campaign|user)\(/,
  node: /\bnode\(/,
  nodes: /\bnodes\(ids/,
  after: /\bafter: /,
  before: /\bbefore: /,
  last: /\blast: /,
  orderBy: /\borderBy: /,
  nullsOrder: /\bnulls\W+(FIRST|LAST)/,
  filter: /\bfilter: /,
  relationFilter: /\b(some|none|every)\W+\{/,
  andOrNot: /\b(and|or|not)\W+[[{]/,
  ignoreCase: /ignoreCase/,
  includeDeleted: /includeDeleted/,
  inlineFragment: /\.\.\. (on \w+ )?(@\w+\([^)]*\) )?\{/,
  onNode: /on Node/,
  namedFragment: /^fragment /m,
  typename: /__typename/,
  includeSkip: /@(include|skip)/,
  alias: /\ba\d+: /,
  edgesAndNodes: /edges[\s\S]*nodes|nodes[\s\S]*edges/,
  pageInfo: /pageInfo/,
  totalCount: /totalCount/,
};

/** What must be equal between the two paths, each part as its JSON text. */
function comparable(res: GraphQLResponse<unknown>) {
  const cost = res.body.extensions?.cost as
    { requestedQueryCost?: number; actualQueryCost?: number } | undefined;
  return {
    status: JSON.stringify(res.status),
    data: JSON.stringify(res.body.data),
    errors: JSON.stringify(
      res.body.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })),
    ),
    cost: JSON.stringify([cost?.requestedQueryCost, cost?.actualQueryCost]),
  };
}

function differences(a: GraphQLResponse<unknown>, b: GraphQLResponse<unknown>): string[] {
  const ca = comparable(a);
  const cb = comparable(b);
  return (Object.keys(ca) as (keyof typeof ca)[]).filter((k) => ca[k] !== cb[k]);
}

function report(
  i: number,
  g: Generated,
  parts: string[],
  got: GraphQLResponse<unknown>,
  want: GraphQLResponse<unknown>,
  labels: [string, string],
): string {
  const body = (r: GraphQLResponse<unknown>) =>
    JSON.stringify({
      status: r.status,
      data: r.body.data,
      errors: r.body.errors,
      cost: r.body.extensions?.cost,
    });
  return [
    `query #${i} (${g.key} key; ${g.expectError ? `meant to fail: ${g.expectError}` : 'meant to succeed'}) differs in ${parts.join(', ')}:`,
    g.query,
    `variables: ${JSON.stringify(g.variables)}`,
    `${labels[0]}: ${body(got)}`,
    `${labels[1]}: ${body(want)}`,
  ].join('\n');
}

// --- the data set ------------------------------------------------------------------------------

const FIRST_NAMES = ['Ann', 'Bob', 'Cat', 'ann', 'Émile', 'Zoë', "O'Brien", 'Dan', 'Eve', 'Bob'];
const LAST_NAMES = ['Smith', 'Jones', 'smith', 'Nguyen', 'Åberg', 'Lee', 'Jones', 'Brown_1', '100%'];
const TITLES = ['CEO', 'Buyer', null, 'Analyst', 'buyer', 'VP Sales'];
const STAGES = ['LEAD', null, 'CUSTOMER', 'SUBSCRIBER', 'OPPORTUNITY', null, 'EVANGELIST', 'OTHER'];
const TAGS = [['vip'], [], ['lead', 'beta'], ['VIP'], ['beta'], ['vip', 'lead', 'west']];
const AMOUNTS = ['1234.5', null, '0.125', '1000', '99.99', '250000.0001', '42', '1234.50', '0', '7.1'];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'USD', 'gbp'];
const COMPANY_NAMES = ['Acme', 'Globex', 'acme', 'Initech', 'Zeta_1%', 'Ünïcode GmbH', 'Globex', 'Umbrella'];

interface Main {
  org: SeededOrg;
  readKey: string;
}

async function seedMain(server: TestServer): Promise<Main> {
  const org = await seed(server).org('Compiled Co').withUsers(3).withUsers(1, { role: 'ADMIN' });
  const api = clientFor(server, org.key);
  const readKey = (await createApiKey(server, org.key, ['READ'])).key;
  const write = async <T>(mutation: string, type: string, input: unknown, pick: string): Promise<T> => {
    const data = await api.data<Record<string, Record<string, T>>>(
      `mutation($input: ${type}!) { ${mutation}(input: $input) { ${pick} } }`,
      { input },
    );
    return data[mutation][pick.split(' ')[0]];
  };
  const users = org.users.map((u) => u.id);

  for (const def of [
    { objectType: 'CONTACT', key: 'score', label: 'Score', type: 'NUMBER' },
    { objectType: 'CONTACT', key: 'tier', label: 'Tier', type: 'SELECT', options: ['gold', 'silver'] },
    { objectType: 'CONTACT', key: 'vip', label: 'VIP', type: 'BOOLEAN' },
    { objectType: 'COMPANY', key: 'region', label: 'Region', type: 'TEXT' },
  ]) {
    await write(
      'createCustomFieldDefinition',
      'CreateCustomFieldDefinitionInput',
      def,
      'customFieldDefinition { id }',
    );
  }

  // 30 companies: repeated names (ties), null domains and head counts; company 0 is the big one.
  for (let i = 0; i < 30; i++) {
    const company = await write<{ id: string; name: string }>(
      'createCompany',
      'CreateCompanyInput',
      {
        name: i === 0 ? 'Big Co' : `${COMPANY_NAMES[i % COMPANY_NAMES.length]}${i % 3 ? ` ${i}` : ''}`,
        domain: i % 4 === 3 ? null : `c${i}.example.com`,
        employees: i % 3 === 2 ? null : (i * 37) % 500,
        industry: [null, 'Software', 'Retail', 'software'][i % 4],
        tags: TAGS[i % TAGS.length],
        ...(i % 5 === 0 ? { phone: `+1415555${String(1000 + i)}` } : {}),
        ...(i % 3 === 0 ? { ownerId: users[i % users.length] } : {}),
        ...(i % 2 ? { customFields: { region: ['EMEA', 'APAC', 'AMER'][i % 3] } } : {}),
      },
      'company { id name }',
    );
    org.companies.push(company);
  }

  // 80 contacts: 0–29 at company 0, 30–71 spread, 72–79 without company; 50–79 in one bulk call
  // (the same createdAt: ties broken by id).
  const contactInput = (i: number) => ({
    firstName: i === 40 || i % 11 === 5 ? null : FIRST_NAMES[i % FIRST_NAMES.length],
    lastName: i === 40 || i % 7 === 3 ? null : LAST_NAMES[i % LAST_NAMES.length],
    emails:
      i % 6 === 0 ? [] : i % 6 === 1 ? [`p${i}@example.com`, `alt${i}@example.org`] : [`p${i}@example.com`],
    ...(i % 4 === 0 ? { phones: [`+1415556${String(1000 + i)}`] } : {}),
    jobTitle: TITLES[i % TITLES.length],
    lifecycleStage: STAGES[i % STAGES.length],
    tags: TAGS[(i * 5) % TAGS.length],
    ...(i < 30
      ? { companyId: org.companies[0].id }
      : i < 72
        ? { companyId: org.companies[1 + (i % 29)].id }
        : {}),
    ...(i % 5 === 1 ? { ownerId: users[i % users.length] } : {}),
    ...(i % 3 === 0
      ? { customFields: { score: i * 1.5, tier: i % 2 ? 'gold' : 'silver', vip: i % 4 === 0 } }
      : i % 3 === 1
        ? { customFields: { score: i } }
        : {}),
  });
  for (let i = 0; i < 50; i++) {
    org.contacts.push(
      await write(
        'createContact',
        'CreateContactInput',
        contactInput(i),
        'contact { id firstName lastName }',
      ),
    );
  }
  const bulk = await api.data<{
    createContacts: { results: { contact: SeededOrg['contacts'][number] | null; error: unknown }[] };
  }>(
    `mutation($input: CreateContactsInput!) { createContacts(input: $input) {
       results { contact { id firstName lastName } error { code field message } } } }`,
    { input: { contacts: Array.from({ length: 30 }, (_, k) => contactInput(50 + k)) } },
  );
  for (const r of bulk.createContacts.results) {
    if (!r.contact) throw new Error(`createContacts: ${JSON.stringify(r.error)}`);
    org.contacts.push(r.contact);
  }

  // A second pipeline; 40 deals, 0–29 at company 0, some in the second pipeline, some closed.
  const pipeline = await write<{ stages: { id: string; name: string }[] }>(
    'createPipeline',
    'CreatePipelineInput',
    {
      name: 'Enterprise',
      stages: [
        { name: 'Discovery', probability: 10 },
        { name: 'Proposal', probability: 50 },
        { name: 'Signed', probability: 100, kind: 'WON' },
        { name: 'Dropped', probability: 0, kind: 'LOST' },
      ],
    },
    'pipeline { stages { id name } }',
  );
  const { pipelines } = await api.data<{
    pipelines: { nodes: { name: string; stages: { id: string; name: string }[] }[] };
  }>('{ pipelines { nodes { name stages { id name } } } }');
  const sales = pipelines.nodes.find((p) => p.name === 'Sales')?.stages ?? [];
  const stageId = (stages: { id: string; name: string }[], name: string) =>
    stages.find((s) => s.name === name)?.id ?? stages[0].id;
  for (let i = 0; i < 40; i++) {
    const deal = await write<{ id: string; name: string }>(
      'createDeal',
      'CreateDealInput',
      {
        name: i % 9 === 4 ? 'Renewal' : `Deal ${i}`,
        amount: AMOUNTS[i % AMOUNTS.length],
        currency: CURRENCIES[i % CURRENCIES.length],
        ...(i % 4 ? { expectedCloseDate: `2027-0${1 + (i % 9)}-${10 + (i % 18)}` } : {}),
        ...(i < 30
          ? { companyId: org.companies[0].id }
          : i % 2
            ? { companyId: org.companies[i - 28].id }
            : {}),
        contactIds: i % 3 ? [org.contacts[i % 80].id, org.contacts[(i * 7 + 3) % 80].id] : [],
        ...(i % 5 === 4 ? { stageId: pipeline.stages[i % 2].id } : {}),
        ...(i % 4 === 2 ? { ownerId: users[i % users.length] } : {}),
        ...(i % 6 === 0 ? { tags: ['q1', i % 12 ? 'hot' : 'cold'] } : {}),
      },
      'deal { id name }',
    );
    org.deals.push(deal);
    const move =
      i % 5 === 4
        ? i % 10 === 9
          ? pipeline.stages[2].id
          : null
        : [null, stageId(sales, 'Won'), stageId(sales, 'Lost'), stageId(sales, 'Proposal'), null, null][
            i % 6
          ];
    if (move) await write('moveDeal', 'MoveDealInput', { id: deal.id, stageId: move }, 'deal { id }');
  }

  // Campaigns: one with members in every state, one by filter, one empty.
  const campaign = async (name: string) =>
    (
      await write<{ id: string }>(
        'createCampaign',
        'CreateCampaignInput',
        { name, subject: `${name} news`, fromEmail: 'news@compiled.test' },
        'campaign { id }',
      )
    ).id;
  const spring = await campaign('Spring');
  const withEmail = org.contacts.filter((_, i) => i % 6 !== 0).slice(0, 14);
  await write(
    'addCampaignRecipients',
    'AddCampaignRecipientsInput',
    { campaignId: spring, contactIds: withEmail.map((c) => c.id) },
    'added',
  );
  const summer = await campaign('Summer');
  await write(
    'addCampaignRecipients',
    'AddCampaignRecipientsInput',
    { campaignId: summer, filter: { tags: { has: 'vip' } } },
    'added',
  );
  await campaign('Empty');
  await server.db(
    `with m as (select id, row_number() over (order by id) as n from campaign_member where organization_id = $1)
     update campaign_member c set
       status = (array['PENDING','SENT','DELIVERED','OPENED','CLICKED','BOUNCED','FAILED','UNSUBSCRIBED'])[1 + m.n % 8],
       bounce_type = case when m.n % 8 = 5 then (case when m.n % 16 = 5 then 'HARD' else 'SOFT' end) end,
       sent_at = case when m.n % 8 = 0 then null else timestamptz '2026-11-20 10:00:00+00' + m.n * interval '1 minute' end,
       error = case when m.n % 8 = 6 then 'mailbox full' end
     from m where c.id = m.id`,
    [pkOf(org.organizationId)],
  );
  await server.db(
    `update contact set email_status = case when first_name = 'Cat' then 'BOUNCED' else 'UNSUBSCRIBED' end
      where organization_id = $1 and (first_name = 'Cat' or last_name = 'Lee')`,
    [pkOf(org.organizationId)],
  );

  // Calls with and without contact, deal, owner and times.
  const calls: string[] = [];
  for (let i = 0; i < 10; i++) {
    const started = Date.UTC(2026, 10, 20, 9, i * 7);
    const call = await write<{ id: string }>(
      'logCall',
      'LogCallInput',
      {
        direction: i % 2 ? 'INBOUND' : 'OUTBOUND',
        fromNumber: '+14155550100',
        toNumber: `+1415555020${i}`,
        ...(i % 4 !== 3 ? { contactId: org.contacts[(i * 3) % 30].id } : {}),
        ...(i % 3 === 0 ? { dealId: org.deals[i].id } : {}),
        ...(i % 2 ? { ownerId: users[i % users.length] } : {}),
        ...(i % 5 !== 4
          ? {
              startedAt: new Date(started).toISOString(),
              endedAt: new Date(started + (30 + i * 11) * 1000).toISOString(),
            }
          : {}),
        ...(i % 3 === 1 ? { outcome: ['CONNECTED', 'LEFT_VOICEMAIL', 'INTERESTED'][i % 3] } : {}),
        status: ['COMPLETED', 'NO_ANSWER', 'BUSY', 'COMPLETED', 'FAILED'][i % 5],
        ...(i % 2 ? { notes: `call ${i}` } : {}),
      },
      'call { id }',
    );
    calls.push(call.id);
  }

  // Soft deletes: companies, contacts, deals, a call; a deactivated member.
  for (const i of [7, 15, 22, 29]) {
    await write('deleteCompany', 'CompanyIdInput', { id: org.companies[i].id }, 'deletedCompanyId');
  }
  for (const i of [3, 14, 38, 47, 55, 66, 77]) {
    await write('deleteContact', 'ContactIdInput', { id: org.contacts[i].id }, 'deletedContactId');
  }
  for (const i of [5, 17, 33]) {
    await write('deleteDeal', 'DealIdInput', { id: org.deals[i].id }, 'deletedDealId');
  }
  await write('deleteCall', 'CallIdInput', { id: calls[4] }, 'deletedCallId');
  await write('deleteUser', 'UserIdInput', { id: users[3] }, 'user { id }');

  // Telephony: rented and released numbers, one under an approved application, and a draft.
  await rentNumber(server, org.key, 'US', 'LOCAL', 0);
  await rentNumber(server, org.key, 'GB', 'MOBILE', 1);
  const released = await rentNumber(server, org.key, 'CA', 'TOLL_FREE', 2);
  await write('releasePhoneNumber', 'PhoneNumberIdInput', { id: released.id }, 'phoneNumber { id }');
  await submittedApplication(server, org.key, 'DE', 'LOCAL');
  await rentNumber(server, org.key, 'DE', 'LOCAL', 3);
  await write(
    'createComplianceApplication',
    'CreateComplianceApplicationInput',
    { country: 'FR', numberType: 'MOBILE', endUserType: 'INDIVIDUAL', firstName: 'Jean' },
    'complianceApplication { id }',
  );
  await registerDocuments(server, org.key, 'compiled-client', [
    'query A { viewer { organization { name } } }',
    'query B($n: Int = 5) { contacts(first: $n) { totalCount } }',
  ]);
  return { org, readKey };
}

/** Another organisation: a few rows that must never show up in the first one's answers. */
async function seedOutsider(server: TestServer): Promise<SeededOrg> {
  const org = await seed(server)
    .org('Outsider Org')
    .withCompanies(3, 'Outsider Company')
    .withContacts(4, { spread: true })
    .withDeals(2, { extra: (i, o) => ({ contactIds: [o.contacts[i].id] }) });
  const api = clientFor(server, org.key);
  await api.data('mutation($input: LogCallInput!) { logCall(input: $input) { call { id } } }', {
    input: {
      direction: 'INBOUND',
      fromNumber: '+14155550999',
      toNumber: '+14155550998',
      contactId: org.contacts[0].id,
    },
  });
  const { createCampaign } = await api.data<{ createCampaign: { campaign: { id: string } } }>(
    'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
    { input: { name: 'Outsider campaign', subject: 'Outsider', fromEmail: 'outsider@outsider.test' } },
  );
  await api.data(
    'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
    { input: { campaignId: createCampaign.campaign.id, contactIds: [org.contacts[1].id] } },
  );
  await rentNumber(server, org.key, 'US', 'LOCAL', 9);
  await submittedApplication(server, org.key, 'FR', 'LOCAL');
  await registerDocuments(server, org.key, 'outsider-client', ['query O { viewer { user { id } } }']);
  return org;
}

describe('compiled reads answer exactly as graphql-js', () => {
  const schema = loadSchema();
  let a: TestServer;
  let b: TestServer;
  let main: Main;
  let outsider: SeededOrg;
  let pools: Pools;
  let foreignIds: string[];

  const keyOf = (g: Generated) => (g.key === 'admin' ? main.org.key : main.readKey);

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    // Keys stay cached: a key lookup inside a measured request would be a statement of its own.
    a = await startServer({ databaseUrl, env: { READ_PATH: 'compiled', API_KEY_CACHE_SECONDS: '300' } });
    b = await startServer({ databaseUrl, env: { READ_PATH: 'graphql', API_KEY_CACHE_SECONDS: '300' } });
    main = await seedMain(a);
    outsider = await seedOutsider(a);
    pools = { ids: new Map(), foreign: new Map(), values: new Map() };
    addToPools(schema, dataOf(await b.gql(dumpQuery(schema), {}, main.org.key)), pools, 'ids');
    addToPools(schema, dataOf(await b.gql(dumpQuery(schema), {}, outsider.key)), pools, 'foreign');
    foreignIds = [...pools.foreign.values()].flat();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it(`answers ${QUERIES} generated queries with the same status, data, errors and cost`, async () => {
    const gen = new QueryGenerator(schema, pools, SEED);
    const compiledBefore = await metric(a, READS, { path: 'compiled' });
    const mismatches: string[] = [];
    const surprises: string[] = [];
    const leaks: string[] = [];
    const counts = { valid: 0, notFound: 0, invalid: 0, withErrors: 0 };
    const texts: string[] = [];
    const depths = [0, 0, 0, 0];
    for (let i = 0; i < QUERIES; i++) {
      const g = gen.next();
      depths[g.depth]++;
      texts.push(`${g.query}\n${JSON.stringify(g.variables)}`);
      const [ra, rb] = await Promise.all([
        a.gql(g.query, g.variables, keyOf(g)),
        b.gql(g.query, g.variables, keyOf(g)),
      ]);
      const parts = differences(ra, rb);
      if (parts.length) mismatches.push(report(i, g, parts, ra, rb, ['compiled (A)', 'graphql-js (B)']));
      gen.harvest(g, rb.body.data);

      if (g.expectError === null) counts.valid++;
      else if (g.expectError === 'NOT_FOUND') counts.notFound++;
      else counts.invalid++;
      const codes = (rb.body.errors ?? []).map((e) => e.extensions?.code);
      if (codes.length) counts.withErrors++;
      // The generator's own check: valid documents, and errors exactly where they are meant to be.
      const expected =
        g.expectError === null
          ? codes.length === 0
          : g.expectError === 'NOT_FOUND'
            ? codes.length > 0 && codes.every((c) => c === 'NOT_FOUND')
            : g.expectError === 'cursor of another orderBy' // another orderBy can order the same way
              ? codes.every((c) => c === 'BAD_USER_INPUT')
              : codes.length > 0 && codes.every((c) => c === 'BAD_USER_INPUT' || c === 'FORBIDDEN');
      if (!expected) surprises.push(report(i, g, ['expectation'], rb, rb, ['B', 'B']));

      const text = JSON.stringify(ra.body.data ?? null);
      const leaked = foreignIds.filter((id) => text.includes(`"${id}"`));
      if (leaked.length || /outsider/i.test(text)) leaks.push(report(i, g, ['leak'], ra, rb, ['A', 'B']));
    }
    const compiled = (await metric(a, READS, { path: 'compiled' })) - compiledBefore;
    const summary = {
      ...counts,
      compiled,
      compiledShare: +(compiled / counts.valid).toFixed(3),
      relationDepths: depths,
      mismatches: mismatches.length,
      surprises: surprises.length,
      leaks: leaks.length,
      features: Object.fromEntries(
        Object.entries(features).map(([k, re]) => [k, texts.filter((t) => re.test(t)).length]),
      ),
    };
    console.log(`compiled reads differential test: ${JSON.stringify(summary)}`);

    if (mismatches.length) {
      const all = mismatches.map((m) => m.split('\n')[0].replace(/:$/, '')).join('\n  ');
      throw new Error(
        `${mismatches.length} of ${QUERIES} queries differ:\n  ${all}\nThe first in full:\n${mismatches[0]}`,
      );
    }
    expect(surprises.slice(0, 1)).toEqual([]);
    expect(leaks.slice(0, 1)).toEqual([]);
    // The generated mix covers both outcomes, and the compiled path answered most valid reads.
    expect(counts.valid).toBeGreaterThanOrEqual(0.75 * QUERIES);
    expect(counts.invalid).toBeGreaterThanOrEqual(10);
    expect(compiled).toBeGreaterThanOrEqual(0.8 * counts.valid);
  });

  it(`passes in verify mode on a corpus of ${VERIFY_CORPUS} generated queries`, async () => {
    const v = await startServer({ databaseUrl: a.databaseUrl, env: { READ_PATH: 'verify' } });
    try {
      const gen = new QueryGenerator(schema, pools, SEED + 1);
      const compiledBefore = await metric(v, READS, { path: 'compiled' });
      let sent = 0;
      for (let i = 0; sent < VERIFY_CORPUS && i < 100; i++) {
        const g = gen.next();
        if (g.expectError !== null) continue;
        sent++;
        const [rv, rb] = await Promise.all([
          v.gql(g.query, g.variables, keyOf(g)),
          b.gql(g.query, g.variables, keyOf(g)),
        ]);
        gen.harvest(g, rb.body.data);
        expect(rv.body.errors ?? []).toEqual([]);
        const parts = differences(rv, rb);
        if (parts.length) throw new Error(report(i, g, parts, rv, rb, ['verify', 'graphql-js (B)']));
      }
      expect(sent).toBe(VERIFY_CORPUS);
      expect((await metric(v, READS, { path: 'compiled' })) - compiledBefore).toBeGreaterThanOrEqual(
        0.8 * VERIFY_CORPUS,
      );
    } finally {
      await v.close();
    }
  });

  it('answers the dashboard query in one statement plus admission, for 5 rows per list as for 100', async () => {
    const dashboard = (n: number) => `{ companies(first: ${n}) { nodes { id name
      contacts(first: ${n}) { totalCount nodes { id firstName lastName primaryEmail } }
      deals(first: ${n}) { nodes { id name amount stage { name } } } } } }`;
    type Data = {
      companies: {
        nodes: { contacts: { totalCount: number; nodes: unknown[] }; deals: { nodes: unknown[] } }[];
      };
    };
    const key = main.org.key;
    dataOf(await a.gql(dashboard(5), {}, key)); // warm-up: key cache, plans, prepared statements
    const s0 = await a.sqlStatements();
    const few = dataOf(await a.gql<Data>(dashboard(5), {}, key));
    const s1 = await a.sqlStatements();
    const many = dataOf(await a.gql<Data>(dashboard(100), {}, key));
    const s2 = await a.sqlStatements();

    // The pages really are longer with 100: more companies, 28 live contacts and deals in the first.
    expect(few.companies.nodes).toHaveLength(5);
    expect(many.companies.nodes.length).toBeGreaterThanOrEqual(6);
    expect(many.companies.nodes[0].contacts.nodes.length).toBeGreaterThan(5);
    expect(many.companies.nodes[0].deals.nodes.length).toBeGreaterThan(5);
    const statements = { few: s1 - s0, many: s2 - s1 };
    expect(statements.many).toBe(statements.few);
    expect(statements.few).toBeGreaterThan(0);
    expect(statements.few).toBeLessThanOrEqual(2);
  });
});

import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, pkOf } from './support/graphql';
import { tenantTablesOf, tenantViolations } from '../src/platform/db/tenant-audit';
import { TenantSql } from '../src/platform/db/tenant-sql';

/**
 * Every hand-written statement the read path sends (ctx.db: lists, loaders, filters, search,
 * pipelineValue, usage) keeps each organisation-owned table it reads to the caller's
 * organisation: `<alias>.organization_id = $n`, or a link to an alias that is.
 */
describe('tenant statement audit (unit)', () => {
  const tables = new Set(['company', 'contact', 'deal', 'deal_contact', 'stage', 'deal_stage_change']);
  const audit = (text: string) => tenantViolations(text, tables);

  it('reports an unscoped table', () => {
    expect(audit('select * from contact t where t.id = $1')).toEqual(['contact t']);
    expect(audit('select id from deal_stage_change where deal_id = any($1::uuid[])')).toEqual([
      'deal_stage_change',
    ]);
  });

  it('reports a joined table that lacks the predicate', () => {
    expect(
      audit(
        'select t.id from deal t join deal_contact j on j.deal_id = t.id where t.organization_id = $1 and t.id = $2',
      ),
    ).toEqual(['deal_contact j']);
    // A link to an unscoped alias proves nothing.
    expect(
      audit(
        'select s.id from stage s join deal d on d.stage_id = s.id and d.organization_id = s.organization_id where s.pipeline_id = $1',
      ),
    ).toEqual(['stage s', 'deal d']);
  });

  it('reports an unscoped sub-select, and a predicate elsewhere does not scope it', () => {
    expect(
      audit(
        'select t.id from contact t where t.organization_id = $1 and exists (select 1 from company t1 where t1.id = t.company_id)',
      ),
    ).toEqual(['company t1']);
    // The inner `t` shadows the outer one: the outer predicate does not reach it.
    expect(
      audit(
        'select t.id from contact t where t.organization_id = $1 and exists (select 1 from deal t where t.company_id = $2)',
      ),
    ).toEqual(['deal t']);
    // A predicate inside a sub-select does not scope the outer table.
    expect(
      audit('select t.id from contact t where exists (select 1 from company c where c.organization_id = $1)'),
    ).toEqual(['contact t']);
  });

  it('accepts scoped statements', () => {
    expect(audit('select * from contact t where t.organization_id = $1 and t.id = any($2::uuid[])')).toEqual(
      [],
    );
    expect(audit('select id from deal_stage_change where organization_id = $1 and deal_id = $2')).toEqual([]);
    expect(audit('select * from contact t where $1 = t.organization_id')).toEqual([]);
    expect(audit('select * from contact t where t.organization_id = any($1::uuid[])')).toEqual([]);
    expect(
      audit(
        `select s.id, d.currency from stage s join deal d on d.stage_id = s.id and d.organization_id = s.organization_id
          where s.organization_id = $1 and s.pipeline_id = $2`,
      ),
    ).toEqual([]);
    expect(
      audit(
        `select * from (select s.*, row_number() over (partition by s.__parent order by s."createdAt" asc) as __rn from (
           select t.id as "id", j.deal_id as __parent from contact t join deal_contact j on j.contact_id = t.id
             and j.organization_id = t.organization_id where t.organization_id = $1 and exists (select 1 from company t1
             where t1.id = t.company_id and t1.organization_id = t.organization_id)) s) w where w.__rn <= 3`,
      ),
    ).toEqual([]);
  });

  it('ignores statements without tenant tables and things that only look like tables', () => {
    expect(audit('select code from plan')).toEqual([]);
    expect(audit("select 1 from unnest($1::text[]) e where e is distinct from 'contact'")).toEqual([]);
    expect(audit('select extract(epoch from t.created_at) from plan t')).toEqual([]);
    expect(audit("select 'from contact t' as x -- from deal d\n from plan")).toEqual([]);
  });
});

describe('tenant statement audit (every read statement keeps to the organisation)', () => {
  let server: TestServer;
  let a: SeededOrg;
  let b: SeededOrg;
  let api: ReturnType<typeof clientFor>;
  let tenantTables: Set<string>;
  /** The current test's statements, and what is wrong with them (the test fails on any). */
  let texts = new Set<string>();
  let problems = new Map<string, string>();
  const seeding = new Map<string, string>();
  /** Ids of A's rows, by what they are. */
  const A: Record<string, string> = {};
  /** Ids of B's rows, which A must neither see nor reach. */
  const B: Record<string, string> = {};

  /**
   * The API key look-up is the one statement scoped by the key itself: it runs before the
   * organisation is known (`api_key k … where k.hash = $1`, the hash of the secret, unique).
   */
  const isKeyLookup = (text: string, found: string[]) =>
    found.length === 1 && found[0] === 'api_key k' && /\bwhere k\.hash = \$1\b/.test(text);

  const report = (found: Map<string, string>) =>
    [...found].map(([text, problem]) => `${problem} in:\n${text}`);

  /** Organisation-owned tables a statement names after FROM or JOIN, once per occurrence. */
  const tenantTablesIn = (text: string) =>
    [...text.matchAll(/\b(?:from|join)\s+([a-z_]+)\b/gi)]
      .map((m) => m[1].toLowerCase())
      .filter((t) => tenantTables.has(t));

  /** Organisation-owned tables the current test's statements read. */
  const touched = () => new Set([...texts].flatMap(tenantTablesIn));

  /** Checks a statement before it runs; the test's assertions read `problems`. */
  function check(text: string) {
    texts.add(text);
    const found = tenantViolations(text, tenantTables);
    if (found.length && !isKeyLookup(text, found)) {
      problems.set(text, `${found.join(', ')} not kept to the organisation`);
    }
    // The audit is not blind: with every organization_id gone, it reports each occurrence.
    const blind = tenantViolations(text.replace(/\borganization_id\b/g, 'organization_key'), tenantTables);
    const occurrences = tenantTablesIn(text);
    if (blind.length !== occurrences.length) {
      problems.set(text, `the audit saw ${blind.length} of the tenant tables ${occurrences.join(', ')}`);
    }
  }

  const mutation = (name: string, inputType: string, selection: string) =>
    `mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection} } }`;

  /** Stage moves (history), campaigns with members (by ids and by filter), calls and a custom field. */
  async function populate(org: SeededOrg, into: Record<string, string>) {
    const as = clientFor(server, org.key);
    const { pipelines } = await as.data<{
      pipelines: { nodes: { id: string; stages: { id: string }[] }[] };
    }>('{ pipelines { nodes { id stages { id } } } }');
    const sales = pipelines.nodes[0];
    into.pipeline = sales.id;
    into.stage = sales.stages[1].id;
    for (const d of org.deals.filter((_, i) => i % 2 === 0)) {
      await as.data(mutation('moveDeal', 'MoveDealInput', 'deal { id }'), {
        input: { id: d.id, stageId: sales.stages[1].id },
      });
    }
    for (let i = 0; i < 2; i++) {
      const { createCampaign } = await as.data<{ createCampaign: { campaign: { id: string } } }>(
        mutation('createCampaign', 'CreateCampaignInput', 'campaign { id }'),
        { input: { name: `Campaign ${i}`, subject: 'Hello', fromEmail: 'news@example.test' } },
      );
      into.campaign = createCampaign.campaign.id;
      // By ids, then by a filter (an INSERT … SELECT over compiled relation filters).
      await as.data(mutation('addCampaignRecipients', 'AddCampaignRecipientsInput', 'added'), {
        input: { campaignId: into.campaign, contactIds: [org.contacts[i].id, org.contacts[i + 1].id] },
      });
      await as.data(mutation('addCampaignRecipients', 'AddCampaignRecipientsInput', 'added'), {
        input: {
          campaignId: into.campaign,
          filter: { company: { name: { contains: 'Co' } }, deals: { some: { amount: { gt: '0' } } } },
        },
      });
    }
    for (let i = 0; i < 4; i++) {
      const { logCall } = await as.data<{ logCall: { call: { id: string } } }>(
        mutation('logCall', 'LogCallInput', 'call { id }'),
        {
          input: {
            direction: i % 2 ? 'INBOUND' : 'OUTBOUND',
            fromNumber: '+14155550100',
            toNumber: '+14155550101',
            contactId: org.contacts[i].id,
            dealId: org.deals[i].id,
            ownerId: org.users[1].id,
            duration: 30 * i,
          },
        },
      );
      into.call = logCall.call.id;
    }
    await as.data(
      mutation(
        'createCustomFieldDefinition',
        'CreateCustomFieldDefinitionInput',
        'customFieldDefinition { id }',
      ),
      { input: { key: 'tier', label: 'Tier', objectType: 'CONTACT', type: 'TEXT' } },
    );
    into.company = org.companies[0].id;
    into.contact = org.contacts[0].id;
    into.deal = org.deals[0].id;
    into.user = org.users[1].id;
  }

  beforeAll(async () => {
    server = await startServer({ env: { API_KEY_CACHE_SECONDS: '300' } });
    tenantTables = tenantTablesOf(server.app.orm);
    server.app.sql.audit(check);
    const org = (name: string, prefix: string) =>
      seed(server)
        .org(name)
        .withUsers(2)
        .withCompanies(3, `${prefix} Co`)
        .withContacts(8, { spread: true })
        .withDeals(6, {
          extra: (i, o) => ({
            amount: `${100 * (i + 1)}.25`,
            companyId: o.companies[i % 3].id,
            contactIds: [o.contacts[i % 8].id, o.contacts[(i + 3) % 8].id],
            ownerId: o.users[1 + (i % 2)].id,
          }),
        });
    a = await org('Alpha Audit', 'Alpha');
    b = await org('Beta Audit', 'Beta');
    await populate(a, A);
    await populate(b, B);
    for (const [text, problem] of problems) seeding.set(text, problem);
    api = clientFor(server, a.key);
  });
  beforeEach(() => {
    texts = new Set();
    problems = new Map();
  });
  afterAll(async () => {
    server.app.sql.audit(null);
    await server.close();
  });

  it('derives the organisation-owned tables from the entities', () => {
    expect([...tenantTables].sort()).toEqual(
      [
        'active_subscription',
        'api_key',
        'app_user',
        'billing_event',
        'billing_subscription',
        'call',
        'campaign',
        'campaign_member',
        'company',
        'compliance_application',
        'compliance_document',
        'contact',
        'custom_field_definition',
        'deal',
        'deal_contact',
        'deal_stage_change',
        'email_event',
        'email_outbox',
        'email_settings',
        'email_restriction',
        'email_suppression',
        'invoice',
        'persisted_document',
        'phone_number',
        'pipeline',
        'sending_domain',
        'stage',
        'usage_bucket',
        'usage_counter',
      ].sort(),
    );
    expect(tenantTables.has('organization')).toBe(false);
    expect(tenantTables.has('plan')).toBe(false);
  });

  it('the writes that seeded both organisations sent only scoped statements', () => {
    expect(report(seeding)).toEqual([]);
  });

  it('root lists with their to-one relations, orderBy and totalCount', async () => {
    const data = await api.data<Record<string, { totalCount: number }>>(`{
      companies(first: 10, orderBy: [{ field: NAME, direction: DESC }]) { totalCount nodes { id name owner { email } } }
      contacts(first: 10, orderBy: [{ field: LAST_NAME, direction: DESC, nulls: FIRST }, { field: CREATED_AT }]) {
        totalCount nodes { id name company { name owner { email } } owner { email } } }
      deals(first: 10, orderBy: [{ field: AMOUNT, direction: DESC }]) {
        totalCount nodes { id name amount company { name } stage { name pipeline { name } } pipeline { name } owner { email } } }
      pipelines(first: 10) { totalCount nodes { id name stages { id name position } } }
      campaigns(first: 10, orderBy: [{ field: NAME }]) { totalCount nodes { id name stats { recipients pending } } }
      calls(first: 10, orderBy: [{ field: DURATION, direction: DESC }]) {
        totalCount nodes { id direction contact { name } deal { name } owner { email } } }
      users(first: 10, orderBy: [{ field: EMAIL }]) { totalCount nodes { id email name } }
      includingDeleted: deals(first: 10, includeDeleted: true) { totalCount }
    }`);
    expect(data.companies.totalCount).toBe(3);
    expect(data.contacts.totalCount).toBe(8);
    expect(data.deals.totalCount).toBe(6);
    expect(data.calls.totalCount).toBe(4);
    expect(data.users.totalCount).toBe(3);
    expect(report(problems)).toEqual([]);
    expect([...touched()]).toEqual(
      expect.arrayContaining([
        'company',
        'contact',
        'deal',
        'pipeline',
        'stage',
        'campaign',
        'campaign_member',
      ]),
    );
    expect([...touched()]).toEqual(expect.arrayContaining(['call', 'app_user']));
  });

  it('nested connections: company { contacts deals }, contact { deals calls campaignMemberships }, deal { contacts stage pipeline stageHistory }', async () => {
    await api.data(`{
      companies(first: 10) { nodes { name
        contacts(first: 3, orderBy: [{ field: FIRST_NAME }]) { totalCount pageInfo { hasNextPage endCursor } nodes { name } }
        deals(first: 3) { totalCount nodes { name stage { name } } } } }
      contacts(first: 10) { nodes { name
        deals(first: 5) { totalCount nodes { name } }
        calls(first: 5) { totalCount nodes { direction deal { name } } }
        campaignMemberships(first: 5) { totalCount nodes { status email campaign { name } contact { name } } } } }
      deals(first: 10) { nodes { name
        contacts(first: 5) { totalCount edges { cursor node { name company { name } } } }
        calls(first: 5) { totalCount nodes { id } }
        stage { name deals(first: 2) { totalCount nodes { name } } }
        pipeline { name stages { name } deals(first: 2) { totalCount nodes { name } } }
        stageHistory { fromStageName toStageName fromStage { name } toStage { name } changedBy { email } } } }
      campaigns(first: 10) { nodes { name members(first: 5, orderBy: [{ field: EMAIL }]) {
        totalCount nodes { email status contact { name company { name } } campaign { name } } } } }
    }`);
    expect(report(problems)).toEqual([]);
    expect([...touched()]).toEqual(
      expect.arrayContaining(['deal_contact', 'deal_stage_change', 'call', 'campaign_member', 'stage']),
    );
  });

  it('filters, relation filters included (company, deals some/none/every, contacts every, members, calls)', async () => {
    const data = await api.data<Record<string, { totalCount: number }>>(
      `query($b: ID!, $user: ID!) {
        byCompany: contacts(filter: { company: { name: { startsWith: "Alpha" } } }) { totalCount nodes { name } }
        withDeals: companies(filter: { deals: { some: { amount: { gt: "150" }, stage: { kind: { eq: OPEN } } } } }) { totalCount }
        withoutDeals: companies(filter: { deals: { none: { amount: { gt: "100000" } } } }) { totalCount }
        everyDeal: companies(filter: { deals: { every: { contacts: { some: { lastName: { startsWith: "Last" } } } } } }) { totalCount }
        everyContact: deals(filter: { contacts: { every: { lastName: { startsWith: "Last" } } } }) { totalCount nodes { name } }
        deep: deals(filter: { or: [{ company: { deals: { some: { calls: { some: { duration: { gte: 0 } } } } } } },
          { not: { stage: { name: { eq: "Won" } } } }], ownerId: { neq: $user } }) { totalCount }
        contactRelations: contacts(filter: { deals: { some: { company: { name: { contains: "Co" } } } },
          calls: { some: { direction: { eq: OUTBOUND } } }, campaignMemberships: { some: { status: { eq: PENDING } } } }) { totalCount }
        members: campaigns(filter: { members: { some: { contact: { deals: { some: { amount: { gte: "0" } } } } } } }) {
          totalCount nodes { members(filter: { contact: { company: { name: { contains: "Co" } } } }) { totalCount } } }
        calls(filter: { contact: { company: { name: { contains: "Co" } } }, deal: { contacts: { some: { firstName: { startsWith: "F" } } } } }) { totalCount }
        byOwner: companies(filter: { owner: { email: { contains: "@" } } }) { totalCount }
        users(filter: { or: [{ email: { contains: "user" } }, { role: { eq: ADMIN } }] }) { totalCount }
        foreign: companies(filter: { id: { eq: $b } }) { totalCount }
        nested: companies(first: 3) { nodes { contacts(filter: { deals: { some: { name: { startsWith: "Deal" } } } }) { totalCount }
          deals(filter: { contacts: { none: { firstName: { eq: "nobody" } } } }) { totalCount } } }
      }`,
      { b: b.companies[0].id, user: a.users[0].id },
    );
    expect(data.byCompany.totalCount).toBe(8);
    expect(data.foreign.totalCount).toBe(0);
    expect(report(problems)).toEqual([]);
    expect([...touched()]).toEqual(
      expect.arrayContaining([
        'company',
        'contact',
        'deal',
        'deal_contact',
        'stage',
        'call',
        'campaign_member',
      ]),
    );
  });

  it('paging with after and before cursors, on root lists and nested connections', async () => {
    type Page = {
      totalCount: number;
      pageInfo: { endCursor: string | null; startCursor: string | null };
      nodes: { id: string }[];
    };
    const page = `totalCount pageInfo { endCursor startCursor hasNextPage hasPreviousPage } nodes { id }`;
    for (const list of ['companies', 'contacts', 'deals', 'campaigns', 'calls', 'users', 'pipelines']) {
      const first = await api.data<Record<string, Page>>(`{ ${list}(first: 2) { ${page} } }`);
      const after = first[list].pageInfo.endCursor;
      const next = await api.data<Record<string, Page>>(
        `query($after: String) { ${list}(first: 2, after: $after) { ${page} } }`,
        { after },
      );
      const before = next[list].pageInfo.startCursor ?? after;
      await api.data(`query($before: String) { ${list}(last: 2, before: $before) { ${page} } }`, { before });
    }
    // Nested: a page after the last child leaves no rows, so totalCount is counted on its own
    // (through a column: company contacts; through a join table: deal contacts).
    const { company } = await api.data<{ company: { contacts: { pageInfo: { endCursor: string } } } }>(
      `query($id: ID!) { company(id: $id) { contacts(first: 10) { pageInfo { endCursor } } } }`,
      { id: A.company },
    );
    await api.data(
      `query($id: ID!, $after: String) { company(id: $id) { contacts(first: 5, after: $after) { totalCount nodes { id } } } }`,
      { id: A.company, after: company.contacts.pageInfo.endCursor },
    );
    const { deal } = await api.data<{ deal: { contacts: { pageInfo: { endCursor: string } } } }>(
      `query($id: ID!) { deal(id: $id) { contacts(first: 10) { pageInfo { endCursor } } } }`,
      { id: A.deal },
    );
    await api.data(
      `query($id: ID!, $after: String) {
        deal(id: $id) { contacts(first: 5, after: $after) { totalCount nodes { id } } }
        deals(first: 5) { nodes { contacts(last: 1, before: $after) { totalCount nodes { id } } } } }`,
      { id: A.deal, after: deal.contacts.pageInfo.endCursor },
    );
    expect(report(problems)).toEqual([]);
    expect([...touched()]).toEqual(expect.arrayContaining(['company', 'contact', 'deal', 'deal_contact']));
  });

  it('node, nodes, single records, search, pipelineValue, usage, viewer', async () => {
    const mine = [A.company, A.contact, A.deal, A.pipeline, A.stage, A.campaign, A.call, A.user];
    const theirs = [B.company, B.contact, B.deal, B.pipeline, B.stage, B.campaign, B.call, B.user];
    const data = await api.data<{ nodes: ({ id: string } | null)[]; theirs: unknown[] }>(
      `query($mine: [ID!]!, $theirs: [ID!]!, $company: ID!, $contact: ID!, $deal: ID!, $pipeline: ID!, $campaign: ID!, $call: ID!, $user: ID!) {
        node(id: $company) { id ... on Company { name contacts { totalCount } } }
        nodes(ids: $mine) { id ... on Deal { name stage { name } } ... on Contact { name deals { totalCount } } }
        theirs: nodes(ids: $theirs) { id }
        company(id: $company) { name }
        contact(id: $contact) { name company { name } }
        deal(id: $deal) { name contacts { totalCount } stageHistory { toStageName } }
        pipeline(id: $pipeline) { name stages { name } }
        campaign(id: $campaign) { name stats { recipients } members { totalCount } }
        call(id: $call) { direction contact { name } }
        user(id: $user) { email }
        search(text: "a") { __typename ... on Company { name } ... on Contact { name } ... on Deal { name } }
        companies: search(text: "alpha", types: [COMPANY], first: 5) { __typename }
        pipelineValue(pipelineId: $pipeline) { pipeline { name } byStage { stage { name } currency dealCount totalAmount weightedAmount } totals { currency totalAmount } }
        usage { plan { code } dimensions { dimension used limit remaining } throttleStatus { currentlyAvailable maximumAvailable } }
        subscription { status plan { code } pendingPlan { code } invoices { amount } events { kind refundAmount } }
        viewer { organization { name } user { email } apiKey { name } }
        apiKeys { name }
        customFieldDefinitions { key }
      }`,
      {
        mine,
        theirs,
        company: A.company,
        contact: A.contact,
        deal: A.deal,
        pipeline: A.pipeline,
        campaign: A.campaign,
        call: A.call,
        user: A.user,
      },
    );
    expect(data.nodes.every((n) => n !== null)).toBe(true);
    // B's ids resolve to nothing for A.
    expect(data.theirs).toEqual(theirs.map(() => null));
    expect(report(problems)).toEqual([]);
    expect([...touched()]).toEqual(
      expect.arrayContaining([
        'company',
        'contact',
        'deal',
        'stage',
        'usage_counter',
        'usage_bucket',
        'billing_subscription',
        'invoice',
        'billing_event',
      ]),
    );
  });

  it('binds $1 of every request statement to the caller: the same text reads only its own rows', async () => {
    const count = 'select count(*)::int as n from contact t where t.organization_id = $1';
    const [ownA] = await new TenantSql(server.app.sql, pkOf(a.organizationId)).query<{ n: number }>(count);
    const [ownB] = await new TenantSql(server.app.sql, pkOf(b.organizationId)).query<{ n: number }>(count);
    const [all] = await server.db('select count(*)::int as n from contact where organization_id = any($1)', [
      [pkOf(a.organizationId), pkOf(b.organizationId)],
    ]);
    expect(ownA.n).toBeGreaterThan(0);
    expect(ownA.n + ownB.n).toBe(all.n);
    await expect(new TenantSql(server.app.sql, null).query(count)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});

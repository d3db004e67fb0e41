import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, dataOf, errorOf, globalIdOf, pkOf } from './support/graphql';

interface BulkResult {
  index: number;
  status: 'CREATED' | 'UPDATED' | 'FAILED';
  contact: { id: string; primaryEmail: string | null } | null;
  error: { code: string; message: string; field: string | null } | null;
}
interface BulkPayload {
  createdCount: number;
  updatedCount: number;
  failedCount: number;
  processed: number;
  remaining: number;
  resumeCursor: string | null;
  results: BulkResult[];
}

const BULK = `createdCount updatedCount failedCount processed remaining resumeCursor
  results { index status contact { id primaryEmail } error { code message field } }`;

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('bulk create/upsert and merge of contacts', () => {
  let server: TestServer;
  let org: SeededOrg;
  let api: ReturnType<typeof clientFor>;

  const orgPk = () => pkOf(org.organizationId);
  const contactRows = () =>
    server.db(
      `select id, first_name, last_name, emails, phones, job_title, lifecycle_stage, tags, company_id, owner_id,
              custom_fields, email_status, created_at, deleted_at
         from contact where organization_id = $1 order by id`,
      [orgPk()],
    );
  const bulk = (mutation: 'createContacts' | 'upsertContacts', contacts: Record<string, unknown>[]) =>
    api.call<Record<string, BulkPayload>>(
      `mutation($input: ${mutation === 'createContacts' ? 'CreateContactsInput' : 'UpsertContactsInput'}!) {
        ${mutation}(input: $input) { ${BULK} } }`,
      { input: { contacts } },
    );

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server)
      .org('Bulk Co')

      .withCompanies(1)
      .withContacts(40, {
        extra: (i, o) => ({
          jobTitle: `Title ${i}`,
          tags: ['seeded'],
          lifecycleStage: 'LEAD',
          companyId: o.companies[0].id,
        }),
      });
    api = clientFor(server, org.key);
    await api.data(
      `mutation { createCustomFieldDefinition(input: {
        objectType: CONTACT, key: "score", label: "Score", type: NUMBER }) { customFieldDefinition { id } } }`,
    );
  });
  afterAll(() => server.close());

  describe('upsertContacts: 40 matches, 55 new and 5 invalid items in one call', () => {
    type Kind = { kind: 'match'; m: number } | { kind: 'new'; n: number } | { kind: 'invalid'; what: string };
    const INVALID: Record<number, string> = {
      7: 'bad email',
      23: 'bad phone',
      51: 'unknown custom field',
      77: 'missing identity',
      98: 'duplicate email',
    };
    // Which item sits where: matches on even positions until all 40 are placed, new ones elsewhere.
    const plan: Kind[] = [];
    for (let p = 0, m = 0, n = 0; p < 100; p++) {
      if (INVALID[p]) plan.push({ kind: 'invalid', what: INVALID[p] });
      else if ((p % 2 === 0 && m < 40) || n >= 55) plan.push({ kind: 'match', m: m++ });
      else plan.push({ kind: 'new', n: n++ });
    }
    const firstNew = plan.findIndex((k) => k.kind === 'new');
    /** The matched seeded address in another letter case for two thirds of the items. */
    const matchEmail = (m: number) => [`C${m}@BULKCO.TEST`, `C${m}@BulkCo.Test`, `c${m}@bulkco.test`][m % 3];
    const item = (k: Kind): Record<string, unknown> => {
      if (k.kind === 'match') {
        return {
          firstName: `Updated${k.m}`,
          emails: [matchEmail(k.m), `extra${k.m}@bulkco.test`],
          phones: [`+1415555${1000 + k.m}`],
          customFields: { score: k.m },
        };
      }
      if (k.kind === 'new')
        return { firstName: `New${k.n}`, lastName: 'Person', emails: [`new${k.n}@bulkco.test`] };
      switch (k.what) {
        case 'bad email':
          return { firstName: 'Bad', emails: ['not-an-email'] };
        case 'bad phone':
          return { firstName: 'Bad', emails: ['badphone@bulkco.test'], phones: ['12345'] };
        case 'unknown custom field':
          return { firstName: 'Bad', emails: ['badfield@bulkco.test'], customFields: { nope: 1 } };
        case 'missing identity':
          return { firstName: 'Nameless' };
        default:
          return { firstName: 'Again', emails: ['NEW0@bulkco.test'] };
      }
    };
    const EXPECTED_ERRORS: Record<number, { code: string; field: string }> = {
      7: { code: 'BAD_USER_INPUT', field: 'input.contacts[7].emails[0]' },
      23: { code: 'BAD_USER_INPUT', field: 'input.contacts[23].phones[0]' },
      51: { code: 'BAD_USER_INPUT', field: 'input.contacts[51].customFields.nope' },
      77: { code: 'BAD_USER_INPUT', field: 'input.contacts[77].emails' },
      98: { code: 'CONFLICT', field: 'input.contacts[98].emails[0]' },
    };

    let before: Record<string, unknown>[];
    let companiesBefore: Record<string, unknown>[];
    let payload: BulkPayload;

    beforeAll(async () => {
      before = await contactRows();
      companiesBefore = await server.db('select * from company where organization_id = $1 order by id', [
        orgPk(),
      ]);
      expect(before).toHaveLength(40);
      expect(plan.filter((k) => k.kind === 'match')).toHaveLength(40);
      expect(plan.filter((k) => k.kind === 'new')).toHaveLength(55);
      expect(plan[firstNew]).toEqual({ kind: 'new', n: 0 });
      payload = dataOf(await bulk('upsertContacts', plan.map(item))).upsertContacts;
    });

    it('reports 55 created, 40 updated and 5 failed, with nothing left over', () => {
      expect(payload).toMatchObject({
        createdCount: 55,
        updatedCount: 40,
        failedCount: 5,
        processed: 100,
        remaining: 0,
        resumeCursor: null,
      });
    });

    it('returns one result per item, in input order, with the status each item earned', () => {
      expect(payload.results.map((r) => r.index)).toEqual(plan.map((_, i) => i));
      expect(payload.results.map((r) => r.status)).toEqual(
        plan.map((k) => ({ match: 'UPDATED', new: 'CREATED', invalid: 'FAILED' })[k.kind]),
      );
    });

    it('updated items name the existing contact their email matched, whatever its letter case', () => {
      plan.forEach((k, i) => {
        if (k.kind !== 'match') return;
        expect(payload.results[i]).toEqual({
          index: i,
          status: 'UPDATED',
          contact: { id: org.contacts[k.m].id, primaryEmail: `c${k.m}@bulkco.test` },
          error: null,
        });
      });
    });

    it('created items return their new contact', () => {
      plan.forEach((k, i) => {
        if (k.kind !== 'new') return;
        expect(payload.results[i]).toEqual({
          index: i,
          status: 'CREATED',
          contact: { id: expect.any(String), primaryEmail: `new${k.n}@bulkco.test` },
          error: null,
        });
      });
    });

    it.each(Object.entries(INVALID))(
      'item %s (%s) failed with a code, a message and the field at fault',
      (i) => {
        const r = payload.results[Number(i)];
        expect(r).toMatchObject({
          index: Number(i),
          status: 'FAILED',
          contact: null,
          error: EXPECTED_ERRORS[Number(i)],
        });
        expect(r.error?.message).toContain(EXPECTED_ERRORS[Number(i)].field);
      },
    );

    it('the duplicate email names the earlier item it repeats', () => {
      expect(payload.results[98].error?.message).toContain(`input.contacts[${firstNew}]`);
    });

    it('leaves exactly 95 contacts: the 40 updated and the 55 created', async () => {
      const rows = await contactRows();
      expect(rows).toHaveLength(95);
      expect(rows.filter((r) => r.deleted_at !== null)).toEqual([]);
      const created = rows.filter((r) => !before.some((b) => b.id === r.id));
      expect(created.map((r) => (r.emails as string[])[0]).sort()).toEqual(
        Array.from({ length: 55 }, (_, n) => `new${n}@bulkco.test`).sort(),
      );
      expect(created.every((r) => r.last_name === 'Person' && /^New\d+$/.test(String(r.first_name)))).toBe(
        true,
      );
    });

    it('updated contacts got the given fields and kept every other one', async () => {
      const rows = new Map((await contactRows()).map((r) => [r.id, r]));
      for (const old of before) {
        const m = org.contacts.findIndex((c) => pkOf(c.id) === old.id);
        expect(rows.get(old.id)).toEqual({
          ...old,
          first_name: `Updated${m}`,
          emails: [`c${m}@bulkco.test`, `extra${m}@bulkco.test`],
          phones: [`+1415555${1000 + m}`],
          custom_fields: { score: m },
        });
      }
    });

    it('wrote nothing for the failed items and changed no other table', async () => {
      const emails = (await contactRows()).flatMap((r) => r.emails as string[]);
      for (const e of ['not-an-email', 'badphone@bulkco.test', 'badfield@bulkco.test'])
        expect(emails).not.toContain(e);
      expect(emails.filter((e) => e === 'new0@bulkco.test')).toHaveLength(1);
      expect(
        await server.db('select 1 from contact where organization_id = $1 and first_name in ($2, $3, $4)', [
          orgPk(),
          'Nameless',
          'Bad',
          'Again',
        ]),
      ).toEqual([]);
      expect(
        await server.db('select * from company where organization_id = $1 order by id', [orgPk()]),
      ).toEqual(companiesBefore);
    });

    it('a second identical call updates the same 95 contacts instead of creating any', async () => {
      const again = dataOf(await bulk('upsertContacts', plan.map(item))).upsertContacts;
      expect(again).toMatchObject({ createdCount: 0, updatedCount: 95, failedCount: 5 });
      expect(await contactRows()).toHaveLength(95);
    });
  });

  it('an upsert item that matches a contact but fails validation leaves that contact untouched', async () => {
    const [before] = await server.db('select * from contact where id = $1', [pkOf(org.contacts[5].id)]);
    const p = dataOf(
      await bulk('upsertContacts', [
        {
          firstName: 'Changed',
          emails: ['C5@bulkco.test'],
          tags: ['changed'],
          phones: ['+14155550000', '12'],
        },
      ]),
    ).upsertContacts;
    expect(p).toMatchObject({ createdCount: 0, updatedCount: 0, failedCount: 1 });
    expect(p.results[0].error).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.contacts[0].phones[1]',
    });
    expect(await server.db('select * from contact where id = $1', [pkOf(org.contacts[5].id)])).toEqual([
      before,
    ]);
  });

  it('an upsert item matches a contact by any of its addresses, adding none twice', async () => {
    // After the 100-item call, contact 3 holds c3@ and extra3@.
    const p = dataOf(
      await bulk('upsertContacts', [
        { emails: ['EXTRA3@bulkco.test', 'c3@bulkco.test'], jobTitle: 'Via second' },
      ]),
    ).upsertContacts;
    expect(p.results[0]).toMatchObject({ status: 'UPDATED', contact: { id: org.contacts[3].id } });
    const [row] = await server.db('select emails, job_title from contact where id = $1', [
      pkOf(org.contacts[3].id),
    ]);
    expect(row).toEqual({ emails: ['c3@bulkco.test', 'extra3@bulkco.test'], job_title: 'Via second' });
  });

  it('an upsert item whose email only a deleted contact has creates a new contact', async () => {
    const { createContact } = await api.data<{ createContact: { contact: { id: string } } }>(
      'mutation { createContact(input: { firstName: "Old", emails: ["deleted@bulkco.test"] }) { contact { id } } }',
    );
    const gone = createContact.contact.id;
    await api.data('mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }', {
      id: gone,
    });
    const [before] = await server.db('select * from contact where id = $1', [pkOf(gone)]);
    const p = dataOf(
      await bulk('upsertContacts', [{ firstName: 'New', emails: ['Deleted@bulkco.test'] }]),
    ).upsertContacts;
    expect(p.results[0].status).toBe('CREATED');
    expect(p.results[0].contact?.id).not.toBe(gone);
    expect(await server.db('select * from contact where id = $1', [pkOf(gone)])).toEqual([before]);
  });

  describe('createContacts', () => {
    it('creates the valid items and reports each invalid one, in input order', async () => {
      const count = (await contactRows()).length;
      const res = await bulk('createContacts', [
        { firstName: 'Valid', lastName: 'One', emails: ['valid1@bulkco.test'] },
        { firstName: 'Broken', emails: ['nope'] },
        { lastName: 'Two' },
        {},
        { firstName: 'Three', companyId: globalIdOf('Company', UNKNOWN) },
        { firstName: 'Four', tags: ['ok'] },
      ]);
      const p = dataOf(res).createContacts;
      expect(p).toMatchObject({ createdCount: 3, updatedCount: 0, failedCount: 3 });
      expect(
        p.results.map((r) => [r.index, r.status, r.error?.code ?? null, r.error?.field ?? null]),
      ).toEqual([
        [0, 'CREATED', null, null],
        [1, 'FAILED', 'BAD_USER_INPUT', 'input.contacts[1].emails[0]'],
        [2, 'CREATED', null, null],
        [3, 'FAILED', 'BAD_USER_INPUT', 'input.contacts[3]'],
        [4, 'FAILED', 'BAD_USER_INPUT', 'input.contacts[4].companyId'],
        [5, 'CREATED', null, null],
      ]);
      const rows = await contactRows();
      expect(rows).toHaveLength(count + 3);
      const ids = p.results.flatMap((r) => (r.contact ? [pkOf(r.contact.id)] : []));
      expect(
        rows.filter((r) => ids.includes(r.id as string)).map((r) => [r.first_name, r.last_name, r.tags]),
      ).toEqual(
        expect.arrayContaining([
          ['Valid', 'One', []],
          [null, 'Two', []],
          ['Four', null, ['ok']],
        ]),
      );
    });

    it('createContacts never matches existing emails: it creates a second contact', async () => {
      const count = (await contactRows()).length;
      const p = dataOf(await bulk('createContacts', [{ emails: ['c0@bulkco.test'] }])).createContacts;
      expect(p).toMatchObject({ createdCount: 1, updatedCount: 0 });
      expect(await contactRows()).toHaveLength(count + 1);
    });

    it.each(['createContacts', 'upsertContacts'] as const)(
      '%s with more than 1000 items is BAD_USER_INPUT and writes nothing',
      async (mutation) => {
        const count = (await contactRows()).length;
        const items = Array.from({ length: 1001 }, (_, i) => ({ emails: [`many${i}@bulkco.test`] }));
        const res = await bulk(mutation, items);
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contacts' });
        expect(await contactRows()).toHaveLength(count);
      },
    );
  });

  describe('mergeContacts', () => {
    interface Fixture {
      primary: string;
      dup1: string;
      dup2: string;
      other: string;
      dealShared: string;
      dealDup1: string;
      dealDup2: string;
      calls: string[];
      springCampaign: string;
      summerCampaign: string;
    }
    let tag = 0;

    const createContact = async (input: Record<string, unknown>) =>
      (
        await api.data<{ createContact: { contact: { id: string } } }>(
          'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }',
          { input },
        )
      ).createContact.contact.id;

    /** A primary and two duplicates with deals (one shared), calls, campaign memberships (one campaign shared). */
    async function fixture(): Promise<Fixture> {
      const t = ++tag;
      const primary = await createContact({
        firstName: 'Primary',
        emails: [`p${t}@merge.test`],
        phones: ['+14155550001'],
        tags: ['a', 'b'],
      });
      const dup1 = await createContact({
        firstName: 'Duplicate',
        lastName: 'One',
        jobTitle: 'CTO',
        emails: [`d1-${t}@merge.test`, `shared${t}@merge.test`],
        phones: ['+14155550002'],
        tags: ['b', 'c'],
      });
      const dup2 = await createContact({
        firstName: 'Duplicate',
        lastName: 'Two',
        emails: [`d2-${t}@merge.test`, `P${t}@Merge.test`],
        tags: ['d'],
      });
      const other = await createContact({ firstName: 'Bystander', emails: [`other${t}@merge.test`] });
      const deal = async (name: string, contactIds: string[]) =>
        (
          await api.data<{ createDeal: { deal: { id: string } } }>(
            'mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id } } }',
            { input: { name, contactIds } },
          )
        ).createDeal.deal.id;
      const dealShared = await deal(`Shared ${t}`, [primary, dup1]);
      const dealDup1 = await deal(`Dup1 ${t}`, [dup1]);
      const dealDup2 = await deal(`Dup2 ${t}`, [dup2, other]);
      const calls: string[] = [];
      for (const contactId of [primary, dup1, dup2, dup2]) {
        const { logCall } = await api.data<{ logCall: { call: { id: string } } }>(
          'mutation($input: LogCallInput!) { logCall(input: $input) { call { id } } }',
          {
            input: { direction: 'OUTBOUND', fromNumber: '+14155550100', toNumber: '+14155550101', contactId },
          },
        );
        calls.push(logCall.call.id);
      }
      const campaign = async (name: string, contactIds: string[]) => {
        const { createCampaign } = await api.data<{ createCampaign: { campaign: { id: string } } }>(
          'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
          { input: { name, subject: 'Hi', fromEmail: 'news@merge.test' } },
        );
        await api.data(
          'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
          { input: { campaignId: createCampaign.campaign.id, contactIds } },
        );
        return createCampaign.campaign.id;
      };
      const springCampaign = await campaign(`Spring ${t}`, [primary, dup1]);
      const summerCampaign = await campaign(`Summer ${t}`, [dup2]);
      return {
        primary,
        dup1,
        dup2,
        other,
        dealShared,
        dealDup1,
        dealDup2,
        calls,
        springCampaign,
        summerCampaign,
      };
    }

    const merge = (primaryId: string, duplicateIds: string[]) =>
      api.call<{
        mergeContacts: {
          mergedContactIds: string[];
          contact: {
            id: string;
            firstName: string;
            lastName: string | null;
            jobTitle: string | null;
            emails: string[];
            phones: string[];
            tags: string[];
          };
        };
      }>(
        `mutation($input: MergeContactsInput!) { mergeContacts(input: $input) {
          mergedContactIds contact { id firstName lastName jobTitle emails phones tags } } }`,
        { input: { primaryId, duplicateIds } },
      );
    /** Every row linking contacts to deals, calls and campaigns in the organisation. */
    const links = async () => ({
      dealContact: await server.db(
        'select id, deal_id, contact_id from deal_contact where organization_id = $1 order by id',
        [orgPk()],
      ),
      call: await server.db('select id, contact_id from call where organization_id = $1 order by id', [
        orgPk(),
      ]),
      campaignMember: await server.db(
        'select id, campaign_id, contact_id, status from campaign_member where organization_id = $1 order by id',
        [orgPk()],
      ),
    });
    const idsOf = (rows: Record<string, unknown>[]) => rows.map((r) => r.id);

    it('unites tags, emails and phones on the primary and names the merged contacts', async () => {
      const f = await fixture();
      const res = await merge(f.primary, [f.dup1, f.dup2]);
      const { contact, mergedContactIds } = dataOf(res).mergeContacts;
      const t = tag;
      expect(mergedContactIds.sort()).toEqual([f.dup1, f.dup2].sort());
      expect(contact.id).toBe(f.primary);
      expect(contact.emails).toEqual([
        `p${t}@merge.test`,
        `d1-${t}@merge.test`,
        `shared${t}@merge.test`,
        `d2-${t}@merge.test`,
      ]);
      expect(contact.phones.sort()).toEqual(['+14155550001', '+14155550002']);
      expect(contact.tags.sort()).toEqual(['a', 'b', 'c', 'd']);
      const [row] = await server.db('select emails, phones, tags from contact where id = $1', [
        pkOf(f.primary),
      ]);
      expect(row).toEqual({ emails: contact.emails, phones: contact.phones, tags: contact.tags });
    });

    it("keeps the primary's own fields, filling only its empty ones from the duplicates", async () => {
      const f = await fixture();
      const { contact } = dataOf(await merge(f.primary, [f.dup1, f.dup2])).mergeContacts;
      expect(contact).toMatchObject({ firstName: 'Primary', lastName: 'One', jobTitle: 'CTO' });
    });

    it('loses no deal link, call or campaign membership', async () => {
      const f = await fixture();
      const before = await links();
      dataOf(await merge(f.primary, [f.dup1, f.dup2]));
      const after = await links();
      expect(idsOf(after.dealContact)).toEqual(idsOf(before.dealContact));
      expect(idsOf(after.call)).toEqual(idsOf(before.call));
      expect(idsOf(after.campaignMember)).toEqual(idsOf(before.campaignMember));
      // Delivery history travels with the membership.
      expect(after.campaignMember.map((m) => m.status)).toEqual(before.campaignMember.map((m) => m.status));
    });

    it("moves the duplicates' calls to the primary", async () => {
      const f = await fixture();
      dataOf(await merge(f.primary, [f.dup1, f.dup2]));
      const rows = await server.db('select contact_id from call where id = any($1::uuid[])', [
        f.calls.map(pkOf),
      ]);
      expect(rows.map((r) => r.contact_id)).toEqual(new Array(4).fill(pkOf(f.primary)));
    });

    it('the primary shows every moved deal, call and campaign membership', async () => {
      const f = await fixture();
      dataOf(await merge(f.primary, [f.dup1, f.dup2]));
      const data = await api.data<{
        contact: {
          deals: { totalCount: number; nodes: { id: string }[] };
          calls: { totalCount: number; nodes: { id: string }[] };
          campaignMemberships: { totalCount: number; nodes: { campaign: { id: string } }[] };
        };
      }>(
        `query($id: ID!) { contact(id: $id) {
          deals { totalCount nodes { id } }
          calls { totalCount nodes { id } }
          campaignMemberships { totalCount nodes { campaign { id } } } } }`,
        { id: f.primary },
      );
      expect(data.contact.deals.nodes.map((d) => d.id).sort()).toEqual(
        [f.dealShared, f.dealDup1, f.dealDup2].sort(),
      );
      expect(data.contact.deals.totalCount).toBe(3);
      expect(data.contact.calls.nodes.map((c) => c.id).sort()).toEqual([...f.calls].sort());
      expect(data.contact.calls.totalCount).toBe(4);
      expect(data.contact.campaignMemberships.nodes.map((m) => m.campaign.id).sort()).toEqual(
        [f.springCampaign, f.summerCampaign].sort(),
      );
      expect(data.contact.campaignMemberships.totalCount).toBe(2);
    });

    it("a deal's contacts show the primary in place of the duplicates, and no one twice", async () => {
      const f = await fixture();
      dataOf(await merge(f.primary, [f.dup1, f.dup2]));
      const data = await api.data<{
        a: { contacts: { nodes: { id: string }[] } };
        b: { contacts: { nodes: { id: string }[] } };
      }>(
        `query($a: ID!, $b: ID!) { a: deal(id: $a) { contacts { nodes { id } } } b: deal(id: $b) { contacts { nodes { id } } } }`,
        { a: f.dealShared, b: f.dealDup2 },
      );
      expect(data.a.contacts.nodes).toEqual([{ id: f.primary }]);
      expect(data.b.contacts.nodes.map((c) => c.id).sort()).toEqual([f.primary, f.other].sort());
    });

    it('soft-deletes the duplicates: gone from contacts, still readable with deletedAt', async () => {
      const f = await fixture();
      dataOf(await merge(f.primary, [f.dup1, f.dup2]));
      const rows = await server.db(
        'select id, deleted_at from contact where id = any($1::uuid[]) order by id',
        [[f.primary, f.dup1, f.dup2].map(pkOf)],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, r.deleted_at === null]))).toEqual({
        [pkOf(f.primary)]: true,
        [pkOf(f.dup1)]: false,
        [pkOf(f.dup2)]: false,
      });
      const { contacts } = await api.data<{ contacts: { nodes: { id: string }[] } }>(
        'query($ids: [ID!]) { contacts(first: 100, filter: { id: { in: $ids } }) { nodes { id } } }',
        { ids: [f.primary, f.dup1, f.dup2] },
      );
      expect(contacts.nodes).toEqual([{ id: f.primary }]);
      const { contact } = await api.data<{ contact: { deletedAt: string | null } }>(
        'query($id: ID!) { contact(id: $id) { deletedAt } }',
        { id: f.dup1 },
      );
      expect(contact.deletedAt).not.toBeNull();
    });

    it('a duplicate that unsubscribed, bounced or complained leaves the merged contact not subscribed', async () => {
      const f = await fixture();
      await server.db("update contact set email_status = 'UNSUBSCRIBED' where id = $1", [pkOf(f.dup2)]);
      const res = await api.call<{ mergeContacts: { contact: { emailStatus: string; emails: string[] } } }>(
        `mutation($input: MergeContactsInput!) { mergeContacts(input: $input) { contact { emailStatus emails } } }`,
        { input: { primaryId: f.primary, duplicateIds: [f.dup1, f.dup2] } },
      );
      const { contact } = dataOf(res).mergeContacts;
      // The unsubscribed address now belongs to the primary: it must not start receiving campaigns again.
      expect(contact.emails).toContain(`d2-${tag}@merge.test`);
      expect(contact.emailStatus).not.toBe('SUBSCRIBED');
    });

    describe('refusals change nothing', () => {
      let f: Fixture;
      let before: unknown;
      const snapshot = async () => ({ contacts: await contactRows(), links: await links() });

      beforeAll(async () => {
        f = await fixture();
      });
      beforeEach(async () => {
        before = await snapshot();
      });
      afterEach(async () => {
        expect(await snapshot()).toEqual(before);
      });

      it('merging a contact into itself is BAD_USER_INPUT', async () => {
        expect(errorOf(await merge(f.primary, [f.primary]))).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.duplicateIds[0]',
        });
      });

      it('merging the primary in among other duplicates is BAD_USER_INPUT', async () => {
        expect(errorOf(await merge(f.primary, [f.dup1, f.primary]))).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.duplicateIds[1]',
        });
      });

      it('an unknown duplicate is NOT_FOUND', async () => {
        expect(errorOf(await merge(f.primary, [f.dup1, globalIdOf('Contact', UNKNOWN)])).code).toBe(
          'NOT_FOUND',
        );
      });

      it('an unknown primary is NOT_FOUND', async () => {
        expect(errorOf(await merge(globalIdOf('Contact', UNKNOWN), [f.dup1])).code).toBe('NOT_FOUND');
      });

      it('a malformed id is BAD_USER_INPUT naming it', async () => {
        expect(errorOf(await merge(f.primary, ['garbage']))).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.duplicateIds[0]',
        });
      });

      it('a deal id given as a duplicate is BAD_USER_INPUT', async () => {
        expect(errorOf(await merge(f.primary, [f.dealDup1]))).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'input.duplicateIds[0]',
        });
      });

      it('no duplicates at all is BAD_USER_INPUT', async () => {
        expect(errorOf(await merge(f.primary, [])).code).toBe('BAD_USER_INPUT');
      });

      it('a deleted contact as a duplicate is NOT_FOUND', async () => {
        const gone = await createContact({ firstName: 'Gone' });
        await api.data('mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }', {
          id: gone,
        });
        before = await snapshot();
        expect(errorOf(await merge(f.primary, [gone])).code).toBe('NOT_FOUND');
      });
    });
  });
});

import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, dataOf, errorOf, globalIdOf, pkOf } from './support/graphql';

const CAMPAIGN =
  'id name subject htmlBody textBody fromEmail fromName replyTo status scheduledAt sentAt deletedAt';
const STATS =
  'recipients pending sent delivered opened clicked bouncedHard bouncedSoft complained unsubscribed failed bounceRate complaintRate';
const CALL = `id direction fromNumber toNumber status startedAt answeredAt endedAt duration notes outcome deletedAt
  contact { id } deal { id } owner { id }`;

interface Campaign {
  id: string;
  name: string;
  subject: string;
  htmlBody: string | null;
  textBody: string | null;
  fromEmail: string;
  fromName: string | null;
  replyTo: string | null;
  status: string;
  scheduledAt: string | null;
  sentAt: string | null;
  deletedAt: string | null;
}
interface Call {
  id: string;
  direction: string;
  fromNumber: string;
  toNumber: string;
  status: string;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  duration: number | null;
  notes: string | null;
  outcome: string | null;
  deletedAt: string | null;
  contact: { id: string } | null;
  deal: { id: string } | null;
  owner: { id: string } | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('campaigns and calls', () => {
  let server: TestServer;
  let org: SeededOrg;
  let api: ReturnType<typeof clientFor>;
  let seq = 0;

  const createCampaign = async (input: Record<string, unknown> = {}) =>
    (
      await api.data<{ createCampaign: { campaign: Campaign } }>(
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { ${CAMPAIGN} } } }`,
        { input: { name: `Campaign ${++seq}`, subject: 'Hello', fromEmail: 'news@campaign.test', ...input } },
      )
    ).createCampaign.campaign;
  const updateCampaign = (input: Record<string, unknown>) =>
    api.call<{ updateCampaign: { campaign: Campaign } }>(
      `mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { campaign { ${CAMPAIGN} } } }`,
      { input },
    );
  const readCampaign = async (id: string) =>
    (await api.data<{ campaign: Campaign }>(`query($id: ID!) { campaign(id: $id) { ${CAMPAIGN} } }`, { id }))
      .campaign;
  const listedCampaignIds = async () =>
    (
      await api.data<{ campaigns: { nodes: { id: string }[] } }>('{ campaigns(first: 100) { nodes { id } } }')
    ).campaigns.nodes.map((c) => c.id);
  const addRecipients = (input: Record<string, unknown>) =>
    api.call<{ addCampaignRecipients: { added: number; alreadyMembers: number; campaign: { id: string } } }>(
      `mutation($input: AddCampaignRecipientsInput!) {
        addCampaignRecipients(input: $input) { added alreadyMembers campaign { id } } }`,
      { input },
    );
  const removeRecipients = (input: Record<string, unknown>) =>
    api.call<{ removeCampaignRecipients: { removed: number } }>(
      `mutation($input: RemoveCampaignRecipientsInput!) { removeCampaignRecipients(input: $input) { removed } }`,
      { input },
    );
  const memberRows = async (campaignId: string) =>
    server.db(
      'select contact_id, email, status from campaign_member where campaign_id = $1 order by contact_id',
      [pkOf(campaignId)],
    );
  const memberContactIds = async (campaignId: string) =>
    (await memberRows(campaignId)).map((r) => r.contact_id as string);
  const setMember = (
    campaignId: string,
    contactId: string,
    status: string,
    bounceType: string | null = null,
  ) =>
    server.db(
      'update campaign_member set status = $1, bounce_type = $2 where campaign_id = $3 and contact_id = $4',
      [status, bounceType, pkOf(campaignId), pkOf(contactId)],
    );

  const logCallRes = (input: Record<string, unknown>) =>
    api.call<{ logCall: { call: Call } }>(
      `mutation($input: LogCallInput!) { logCall(input: $input) { call { ${CALL} } } }`,
      { input: { direction: 'OUTBOUND', fromNumber: '+14155550100', toNumber: '+14155550199', ...input } },
    );
  const logCall = async (input: Record<string, unknown> = {}) => dataOf(await logCallRes(input)).logCall.call;
  const readCall = async (id: string) =>
    (await api.data<{ call: Call }>(`query($id: ID!) { call(id: $id) { ${CALL} } }`, { id })).call;
  const callCount = async () =>
    (
      await server.db('select count(*)::int as n from call where organization_id = $1', [
        pkOf(org.organizationId),
      ])
    )[0].n;

  beforeAll(async () => {
    // The send worker only runs when woken: a campaign put into SENDING by hand here stays SENDING
    // (a poll could otherwise finish it, as it has no pending recipients).
    server = await startServer({ env: { EMAIL_POLL_MS: '600000' } });
    org = await seed(server)
      .org('Campaign Co')

      .withUsers(1)
      .withContacts(12, { extra: (i) => ({ tags: i < 6 ? ['newsletter'] : [] }) })
      .withDeals(2);
    api = clientFor(server, org.key);
  });
  afterAll(() => server.close());

  describe('campaigns', () => {
    it('createCampaign returns a DRAFT campaign with the fields given, the sender lower-cased', async () => {
      const c = await createCampaign({
        name: 'Launch',
        subject: 'We launched',
        htmlBody: '<p>Hi</p>',
        textBody: 'Hi',
        fromEmail: 'News@Campaign.TEST',
        fromName: 'The Team',
        replyTo: 'reply@campaign.test',
      });
      expect(c).toEqual({
        id: expect.any(String),
        name: 'Launch',
        subject: 'We launched',
        htmlBody: '<p>Hi</p>',
        textBody: 'Hi',
        fromEmail: 'news@campaign.test',
        fromName: 'The Team',
        replyTo: 'reply@campaign.test',
        status: 'DRAFT',
        scheduledAt: null,
        sentAt: null,
        deletedAt: null,
      });
      expect(await readCampaign(c.id)).toEqual(c);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a bad sender address', { fromEmail: 'not-an-email' }, 'input.fromEmail'],
      ['a bad reply-to address', { replyTo: 'nope@' }, 'input.replyTo'],
      ['a blank name', { name: '   ' }, 'input.name'],
      ['a blank subject', { subject: '' }, 'input.subject'],
    ])('createCampaign with %s is BAD_USER_INPUT naming the field', async (_, extra, field) => {
      const [before] = await server.db('select count(*)::int as n from campaign');
      const res = await api.call(
        'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
        { input: { name: 'X', subject: 'Y', fromEmail: 'a@campaign.test', ...extra } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await server.db('select count(*)::int as n from campaign')).toEqual([before]);
    });

    it('updateCampaign changes the fields given, clears those set to null and keeps the rest', async () => {
      const c = await createCampaign({ htmlBody: '<p>Old</p>', textBody: 'Old', fromName: 'Old name' });
      const res = await updateCampaign({ id: c.id, subject: 'New subject', htmlBody: null, fromName: null });
      expect(dataOf(res).updateCampaign.campaign).toEqual({
        ...c,
        subject: 'New subject',
        htmlBody: null,
        fromName: null,
      });
      expect(await readCampaign(c.id)).toEqual(dataOf(res).updateCampaign.campaign);
    });

    it('updateCampaign clearing the name is BAD_USER_INPUT and changes nothing', async () => {
      const c = await createCampaign();
      const res = await updateCampaign({ id: c.id, name: null, subject: 'Changed' });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
      expect(await readCampaign(c.id)).toEqual(c);
    });

    it('updateCampaign of a SENT campaign is CONFLICT and changes nothing', async () => {
      const c = await createCampaign();
      await server.db("update campaign set status = 'SENT', sent_at = now() where id = $1", [pkOf(c.id)]);
      const [before] = await server.db('select * from campaign where id = $1', [pkOf(c.id)]);
      const res = await updateCampaign({ id: c.id, subject: 'Too late' });
      expect(errorOf(res).code).toBe('CONFLICT');
      expect(await server.db('select * from campaign where id = $1', [pkOf(c.id)])).toEqual([before]);
    });

    it('addCampaignRecipients to a SENT campaign is CONFLICT and adds no one', async () => {
      const c = await createCampaign();
      await server.db("update campaign set status = 'SENT' where id = $1", [pkOf(c.id)]);
      const res = await addRecipients({ campaignId: c.id, contactIds: [org.contacts[0].id] });
      expect(errorOf(res).code).toBe('CONFLICT');
      expect(await memberRows(c.id)).toEqual([]);
    });

    it('deleteCampaign hides it from campaigns; campaign(id) shows deletedAt; restoreCampaign brings it back', async () => {
      const c = await createCampaign();
      const del = await api.call<{ deleteCampaign: { deletedCampaignId: string; campaign: Campaign } }>(
        `mutation($id: ID!) { deleteCampaign(input: { id: $id }) { deletedCampaignId campaign { ${CAMPAIGN} } } }`,
        { id: c.id },
      );
      expect(dataOf(del).deleteCampaign).toEqual({
        deletedCampaignId: c.id,
        campaign: { ...c, deletedAt: expect.stringMatching(ISO) },
      });
      expect(await listedCampaignIds()).not.toContain(c.id);
      expect((await readCampaign(c.id)).deletedAt).toMatch(ISO);
      const restored = await api.call<{ restoreCampaign: { campaign: Campaign } }>(
        `mutation($id: ID!) { restoreCampaign(input: { id: $id }) { campaign { ${CAMPAIGN} } } }`,
        { id: c.id },
      );
      expect(dataOf(restored).restoreCampaign.campaign).toEqual(c);
      expect(await listedCampaignIds()).toContain(c.id);
    });

    it('deleteCampaign of a campaign that is sending is CONFLICT', async () => {
      const c = await createCampaign();
      await server.db("update campaign set status = 'SENDING' where id = $1", [pkOf(c.id)]);
      const res = await api.call(
        'mutation($id: ID!) { deleteCampaign(input: { id: $id }) { deletedCampaignId } }',
        {
          id: c.id,
        },
      );
      expect(errorOf(res).code).toBe('CONFLICT');
      expect(await listedCampaignIds()).toContain(c.id);
    });

    it('removeCampaignRecipients from a SENT campaign is CONFLICT and removes no one', async () => {
      const c = await createCampaign();
      dataOf(await addRecipients({ campaignId: c.id, contactIds: [org.contacts[0].id] }));
      await server.db("update campaign set status = 'SENT' where id = $1", [pkOf(c.id)]);
      const res = await removeRecipients({ campaignId: c.id, contactIds: [org.contacts[0].id] });
      expect(errorOf(res).code).toBe('CONFLICT');
      expect(await memberContactIds(c.id)).toEqual([pkOf(org.contacts[0].id)]);
    });

    it('updateCampaign and addCampaignRecipients of a deleted campaign are NOT_FOUND', async () => {
      const c = await createCampaign();
      dataOf(
        await api.call('mutation($id: ID!) { deleteCampaign(input: { id: $id }) { deletedCampaignId } }', {
          id: c.id,
        }),
      );
      expect(errorOf(await updateCampaign({ id: c.id, name: 'Zombie' })).code).toBe('NOT_FOUND');
      const add = await addRecipients({ campaignId: c.id, contactIds: [org.contacts[0].id] });
      expect(errorOf(add).code).toBe('NOT_FOUND');
      expect(await memberRows(c.id)).toEqual([]);
      expect((await readCampaign(c.id)).name).toBe(c.name);
    });
  });

  describe('recipients', () => {
    it('addCampaignRecipients by ids adds PENDING members with their primary email', async () => {
      const c = await createCampaign();
      const ids = org.contacts.slice(0, 3).map((x) => x.id);
      const res = await addRecipients({ campaignId: c.id, contactIds: ids });
      expect(dataOf(res).addCampaignRecipients).toEqual({
        added: 3,
        alreadyMembers: 0,
        campaign: { id: c.id },
      });
      const data = await api.data<{
        campaign: {
          members: {
            totalCount: number;
            nodes: { status: string; email: string; contact: { id: string } }[];
          };
        };
      }>(
        'query($id: ID!) { campaign(id: $id) { members { totalCount nodes { status email contact { id } } } } }',
        {
          id: c.id,
        },
      );
      expect(data.campaign.members.totalCount).toBe(3);
      expect(data.campaign.members.nodes.map((m) => m.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
      expect(data.campaign.members.nodes.map((m) => m.contact.id).sort()).toEqual([...ids].sort());
      expect(data.campaign.members.nodes.map((m) => m.email).sort()).toEqual(
        [0, 1, 2].map((i) => `c${i}@campaignco.test`).sort(),
      );
    });

    it('addCampaignRecipients skips contacts already in the campaign and reports them', async () => {
      const c = await createCampaign();
      const [a, b, d] = org.contacts.map((x) => x.id);
      dataOf(await addRecipients({ campaignId: c.id, contactIds: [a, b] }));
      const res = await addRecipients({ campaignId: c.id, contactIds: [b, d, a] });
      expect(dataOf(res).addCampaignRecipients).toMatchObject({ added: 1, alreadyMembers: 2 });
      expect(await memberContactIds(c.id)).toEqual([a, b, d].map(pkOf).sort());
    });

    it('addCampaignRecipients by a filter adds every live matching contact, skipping deleted ones and members', async () => {
      // Contacts 0–5 are tagged "newsletter"; 5 is deleted, 0 is already a member.
      const deleted = org.contacts[5].id;
      dataOf(
        await api.call('mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }', {
          id: deleted,
        }),
      );
      try {
        const c = await createCampaign();
        dataOf(await addRecipients({ campaignId: c.id, contactIds: [org.contacts[0].id] }));
        const res = await addRecipients({ campaignId: c.id, filter: { tags: { has: 'newsletter' } } });
        expect(dataOf(res).addCampaignRecipients).toMatchObject({ added: 4, alreadyMembers: 1 });
        expect(await memberContactIds(c.id)).toEqual(
          org.contacts
            .slice(0, 5)
            .map((x) => pkOf(x.id))
            .sort(),
        );
      } finally {
        dataOf(
          await api.call('mutation($id: ID!) { restoreContact(input: { id: $id }) { contact { id } } }', {
            id: deleted,
          }),
        );
      }
    });

    it('addCampaignRecipients with ids and a filter adds the union', async () => {
      const c = await createCampaign();
      const res = await addRecipients({
        campaignId: c.id,
        contactIds: [org.contacts[10].id, org.contacts[1].id],
        filter: { firstName: { in: ['First1', 'First2'] } },
      });
      expect(dataOf(res).addCampaignRecipients).toMatchObject({ added: 3, alreadyMembers: 0 });
      expect(await memberContactIds(c.id)).toEqual([1, 2, 10].map((i) => pkOf(org.contacts[i].id)).sort());
    });

    it('addCampaignRecipients naming a deleted contact is BAD_USER_INPUT and adds no one', async () => {
      const c = await createCampaign();
      const gone = org.contacts[11].id;
      dataOf(
        await api.call('mutation($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId } }', {
          id: gone,
        }),
      );
      try {
        const res = await addRecipients({ campaignId: c.id, contactIds: [org.contacts[0].id, gone] });
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contactIds[1]' });
        expect(await memberRows(c.id)).toEqual([]);
      } finally {
        dataOf(
          await api.call('mutation($id: ID!) { restoreContact(input: { id: $id }) { contact { id } } }', {
            id: gone,
          }),
        );
      }
    });

    it('addCampaignRecipients with neither ids nor a filter is BAD_USER_INPUT', async () => {
      const c = await createCampaign();
      expect(errorOf(await addRecipients({ campaignId: c.id })).code).toBe('BAD_USER_INPUT');
    });

    it('removeCampaignRecipients removes only members not yet sent to', async () => {
      const c = await createCampaign();
      const [a, b, d] = org.contacts.map((x) => x.id);
      dataOf(await addRecipients({ campaignId: c.id, contactIds: [a, b, d] }));
      await setMember(c.id, b, 'DELIVERED');
      const res = await removeRecipients({ campaignId: c.id, contactIds: [a, b] });
      expect(dataOf(res).removeCampaignRecipients.removed).toBe(1);
      expect(await memberRows(c.id)).toEqual(
        [
          { contact_id: pkOf(b), email: 'c1@campaignco.test', status: 'DELIVERED' },
          { contact_id: pkOf(d), email: 'c2@campaignco.test', status: 'PENDING' },
        ].sort((x, y) => x.contact_id.localeCompare(y.contact_id)),
      );
    });
  });

  describe('stats', () => {
    const stats = async (id: string) =>
      (
        await api.data<{ campaign: { stats: Record<string, number> } }>(
          `query($id: ID!) { campaign(id: $id) { stats { ${STATS} } } }`,
          { id },
        )
      ).campaign.stats;

    it('counts every delivery state of the members', async () => {
      const c = await createCampaign();
      const states: [string, string | null][] = [
        ['PENDING', null],
        ['SENT', null],
        ['DELIVERED', null],
        ['DELIVERED', null],
        ['OPENED', null],
        ['CLICKED', null],
        ['BOUNCED', 'HARD'],
        ['BOUNCED', 'HARD'],
        ['BOUNCED', 'SOFT'],
        ['COMPLAINED', null],
        ['UNSUBSCRIBED', null],
        ['FAILED', null],
      ];
      const ids = org.contacts.slice(0, states.length).map((x) => x.id);
      dataOf(await addRecipients({ campaignId: c.id, contactIds: ids }));
      for (const [i, [status, bounce]] of states.entries()) await setMember(c.id, ids[i], status, bounce);
      // Hand-computed: sent = all but PENDING and FAILED (10); delivered includes opened, clicked,
      // complained and unsubscribed (6); opened includes clicked (2); bounce rate = hard bounces / sent
      // = 2 / 10 (the soft one is softBounceRate, 1 / 10).
      expect(await stats(c.id)).toEqual({
        recipients: 12,
        pending: 1,
        sent: 10,
        delivered: 6,
        opened: 2,
        clicked: 1,
        bouncedHard: 2,
        bouncedSoft: 1,
        complained: 1,
        unsubscribed: 1,
        failed: 1,
        bounceRate: 0.2,
        complaintRate: 0.1,
      });
    });

    it('is all zeros, rates included, for a campaign without members', async () => {
      const c = await createCampaign();
      expect(await stats(c.id)).toEqual({
        recipients: 0,
        pending: 0,
        sent: 0,
        delivered: 0,
        opened: 0,
        clicked: 0,
        bouncedHard: 0,
        bouncedSoft: 0,
        complained: 0,
        unsubscribed: 0,
        failed: 0,
        bounceRate: 0,
        complaintRate: 0,
      });
    });

    it('has no bounce rate while nothing was sent', async () => {
      const c = await createCampaign();
      dataOf(await addRecipients({ campaignId: c.id, contactIds: [org.contacts[0].id, org.contacts[1].id] }));
      await setMember(c.id, org.contacts[1].id, 'FAILED');
      expect(await stats(c.id)).toMatchObject({
        recipients: 2,
        pending: 1,
        failed: 1,
        sent: 0,
        bounceRate: 0,
      });
    });
  });

  describe('calls', () => {
    it('logCall stores the call with E.164 numbers and a duration from answer to end', async () => {
      const call = await logCall({
        direction: 'INBOUND',
        fromNumber: '+1 (415) 555-0123',
        toNumber: '+44 20 7946 0958',
        startedAt: '2026-05-01T10:00:00.000Z',
        answeredAt: '2026-05-01T10:00:15.000Z',
        endedAt: '2026-05-01T10:05:15.000Z',
        notes: 'Asked for pricing',
        outcome: 'INTERESTED',
        contactId: org.contacts[0].id,
        dealId: org.deals[0].id,
      });
      expect(call).toEqual({
        id: expect.any(String),
        direction: 'INBOUND',
        fromNumber: '+14155550123',
        toNumber: '+442079460958',
        status: 'COMPLETED',
        startedAt: '2026-05-01T10:00:00.000Z',
        answeredAt: '2026-05-01T10:00:15.000Z',
        endedAt: '2026-05-01T10:05:15.000Z',
        duration: 300,
        notes: 'Asked for pricing',
        outcome: 'INTERESTED',
        deletedAt: null,
        contact: { id: org.contacts[0].id },
        deal: { id: org.deals[0].id },
        owner: { id: org.users[0].id },
      });
      expect(await readCall(call.id)).toEqual(call);
    });

    it('logCall without answeredAt derives the duration from start to end', async () => {
      const call = await logCall({ startedAt: '2026-05-01T09:00:00Z', endedAt: '2026-05-01T09:01:30Z' });
      expect(call.duration).toBe(90);
    });

    it('logCall keeps an explicit duration and owner', async () => {
      const call = await logCall({
        startedAt: '2026-05-01T09:00:00Z',
        endedAt: '2026-05-01T09:01:30Z',
        duration: 42,
        ownerId: org.users[1].id,
        status: 'NO_ANSWER',
      });
      expect(call).toMatchObject({ duration: 42, owner: { id: org.users[1].id }, status: 'NO_ANSWER' });
    });

    it('logCall without times has no duration', async () => {
      expect((await logCall()).duration).toBeNull();
    });

    it.each<[string, () => Record<string, unknown>, string]>([
      ['an invalid toNumber', () => ({ toNumber: '12' }), 'input.toNumber'],
      ['an invalid fromNumber', () => ({ fromNumber: 'call me' }), 'input.fromNumber'],
      [
        'endedAt before startedAt',
        () => ({ startedAt: '2026-05-01T10:00:00Z', endedAt: '2026-05-01T09:59:59Z' }),
        'input.endedAt',
      ],
      [
        'answeredAt before startedAt',
        () => ({ startedAt: '2026-05-01T10:00:00Z', answeredAt: '2026-05-01T09:00:00Z' }),
        'input.answeredAt',
      ],
      ['a negative duration', () => ({ duration: -1 }), 'input.duration'],
      [
        'an unknown contact',
        () => ({ contactId: globalIdOf('Contact', '00000000-0000-4000-8000-000000000000') }),
        'input.contactId',
      ],
      ['a contact id given as the deal', () => ({ dealId: org.contacts[0].id }), 'input.dealId'],
    ])('logCall with %s is BAD_USER_INPUT naming the field and stores nothing', async (_, input, field) => {
      const count = await callCount();
      const res = await logCallRes(input());
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await callCount()).toBe(count);
    });

    it('updateCall changes the fields given, clears those set to null and keeps the rest', async () => {
      const call = await logCall({
        notes: 'First note',
        outcome: 'LEFT_VOICEMAIL',
        contactId: org.contacts[1].id,
        dealId: org.deals[1].id,
      });
      const res = await api.call<{ updateCall: { call: Call } }>(
        `mutation($input: UpdateCallInput!) { updateCall(input: $input) { call { ${CALL} } } }`,
        { input: { id: call.id, notes: 'Called back', outcome: 'CONNECTED', dealId: null } },
      );
      expect(dataOf(res).updateCall.call).toEqual({
        ...call,
        notes: 'Called back',
        outcome: 'CONNECTED',
        deal: null,
      });
      expect(await readCall(call.id)).toEqual(dataOf(res).updateCall.call);
    });

    it('updateCall with an unknown deal is BAD_USER_INPUT and changes nothing', async () => {
      const call = await logCall({ dealId: org.deals[0].id });
      const res = await api.call(
        'mutation($input: UpdateCallInput!) { updateCall(input: $input) { call { id } } }',
        {
          input: {
            id: call.id,
            notes: 'x',
            dealId: globalIdOf('Deal', '00000000-0000-4000-8000-000000000000'),
          },
        },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dealId' });
      expect(await readCall(call.id)).toEqual(call);
    });

    it('deleteCall hides the call from calls and contact.calls; restoreCall brings it back', async () => {
      const contactId = org.contacts[7].id;
      const call = await logCall({ contactId });
      const listed = async () => {
        const data = await api.data<{
          calls: { nodes: { id: string }[] };
          contact: { calls: { totalCount: number; nodes: { id: string }[] } };
        }>(
          'query($id: ID!) { calls(first: 100) { nodes { id } } contact(id: $id) { calls { totalCount nodes { id } } } }',
          {
            id: contactId,
          },
        );
        return { root: data.calls.nodes.map((c) => c.id), nested: data.contact.calls };
      };
      const del = await api.call<{ deleteCall: { deletedCallId: string; call: { deletedAt: string } } }>(
        'mutation($id: ID!) { deleteCall(input: { id: $id }) { deletedCallId call { deletedAt } } }',
        { id: call.id },
      );
      expect(dataOf(del).deleteCall).toEqual({
        deletedCallId: call.id,
        call: { deletedAt: expect.stringMatching(ISO) },
      });
      const hidden = await listed();
      expect(hidden.root).not.toContain(call.id);
      expect(hidden.nested).toEqual({ totalCount: 0, nodes: [] });
      expect((await readCall(call.id)).deletedAt).toMatch(ISO);
      dataOf(
        await api.call('mutation($id: ID!) { restoreCall(input: { id: $id }) { call { id } } }', {
          id: call.id,
        }),
      );
      const back = await listed();
      expect(back.root).toContain(call.id);
      expect(back.nested).toEqual({ totalCount: 1, nodes: [{ id: call.id }] });
    });

    it('updateCall and deleteCall of a deleted call are NOT_FOUND', async () => {
      const call = await logCall();
      dataOf(
        await api.call('mutation($id: ID!) { deleteCall(input: { id: $id }) { deletedCallId } }', {
          id: call.id,
        }),
      );
      const upd = await api.call(
        'mutation($id: ID!) { updateCall(input: { id: $id, notes: "x" }) { call { id } } }',
        {
          id: call.id,
        },
      );
      expect(errorOf(upd).code).toBe('NOT_FOUND');
      const again = await api.call(
        'mutation($id: ID!) { deleteCall(input: { id: $id }) { deletedCallId } }',
        {
          id: call.id,
        },
      );
      expect(errorOf(again).code).toBe('NOT_FOUND');
      expect((await readCall(call.id)).notes).toBeNull();
    });

    it('contact.calls and deal.calls list the calls linked to them, newest first', async () => {
      const contactId = org.contacts[8].id;
      const { createDeal } = await api.data<{ createDeal: { deal: { id: string } } }>(
        'mutation { createDeal(input: { name: "Calls deal" }) { deal { id } } }',
      );
      const dealId = createDeal.deal.id;
      const both = await logCall({ contactId, dealId, notes: 'both' });
      const contactOnly = await logCall({ contactId, notes: 'contact only' });
      const dealOnly = await logCall({ dealId, notes: 'deal only' });
      await logCall({ notes: 'neither' });
      const data = await api.data<{
        contact: { calls: { totalCount: number; nodes: { id: string }[] } };
        deal: { calls: { totalCount: number; nodes: { id: string }[] } };
      }>(
        `query($c: ID!, $d: ID!) {
          contact(id: $c) { calls { totalCount nodes { id } } }
          deal(id: $d) { calls { totalCount nodes { id } } } }`,
        { c: contactId, d: dealId },
      );
      expect(data.contact.calls).toEqual({ totalCount: 2, nodes: [{ id: contactOnly.id }, { id: both.id }] });
      expect(data.deal.calls).toEqual({ totalCount: 2, nodes: [{ id: dealOnly.id }, { id: both.id }] });
    });
  });
});

import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { clientFor, pkOf } from './support/graphql';
import { unsubscribeToken } from '../src/modules/campaigns/email/unsubscribe';

/**
 * One-click unsubscribe links (signed per member), the bounce policy's admin side (status, lift
 * with a reason, suppression list) and sendCampaign refused while restricted (issue 11).
 */
describe('unsubscribe links, suppression list and the sending restriction', () => {
  let server: TestServer;
  let org: SeededOrg;
  let campaignId: string;
  let members: { id: string; contactId: string; email: string }[];
  let secret: Buffer;

  beforeAll(async () => {
    server = await startServer({ env: { PUBLIC_URL: 'https://crm.example.test', EMAIL_POLL_MS: '60000' } });
    org = await seed(server).org('Unsubscribe').withContacts(3);
    const api = clientFor(server, org.key);
    const { createCampaign } = await api.data<{ createCampaign: { campaign: { id: string } } }>(
      `mutation { createCampaign(input: { name: "U", subject: "S", fromEmail: "a@mg.workpex.local" }) { campaign { id } } }`,
    );
    campaignId = createCampaign.campaign.id;
    await api.data(
      `mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }`,
      { input: { campaignId, contactIds: org.contacts.map((c) => c.id) } },
    );
    await server.db(
      `update campaign_member m set status = 'SENT', sent_at = now(), email = c.emails[1]
         from contact c where c.id = m.contact_id and m.campaign_id = $1`,
      [pkOf(campaignId)],
    );
    members = (
      await server.db(
        `select m.id, m.contact_id, m.email from campaign_member m join contact c on c.id = m.contact_id
          where m.campaign_id = $1 order by c.created_at`,
        [pkOf(campaignId)],
      )
    ).map((r) => ({ id: r.id as string, contactId: r.contact_id as string, email: r.email as string }));
    const [row] = await server.db('select secret from email_link_secret where id = 1');
    secret = Buffer.from(row.secret as string, 'base64url');
  });
  afterAll(() => server.close());

  const link = (token: string) => `${server.origin}/unsubscribe/${token}`;
  const state = async (m: { id: string; contactId: string }) => ({
    member: (await server.db('select status from campaign_member where id = $1', [m.id]))[0].status,
    contact: (await server.db('select email_status from contact where id = $1', [m.contactId]))[0]
      .email_status,
  });

  it('shows a confirmation page on GET and changes nothing', async () => {
    const res = await fetch(link(unsubscribeToken(secret, members[0].id)));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<form method="post">');
    expect(html).toContain(members[0].email);
    expect(await state(members[0])).toEqual({ member: 'SENT', contact: 'SUBSCRIBED' });
  });

  it('unsubscribes at once on POST (one-click), idempotently, and suppresses the address', async () => {
    const post = () =>
      fetch(link(unsubscribeToken(secret, members[0].id)), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    expect((await post()).status).toBe(200);
    expect(await state(members[0])).toEqual({ member: 'UNSUBSCRIBED', contact: 'UNSUBSCRIBED' });
    expect((await post()).status).toBe(200);
    const suppressed = await server.db(
      'select email, reason from email_suppression where organization_id = $1',
      [pkOf(org.organizationId)],
    );
    expect(suppressed).toEqual([{ email: members[0].email, reason: 'UNSUBSCRIBE' }]);
    // Another member is untouched.
    expect(await state(members[1])).toEqual({ member: 'SENT', contact: 'SUBSCRIBED' });
  });

  it.each([
    ['a forged signature', () => `${members[1].id}.${unsubscribeToken(secret, members[0].id).split('.')[1]}`],
    ['another key', () => unsubscribeToken(Buffer.from('not the key'), members[1].id)],
    ['an unknown member', () => unsubscribeToken(secret, randomUUID())],
    ['garbage', () => 'garbage'],
    ['a very long token', () => 'x'.repeat(5000)],
  ])('refuses %s with 404 and changes nothing', async (_what, token) => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(link(token()), { method });
      expect([method, res.status]).toEqual([method, 404]);
    }
    expect(await state(members[1])).toEqual({ member: 'SENT', contact: 'SUBSCRIBED' });
  });

  it('lets admins read the standing, list and edit the suppression list, and lift a restriction with a reason', async () => {
    const admin = clientFor(server, org.key);
    const { key: readKey } = await createApiKey(server, org.key, ['READ']);
    const reader = clientFor(server, readKey);
    const status = await reader.data<{ emailSendingStatus: Record<string, unknown> }>(
      '{ emailSendingStatus { restricted sends hardBounces windowDays minSends hardBounceThreshold complaintThreshold } }',
    );
    expect(status.emailSendingStatus).toEqual({
      restricted: false,
      sends: 3,
      hardBounces: 0,
      windowDays: 7,
      minSends: 100,
      hardBounceThreshold: 0.05,
      complaintThreshold: 0.001,
    });
    const refused = await reader.call('mutation { suppressAddress(input: { email: "x@y.test" }) { email } }');
    expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await admin.data(
      'mutation { suppressAddress(input: { email: "Manual@Example.TEST" }) { email reason } }',
    );
    const listed = await admin.data<{ suppressedAddresses: { email: string; reason: string }[] }>(
      '{ suppressedAddresses { email reason } }',
    );
    expect(listed.suppressedAddresses.map((s) => [s.email, s.reason]).sort()).toEqual(
      [
        ['manual@example.test', 'MANUAL'],
        [members[0].email, 'UNSUBSCRIBE'],
      ].sort(),
    );
    const removed = await admin.data<{ unsuppressAddress: { email: string } | null }>(
      'mutation { unsuppressAddress(input: { email: "manual@example.test" }) { email } }',
    );
    expect(removed.unsuppressAddress).toEqual({ email: 'manual@example.test' });
    const again = await admin.data<{ unsuppressAddress: { email: string } | null }>(
      'mutation { unsuppressAddress(input: { email: "manual@example.test" }) { email } }',
    );
    expect(again.unsuppressAddress).toBeNull();

    // Restricted (as the policy would leave it): sending is refused with the rates, thresholds and window.
    await server.db(
      `insert into email_restriction (organization_id, restricted, reason, updated_at) values ($1, true, 'Hard-bounce rate 6.00 % …', now())`,
      [pkOf(org.organizationId)],
    );
    const send = await admin.call(
      `mutation($input: CampaignIdInput!) { sendCampaign(input: $input) { campaign { status } } }`,
      { input: { id: campaignId } },
    );
    expect(send.body.errors?.[0].extensions).toMatchObject({
      code: 'EMAIL_SENDING_RESTRICTED',
      hardBounceThreshold: 0.05,
      windowDays: 7,
      sends: 3,
    });
    const short = await admin.call(
      'mutation { liftEmailRestriction(input: { reason: "x" }) { restricted } }',
    );
    expect(short.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const lifted = await admin.data<{
      liftEmailRestriction: { restricted: boolean; liftedAt: string | null };
    }>('mutation { liftEmailRestriction(input: { reason: "Cleaned the list" }) { restricted liftedAt } }');
    expect(lifted.liftEmailRestriction.restricted).toBe(false);
    expect(lifted.liftEmailRestriction.liftedAt).not.toBeNull();
    const [row] = await server.db('select lift_reason from email_restriction where organization_id = $1', [
      pkOf(org.organizationId),
    ]);
    expect(row.lift_reason).toBe('Cleaned the list');
  });
});

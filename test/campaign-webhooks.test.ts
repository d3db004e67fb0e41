import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, pkOf } from './support/graphql';
import { startMailgunDouble, type MailgunDouble } from './support/mailgun-double';
import { connect, disposeSockets } from './support/ws';

/**
 * Mailgun's webhooks (issue 11): signature, timestamp window, token replay and event-id
 * idempotence; what each event does to the member, the contact, the suppression list and the
 * stats; and the bounce policy (100 sends, 6 hard bounces → restricted, running sends paused,
 * subscribers told; recovery lifts it).
 */
const SIGNING_KEY = 'whsec-test-signing-key';

describe('POST /webhooks/mailgun', () => {
  let double: MailgunDouble;
  let server: TestServer;
  let org: SeededOrg;
  let campaignPk: string;
  let members: { id: string; contactId: string; email: string }[];

  beforeAll(async () => {
    double = await startMailgunDouble({ apiKey: 'key-x', signingKey: SIGNING_KEY });
    server = await startServer({ env: { MAILGUN_WEBHOOK_SIGNING_KEY: SIGNING_KEY } });
    org = await seed(server).org('Webhooks').withContacts(6);
    const api = clientFor(server, org.key);
    const { createCampaign } = await api.data<{ createCampaign: { campaign: { id: string } } }>(
      `mutation { createCampaign(input: { name: "W", subject: "S", fromEmail: "a@mg.workpex.local" }) { campaign { id } } }`,
    );
    await api.data(
      `mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }`,
      { input: { campaignId: createCampaign.campaign.id, contactIds: org.contacts.map((c) => c.id) } },
    );
    campaignPk = pkOf(createCampaign.campaign.id);
    // As the send worker leaves them: SENT, with the address used.
    await server.db(
      `update campaign_member m set status = 'SENT', sent_at = now(), email = c.emails[1]
         from contact c where c.id = m.contact_id and m.campaign_id = $1`,
      [campaignPk],
    );
    await server.db(`update campaign set status = 'SENT', sent_at = now() where id = $1`, [campaignPk]);
    members = (
      await server.db(
        `select m.id, m.contact_id, m.email from campaign_member m join contact c on c.id = m.contact_id
          where m.campaign_id = $1 order by c.created_at`,
        [campaignPk],
      )
    ).map((r) => ({ id: r.id as string, contactId: r.contact_id as string, email: r.email as string }));
  });
  afterAll(async () => {
    await disposeSockets();
    await server.close();
    await double.close();
  });

  const post = (body: unknown, raw = false) =>
    fetch(`${server.origin}/webhooks/mailgun`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ? (body as string) : JSON.stringify(body),
    });
  const event = (member: string, name: string, extra: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    event: name,
    timestamp: Date.now() / 1000,
    recipient: members.find((m) => m.id === member)?.email,
    'user-variables': { member },
    ...extra,
  });
  const memberRow = async (id: string) =>
    (await server.db('select status, bounce_type from campaign_member where id = $1', [id]))[0];
  const contactStatus = async (id: string) =>
    (await server.db('select email_status from contact where id = $1', [id]))[0].email_status;

  it('applies a correctly signed event once, and refuses bad, stale, future and replayed signatures with 406', async () => {
    const m = members[0];
    const data = event(m.id, 'delivered');
    const signed = double.signWebhook(data);
    expect((await post(signed)).status).toBe(200);
    expect((await memberRow(m.id)).status).toBe('DELIVERED');

    // The same delivery again: its token is spent.
    expect((await post(signed)).status).toBe(406);
    // The same event with a fresh token: accepted, applied nothing twice.
    expect((await post(double.signWebhook(data))).status).toBe(200);
    expect(
      (await server.db('select count(*)::int as n from email_event where event_id = $1', [data.id]))[0].n,
    ).toBe(1);

    const opened = event(m.id, 'opened');
    const wrongKey = double.signWebhook(opened, { key: 'another-key' });
    expect((await post(wrongKey)).status).toBe(406);
    const tampered = double.signWebhook(opened);
    (tampered.signature as { signature: string }).signature = tampered.signature.signature.replace(
      /^./,
      (c) => (c === '0' ? '1' : '0'),
    );
    expect((await post(tampered)).status).toBe(406);
    const now = Math.floor(Date.now() / 1000);
    expect((await post(double.signWebhook(opened, { timestamp: now - 310 }))).status).toBe(406);
    expect((await post(double.signWebhook(opened, { timestamp: now + 310 }))).status).toBe(406);
    const unsigned = { 'event-data': opened, signature: { timestamp: String(now), token: 'x' } };
    expect((await post(unsigned)).status).toBe(406);
    // Nothing of the refused deliveries was applied.
    expect((await memberRow(m.id)).status).toBe('DELIVERED');
    expect((await post(double.signWebhook(opened))).status).toBe(200);
    expect((await memberRow(m.id)).status).toBe('OPENED');
  });

  it.each([
    ['not JSON', 400, '{"signature":'],
    ['an array', 400, '[]'],
    ['no event-data', 400, JSON.stringify({ signature: { timestamp: '1', token: 't', signature: 'x' } })],
    ['a number as signature', 400, JSON.stringify({ signature: 5, 'event-data': {} })],
    [
      'huge token',
      406,
      JSON.stringify({
        signature: { timestamp: '1', token: 'x'.repeat(10_000), signature: 'y' },
        'event-data': {},
      }),
    ],
  ])('answers %s with %i, never a 5xx', async (_what, status, body) => {
    expect((await post(body, true)).status).toBe(status);
  });

  it('moves member, contact, suppression list and stats for each kind of event', async () => {
    const [, soft, hard, complained, unsubscribed] = members;
    for (const [m, name, extra] of [
      [soft, 'failed', { severity: 'temporary', reason: 'mailbox full' }],
      [hard, 'failed', { severity: 'permanent', reason: 'no such user' }],
      [complained, 'complained', {}],
      [unsubscribed, 'unsubscribed', {}],
    ] as const) {
      expect((await post(double.signWebhook(event(m.id, name, extra)))).status).toBe(200);
    }
    expect(await memberRow(soft.id)).toEqual({ status: 'BOUNCED', bounce_type: 'SOFT' });
    expect(await memberRow(hard.id)).toEqual({ status: 'BOUNCED', bounce_type: 'HARD' });
    expect((await memberRow(complained.id)).status).toBe('COMPLAINED');
    expect((await memberRow(unsubscribed.id)).status).toBe('UNSUBSCRIBED');
    expect(await contactStatus(soft.contactId)).toBe('SUBSCRIBED');
    expect(await contactStatus(hard.contactId)).toBe('BOUNCED');
    expect(await contactStatus(complained.contactId)).toBe('COMPLAINED');
    expect(await contactStatus(unsubscribed.contactId)).toBe('UNSUBSCRIBED');
    const suppressed = await server.db(
      'select email, reason from email_suppression where organization_id = $1 order by reason',
      [pkOf(org.organizationId)],
    );
    expect(suppressed).toEqual([
      { email: complained.email, reason: 'COMPLAINT' },
      { email: hard.email, reason: 'HARD_BOUNCE' },
      { email: unsubscribed.email, reason: 'UNSUBSCRIBE' },
    ]);
    // A late "delivered" never moves a bounced member back.
    expect((await post(double.signWebhook(event(hard.id, 'delivered')))).status).toBe(200);
    expect((await memberRow(hard.id)).status).toBe('BOUNCED');
    const { campaign } = await clientFor(server, org.key).data<{
      campaign: { stats: Record<string, number> };
    }>(
      `query($id: ID!) { campaign(id: $id) { stats { sent bouncedHard bouncedSoft complained unsubscribed bounceRate softBounceRate complaintRate } } }`,
      { id: Buffer.from(`Campaign:${campaignPk}`).toString('base64url') },
    );
    expect(campaign.stats).toEqual({
      sent: 6,
      bouncedHard: 1,
      bouncedSoft: 1,
      complained: 1,
      unsubscribed: 1,
      bounceRate: 1 / 6,
      softBounceRate: 1 / 6,
      complaintRate: 1 / 6,
    });
  });

  it('without a signing key configured answers 503', async () => {
    const bare = await startServer({ databaseUrl: server.databaseUrl });
    try {
      const res = await fetch(`${bare.origin}/webhooks/mailgun`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(double.signWebhook(event(members[0].id, 'clicked'))),
      });
      expect(res.status).toBe(503);
    } finally {
      await bare.close();
    }
  });
});

describe('bounce policy', () => {
  let double: MailgunDouble;
  let server: TestServer;
  let org: SeededOrg;

  beforeAll(async () => {
    double = await startMailgunDouble({ apiKey: 'key-x', signingKey: SIGNING_KEY });
    server = await startServer({ env: { MAILGUN_WEBHOOK_SIGNING_KEY: SIGNING_KEY, EMAIL_POLL_MS: '60000' } });
    org = await seed(server).org('Policy').withContacts(1);
  });
  afterAll(async () => {
    await disposeSockets();
    await server.close();
    await double.close();
  });

  /** `n` members of a new campaign in `status`, sent now, each a contact of its own (by SQL: the sending path is tested elsewhere). */
  async function sentMembers(n: number, status = 'SENT'): Promise<{ campaignPk: string; ids: string[] }> {
    const orgPk = pkOf(org.organizationId);
    const [{ id: campaignPk }] = await server.db(
      `insert into campaign (id, organization_id, name, subject, from_email, status, created_at, updated_at)
       values (gen_random_uuid(), $1, 'Bulk', 'S', 'a@mg.workpex.local', $2, now(), now()) returning id`,
      [orgPk, status],
    );
    const rows = await server.db(
      `with c as (
         insert into contact (id, organization_id, emails, phones, tags, custom_fields, email_status, created_at, updated_at)
         select gen_random_uuid(), $1, array['p' || g || '-' || $3 || '@policy.test'], '{}', '{}', '{}', 'SUBSCRIBED', now(), now()
           from generate_series(1, $2::int) g returning id, emails[1] as email)
       insert into campaign_member (id, organization_id, campaign_id, contact_id, email, status, sent_at, attempts, created_at, updated_at)
       select gen_random_uuid(), $1, $4, c.id, c.email, 'SENT', now(), 1, now(), now() from c returning id`,
      [orgPk, n, randomUUID().slice(0, 8), campaignPk],
    );
    return { campaignPk: campaignPk as string, ids: rows.map((r) => r.id as string) };
  }
  const bounce = (member: string) =>
    fetch(`${server.origin}/webhooks/mailgun`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        double.signWebhook({
          id: randomUUID(),
          event: 'failed',
          severity: 'permanent',
          timestamp: Date.now() / 1000,
          'user-variables': { member },
        }),
      ),
    });
  const restricted = async () =>
    (
      await server.db('select restricted from email_restriction where organization_id = $1', [
        pkOf(org.organizationId),
      ])
    )[0]?.restricted ?? false;

  it('restricts at 6 hard bounces in 100 sends (not at 5), pauses running sends and tells subscribers; recovers below the threshold', async () => {
    const { campaignPk, ids } = await sentMembers(100);
    const running = await sentMembers(1, 'SENDING');
    const socket = connect(server, org.key);
    const live = socket.subscribe<{
      bounceRateChanged: {
        sendingRestricted: boolean;
        stats: { bounceRate: number };
        sending: { restricted: boolean; sends: number; hardBounces: number };
      };
    }>(
      `subscription($id: ID) { bounceRateChanged(campaignId: $id) {
         sendingRestricted stats { bounceRate } sending { restricted sends hardBounces } } }`,
      { id: Buffer.from(`Campaign:${campaignPk}`).toString('base64url') },
    );
    // Live once the server counts it (it has no first event of its own).
    for (let i = 0; ; i++) {
      const metrics = await (await fetch(`${server.origin}/metrics`)).text();
      if (/workpex_active_subscriptions\{field="bounceRateChanged"\} 1/.test(metrics)) break;
      if (i > 200) throw new Error('the subscription did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
    for (const id of ids.slice(0, 5)) expect((await bounce(id)).status).toBe(200);
    // 5 % is not above 5 %.
    expect(await restricted()).toBe(false);
    // Events are coalesced per campaign (100 ms): at least one arrives, none says restricted.
    const before = await live.nextEvents(1);
    await new Promise((r) => setTimeout(r, 250));
    expect(
      [...before, ...live.results.slice(1).map((r) => r.data as (typeof before)[number])].map(
        (e) => e.bounceRateChanged.sendingRestricted,
      ),
    ).not.toContain(true);
    const seen = live.results.length;
    expect((await bounce(ids[5])).status).toBe(200);
    expect(await restricted()).toBe(true);
    // The next event after the sixth bounce is the restricted one, within a second.
    await live.nextEvents(seen - 1, 1000);
    const [after] = await live.nextEvents(1, 1000);
    expect(after.bounceRateChanged).toEqual({
      sendingRestricted: true,
      stats: { bounceRate: 0.06 },
      // The organisation's side: the running campaign's send counts too (101 sends).
      sending: { restricted: true, sends: 101, hardBounces: 6 },
    });
    expect(
      (await server.db('select status from campaign where id = $1', [running.campaignPk]))[0].status,
    ).toBe('PAUSED');
    // Sending is refused while restricted, with the rates, thresholds and window.
    const api = clientFor(server, org.key);
    const { createCampaign } = await api.data<{ createCampaign: { campaign: { id: string } } }>(
      `mutation { createCampaign(input: { name: "Next", subject: "S", fromEmail: "a@mg.workpex.local" }) { campaign { id } } }`,
    );
    const refused = await api.call(
      `mutation($input: CampaignIdInput!) { sendCampaign(input: $input) { campaign { status } } }`,
      { input: { id: createCampaign.campaign.id } },
    );
    expect(refused.body.errors?.[0].extensions).toMatchObject({
      code: 'EMAIL_SENDING_RESTRICTED',
      hardBounceRate: 6 / 101,
      hardBounceThreshold: 0.05,
      windowDays: 7,
      sends: 101,
    });
    // More clean sends: 6 in 200 is 3 %, and the next event lifts the restriction.
    const more = await sentMembers(100);
    expect((await bounce(more.ids[0])).status).toBe(200);
    // 7 in 200 = 3.5 %: under the threshold.
    expect(await restricted()).toBe(false);
  });
});

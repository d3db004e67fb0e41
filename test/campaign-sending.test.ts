import { randomUUID } from 'node:crypto';
import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import { startMailgunDouble, type MailgunDouble } from './support/mailgun-double';
import { unsubscribeToken } from '../src/modules/campaigns/email/unsubscribe';

/** The signed one-click link token of a member (the key is the deployment's, in its database). */
async function tokenOf(server: TestServer, memberId: string): Promise<string> {
  const [row] = await server.db('select secret from email_link_secret where id = 1');
  return unsubscribeToken(Buffer.from(row.secret as string, 'base64url'), memberId);
}
import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, errorOf, pkOf } from './support/graphql';
import { insertPlan } from './support/usage';
import { POSTAL_ADDRESS, readyToSend } from './support/email';

/**
 * Sending campaigns through the durable send queue (issue 11), with the local outbox transport
 * (no Mailgun key): eligibility, headers, per-recipient variable, status transitions, schedules,
 * the emails-per-day limit, and reconciliation of sends a dead process left unfinished.
 */
describe('campaign sending (local outbox)', () => {
  let server: TestServer;
  let org: SeededOrg;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    server = await startServer({
      env: { EMAIL_POLL_MS: '50', PUBLIC_URL: 'https://crm.example.test/base/' },
    });
    org = await seed(server).org('Sender').withContacts(8);
    api = clientFor(server, org.key);
    await readyToSend(server, org.key, 'mg.workpex.local');
  });
  afterAll(() => server.close());

  const orgPk = () => pkOf(org.organizationId);
  const CAMPAIGN = 'campaign { id status sentAt scheduledAt }';

  async function campaignWith(contactIds: string[], extra: Record<string, unknown> = {}) {
    const created = await api.data<{ createCampaign: { campaign: { id: string } } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`,
      {
        input: {
          name: `Campaign ${randomUUID().slice(0, 8)}`,
          subject: 'Spring news',
          fromEmail: 'news@mg.workpex.local',
          fromName: 'Workpex News',
          htmlBody: `<p>Hello</p><a href="%unsubscribe_url%">Unsubscribe</a><p>${POSTAL_ADDRESS}</p>`,
          textBody: `Hello. Unsubscribe: %unsubscribe_url% ${POSTAL_ADDRESS}`,
          ...extra,
        },
      },
    );
    const id = created.createCampaign.campaign.id;
    await api.data(
      `mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }`,
      { input: { campaignId: id, contactIds } },
    );
    return id;
  }

  const transition = (verb: string, input: Record<string, unknown>) =>
    api.call<Record<string, { campaign: { id: string; status: string } }>>(
      `mutation($input: ${verb === 'schedule' ? 'ScheduleCampaignInput' : 'CampaignIdInput'}!) {
        ${verb}Campaign(input: $input) { ${CAMPAIGN} } }`,
      { input },
    );

  async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const statusOf = async (campaignPk: string) =>
    (await server.db('select status from campaign where id = $1', [campaignPk]))[0].status as string;
  const sentCampaign = (campaignPk: string) =>
    until('the campaign to be SENT', async () =>
      (await statusOf(campaignPk)) === 'SENT' ? true : undefined,
    );
  const members = (campaignPk: string) =>
    server.db(
      `select m.id, m.contact_id, m.status, m.error, m.provider_message_id, m.email, m.claim_id
         from campaign_member m join contact c on c.id = m.contact_id
        where m.campaign_id = $1 order by c.created_at, c.id`,
      [campaignPk],
    );
  const outbox = (campaignPk: string) =>
    server.db(
      `select o.* from email_outbox o join campaign_member m on m.id = o.member where m.campaign_id = $1`,
      [campaignPk],
    );

  it('sends one message per eligible recipient, skips the others with a reason, and ends SENT', async () => {
    const c = org.contacts;
    // c[0..2] eligible; c[3] unsubscribed, c[4] bounced, c[5] complained, c[6] suppressed, c[7] no email.
    await server.db(`update contact set email_status = 'UNSUBSCRIBED' where id = $1`, [pkOf(c[3].id)]);
    await server.db(`update contact set email_status = 'BOUNCED' where id = $1`, [pkOf(c[4].id)]);
    await server.db(`update contact set email_status = 'COMPLAINED' where id = $1`, [pkOf(c[5].id)]);
    const [{ email }] = await server.db('select emails[1] as email from contact where id = $1', [
      pkOf(c[6].id),
    ]);
    await server.db(
      `insert into email_suppression (id, organization_id, email, reason, created_at) values ($1, $2, $3, 'MANUAL', now())`,
      [randomUUID(), orgPk(), email],
    );
    await server.db(`update contact set emails = '{}' where id = $1`, [pkOf(c[7].id)]);
    const id = await campaignWith(c.map((x) => x.id));
    const res = await transition('send', { id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.sendCampaign.campaign.status).toBe('SENDING');
    await sentCampaign(pkOf(id));

    const rows = await members(pkOf(id));
    expect(rows.map((r) => [r.status, r.error])).toEqual([
      ['SENT', null],
      ['SENT', null],
      ['SENT', null],
      ['SKIPPED', 'The contact unsubscribed.'],
      ['SKIPPED', 'The address bounced permanently.'],
      ['SKIPPED', 'The contact complained (marked a message as spam).'],
      ['SKIPPED', 'The address is on the suppression list.'],
      ['SKIPPED', 'The contact has no email address.'],
    ]);
    const sent = await outbox(pkOf(id));
    expect(sent).toHaveLength(3);
    for (const m of rows.slice(0, 3)) {
      const message = sent.find((o) => o.member === m.id);
      expect(message).toBeDefined();
      expect(message?.message_id).toBe(m.provider_message_id);
      expect(message?.to_address).toBe(m.email);
      expect(message?.from_address).toBe('Workpex News <news@mg.workpex.local>');
      expect(message?.variables).toEqual({ member: m.id });
      const link = `https://crm.example.test/base/unsubscribe/${await tokenOf(server, m.id as string)}`;
      expect(message?.headers).toEqual({
        'List-Unsubscribe': `<${link}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      });
      // The merge tag becomes the recipient's own link.
      expect(message?.html_body).toContain(`href="${link}"`);
      expect(message?.text_body).toBe(`Hello. Unsubscribe: ${link} ${POSTAL_ADDRESS}`);
    }
    const stats = await api.data<{ campaign: { status: string; sentAt: string; stats: { sent: number } } }>(
      'query($id: ID!) { campaign(id: $id) { status sentAt stats { sent } } }',
      { id },
    );
    expect(stats.campaign).toMatchObject({ status: 'SENT', stats: { sent: 3 } });
    // The outbox is readable through the API, newest first.
    const { outboxMessages } = await api.data<{ outboxMessages: { toAddress: string; headers: object }[] }>(
      '{ outboxMessages(first: 100) { toAddress headers } }',
    );
    expect(outboxMessages.map((o) => o.toAddress).sort()).toEqual(
      rows
        .slice(0, 3)
        .map((r) => r.email)
        .sort(),
    );
    expect(outboxMessages[0].headers).toHaveProperty('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click');
    expect(stats.campaign.sentAt).not.toBeNull();
    // Restore the contacts for the other tests.
    await server.db(`update contact set email_status = 'SUBSCRIBED' where organization_id = $1`, [orgPk()]);
    await server.db('delete from email_suppression where organization_id = $1', [orgPk()]);
  });

  it('refuses transitions a status does not allow, with CONFLICT naming the status', async () => {
    const id = await campaignWith([org.contacts[0].id]);
    await transition('send', { id });
    await sentCampaign(pkOf(id));
    for (const verb of ['send', 'pause', 'cancel', 'schedule']) {
      const input = verb === 'schedule' ? { id, at: new Date(Date.now() + 3_600_000).toISOString() } : { id };
      const res = await transition(verb, input);
      const err = res.body.errors?.[0];
      expect([verb, err?.extensions?.code, err?.extensions?.status]).toEqual([verb, 'CONFLICT', 'SENT']);
    }
    const unknown = errorOf(
      await transition('send', { id: Buffer.from(`Campaign:${randomUUID()}`).toString('base64url') }),
    );
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it('schedules for later (and refuses the past), pauses, resumes and cancels', async () => {
    const id = await campaignWith([org.contacts[0].id, org.contacts[1].id]);
    expect(
      errorOf(await transition('schedule', { id, at: new Date(Date.now() - 1000).toISOString() })).code,
    ).toBe('BAD_USER_INPUT');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await transition('schedule', { id, at });
    expect(scheduled.body.data?.scheduleCampaign.campaign.status).toBe('SCHEDULED');
    expect((await transition('pause', { id })).body.data?.pauseCampaign.campaign.status).toBe('PAUSED');
    // An edit unschedules it: the checks ran for what was scheduled.
    await transition('schedule', { id, at });
    const edited = await api.data<{
      updateCampaign: { campaign: { status: string; scheduledAt: string | null } };
    }>(
      `mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { campaign { status scheduledAt } } }`,
      { input: { id, subject: 'Spring news, edited' } },
    );
    expect(edited.updateCampaign.campaign).toEqual({ status: 'DRAFT', scheduledAt: null });
    // Due now, but the organisation is restricted: it waits; lifted, the worker starts it.
    await transition('schedule', { id, at });
    await server.db(
      `insert into email_restriction (organization_id, restricted, reason, updated_at) values ($1, true, 'test', now())`,
      [orgPk()],
    );
    await server.db(`update campaign set scheduled_at = now() - interval '1 second' where id = $1`, [
      pkOf(id),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf(pkOf(id))).toBe('SCHEDULED');
    await server.db('delete from email_restriction where organization_id = $1', [orgPk()]);
    await sentCampaign(pkOf(id));
    expect((await outbox(pkOf(id))).length).toBe(2);

    const other = await campaignWith([org.contacts[2].id]);
    expect((await transition('cancel', { id: other })).body.data?.cancelCampaign.campaign.status).toBe(
      'CANCELLED',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(await outbox(pkOf(other))).toHaveLength(0);
    expect((await members(pkOf(other)))[0].status).toBe('PENDING');
  });

  it('reconciles sends a dead process left unfinished: sent once, never twice, none missed', async () => {
    const id = await campaignWith([org.contacts[0].id, org.contacts[1].id, org.contacts[2].id]);
    const pk = pkOf(id);
    const rows = await members(pk);
    const dead = randomUUID();
    // A dead process claimed all three; it had handed the first to the provider (in the outbox), not the others.
    await server.db(
      `update campaign_member set claim_id = $2, claimed_at = now() - interval '1 hour', attempts = 1 where campaign_id = $1`,
      [pk, dead],
    );
    await server.db(
      `insert into email_outbox (id, organization_id, member, message_id, from_address, to_address, subject, headers, variables, created_at)
       values ($1, $2, $3, '<earlier@mg.workpex.local>', 'news@mg.workpex.local', 'x@y.test', 'Spring news', '{}', $4, now())`,
      [randomUUID(), orgPk(), rows[0].id, JSON.stringify({ member: rows[0].id })],
    );
    await server.db(`update campaign set status = 'SENDING' where id = $1`, [pk]);
    await sentCampaign(pk);
    const after = await members(pk);
    expect(after.map((r) => r.status)).toEqual(['SENT', 'SENT', 'SENT']);
    expect(after[0].provider_message_id).toBe('<earlier@mg.workpex.local>');
    expect(after.every((r) => r.claim_id === null)).toBe(true);
    const sent = await outbox(pk);
    // One message per member: the first was not sent again.
    expect(sent.map((o) => o.member).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('sends what the plan allows today and leaves the rest waiting for the next day', async () => {
    await insertPlan(server, 'EMAIL_TWO', { emailsPerDay: 2 });
    const small = await seed(server).org('Two a day').onPlan('EMAIL_TWO').withContacts(3);
    const smallApi = clientFor(server, small.key);
    await readyToSend(server, small.key, 'mg.workpex.local');
    const created = await smallApi.data<{ createCampaign: { campaign: { id: string } } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`,
      {
        input: {
          name: 'Two',
          subject: 'Hi',
          fromEmail: 'a@mg.workpex.local',
          textBody: `Hi %unsubscribe_url% ${POSTAL_ADDRESS}`,
        },
      },
    );
    const id = created.createCampaign.campaign.id;
    await smallApi.data(
      `mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }`,
      { input: { campaignId: id, contactIds: small.contacts.map((c) => c.id) } },
    );
    await smallApi.data(
      `mutation($input: CampaignIdInput!) { sendCampaign(input: $input) { campaign { id } } }`,
      {
        input: { id },
      },
    );
    const waiting = await until('two sent and one waiting', async () => {
      const rows = await members(pkOf(id));
      const sent = rows.filter((r) => r.status === 'SENT').length;
      return sent === 2 ? rows : undefined;
    });
    await new Promise((r) => setTimeout(r, 200));
    const [pending] = await server.db(
      `select status, next_attempt_at > now() as later, claim_id from campaign_member where campaign_id = $1 and status = 'PENDING'`,
      [pkOf(id)],
    );
    expect(waiting.filter((r) => r.status === 'PENDING')).toHaveLength(1);
    expect(pending).toMatchObject({ status: 'PENDING', later: true, claim_id: null });
    expect(await statusOf(pkOf(id))).toBe('SENDING');
    const stats = await smallApi.data<{ campaign: { stats: { sent: number; pending: number } } }>(
      'query($id: ID!) { campaign(id: $id) { stats { sent pending } } }',
      { id },
    );
    expect(stats.campaign.stats).toEqual({ sent: 2, pending: 1 });
    // usage reports the day's emails as counted for the limit.
    const { usage } = await smallApi.data<{
      usage: { dimensions: { dimension: string; used: number; limit: number; remaining: number }[] };
    }>('{ usage { dimensions { dimension used limit remaining } } }');
    expect(usage.dimensions.find((d) => d.dimension === 'EMAILS')).toEqual({
      dimension: 'EMAILS',
      used: 2,
      limit: 2,
      remaining: 0,
    });
    // The next UTC day (moved here by moving today's sends back a day): the rest goes out.
    await server.db(
      `update campaign_member set sent_at = sent_at - interval '1 day' where campaign_id = $1 and status = 'SENT'`,
      [pkOf(id)],
    );
    await server.db(
      `update campaign_member set next_attempt_at = now() where campaign_id = $1 and status = 'PENDING'`,
      [pkOf(id)],
    );
    await sentCampaign(pkOf(id));
    expect((await members(pkOf(id))).map((r) => r.status)).toEqual(['SENT', 'SENT', 'SENT']);
  });
});

describe('campaign sending through mailgun.js to a loopback Mailgun', () => {
  const API_KEY = 'key-test-0123456789';
  const DOMAIN = 'mg.example.test';
  let double: MailgunDouble;
  let server: TestServer;
  let org: SeededOrg;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    double = await startMailgunDouble({ apiKey: API_KEY, signingKey: 'signing-key-test' });
    server = await startServer({
      env: {
        EMAIL_POLL_MS: '50',
        PUBLIC_URL: 'https://crm.example.test',
        MAILGUN_API_KEY: API_KEY,
        MAILGUN_URL: double.url,
        MAILGUN_DOMAIN: DOMAIN,
      },
    });
    org = await seed(server).org('Mailgun sender').withContacts(3);
    api = clientFor(server, org.key);
    await readyToSend(server, org.key, DOMAIN, { double });
  });
  afterAll(async () => {
    await server.close();
    await double.close();
  });

  async function campaignOf(contactIds: string[]): Promise<string> {
    const created = await api.data<{ createCampaign: { campaign: { id: string } } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`,
      {
        input: {
          name: `MG ${randomUUID().slice(0, 6)}`,
          subject: 'Through Mailgun',
          fromEmail: `news@${DOMAIN}`,
          textBody: `Hi. %unsubscribe_url% ${POSTAL_ADDRESS}`,
        },
      },
    );
    const id = created.createCampaign.campaign.id;
    await api.data(
      `mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }`,
      { input: { campaignId: id, contactIds } },
    );
    return id;
  }
  const waitSent = async (pk: string) => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const [row] = await server.db('select status from campaign where id = $1', [pk]);
      if (row.status === 'SENT') return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('campaign not SENT in time');
  };

  it('posts one message per recipient with the unsubscribe headers and the member variable, retrying a 429 without duplicates', async () => {
    double.failNext(429, 1);
    const id = await campaignOf(org.contacts.map((c) => c.id));
    await api.data(`mutation($input: CampaignIdInput!) { sendCampaign(input: $input) { campaign { id } } }`, {
      input: { id },
    });
    await waitSent(pkOf(id));
    const members = await server.db(
      'select id, email, provider_message_id, attempts from campaign_member where campaign_id = $1',
      [pkOf(id)],
    );
    const posted = double.messages.filter((m) => members.some((x) => x.id === m.variables.member));
    expect(posted).toHaveLength(3);
    for (const m of members) {
      const message = posted.find((p) => p.variables.member === m.id);
      expect(message).toMatchObject({
        domain: DOMAIN,
        from: `news@${DOMAIN}`,
        to: [m.email],
        subject: 'Through Mailgun',
        text: `Hi. https://crm.example.test/unsubscribe/${await tokenOf(server, m.id as string)} ${POSTAL_ADDRESS}`,
        headers: {
          'List-Unsubscribe': `<https://crm.example.test/unsubscribe/${await tokenOf(server, m.id as string)}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
      expect(m.provider_message_id).toBe(message?.id);
    }
    // The 429 cost one member a second attempt, not a second message.
    expect(members.map((m) => Number(m.attempts)).sort()).toEqual([1, 1, 2]);
  });

  it('reconciles an unfinished send through the events API before sending again', async () => {
    const id = await campaignOf([org.contacts[0].id, org.contacts[1].id]);
    const pk = pkOf(id);
    const members = await server.db('select id, contact_id from campaign_member where campaign_id = $1', [
      pk,
    ]);
    // A process handed the first member's message to Mailgun and died before recording it.
    const client = new Mailgun(FormData).client({ username: 'api', key: API_KEY, url: double.url });
    const earlier = await client.messages.create(DOMAIN, {
      from: `news@${DOMAIN}`,
      to: ['someone@example.test'],
      subject: 'Through Mailgun',
      text: 'Hi.',
      'v:member': members[0].id as string,
    });
    await server.db(
      `update campaign_member set claim_id = $2, claimed_at = now() - interval '1 hour', attempts = 1 where campaign_id = $1`,
      [pk, randomUUID()],
    );
    await server.db(`update campaign set status = 'SENDING' where id = $1`, [pk]);
    await waitSent(pk);
    const after = await server.db(
      'select id, status, provider_message_id from campaign_member where campaign_id = $1',
      [pk],
    );
    const first = after.find((m) => m.id === members[0].id);
    expect(first).toMatchObject({ status: 'SENT', provider_message_id: earlier.id });
    expect(after.every((m) => m.status === 'SENT')).toBe(true);
    for (const m of members) {
      expect(double.messages.filter((p) => p.variables.member === m.id)).toHaveLength(1);
    }
  });
});

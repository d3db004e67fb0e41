import { createHmac } from 'node:crypto';
import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import type { EventsQuery } from 'mailgun.js/definitions';
import { startMailgunDouble, type MailgunDouble } from './support/mailgun-double';

const API_KEY = 'key-test-0123456789abcdef';
const SIGNING_KEY = 'signing-key-fedcba9876543210';
const DOMAIN = 'mg.example.test';

/** What mailgun.js rejects with: a MailgunAPIError (status, message = status text, details = body.message). */
interface MailgunApiError {
  status: number;
  message: string;
  details: string;
  type: string;
}

async function rejectionOf(promise: Promise<unknown>): Promise<MailgunApiError> {
  try {
    await promise;
  } catch (error) {
    return error as MailgunApiError;
  }
  throw new Error('expected the call to fail');
}

describe('Mailgun test double, driven through mailgun.js', () => {
  let double: MailgunDouble;
  let client: ReturnType<Mailgun['client']>;

  beforeAll(async () => {
    double = await startMailgunDouble({ apiKey: API_KEY, signingKey: SIGNING_KEY });
    client = new Mailgun(FormData).client({ username: 'api', key: API_KEY, url: double.url });
  });
  afterAll(() => double.close());
  beforeEach(() => double.reset());

  function sendCampaignEmail(member: string, to: string[] = [`${member}@example.org`]) {
    return client.messages.create(DOMAIN, {
      from: 'Workpex <campaigns@mg.example.test>',
      to,
      subject: 'Spring offer',
      text: 'Hello',
      html: '<p>Hello</p>',
      'h:List-Unsubscribe': `<https://crm.example.test/unsubscribe/tok-${member}>`,
      'h:List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'v:member': member,
      'o:tag': ['campaign'],
    });
  }

  it('records a message with its recipients, headers and variables, and answers like Mailgun', async () => {
    const sent = await sendCampaignEmail('m-1', ['ann@example.org', 'Bob Doe <bob@example.org>']);

    expect(sent).toMatchObject({ status: 200, message: 'Queued. Thank you.' });
    expect(sent.id).toMatch(/^<\d{14}\.[0-9a-f]+@mg\.example\.test>$/);
    expect(double.messages).toHaveLength(1);
    expect(double.messages[0]).toMatchObject({
      domain: DOMAIN,
      id: sent.id,
      from: 'Workpex <campaigns@mg.example.test>',
      to: ['ann@example.org', 'Bob Doe <bob@example.org>'],
      subject: 'Spring offer',
      text: 'Hello',
      html: '<p>Hello</p>',
      headers: {
        'List-Unsubscribe': '<https://crm.example.test/unsubscribe/tok-m-1>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      variables: { member: 'm-1' },
      tags: ['campaign'],
    });
    expect(double.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v3/${DOMAIN}/messages`,
      status: 200,
    });

    const second = await sendCampaignEmail('m-2');
    expect(second.id).not.toBe(sent.id);
  });

  it('refuses a wrong API key with 401, which mailgun.js throws as status 401', async () => {
    const intruder = new Mailgun(FormData).client({ username: 'api', key: 'key-wrong', url: double.url });

    const error = await rejectionOf(
      intruder.messages.create(DOMAIN, { from: 'a@mg.example.test', to: ['b@example.org'], text: 'x' }),
    );

    expect(error).toMatchObject({ status: 401, details: 'Forbidden', type: 'MailgunAPIError' });
    expect(double.messages).toHaveLength(0);
  });

  it('fails the next message post with 429 when told to, then accepts the retry', async () => {
    double.failNext(429, 1);

    const error = await rejectionOf(sendCampaignEmail('m-1'));
    expect(error).toMatchObject({ status: 429, details: 'Too Many Requests' });
    expect(double.messages).toHaveLength(0);

    await expect(sendCampaignEmail('m-1')).resolves.toMatchObject({ status: 200 });
    expect(double.messages).toHaveLength(1);
  });

  it('fails several posts in a row with 500', async () => {
    double.failNext(500, 2);

    expect((await rejectionOf(sendCampaignEmail('m-1'))).status).toBe(500);
    expect((await rejectionOf(sendCampaignEmail('m-1'))).status).toBe(500);
    await expect(sendCampaignEmail('m-1')).resolves.toMatchObject({ status: 200 });
  });

  it('answers 400 like Mailgun for a message without a body (mailgun.js does not send empty fields)', async () => {
    const error = await rejectionOf(
      client.messages.create(DOMAIN, { from: 'a@mg.example.test', to: ['b@example.org'], text: '' }),
    );
    expect(error).toMatchObject({ status: 400, details: expect.stringContaining("'text', 'html'") });
  });

  it("parses the body the same when mailgun.js is given Node's built-in FormData", async () => {
    const native = new Mailgun(globalThis.FormData).client({
      username: 'api',
      key: API_KEY,
      url: double.url,
    });

    await native.messages.create(DOMAIN, {
      from: 'a@mg.example.test',
      to: ['ann@example.org', 'bob@example.org'],
      text: 'Hello',
      'h:List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'v:member': 'm-9',
    });

    expect(double.messages[0]).toMatchObject({
      to: ['ann@example.org', 'bob@example.org'],
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      variables: { member: 'm-9' },
    });
  });

  it('answers 413 to a body over 10 MB', async () => {
    const error = await rejectionOf(
      client.messages.create(DOMAIN, {
        from: 'a@mg.example.test',
        to: ['b@example.org'],
        text: 'x'.repeat(10 * 1024 * 1024 + 1),
      }),
    );
    expect(error).toMatchObject({ status: 413, details: 'Request entity too large' });
    expect(double.messages).toHaveLength(0);
  });

  it('finds a message through the events API by its user variable, one accepted event per recipient', async () => {
    await sendCampaignEmail('m-1');
    const wanted = await sendCampaignEmail('m-2', ['carol@example.org', 'dan@example.org']);
    await sendCampaignEmail('m-3');
    // mailgun.js's EventsQuery type has no 'user-variables'; Mailgun's API takes it as a JSON string.
    const query: EventsQuery & { 'user-variables': string } = {
      event: 'accepted',
      ascending: 'yes',
      limit: 50,
      'user-variables': JSON.stringify({ member: 'm-2' }),
    };
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const found = await client.events.get(DOMAIN, query);

      expect(found.status).toBe(200);
      expect(found.items.map((e) => e.recipient)).toEqual(['carol@example.org', 'dan@example.org']);
      expect(found.items[0]).toMatchObject({
        event: 'accepted',
        'user-variables': { member: 'm-2' },
        message: { headers: { 'message-id': wanted.id?.slice(1, -1), subject: 'Spring offer' } },
      });
      expect(typeof found.items[0].timestamp).toBe('number');
      expect(double.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: `/v3/${DOMAIN}/events`,
        query: { event: 'accepted', ascending: 'yes', limit: '50', 'user-variables': '{"member":"m-2"}' },
      });

      const firstPage = await client.events.get(DOMAIN, { ascending: 'yes', limit: 2 });
      expect(firstPage.items.map((e) => e.recipient)).toEqual(['m-1@example.org', 'carol@example.org']);
      const nextPage = await client.events.get(DOMAIN, { page: firstPage.pages.next.page });
      expect(nextPage.items.map((e) => e.recipient)).toEqual(['dan@example.org', 'm-3@example.org']);
      expect(double.requests.at(-1)?.path).toBe(`/v3/${DOMAIN}/events/${firstPage.pages.next.page}`);

      // mailgun.js warns that events.get is deprecated, on every call.
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('deprecated'));
    } finally {
      warn.mockRestore();
    }
  });

  it('creates, reads and verifies a domain through the SDK', async () => {
    const created = await client.domains.create({
      name: 'news.example.test',
      spam_action: 'tag',
      wildcard: false,
    });
    expect(created).toMatchObject({ name: 'news.example.test', state: 'unverified', spam_action: 'tag' });
    expect(created.sending_dns_records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          record_type: 'TXT',
          value: 'v=spf1 include:mailgun.org ~all',
          valid: 'unknown',
        }),
        expect.objectContaining({
          record_type: 'TXT',
          name: expect.stringMatching(/\._domainkey\.news\.example\.test$/),
          valid: 'unknown',
        }),
      ]),
    );
    expect(created.receiving_dns_records?.map((r) => r.record_type)).toEqual(['MX', 'MX']);

    expect(await client.domains.get('news.example.test')).toMatchObject({ state: 'unverified' });
    expect(await client.domains.verify('news.example.test')).toMatchObject({ state: 'unverified' });

    double.verifyDomain('news.example.test');
    const verified = await client.domains.verify('news.example.test');
    expect(verified.state).toBe('active');
    expect(verified.sending_dns_records?.every((r) => r.valid === 'valid')).toBe(true);
    expect(await client.domains.get('news.example.test')).toMatchObject({ state: 'active' });

    expect(double.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v4/domains',
      'GET /v4/domains/news.example.test',
      'PUT /v4/domains/news.example.test/verify',
      'PUT /v4/domains/news.example.test/verify',
      'GET /v4/domains/news.example.test',
    ]);
    expect((await rejectionOf(client.domains.get('missing.example.test'))).status).toBe(404);
  });

  it('signs a webhook body the way Mailgun does', async () => {
    await sendCampaignEmail('m-1');
    const bounce = double.recordEvent(double.messages[0], 'failed', {
      severity: 'permanent',
      reason: 'bounce',
    });

    const body = double.signWebhook(bounce);

    const { timestamp, token, signature } = body.signature;
    expect(timestamp).toMatch(/^\d{10}$/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(token).toMatch(/^[0-9a-f]{50}$/);
    expect(signature).toBe(
      createHmac('sha256', SIGNING_KEY)
        .update(timestamp + token)
        .digest('hex'),
    );
    expect(body['event-data']).toMatchObject({
      event: 'failed',
      severity: 'permanent',
      recipient: 'm-1@example.org',
      'user-variables': { member: 'm-1' },
      message: { headers: { 'message-id': double.messages[0].id.slice(1, -1) } },
    });

    const stale = double.signWebhook(bounce, { timestamp: 1_700_000_000, token: 'fixed', key: 'other-key' });
    expect(stale.signature).toEqual({
      timestamp: '1700000000',
      token: 'fixed',
      signature: createHmac('sha256', 'other-key').update('1700000000fixed').digest('hex'),
    });
  });

  it('shows that mailgun.js reports an unreachable server as status 400, not as a network error', async () => {
    const gone = await startMailgunDouble({ apiKey: API_KEY, signingKey: SIGNING_KEY });
    const orphan = new Mailgun(FormData).client({ username: 'api', key: API_KEY, url: gone.url });
    await gone.close();

    const error = await rejectionOf(
      orphan.messages.create(DOMAIN, { from: 'a@mg.example.test', to: ['b@example.org'], text: 'x' }),
    );

    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/^ECONN(REFUSED|RESET)$/) });
  });
});

import { randomUUID } from 'node:crypto';
import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import { startMailgunDouble, type MailgunDouble } from './support/mailgun-double';
import { startServer, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { clientFor, dataOf, errorOf, globalIdOf, pkOf } from './support/graphql';
import { HTML_FOOTER, passingBodies, POSTAL_ADDRESS, readyToSend, TEXT_FOOTER } from './support/email';

/**
 * Sending domains, email settings and the pre-send checks (issue 11): domains registered with
 * Mailgun (through mailgun.js, against the loopback double) or verified locally (no Mailgun key),
 * the organisation's postal address, previewCampaignChecks, and sendCampaign / scheduleCampaign
 * refusing a campaign with findings and changing nothing.
 */

const DOMAIN_FIELDS = 'id name state provider verifiedAt createdAt note dnsRecords { type name value valid }';

interface DomainOut {
  id: string;
  name: string;
  state: string;
  provider: string;
  verifiedAt: string | null;
  createdAt: string;
  note: string | null;
  dnsRecords: { type: string; name: string; value: string; valid: string }[];
}

interface Finding {
  code: string;
  message: string;
  detail: string | null;
}

function apiOf(server: TestServer, key: string) {
  const api = clientFor(server, key);
  return {
    ...api,
    createDomain: (name: string) =>
      api.call<{ createSendingDomain: { sendingDomain: DomainOut } }>(
        `mutation($input: CreateSendingDomainInput!) { createSendingDomain(input: $input) { sendingDomain { ${DOMAIN_FIELDS} } } }`,
        { input: { name } },
      ),
    refreshDomain: (id: string) =>
      api.call<{ refreshSendingDomain: { sendingDomain: DomainOut } }>(
        `mutation($input: SendingDomainIdInput!) { refreshSendingDomain(input: $input) { sendingDomain { ${DOMAIN_FIELDS} } } }`,
        { input: { id } },
      ),
    deleteDomain: (id: string) =>
      api.call<{ deleteSendingDomain: { deletedSendingDomainId: string } }>(
        `mutation($input: SendingDomainIdInput!) { deleteSendingDomain(input: $input) { deletedSendingDomainId } }`,
        { input: { id } },
      ),
    domains: async () =>
      (await api.data<{ sendingDomains: DomainOut[] }>(`{ sendingDomains { ${DOMAIN_FIELDS} } }`))
        .sendingDomains,
    setAddress: (postalAddress: string) =>
      api.call<{ updateEmailSettings: { emailSettings: { postalAddress: string | null } } }>(
        'mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { emailSettings { postalAddress updatedAt } } }',
        { input: { postalAddress } },
      ),
    preview: async (id: string) =>
      (
        await api.data<{ previewCampaignChecks: { passed: boolean; score: number; findings: Finding[] } }>(
          'query($id: ID!) { previewCampaignChecks(id: $id) { passed score findings { code message detail } } }',
          { id },
        )
      ).previewCampaignChecks,
    campaign: async (input: Record<string, unknown>, contactIds: string[]) => {
      const created = await api.data<{ createCampaign: { campaign: { id: string } } }>(
        'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
        { input: { name: `Checked ${randomUUID().slice(0, 8)}`, subject: 'Autumn news', ...input } },
      );
      const id = created.createCampaign.campaign.id;
      if (contactIds.length) {
        await api.data(
          'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
          { input: { campaignId: id, contactIds } },
        );
      }
      return id;
    },
    update: (input: Record<string, unknown>) =>
      api.data(
        'mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { campaign { id } } }',
        { input },
      ),
    send: (id: string) =>
      api.call<{ sendCampaign: { campaign: { status: string } } }>(
        'mutation($input: CampaignIdInput!) { sendCampaign(input: $input) { campaign { status } } }',
        { input: { id } },
      ),
    schedule: (id: string, at: Date) =>
      api.call<{ scheduleCampaign: { campaign: { status: string } } }>(
        'mutation($input: ScheduleCampaignInput!) { scheduleCampaign(input: $input) { campaign { status } } }',
        { input: { id, at: at.toISOString() } },
      ),
  };
}

function named(domains: DomainOut[], name: string): DomainOut {
  const found = domains.find((d) => d.name === name);
  if (!found) throw new Error(`no sending domain ${name}`);
  return found;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('sending domains, email settings and pre-send checks (local outbox)', () => {
  let server: TestServer;
  let org: SeededOrg;
  let other: SeededOrg;
  let api: ReturnType<typeof apiOf>;
  let otherApi: ReturnType<typeof apiOf>;

  beforeAll(async () => {
    server = await startServer({ env: { EMAIL_POLL_MS: '50', PUBLIC_URL: 'https://crm.example.test' } });
    org = await seed(server).org('Checked').withContacts(2);
    other = await seed(server).org('Elsewhere').withContacts(1);
    api = apiOf(server, org.key);
    otherApi = apiOf(server, other.key);
  });
  afterAll(() => server.close());

  const domainRows = (name: string) =>
    server.db('select organization_id, state, provider from sending_domain where name = $1', [name]);
  const campaignRow = async (id: string) =>
    (await server.db('select * from campaign where id = $1', [pkOf(id)]))[0];

  it('verifies a domain at once without Mailgun (provider LOCAL), showing the records Mailgun would ask for', async () => {
    const res = await api.createDomain('news.checked.test');
    expect(res.body.errors).toBeUndefined();
    const domain = dataOf(res).createSendingDomain.sendingDomain;
    expect(domain).toMatchObject({ name: 'news.checked.test', state: 'VERIFIED', provider: 'LOCAL' });
    expect(domain.verifiedAt).not.toBeNull();
    expect(domain.note).toMatch(/Verified locally.*DNS was not checked/);
    expect(domain.dnsRecords).toEqual([
      { type: 'TXT', name: 'news.checked.test', value: 'v=spf1 include:mailgun.org ~all', valid: 'UNKNOWN' },
      expect.objectContaining({ type: 'TXT', name: 'smtp._domainkey.news.checked.test', valid: 'UNKNOWN' }),
      { type: 'CNAME', name: 'email.news.checked.test', value: 'mailgun.org', valid: 'UNKNOWN' },
    ]);
    expect(await api.domains()).toEqual([domain]);
    expect(await domainRows('news.checked.test')).toEqual([
      { organization_id: pkOf(org.organizationId), state: 'VERIFIED', provider: 'LOCAL' },
    ]);
    // Refreshing a LOCAL domain without Mailgun changes nothing.
    expect((await api.refreshDomain(domain.id)).body.data?.refreshSendingDomain.sendingDomain).toEqual(
      domain,
    );
    // The same name twice in one organisation: CONFLICT.
    expect(errorOf(await api.createDomain('news.checked.test')).code).toBe('CONFLICT');
  });

  it.each([
    ['upper case', 'News.Checked.test'],
    ['no dot', 'localhost'],
    ['IPv4 literal', '192.168.10.1'],
    ['IPv4 shorthand', '127.1'],
    ['IPv6 literal', '[::1]'],
    ['bare IPv6', '::1'],
    ['empty label', 'news..checked.test'],
    ['leading hyphen', '-news.checked.test'],
    ['trailing hyphen', 'news-.checked.test'],
    ['underscore', 'news_letter.checked.test'],
    ['space', 'news checked.test'],
    ['surrounding space', ' news.checked.test'],
    ['trailing dot', 'news.checked.test.'],
    ['scheme', 'https://news.checked.test'],
    ['address', 'news@checked.test'],
    ['path', 'checked.test/news'],
    ['numeric top-level label', 'news.checked.123'],
    ['label over 63 characters', `${'a'.repeat(64)}.test`],
    ['254 characters', `${Array.from({ length: 3 }, () => 'a'.repeat(63)).join('.')}.${'b'.repeat(57)}.test`],
    ['unicode (not in xn-- form)', 'bücher.test'],
    ['empty', ''],
  ])(
    'refuses a domain name with %s (BAD_USER_INPUT on input.name) and stores nothing',
    async (_why, name) => {
      const err = errorOf(await api.createDomain(name));
      expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.name']);
      expect(await server.db('select name from sending_domain where name = $1', [name])).toEqual([]);
    },
  );

  it('accepts the longest hostnames and IDNs in xn-- form', async () => {
    const longest = `${Array.from({ length: 3 }, () => 'a'.repeat(63)).join('.')}.${'b'.repeat(56)}.test`;
    expect(longest).toHaveLength(253);
    for (const name of [longest, 'xn--bcher-kva.test', 'mail.xn--p1ai', 'a1-b2.c3.io']) {
      const res = await api.createDomain(name);
      expect([name, res.body.errors]).toEqual([name, undefined]);
      await api.deleteDomain(dataOf(res).createSendingDomain.sendingDomain.id);
    }
  });

  it('keeps domains to their organisation: another can neither see, refresh nor delete them, and has its own', async () => {
    const [mine] = await api.domains();
    expect(await otherApi.domains()).toEqual([]);
    expect(errorOf(await otherApi.refreshDomain(mine.id)).code).toBe('NOT_FOUND');
    expect(errorOf(await otherApi.deleteDomain(mine.id)).code).toBe('NOT_FOUND');
    expect(await domainRows(mine.name)).toHaveLength(1);
    // Without Mailgun the same name may be verified by another organisation: nothing was checked.
    const theirs = await otherApi.createDomain(mine.name);
    expect(theirs.body.data?.createSendingDomain.sendingDomain.state).toBe('VERIFIED');
    expect((await otherApi.domains()).map((d) => d.name)).toEqual([mine.name]);
    await otherApi.deleteDomain(dataOf(theirs).createSendingDomain.sendingDomain.id);
    expect(await api.domains()).toEqual([mine]);
  });

  it('needs the admin scope to change domains and settings, the read scope to see them', async () => {
    const readWrite = (await createApiKey(server, org.key, ['READ', 'WRITE'])).key;
    const rw = apiOf(server, readWrite);
    for (const res of [
      await rw.createDomain('scoped.checked.test'),
      await rw.refreshDomain((await api.domains())[0].id),
      await rw.deleteDomain((await api.domains())[0].id),
      await rw.setAddress('1 Scoped Street'),
    ]) {
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'admin' });
    }
    expect(await rw.domains()).toHaveLength(1);
    const writeOnly = clientFor(server, (await createApiKey(server, org.key, ['WRITE'])).key);
    for (const doc of ['{ sendingDomains { id } }', '{ emailSettings { postalAddress } }']) {
      expect((await writeOnly.call(doc)).body.errors?.[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        requiredScope: 'read',
      });
    }
  });

  it('bounds the domains of an organisation to 20', async () => {
    const extra = seed(server).org('Many domains');
    const many = apiOf(server, (await extra).key);
    for (let i = 1; i <= 20; i++)
      expect((await many.createDomain(`d${i}.many.test`)).body.errors).toBeUndefined();
    expect(errorOf(await many.createDomain('d21.many.test')).code).toBe('CONFLICT');
    expect(await many.domains()).toHaveLength(20);
  });

  it('stores the postal address per organisation, refusing a blank one', async () => {
    const read = () =>
      api.data<{ emailSettings: { postalAddress: string | null } }>('{ emailSettings { postalAddress } }');
    expect((await read()).emailSettings.postalAddress).toBeNull();
    for (const blank of ['', '   \n  ', '\u0007 1 Bell Street']) {
      const err = errorOf(await api.setAddress(blank));
      expect([err.code, err.field]).toEqual(['BAD_USER_INPUT', 'input.postalAddress']);
    }
    expect(errorOf(await api.setAddress('x'.repeat(501))).code).toBe('BAD_USER_INPUT');
    const set = await api.setAddress('  Checked Ltd\r\n  2 Market Square  \n\nLeeds LS1 2AB ');
    expect(set.body.data?.updateEmailSettings.emailSettings.postalAddress).toBe(
      'Checked Ltd\n2 Market Square\nLeeds LS1 2AB',
    );
    expect((await read()).emailSettings.postalAddress).toBe('Checked Ltd\n2 Market Square\nLeeds LS1 2AB');
    const theirs = await otherApi.data<{ emailSettings: { postalAddress: string | null } }>(
      '{ emailSettings { postalAddress } }',
    );
    expect(theirs.emailSettings.postalAddress).toBeNull();
    await server.db('delete from email_settings where organization_id = $1', [pkOf(org.organizationId)]);
  });

  it('previews every finding of a bad campaign, refuses to send or schedule it with them, and changes nothing', async () => {
    const id = await api.campaign(
      {
        fromEmail: 'news@unverified.checked.test',
        htmlBody: '<p>Read <a href="https://bit.ly/abc">our news</a>.</p>',
        textBody: 'Read our news.',
      },
      org.contacts.map((c) => c.id),
    );
    const preview = await api.preview(id);
    expect(preview.passed).toBe(false);
    expect(preview.findings.map((f) => [f.code, f.detail])).toEqual([
      ['NO_UNSUBSCRIBE_LINK', 'html'],
      ['NO_UNSUBSCRIBE_LINK', 'text'],
      ['NO_POSTAL_ADDRESS', null],
      ['UNVERIFIED_SENDING_DOMAIN', 'unverified.checked.test'],
      ['BLOCKED_LINK', 'bit.ly'],
    ]);
    expect(preview.findings.every((f) => f.message.length > 20)).toBe(true);

    const before = await campaignRow(id);
    const members = () =>
      server.db('select id, status, claim_id from campaign_member where campaign_id = $1 order by id', [
        pkOf(id),
      ]);
    const membersBefore = await members();
    for (const res of [await api.send(id), await api.schedule(id, new Date(Date.now() + 3_600_000))]) {
      const err = res.body.errors?.[0];
      expect(err?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(err?.message).toMatch(/failed 5 pre-send checks/);
      expect(err?.extensions?.findings).toEqual(preview.findings);
      expect(Object.values(res.body.data ?? {})).toEqual([]);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await campaignRow(id)).toEqual(before);
    expect(before.status).toBe('DRAFT');
    expect(await members()).toEqual(membersBefore);
    expect(
      await server.db('select 1 from email_outbox where organization_id = $1', [pkOf(org.organizationId)]),
    ).toEqual([]);
  });

  it('refuses each missing piece on its own, and sends once all are fixed', async () => {
    const [verified] = await api.domains();
    const id = await api.campaign(
      { fromEmail: `news@${verified.name}`, ...passingBodies({ html: '<p>Hello</p>', text: 'Hello' }) },
      org.contacts.map((c) => c.id),
    );
    // Only the postal address is missing: configured nowhere.
    expect((await api.preview(id)).findings.map((f) => f.code)).toEqual(['NO_POSTAL_ADDRESS']);
    const refused = await api.send(id);
    expect(refused.body.errors?.[0].message).toMatch(/failed 1 pre-send check \(NO_POSTAL_ADDRESS\)/);
    // Configured, but not the one the bodies show.
    await api.setAddress('Somewhere Else 1, 10115 Berlin');
    expect((await api.preview(id)).findings.map((f) => [f.code, f.detail])).toEqual([
      ['NO_POSTAL_ADDRESS', 'html'],
      ['NO_POSTAL_ADDRESS', 'text'],
    ]);
    await api.setAddress(POSTAL_ADDRESS);
    expect(await api.preview(id)).toEqual({ passed: true, score: 0, findings: [] });

    // A subdomain of a verified domain is not verified; a deleted domain no longer counts.
    await api.update({ id, fromEmail: `news@mail.${verified.name}` });
    expect((await api.preview(id)).findings.map((f) => [f.code, f.detail])).toEqual([
      ['UNVERIFIED_SENDING_DOMAIN', `mail.${verified.name}`],
    ]);
    await api.update({ id, fromEmail: `news@${verified.name}` });
    // The unsubscribe tag is required.
    await api.update({ id, textBody: `Hello\n${POSTAL_ADDRESS}` });
    expect((await api.preview(id)).findings.map((f) => [f.code, f.detail])).toEqual([
      ['NO_UNSUBSCRIBE_LINK', 'text'],
    ]);
    await api.update({ id, textBody: `Hello\n${TEXT_FOOTER}` });

    const sent = await api.send(id);
    expect(sent.body.errors).toBeUndefined();
    expect(sent.body.data?.sendCampaign.campaign.status).toBe('SENDING');
    await until('the campaign to be SENT', async () =>
      (await campaignRow(id)).status === 'SENT' ? true : undefined,
    );
    const outbox = await server.db(
      `select o.from_address, o.html_body from email_outbox o join campaign_member m on m.id = o.member
        where m.campaign_id = $1`,
      [pkOf(id)],
    );
    expect(outbox).toHaveLength(2);
    expect(outbox[0].from_address).toBe(`news@${verified.name}`);
    expect(outbox[0].html_body).toContain(POSTAL_ADDRESS);
  });

  it('checks again on schedule and after the domain is deleted', async () => {
    const add = await api.createDomain('later.checked.test');
    const domain = dataOf(add).createSendingDomain.sendingDomain;
    const id = await api.campaign(
      { fromEmail: 'news@later.checked.test', ...passingBodies({ html: '<p>Later</p>' }) },
      [org.contacts[0].id],
    );
    expect((await api.preview(id)).passed).toBe(true);
    const deleted = await api.deleteDomain(domain.id);
    expect(deleted.body.data?.deleteSendingDomain.deletedSendingDomainId).toBe(domain.id);
    expect(await domainRows('later.checked.test')).toEqual([]);
    const err = (await api.schedule(id, new Date(Date.now() + 3_600_000))).body.errors?.[0];
    expect(err?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((err?.extensions?.findings as Finding[]).map((f) => f.code)).toEqual([
      'UNVERIFIED_SENDING_DOMAIN',
    ]);
    expect((await campaignRow(id)).status).toBe('DRAFT');
    await api.createDomain('later.checked.test');
    const scheduled = await api.schedule(id, new Date(Date.now() + 3_600_000));
    expect(scheduled.body.data?.scheduleCampaign.campaign.status).toBe('SCHEDULED');
    // A status that does not allow the move is still a CONFLICT (and an unknown campaign NOT_FOUND).
    await api.data(
      'mutation($input: CampaignIdInput!) { cancelCampaign(input: $input) { campaign { id } } }',
      {
        input: { id },
      },
    );
    expect(errorOf(await api.send(id)).code).toBe('CONFLICT');
    const unknown = globalIdOf('Campaign', randomUUID());
    expect(errorOf(await api.send(unknown)).code).toBe('NOT_FOUND');
    expect(
      (await api.call('query($id: ID!) { previewCampaignChecks(id: $id) { passed } }', { id: unknown })).body
        .errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');
  });

  it("does not check another organisation's campaign", async () => {
    const id = await api.campaign({ fromEmail: 'x@checked.test', textBody: 'Hi' }, []);
    const res = await otherApi.call('query($id: ID!) { previewCampaignChecks(id: $id) { passed } }', { id });
    expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(errorOf(await otherApi.send(id)).code).toBe('NOT_FOUND');
  });

  it('readyToSend (test support) makes an organisation ready to send', async () => {
    const fresh = await seed(server).org('Ready').withContacts(1);
    const freshApi = apiOf(server, fresh.key);
    const ready = await readyToSend(server, fresh.key, 'ready.example.test');
    expect(ready.postalAddress).toBe(POSTAL_ADDRESS);
    // Again for the same domain is fine.
    expect((await readyToSend(server, fresh.key, 'ready.example.test')).domainId).toBe(ready.domainId);
    const id = await freshApi.campaign(
      {
        fromEmail: 'hi@ready.example.test',
        htmlBody: `<p>Hi</p>${HTML_FOOTER}`,
        textBody: `Hi\n${TEXT_FOOTER}`,
      },
      [fresh.contacts[0].id],
    );
    expect((await freshApi.send(id)).body.data?.sendCampaign.campaign.status).toBe('SENDING');
  });
});

describe('sending domains through mailgun.js to a loopback Mailgun', () => {
  const API_KEY = 'key-test-checks-0123';
  let double: MailgunDouble;
  let server: TestServer;
  let org: SeededOrg;
  let other: SeededOrg;
  let api: ReturnType<typeof apiOf>;
  let otherApi: ReturnType<typeof apiOf>;

  beforeAll(async () => {
    double = await startMailgunDouble({ apiKey: API_KEY, signingKey: 'signing-key-checks' });
    server = await startServer({
      env: {
        EMAIL_POLL_MS: '50',
        PUBLIC_URL: 'https://crm.example.test',
        MAILGUN_API_KEY: API_KEY,
        MAILGUN_URL: double.url,
        MAILGUN_DOMAIN: 'mg.platform.test',
      },
    });
    org = await seed(server).org('Mailgun checked').withContacts(2);
    other = await seed(server).org('Mailgun elsewhere');
    api = apiOf(server, org.key);
    otherApi = apiOf(server, other.key);
  });
  afterAll(async () => {
    await server.close();
    await double.close();
  });

  const requests = () => double.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
  let domain: DomainOut;

  it('registers a domain with Mailgun: UNVERIFIED, with the DNS records Mailgun answers', async () => {
    const res = await api.createDomain('news.mg-checked.test');
    expect(res.body.errors).toBeUndefined();
    domain = dataOf(res).createSendingDomain.sendingDomain;
    expect(domain).toMatchObject({
      name: 'news.mg-checked.test',
      state: 'UNVERIFIED',
      provider: 'MAILGUN',
      verifiedAt: null,
    });
    expect(domain.note).toMatch(/Publish the DNS records/);
    const stored = double.domains.get('news.mg-checked.test');
    expect(stored?.domain.state).toBe('unverified');
    // Mailgun's own records (its DKIM key included), as published names and values.
    expect(domain.dnsRecords).toEqual(
      (stored?.sending_dns_records ?? []).map((r) => ({
        type: r.record_type,
        name: r.name,
        value: r.value,
        valid: 'UNKNOWN',
      })),
    );
    expect(domain.dnsRecords.map((r) => r.type)).toEqual(['TXT', 'TXT', 'CNAME']);
    expect(requests()).toEqual(['POST /v4/domains 200']);
    expect(await api.domains()).toEqual([domain]);
  });

  it('stays UNVERIFIED until Mailgun finds the DNS records, then turns VERIFIED on refresh', async () => {
    const still = await api.refreshDomain(domain.id);
    expect(still.body.data?.refreshSendingDomain.sendingDomain).toMatchObject({
      state: 'UNVERIFIED',
      verifiedAt: null,
    });
    expect(requests().at(-1)).toBe('PUT /v4/domains/news.mg-checked.test/verify 200');

    double.verifyDomain('news.mg-checked.test');
    const res = await api.refreshDomain(domain.id);
    const verified = dataOf(res).refreshSendingDomain.sendingDomain;
    expect(verified).toMatchObject({ state: 'VERIFIED', provider: 'MAILGUN', note: null });
    expect(verified.verifiedAt).not.toBeNull();
    expect(verified.dnsRecords.every((r) => r.valid === 'VALID')).toBe(true);
    expect(await server.db('select state from sending_domain where id = $1', [pkOf(domain.id)])).toEqual([
      { state: 'VERIFIED' },
    ]);
    domain = verified;
  });

  it("keeps the domain to its organisation, and refuses another's registration of a name Mailgun has", async () => {
    expect(await otherApi.domains()).toEqual([]);
    const before = double.requests.length;
    expect(errorOf(await otherApi.refreshDomain(domain.id)).code).toBe('NOT_FOUND');
    expect(errorOf(await otherApi.deleteDomain(domain.id)).code).toBe('NOT_FOUND');
    expect(double.requests.length).toBe(before);
    // Mailgun domains are per account: the same name for another organisation is refused, not adopted.
    const err = errorOf(await otherApi.createDomain('news.mg-checked.test'));
    expect(err.code).toBe('CONFLICT');
    expect(await otherApi.domains()).toEqual([]);
    expect(
      await server.db('select organization_id from sending_domain where name = $1', ['news.mg-checked.test']),
    ).toEqual([{ organization_id: pkOf(org.organizationId) }]);
    expect(double.domains.get('news.mg-checked.test')?.domain.state).toBe('active');
    // As is the platform's own domain, already in the Mailgun account.
    const client = new Mailgun(FormData).client({ username: 'api', key: API_KEY, url: double.url });
    await client.domains.create({ name: 'mg.platform.test' });
    double.verifyDomain('mg.platform.test');
    expect(errorOf(await otherApi.createDomain('mg.platform.test')).code).toBe('CONFLICT');
    expect(await otherApi.domains()).toEqual([]);
    // Invalid names never reach Mailgun.
    const count = double.requests.length;
    expect(errorOf(await api.createDomain('10.0.0.1')).code).toBe('BAD_USER_INPUT');
    expect(double.requests.length).toBe(count);
  });

  it('checks against Mailgun-verified domains only, and sends once the campaign passes', async () => {
    const id = await api.campaign(
      { fromEmail: 'news@news.mg-checked.test', ...passingBodies({ text: 'Hello from Mailgun' }) },
      org.contacts.map((c) => c.id),
    );
    expect((await api.preview(id)).findings.map((f) => f.code)).toEqual(['NO_POSTAL_ADDRESS']);
    await api.setAddress(POSTAL_ADDRESS);
    expect((await api.preview(id)).passed).toBe(true);

    // A domain verified locally (before Mailgun was configured) does not count under Mailgun.
    await server.db(
      `insert into sending_domain (id, organization_id, name, state, provider, dns_records, verified_at, created_at)
       values ($1, $2, 'local.mg-checked.test', 'VERIFIED', 'LOCAL', '[]', now(), now())`,
      [randomUUID(), pkOf(org.organizationId)],
    );
    await api.update({ id, fromEmail: 'news@local.mg-checked.test' });
    expect((await api.preview(id)).findings.map((f) => [f.code, f.detail])).toEqual([
      ['UNVERIFIED_SENDING_DOMAIN', 'local.mg-checked.test'],
    ]);
    expect(errorOf(await api.send(id)).code).toBe('BAD_USER_INPUT');
    // Refreshing it registers it with Mailgun.
    const local = named(await api.domains(), 'local.mg-checked.test');
    expect(local.provider).toBe('LOCAL');
    const registered = dataOf(await api.refreshDomain(local.id)).refreshSendingDomain.sendingDomain;
    expect(registered).toMatchObject({ provider: 'MAILGUN', state: 'UNVERIFIED' });
    expect(registered.dnsRecords).toHaveLength(3);
    expect(double.domains.has('local.mg-checked.test')).toBe(true);

    await api.update({ id, fromEmail: 'news@news.mg-checked.test' });
    const sent = await api.send(id);
    expect(sent.body.errors).toBeUndefined();
    await until('two messages at Mailgun', async () =>
      double.messages.filter((m) => m.from === 'news@news.mg-checked.test').length === 2 ? true : undefined,
    );
  });

  it('no longer counts a domain Mailgun now has under another registration, and leaves that one alone', async () => {
    const second = dataOf(await api.createDomain('second.mg-checked.test')).createSendingDomain.sendingDomain;
    // Deleted at Mailgun and registered again by someone else: another id.
    const client = new Mailgun(FormData).client({ username: 'api', key: API_KEY, url: double.url });
    for (const name of ['news.mg-checked.test', 'second.mg-checked.test']) {
      await client.domains.destroy(name);
      await client.domains.create({ name });
      double.verifyDomain(name);
    }
    const replaced = double.domains.get('news.mg-checked.test')?.domain.id;
    expect(errorOf(await api.refreshDomain(domain.id)).code).toBe('CONFLICT');
    expect(named(await api.domains(), 'news.mg-checked.test').state).toBe('UNVERIFIED');
    // Deleting either leaves the other registration at Mailgun alone.
    const before = double.requests.length;
    for (const id of [second.id, domain.id]) {
      expect(dataOf(await api.deleteDomain(id)).deleteSendingDomain.deletedSendingDomainId).toBe(id);
    }
    expect(double.requests.slice(before).filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(double.domains.get('news.mg-checked.test')?.domain.id).toBe(replaced);
    expect(double.domains.has('second.mg-checked.test')).toBe(true);
  });

  it('deletes its own registration at Mailgun with the domain', async () => {
    const local = named(await api.domains(), 'local.mg-checked.test');
    const res = await api.deleteDomain(local.id);
    expect(res.body.data?.deleteSendingDomain.deletedSendingDomainId).toBe(local.id);
    expect(double.domains.has('local.mg-checked.test')).toBe(false);
    expect(requests().at(-1)).toBe('DELETE /v3/domains/local.mg-checked.test 200');
    expect(await api.domains()).toEqual([]);
  });

  it('readyToSend (test support) verifies through the double', async () => {
    const fresh = await seed(server).org('Mailgun ready').withContacts(1);
    await readyToSend(server, fresh.key, 'ready.mg-checked.test', { double });
    expect(double.domains.get('ready.mg-checked.test')?.domain.state).toBe('active');
    const [d] = await apiOf(server, fresh.key).domains();
    expect(d).toMatchObject({ name: 'ready.mg-checked.test', state: 'VERIFIED', provider: 'MAILGUN' });
  });
});

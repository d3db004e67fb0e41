import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { passingBodies, readyToSend } from './support/email';
import { startMailgunDouble, type MailgunDouble } from './support/mailgun-double';
import { createTestDatabase, type GraphQLResponse, type TestServer } from './support/server';

/**
 * Kill-and-restart of the real process mid-send (issue 11): the built server (`node dist/src/main.js`,
 * as `npm start` runs it; `npm test` builds before jest) sends a campaign to the Mailgun double, is
 * killed with SIGKILL part-way, and is started again on the same database. Every recipient must get
 * exactly one message: the sends the dead process handed over but never recorded are found through
 * the events API by `v:member` and recorded (not sent again), the rest are sent.
 */

const MAIN = path.join(__dirname, '..', 'dist', 'src', 'main.js');
const API_KEY = 'key-crash-test';
const DOMAIN = 'mg.crash.test';
const RECIPIENTS = 60;
/** The process is killed once the double has stored this many messages. */
const KILL_AFTER = 20;
/**
 * The double stores each message, then waits this long before answering: a kill during the wait
 * leaves a message the double accepted and the process never recorded (the case to reconcile).
 */
const DELAY_MS = 40;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(2);
  }
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
  origin: string;
}

describe('a campaign send killed mid-way (SIGKILL) and restarted', () => {
  jest.setTimeout(40_000);

  let double: MailgunDouble;
  let databaseUrl: string;
  let db: pg.Pool;
  const children: Running[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first.`);
    double = await startMailgunDouble({ apiKey: API_KEY, signingKey: 'crash-test-signing-key' });
    double.setDelay(DELAY_MS);
    databaseUrl = await createTestDatabase();
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  });

  afterAll(async () => {
    for (const p of children) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }
    await Promise.all(children.map((p) => p.exited));
    await db?.end();
    await double?.close();
  });

  async function start(): Promise<Running> {
    let out = '';
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DB_POOL_SIZE: '5',
        PUBLIC_URL: 'https://crm.example.test',
        MAILGUN_API_KEY: API_KEY,
        MAILGUN_URL: double.url,
        MAILGUN_DOMAIN: DOMAIN,
        EMAIL_POLL_MS: '50',
        EMAIL_STALE_CLAIM_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const running: Running = { child, output: () => out, exited, origin: '' };
    children.push(running);
    const port = await until(
      'the process to print its endpoint',
      () => {
        if (child.exitCode !== null) throw new Error(`the process exited early:\n${out}`);
        return /GraphQL endpoint: http:\/\/localhost:(\d+)\/graphql/.exec(out)?.[1];
      },
      15_000,
    );
    running.origin = `http://127.0.0.1:${port}`;
    return running;
  }

  /** What `readyToSend` needs of a TestServer (`gql`), for the spawned process. */
  function client(origin: string): TestServer {
    const gql = async <T>(query: string, variables?: Record<string, unknown>, key?: string) => {
      const res = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse<T>['body'];
      return { status: res.status, headers: res.headers, body };
    };
    return { gql } as Pick<TestServer, 'gql'> as TestServer;
  }

  async function data<T>(
    server: TestServer,
    query: string,
    variables: Record<string, unknown>,
    key?: string,
  ): Promise<T> {
    const res = await server.gql<T>(query, variables, key);
    if (res.body.errors?.length || !res.body.data) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }

  const pkOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

  const memberRows = (campaignPk: string) =>
    db
      .query<{
        id: string;
        status: string;
        provider_message_id: string | null;
        claim_id: string | null;
        claimed_at: Date | null;
      }>(
        'select id, status, provider_message_id, claim_id, claimed_at from campaign_member where campaign_id = $1',
        [campaignPk],
      )
      .then((r) => r.rows);

  it('delivers exactly one message per recipient, recording the ones the dead process handed over', async () => {
    const first = await start();
    const api = client(first.origin);

    const { signUp } = await data<{ signUp: { key: string } }>(
      api,
      'mutation($input: SignUpInput!) { signUp(input: $input) { key } }',
      { input: { organizationName: 'Crash Test', email: 'admin@crash.test' } },
    );
    const key = signUp.key;
    await readyToSend(api, key, DOMAIN, { double });

    const contacts = Array.from({ length: RECIPIENTS }, (_, i) => ({
      firstName: `First${i}`,
      lastName: `Last${i}`,
      emails: [`c${i}@crash.test`],
    }));
    const { createContacts } = await data<{
      createContacts: { createdCount: number; results: { contact: { id: string } | null }[] };
    }>(
      api,
      'mutation($input: CreateContactsInput!) { createContacts(input: $input) { createdCount results { contact { id } } } }',
      { input: { contacts } },
      key,
    );
    expect(createContacts.createdCount).toBe(RECIPIENTS);

    const { createCampaign } = await data<{ createCampaign: { campaign: { id: string } } }>(
      api,
      'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
      {
        input: {
          name: 'Crash',
          subject: 'Spring news',
          fromEmail: `news@${DOMAIN}`,
          fromName: 'Workpex News',
          ...passingBodies({ html: '<p>Hello</p>', text: 'Hello' }),
        },
      },
      key,
    );
    const campaignId = createCampaign.campaign.id;
    const campaignPk = pkOf(campaignId);
    const { addCampaignRecipients } = await data<{ addCampaignRecipients: { added: number } }>(
      api,
      'mutation($input: AddCampaignRecipientsInput!) { addCampaignRecipients(input: $input) { added } }',
      { input: { campaignId, contactIds: createContacts.results.map((r) => r.contact?.id) } },
      key,
    );
    expect(addCampaignRecipients.added).toBe(RECIPIENTS);
    expect(double.messages).toHaveLength(0);

    const sent = await data<{ sendCampaign: { campaign: { status: string } } }>(
      api,
      'mutation($input: CampaignIdInput!) { sendCampaign(input: $input) { campaign { status } } }',
      { input: { id: campaignId } },
      key,
    );
    expect(sent.sendCampaign.campaign.status).toBe('SENDING');

    // Kill while the double holds back the answer to the message it just stored. Deterministic: this
    // poll's 2 ms timer was set before that message arrived, so it fires (and kills) before the
    // double's DELAY_MS answer timer, however late the event loop runs.
    await until(
      'the double to receive some messages',
      () => (double.messages.length >= KILL_AFTER ? true : undefined),
      10_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    await sleep(100); // anything already on the wire lands
    const beforeKill = new Map(double.messages.map((m) => [m.variables.member, m.id]));
    const atKill = await memberRows(campaignPk);
    expect(atKill).toHaveLength(RECIPIENTS);
    // Accepted by the double, yet the database has no outcome: only reconciliation can settle these.
    const unrecorded = atKill.filter((r) => beforeKill.has(r.id) && r.status !== 'SENT');
    const claimedUnsent = atKill.filter((r) => !beforeKill.has(r.id) && r.claim_id !== null);
    expect(unrecorded.length).toBeGreaterThanOrEqual(1);
    for (const r of unrecorded) expect([r.status, r.claim_id === null]).toEqual(['PENDING', false]);
    // Everything the database does call SENT, the double has.
    for (const r of atKill.filter((x) => x.status === 'SENT')) {
      expect(r.provider_message_id).toBe(beforeKill.get(r.id));
    }

    const second = await start();
    await until(
      'the campaign to be SENT after the restart',
      async () => {
        const { rows } = await db.query<{ status: string }>('select status from campaign where id = $1', [
          campaignPk,
        ]);
        return rows[0]?.status === 'SENT' ? true : undefined;
      },
      20_000,
    );

    // Exactly one message per member, and nothing more.
    const byMember = new Map<string, string[]>();
    for (const m of double.messages) {
      byMember.set(m.variables.member, [...(byMember.get(m.variables.member) ?? []), m.id]);
    }
    const members = await memberRows(campaignPk);
    expect(members).toHaveLength(RECIPIENTS);
    expect(byMember.size).toBe(RECIPIENTS);
    expect([...byMember.values()].filter((ids) => ids.length !== 1)).toEqual([]);
    expect(double.messages).toHaveLength(RECIPIENTS);
    for (const r of members) {
      expect([r.id, r.status, r.provider_message_id, r.claim_id, r.claimed_at]).toEqual([
        r.id,
        'SENT',
        byMember.get(r.id)?.[0],
        null,
        null,
      ]);
    }
    expect([...byMember.keys()].sort()).toEqual(members.map((r) => r.id).sort());
    // The unrecorded ones were looked up by `v:member` and kept the message accepted before the kill.
    const askedAbout = new Set(
      double.requests
        .filter((r) => r.method === 'GET' && r.path === `/v3/${DOMAIN}/events`)
        .map((r) => (JSON.parse(r.query['user-variables'] ?? '{}') as { member?: string }).member),
    );
    for (const r of unrecorded) {
      expect(askedAbout.has(r.id)).toBe(true);
      expect(members.find((x) => x.id === r.id)?.provider_message_id).toBe(beforeKill.get(r.id));
    }

    console.log(
      `crash test: ${beforeKill.size} messages before the kill, ${unrecorded.length} reconciled ` +
        `(accepted, unrecorded), ${claimedUnsent.length} claimed but unsent, ${double.messages.length} in all`,
    );
    second.child.kill('SIGTERM');
    await second.exited;
  });
});

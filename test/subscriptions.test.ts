/*
 * The Redis half needs a Redis server on 127.0.0.1:6379 and fails (never skips) without one
 * (see test/pubsub-transport.test.ts for how to start a throwaway one).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { dataOf, pkOf } from './support/graphql';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { startServer, type TestServer } from './support/server';
import { costOf, insertPlan } from './support/usage';
import { connect, disposeSockets, waitFor, type Operation, type Socket } from './support/ws';

/**
 * CONTRACT §2, §5 and §6 from a real graphql-ws client: connection auth, the same front door
 * and gate as HTTP for every operation on the socket, the three subscription fields, tenancy,
 * delivery across instances (PostgreSQL and Redis transports), concurrent-subscription limits,
 * key revocation and graceful shutdown.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';

const USAGE = `plan { code } dimensions { dimension limit used remaining resetAt }
  throttleStatus { maximumAvailable currentlyAvailable restoreRate }`;
const QUOTA = `subscription { quotaChanged { ${USAGE} } }`;
const CALLS = `subscription($callId: ID) { callStatusChanged(callId: $callId) { id status notes deletedAt } }`;
const BOUNCES = `subscription($campaignId: ID) { bounceRateChanged(campaignId: $campaignId) {
  campaign { id } stats { recipients bounceRate complaintRate } sendingRestricted } }`;

interface Usage {
  plan: { code: string };
  dimensions: { dimension: string; limit: number; used: number; remaining: number; resetAt: string | null }[];
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}
interface CallEvent {
  callStatusChanged: { id: string; status: string; notes: string | null; deletedAt: string | null };
}
interface BounceEvent {
  bounceRateChanged: {
    campaign: { id: string };
    stats: { recipients: number; bounceRate: number; complaintRate: number };
    sendingRestricted: boolean;
  };
}

function dimension(u: Usage, name: string) {
  const d = u.dimensions.find((x) => x.dimension === name);
  if (!d) throw new Error(`no ${name} dimension in ${JSON.stringify(u.dimensions)}`);
  return d;
}

async function usageOf(server: TestServer, key: string) {
  const res = await server.gql<{ usage: Usage }>(`{ usage { ${USAGE} } }`, {}, key);
  return { usage: dataOf(res).usage, cost: costOf(res) };
}

async function logCall(server: TestServer, key: string): Promise<string> {
  const res = await server.gql<{ logCall: { call: { id: string } } }>(
    `mutation { logCall(input: { direction: OUTBOUND, fromNumber: "+14155550100", toNumber: "+14155550123" }) {
      call { id } } }`,
    {},
    key,
  );
  return dataOf(res).logCall.call.id;
}

async function createCampaign(server: TestServer, key: string): Promise<string> {
  const res = await server.gql<{ createCampaign: { campaign: { id: string } } }>(
    `mutation { createCampaign(input: { name: "Launch", subject: "Hello", fromEmail: "news@example.com" }) {
      campaign { id } } }`,
    {},
    key,
  );
  return dataOf(res).createCampaign.campaign.id;
}

async function changeRecipients(
  server: TestServer,
  key: string,
  change: 'add' | 'remove',
  campaignId: string,
  contactIds: string[],
): Promise<void> {
  const field = change === 'add' ? 'addCampaignRecipients' : 'removeCampaignRecipients';
  const input = change === 'add' ? 'AddCampaignRecipientsInput' : 'RemoveCampaignRecipientsInput';
  dataOf(
    await server.gql(
      `mutation($input: ${input}!) { ${field}(input: $input) { campaign { id } } }`,
      { input: { campaignId, contactIds } },
      key,
    ),
  );
}

/**
 * Repeats `trigger` until `op` receives an event (the subscription is live: graphql-ws does
 * not acknowledge a subscribe), then lets the events settle.
 */
async function untilLive<T>(op: Operation<T>, trigger: () => Promise<unknown>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await trigger();
    try {
      await op.nextEvents(1, 400);
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
  await op.settle();
}

/** A metric's value in GET /metrics (0 when absent). */
async function metric(server: TestServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** `promise`, or a failure naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('subscriptions over graphql-ws (PostgreSQL transport)', () => {
  let server: TestServer;
  /** A second instance on the same database. */
  let peer: TestServer;

  beforeAll(async () => {
    server = await startServer();
    peer = await startServer({ databaseUrl: server.databaseUrl });
    // Restores 1 per second: the bucket barely moves while a test compares numbers.
    await insertPlan(server, 'SLOW', { bucketSize: 100_000, restoreRate: 1 });
    await insertPlan(server, 'SUBS2', { maxSubscriptions: 2 });
    await insertPlan(server, 'ISO_A', {});
    await insertPlan(server, 'ISO_B', {});
  });
  afterEach(() => disposeSockets());
  afterAll(async () => {
    await Promise.all([server?.close(), peer?.close()]);
  });

  describe('connection auth and quotaChanged', () => {
    let org: SeededOrg;
    const keys: Record<string, string> = {};
    beforeAll(async () => {
      org = await seed(server).org('Auth');
      keys.read = (await createApiKey(server, org.key, ['READ'])).key;
      keys.subscribe = (await createApiKey(server, org.key, ['SUBSCRIBE'])).key;
    });

    it.each([
      ['a bad key', () => 'wpx_this_is_not_a_key_at_all_0123456789'],
      ['no key', () => null],
      ['a READ-only key', () => keys.read],
    ])('closes the socket with 4403 for %s', async (_name, key) => {
      const socket = connect(server, key());
      expect(await socket.closed(3000)).toMatchObject({ code: 4403 });
    });

    it('accepts a SUBSCRIBE key given bare and sends its usage at once', async () => {
      const socket = connect(server, keys.subscribe, { bare: true });
      const quota = socket.subscribe<{ quotaChanged: Usage }>(QUOTA);
      const [{ quotaChanged: first }] = await quota.nextEvents(1, 1000);
      expect(first.plan.code).toBe('TEST');
      expect(socket.isOpen()).toBe(true);
    });

    it('pushes quotaChanged with the numbers `usage` shows after a request spends cost', async () => {
      const slow = await seed(server).org('Numbers').onPlan('SLOW');
      const { key: subscribeKey } = await createApiKey(server, slow.key, ['SUBSCRIBE']);
      const socket = connect(server, subscribeKey);
      const quota = socket.subscribe<{ quotaChanged: Usage }>(QUOTA);
      const [{ quotaChanged: first }] = await quota.nextEvents(1, 1000);
      const started = Date.now();

      const res = await server.gql(
        'mutation { createContact(input: { firstName: "Spends", emails: ["spends@numbers.test"] }) { contact { id } } }',
        {},
        slow.key,
      );
      dataOf(res);
      const spent = costOf(res);
      // A mutation costs what it asks for: no refund is pending to blur the comparison.
      expect(spent.actualQueryCost).toBe(spent.requestedQueryCost);
      expect(spent.actualQueryCost).toBeGreaterThanOrEqual(10);

      const { quotaChanged: event } = await quota.eventWhere(
        'counting the request',
        ({ quotaChanged: u }) => dimension(u, 'API_CALLS').used > dimension(first, 'API_CALLS').used,
      );
      const { usage, cost: usageCost } = await usageOf(server, slow.key);
      // The bucket refills 1 per second meanwhile: allow what the elapsed time restores (and rounding).
      const restored = Math.ceil((Date.now() - started) / 1000) + 1;

      expect(dimension(event, 'API_CALLS').used).toBe(dimension(first, 'API_CALLS').used + 1);
      const costGrew = dimension(event, 'COST').used - dimension(first, 'COST').used;
      expect(costGrew).toBeLessThanOrEqual(spent.actualQueryCost);
      expect(costGrew).toBeGreaterThanOrEqual(spent.actualQueryCost - restored);
      expect(
        event.throttleStatus.currentlyAvailable - spent.throttleStatus.currentlyAvailable,
      ).toBeGreaterThanOrEqual(0);
      expect(
        event.throttleStatus.currentlyAvailable - spent.throttleStatus.currentlyAvailable,
      ).toBeLessThanOrEqual(restored);

      // The usage read counts itself (one call, its own reserved cost); otherwise the same numbers.
      expect(dimension(usage, 'API_CALLS')).toEqual({
        ...dimension(event, 'API_CALLS'),
        used: dimension(event, 'API_CALLS').used + 1,
        remaining: dimension(event, 'API_CALLS').remaining - 1,
      });
      const usageGrew = dimension(usage, 'COST').used - dimension(event, 'COST').used;
      expect(usageGrew).toBeLessThanOrEqual(usageCost.requestedQueryCost);
      expect(usageGrew).toBeGreaterThanOrEqual(usageCost.requestedQueryCost - restored);
      expect(event.throttleStatus).toMatchObject({ maximumAvailable: 100_000, restoreRate: 1 });
      expect(usage.throttleStatus.maximumAvailable).toBe(event.throttleStatus.maximumAvailable);
      expect(dimension(event, 'SUBSCRIPTIONS').used).toBe(1);
      expect(dimension(usage, 'SUBSCRIPTIONS')).toEqual(dimension(event, 'SUBSCRIPTIONS'));
      expect(usage.plan).toEqual(event.plan);
    });
  });

  it('answers a syntax error and an unknown field with error messages and keeps the socket open', async () => {
    const org = await seed(server).org('Front door');
    const socket = connect(server, org.key);
    await socket.connected();

    const broken = await socket.subscribe('subscription { quotaChanged { plan { code } ').refusal();
    expect(broken.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
    const unknown = await socket.subscribe('subscription { quotaChanged { noSuchField } }').refusal();
    expect(unknown.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(socket.isOpen()).toBe(true);

    const quota = socket.subscribe<{ quotaChanged: Usage }>(QUOTA);
    const [{ quotaChanged: first }] = await quota.nextEvents(1);
    await server.gql('{ viewer { organization { id } } }', {}, org.key);
    await quota.eventWhere(
      'after a request',
      ({ quotaChanged: u }) => dimension(u, 'API_CALLS').used > dimension(first, 'API_CALLS').used,
    );
    expect(socket.isOpen()).toBe(true);
  });

  describe('tenancy', () => {
    interface Tenant {
      org: SeededOrg;
      calls: Set<string>;
      campaignId: string;
    }
    let a: Tenant;
    let b: Tenant;
    beforeAll(async () => {
      const tenant = async (name: string, plan: string): Promise<Tenant> => {
        const org = await seed(server).org(name).onPlan(plan).withContacts(2);
        return { org, calls: new Set(), campaignId: await createCampaign(server, org.key) };
      };
      [a, b] = await Promise.all([tenant('Tenant A', 'ISO_A'), tenant('Tenant B', 'ISO_B')]);
    });

    interface Field<T> {
      query: string;
      /** Makes the organisation's subscriber see one event of its own. */
      trigger(t: Tenant): Promise<unknown>;
      /** Every kind of change that publishes the field, in the organisation (one event each). */
      burst(t: Tenant): Promise<number>;
      owns(t: Tenant, data: T): boolean;
    }
    const quotaField: Field<{ quotaChanged: Usage }> = {
      query: QUOTA,
      trigger: (t) => server.gql('{ viewer { organization { id } } }', {}, t.org.key),
      async burst(t) {
        await server.gql('{ viewer { organization { id } } }', {}, t.org.key);
        return 1;
      },
      owns: (t, { quotaChanged }) => quotaChanged.plan.code === (t === a ? 'ISO_A' : 'ISO_B'),
    };
    const callField: Field<CallEvent> = {
      query: CALLS,
      trigger: async (t) => t.calls.add(pkOf(await logCall(server, t.org.key))),
      async burst(t) {
        const id = await logCall(server, t.org.key);
        t.calls.add(pkOf(id));
        for (const m of [
          `updateCall(input: { id: "${id}", notes: "called back" }) { call { id } }`,
          `deleteCall(input: { id: "${id}" }) { deletedCallId }`,
          `restoreCall(input: { id: "${id}" }) { call { id } }`,
        ])
          dataOf(await server.gql(`mutation { ${m} }`, {}, t.org.key));
        return 4;
      },
      owns: (t, { callStatusChanged }) => t.calls.has(pkOf(callStatusChanged.id)),
    };
    const bounceField: Field<BounceEvent> = {
      query: BOUNCES,
      trigger: (t) => changeRecipients(server, t.org.key, 'add', t.campaignId, [t.org.contacts[0].id]),
      async burst(t) {
        await changeRecipients(server, t.org.key, 'add', t.campaignId, [t.org.contacts[1].id]);
        await changeRecipients(server, t.org.key, 'remove', t.campaignId, [t.org.contacts[1].id]);
        return 2;
      },
      owns: (t, { bounceRateChanged }) => bounceRateChanged.campaign.id === t.campaignId,
    };

    it.each([
      ['quotaChanged', quotaField],
      ['callStatusChanged', callField],
      ['bounceRateChanged', bounceField],
    ] as [string, Field<unknown>][])(
      "never sends organisation A's %s subscriber B's events",
      async (_field, field) => {
        const subscribe = async (t: Tenant) => {
          const op = connect(server, t.org.key).subscribe(field.query);
          await untilLive(op, () => field.trigger(t));
          return op;
        };
        const opA = await subscribe(a);
        const liveAt = opA.results.length;
        const opB = await subscribe(b);

        const fromB = await field.burst(b);
        const seenByB = await opB.nextEvents(fromB);
        expect(seenByB.every((e) => field.owns(b, e))).toBe(true);
        await field.trigger(a);
        await opA.nextEvents(1);
        // Anything of B's leaked to A would have come before A's own event, or right after it.
        await opA.settle();
        expect(opA.errors).toBeUndefined();
        const sawA = opA.results.slice(liveAt);
        expect(sawA).toHaveLength(1);
        expect(sawA.every((r) => r.data !== undefined && r.data !== null && field.owns(a, r.data))).toBe(
          true,
        );
      },
    );

    it("refuses callStatusChanged and bounceRateChanged on another organisation's call or campaign", async () => {
      const callOfB = await logCall(server, b.org.key);
      const socket = connect(server, a.org.key);
      const call = await socket.subscribe(CALLS, { callId: callOfB }).failure();
      expect(call.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      const campaign = await socket.subscribe(BOUNCES, { campaignId: b.campaignId }).failure();
      expect(campaign.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(socket.isOpen()).toBe(true);
    });

    it('sends callStatusChanged(callId) only that call, and bounceRateChanged(campaignId) only that campaign', async () => {
      const watched = await logCall(server, a.org.key);
      const other = await logCall(server, a.org.key);
      const socket = connect(server, a.org.key);
      const calls = socket.subscribe<CallEvent>(CALLS, { callId: watched });
      const update = (id: string, notes: string) =>
        server.gql(
          `mutation { updateCall(input: { id: "${id}", notes: "${notes}" }) { call { id } } }`,
          {},
          a.org.key,
        );
      await untilLive(calls, () => update(watched, 'warm-up'));
      await update(other, 'not watched');
      await update(watched, 'watched');
      const [{ callStatusChanged }] = await calls.nextEvents(1);
      expect(callStatusChanged).toMatchObject({ id: watched, notes: 'watched' });

      const otherCampaign = await createCampaign(server, a.org.key);
      const bounces = socket.subscribe<BounceEvent>(BOUNCES, { campaignId: a.campaignId });
      const add = (campaignId: string) =>
        changeRecipients(server, a.org.key, 'add', campaignId, [a.org.contacts[0].id]);
      await untilLive(bounces, () => add(a.campaignId));
      await add(otherCampaign);
      await changeRecipients(server, a.org.key, 'add', a.campaignId, [a.org.contacts[1].id]);
      const [{ bounceRateChanged }] = await bounces.nextEvents(1);
      expect(bounceRateChanged.campaign.id).toBe(a.campaignId);
      expect(bounceRateChanged.stats.recipients).toBe(2);
      expect(bounceRateChanged.sendingRestricted).toBe(false);
    });
  });

  it('delivers an event raised on one instance to a subscriber on the other (PostgreSQL LISTEN/NOTIFY)', async () => {
    const org = await seed(server).org('Two instances');
    const calls = connect(peer, org.key).subscribe<CallEvent>(CALLS);
    // Live once an event raised on its own instance arrives.
    await untilLive(calls, () => logCall(peer, org.key));
    const [published, delivered] = await Promise.all([
      metric(server, 'workpex_events_published_total', 'topic="call"'),
      metric(peer, 'workpex_events_delivered_total', 'topic="call"'),
    ]);

    const id = await logCall(server, org.key);
    const [{ callStatusChanged }] = await calls.nextEvents(1);
    expect(callStatusChanged).toMatchObject({ id, status: 'COMPLETED' });
    expect(await metric(server, 'workpex_events_published_total', 'topic="call"')).toBe(published + 1);
    expect(await metric(peer, 'workpex_events_delivered_total', 'topic="call"')).toBe(delivered + 1);
  });

  describe('limits', () => {
    it('refuses a subscription over the concurrent limit, keeps the others, and frees a place when one ends', async () => {
      const org = await seed(server).org('Two subscriptions').onPlan('SUBS2');
      const socket = connect(server, org.key);
      const first = socket.subscribe<{ quotaChanged: Usage }>(QUOTA);
      await first.nextEvents(1);
      const second = socket.subscribe<{ quotaChanged: Usage }>(QUOTA);
      const [{ quotaChanged: now }] = await second.nextEvents(1);
      expect(dimension(now, 'SUBSCRIPTIONS')).toMatchObject({ used: 2, limit: 2, remaining: 0 });

      const third = await socket.subscribe(CALLS).refusal();
      expect(third).toHaveLength(1);
      expect(third[0].extensions).toMatchObject({
        code: 'USAGE_LIMIT_EXCEEDED',
        dimension: 'SUBSCRIPTIONS',
        limit: 2,
        used: 2,
      });
      const { usage } = await usageOf(server, org.key);
      expect(dimension(usage, 'SUBSCRIPTIONS')).toMatchObject({ used: 2, limit: 2 });

      // Both keep receiving.
      await first.settle();
      await second.settle();
      await server.gql('{ viewer { organization { id } } }', {}, org.key);
      const calls = (u: Usage) => dimension(u, 'API_CALLS').used;
      const after = calls(usage) + 1;
      await first.eventWhere('after the request', ({ quotaChanged }) => calls(quotaChanged) >= after);
      await second.eventWhere('after the request', ({ quotaChanged }) => calls(quotaChanged) >= after);

      // Ending one frees its place (the other hears of it) and a new one starts.
      first.stop();
      await second.eventWhere(
        'with one subscription left',
        ({ quotaChanged }) => dimension(quotaChanged, 'SUBSCRIPTIONS').used === 1,
      );
      const replacement = socket.subscribe<CallEvent>(CALLS);
      await untilLive(replacement, () => logCall(server, org.key));
      expect(replacement.errors).toBeUndefined();
      expect(dimension((await usageOf(server, org.key)).usage, 'SUBSCRIPTIONS').used).toBe(2);
      expect(socket.isOpen()).toBe(true);
    });

    it("frees a closed socket's subscription places at once", async () => {
      const org = await seed(server).org('Closing socket').onPlan('SUBS2');
      const socket = connect(server, org.key);
      // No event ever comes to these: ending them must not wait for one.
      const calls = [socket.subscribe<CallEvent>(CALLS), socket.subscribe<CallEvent>(CALLS)];
      for (const op of calls) await untilLive(op, () => logCall(server, org.key));
      const used = async () => dimension((await usageOf(server, org.key)).usage, 'SUBSCRIPTIONS').used;
      expect(await used()).toBe(2);

      await socket.dispose();
      let now = await used();
      const deadline = Date.now() + 2000;
      while (now !== 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        now = await used();
      }
      expect(now).toBe(0);
      const next = connect(server, org.key).subscribe<{ quotaChanged: Usage }>(QUOTA);
      const [{ quotaChanged }] = await next.nextEvents(1);
      expect(dimension(quotaChanged, 'SUBSCRIPTIONS').used).toBe(1);
    });

    it('refuses a subscription sent over HTTP (BAD_USER_INPUT, 400), holding no place and charging nothing', async () => {
      const org = await seed(server).org('Over HTTP').onPlan('SUBS2');
      const res = await server.gql(QUOTA, {}, org.key);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.data ?? null).toBeNull();
      expect(costOf(res).actualQueryCost).toBe(0);
      expect(dimension((await usageOf(server, org.key)).usage, 'SUBSCRIPTIONS').used).toBe(0);
    });

    it("applies the plan's depth and cost limits to a subscription document", async () => {
      const org = await seed(server).org('Free subscriber').onPlan('FREE').withContacts(1);
      const socket = connect(server, org.key);
      // 12 levels; FREE allows 10.
      const deep = await socket
        .subscribe(
          `subscription { callStatusChanged { contact { company { contacts(first: 1) { nodes { company {
            contacts(first: 1) { nodes { company { contacts(first: 1) { nodes { id } } } } } } } } } } } }`,
        )
        .refusal();
      expect(deep[0].extensions).toMatchObject({
        code: 'COST_LIMIT_EXCEEDED',
        dimension: 'DEPTH',
        limit: 10,
      });
      // Within depth, but over FREE's maximum cost of 1000.
      const costly = await socket
        .subscribe(
          `subscription { bounceRateChanged { campaign { members(first: 100) { nodes { contact {
            calls(first: 100) { nodes { id } } } } } } } }`,
        )
        .refusal();
      expect(costly[0].extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', dimension: 'MAX_COST' });
      // The same field within the limits runs.
      const shallow = socket.subscribe<{ callStatusChanged: { id: string; contact: unknown } }>(
        'subscription { callStatusChanged { id contact { company { contacts(first: 1) { nodes { id } } } } } }',
      );
      await untilLive(shallow, () => logCall(server, org.key));
      expect(socket.isOpen()).toBe(true);
    });

    it("closes a revoked key's sockets with 4403 on both instances, and only that key's", async () => {
      const org = await seed(server).org('Revoked');
      const revoked = await createApiKey(server, org.key, ['SUBSCRIBE']);
      const here = connect(server, revoked.key);
      const there = connect(peer, revoked.key);
      const bystander = connect(peer, org.key);
      const live = (s: Socket) => s.subscribe<{ quotaChanged: Usage }>(QUOTA).nextEvents(1);
      await Promise.all([live(here), live(there), live(bystander)]);

      dataOf(
        await server.gql(
          'mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } } }',
          { input: { id: revoked.id } },
          org.key,
        ),
      );
      const [closedHere, closedThere] = await Promise.all([here.closed(1000), there.closed(1000)]);
      expect(closedHere.code).toBe(4403);
      expect(closedThere.code).toBe(4403);
      expect(bystander.isOpen()).toBe(true);
      // The key no longer opens a socket on either instance.
      expect((await connect(peer, revoked.key).closed(3000)).code).toBe(4403);
    });
  });

  describe('queries and mutations over the socket', () => {
    it('runs a query and a mutation as over HTTP, with extensions.cost', async () => {
      const org = await seed(server).org('Socket queries').withContacts(2);
      const socket = connect(server, org.key);
      const query = await socket.execute<{ contacts: { totalCount: number; nodes: { id: string }[] } }>(
        '{ contacts(first: 5) { totalCount nodes { id } } }',
      );
      expect(query.errors).toBeUndefined();
      expect(query.data?.contacts.totalCount).toBe(2);
      expect(query.extensions?.cost).toMatchObject({
        requestedQueryCost: expect.any(Number),
        actualQueryCost: expect.any(Number),
        throttleStatus: { maximumAvailable: expect.any(Number), currentlyAvailable: expect.any(Number) },
      });
      expect((query.extensions?.cost as { requestedQueryCost: number }).requestedQueryCost).toBeGreaterThan(
        0,
      );

      const mutation = await socket.execute<{ createContact: { contact: { id: string } } }>(
        'mutation { createContact(input: { firstName: "Over", lastName: "Socket" }) { contact { id } } }',
      );
      expect(mutation.errors).toBeUndefined();
      expect(mutation.extensions?.cost).toMatchObject({ requestedQueryCost: expect.any(Number) });
      const id = mutation.data?.createContact.contact.id;
      const read = await server.gql<{ contact: { lastName: string } }>(
        'query($id: ID!) { contact(id: $id) { lastName } }',
        { id },
        org.key,
      );
      expect(dataOf(read).contact.lastName).toBe('Socket');
    });

    it('refuses a query root field to a key without READ (FORBIDDEN), and answers it with READ', async () => {
      const org = await seed(server).org('Socket scopes');
      const subscribeOnly = await createApiKey(server, org.key, ['SUBSCRIBE']);
      const readAndSubscribe = await createApiKey(server, org.key, ['READ', 'SUBSCRIBE']);
      const query = '{ contacts(first: 1) { totalCount } }';

      const refused = await connect(server, subscribeOnly.key).execute(query);
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(refused.data ?? null).toBeNull();
      const answered = await connect(server, readAndSubscribe.key).execute(query);
      expect(answered.errors).toBeUndefined();
      expect(answered.data).toEqual({ contacts: { totalCount: 0 } });
    });
  });
});

describe('subscriptions over graphql-ws (Redis transport)', () => {
  let one: TestServer;
  let two: TestServer;
  let spy: Redis;
  const heard: string[] = [];

  beforeAll(async () => {
    const env = { REDIS_URL };
    one = await startServer({ env });
    two = await startServer({ databaseUrl: one.databaseUrl, env });
    // The events' channel is derived from the database name (parallel test files never collide).
    spy = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await spy.connect();
    spy.on('message', (_channel: string, message: string) => heard.push(message));
    await spy.subscribe(`workpex:events:${new URL(one.databaseUrl).pathname.slice(1)}`);
  });
  afterEach(() => disposeSockets());
  afterAll(async () => {
    spy?.disconnect();
    await Promise.all([one?.close(), two?.close()]);
  });

  it('delivers an event raised on one instance to a subscriber on the other, through Redis', async () => {
    const org = await seed(one).org('Redis instances');
    const calls = connect(two, org.key).subscribe<CallEvent>(CALLS);
    await untilLive(calls, () => logCall(two, org.key));

    const id = await logCall(one, org.key);
    const [{ callStatusChanged }] = await calls.nextEvents(1);
    expect(callStatusChanged).toMatchObject({ id, status: 'COMPLETED' });
    // It crossed Redis, not the database.
    await waitFor('the event on the Redis channel', () => heard.some((m) => m.includes(pkOf(id))), 2000);
  });
});

describe('graceful shutdown', () => {
  it('closes sockets with 1001 first, then finishes the HTTP request in flight', async () => {
    const server = await startServer();
    const org = await seed(server).org('Shutdown');
    const socket = connect(server, org.key);
    await socket.subscribe(QUOTA).nextEvents(1);
    const lock = new pg.Client({ connectionString: server.databaseUrl });
    await lock.connect();
    let closing: Promise<void> | undefined;
    try {
      await lock.query('begin');
      await lock.query('lock table contact in access exclusive mode');
      let answered = false;
      const inFlight = server.gql('{ contacts(first: 5) { totalCount } }', {}, org.key).finally(() => {
        answered = true;
      });
      await within(
        (async () => {
          for (;;) {
            const { rows } = await lock.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'`,
            );
            if (rows[0].n > 0) return;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        })(),
        3000,
        'the request to wait on the lock',
      );

      closing = server.close();
      expect((await socket.closed(2000)).code).toBe(1001);
      expect(answered).toBe(false);

      await lock.query('commit');
      const res = await within(inFlight, 4000, 'the request in flight');
      expect(res.status).toBe(200);
      expect(dataOf(res)).toEqual({ contacts: { totalCount: 0 } });
      await within(closing, 5000, 'the server to close');
    } finally {
      await lock.query('rollback').catch(() => undefined);
      await lock.end();
      await disposeSockets();
      if (!closing) await server.close();
    }
  });
});

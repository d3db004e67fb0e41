import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, startServer, type GraphQLResponse, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { dataOf, errorOf, pkOf } from './support/graphql';
import { limitErrorOf, post, queryOfCost, readPlans, testClock, type PlanLimits } from './support/usage';
import { PlanCache } from '../src/modules/usage/meter';
import { requireFeature } from '../src/modules/usage';
import { addMonths, periodEndAfter } from '../src/modules/billing/period';

/**
 * CONTRACT §10 (billing subscription), black-box over HTTP. The server runs on an injected clock
 * that only the test moves; the period-end job runs when the test says (`app.billing.runDue()`),
 * its timer being set to a day so it never runs on its own here (one describe checks the timer).
 */

const DAY = 86_400_000;
/** No timer runs while a test looks (the timer itself is checked with a short tick below). */
const QUIET = { BILLING_TICK_MS: String(DAY) };

/** One calendar month later in UTC, the day clamped (written independently of src/). */
function monthAfter(ms: number): number {
  const d = new Date(ms);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)).getUTCDate();
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    Math.min(d.getUTCDate(), last),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}
const iso = (ms: number) => new Date(ms).toISOString();

interface Invoice {
  id: string;
  planCode: string;
  amount: string;
  currency: string;
  reason: string;
  periodStart: string;
  periodEnd: string;
  createdAt: string;
}
interface BillingEvent {
  kind: string;
  fromPlanCode: string | null;
  toPlanCode: string | null;
  refundAmount: string;
  note: string | null;
  at: string;
}
interface Subscription {
  plan: { code: string };
  status: string;
  price: string;
  currency: string;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  pendingPlan: { code: string } | null;
  supportContact: string;
  refundPolicy: string;
  invoices: Invoice[];
  events: BillingEvent[];
}

const SUBSCRIPTION = `plan { code } status price currency currentPeriodStart currentPeriodEnd cancelAtPeriodEnd
  canceledAt pendingPlan { code } supportContact refundPolicy
  invoices(first: 30) { id planCode amount currency reason periodStart periodEnd createdAt }
  events(first: 30) { kind fromPlanCode toPlanCode refundAmount note at }`;

/** A billing client for one server on one clock. */
function billingClient(server: () => TestServer, t: ReturnType<typeof testClock>) {
  /** Each request first moves the clock 30 s: every plan's cost bucket is full again (nothing else moves in 30 s). */
  const ask = async <T>(key: string, query: string, variables?: Record<string, unknown>) => {
    t.advance(30);
    return post<T>(server(), { key, query, variables });
  };
  return {
    ask,
    subscription: async (org: SeededOrg) =>
      dataOf(await ask<{ subscription: Subscription }>(org.key, `{ subscription { ${SUBSCRIPTION} } }`))
        .subscription,
    changePlan: (org: SeededOrg, plan: string) =>
      ask<{
        changePlan: { plan: { code: string }; appliesAt: string; subscription: Subscription };
      }>(
        org.key,
        `mutation($input: ChangePlanInput!) { changePlan(input: $input) { plan { code } appliesAt subscription { ${SUBSCRIPTION} } } }`,
        { input: { plan } },
      ),
    cancel: (org: SeededOrg, reason?: string) =>
      ask<{ cancelSubscription: { subscription: Subscription } }>(
        org.key,
        `mutation($input: CancelSubscriptionInput) { cancelSubscription(input: $input) { subscription { ${SUBSCRIPTION} } } }`,
        { input: reason ? { reason } : null },
      ),
    resume: (org: SeededOrg) =>
      ask<{ resumeSubscription: { subscription: Subscription } }>(
        org.key,
        `mutation { resumeSubscription { subscription { ${SUBSCRIPTION} } } }`,
      ),
    planInForce: async (org: SeededOrg) =>
      dataOf(await ask<{ usage: { plan: { code: string } } }>(org.key, '{ usage { plan { code } } }')).usage
        .plan.code,
  };
}

/**
 * Stored rows of the organisation, as an accountant would count them: every invoice, and the
 * events from `since` on. (Sign-up opens the first FREE period at the wall-clock time, so an
 * organisation made after the test clock moved ahead renews FREE a few times, before `since`.)
 */
async function ledger(server: TestServer, org: SeededOrg, since = 0) {
  const pk = pkOf(org.organizationId);
  const invoices = await server.db(
    'select plan, amount::text as amount, reason from invoice where organization_id = $1 order by created_at',
    [pk],
  );
  const events = await server.db(
    `select kind, refund_amount::text as refund from billing_event where organization_id = $1 and at >= $2
      order by at`,
    [pk, new Date(since)],
  );
  return { invoices, events };
}

/** The subscription's events from `since` on, newest first. */
const eventsSince = (sub: Subscription, since: number) => sub.events.filter((e) => Date.parse(e.at) >= since);

const ok = <T>(res: GraphQLResponse<T>): T => dataOf(res);

describe('billing periods (calendar months, UTC)', () => {
  it('end on the same day of the month, clamped, without drifting after a short month', () => {
    const jan31 = new Date(Date.UTC(2031, 0, 31, 9, 30));
    expect(addMonths(jan31, 1).toISOString()).toBe('2031-02-28T09:30:00.000Z');
    expect(addMonths(new Date(Date.UTC(2032, 0, 31)), 1).toISOString()).toBe('2032-02-29T00:00:00.000Z');
    expect(addMonths(jan31, 12).toISOString()).toBe('2032-01-31T09:30:00.000Z');
    const feb28 = periodEndAfter(jan31, jan31);
    expect(feb28.toISOString()).toBe('2031-02-28T09:30:00.000Z');
    expect(periodEndAfter(jan31, feb28).toISOString()).toBe('2031-03-31T09:30:00.000Z');
  });
});

describe('billing subscription (one server)', () => {
  // The clock starts at the wall time: sign-up opens the first period at the wall-clock time.
  const t = testClock(Date.now());
  let server: TestServer;
  let plans: Record<string, PlanLimits & { price?: string }>;
  const api = billingClient(() => server, t);

  /** A new organisation on FREE whose first period is brought up to the test's clock. */
  const freeOrg = async (name: string) => {
    const org = await seed(server).org(name).onPlan('FREE');
    await server.app.billing.runDue();
    return org;
  };
  /** A new organisation that has just taken `plan` (an upgrade from FREE: a new period from now). */
  const paidOrg = async (name: string, plan: string) => {
    const org = await freeOrg(name);
    ok(await api.changePlan(org, plan));
    return { org, start: t.now };
  };

  beforeAll(async () => {
    server = await startServer({ clock: t.clock, env: QUIET });
    plans = await readPlans(server);
  });
  afterAll(() => server?.close());

  it('prices the plans (FREE 0, STANDARD 49, PROFESSIONAL 199, ENTERPRISE 999 USD a month) as the README does', async () => {
    const res = await post<{ plans: { code: string; price: string }[] }>(server, {
      query: '{ plans { code price } }',
    });
    const prices = Object.fromEntries(dataOf(res).plans.map((p) => [p.code, p.price]));
    expect(prices).toMatchObject({
      FREE: '0.00',
      STANDARD: '49.00',
      PROFESSIONAL: '199.00',
      ENTERPRISE: '999.00',
    });
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const lines = readme.split('\n');
    const header = lines.find((l) => l.startsWith('|') && l.includes('`FREE`')) ?? '';
    const codes = header
      .split('|')
      .slice(2, -1)
      .map((c) => c.trim().replace(/`/g, ''));
    const row = lines.find((l) => l.startsWith('| Price per month (USD)')) ?? '';
    const cells = row
      .split('|')
      .slice(2, -1)
      .map((c) => c.trim());
    expect(Object.fromEntries(codes.map((c, i) => [c, Number(cells[i])]))).toEqual({
      FREE: 0,
      STANDARD: 49,
      PROFESSIONAL: 199,
      ENTERPRISE: 999,
    });
    expect(readme).toContain('billing@workpex.example');
  });

  it('opens a FREE subscription at sign-up: one calendar month from then, nothing invoiced', async () => {
    const before = Date.now();
    const org = await seed(server).org('Newcomer').onPlan('FREE');
    const after = Date.now();
    const sub = await api.subscription(org);
    expect(sub).toMatchObject({
      plan: { code: 'FREE' },
      status: 'ACTIVE',
      price: '0.00',
      currency: 'USD',
      cancelAtPeriodEnd: false,
      canceledAt: null,
      pendingPlan: null,
      supportContact: 'billing@workpex.example',
      invoices: [],
      events: [],
    });
    expect(sub.refundPolicy).toMatch(/no refunds/i);
    const start = Date.parse(sub.currentPeriodStart);
    expect(start).toBeGreaterThanOrEqual(before);
    expect(start).toBeLessThanOrEqual(after);
    expect(sub.currentPeriodEnd).toBe(iso(monthAfter(start)));
  });

  it('applies an upgrade at once: new limits, a new period from now and an invoice for the full price', async () => {
    const org = await freeOrg('Upgrader');
    const first = ok(await api.changePlan(org, 'STANDARD')).changePlan;
    const firstAt = t.now;
    expect(first.plan.code).toBe('STANDARD');
    expect(first.appliesAt).toBe(iso(firstAt));
    expect(first.subscription).toMatchObject({
      plan: { code: 'STANDARD' },
      price: '49.00',
      currentPeriodStart: iso(firstAt),
      currentPeriodEnd: iso(monthAfter(firstAt)),
    });
    // From FREE, the first paid period starts the subscription.
    expect(first.subscription.invoices).toMatchObject([
      {
        planCode: 'STANDARD',
        amount: '49.00',
        currency: 'USD',
        reason: 'SUBSCRIPTION_CREATE',
        periodStart: iso(firstAt),
        periodEnd: iso(monthAfter(firstAt)),
      },
    ]);
    t.advance((10 * DAY) / 1000);
    const second = ok(await api.changePlan(org, 'PROFESSIONAL')).changePlan;
    const secondAt = t.now;
    expect(second.subscription).toMatchObject({
      plan: { code: 'PROFESSIONAL' },
      price: '199.00',
      currentPeriodStart: iso(secondAt),
      currentPeriodEnd: iso(monthAfter(secondAt)),
    });
    // Newest first; no proration: the full price of the new plan for the new period.
    expect(second.subscription.invoices.map((i) => [i.planCode, i.amount, i.reason, i.periodStart])).toEqual([
      ['PROFESSIONAL', '199.00', 'UPGRADE', iso(secondAt)],
      ['STANDARD', '49.00', 'SUBSCRIPTION_CREATE', iso(firstAt)],
    ]);
    // The next request already runs on PROFESSIONAL's limits.
    const next = await api.ask(org.key, '{ usage { plan { code } } }');
    expect(next.headers.get('ratelimit-limit')).toBe(String(plans.PROFESSIONAL.bucketSize));
    expect(await api.planInForce(org)).toBe('PROFESSIONAL');
    expect((await ledger(server, org, firstAt)).events).toEqual([
      { kind: 'PLAN_CHANGED', refund: '0.00' },
      { kind: 'PLAN_CHANGED', refund: '0.00' },
    ]);
  });

  it('keeps a canceled plan until the period end, then drops to FREE limits; no refund is ever recorded', async () => {
    const { org, start } = await paidOrg('Leaver', 'PROFESSIONAL');
    const end = monthAfter(start);
    t.advance((5 * DAY) / 1000);
    const canceled = ok(await api.cancel(org, 'Too expensive')).cancelSubscription.subscription;
    expect(canceled).toMatchObject({
      plan: { code: 'PROFESSIONAL' },
      status: 'CANCELING',
      cancelAtPeriodEnd: true,
      canceledAt: iso(t.now),
      currentPeriodEnd: iso(end),
      pendingPlan: null,
    });
    expect(canceled.events[0]).toMatchObject({ kind: 'CANCELED', refundAmount: '0.00', toPlanCode: 'FREE' });
    expect(canceled.events[0].note).toMatch(/no refund/i);
    expect(canceled.events[0].note).toContain('Too expensive');

    // Just before the end, the job leaves it alone: PROFESSIONAL's limits still apply.
    t.set(end - 60_000);
    await server.app.billing.runDue();
    expect(await api.planInForce(org)).toBe('PROFESSIONAL');
    const overFree = queryOfCost(plans.FREE.maxCost + 1).query;
    expect((await api.ask(org.key, overFree)).status).toBe(200);

    t.set(end + 1000);
    await server.app.billing.runDue();
    expect(await api.planInForce(org)).toBe('FREE');
    const refused = await api.ask(org.key, overFree);
    expect(limitErrorOf(refused)).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', maximum: plans.FREE.maxCost });
    const after = await api.subscription(org);
    expect(after).toMatchObject({
      plan: { code: 'FREE' },
      status: 'ACTIVE',
      cancelAtPeriodEnd: false,
      canceledAt: null,
      currentPeriodStart: iso(end),
      currentPeriodEnd: iso(monthAfter(end)),
    });
    expect(after.events[0]).toMatchObject({
      kind: 'ENDED',
      fromPlanCode: 'PROFESSIONAL',
      toPlanCode: 'FREE',
      at: iso(end),
    });
    // Only the invoice of the period paid for; nothing renewed, nothing refunded.
    expect(after.invoices.map((i) => i.reason)).toEqual(['SUBSCRIPTION_CREATE']);
    expect(after.events.every((e) => e.refundAmount === '0.00')).toBe(true);
    const stored = await ledger(server, org, start);
    expect(stored.events.map((e) => e.kind)).toEqual(['PLAN_CHANGED', 'CANCELED', 'ENDED']);
    expect((await ledger(server, org)).events.every((e) => e.refund === '0.00')).toBe(true);
    expect(await server.db('select count(*)::int as n from billing_event where refund_amount <> 0')).toEqual([
      { n: 0 },
    ]);
  });

  it('keeps the plan through the period end when the cancellation is resumed before it', async () => {
    const { org, start } = await paidOrg('Returner', 'STANDARD');
    const end = monthAfter(start);
    ok(await api.cancel(org));
    const resumed = ok(await api.resume(org)).resumeSubscription.subscription;
    expect(resumed).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: false, canceledAt: null });
    expect(resumed.events[0]).toMatchObject({
      kind: 'RESUMED',
      fromPlanCode: 'FREE',
      toPlanCode: 'STANDARD',
    });
    t.set(end + 1000);
    await server.app.billing.runDue();
    expect(await api.planInForce(org)).toBe('STANDARD');
    const renewed = await api.subscription(org);
    expect(renewed).toMatchObject({ currentPeriodStart: iso(end), currentPeriodEnd: iso(monthAfter(end)) });
    expect(renewed.invoices.map((i) => [i.reason, i.amount, i.periodStart, i.periodEnd])).toEqual([
      ['RENEWAL', '49.00', iso(end), iso(monthAfter(end))],
      ['SUBSCRIPTION_CREATE', '49.00', iso(start), iso(end)],
    ]);
    expect(eventsSince(renewed, start).map((e) => e.kind)).toEqual([
      'RENEWED',
      'RESUMED',
      'CANCELED',
      'PLAN_CHANGED',
    ]);
  });

  it('cannot resume once the period has ended, even before the job ran (the end is applied first)', async () => {
    const { org, start } = await paidOrg('Too late', 'STANDARD');
    ok(await api.cancel(org));
    t.set(monthAfter(start) + 1000);
    const late = await api.resume(org);
    expect(errorOf(late).code).toBe('CONFLICT');
    expect(await api.planInForce(org)).toBe('FREE');
    expect((await ledger(server, org, start)).events.map((e) => e.kind)).toEqual([
      'PLAN_CHANGED',
      'CANCELED',
      'ENDED',
    ]);
  });

  it('schedules a downgrade for the period end: the current limits stay, then the cheaper plan applies with an invoice', async () => {
    const { org, start } = await paidOrg('Downsizer', 'PROFESSIONAL');
    const end = monthAfter(start);
    const scheduled = ok(await api.changePlan(org, 'STANDARD')).changePlan;
    expect(scheduled.plan.code).toBe('PROFESSIONAL');
    expect(scheduled.appliesAt).toBe(iso(end));
    expect(scheduled.subscription).toMatchObject({
      plan: { code: 'PROFESSIONAL' },
      status: 'ACTIVE',
      pendingPlan: { code: 'STANDARD' },
      currentPeriodEnd: iso(end),
    });
    expect(scheduled.subscription.invoices).toHaveLength(1);
    expect(errorOf(await api.changePlan(org, 'STANDARD')).code).toBe('CONFLICT');

    t.set(end - 1000);
    await server.app.billing.runDue();
    expect(await api.planInForce(org)).toBe('PROFESSIONAL');

    t.set(end + 1000);
    await server.app.billing.runDue();
    expect(await api.planInForce(org)).toBe('STANDARD');
    const applied = await api.subscription(org);
    expect(applied).toMatchObject({
      plan: { code: 'STANDARD' },
      pendingPlan: null,
      currentPeriodStart: iso(end),
    });
    expect(applied.invoices[0]).toMatchObject({
      planCode: 'STANDARD',
      amount: '49.00',
      reason: 'DOWNGRADE',
      periodStart: iso(end),
      periodEnd: iso(monthAfter(end)),
    });
    expect(applied.events.slice(0, 2).map((e) => [e.kind, e.fromPlanCode, e.toPlanCode])).toEqual([
      ['DOWNGRADED', 'PROFESSIONAL', 'STANDARD'],
      ['DOWNGRADE_SCHEDULED', 'PROFESSIONAL', 'STANDARD'],
    ]);
  });

  it('downgrades to FREE at the period end without an invoice (FREE costs nothing)', async () => {
    const { org, start } = await paidOrg('Freeloader', 'STANDARD');
    ok(await api.changePlan(org, 'free'));
    expect(await api.planInForce(org)).toBe('STANDARD');
    t.set(monthAfter(start) + 1000);
    await server.app.billing.runDue();
    expect(await api.planInForce(org)).toBe('FREE');
    expect((await ledger(server, org)).invoices.map((i) => i.reason)).toEqual(['SUBSCRIPTION_CREATE']);
  });

  it('catches up several missed periods with one renewal invoice each, and a second run changes nothing', async () => {
    const { org, start } = await paidOrg('Dormant', 'STANDARD');
    const ends = [monthAfter(start)];
    for (let i = 0; i < 3; i++) ends.push(monthAfter(ends[ends.length - 1]));
    t.set(ends[2] + DAY);
    await server.app.billing.runDue();
    const before = await ledger(server, org);
    expect(before.invoices).toEqual([
      { plan: 'STANDARD', amount: '49.00', reason: 'SUBSCRIPTION_CREATE' },
      { plan: 'STANDARD', amount: '49.00', reason: 'RENEWAL' },
      { plan: 'STANDARD', amount: '49.00', reason: 'RENEWAL' },
      { plan: 'STANDARD', amount: '49.00', reason: 'RENEWAL' },
    ]);
    const sub = await api.subscription(org);
    expect(sub).toMatchObject({ currentPeriodStart: iso(ends[2]), currentPeriodEnd: iso(ends[3]) });
    expect(sub.invoices.slice(0, 3).map((i) => i.periodStart)).toEqual([
      iso(ends[2]),
      iso(ends[1]),
      iso(ends[0]),
    ]);

    expect(await server.app.billing.runDue()).toEqual({ processed: 0, failed: [] });
    expect(await ledger(server, org)).toEqual(before);
  });

  it('refuses what makes no sense: same plan, unknown plan, canceling FREE, canceling twice, resuming nothing', async () => {
    const free = await freeOrg('Refusals');
    const since = t.now;
    const same = await api.changePlan(free, 'FREE');
    expect(errorOf(same).code).toBe('CONFLICT');
    const unknown = await api.changePlan(free, 'PLATINUM');
    expect(errorOf(unknown)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.plan' });
    expect(errorOf(unknown).message).toMatch(/FREE, STANDARD, PROFESSIONAL, ENTERPRISE/);
    expect(errorOf(await api.cancel(free)).code).toBe('CONFLICT');
    expect(errorOf(await api.resume(free)).code).toBe('CONFLICT');

    const { org, start } = await paidOrg('Twice', 'STANDARD');
    ok(await api.cancel(org));
    expect(errorOf(await api.cancel(org)).code).toBe('CONFLICT');
    expect((await ledger(server, free, since)).events).toEqual([]);
    expect((await ledger(server, org, start)).events.map((e) => e.kind)).toEqual([
      'PLAN_CHANGED',
      'CANCELED',
    ]);
  });

  it('needs the read scope for subscription and the admin scope for changePlan, cancelSubscription, resumeSubscription', async () => {
    const { org, start } = await paidOrg('Scoped', 'STANDARD');
    const writeOnly = (await createApiKey(server, org.key, ['WRITE'])).key;
    const readWrite = (await createApiKey(server, org.key, ['READ', 'WRITE'])).key;
    const refused = await api.ask(writeOnly, '{ subscription { status } }');
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'read' });
    expect(
      dataOf(await api.ask<{ subscription: { status: string } }>(readWrite, '{ subscription { status } }')),
    ).toEqual({ subscription: { status: 'ACTIVE' } });
    for (const mutation of [
      'mutation { changePlan(input: { plan: "ENTERPRISE" }) { plan { code } } }',
      'mutation { cancelSubscription { subscription { status } } }',
      'mutation { resumeSubscription { subscription { status } } }',
    ]) {
      const res = await api.ask(readWrite, mutation);
      expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'admin' });
    }
    expect(await api.planInForce(org)).toBe('STANDARD');
    expect((await ledger(server, org, start)).events.map((e) => e.kind)).toEqual(['PLAN_CHANGED']);
  });

  it('answers SUBSCRIPTION_INACTIVE for a feature the plan lacks, naming the plans that have it', async () => {
    const cache = new PlanCache(server.app.sql);
    await expect(requireFeature('STANDARD', 'partnerAccess', cache)).resolves.toBeUndefined();
    const refusal = requireFeature('FREE', 'partnerAccess', cache);
    await expect(refusal).rejects.toMatchObject({
      extensions: {
        code: 'SUBSCRIPTION_INACTIVE',
        feature: 'partnerAccess',
        plan: 'FREE',
        plansWithFeature: expect.arrayContaining(['STANDARD', 'PROFESSIONAL', 'ENTERPRISE']),
      },
    });
    await expect(refusal).rejects.toMatchObject({
      extensions: { plansWithFeature: expect.not.arrayContaining(['FREE']) },
    });
  });
});

describe('the period-end job on two instances over one database', () => {
  const t = testClock(Date.now());
  let a: TestServer;
  let b: TestServer;
  const orgs: SeededOrg[] = [];
  let start = 0;

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    a = await startServer({ databaseUrl, clock: t.clock, env: QUIET });
    b = await startServer({ databaseUrl, clock: t.clock, env: QUIET });
    for (let i = 0; i < 8; i++)
      orgs.push(
        await seed(i % 2 ? b : a)
          .org(`Shared ${i}`)
          .onPlan('FREE'),
      );
    start = t.now;
    for (const [i, org] of orgs.entries()) {
      const res = await post(i % 2 ? b : a, {
        key: org.key,
        query: 'mutation { changePlan(input: { plan: "STANDARD" }) { plan { code } } }',
      });
      dataOf(res);
    }
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('renews each subscription once when both run at the same moment, and again changes nothing', async () => {
    // Past the paid period and the first FREE period of sign-up alike.
    t.set(monthAfter(Math.max(start, Date.now())) + 1000);
    const [ra, rb] = await Promise.all([a.app.billing.runDue(), b.app.billing.runDue()]);
    expect(ra.failed).toEqual([]);
    expect(rb.failed).toEqual([]);
    expect(ra.processed + rb.processed).toBe(orgs.length);
    for (const org of orgs) {
      const { invoices, events } = await ledger(a, org);
      expect(invoices.map((i) => i.reason)).toEqual(['SUBSCRIPTION_CREATE', 'RENEWAL']);
      expect(events.map((e) => e.kind)).toEqual(['PLAN_CHANGED', 'RENEWED']);
    }
    const again = await Promise.all([a.app.billing.runDue(), b.app.billing.runDue(), a.app.billing.runDue()]);
    expect(again.map((r) => r.processed)).toEqual([0, 0, 0]);
    expect(await a.db('select count(*)::int as n from invoice')).toEqual([{ n: orgs.length * 2 }]);
    expect(await a.db('select count(*)::int as n from billing_event')).toEqual([{ n: orgs.length * 2 }]);
  });

  it('runs on a timer on each instance, on the app clock (BILLING_TICK_MS)', async () => {
    const c = await startServer({
      databaseUrl: a.databaseUrl,
      clock: t.clock,
      env: { BILLING_TICK_MS: '100' },
    });
    try {
      const org = orgs[0];
      dataOf(
        await post(a, { key: org.key, query: 'mutation { cancelSubscription { subscription { status } } }' }),
      );
      const [{ end }] = await a.db(
        'select current_period_end as end from billing_subscription where organization_id = $1',
        [pkOf(org.organizationId)],
      );
      t.set((end as Date).getTime() + 1000);
      const deadline = Date.now() + 10_000;
      let plan = '';
      while (Date.now() < deadline && plan !== 'FREE') {
        await new Promise((r) => setTimeout(r, 100));
        const [row] = await a.db('select plan from organization where id = $1', [pkOf(org.organizationId)]);
        plan = row.plan as string;
      }
      expect(plan).toBe('FREE');
      expect((await ledger(a, org)).events.map((e) => e.kind)).toEqual([
        'PLAN_CHANGED',
        'RENEWED',
        'CANCELED',
        'ENDED',
      ]);
    } finally {
      await c.close();
    }
  });
});

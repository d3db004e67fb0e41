import type { EntityManager } from '../../platform/db/orm.js';
import type { Row, SqlClient } from '../../platform/db/sql.js';
import type { TenantSql } from '../../platform/db/tenant-sql.js';
import { inTransaction, type SqlTransaction } from '../../platform/db/transaction.js';
import { AppError, badInput, conflict } from '../../platform/errors.js';
import { toGlobalId } from '../../platform/ids.js';
import * as v from '../../platform/validation.js';
import type { OrganizationSetup } from '../auth/index.js';
import type { Clock, PlanCache, PlanLimits } from '../usage/index.js';
import {
  BillingEventKind,
  BillingSubscription,
  BillingSubscriptionStatus,
  InvoiceReason,
} from './billing.entity.js';
import type { BillingEventNode, InvoiceNode, SubscriptionNode } from './billing.types.js';
import { addMonths, periodEndAfter } from './period.js';

/** The plan a canceled subscription ends on, and every new organisation starts on. */
export const FREE_PLAN = 'FREE';
export const CURRENCY = 'USD';
export const SUPPORT_CONTACT = 'billing@workpex.example';
export const REFUND_POLICY =
  'No refunds. A canceled subscription keeps its plan until the end of the period already paid for, then moves to FREE; ' +
  'a downgrade applies at the end of the period; an upgrade applies at once and is invoiced in full for a new monthly ' +
  'period starting then (the unused part of the old period is not credited). Questions: ' +
  `${SUPPORT_CONTACT}.`;

/** Periods caught up in one transaction at most; the next run goes on from there. */
const MAX_PERIODS_PER_RUN = 1200;

/** The subscription as one transaction sees and changes it (under its row lock). */
export interface SubscriptionState {
  organizationId: string;
  /** The plan in force: `organization.plan`, whose limits apply. */
  plan: string;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  billingCycleAnchor: Date;
  cancelAtPeriodEnd: boolean;
  pendingPlan: string | null;
  canceledAt: Date | null;
}

interface InvoiceDraft {
  plan: string;
  amount: string;
  periodStart: Date;
  periodEnd: Date;
  reason: InvoiceReason;
  createdAt: Date;
}

interface EventDraft {
  kind: BillingEventKind;
  fromPlan: string | null;
  toPlan: string | null;
  note: string;
  at: Date;
}

/** What one transaction adds besides the subscription row: invoices and history. */
export class Ledger {
  readonly invoices: InvoiceDraft[] = [];
  readonly events: EventDraft[] = [];
  /** Plans priced at 0 are never invoiced. */
  invoice(plan: PlanLimits, periodStart: Date, periodEnd: Date, reason: InvoiceReason, createdAt: Date) {
    if (Number(plan.price) > 0)
      this.invoices.push({ plan: plan.code, amount: plan.price, periodStart, periodEnd, reason, createdAt });
  }
}

/** The first period of a new organisation: FREE, from now for one calendar month. */
export const openFreeSubscription: OrganizationSetup = async (em: EntityManager, organizationId: string) => {
  // Sign-up hooks get the transaction only, not the app's clock: the first period starts at the wall-clock time.
  const now = new Date();
  em.create(BillingSubscription, {
    organization: organizationId,
    plan: FREE_PLAN,
    status: BillingSubscriptionStatus.ACTIVE,
    currentPeriodStart: now,
    currentPeriodEnd: addMonths(now, 1),
    billingCycleAnchor: now,
    cancelAtPeriodEnd: false,
    updatedAt: now,
  });
  await em.flush();
};

const STATE = `s.organization_id as "organizationId", o.plan, s.current_period_start as "currentPeriodStart",
  s.current_period_end as "currentPeriodEnd", s.billing_cycle_anchor as "billingCycleAnchor",
  s.cancel_at_period_end as "cancelAtPeriodEnd", s.pending_plan as "pendingPlan", s.canceled_at as "canceledAt"
  from billing_subscription s join organization o on o.id = s.organization_id`;

const date = (value: unknown): Date => new Date(value as string | Date);

function toState(row: Row): SubscriptionState {
  return {
    organizationId: row.organizationId as string,
    plan: row.plan as string,
    currentPeriodStart: date(row.currentPeriodStart),
    currentPeriodEnd: date(row.currentPeriodEnd),
    billingCycleAnchor: date(row.billingCycleAnchor),
    cancelAtPeriodEnd: row.cancelAtPeriodEnd as boolean,
    pendingPlan: (row.pendingPlan as string | null) ?? null,
    canceledAt: row.canceledAt ? date(row.canceledAt) : null,
  };
}

/**
 * Locks the organisation's subscription (waiting for a concurrent change or period-end run), made
 * on the spot if the organisation somehow has none (FREE, a period from now).
 */
async function lockSubscription(tx: SqlTransaction, organizationId: string, now: Date) {
  const select = `select ${STATE} where s.organization_id = $1 for update of s`;
  let [row] = await tx.query(select, [organizationId]);
  if (!row) {
    await tx.query(
      `insert into billing_subscription (organization_id, plan, status, current_period_start, current_period_end,
         billing_cycle_anchor, cancel_at_period_end, updated_at)
       select o.id, o.plan, 'ACTIVE', $2, $3, $2, false, $2 from organization o where o.id = $1
       on conflict do nothing`,
      [organizationId, now, addMonths(now, 1)],
    );
    [row] = await tx.query(select, [organizationId]);
  }
  if (!row) throw new Error(`Organisation ${organizationId} has no subscription and could not get one.`);
  return toState(row);
}

/**
 * Locks one subscription whose period has ended by `now` and that no other transaction holds
 * (`SKIP LOCKED`: instances running the job at once each take different rows); null when none is left.
 */
export async function lockDueSubscription(
  tx: SqlTransaction,
  now: Date,
  skip: readonly string[],
): Promise<SubscriptionState | null> {
  const [row] = await tx.query(
    `select ${STATE}
      where s.current_period_end <= $1 and not (s.organization_id = any($2::uuid[]))
      order by s.current_period_end limit 1
      for update of s skip locked`,
    [now, skip],
  );
  return row ? toState(row) : null;
}

/**
 * Moves the subscription through every period that has ended by `now`, oldest first: a canceled
 * subscription ends on FREE, a scheduled downgrade applies (invoiced at its price), otherwise the
 * plan renews (invoiced when it costs something). Each step starts where the last period ended.
 */
export async function settle(
  s: SubscriptionState,
  now: Date,
  ledger: Ledger,
  plans: PlanCache,
): Promise<void> {
  for (let i = 0; i < MAX_PERIODS_PER_RUN && s.currentPeriodEnd.getTime() <= now.getTime(); i++) {
    const start = s.currentPeriodEnd;
    const end = periodEndAfter(s.billingCycleAnchor, start);
    const from = s.plan;
    if (s.cancelAtPeriodEnd) {
      s.plan = FREE_PLAN;
      ledger.events.push({
        kind: BillingEventKind.ENDED,
        fromPlan: from,
        toPlan: FREE_PLAN,
        note: `Canceled${s.canceledAt ? ` on ${s.canceledAt.toISOString()}` : ''}: ${from} ran to the end of the period paid for; now ${FREE_PLAN}. No refund.`,
        at: start,
      });
      s.cancelAtPeriodEnd = false;
      s.canceledAt = null;
      s.pendingPlan = null;
    } else if (s.pendingPlan) {
      const to = await plans.get(s.pendingPlan);
      s.plan = s.pendingPlan;
      s.pendingPlan = null;
      ledger.invoice(to, start, end, InvoiceReason.DOWNGRADE, start);
      ledger.events.push({
        kind: BillingEventKind.DOWNGRADED,
        fromPlan: from,
        toPlan: s.plan,
        note: `The downgrade scheduled for the period end applied; ${s.plan} at ${to.price} ${CURRENCY} a month.`,
        at: start,
      });
    } else {
      const plan = await plans.get(s.plan);
      ledger.invoice(plan, start, end, InvoiceReason.RENEWAL, start);
      ledger.events.push({
        kind: BillingEventKind.RENEWED,
        fromPlan: from,
        toPlan: from,
        note: `Renewed for ${start.toISOString()} – ${end.toISOString()} at ${plan.price} ${CURRENCY}.`,
        at: start,
      });
    }
    s.currentPeriodStart = start;
    s.currentPeriodEnd = end;
  }
}

/** Writes the state back, with the organisation's plan when it changed, and the ledger. */
export async function save(
  tx: SqlTransaction,
  s: SubscriptionState,
  planBefore: string,
  ledger: Ledger,
  now: Date,
): Promise<void> {
  await tx.query(
    `update billing_subscription set plan = $2, status = $3, current_period_start = $4, current_period_end = $5,
       billing_cycle_anchor = $6, cancel_at_period_end = $7, pending_plan = $8, canceled_at = $9, updated_at = $10
     where organization_id = $1`,
    [
      s.organizationId,
      s.plan,
      statusOf(s),
      s.currentPeriodStart,
      s.currentPeriodEnd,
      s.billingCycleAnchor,
      s.cancelAtPeriodEnd,
      s.pendingPlan,
      s.canceledAt,
      now,
    ],
  );
  if (s.plan !== planBefore) {
    await tx.query('update organization set plan = $2 where id = $1', [s.organizationId, s.plan]);
  }
  const { invoices, events } = ledger;
  if (invoices.length) {
    await tx.query(
      `insert into invoice (id, organization_id, plan, amount, currency, period_start, period_end, reason, created_at)
       select gen_random_uuid(), $1, i.plan, i.amount, $2, i.period_start, i.period_end, i.reason, i.created_at
         from unnest($3::text[], $4::numeric[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::timestamptz[])
           as i(plan, amount, period_start, period_end, reason, created_at)`,
      [
        s.organizationId,
        CURRENCY,
        invoices.map((i) => i.plan),
        invoices.map((i) => i.amount),
        invoices.map((i) => i.periodStart),
        invoices.map((i) => i.periodEnd),
        invoices.map((i) => i.reason),
        invoices.map((i) => i.createdAt),
      ],
    );
  }
  if (events.length) {
    // refund_amount keeps its default, 0: the terms give no refunds.
    await tx.query(
      `insert into billing_event (id, organization_id, kind, from_plan, to_plan, note, at)
       select gen_random_uuid(), $1, e.kind, e.from_plan, e.to_plan, e.note, e.at
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
           as e(kind, from_plan, to_plan, note, at)`,
      [
        s.organizationId,
        events.map((e) => e.kind),
        events.map((e) => e.fromPlan),
        events.map((e) => e.toPlan),
        events.map((e) => e.note),
        events.map((e) => e.at),
      ],
    );
  }
}

const statusOf = (s: SubscriptionState): BillingSubscriptionStatus =>
  s.cancelAtPeriodEnd ? BillingSubscriptionStatus.CANCELING : BillingSubscriptionStatus.ACTIVE;

/** What is scheduled for the period end, in words (for refusals). */
function scheduled(s: SubscriptionState): string {
  const end = s.currentPeriodEnd.toISOString();
  if (s.cancelAtPeriodEnd) return `It is canceled and ends on ${end} (resumeSubscription withdraws that).`;
  if (s.pendingPlan)
    return `A downgrade to ${s.pendingPlan} applies on ${end} (resumeSubscription withdraws it).`;
  return `It renews on ${end}.`;
}

const details = (s: SubscriptionState) => ({
  plan: s.plan,
  status: statusOf(s),
  pendingPlan: s.pendingPlan,
  currentPeriodEnd: s.currentPeriodEnd.toISOString(),
});

export interface BillingOptions {
  sql: SqlClient;
  plans: PlanCache;
  /** The app's clock (the meter's): milliseconds since the epoch. */
  clock: Clock;
  /** After a transaction that changed an organisation's plan: caches and other instances must learn it. */
  planChanged(organizationId: string, plan: string): void;
}

/** The subscription's rules: plan changes, cancellation and resumption, each settled first. */
export class BillingService {
  constructor(private readonly opts: BillingOptions) {}

  get plans(): PlanCache {
    return this.opts.plans;
  }

  now(): Date {
    return new Date(this.opts.clock());
  }

  /** The caller's subscription as stored (the period-end job settles it within a tick of its end). */
  async read(db: TenantSql): Promise<SubscriptionNode> {
    let [row] = await db.query(`select ${STATE} where s.organization_id = $1`);
    if (!row) {
      await this.change(db.organizationId, () => undefined);
      [row] = await db.query(`select ${STATE} where s.organization_id = $1`);
    }
    return this.toNode(toState(row));
  }

  /**
   * A dearer plan applies at once with a new period and a full-price invoice; a cheaper one waits
   * for the period end (`pendingPlan`); a plan of the same price applies at once in the same period.
   */
  async changePlan(
    organizationId: string,
    code: string,
  ): Promise<{ subscription: SubscriptionNode; appliesAt: Date }> {
    const all = await this.opts.plans.all();
    const wanted = all.find((p) => p.code === code.trim().toUpperCase());
    if (!wanted) {
      throw badInput('input.plan', `must be one of ${all.map((p) => p.code).join(', ')}.`, {
        plans: all.map((p) => p.code),
      });
    }
    let appliesAt = this.now();
    const subscription = await this.change(organizationId, async (s, now, ledger) => {
      if (wanted.code === s.plan) {
        throw conflict(`The organisation is already on ${s.plan}. ${scheduled(s)}`, details(s));
      }
      if (wanted.code === s.pendingPlan) {
        throw conflict(`${scheduled(s)} It is already scheduled.`, details(s));
      }
      const current = await this.opts.plans.get(s.plan);
      const difference = Number(wanted.price) - Number(current.price);
      if (difference < 0) {
        s.pendingPlan = wanted.code;
        s.cancelAtPeriodEnd = false;
        s.canceledAt = null;
        appliesAt = s.currentPeriodEnd;
        ledger.events.push({
          kind: BillingEventKind.DOWNGRADE_SCHEDULED,
          fromPlan: s.plan,
          toPlan: wanted.code,
          note: `${wanted.code} applies on ${s.currentPeriodEnd.toISOString()}; ${s.plan} and its limits stay until then. No refund.`,
          at: now,
        });
        return;
      }
      const from = s.plan;
      s.plan = wanted.code;
      s.pendingPlan = null;
      s.cancelAtPeriodEnd = false;
      s.canceledAt = null;
      if (difference > 0) {
        s.currentPeriodStart = now;
        s.billingCycleAnchor = now;
        s.currentPeriodEnd = addMonths(now, 1);
        const reason = Number(current.price) > 0 ? InvoiceReason.UPGRADE : InvoiceReason.SUBSCRIPTION_CREATE;
        ledger.invoice(wanted, now, s.currentPeriodEnd, reason, now);
      }
      ledger.events.push({
        kind: BillingEventKind.PLAN_CHANGED,
        fromPlan: from,
        toPlan: wanted.code,
        note:
          difference > 0
            ? `Upgrade: applies at once with a new period to ${s.currentPeriodEnd.toISOString()}, invoiced ${wanted.price} ${CURRENCY} in full (no proration; the unused part of ${from} is not credited).`
            : `Same price: applies at once within the current period; nothing invoiced.`,
        at: now,
      });
    });
    return { subscription, appliesAt };
  }

  /** Ends renewal: the plan stays until the period end, then FREE. No refund is recorded. */
  cancel(organizationId: string, reason: string | null | undefined): Promise<SubscriptionNode> {
    const why = v.optionalText(reason, 'input.reason', 1000);
    return this.change(organizationId, (s, now, ledger) => {
      if (s.plan === FREE_PLAN) {
        throw conflict(`${FREE_PLAN} has no paid subscription to cancel.`, details(s));
      }
      if (s.cancelAtPeriodEnd)
        throw conflict(`The subscription is already canceled. ${scheduled(s)}`, details(s));
      const withdrawn = s.pendingPlan;
      s.cancelAtPeriodEnd = true;
      s.canceledAt = now;
      s.pendingPlan = null;
      ledger.events.push({
        kind: BillingEventKind.CANCELED,
        fromPlan: s.plan,
        toPlan: FREE_PLAN,
        note: [
          `No refund is due (terms: no refunds): ${s.plan} stays in force until ${s.currentPeriodEnd.toISOString()}, then ${FREE_PLAN}.`,
          withdrawn ? `The downgrade to ${withdrawn} scheduled for then is withdrawn.` : '',
          why ? `Reason: ${why}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        at: now,
      });
    });
  }

  /** Withdraws what is scheduled for the period end (a cancellation or a downgrade): the plan renews. */
  resume(organizationId: string, reason: string | null | undefined): Promise<SubscriptionNode> {
    const why = v.optionalText(reason, 'input.reason', 1000);
    return this.change(organizationId, (s, now, ledger) => {
      if (!s.cancelAtPeriodEnd && !s.pendingPlan) {
        throw conflict(`Nothing to resume: the subscription is not canceled. ${scheduled(s)}`, details(s));
      }
      const withdrawn = s.cancelAtPeriodEnd ? FREE_PLAN : s.pendingPlan;
      s.cancelAtPeriodEnd = false;
      s.canceledAt = null;
      s.pendingPlan = null;
      ledger.events.push({
        kind: BillingEventKind.RESUMED,
        fromPlan: withdrawn,
        toPlan: s.plan,
        note: [`${s.plan} renews on ${s.currentPeriodEnd.toISOString()}.`, why ? `Reason: ${why}` : '']
          .filter(Boolean)
          .join(' '),
        at: now,
      });
    });
  }

  /**
   * One change in one transaction: the subscription locked and settled up to now (a period that
   * ended before the job ran is applied first), then `step`. A refused step changes nothing of its
   * own, but the settlement before it is kept: it is due whatever the request.
   */
  private async change(
    organizationId: string,
    step: (s: SubscriptionState, now: Date, ledger: Ledger) => void | Promise<void>,
  ): Promise<SubscriptionNode> {
    const now = this.now();
    const { state, changed, refusal } = await inTransaction(this.opts.sql, async (tx) => {
      const s = await lockSubscription(tx, organizationId, now);
      const before = s.plan;
      const ledger = new Ledger();
      await settle(s, now, ledger, this.opts.plans);
      const settled = { ...s };
      const own = new Ledger();
      try {
        await step(s, now, own);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (ledger.events.length) await save(tx, settled, before, ledger, now);
        return { state: settled, changed: settled.plan !== before, refusal: err };
      }
      ledger.invoices.push(...own.invoices);
      ledger.events.push(...own.events);
      await save(tx, s, before, ledger, now);
      return { state: s, changed: s.plan !== before, refusal: null };
    });
    if (changed) this.opts.planChanged(organizationId, state.plan);
    if (refusal) throw refusal;
    return this.toNode(state);
  }

  async toNode(s: SubscriptionState): Promise<SubscriptionNode> {
    const plan = await this.opts.plans.get(s.plan);
    return {
      plan,
      status: statusOf(s),
      price: plan.price,
      currency: CURRENCY,
      currentPeriodStart: s.currentPeriodStart,
      currentPeriodEnd: s.currentPeriodEnd,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      canceledAt: s.canceledAt,
      pendingPlan: s.pendingPlan ? await this.opts.plans.get(s.pendingPlan) : null,
      supportContact: SUPPORT_CONTACT,
      refundPolicy: REFUND_POLICY,
    };
  }
}

/** The organisation's invoices, newest first. */
export async function listInvoices(db: TenantSql, first: number): Promise<InvoiceNode[]> {
  const rows = await db.query<InvoiceNode & Row>(
    `select i.id, i.plan as "planCode", i.amount::text as amount, i.currency, i.period_start as "periodStart",
            i.period_end as "periodEnd", i.reason, i.created_at as "createdAt"
       from invoice i where i.organization_id = $1
      order by i.created_at desc, i.period_start desc limit $2`,
    [first],
  );
  return rows.map((r) => ({ ...r, id: toGlobalId('Invoice', r.id) }));
}

/** The subscription's history, newest first. */
export function listEvents(db: TenantSql, first: number): Promise<BillingEventNode[]> {
  return db.query<BillingEventNode & Row>(
    `select e.kind, e.from_plan as "fromPlanCode", e.to_plan as "toPlanCode", e.refund_amount::text as "refundAmount",
            e.note, e.at
       from billing_event e where e.organization_id = $1
      order by e.at desc, e.id desc limit $2`,
    [first],
  );
}

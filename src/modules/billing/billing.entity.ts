import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';
import { TenantEntity, TenantScoped } from '../../platform/records/index.js';

export const BillingSubscriptionStatus = defineEnum('BillingSubscriptionStatus', 'ACTIVE CANCELING', {
  description:
    'ACTIVE: renews at the end of the period (on its own plan, or on `pendingPlan` when a downgrade is scheduled). CANCELING: canceled, not renewing; the plan stays in force until `currentPeriodEnd`, then the organisation drops to FREE.',
});
export type BillingSubscriptionStatus = EnumOf<typeof BillingSubscriptionStatus>;

export const InvoiceReason = defineEnum('InvoiceReason', 'SUBSCRIPTION_CREATE UPGRADE RENEWAL DOWNGRADE', {
  description:
    'SUBSCRIPTION_CREATE: a paid plan taken from a free one; UPGRADE: a dearer plan taken, a new period from that moment; RENEWAL: the next period of the same plan; DOWNGRADE: the first period of a cheaper plan scheduled earlier.',
});
export type InvoiceReason = EnumOf<typeof InvoiceReason>;

export const BillingEventKind = defineEnum(
  'BillingEventKind',
  'PLAN_CHANGED DOWNGRADE_SCHEDULED CANCELED RESUMED RENEWED DOWNGRADED ENDED',
  {
    description:
      'PLAN_CHANGED: a plan applied at once (an upgrade); DOWNGRADE_SCHEDULED: a cheaper plan waits for the period end; CANCELED: renewal ended, the plan runs to the period end; RESUMED: a scheduled cancellation or downgrade withdrawn; RENEWED: a new period of the same plan; DOWNGRADED: the scheduled plan applied at the period end; ENDED: a canceled subscription reached its period end and the organisation is on FREE.',
  },
);
export type BillingEventKind = EnumOf<typeof BillingEventKind>;

/**
 * The organisation's subscription, one row per organisation (created at sign-up). `plan` is the
 * plan of the current period, kept equal to `organization.plan` (the plan whose limits apply).
 */
@Entity({ tableName: 'billing_subscription' })
// The period-end job looks for subscriptions whose period has ended.
@Index({ properties: ['currentPeriodEnd'] })
@TenantScoped()
export class BillingSubscription {
  @ManyToOne('Organization', { mapToPk: true, deleteRule: 'cascade', primary: true })
  organization!: string;

  @Property({ type: 'text' })
  plan!: string;

  /** CANCELING exactly when `cancelAtPeriodEnd`; both are written together. */
  @Enum({ items: () => BillingSubscriptionStatus, type: 'text' })
  status: BillingSubscriptionStatus = BillingSubscriptionStatus.ACTIVE;

  @Property({ type: 'datetime', length: 3 })
  currentPeriodStart!: Date;

  @Property({ type: 'datetime', length: 3 })
  currentPeriodEnd!: Date;

  /** Periods end on this moment's day of the month and time (clamped): sign-up, or the last upgrade. */
  @Property({ type: 'datetime', length: 3 })
  billingCycleAnchor!: Date;

  @Property({ type: 'boolean', default: false })
  cancelAtPeriodEnd: boolean = false;

  /** A cheaper plan that applies when the current period ends. */
  @Property({ type: 'text', nullable: true })
  pendingPlan?: string | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  canceledAt?: Date | null;

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = new Date();
}

/** What the organisation owes for one period; no payment provider is integrated, so it is the record. */
@Entity({ tableName: 'invoice' })
@Index({ properties: ['organization', 'createdAt'] })
@TenantScoped()
export class Invoice extends TenantEntity {
  @Property({ type: 'text' })
  plan!: string;

  @Property({ type: 'decimal', precision: 19, scale: 2 })
  amount!: string;

  @Property({ type: 'text', default: 'USD' })
  currency: string = 'USD';

  @Property({ type: 'datetime', length: 3 })
  periodStart!: Date;

  @Property({ type: 'datetime', length: 3 })
  periodEnd!: Date;

  @Enum({ items: () => InvoiceReason, type: 'text' })
  reason!: InvoiceReason;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}

/** The subscription's history: every change, renewal and end, with the refund due (always 0). */
@Entity({ tableName: 'billing_event' })
@Index({ properties: ['organization', 'at'] })
@TenantScoped()
export class BillingEvent extends TenantEntity {
  @Enum({ items: () => BillingEventKind, type: 'text' })
  kind!: BillingEventKind;

  @Property({ type: 'text', nullable: true })
  fromPlan?: string | null;

  @Property({ type: 'text', nullable: true })
  toPlan?: string | null;

  /** The terms give no refunds: always 0, recorded so that every cancellation shows it. */
  @Property({ type: 'decimal', precision: 19, scale: 2, default: 0 })
  refundAmount: string = '0';

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Property({ type: 'datetime', length: 3 })
  at: Date = new Date();
}

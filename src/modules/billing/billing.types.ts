import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTime } from '../../platform/graphql/types.js';
import { PlanNode } from '../usage/index.js';
import { BillingEventKind, BillingSubscriptionStatus, InvoiceReason } from './billing.entity.js';

@ObjectType('BillingSubscription', {
  simpleResolvers: true,
  description:
    "The organisation's billing subscription (CONTRACT §10): its plan, the current monthly period, what is scheduled for the period end, and its invoices.",
})
export class SubscriptionNode {
  @Field(() => PlanNode, { description: 'The plan in force: its limits apply now.' })
  plan!: PlanNode;

  @Field(() => BillingSubscriptionStatus)
  status!: BillingSubscriptionStatus;

  @Field({ description: 'The plan\'s price per monthly period, a decimal string, e.g. "49.00".' })
  price!: string;

  @Field({ description: 'Always USD.' })
  currency!: string;

  @Field(() => DateTime)
  currentPeriodStart!: Date;

  @Field(() => DateTime, {
    description:
      'When the period ends: the subscription renews, or applies `pendingPlan`, or (canceled) ends.',
  })
  currentPeriodEnd!: Date;

  @Field({ description: 'Canceled: the plan stays in force until `currentPeriodEnd`, then FREE; no refund.' })
  cancelAtPeriodEnd!: boolean;

  @Field(() => DateTime, {
    nullable: true,
    description: 'When the subscription was canceled, while CANCELING.',
  })
  canceledAt!: Date | null;

  @Field(() => PlanNode, {
    nullable: true,
    description:
      'A cheaper plan (downgrade) that applies at `currentPeriodEnd`; the current limits stay until then.',
  })
  pendingPlan!: PlanNode | null;

  @Field({ description: 'Who to write to about billing.' })
  supportContact!: string;

  @Field({ description: 'The refund terms, as text.' })
  refundPolicy!: string;
}

@ObjectType('Invoice', {
  simpleResolvers: true,
  description:
    'What the organisation owes for one period (no payment provider is integrated: this is the record).',
})
export class InvoiceNode {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The code of the plan invoiced.' })
  planCode!: string;

  @Field({ description: 'The full price of the plan for the period (no proration), a decimal string.' })
  amount!: string;

  @Field()
  currency!: string;

  @Field(() => DateTime)
  periodStart!: Date | string;

  @Field(() => DateTime)
  periodEnd!: Date | string;

  @Field(() => InvoiceReason)
  reason!: InvoiceReason;

  @Field(() => DateTime)
  createdAt!: Date | string;
}

@ObjectType('BillingEvent', { simpleResolvers: true, description: "One step of the subscription's history." })
export class BillingEventNode {
  @Field(() => BillingEventKind)
  kind!: BillingEventKind;

  @Field(() => String, { nullable: true })
  fromPlanCode!: string | null;

  @Field(() => String, { nullable: true })
  toPlanCode!: string | null;

  @Field({ description: 'The refund recorded with the step: always "0.00" (the terms give no refunds).' })
  refundAmount!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => DateTime, { description: "When the step took effect (a period end, for the job's steps)." })
  at!: Date | string;
}

@InputType()
export class ChangePlanInput {
  @Field({ description: 'A plan code, e.g. STANDARD.' })
  plan!: string;
}

@ObjectType({ simpleResolvers: true })
export class ChangePlanPayload {
  @Field(() => PlanNode, {
    description:
      'The plan in force after the change: the new plan for an upgrade, the current one for a downgrade.',
  })
  plan!: PlanNode;

  @Field(() => DateTime, {
    description:
      'When the requested plan applies: now (upgrade) or the end of the current period (downgrade).',
  })
  appliesAt!: Date;

  @Field(() => SubscriptionNode)
  subscription!: SubscriptionNode;
}

@InputType()
export class CancelSubscriptionInput {
  @Field(() => String, {
    nullable: true,
    description: "Why, in the customer's words (kept with the history).",
  })
  reason?: string | null;
}

@InputType()
export class ResumeSubscriptionInput {
  @Field(() => String, {
    nullable: true,
    description: "Why, in the customer's words (kept with the history).",
  })
  reason?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class CancelSubscriptionPayload {
  @Field(() => SubscriptionNode)
  subscription!: SubscriptionNode;
}

@ObjectType({ simpleResolvers: true })
export class ResumeSubscriptionPayload {
  @Field(() => SubscriptionNode)
  subscription!: SubscriptionNode;
}

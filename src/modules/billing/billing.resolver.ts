import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver } from 'type-graphql';
import { badInput } from '../../platform/errors.js';
import { Caller } from '../../platform/graphql/caller.js';
import type { Principal, RequestContext } from '../../platform/graphql/context.js';
import { listEvents, listInvoices, type BillingService } from './billing.service.js';
import {
  BillingEventNode,
  CancelSubscriptionInput,
  CancelSubscriptionPayload,
  ChangePlanInput,
  ChangePlanPayload,
  InvoiceNode,
  ResumeSubscriptionInput,
  ResumeSubscriptionPayload,
  SubscriptionNode,
} from './billing.types.js';

export interface BillingDeps {
  billing: BillingService;
}

/** Lists on the subscription: at most this many items, 20 unless asked. */
const MAX_ITEMS = 100;

function pageSize(first: number, field: string): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_ITEMS) {
    throw badInput(field, `must be between 0 and ${MAX_ITEMS}.`);
  }
  return first;
}

@Resolver(() => SubscriptionNode)
export class BillingResolver {
  constructor(private readonly deps: BillingDeps) {}

  @Authorized('read')
  @Query(() => SubscriptionNode, {
    description: "The organisation's billing subscription: plan, period, what happens at its end, invoices.",
  })
  subscription(@Ctx() ctx: RequestContext): Promise<SubscriptionNode> {
    return this.deps.billing.read(ctx.db);
  }

  @FieldResolver(() => [InvoiceNode], { description: 'Newest first.' })
  invoices(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first: number,
  ): Promise<InvoiceNode[]> {
    return listInvoices(ctx.db, pageSize(first, 'first'));
  }

  @FieldResolver(() => [BillingEventNode], {
    description: 'Plan changes, cancellations, renewals and ends, newest first; every refund recorded is 0.',
  })
  events(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: 'At most 100.' }) first: number,
  ): Promise<BillingEventNode[]> {
    return listEvents(ctx.db, pageSize(first, 'first'));
  }

  @Authorized('admin')
  @Mutation(() => ChangePlanPayload, {
    description:
      'Moves the organisation to another plan. A dearer plan applies at once, with a new monthly period and an invoice for its full price; a cheaper one is scheduled for the end of the period (`pendingPlan`), its limits apply then.',
  })
  async changePlan(
    @Arg('input') input: ChangePlanInput,
    @Caller() { organizationId }: Principal,
  ): Promise<ChangePlanPayload> {
    const { subscription, appliesAt } = await this.deps.billing.changePlan(organizationId, input.plan);
    return { plan: subscription.plan, appliesAt, subscription };
  }

  @Authorized('admin')
  @Mutation(() => CancelSubscriptionPayload, {
    description:
      'Ends renewal: the plan stays in force until `currentPeriodEnd`, then the organisation is on FREE. No refund (recorded as 0).',
  })
  async cancelSubscription(
    @Caller() { organizationId }: Principal,
    @Arg('input', () => CancelSubscriptionInput, { nullable: true }) input?: CancelSubscriptionInput | null,
  ): Promise<CancelSubscriptionPayload> {
    return { subscription: await this.deps.billing.cancel(organizationId, input?.reason) };
  }

  @Authorized('admin')
  @Mutation(() => ResumeSubscriptionPayload, {
    description:
      'Before the period ends: withdraws a cancellation (or a scheduled downgrade), so the current plan renews.',
  })
  async resumeSubscription(
    @Caller() { organizationId }: Principal,
    @Arg('input', () => ResumeSubscriptionInput, { nullable: true }) input?: ResumeSubscriptionInput | null,
  ): Promise<ResumeSubscriptionPayload> {
    return { subscription: await this.deps.billing.resume(organizationId, input?.reason) };
  }
}

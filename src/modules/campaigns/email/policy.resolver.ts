import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { badInput } from '../../../platform/errors.js';
import { requireScope } from '../../../platform/graphql/context.js';
import { BounceRateChange } from '../campaign.types.js';
import { Caller } from '../../../platform/graphql/caller.js';
import type { Principal, RequestContext } from '../../../platform/graphql/context.js';
import { DateTime } from '../../../platform/graphql/types.js';
import * as v from '../../../platform/validation.js';
import { measure, type BouncePolicy } from './policy.js';

@ObjectType({ description: "The organisation's standing under the bounce policy (CONTRACT §7)." })
export class EmailSendingStatus {
  @Field({ description: 'Sending is refused (EMAIL_SENDING_RESTRICTED) while true.' })
  restricted!: boolean;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Int, { description: 'Messages sent in the window.' })
  sends!: number;

  @Field(() => Int)
  hardBounces!: number;

  @Field(() => Int)
  complaints!: number;

  @Field(() => Float)
  hardBounceRate!: number;

  @Field(() => Float)
  complaintRate!: number;

  @Field(() => Int)
  windowDays!: number;

  @Field(() => Int, { description: 'Below this many sends in the window the policy never restricts.' })
  minSends!: number;

  @Field(() => Float)
  hardBounceThreshold!: number;

  @Field(() => Float)
  complaintThreshold!: number;

  @Field(() => DateTime, {
    nullable: true,
    description: 'When an admin last lifted a restriction; the window starts there.',
  })
  liftedAt!: string | null;
}

@ObjectType({ description: 'An address the organisation never sends to.' })
export class SuppressedAddress {
  @Field()
  email!: string;

  @Field({ description: 'HARD_BOUNCE, COMPLAINT, UNSUBSCRIBE or MANUAL.' })
  reason!: string;

  @Field(() => DateTime)
  createdAt!: string;
}

@InputType()
export class LiftEmailRestrictionInput {
  @Field({ description: 'Why (kept with the organisation, 3–500 characters).' })
  reason!: string;
}

@InputType()
export class SuppressionInput {
  @Field()
  email!: string;
}

@ObjectType({ description: 'A message the local outbox transport kept (no MAILGUN_API_KEY configured).' })
export class OutboxMessage {
  @Field({ description: "The message id, as a provider's would be." })
  messageId!: string;

  @Field()
  fromAddress!: string;

  @Field()
  toAddress!: string;

  @Field()
  subject!: string;

  @Field(() => String, { nullable: true })
  textBody!: string | null;

  @Field(() => String, { nullable: true })
  htmlBody!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'List-Unsubscribe, List-Unsubscribe-Post, Reply-To.' })
  headers!: Record<string, string>;

  @Field(() => DateTime)
  createdAt!: string;
}

export interface PolicyDeps {
  bouncePolicy?: BouncePolicy;
}

const DEFAULT_POLICY: BouncePolicy = {
  windowDays: 7,
  minSends: 100,
  hardBounceThreshold: 0.05,
  complaintThreshold: 0.001,
};
const MAX_SUPPRESSIONS_LISTED = 1000;

/** The bounce policy's standing and the suppression list, for admins. */
@Resolver()
export class EmailPolicyResolver {
  constructor(private readonly deps: PolicyDeps) {}

  private get policy(): BouncePolicy {
    return this.deps.bouncePolicy ?? DEFAULT_POLICY;
  }

  @Authorized('read')
  @Query(() => EmailSendingStatus, { description: 'Rates, thresholds and whether sending is restricted.' })
  async emailSendingStatus(@Ctx() ctx: RequestContext): Promise<EmailSendingStatus> {
    return measure(ctx.db, this.policy);
  }

  @Authorized('admin')
  @Mutation(() => EmailSendingStatus, {
    description:
      'Lifts a sending restriction by hand, with a reason (kept). The window then starts now, so the events that caused it do not restrict again.',
  })
  async liftEmailRestriction(
    @Arg('input') input: LiftEmailRestrictionInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ): Promise<EmailSendingStatus> {
    const reason = v.text(input.reason, 'input.reason', { min: 3, max: 500 });
    await ctx.db.query(
      `insert into email_restriction (organization_id, restricted, reason, lifted_at, lift_reason, updated_at)
       values ($1, false, null, now(), $2, now())
       on conflict (organization_id) do update
         set restricted = false, reason = null, lifted_at = now(), lift_reason = excluded.lift_reason, updated_at = now()`,
      [reason],
    );
    ctx.log.info({ organizationId: caller.organizationId, reason }, 'email restriction lifted by an admin');
    return measure(ctx.db, this.policy);
  }

  @Authorized('read')
  @Query(() => [OutboxMessage], {
    description:
      'Messages the local outbox kept, newest first (without MAILGUN_API_KEY email goes there instead of Mailgun). Max 100.',
  })
  outboxMessages(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
  ): Promise<OutboxMessage[]> {
    if (first < 0 || first > 100) throw badInput('first', 'must be between 0 and 100.');
    return ctx.db.query<OutboxMessage & Record<string, unknown>>(
      `select message_id as "messageId", from_address as "fromAddress", to_address as "toAddress", subject,
              text_body as "textBody", html_body as "htmlBody", headers, created_at as "createdAt"
         from email_outbox where organization_id = $1 order by created_at desc, id limit $2`,
      [first],
    );
  }

  @Authorized('admin')
  @Query(() => [SuppressedAddress], {
    description: `The suppression list, newest first (at most ${MAX_SUPPRESSIONS_LISTED}).`,
  })
  suppressedAddresses(@Ctx() ctx: RequestContext): Promise<SuppressedAddress[]> {
    return ctx.db.query<SuppressedAddress & Record<string, unknown>>(
      `select email, reason, created_at as "createdAt" from email_suppression where organization_id = $1
        order by created_at desc, email limit ${MAX_SUPPRESSIONS_LISTED}`,
    );
  }

  @Authorized('admin')
  @Mutation(() => SuppressedAddress, {
    description: 'Adds an address to the suppression list (reason MANUAL).',
  })
  async suppressAddress(
    @Arg('input') input: SuppressionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SuppressedAddress> {
    const email = v.email(input.email, 'input.email');
    await ctx.db.query(
      `insert into email_suppression (id, organization_id, email, reason, created_at)
       values (gen_random_uuid(), $1, $2, 'MANUAL', now()) on conflict (organization_id, email) do nothing`,
      [email],
    );
    const [row] = await ctx.db.query<SuppressedAddress & Record<string, unknown>>(
      `select email, reason, created_at as "createdAt" from email_suppression where organization_id = $1 and email = $2`,
      [email],
    );
    return row;
  }

  @Authorized('admin')
  @Mutation(() => SuppressedAddress, {
    nullable: true,
    description:
      "Removes an address from the suppression list: the entry removed, or null if it was not there. The contact's email status is not changed.",
  })
  async unsuppressAddress(
    @Arg('input') input: SuppressionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SuppressedAddress | null> {
    const email = v.email(input.email, 'input.email');
    const rows = await ctx.db.query<SuppressedAddress & Record<string, unknown>>(
      `delete from email_suppression where organization_id = $1 and email = $2
       returning email, reason, created_at as "createdAt"`,
      [email],
    );
    return rows[0] ?? null;
  }
}

/** `BounceRateChange.sending`: the organisation's rates and restriction beside the campaign's. */
@Resolver(() => BounceRateChange)
export class BounceRateChangeSendingResolver {
  constructor(private readonly deps: PolicyDeps) {}

  @FieldResolver(() => EmailSendingStatus, {
    description:
      "The organisation's rates over the policy window, thresholds and whether sending is restricted.",
  })
  sending(@Ctx() ctx: RequestContext): Promise<EmailSendingStatus> {
    requireScope(ctx, null);
    return measure(ctx.db, this.deps.bouncePolicy ?? DEFAULT_POLICY);
  }
}

import { Field, Float, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { DateTime } from '../../platform/graphql/types.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const UsageDimension = defineEnum(
  'UsageDimension',
  'API_CALLS BANDWIDTH REQUESTS_PER_SECOND CONCURRENT_REQUESTS RECORDS_PER_CALL COST MAX_COST DEPTH ALIASES ROOT_FIELDS SELECTIONS SUBSCRIPTIONS EMAILS CALLS_PLACED PHONE_NUMBERS',
  {
    description:
      'API_CALLS, BANDWIDTH (response bytes), EMAILS and CALLS_PLACED are per UTC day; REQUESTS_PER_SECOND is counted per 10-second window (limit = 10 × the rate); COST is the bucket; SUBSCRIPTIONS counts live subscriptions across instances; PHONE_NUMBERS counts the numbers rented now; the rest are per operation.',
  },
);
export type UsageDimension = EnumOf<typeof UsageDimension>;

@ObjectType('Plan', { simpleResolvers: true, description: 'A billing plan and the limits it sets.' })
export class PlanNode {
  @Field({ description: 'FREE, STANDARD, PROFESSIONAL or ENTERPRISE.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Highest requested cost of one operation.' })
  maxCost!: number;

  @Field(() => Int)
  bucketSize!: number;

  @Field(() => Int, { description: 'Cost restored per second.' })
  restoreRate!: number;

  @Field(() => Float)
  apiCallsPerDay!: number;

  @Field(() => Int)
  recordsPerCall!: number;

  @Field(() => Float, { description: 'Response bytes per UTC day.' })
  bandwidthPerDay!: number;

  @Field(() => Int)
  requestsPerSecond!: number;

  @Field(() => Int, { description: 'Per server instance.' })
  concurrentRequests!: number;

  @Field(() => Int)
  emailsPerDay!: number;

  @Field(() => Int)
  callsPerDay!: number;

  @Field(() => Int)
  phoneNumbers!: number;

  @Field(() => Int)
  maxDepth!: number;

  @Field(() => Int)
  maxAliases!: number;

  @Field(() => Int)
  maxRootFields!: number;

  @Field(() => Int)
  maxSubscriptions!: number;

  @Field({ description: 'Whether partner (persisted-only) keys may be used.' })
  partnerAccess!: boolean;

  @Field({ description: 'Price per monthly billing period in USD, a decimal string, e.g. "49.00".' })
  price!: string;
}

@ObjectType({ simpleResolvers: true })
export class ThrottleStatus {
  @Field(() => Int)
  maximumAvailable!: number;

  @Field(() => Int)
  currentlyAvailable!: number;

  @Field(() => Int)
  restoreRate!: number;
}

@ObjectType({ simpleResolvers: true })
export class UsageItem {
  @Field(() => UsageDimension)
  dimension!: UsageDimension;

  @Field(() => Float)
  limit!: number;

  @Field(() => Float)
  used!: number;

  @Field(() => Float)
  remaining!: number;

  @Field(() => DateTime, {
    nullable: true,
    description: 'When `used` next resets; null for per-operation limits.',
  })
  resetAt!: Date | string | null;
}

@ObjectType({ simpleResolvers: true, description: "The organisation's plan and every usage dimension." })
export class Usage {
  @Field(() => PlanNode)
  plan!: PlanNode;

  @Field(() => [UsageItem])
  dimensions!: UsageItem[];

  @Field(() => ThrottleStatus)
  throttleStatus!: ThrottleStatus;
}

@ObjectType({ simpleResolvers: true })
export class LimitHit {
  @Field(() => UsageDimension)
  dimension!: UsageDimension;

  @Field(() => Float)
  limit!: number;

  @Field(() => Float, { description: 'What the operation would need or reach.' })
  requested!: number;

  @Field()
  message!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: 'What an operation would cost, without running or charging it.',
})
export class CostEstimate {
  @Field(() => Int)
  requestedQueryCost!: number;

  @Field(() => Int)
  maximum!: number;

  @Field(() => Int)
  depth!: number;

  @Field(() => Int)
  aliases!: number;

  @Field(() => Int)
  rootFields!: number;

  @Field(() => [LimitHit], { description: 'Limits the operation would hit now; empty if it would run.' })
  wouldExceed!: LimitHit[];

  @Field(() => ThrottleStatus)
  throttleStatus!: ThrottleStatus;
}

export const EstimateVariables = GraphQLJSONObject;

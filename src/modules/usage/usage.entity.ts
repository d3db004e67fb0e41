import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A billing plan and every limit it sets (CONTRACT §5). Seeded by migration; editable. */
@Entity({ tableName: 'plan' })
export class Plan {
  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Highest requested cost of one operation. */
  @Property({ type: 'integer' })
  maxCost!: number;

  /** Cost bucket capacity and restore rate per second (leaky bucket). */
  @Property({ type: 'integer' })
  bucketSize!: number;

  @Property({ type: 'integer' })
  restoreRate!: number;

  @Property({ type: 'bigint' })
  apiCallsPerDay!: number;

  @Property({ type: 'integer' })
  recordsPerCall!: number;

  /** Response bytes per day. */
  @Property({ type: 'bigint' })
  bandwidthPerDay!: number;

  @Property({ type: 'integer' })
  requestsPerSecond!: number;

  @Property({ type: 'integer' })
  concurrentRequests!: number;

  @Property({ type: 'integer' })
  emailsPerDay!: number;

  @Property({ type: 'integer' })
  callsPerDay!: number;

  @Property({ type: 'integer' })
  phoneNumbers!: number;

  @Property({ type: 'integer' })
  maxDepth!: number;

  @Property({ type: 'integer' })
  maxAliases!: number;

  @Property({ type: 'integer' })
  maxRootFields!: number;

  @Property({ type: 'integer' })
  maxSubscriptions!: number;

  /** Whether partner (persisted-only) keys may be used. */
  @Property({ type: 'boolean' })
  partnerAccess!: boolean;

  /** Monthly price in USD (billing module); 0 for plans added without one. */
  @Property({ type: 'decimal', precision: 19, scale: 2, default: 0 })
  price: string = '0';
}

/** One row per organisation and dimension, reset in place when its period changes. */
@Entity({ tableName: 'usage_counter' })
export class UsageCounter {
  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  @PrimaryKey({ type: 'text' })
  dimension!: string;

  @Property({ type: 'datetime', length: 3 })
  periodStart!: Date;

  @Property({ type: 'bigint' })
  used!: number;
}

/** The organisation's cost bucket: tokens as of `updatedAt`, restored lazily at read. */
@Entity({ tableName: 'usage_bucket' })
export class UsageBucket {
  @PrimaryKey({ type: 'uuid' })
  organizationId!: string;

  @Property({ type: 'double' })
  tokens!: number;

  @Property({ type: 'datetime', length: 3 })
  updatedAt!: Date;
}

/**
 * A live subscription, counted against the plan's concurrent subscriptions across every
 * instance; the instance holding it refreshes `heartbeatAt`, so a crashed instance's rows
 * stop counting once they go stale.
 */
@Entity({ tableName: 'active_subscription' })
export class ActiveSubscription {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', index: true })
  organizationId!: string;

  @Property({ type: 'uuid' })
  apiKeyId!: string;

  @Property({ type: 'text' })
  field!: string;

  @Property({ type: 'datetime', length: 3 })
  startedAt!: Date;

  @Property({ type: 'datetime', length: 3 })
  heartbeatAt!: Date;
}

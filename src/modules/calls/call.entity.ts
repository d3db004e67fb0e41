import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Organization, User } from '../auth/index.js';
import { TenantScoped } from '../../platform/records/index.js';
import { Contact } from '../contacts/index.js';
import { Deal } from '../deals/index.js';

export enum CallDirection {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}

export enum CallStatus {
  QUEUED = 'QUEUED',
  RINGING = 'RINGING',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  BUSY = 'BUSY',
  FAILED = 'FAILED',
  NO_ANSWER = 'NO_ANSWER',
  CANCELED = 'CANCELED',
}

export enum CallOutcome {
  CONNECTED = 'CONNECTED',
  LEFT_VOICEMAIL = 'LEFT_VOICEMAIL',
  NO_ANSWER = 'NO_ANSWER',
  BUSY = 'BUSY',
  WRONG_NUMBER = 'WRONG_NUMBER',
  CALLBACK_REQUESTED = 'CALLBACK_REQUESTED',
  INTERESTED = 'INTERESTED',
  NOT_INTERESTED = 'NOT_INTERESTED',
  OTHER = 'OTHER',
}

@Entity({ tableName: 'call' })
@TenantScoped()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['organization', 'contact'] })
@Index({ properties: ['organization', 'deal'] })
export class Call {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @Enum({ items: () => CallDirection, type: 'text' })
  direction!: CallDirection;

  @Property({ type: 'text' })
  fromNumber!: string;

  @Property({ type: 'text' })
  toNumber!: string;

  @ManyToOne(() => Contact, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  contact?: string | null;

  @ManyToOne(() => Deal, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  deal?: string | null;

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  owner?: string | null;

  @Enum({ items: () => CallStatus, type: 'text' })
  status!: CallStatus;

  @Property({ type: 'datetime', length: 3, nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  answeredAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  endedAt?: Date | null;

  /** Seconds. */
  @Property({ type: 'integer', nullable: true })
  duration?: number | null;

  /** Billed seconds, as reported by the provider. */
  @Property({ type: 'integer', nullable: true })
  billDuration?: number | null;

  @Property({ type: 'text', nullable: true })
  hangupCause?: string | null;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Enum({ items: () => CallOutcome, type: 'text', nullable: true })
  outcome?: CallOutcome | null;

  /** Plivo's CallUUID for placed calls. */
  @Property({ type: 'text', nullable: true })
  providerCallId?: string | null;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;
}

import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Organization } from '../auth/index.js';
import { TenantScoped } from '../../platform/records/index.js';
import { Contact } from '../contacts/index.js';

export enum CampaignStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  SENDING = 'SENDING',
  SENT = 'SENT',
  PAUSED = 'PAUSED',
  CANCELLED = 'CANCELLED',
}

export enum MemberStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  OPENED = 'OPENED',
  CLICKED = 'CLICKED',
  BOUNCED = 'BOUNCED',
  COMPLAINED = 'COMPLAINED',
  UNSUBSCRIBED = 'UNSUBSCRIBED',
  FAILED = 'FAILED',
}

export enum BounceType {
  HARD = 'HARD',
  SOFT = 'SOFT',
}

@Entity({ tableName: 'campaign' })
@TenantScoped()
@Index({ properties: ['organization', 'createdAt'] })
export class Campaign {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text', nullable: true })
  htmlBody?: string | null;

  @Property({ type: 'text', nullable: true })
  textBody?: string | null;

  @Property({ type: 'text' })
  fromEmail!: string;

  @Property({ type: 'text', nullable: true })
  fromName?: string | null;

  @Property({ type: 'text', nullable: true })
  replyTo?: string | null;

  @Enum({ items: () => CampaignStatus, type: 'text', default: CampaignStatus.DRAFT })
  status: CampaignStatus = CampaignStatus.DRAFT;

  @Property({ type: 'datetime', length: 3, nullable: true })
  scheduledAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;
}

/** A recipient of a campaign, with its own delivery status. */
@Entity({ tableName: 'campaign_member' })
@TenantScoped()
@Unique({ properties: ['campaign', 'contact'] })
@Index({ properties: ['contact'] })
export class CampaignMember {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @ManyToOne(() => Campaign, { mapToPk: true, deleteRule: 'cascade' })
  campaign!: string;

  @ManyToOne(() => Contact, { mapToPk: true, deleteRule: 'cascade' })
  contact!: string;

  /** The address the message goes (or went) to. */
  @Property({ type: 'text', nullable: true })
  email?: string | null;

  @Enum({ items: () => MemberStatus, type: 'text', default: MemberStatus.PENDING })
  status: MemberStatus = MemberStatus.PENDING;

  @Enum({ items: () => BounceType, type: 'text', nullable: true })
  bounceType?: BounceType | null;

  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Property({ type: 'text', nullable: true })
  providerMessageId?: string | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

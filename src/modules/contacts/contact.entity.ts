import { randomUUID } from 'node:crypto';
import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Organization, User } from '../auth/index.js';
import { TenantScoped } from '../../platform/records/index.js';
import { Company } from '../companies/index.js';

export enum LifecycleStage {
  SUBSCRIBER = 'SUBSCRIBER',
  LEAD = 'LEAD',
  MARKETING_QUALIFIED_LEAD = 'MARKETING_QUALIFIED_LEAD',
  SALES_QUALIFIED_LEAD = 'SALES_QUALIFIED_LEAD',
  OPPORTUNITY = 'OPPORTUNITY',
  CUSTOMER = 'CUSTOMER',
  EVANGELIST = 'EVANGELIST',
  OTHER = 'OTHER',
}

export enum EmailStatus {
  SUBSCRIBED = 'SUBSCRIBED',
  UNSUBSCRIBED = 'UNSUBSCRIBED',
  BOUNCED = 'BOUNCED',
  COMPLAINED = 'COMPLAINED',
}

@Entity({ tableName: 'contact' })
@TenantScoped()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['organization', 'company'] })
// Upserts and merges match contacts by any of their addresses.
@Index({
  name: 'contact_emails_gin',
  expression: 'create index "contact_emails_gin" on "contact" using gin ("emails")',
})
export class Contact {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @Property({ type: 'text', nullable: true })
  firstName?: string | null;

  @Property({ type: 'text', nullable: true })
  lastName?: string | null;

  /** Lower-cased addresses; the first is the primary one. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  emails: string[] = [];

  /** E.164 numbers. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  phones: string[] = [];

  @Property({ type: 'text', nullable: true })
  jobTitle?: string | null;

  @ManyToOne(() => Company, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  company?: string | null;

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  owner?: string | null;

  @Enum({ items: () => LifecycleStage, type: 'text', nullable: true })
  lifecycleStage?: LifecycleStage | null;

  @Enum({ items: () => EmailStatus, type: 'text', default: EmailStatus.SUBSCRIBED })
  emailStatus: EmailStatus = EmailStatus.SUBSCRIBED;

  @Property({ type: ArrayType, columnType: 'text[]' })
  tags: string[] = [];

  @Property({ type: 'json' })
  customFields: Record<string, unknown> = {};

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;
}

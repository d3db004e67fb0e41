import { randomUUID } from 'node:crypto';
import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Organization, User } from '../auth/index.js';
import { TenantScoped } from '../../platform/records/index.js';
import { Company } from '../companies/index.js';
import { Contact } from '../contacts/index.js';

export enum StageKind {
  OPEN = 'OPEN',
  WON = 'WON',
  LOST = 'LOST',
}

@Entity({ tableName: 'pipeline' })
@TenantScoped()
export class Pipeline {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  @Index()
  organization!: string;

  @Property({ type: 'text' })
  name!: string;

  /** New deals land here when no pipeline is given. */
  @Property({ type: 'boolean', default: false })
  isDefault: boolean = false;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;
}

@Entity({ tableName: 'stage' })
@TenantScoped()
@Index({ properties: ['pipeline', 'position'] })
export class Stage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @ManyToOne(() => Pipeline, { mapToPk: true, deleteRule: 'cascade' })
  pipeline!: string;

  @Property({ type: 'text' })
  name!: string;

  /** 0-based order within the pipeline. */
  @Property({ type: 'integer' })
  position!: number;

  /** Percent, 0–100: the chance a deal in this stage closes won. */
  @Property({ type: 'integer' })
  probability!: number;

  @Enum({ items: () => StageKind, type: 'text' })
  kind: StageKind = StageKind.OPEN;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'deal' })
@TenantScoped()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['organization', 'company'] })
@Index({ properties: ['organization', 'stage'] })
export class Deal {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Exact decimal, read and written as a string. */
  @Property({ type: 'decimal', precision: 19, scale: 4, nullable: true })
  amount?: string | null;

  /** ISO 4217, e.g. USD. */
  @Property({ type: 'text', length: 3 })
  currency!: string;

  @ManyToOne(() => Pipeline, { mapToPk: true })
  pipeline!: string;

  @ManyToOne(() => Stage, { mapToPk: true })
  stage!: string;

  @ManyToOne(() => Company, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  company?: string | null;

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  owner?: string | null;

  @Property({ type: 'date', nullable: true })
  expectedCloseDate?: string | null;

  /** Set when the deal enters a WON or LOST stage, cleared when it reopens. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  closedAt?: Date | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  tags: string[] = [];

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;
}

/** Many-to-many between deals and contacts. */
@Entity({ tableName: 'deal_contact' })
@TenantScoped()
@Unique({ properties: ['deal', 'contact'] })
@Index({ properties: ['contact'] })
export class DealContact {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @ManyToOne(() => Deal, { mapToPk: true, deleteRule: 'cascade' })
  deal!: string;

  @ManyToOne(() => Contact, { mapToPk: true, deleteRule: 'cascade' })
  contact!: string;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();
}

/** One row per stage move, recorded by moveDeal (and at creation, with no `fromStage`). */
@Entity({ tableName: 'deal_stage_change' })
@TenantScoped()
@Index({ properties: ['deal', 'changedAt'] })
export class DealStageChange {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @ManyToOne(() => Deal, { mapToPk: true, deleteRule: 'cascade' })
  deal!: string;

  @ManyToOne(() => Stage, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  fromStage?: string | null;

  /** Names at the time of the move, so history survives a deleted or renamed stage. */
  @Property({ type: 'text', nullable: true })
  fromStageName?: string | null;

  @ManyToOne(() => Stage, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  toStage?: string | null;

  @Property({ type: 'text' })
  toStageName!: string;

  @Property({ type: 'datetime', length: 3 })
  changedAt: Date = new Date();

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  changedBy?: string | null;
}

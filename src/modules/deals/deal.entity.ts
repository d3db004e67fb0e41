import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Organization, User } from '../auth/index.js';
import { recordEntity, TenantScoped, type RowOf } from '../../platform/records/index.js';
import { Contact } from '../contacts/index.js';
import { dealRecord, pipelineRecord, stageRecord } from './deal.record.js';

const pipeline = recordEntity(pipelineRecord);
const stage = recordEntity(stageRecord);
const deal = recordEntity(dealRecord);

/** Entities (write path) of the declared records, and their MikroORM schemas. */
export const Pipeline = pipeline.entity;
export type Pipeline = InstanceType<typeof Pipeline>;
export const Stage = stage.entity;
export type Stage = InstanceType<typeof Stage>;
export const Deal = deal.entity;
export type Deal = InstanceType<typeof Deal>;

/** Rows as the read path returns them: plain rows, `id` global, `pk` the table key. */
export type PipelineRow = RowOf<typeof pipelineRecord>;
export type StageRow = RowOf<typeof stageRecord>;
export type DealRow = RowOf<typeof dealRecord>;
export const pipelineList = pipelineRecord.list;
export const stageList = stageRecord.list;
export const dealList = dealRecord.list;

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

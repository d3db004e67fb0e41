import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { User } from '../auth/index.js';
import { recordEntity, TenantEntity, TenantScoped, type RowOf } from '../../platform/records/index.js';
import { Contact } from '../contacts/index.js';
import { dealRecord, pipelineRecord, stageRecord } from './deal.record.js';

/** Entities (write path) of the declared records, and their MikroORM schemas. */
export const { entity: Pipeline } = recordEntity(pipelineRecord);
export type Pipeline = InstanceType<typeof Pipeline>;
export const { entity: Stage } = recordEntity(stageRecord);
export type Stage = InstanceType<typeof Stage>;
export const { entity: Deal } = recordEntity(dealRecord);
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
@Unique({ properties: ['deal', 'contact'] })
@Index({ properties: ['contact'] })
@TenantScoped()
export class DealContact extends TenantEntity {
  @ManyToOne(() => Deal, { mapToPk: true, deleteRule: 'cascade' })
  deal!: string;

  @ManyToOne(() => Contact, { mapToPk: true, deleteRule: 'cascade' })
  contact!: string;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();
}

/** One row per stage move, recorded by moveDeal (and at creation, with no `fromStage`). */
@Entity({ tableName: 'deal_stage_change' })
@Index({ properties: ['deal', 'changedAt'] })
@TenantScoped()
export class DealStageChange extends TenantEntity {
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

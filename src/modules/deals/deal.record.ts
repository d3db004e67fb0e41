import { ID } from 'type-graphql';
import { badInput } from '../../platform/errors.js';
import { DECIMAL } from '../../platform/filtering.js';
import {
  boolean,
  date,
  datetime,
  decimal,
  defineRecord,
  enumOf,
  int,
  refOf,
  text,
  textList,
  toOne,
} from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { companyRecord } from '../companies/index.js';
import { userRef } from '../users/index.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const StageKind = defineEnum('StageKind', 'OPEN WON LOST', {
  description: 'OPEN stages are in progress; WON and LOST close a deal.',
});
export type StageKind = EnumOf<typeof StageKind>;

/** A decimal shown with at least 2 and at most 4 decimals: 1250.0000 → "1250.00", 0.1250 → "0.125". */
export const money = (expr: string) =>
  `(case when scale(trim_scale(${expr})) < 2 then round(${expr}, 2) else trim_scale(${expr}) end)`;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function amount(value: string, field: string): string {
  const t = value.trim();
  if (!DECIMAL.test(t) || t.startsWith('-')) {
    throw badInput(
      field,
      `"${value}" is not a non-negative decimal amount (up to 15 digits and 4 decimals).`,
    );
  }
  return t;
}

function currency(value: string, field: string): string {
  const c = value.trim().toUpperCase();
  if (!CURRENCIES.has(c)) throw badInput(field, `"${value}" is not an ISO 4217 currency code.`);
  return c;
}

/** A sales pipeline: ordered stages that deals move through. Created and edited with its stages. */
export const pipelineRecord = defineRecord({
  typeName: 'Pipeline',
  plural: 'pipelines',
  table: 'pipeline',
  softDelete: true,
  columns: {
    name: text({ order: true }),
    isDefault: boolean({
      description: 'New deals land here when no pipeline or stage is given.',
      default: () => false,
      dbDefault: false,
    }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  indexes: [[]],
});

/** One step of a pipeline. Stages are not soft-deleted: deleting one moves its deals first. */
export const stageRecord = defineRecord({
  typeName: 'Stage',
  plural: 'stages',
  table: 'stage',
  softDelete: false,
  noUpdatedAt: true,
  columns: {
    name: text(),
    position: int({ order: true, filter: false, description: '0-based order within the pipeline.' }),
    probability: int({ description: 'Percent (0–100) chance that a deal here closes won.' }),
    kind: enumOf(StageKind, 'StageKind', { default: () => StageKind.OPEN }),
    createdAt: datetime({ filter: false }),
  },
  relations: { pipeline: toOne(() => refOf(pipelineRecord), { filter: false }) },
  defaultOrder: [{ field: 'POSITION', direction: 'ASC' }],
  indexes: [{ properties: ['pipeline', 'position'] }],
});

/** A deal: the one declaration its entity, GraphQL types and read path derive from. */
export const dealRecord = defineRecord({
  typeName: 'Deal',
  plural: 'deals',
  table: 'deal',
  softDelete: true,
  columns: {
    name: text({ order: true, write: { create: 'required', check: (x, f) => v.text(x, f, { max: 200 }) } }),
    amount: decimal({
      nullable: true,
      order: true,
      columnType: 'numeric(19,4)',
      description: 'Exact decimal as a string, e.g. "1250.00".',
      read: (t) => money(`${t}.amount`),
      write: { create: 'optional', description: 'Decimal string, e.g. "1250.00".', check: amount },
    }),
    currency: text({
      description: 'ISO 4217 code, e.g. USD.',
      write: { create: 'required', defaultValue: 'USD', description: 'ISO 4217.', check: currency },
    }),
    expectedCloseDate: date({
      nullable: true,
      order: true,
      filterDescription: 'Compared at midnight UTC.',
      write: { create: 'optional' },
    }),
    closedAt: datetime({
      nullable: true,
      order: true,
      description: 'When the deal entered a WON or LOST stage.',
    }),
    tags: textList({
      default: () => [],
      write: { create: 'optional', check: (x, f) => v.list(x, f, 50, v.tag) },
    }),
  },
  relations: {
    pipeline: toOne(() => refOf(pipelineRecord), {
      onDelete: 'no action',
      filter: false,
      write: {
        create: 'optional',
        update: false,
        byRules: true,
        description: 'Default: the default pipeline (or the stage’s pipeline).',
      },
    }),
    stage: toOne(() => refOf(stageRecord), {
      onDelete: 'no action',
      write: {
        create: 'optional',
        update: false,
        byRules: true,
        description: 'Default: the first stage of the pipeline.',
      },
    }),
    company: toOne(() => refOf(companyRecord), { nullable: true, write: { create: 'optional' } }),
    owner: toOne(() => userRef, { nullable: true, write: { create: 'optional' } }),
  },
  inputs: {
    contactIds: { type: () => [ID], create: true, update: true, updateDescription: 'Replaces the contacts.' },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  // A company's first deals in the default order are a range scan (compiled reads, no sort).
  indexes: [['createdAt'], ['company', 'createdAt', 'id'], ['stage']],
  texts: {
    filter: 'All given conditions must hold; combine with and/or/not.',
    updateInput: 'Fields left out stay as they are; null clears a field. Use moveDeal to change stage.',
  },
});

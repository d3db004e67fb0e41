import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { callRecord } from './call.record.js';

const { entity, schema } = recordEntity(callRecord);

/** The call entity (write path) and its MikroORM schema, from the declaration. */
export const Call = entity;
export type Call = InstanceType<typeof Call>;
export const CallSchema = schema;

/** A call as the read path returns it: plain row, `id` global, `pk` the table key. */
export type CallRow = RowOf<typeof callRecord>;
export const callList = callRecord.list;

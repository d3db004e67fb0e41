import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { callRecord } from './call.record.js';

/** The call entity (write path) from the declaration (its MikroORM schema is listed by the module). */
export const { entity: Call } = recordEntity(callRecord);
export type Call = InstanceType<typeof Call>;

/** A call as the read path returns it: plain row, `id` global, `pk` the table key. */
export type CallRow = RowOf<typeof callRecord>;
export const callList = callRecord.list;

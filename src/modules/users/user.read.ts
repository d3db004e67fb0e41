import type { RequestContext } from '../../platform/graphql/context.js';
import { rowLoader } from '../../platform/graphql/loaders.js';
import { refOf, type RecordRef, type RowOf } from '../../platform/records/index.js';
import { userRecord } from '../auth/index.js';

/** A member as the read path returns it: plain row, `id` global, `pk` the table key. */
export type UserRow = RowOf<typeof userRecord>;
export const userList = userRecord.list;

/** The member with primary key `pk`, batched per request (owners of many records: one SQL statement). */
export function loadUser(ctx: RequestContext, pk: string | null): Promise<UserRow | null> | null {
  return pk ? rowLoader<UserRow>(ctx, userList).load(pk) : null;
}

/** Members as a relation target (owners): the member must be active. */
export const userRef: RecordRef = refOf(userRecord, 'active member');

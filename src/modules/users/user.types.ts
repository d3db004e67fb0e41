import { recordTypes, recordWriteTypes } from '../../platform/records/index.js';
import { userRecord } from '../auth/index.js';

const types = recordTypes(userRecord);

/** Members' GraphQL types, derived from the declaration. */
export const UserFilter = types.filter;
export type UserFilter = InstanceType<typeof UserFilter>;
export const UserConnection = types.connection;
export const UserPayload = recordWriteTypes(userRecord).payload;

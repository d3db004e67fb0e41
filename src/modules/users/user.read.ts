import type { RequestContext } from '../../platform/graphql/context.js';
import { rowLoader } from '../../platform/graphql/loaders.js';
import type { ListSpec, NodeRow } from '../../platform/pagination.js';
import { UserNode, type UserRole } from '../auth/index.js';
import type { RecordRef } from '../../platform/records/index.js';
import { UserFilter } from './user.types.js';

export interface UserRow extends NodeRow {
  email: string;
  name: string | null;
  role: UserRole;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export const userList: ListSpec = {
  table: 'app_user',
  typeName: 'User',
  softDelete: true,
  columns: {
    id: 'id',
    email: 'email',
    name: 'name',
    role: 'role',
    phone: 'phone',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
    deletedAt: 'deleted_at',
  },
  filters: {
    id: { kind: 'id', column: 'id', type: 'User' },
    email: { kind: 'string', column: 'email' },
    name: { kind: 'string', column: 'name' },
    role: { kind: 'enum', column: 'role' },
    createdAt: { kind: 'date', column: 'created_at' },
  },
  order: {
    EMAIL: { column: 'email', key: 'email', nullable: false },
    NAME: { column: 'name', key: 'name', nullable: true },
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  needs: {},
};

/** The member with primary key `pk`, batched per request (owners of many records: one SQL statement). */
export function loadUser(ctx: RequestContext, pk: string | null): Promise<UserRow | null> | null {
  return pk ? rowLoader<UserRow>(ctx, userList).load(pk) : null;
}

/** Users as a relation target (owners): the member must be active. */
export const userRef: RecordRef = {
  typeName: 'User',
  entityName: 'User',
  list: userList,
  node: () => UserNode,
  filterInput: () => UserFilter,
  refName: 'active member',
};

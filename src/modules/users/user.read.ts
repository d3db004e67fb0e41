import type { RequestContext } from '../../platform/graphql/context.js';
import { rowLoader } from '../../platform/graphql/loaders.js';
import type { ListSpec, NodeRow } from '../../platform/pagination.js';
import type { UserRole } from '../auth/index.js';

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
  columns: (t) =>
    `${t}.id as "id", ${t}.email as "email", ${t}.name as "name", ${t}.role as "role", ${t}.phone as "phone", ` +
    `${t}.created_at as "createdAt", ${t}.updated_at as "updatedAt", ${t}.deleted_at as "deletedAt"`,
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

import type { ListSpec, NodeRow } from '../../platform/pagination.js';
import { userList } from '../users/index.js';

/** A company as the read path returns it: plain row, `id` global, `pk` the table key. */
export interface CompanyRow extends NodeRow {
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  phone: string | null;
  ownerId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export const companyList: ListSpec = {
  table: 'company',
  typeName: 'Company',
  softDelete: true,
  columns: (t) =>
    `${t}.id as "id", ${t}.name as "name", ${t}.domain as "domain", ${t}.industry as "industry", ${t}.employees as "employees", ` +
    `${t}.phone as "phone", ${t}.owner_id as "ownerId", ${t}.tags as "tags", ${t}.custom_fields as "customFields", ` +
    `${t}.created_at as "createdAt", ${t}.updated_at as "updatedAt", ${t}.deleted_at as "deletedAt"`,
  filters: {
    ownerId: { kind: 'id', column: 'owner_id', type: 'User' },
    owner: { kind: 'one', fk: 'owner_id', target: () => userList },
    id: { kind: 'id', column: 'id', type: 'Company' },
    name: { kind: 'string', column: 'name' },
    domain: { kind: 'string', column: 'domain' },
    industry: { kind: 'string', column: 'industry' },
    phone: { kind: 'string', column: 'phone' },
    employees: { kind: 'number', column: 'employees' },
    tags: { kind: 'stringList', column: 'tags' },
    createdAt: { kind: 'date', column: 'created_at' },
    updatedAt: { kind: 'date', column: 'updated_at' },
  },
  order: {
    NAME: { column: 'name', key: 'name', nullable: false },
    DOMAIN: { column: 'domain', key: 'domain', nullable: true },
    EMPLOYEES: { column: 'employees', key: 'employees', nullable: true },
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
    UPDATED_AT: { column: 'updated_at', key: 'updatedAt', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  needs: { owner: ['ownerId'] },
};

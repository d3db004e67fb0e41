import type { ListSpec, NodeRow } from '../../platform/pagination.js';
import { userList } from '../users/index.js';
import { companyList } from '../companies/index.js';
import type { EmailStatus, LifecycleStage } from './contact.entity.js';

export interface ContactRow extends NodeRow {
  firstName: string | null;
  lastName: string | null;
  name: string;
  emails: string[];
  primaryEmail: string | null;
  phones: string[];
  jobTitle: string | null;
  companyId: string | null;
  ownerId: string | null;
  lifecycleStage: LifecycleStage | null;
  emailStatus: EmailStatus;
  tags: string[];
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export const contactList: ListSpec = {
  table: 'contact',
  typeName: 'Contact',
  softDelete: true,
  columns: {
    id: 'id',
    firstName: 'first_name',
    lastName: 'last_name',
    name: (t) => `concat_ws(' ', ${t}.first_name, ${t}.last_name)`,
    emails: 'emails',
    primaryEmail: (t) => `${t}.emails[1]`,
    phones: 'phones',
    jobTitle: 'job_title',
    companyId: 'company_id',
    ownerId: 'owner_id',
    lifecycleStage: 'lifecycle_stage',
    emailStatus: 'email_status',
    tags: 'tags',
    customFields: 'custom_fields',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
    deletedAt: 'deleted_at',
  },
  filters: {
    ownerId: { kind: 'id', column: 'owner_id', type: 'User' },
    owner: { kind: 'one', fk: 'owner_id', target: () => userList },
    id: { kind: 'id', column: 'id', type: 'Contact' },
    firstName: { kind: 'string', column: 'first_name' },
    lastName: { kind: 'string', column: 'last_name' },
    emails: { kind: 'stringList', column: 'emails' },
    phones: { kind: 'stringList', column: 'phones' },
    jobTitle: { kind: 'string', column: 'job_title' },
    lifecycleStage: { kind: 'enum', column: 'lifecycle_stage' },
    emailStatus: { kind: 'enum', column: 'email_status' },
    tags: { kind: 'stringList', column: 'tags' },
    companyId: { kind: 'id', column: 'company_id', type: 'Company' },
    company: { kind: 'one', fk: 'company_id', target: () => companyList },
    createdAt: { kind: 'date', column: 'created_at' },
    updatedAt: { kind: 'date', column: 'updated_at' },
  },
  order: {
    FIRST_NAME: { column: 'first_name', key: 'firstName', nullable: true },
    LAST_NAME: { column: 'last_name', key: 'lastName', nullable: true },
    PRIMARY_EMAIL: { column: 'emails[1]', key: 'primaryEmail', nullable: true },
    JOB_TITLE: { column: 'job_title', key: 'jobTitle', nullable: true },
    LIFECYCLE_STAGE: { column: 'lifecycle_stage', key: 'lifecycleStage', nullable: true },
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
    UPDATED_AT: { column: 'updated_at', key: 'updatedAt', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  needs: { company: ['companyId'], owner: ['ownerId'] },
};

// Company.contacts (declared in this module) needs only the company's primary key.
companyList.needs = { ...companyList.needs, contacts: [] };

import type { ListSpec, NodeRow } from '../../platform/pagination.js';
import { companyList } from '../companies/index.js';
import { contactList } from '../contacts/index.js';
import { userList } from '../users/index.js';
import type { StageKind } from './deal.entity.js';

export interface PipelineRow extends NodeRow {
  name: string;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface StageRow extends NodeRow {
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
  pipelineId: string;
  createdAt: string;
}

export interface DealRow extends NodeRow {
  name: string;
  amount: string | null;
  currency: string;
  pipelineId: string;
  stageId: string;
  companyId: string | null;
  ownerId: string | null;
  expectedCloseDate: string | null;
  closedAt: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** A decimal shown with at least 2 and at most 4 decimals: 1250.0000 → "1250.00", 0.1250 → "0.125". */
export const money = (expr: string) =>
  `(case when scale(trim_scale(${expr})) < 2 then round(${expr}, 2) else trim_scale(${expr}) end)`;

export const pipelineList: ListSpec = {
  table: 'pipeline',
  typeName: 'Pipeline',
  softDelete: true,
  columns: {
    id: 'id',
    name: 'name',
    isDefault: 'is_default',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
    deletedAt: 'deleted_at',
  },
  filters: {
    id: { kind: 'id', column: 'id', type: 'Pipeline' },
    name: { kind: 'string', column: 'name' },
    isDefault: { kind: 'boolean', column: 'is_default' },
  },
  order: {
    NAME: { column: 'name', key: 'name', nullable: false },
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  needs: { stages: [], deals: [] },
};

export const stageList: ListSpec = {
  table: 'stage',
  typeName: 'Stage',
  softDelete: false,
  columns: {
    id: 'id',
    name: 'name',
    position: 'position',
    probability: 'probability',
    kind: 'kind',
    pipelineId: 'pipeline_id',
    createdAt: 'created_at',
  },
  filters: {
    id: { kind: 'id', column: 'id', type: 'Stage' },
    name: { kind: 'string', column: 'name' },
    kind: { kind: 'enum', column: 'kind' },
    probability: { kind: 'number', column: 'probability' },
    pipelineId: { kind: 'id', column: 'pipeline_id', type: 'Pipeline' },
  },
  order: {
    POSITION: { column: 'position', key: 'position', nullable: false },
  },
  defaultOrder: [{ field: 'POSITION', direction: 'ASC' }],
  needs: { pipeline: ['pipelineId'], deals: [] },
};

export const dealList: ListSpec = {
  table: 'deal',
  typeName: 'Deal',
  softDelete: true,
  columns: {
    id: 'id',
    name: 'name',
    amount: (t) => money(`${t}.amount`),
    currency: 'currency',
    pipelineId: 'pipeline_id',
    stageId: 'stage_id',
    companyId: 'company_id',
    ownerId: 'owner_id',
    expectedCloseDate: 'expected_close_date',
    closedAt: 'closed_at',
    tags: 'tags',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
    deletedAt: 'deleted_at',
  },
  filters: {
    id: { kind: 'id', column: 'id', type: 'Deal' },
    name: { kind: 'string', column: 'name' },
    amount: { kind: 'decimal', column: 'amount' },
    currency: { kind: 'string', column: 'currency' },
    pipelineId: { kind: 'id', column: 'pipeline_id', type: 'Pipeline' },
    stageId: { kind: 'id', column: 'stage_id', type: 'Stage' },
    stage: { kind: 'one', fk: 'stage_id', target: () => stageList },
    companyId: { kind: 'id', column: 'company_id', type: 'Company' },
    company: { kind: 'one', fk: 'company_id', target: () => companyList },
    contacts: {
      kind: 'through',
      through: 'deal_contact',
      fk: 'deal_id',
      targetFk: 'contact_id',
      target: () => contactList,
    },
    ownerId: { kind: 'id', column: 'owner_id', type: 'User' },
    owner: { kind: 'one', fk: 'owner_id', target: () => userList },
    expectedCloseDate: { kind: 'date', column: 'expected_close_date' },
    closedAt: { kind: 'date', column: 'closed_at' },
    tags: { kind: 'stringList', column: 'tags' },
    createdAt: { kind: 'date', column: 'created_at' },
    updatedAt: { kind: 'date', column: 'updated_at' },
  },
  order: {
    NAME: { column: 'name', key: 'name', nullable: false },
    AMOUNT: { column: 'amount', key: 'amount', nullable: true },
    EXPECTED_CLOSE_DATE: { column: 'expected_close_date', key: 'expectedCloseDate', nullable: true },
    CLOSED_AT: { column: 'closed_at', key: 'closedAt', nullable: true },
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
    UPDATED_AT: { column: 'updated_at', key: 'updatedAt', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  needs: {
    pipeline: ['pipelineId'],
    stage: ['stageId'],
    company: ['companyId'],
    owner: ['ownerId'],
    contacts: [],
    stageHistory: [],
  },
};

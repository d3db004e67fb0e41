import type { ListSpec, NodeRow } from '../../platform/pagination.js';
import { contactList } from '../contacts/index.js';
import { dealList } from '../deals/index.js';
import { userList } from '../users/index.js';
import type { CallDirection, CallOutcome, CallStatus } from './call.entity.js';

export interface CallRow extends NodeRow {
  direction: CallDirection;
  fromNumber: string;
  toNumber: string;
  contactId: string | null;
  dealId: string | null;
  ownerId: string | null;
  status: CallStatus;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  duration: number | null;
  billDuration: number | null;
  hangupCause: string | null;
  notes: string | null;
  outcome: CallOutcome | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export const callList: ListSpec = {
  table: 'call',
  typeName: 'Call',
  softDelete: true,
  columns: {
    id: 'id',
    direction: 'direction',
    fromNumber: 'from_number',
    toNumber: 'to_number',
    contactId: 'contact_id',
    dealId: 'deal_id',
    ownerId: 'owner_id',
    status: 'status',
    startedAt: 'started_at',
    answeredAt: 'answered_at',
    endedAt: 'ended_at',
    duration: 'duration',
    billDuration: 'bill_duration',
    hangupCause: 'hangup_cause',
    notes: 'notes',
    outcome: 'outcome',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
    deletedAt: 'deleted_at',
  },
  filters: {
    id: { kind: 'id', column: 'id', type: 'Call' },
    direction: { kind: 'enum', column: 'direction' },
    status: { kind: 'enum', column: 'status' },
    outcome: { kind: 'enum', column: 'outcome' },
    fromNumber: { kind: 'string', column: 'from_number' },
    toNumber: { kind: 'string', column: 'to_number' },
    contactId: { kind: 'id', column: 'contact_id', type: 'Contact' },
    contact: { kind: 'one', fk: 'contact_id', target: () => contactList },
    dealId: { kind: 'id', column: 'deal_id', type: 'Deal' },
    deal: { kind: 'one', fk: 'deal_id', target: () => dealList },
    ownerId: { kind: 'id', column: 'owner_id', type: 'User' },
    owner: { kind: 'one', fk: 'owner_id', target: () => userList },
    duration: { kind: 'number', column: 'duration' },
    startedAt: { kind: 'date', column: 'started_at' },
    createdAt: { kind: 'date', column: 'created_at' },
  },
  order: {
    STARTED_AT: { column: 'started_at', key: 'startedAt', nullable: true },
    DURATION: { column: 'duration', key: 'duration', nullable: true },
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
    UPDATED_AT: { column: 'updated_at', key: 'updatedAt', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'DESC' }],
  needs: { contact: ['contactId'], deal: ['dealId'], owner: ['ownerId'] },
};

import type { ListSpec, NodeRow } from '../../platform/pagination.js';
import { contactList } from '../contacts/index.js';
import type { BounceType, CampaignStatus, MemberStatus } from './campaign.entity.js';

export interface CampaignRow extends NodeRow {
  name: string;
  subject: string;
  htmlBody: string | null;
  textBody: string | null;
  fromEmail: string;
  fromName: string | null;
  replyTo: string | null;
  status: CampaignStatus;
  scheduledAt: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface MemberRow extends NodeRow {
  campaignId: string;
  contactId: string;
  email: string | null;
  status: MemberStatus;
  bounceType: BounceType | null;
  error: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const memberList: ListSpec = {
  table: 'campaign_member',
  typeName: 'CampaignMember',
  softDelete: false,
  columns: {
    id: 'id',
    campaignId: 'campaign_id',
    contactId: 'contact_id',
    email: 'email',
    status: 'status',
    bounceType: 'bounce_type',
    error: 'error',
    sentAt: 'sent_at',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  filters: {
    id: { kind: 'id', column: 'id', type: 'CampaignMember' },
    status: { kind: 'enum', column: 'status' },
    bounceType: { kind: 'enum', column: 'bounce_type' },
    email: { kind: 'string', column: 'email' },
    contactId: { kind: 'id', column: 'contact_id', type: 'Contact' },
    contact: { kind: 'one', fk: 'contact_id', target: () => contactList },
    sentAt: { kind: 'date', column: 'sent_at' },
    createdAt: { kind: 'date', column: 'created_at' },
  },
  order: {
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
    UPDATED_AT: { column: 'updated_at', key: 'updatedAt', nullable: false },
    EMAIL: { column: 'email', key: 'email', nullable: true },
    STATUS: { column: 'status', key: 'status', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  needs: { contact: ['contactId'], campaign: ['campaignId'] },
};

export const campaignList: ListSpec = {
  table: 'campaign',
  typeName: 'Campaign',
  softDelete: true,
  columns: {
    id: 'id',
    name: 'name',
    subject: 'subject',
    htmlBody: 'html_body',
    textBody: 'text_body',
    fromEmail: 'from_email',
    fromName: 'from_name',
    replyTo: 'reply_to',
    status: 'status',
    scheduledAt: 'scheduled_at',
    sentAt: 'sent_at',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
    deletedAt: 'deleted_at',
  },
  filters: {
    id: { kind: 'id', column: 'id', type: 'Campaign' },
    name: { kind: 'string', column: 'name' },
    subject: { kind: 'string', column: 'subject' },
    status: { kind: 'enum', column: 'status' },
    fromEmail: { kind: 'string', column: 'from_email' },
    members: { kind: 'many', fk: 'campaign_id', target: () => memberList },
    scheduledAt: { kind: 'date', column: 'scheduled_at' },
    sentAt: { kind: 'date', column: 'sent_at' },
    createdAt: { kind: 'date', column: 'created_at' },
    updatedAt: { kind: 'date', column: 'updated_at' },
  },
  order: {
    NAME: { column: 'name', key: 'name', nullable: false },
    SENT_AT: { column: 'sent_at', key: 'sentAt', nullable: true },
    SCHEDULED_AT: { column: 'scheduled_at', key: 'scheduledAt', nullable: true },
    CREATED_AT: { column: 'created_at', key: 'createdAt', nullable: false },
    UPDATED_AT: { column: 'updated_at', key: 'updatedAt', nullable: false },
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  needs: { members: [], stats: [] },
};

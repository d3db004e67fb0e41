import { badInput } from '../../platform/errors.js';
import { datetime, defineRecord, enumOf, int, refOf, text, toOne } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { contactRecord } from '../contacts/index.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const CampaignStatus = defineEnum('CampaignStatus', 'DRAFT SCHEDULED SENDING SENT PAUSED CANCELLED');
export type CampaignStatus = EnumOf<typeof CampaignStatus>;

export const MemberStatus = defineEnum(
  'CampaignMemberStatus',
  'PENDING SENT DELIVERED OPENED CLICKED BOUNCED COMPLAINED UNSUBSCRIBED FAILED SKIPPED',
  {
    description:
      'The furthest delivery state reached by one recipient; SKIPPED: not sent, `error` says why (unsubscribed, bounced, complained, suppressed, no email).',
  },
);
export type MemberStatus = EnumOf<typeof MemberStatus>;

export const BounceType = defineEnum('BounceType', 'HARD SOFT', {
  description: 'HARD: permanent (address suppressed); SOFT: temporary.',
});
export type BounceType = EnumOf<typeof BounceType>;

const MAX_BODY = 500_000;

/** An HTML or text body: blank is none. */
function body(value: string, field: string): string | null {
  if (value.trim() === '') return null;
  if (value.length > MAX_BODY) throw badInput(field, `must have at most ${MAX_BODY} characters.`);
  return value;
}

/** An email campaign: the one declaration its entity, GraphQL types and read path derive from. */
export const campaignRecord = defineRecord({
  typeName: 'Campaign',
  plural: 'campaigns',
  table: 'campaign',
  softDelete: true,
  columns: {
    name: text({ order: true, write: { create: 'required', check: (x, f) => v.text(x, f, { max: 200 }) } }),
    subject: text({ write: { create: 'required', check: (x, f) => v.text(x, f, { max: 998 }) } }),
    htmlBody: text({ nullable: true, filter: false, write: { create: 'optional', check: body } }),
    textBody: text({ nullable: true, filter: false, write: { create: 'optional', check: body } }),
    fromEmail: text({ write: { create: 'required', check: v.email } }),
    fromName: text({
      nullable: true,
      filter: false,
      write: { create: 'optional', check: (x, f) => v.optionalText(x, f, 100) ?? null },
    }),
    replyTo: text({
      nullable: true,
      filter: false,
      write: { create: 'optional', check: (x, f) => (x ? v.email(x, f) : null) },
    }),
    status: enumOf(CampaignStatus, 'CampaignStatus', {
      default: () => CampaignStatus.DRAFT,
      dbDefault: CampaignStatus.DRAFT,
    }),
    scheduledAt: datetime({ nullable: true, order: true }),
    sentAt: datetime({ nullable: true, order: true }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  indexes: [['createdAt']],
  texts: { updateInput: 'Only DRAFT, SCHEDULED and PAUSED campaigns can change.' },
  // `stats` needs only the campaign's key.
  needs: { stats: [] },
});

/** A recipient of a campaign, with its own delivery status; added and removed by the recipient mutations. */
export const memberRecord = defineRecord({
  typeName: 'CampaignMember',
  plural: 'campaignMembers',
  table: 'campaign_member',
  softDelete: false,
  description: 'One recipient of a campaign.',
  columns: {
    updatedAt: datetime({ order: true, filter: false }),
    email: text({ nullable: true, order: true, description: 'The address the message goes (or went) to.' }),
    status: enumOf(MemberStatus, 'CampaignMemberStatus', {
      order: true,
      default: () => MemberStatus.PENDING,
      dbDefault: MemberStatus.PENDING,
    }),
    bounceType: enumOf(BounceType, 'BounceType', { nullable: true }),
    error: text({ nullable: true, filter: false }),
    providerMessageId: text({ nullable: true, filter: false, node: false }),
    /**
     * The send worker's claim: set before the message is handed to the provider, cleared with the
     * outcome. A claim left by a dead process is reconciled with the provider before any resend.
     */
    claimId: text({ nullable: true, filter: false, node: false }),
    claimedAt: datetime({ nullable: true, filter: false, node: false }),
    attempts: int({ filter: false, node: false, default: () => 0, dbDefault: 0 }),
    nextAttemptAt: datetime({ nullable: true, filter: false, node: false }),
    sentAt: datetime({ nullable: true }),
  },
  relations: {
    campaign: toOne(() => refOf(campaignRecord), { filter: false }),
    contact: toOne(() => refOf(contactRecord)),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  // The bounce policy counts an organisation's sends in its window (campaigns/email/policy.ts).
  indexes: [{ properties: ['contact'] }, ['sentAt']],
  uniques: [['campaign', 'contact']],
  texts: { relationPlural: 'members' },
});

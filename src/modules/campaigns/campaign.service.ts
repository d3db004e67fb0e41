import type { EntityManager } from '../../platform/db/orm.js';
import type { TenantSql } from '../../platform/db/tenant-sql.js';
import { badInput, conflict } from '../../platform/errors.js';
import { compileFilter } from '../../platform/filtering.js';
import { recordService } from '../../platform/records/index.js';
import { decodeResumeCursor, encodeResumeCursor } from '../../platform/resume-cursor.js';
import { fromGlobalId } from '../../platform/ids.js';
import { contactList, moveLinks, type ContactMergeStep } from '../contacts/index.js';
import { Campaign, CampaignMember } from './campaign.entity.js';
import { campaignRecord, CampaignStatus, MemberStatus } from './campaign.record.js';
import type { AddCampaignRecipientsInput } from './campaign.types.js';

const EDITABLE = new Set<CampaignStatus>([
  CampaignStatus.DRAFT,
  CampaignStatus.SCHEDULED,
  CampaignStatus.PAUSED,
]);

function requireEditable(c: Campaign): void {
  if (!EDITABLE.has(c.status)) {
    throw conflict(`A ${c.status} campaign cannot be changed.`, { status: c.status });
  }
}

/**
 * Create, update, soft delete and restore with the declared write rules, plus what is special
 * to campaigns: only DRAFT, SCHEDULED and PAUSED ones change, and a sending one is not deleted.
 */
export const campaignService = recordService(campaignRecord, Campaign, {
  guard(c, creating) {
    if (creating) return;
    requireEditable(c);
    // The checks ran when it was scheduled: an edit unschedules it, and scheduling again checks again.
    if (c.status === CampaignStatus.SCHEDULED) {
      c.status = CampaignStatus.DRAFT;
      c.scheduledAt = null;
    }
  },
  setDeleted(_em, c, deleted) {
    if (deleted && c.status === CampaignStatus.SENDING)
      throw conflict('A campaign cannot be deleted while it is sending.');
  },
});

/** Merging contacts moves their campaign memberships, delivery history included (the campaigns module's `contactsMerged`). */
export const moveCampaignMemberships: ContactMergeStep = async (tx, _organization, primary, duplicates) => {
  const members = await tx.find(CampaignMember, { contact: { $in: [primary, ...duplicates] } });
  await moveLinks(tx, members, primary, (m) => m.campaign);
};

/**
 * Primary keys of the contacts `ids` name, each a contact of the caller's organisation (a
 * live one when `live`), in one look-up; anything else is the client's error on `field[i]`.
 */
async function contactPks(db: TenantSql, ids: string[], field: string, live: boolean): Promise<string[]> {
  const pks = ids.map((id, i) => fromGlobalId(id, 'Contact', `${field}[${i}]`));
  if (!pks.length) return pks;
  const found = await db.query<{ id: string }>(
    `select id from contact where organization_id = $1 and id = any($2::uuid[])${live ? ' and deleted_at is null' : ''}`,
    [pks],
  );
  const have = new Set(found.map((r) => r.id));
  const missing = pks.findIndex((pk) => !have.has(pk));
  if (missing >= 0) throw badInput(`${field}[${missing}]`, `no contact ${ids[missing]} exists.`);
  return pks;
}

/**
 * Adds live contacts (by id and/or filter) as PENDING members in one INSERT … SELECT:
 * all or nothing, and contacts already in the campaign are skipped.
 */
export async function addRecipients(
  em: EntityManager,
  db: TenantSql,
  input: AddCampaignRecipientsInput,
  limit: number,
): Promise<{
  campaign: Campaign;
  added: number;
  alreadyMembers: number;
  remaining: number;
  resumeCursor: string | null;
}> {
  const campaign = await campaignService.find(em, input.campaignId, { field: 'input.campaignId' });
  const ids = input.contactIds ?? [];
  if (!ids.length && !input.filter) throw badInput('input', 'give contactIds, a filter, or both.');
  if (ids.length > 1000)
    throw badInput('input.contactIds', 'accepts at most 1000 ids; use a filter for more.');
  const pks = await contactPks(db, ids, 'input.contactIds', true);
  requireEditable(campaign);
  const b = db.builder();
  const org = '$1';
  const who: string[] = [];
  if (pks.length) who.push(`t.id = any(${b.param(pks)}::uuid[])`);
  if (input.filter) who.push(`(${compileFilter(b, contactList, 't', input.filter, 'input.filter')})`);
  const campaignParam = b.param(campaign.id);
  // Contacts are taken in (createdAt, id) order, at most `limit` per call; a cursor resumes after the last.
  // The cursor is bound to what selects the recipients.
  const selection = [input.campaignId, input.contactIds ?? null, input.filter ?? null];
  const after = input.resumeCursor ? resumeAfter(input.resumeCursor, selection) : null;
  const cursorCond = after
    ? ` and (t.created_at, t.id) > (${b.param(after[0])}::timestamptz, ${b.param(after[1])}::uuid)`
    : '';
  const rows = await db.query<{
    matched: number;
    added: number;
    total: number | null;
    lastAt: string | null;
    lastId: string | null;
  }>(
    `with matched as (
       select t.id, t.emails[1] as email, t.created_at, count(*) over () as total from contact t
        where t.organization_id = ${org} and t.deleted_at is null and (${who.join(' or ')})${cursorCond}
        order by t.created_at, t.id limit ${b.param(limit)}
     ), ins as (
       insert into campaign_member (id, organization_id, campaign_id, contact_id, email, status, created_at, updated_at)
       select gen_random_uuid(), ${org}, ${campaignParam}, m.id, m.email, '${MemberStatus.PENDING}', now(), now() from matched m
       on conflict (campaign_id, contact_id) do nothing
       returning 1
     )
     select (select count(*) from matched) as matched, (select count(*) from ins) as added,
            (select max(total) from matched) as total,
            (select created_at from matched order by created_at desc, id desc limit 1) as "lastAt",
            (select id from matched order by created_at desc, id desc limit 1) as "lastId"`,
    b.params,
  );
  const { matched, added, total, lastAt, lastId } = rows[0];
  const remaining = (total ?? 0) - matched;
  const resumeCursor =
    remaining > 0 && lastAt && lastId ? encodeResumeCursor(selection, [lastAt, lastId]) : null;
  return { campaign, added, alreadyMembers: matched - added, remaining, resumeCursor };
}

function resumeAfter(cursor: string, selection: unknown[]): [string, string] {
  const [at, id] = decodeResumeCursor(
    cursor,
    selection,
    ([a, i]) =>
      typeof a === 'string' &&
      typeof i === 'string' &&
      !Number.isNaN(Date.parse(a)) &&
      /^[0-9a-f-]{36}$/.test(i),
    'does not continue this campaign, contactIds and filter; send them as before.',
  );
  return [at as string, id as string];
}

export async function removeRecipients(
  em: EntityManager,
  db: TenantSql,
  campaignId: string,
  contactIds: string[],
): Promise<{ campaign: Campaign; removed: number }> {
  const campaign = await campaignService.find(em, campaignId, { field: 'input.campaignId' });
  // Ids of another organisation are refused, not ignored; a deleted contact may still leave the campaign.
  const pks = await contactPks(db, contactIds, 'input.contactIds', false);
  requireEditable(campaign);
  // Only members not yet sent to: delivery history is never rewritten.
  const removed = await em.nativeDelete(CampaignMember, {
    campaign: campaign.id,
    contact: { $in: pks },
    status: MemberStatus.PENDING,
  });
  return { campaign, removed };
}

export interface StatsRow {
  campaignId: string;
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  bouncedHard: number;
  bouncedSoft: number;
  complained: number;
  unsubscribed: number;
  failed: number;
  skipped: number;
}

/** Member counts of many campaigns in one SQL statement. */
export async function campaignStats(db: TenantSql, campaignIds: readonly string[]) {
  return db.query<StatsRow & Record<string, unknown>>(
    `select campaign_id as "campaignId", count(*)::int as recipients,
            count(*) filter (where status = 'PENDING')::int as pending,
            count(*) filter (where status not in ('PENDING', 'FAILED', 'SKIPPED'))::int as sent,
            count(*) filter (where status in ('DELIVERED', 'OPENED', 'CLICKED', 'COMPLAINED', 'UNSUBSCRIBED'))::int as delivered,
            count(*) filter (where status in ('OPENED', 'CLICKED'))::int as opened,
            count(*) filter (where status = 'CLICKED')::int as clicked,
            count(*) filter (where status = 'BOUNCED' and bounce_type is distinct from 'SOFT')::int as "bouncedHard",
            count(*) filter (where status = 'BOUNCED' and bounce_type = 'SOFT')::int as "bouncedSoft",
            count(*) filter (where status = 'COMPLAINED')::int as complained,
            count(*) filter (where status = 'UNSUBSCRIBED')::int as unsubscribed,
            count(*) filter (where status = 'FAILED')::int as failed,
            count(*) filter (where status = 'SKIPPED')::int as skipped
       from campaign_member where organization_id = $1 and campaign_id = any($2::uuid[])
      group by campaign_id`,
    [campaignIds],
  );
}

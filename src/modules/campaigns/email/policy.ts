import type { TenantSql } from '../../../platform/db/tenant-sql.js';
import { AppError, ErrorCode } from '../../../platform/errors.js';

/** The bounce policy's settings (CONTRACT §7; config EMAIL_BOUNCE_*). */
export interface BouncePolicy {
  windowDays: number;
  minSends: number;
  /** Hard bounces ÷ sends above this restricts (0.05). */
  hardBounceThreshold: number;
  /** Complaints ÷ sends above this restricts (0.001). */
  complaintThreshold: number;
}

export interface SendingStatus {
  restricted: boolean;
  reason: string | null;
  sends: number;
  hardBounces: number;
  complaints: number;
  hardBounceRate: number;
  complaintRate: number;
  windowDays: number;
  minSends: number;
  hardBounceThreshold: number;
  complaintThreshold: number;
  /** When an admin last lifted a restriction (the window then starts there). */
  liftedAt: string | null;
}

/** The organisation's SQL: `$1` is always its id (TenantSql: the request's, or one made for a webhook's organisation). */
type Db = Pick<TenantSql, 'query'>;

/**
 * The organisation's rates over the rolling window: sends (members sent in the window) against the
 * hard bounces and complaints received in it. After an admin lifts a restriction, the window
 * starts at the lift, so the same old events do not restrict again at once.
 */
export async function measure(db: Db, policy: BouncePolicy): Promise<SendingStatus> {
  const [row] = await db.query<{
    sends: number;
    hard: number;
    complaints: number;
    restricted: boolean | null;
    reason: string | null;
    liftedAt: string | null;
  }>(
    `with r as (select restricted, reason, lifted_at from email_restriction where organization_id = $1),
          since as (select greatest(now() - ($2::int * interval '1 day'),
                                    coalesce((select lifted_at from r), '-infinity'::timestamptz)) as t)
     select (select count(*)::int from campaign_member m where m.organization_id = $1 and m.sent_at >= (select t from since)) as sends,
            (select count(*)::int from email_event e where e.organization_id = $1 and e.kind = 'failed-permanent'
               and e.received_at >= (select t from since)) as hard,
            (select count(*)::int from email_event e where e.organization_id = $1 and e.kind = 'complained'
               and e.received_at >= (select t from since)) as complaints,
            (select restricted from r) as restricted, (select reason from r) as reason,
            (select lifted_at from r) as "liftedAt"`,
    [policy.windowDays],
  );
  const rate = (n: number) => (row.sends ? n / row.sends : 0);
  return {
    restricted: row.restricted ?? false,
    reason: row.reason,
    sends: row.sends,
    hardBounces: row.hard,
    complaints: row.complaints,
    hardBounceRate: rate(row.hard),
    complaintRate: rate(row.complaints),
    windowDays: policy.windowDays,
    minSends: policy.minSends,
    hardBounceThreshold: policy.hardBounceThreshold,
    complaintThreshold: policy.complaintThreshold,
    liftedAt: row.liftedAt,
  };
}

/** Why the rates restrict sending, or null when they do not (below the minimum sample never restricts). */
export function breach(s: SendingStatus): string | null {
  if (s.sends < s.minSends) return null;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  if (s.hardBounceRate > s.hardBounceThreshold) {
    return `Hard-bounce rate ${pct(s.hardBounceRate)} over the last ${s.windowDays} days is above ${pct(s.hardBounceThreshold)}.`;
  }
  if (s.complaintRate > s.complaintThreshold) {
    return `Complaint rate ${pct(s.complaintRate)} over the last ${s.windowDays} days is above ${pct(s.complaintThreshold)}.`;
  }
  return null;
}

/**
 * Re-evaluates the organisation after an event: restricts it (and pauses its sending campaigns)
 * when the rates breach the policy, lifts the restriction when they are back under. Returns the
 * status and whether the restriction changed.
 */
export async function evaluate(
  db: Db,
  policy: BouncePolicy,
): Promise<{ status: SendingStatus; changed: boolean; paused: string[] }> {
  const status = await measure(db, policy);
  const reason = breach(status);
  const restricted = reason !== null;
  let paused: string[] = [];
  if (restricted !== status.restricted || (restricted && reason !== status.reason)) {
    await db.query(
      `insert into email_restriction (organization_id, restricted, reason, updated_at) values ($1, $2, $3, now())
       on conflict (organization_id) do update set restricted = excluded.restricted, reason = excluded.reason, updated_at = now()`,
      [restricted, reason],
    );
  }
  if (restricted) {
    // A running send stops at once; sendCampaign resumes it once the restriction is lifted.
    paused = (
      await db.query<{ id: string }>(
        `update campaign set status = 'PAUSED', updated_at = now() where organization_id = $1 and status = 'SENDING' returning id`,
        [],
      )
    ).map((r) => r.id);
  }
  return {
    status: { ...status, restricted, reason },
    changed: restricted !== status.restricted,
    paused,
  };
}

/** EMAIL_SENDING_RESTRICTED with the rates, thresholds and window (CONTRACT §7). */
export function restrictedError(s: SendingStatus): AppError {
  return new AppError(
    ErrorCode.EMAIL_SENDING_RESTRICTED,
    `Email sending is restricted for this organisation: ${s.reason ?? 'its bounce or complaint rate is above the policy.'} It is lifted automatically when the rate falls back under the threshold, or by an admin.`,
    {
      hardBounceRate: s.hardBounceRate,
      complaintRate: s.complaintRate,
      hardBounceThreshold: s.hardBounceThreshold,
      complaintThreshold: s.complaintThreshold,
      windowDays: s.windowDays,
      sends: s.sends,
    },
  );
}

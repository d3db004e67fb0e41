import type { Row } from '../../platform/db/sql.js';
import type { CallEvent } from '../numbers/index.js';
import { CallStatus } from './call.record.js';

/** A SQL client (the webhook's pool, or the request's). */
export interface Sql {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** Plivo's CallStatus values and ours. */
export const PROVIDER_STATUS: Readonly<Record<string, CallStatus>> = {
  queued: CallStatus.QUEUED,
  ringing: CallStatus.RINGING,
  'in-progress': CallStatus.IN_PROGRESS,
  completed: CallStatus.COMPLETED,
  busy: CallStatus.BUSY,
  failed: CallStatus.FAILED,
  timeout: CallStatus.NO_ANSWER,
  'no-answer': CallStatus.NO_ANSWER,
  cancel: CallStatus.CANCELED,
  canceled: CallStatus.CANCELED,
  cancelled: CallStatus.CANCELED,
};

/** How far along a call is: a status only ever moves to a higher rank (the terminal ones are equal). */
export const RANK: Readonly<Record<CallStatus, number>> = {
  QUEUED: 0,
  RINGING: 1,
  IN_PROGRESS: 2,
  COMPLETED: 3,
  BUSY: 3,
  FAILED: 3,
  NO_ANSWER: 3,
  CANCELED: 3,
};

export const isTerminal = (status: CallStatus) => RANK[status] === 3;

/** Plivo's times: `YYYY-MM-DD HH:mm:ss` in UTC (ISO forms are read too); anything else is left out. */
export function providerTime(value: string | undefined): Date | null {
  if (!value || value.length > 40) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Whole seconds, within a day; anything else is left out. */
function seconds(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n <= 86_400 * 2 ? n : null;
}

export interface AppliedEvent {
  organizationId: string;
  status: CallStatus;
  /** Something the client can see changed (status, times, durations, cause). */
  changed: boolean;
  fromNumber: string;
  toNumber: string;
}

/**
 * Applies one provider event to a placed call, in one statement: the status moves only forward
 * (a duplicate or late event changes nothing — completed stays completed), timings and the
 * hangup cause are filled in once and never overwritten. Null when the call is unknown (or was
 * logged by hand, not placed). `requestId`, when the event carries one, must be the call's.
 */
export async function applyCallEvent(
  sql: Sql,
  callId: string,
  event: CallEvent,
): Promise<AppliedEvent | null> {
  const status = PROVIDER_STATUS[(event.CallStatus ?? '').toLowerCase()];
  if (!status) throw new RangeError(`unknown CallStatus ${JSON.stringify(event.CallStatus ?? null)}`);
  const terminal = isTerminal(status);
  const now = new Date();
  const started = providerTime(event.StartTime) ?? (RANK[status] >= 1 && status !== 'CANCELED' ? now : null);
  const answered = providerTime(event.AnswerTime) ?? (status === CallStatus.IN_PROGRESS ? now : null);
  const ended = terminal ? (providerTime(event.EndTime) ?? now) : null;
  const duration = terminal ? seconds(event.Duration) : null;
  const billDuration = terminal ? seconds(event.BillDuration) : null;
  const cause = terminal && event.HangupCause ? event.HangupCause.slice(0, 100) : null;
  const uuid = event.CallUUID && event.CallUUID.length <= 100 ? event.CallUUID : null;
  const requestId = event.RequestUUID && event.RequestUUID.length <= 100 ? event.RequestUUID : null;
  const ranks = Object.entries(RANK)
    .map(([s, r]) => `when '${s}' then ${r}`)
    .join(' ');
  const rows = await sql.query<{
    organization_id: string;
    status: CallStatus;
    changed: boolean;
    from_number: string;
    to_number: string;
  }>(
    `with old as (
       select * from call
        where id = $1 and placed_at is not null and ($9::text is null or provider_call_id is null or provider_call_id = $9::text)
        for update
     ), updated as (
       update call c set
         status = case when (case $2::text ${ranks} end) > (case old.status ${ranks} end) then $2::text else old.status end,
         provider_call_uuid = coalesce(old.provider_call_uuid, $3::text),
         started_at = coalesce(old.started_at, $4::timestamptz),
         answered_at = coalesce(old.answered_at, case when (case $2::text ${ranks} end) >= 2 then $5::timestamptz end),
         ended_at = coalesce(old.ended_at, $6::timestamptz),
         duration = coalesce(old.duration, $7::int,
           case when $6::timestamptz is not null and coalesce(old.answered_at, $5::timestamptz) is not null
                then greatest(0, round(extract(epoch from $6::timestamptz - coalesce(old.answered_at, $5::timestamptz))))::int end),
         bill_duration = coalesce(old.bill_duration, $8::int),
         hangup_cause = coalesce(old.hangup_cause, $10::text),
         updated_at = now()
         from old where c.id = old.id
       returning c.*
     )
     select u.organization_id, u.status, u.from_number, u.to_number,
            (u.status, u.started_at, u.answered_at, u.ended_at, u.duration, u.bill_duration, u.hangup_cause)
              is distinct from
            (o.status, o.started_at, o.answered_at, o.ended_at, o.duration, o.bill_duration, o.hangup_cause) as changed
       from updated u join old o on o.id = u.id`,
    [callId, status, uuid, started, answered, ended, duration, billDuration, requestId, cause],
  );
  const r = rows[0];
  return r
    ? {
        organizationId: r.organization_id,
        status: r.status,
        changed: r.changed,
        fromNumber: r.from_number,
        toNumber: r.to_number,
      }
    : null;
}

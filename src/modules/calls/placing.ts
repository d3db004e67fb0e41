import type { EntityManager } from '../../platform/db/orm.js';
import type { TenantSql } from '../../platform/db/tenant-sql.js';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../platform/errors.js';
import * as v from '../../platform/validation.js';
import { Contact } from '../contacts/index.js';
import { Deal } from '../deals/index.js';
import {
  PhoneNumber,
  PhoneNumberStatus,
  TelephonyError,
  telephonyFailure,
  type PlanLimits,
  type Telephony,
} from '../numbers/index.js';
import { Call } from './call.entity.js';
import { CallDirection, CallStatus } from './call.record.js';
import { applyCallEvent, isTerminal, type Sql } from './call-status.js';
import { assertDialable } from './emergency.js';

export interface CallsDeps {
  telephony?: Telephony;
  planLimits?: PlanLimits;
  /** PUBLIC_URL without a trailing slash: Plivo's answer and status callbacks go there. */
  publicUrl?: string;
  /** The pool, for applying call events outside a request's tenant binding (already checked). */
  eventSql?: Sql;
}

export interface PlaceCallInput {
  contactId?: string | null;
  to?: string | null;
  fromNumberId: string;
  userPhone: string;
  dealId?: string | null;
  notes?: string | null;
}

const DAY_MS = 86_400_000;

/** A call the service placed today (UTC): what the plan's calls per day count. */
const PLACED_TODAY = "placed_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'";

/** Calls the service placed today (UTC), as counted against the plan's calls per day. */
export async function callsPlacedToday(db: TenantSql): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from call
      where organization_id = $1 and ${PLACED_TODAY}`,
  );
  return rows[0]?.n ?? 0;
}

function dailyLimitReached(limit: number, used: number): AppError {
  const now = Date.now();
  const tomorrow = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  return new AppError(
    ErrorCode.USAGE_LIMIT_EXCEEDED,
    `The plan allows ${limit} placed calls per day and ${used} were placed today.`,
    {
      dimension: 'CALLS_PLACED',
      limit,
      used,
      resetAt: new Date(tomorrow).toISOString(),
      retryAfterSeconds: Math.ceil((tomorrow - now) / 1000),
    },
  );
}

/**
 * Click-to-call (CONTRACT §8): rings the user's phone from a rented number, then bridges to the
 * contact (the answer URL's XML). In order: every number to be dialled is checked against the
 * emergency numbers before anything else; then the inputs, the number, the contact; then the
 * plan's calls per day, counted under the organisation's lock together with the new row, so two
 * requests cannot both take the last call. A provider refusal removes the row again: a call that
 * was not placed is neither listed nor counted.
 */
export async function placeCall(
  em: EntityManager,
  telephony: Telephony,
  deps: CallsDeps,
  organization: string,
  userId: string | null,
  dailyLimit: number,
  input: PlaceCallInput,
): Promise<string> {
  const hasContact = input.contactId !== undefined && input.contactId !== null;
  const hasTo = input.to !== undefined && input.to !== null;
  if (hasContact === hasTo) throw badInput('input', 'give exactly one of contactId and to.');
  // Emergency numbers first, before they could be refused as malformed (or anything is looked up).
  if (hasTo) assertDialable(input.to as string, undefined, 'input.to');
  assertDialable(input.userPhone, undefined, 'input.userPhone');

  const from = await em.findOne(PhoneNumber, { id: input.fromNumberId });
  if (!from) throw notFound('PhoneNumber', input.fromNumberId);
  if (from.status !== PhoneNumberStatus.ACTIVE) {
    throw conflict(`${from.number} was released; rent a number to call from.`, { status: from.status });
  }
  if (!from.voiceEnabled) throw badInput('input.fromNumberId', `${from.number} cannot place voice calls.`);
  if (from.provider !== telephony.provider) {
    throw badInput(
      'input.fromNumberId',
      `${from.number} was rented through ${from.provider}, not ${telephony.provider}.`,
    );
  }
  // Short codes depend on where the call is made from: the rented number's country.
  if (hasTo) assertDialable(input.to as string, from.country, 'input.to');
  assertDialable(input.userPhone, from.country, 'input.userPhone');

  let to: string;
  let contactId: string | null = null;
  if (hasContact) {
    const contact = await em.findOne(Contact, { id: input.contactId as string, deletedAt: null });
    if (!contact) throw notFound('Contact', input.contactId as string);
    const phone = contact.phones[0];
    if (!phone) throw badInput('input.contactId', 'the contact has no phone number.');
    assertDialable(phone, from.country, 'input.contactId');
    to = v.phone(phone, 'input.contactId');
    contactId = contact.id;
  } else {
    to = v.phone(input.to as string, 'input.to');
  }
  const userPhone = v.phone(input.userPhone, 'input.userPhone');
  if (userPhone === to) throw badInput('input.userPhone', 'is the number being called.');
  let dealId: string | null = null;
  if (input.dealId) {
    const deal = await em.findOne(Deal, { id: input.dealId, deletedAt: null } as never);
    if (!deal) throw notFound('Deal', input.dealId);
    dealId = input.dealId;
  }
  const notes = v.optionalText(input.notes ?? null, 'input.notes', 10_000) ?? null;

  const callId = await em.transactional(async (tx) => {
    await tx.getConnection().execute('select id from organization where id = ? for update', [organization]);
    const [{ n }] = await tx
      .getConnection()
      .execute<Array<{ n: number }>>(
        `select count(*)::int as n from call where organization_id = ? and ${PLACED_TODAY}`,
        [organization],
      );
    if (n >= dailyLimit) throw dailyLimitReached(dailyLimit, n);
    const call = tx.create(Call, {
      organization,
      direction: CallDirection.OUTBOUND,
      fromNumber: from.number,
      toNumber: to,
      userNumber: userPhone,
      status: CallStatus.QUEUED,
      placedAt: new Date(),
      contact: contactId,
      deal: dealId,
      owner: userId,
      notes,
    } as never) as Call;
    await tx.flush();
    return call.id;
  });

  const base = deps.publicUrl ?? 'http://localhost';
  let requestId: string;
  try {
    requestId = await telephony.dial({
      callId,
      from: from.number,
      to: userPhone,
      answerUrl: `${base}/webhooks/plivo/calls/${callId}/answer`,
      statusUrl: `${base}/webhooks/plivo/calls/${callId}`,
    });
  } catch (err) {
    await em.nativeDelete(Call, { id: callId });
    throw telephonyFailure(err, 'input', 'Placing the call');
  }
  await em.nativeUpdate(Call, { id: callId, providerCallId: null }, { providerCallId: requestId });
  return callId;
}

/**
 * Ends a placed call: the provider hangs up, and the call is closed here at once (completed if it
 * was answered, canceled before that); the provider's own hangup callback then only fills in what
 * is still missing (its durations), as any later event can.
 */
export async function hangupCall(
  em: EntityManager,
  telephony: Telephony,
  sql: Sql,
  id: string,
): Promise<{ organizationId: string; changed: boolean }> {
  const call = await em.findOne(Call, { id });
  if (!call) throw notFound('Call', id);
  if (!call.placedAt) throw conflict('This call was logged, not placed: there is nothing to hang up.');
  if (isTerminal(call.status)) {
    throw conflict(`The call is already ${call.status}.`, { status: call.status });
  }
  const providerId = call.providerCallUuid ?? call.providerCallId;
  if (providerId) {
    try {
      await telephony.hangup(providerId);
    } catch (err) {
      // Already over at the provider: closing it here is what the client asked for.
      if (!(err instanceof TelephonyError && err.status === 404))
        throw telephonyFailure(err, 'input.id', 'Hanging up');
    }
  }
  const answered = call.status === CallStatus.IN_PROGRESS;
  const applied = await applyCallEvent(sql, id, {
    CallStatus: answered ? 'completed' : 'cancel',
    HangupCause: 'HANGUP_REQUESTED',
  });
  if (!applied) throw notFound('Call', id);
  return { organizationId: applied.organizationId, changed: applied.changed };
}

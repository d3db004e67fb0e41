import type { EntityManager } from '../../platform/db/orm.js';
import { badInput } from '../../platform/errors.js';
import * as v from '../../platform/validation.js';
import { Contact, type ContactMergeStep } from '../contacts/index.js';
import { Deal } from '../deals/index.js';
import { liveRef } from '../../platform/db/refs.js';
import { recordService } from '../../platform/records/index.js';
import { ownerRef } from '../users/index.js';
import { Call } from './call.entity.js';
import { callRecord } from './call.record.js';
import type { LogCallInput } from './call.types.js';

/** Updates (links, notes, outcome), soft delete and restore, with the declared write rules. */
export const callService = recordService(callRecord, Call);

// Merging contacts moves their calls to the primary contact.
/** Merging contacts moves their calls to the primary contact (the calls module's `contactsMerged`). */
export const moveCalls: ContactMergeStep = async (tx, organization, primary, duplicates) => {
  await tx.nativeUpdate(Call, { organization, contact: { $in: duplicates } }, { contact: primary });
};

const contactRef = (em: EntityManager, id: string | null | undefined, field: string) =>
  liveRef(em, Contact, 'Contact', id, field, 'contact');

const dealRef = (em: EntityManager, id: string | null | undefined, field: string) =>
  liveRef(em, Deal, 'Deal', id, field, 'deal');

const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);

export async function logCall(
  em: EntityManager,
  organization: string,
  userId: string | null,
  input: LogCallInput,
): Promise<Call> {
  const { startedAt, answeredAt, endedAt } = input;
  if (startedAt && answeredAt && answeredAt < startedAt)
    throw badInput('input.answeredAt', 'is before startedAt.');
  const began = answeredAt ?? startedAt;
  if (endedAt && began && endedAt < began) {
    throw badInput('input.endedAt', 'is before the call started or was answered.');
  }
  if (input.duration != null && input.duration < 0) throw badInput('input.duration', 'must not be negative.');
  const c = new Call();
  Object.assign(c, {
    organization,
    direction: input.direction,
    fromNumber: v.phone(input.fromNumber, 'input.fromNumber'),
    toNumber: v.phone(input.toNumber, 'input.toNumber'),
    status: input.status,
    startedAt: startedAt ?? null,
    answeredAt: answeredAt ?? null,
    endedAt: endedAt ?? null,
    duration: input.duration ?? (endedAt && began ? seconds(began, endedAt) : null),
    notes: v.optionalText(input.notes, 'input.notes', 10_000) ?? null,
    outcome: input.outcome ?? null,
    contact: await contactRef(em, input.contactId, 'input.contactId'),
    deal: await dealRef(em, input.dealId, 'input.dealId'),
    owner: input.ownerId === undefined ? userId : await ownerRef(em, input.ownerId, 'input.ownerId'),
  });
  await em.persistAndFlush(c);
  return c;
}

import type { EntityManager } from '../../platform/db/orm.js';
import { badInput } from '../../platform/errors.js';
import type { ContactMergeStep } from '../contacts/index.js';
import { recordService } from '../../platform/records/index.js';
import { Call } from './call.entity.js';
import { callRecord } from './call.record.js';
import type { LogCallInput } from './call.types.js';

// Merging contacts moves their calls to the primary contact.
/** Merging contacts moves their calls to the primary contact (the calls module's `contactsMerged`). */
export const moveCalls: ContactMergeStep = async (tx, organization, primary, duplicates) => {
  await tx.nativeUpdate(Call, { organization, contact: { $in: duplicates } }, { contact: primary });
};

const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);

/**
 * Logging, updates (links, notes, outcome), soft delete and restore with the declared write rules,
 * plus the call's own: its times in order, and its duration from them unless given.
 */
export const callService = recordService(callRecord, Call, {
  apply(call, _input, path, creating) {
    if (!creating) return;
    const { startedAt, answeredAt, endedAt } = call;
    if (startedAt && answeredAt && answeredAt < startedAt)
      throw badInput(`${path}.answeredAt`, 'is before startedAt.');
    const began = answeredAt ?? startedAt;
    if (endedAt && began && endedAt < began) {
      throw badInput(`${path}.endedAt`, 'is before the call started or was answered.');
    }
    call.duration ??= endedAt && began ? seconds(began, endedAt) : null;
  },
});

/** Records a call made elsewhere; its owner is the caller unless another member is named. */
export async function logCall(
  em: EntityManager,
  organization: string,
  userId: string | null,
  input: LogCallInput,
): Promise<Call> {
  const call = (await callService.writer(em, organization, [input])).apply(new Call(), input, 'input', true);
  if (input.ownerId === undefined) call.owner = userId;
  await em.persistAndFlush(call);
  return call;
}

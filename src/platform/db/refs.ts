import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from './orm.js';
import { notFound } from '../errors.js';
import { fromGlobalId } from '../ids.js';

/** Every soft-deletable record: an id and the time it was deleted, if it was. */
export interface SoftDeletable {
  id: string;
  deletedAt?: Date | null;
}

/**
 * The `type` record a global id in input `field` names, of the caller's organisation (the
 * request's EntityManager), or NOT_FOUND; with `live`, a deleted one is NOT_FOUND too.
 */
export async function findRecord<T extends SoftDeletable>(
  em: EntityManager,
  entity: EntityName<T>,
  type: string,
  id: string,
  opts: { live: boolean; field?: string },
): Promise<T> {
  const record = await em.findOne(entity, {
    id: fromGlobalId(id, type, opts.field ?? 'input.id'),
  } as FilterQuery<T>);
  if (!record || (opts.live && record.deletedAt)) throw notFound(type, id);
  return record;
}

/**
 * Soft-deletes a live record, or restores one (restoring a live record changes nothing).
 * `rule` is the record type's own condition, checked before anything is written.
 */
export async function setRecordDeleted<T extends SoftDeletable>(
  em: EntityManager,
  entity: EntityName<T>,
  type: string,
  id: string,
  deleted: boolean,
  rule?: (record: T) => Promise<void> | void,
): Promise<T> {
  const record = await findRecord(em, entity, type, id, { live: deleted });
  await rule?.(record);
  record.deletedAt = deleted ? new Date() : null;
  await em.flush();
  return record;
}

import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from './orm.js';
import { badInput } from '../errors.js';
import { fromGlobalId } from '../ids.js';

/**
 * The primary key of a live (not soft-deleted) `type` row named by a global id in input
 * `field`, or null when none is given. The request's EntityManager keeps it in the caller's
 * organisation; anything else is the client's error on `field`.
 */
export async function liveRef<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  type: string,
  id: string | null | undefined,
  field: string,
  what: string,
): Promise<string | null> {
  if (!id) return null;
  const pk = fromGlobalId(id, type, field);
  if (!(await em.count(entity, { id: pk, deletedAt: null } as FilterQuery<T>))) {
    throw badInput(field, `no ${what} ${id} exists.`);
  }
  return pk;
}

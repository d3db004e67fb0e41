import type { EntityManager } from '../../platform/db/orm.js';
import { badInput, conflict } from '../../platform/errors.js';
import * as v from '../../platform/validation.js';
import { findRecord, liveRef, setRecordDeleted } from '../../platform/db/refs.js';
import { User, UserRole } from '../auth/index.js';
import type { CreateUserInput, UpdateUserInput } from './user.types.js';

export async function createUser(
  em: EntityManager,
  organization: string,
  input: CreateUserInput,
): Promise<User> {
  const email = v.email(input.email, 'input.email');
  if (await em.count(User, { email }))
    throw conflict(`A member with email ${email} already exists.`, { field: 'input.email' });
  const u = new User();
  Object.assign(u, {
    organization,
    email,
    name: v.optionalText(input.name, 'input.name', 100) ?? null,
    role: input.role,
    phone: input.phone ? v.phone(input.phone, 'input.phone') : null,
  });
  await em.persistAndFlush(u);
  return u;
}

async function keepOneAdmin(em: EntityManager, u: User): Promise<void> {
  if (u.role !== UserRole.ADMIN) return;
  const admins = await em.count(User, { role: UserRole.ADMIN, deletedAt: null, id: { $ne: u.id } });
  if (admins === 0) throw conflict('The organisation must keep at least one active admin.');
}

export async function updateUser(em: EntityManager, input: UpdateUserInput): Promise<User> {
  const u = await findRecord(em, User, 'User', input.id, { live: true });
  if (input.name !== undefined) u.name = v.optionalText(input.name, 'input.name', 100) ?? null;
  if (input.phone !== undefined) u.phone = input.phone ? v.phone(input.phone, 'input.phone') : null;
  if (input.role !== undefined) {
    if (input.role === null) throw badInput('input.role', 'cannot be cleared.');
    if (input.role !== u.role) await keepOneAdmin(em, u);
    u.role = input.role;
  }
  await em.flush();
  return u;
}

export const setUserDeleted = (em: EntityManager, id: string, deleted: boolean): Promise<User> =>
  setRecordDeleted(em, User, 'User', id, deleted, (u) => (deleted ? keepOneAdmin(em, u) : undefined));

/** An owner must be an active member of the caller's organisation. */
export const ownerRef = (em: EntityManager, id: string | null | undefined, field: string) =>
  liveRef(em, User, 'User', id, field, 'active member');

import type { EntityManager } from '../../platform/db/orm.js';
import { conflict } from '../../platform/errors.js';
import { recordService } from '../../platform/records/index.js';
import { User, UserRole, userRecord } from '../auth/index.js';

async function keepOneAdmin(em: EntityManager, u: User): Promise<void> {
  if (u.role !== UserRole.ADMIN) return;
  const admins = await em.count(User, { role: UserRole.ADMIN, deletedAt: null, id: { $ne: u.id } });
  if (admins === 0) throw conflict('The organisation must keep at least one active admin.');
}

/**
 * Inviting, editing, deactivating and restoring members with the declared write rules, plus
 * theirs: one member per address, and the organisation keeps at least one active admin.
 */
export const userService = recordService(userRecord, User, {
  async before(em, u, input, creating) {
    if (!creating && input.role != null && input.role !== u.role) await keepOneAdmin(em, u);
  },
  async after(em, u, _input, creating) {
    if (creating && (await em.count(User, { email: u.email })))
      throw conflict(`A member with email ${u.email} already exists.`, { field: 'input.email' });
  },
  setDeleted: (em, u, deleted) => (deleted ? keepOneAdmin(em, u) : undefined),
});

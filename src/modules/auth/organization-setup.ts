import type { EntityManager } from '../../platform/db/orm.js';

/** What a newer module needs in every new organisation (e.g. a default pipeline); its module's `organizationCreated` hook. */
export type OrganizationSetup = (em: EntityManager, organizationId: string) => void | Promise<void>;

/** Runs inside the sign-up transaction: the organisation exists whole or not at all. */
export async function runOrganizationSetup(
  em: EntityManager,
  organizationId: string,
  setups: readonly OrganizationSetup[],
): Promise<void> {
  for (const setup of setups) await setup(em, organizationId);
}

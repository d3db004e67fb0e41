import type { EntityManager } from '../../platform/db/orm.js';

/** What a newer module needs in every new organisation (e.g. a default pipeline). */
export type OrganizationSetup = (em: EntityManager, organizationId: string) => void | Promise<void>;

const setups: OrganizationSetup[] = [];

/** Registered by newer modules at import time, so auth never imports them. */
export function onOrganizationCreated(setup: OrganizationSetup): void {
  setups.push(setup);
}

/** Runs inside the sign-up transaction: the organisation exists whole or not at all. */
export async function runOrganizationSetup(em: EntityManager, organizationId: string): Promise<void> {
  for (const setup of setups) await setup(em, organizationId);
}

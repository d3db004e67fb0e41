import { randomUUID } from 'node:crypto';
import { Entity, Filter, ManyToOne, PrimaryKey } from '@mikro-orm/core';

export const TENANT_FILTER = 'tenant';

/**
 * Every organisation-owned entity carries this filter. It is on by default, so an
 * EntityManager without the request's organisation refuses to query at all.
 */
export const tenantFilter = {
  name: TENANT_FILTER,
  cond: (args: { organizationId: string }) => ({ organization: args.organizationId }),
  default: true,
};

/** The tenant filter for a hand-written entity class (records get it from their declaration). */
export const TenantScoped = (): ClassDecorator => Filter(tenantFilter);

/**
 * The base of hand-written organisation-owned entities (join and history tables, keys): a uuid
 * key, the organisation (cascading) and the tenant filter. Declared records get the same from
 * their declaration.
 */
@Entity({ abstract: true })
@TenantScoped()
export abstract class TenantEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne('Organization', { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;
}

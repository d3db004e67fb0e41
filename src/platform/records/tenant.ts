import { Filter } from '@mikro-orm/core';

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

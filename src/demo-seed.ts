import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiKey, ApiKeyScope, Organization } from './modules/auth/auth.entity.js';
import { mintApiKey, signUp } from './modules/auth/auth.service.js';
import { organizationSetups } from './modules.js';
import { TENANT_FILTER } from './platform/records/index.js';
import { companyService } from './modules/companies/index.js';
import { contactService } from './modules/contacts/index.js';
import { LifecycleStage } from './modules/contacts/index.js';
import { toGlobalId } from './platform/ids.js';

const DEV_KEY_NAME = 'Development console key';

/**
 * Outside production: on an empty database, creates a demo organisation with a few
 * companies and contacts. On every start, mints a fresh admin key for the demo
 * organisation (revoking the previous console key) so that the console always shows one.
 */
export async function seedDemo(root: EntityManager): Promise<{ key: string; created: boolean } | null> {
  const em = root.fork();
  const count = await em.count(Organization, {});
  let org = await em.findOne(Organization, { demo: true });
  if (count > 0 && !org) return null;
  let created = false;
  if (!org) {
    const result = await signUp(
      em,
      { organizationName: 'Demo Org', email: 'admin@demo.workpex.test', name: 'Demo Admin' },
      organizationSetups,
      { demo: true },
    );
    org = await em.findOneOrFail(Organization, { demo: true });
    created = true;
    void result;
  }
  const scoped = root.fork();
  scoped.setFilterParams(TENANT_FILTER, { organizationId: org.id });
  if (created) {
    const industries = ['Software', 'Logistics', 'Retail', 'Healthcare', 'Energy'];
    const names = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'];
    for (let i = 0; i < names.length; i++) {
      const company = await companyService.create(scoped, org.id, {
        name: names[i],
        domain: `${names[i].toLowerCase()}.example`,
        industry: industries[i],
        employees: (i + 1) * 40,
        tags: i % 2 ? ['customer'] : ['prospect'],
      });
      for (let j = 0; j < 4; j++) {
        await contactService.create(scoped, org.id, {
          firstName: ['Ada', 'Grace', 'Alan', 'Edsger'][j],
          lastName: `${names[i]}son`,
          emails: [`person${j}@${names[i].toLowerCase()}.example`],
          companyId: toGlobalId('Company', company.id),
          lifecycleStage: j === 0 ? LifecycleStage.CUSTOMER : LifecycleStage.LEAD,
          tags: j === 0 ? ['vip'] : [],
        });
      }
    }
  }
  await scoped.nativeUpdate(ApiKey, { name: DEV_KEY_NAME, revokedAt: null }, { revokedAt: new Date() });
  const { key } = await mintApiKey(
    scoped,
    { organizationId: org.id, userId: null },
    {
      name: DEV_KEY_NAME,
      scopes: [ApiKeyScope.ADMIN],
      persistedOnly: false,
    },
  );
  return { key, created };
}

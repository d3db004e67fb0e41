import type { AppModule } from '../../modules.js';
import { companyRecord } from './company.record.js';
import { CompanyResolver } from './company.resolver.js';

export const companiesModule: AppModule = {
  name: 'companies',
  uses: ['auth', 'users', 'custom-fields'],
  resolvers: [CompanyResolver],
  records: [companyRecord],
};

/** What other modules may use of this one. */
export * from './company.types.js';
export * from './company.record.js';
export * from './company.entity.js';
export { companyService } from './company.service.js';

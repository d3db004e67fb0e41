import type { AppModule } from '../../modules.js';
import { CompanySchema } from './company.entity.js';
import { companyRecord } from './company.record.js';
import { CompanyResolver } from './company.resolver.js';

export const companiesModule: AppModule = {
  name: 'companies',
  uses: ['auth', 'users', 'custom-fields'],
  entities: [CompanySchema],
  resolvers: [CompanyResolver],
  nodes: [companyRecord.list],
};

/** What other modules may use of this one. */
export * from './company.types.js';
export * from './company.record.js';
export * from './company.entity.js';
export { companyService } from './company.service.js';

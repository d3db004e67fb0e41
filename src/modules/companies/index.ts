import type { AppModule } from '../../modules.js';
import { Company } from './company.entity.js';
import { companyList } from './company.read.js';
import { CompanyResolver } from './company.resolver.js';

export const companiesModule: AppModule = {
  name: 'companies',
  uses: ['auth', 'users', 'custom-fields'],
  entities: [Company],
  resolvers: [CompanyResolver],
  nodes: [companyList],
};

/** What other modules may use of this one. */
export * from './company.types.js';
export * from './company.read.js';
export * from './company.entity.js';

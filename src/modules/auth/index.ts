import type { AppModule } from '../../modules.js';
import { ApiKey, Organization } from './auth.entity.js';
import { userRecord } from './user.record.js';
import { AuthResolver } from './auth.resolver.js';

/** Organisations, their members as users, API keys and sign-up. */
export const authModule: AppModule = {
  name: 'auth',
  uses: [],
  records: [userRecord],
  entities: [Organization, ApiKey],
  resolvers: [AuthResolver],
};

/** What other modules may use of this one. */
export * from './auth.entity.js';
export { userRecord } from './user.record.js';
export * from './auth.types.js';
export * from './organization-setup.js';
export * from './api-key.js';

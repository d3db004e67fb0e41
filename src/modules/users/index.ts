import type { AppModule } from '../../modules.js';
import { UserResolver } from './user.resolver.js';

/** The organisation's members: listing, inviting, roles, deactivation. */
export const usersModule: AppModule = {
  name: 'users',
  uses: ['auth'],
  resolvers: [UserResolver],
};

/** What other modules may use of this one. */
export * from './user.read.js';
export * from './user.service.js';

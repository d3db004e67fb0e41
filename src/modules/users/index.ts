import type { AppModule } from '../../modules.js';
import { userList } from './user.read.js';
import { UserResolver } from './user.resolver.js';

/** The organisation's members: listing, inviting, roles, deactivation. */
export const usersModule: AppModule = {
  name: 'users',
  uses: ['auth'],
  entities: [],
  resolvers: [UserResolver],
  nodes: [userList],
};

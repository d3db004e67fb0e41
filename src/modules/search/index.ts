import type { AppModule } from '../../modules.js';
import { NodeResolver } from './search.resolver.js';

/** `node`, `nodes` and `search` across every record type. */
export const searchModule: AppModule = {
  name: 'search',
  uses: ['users', 'companies', 'contacts', 'deals', 'campaigns', 'calls'],
  resolvers: [NodeResolver],
};

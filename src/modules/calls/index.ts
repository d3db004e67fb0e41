import type { AppModule } from '../../modules.js';
import { Call } from './call.entity.js';
import { CallResolver, ContactCallsResolver, DealCallsResolver } from './call.resolver.js';
import { moveCalls } from './call.service.js';

/** Calls and their live status; `Contact.calls`, `Deal.calls`. */
export const callsModule: AppModule = {
  name: 'calls',
  uses: ['auth', 'users', 'contacts', 'deals'],
  entities: [Call],
  resolvers: [CallResolver, ContactCallsResolver, DealCallsResolver],
  hooks: { contactsMerged: moveCalls },
};

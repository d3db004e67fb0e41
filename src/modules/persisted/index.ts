import type { AppModule } from '../../modules.js';
import { persistedDocumentRecord } from './persisted-document.record.js';
import { PersistedDocumentResolver } from './persisted.resolver.js';

/** Trusted documents for partners: registration, listing, and the store the request path reads. */
export const persistedModule: AppModule = {
  name: 'persisted',
  uses: ['auth', 'usage'],
  resolvers: [PersistedDocumentResolver],
  records: [persistedDocumentRecord],
};

/** What other modules may use of this one. */
export { PersistedStore } from './persisted.service.js';
export type { PersistedDeps } from './persisted.resolver.js';

import type { AppModule } from '../../modules.js';
import { toMany } from '../../platform/records/index.js';
import { companyRecord } from '../companies/index.js';
import { contactRecord } from './contact.record.js';
import { ContactBulkResolver, ContactResolver } from './contact.resolver.js';

/** Contacts, their bulk import and merging, and `Company.contacts`. */
export const contactsModule: AppModule = {
  name: 'contacts',
  uses: ['auth', 'users', 'custom-fields', 'companies'],
  resolvers: [ContactResolver, ContactBulkResolver],
  records: [contactRecord],
  relations: [toMany(companyRecord, 'contacts', contactRecord, 'company_id')],
};

/** What other modules may use of this one. */
export * from './contact.record.js';
export * from './contact.types.js';
export * from './contact.entity.js';
export * from './contact.service.js';

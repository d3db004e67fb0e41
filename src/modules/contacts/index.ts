import type { AppModule } from '../../modules.js';
import { Contact } from './contact.entity.js';
import { contactList } from './contact.read.js';
import { CompanyContactsResolver, ContactBulkResolver, ContactResolver } from './contact.resolver.js';

/** Contacts, their bulk import and merging, and `Company.contacts`. */
export const contactsModule: AppModule = {
  name: 'contacts',
  uses: ['auth', 'users', 'custom-fields', 'companies'],
  entities: [Contact],
  resolvers: [ContactResolver, ContactBulkResolver, CompanyContactsResolver],
  nodes: [contactList],
};

/** What other modules may use of this one. */
export * from './contact.read.js';
export * from './contact.types.js';
export * from './contact.entity.js';
export * from './contact.service.js';

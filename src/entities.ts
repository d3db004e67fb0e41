import { ApiKey, Organization, User } from './modules/auth/auth.entity.js';
import { Company } from './modules/companies/company.entity.js';
import { Contact } from './modules/contacts/contact.entity.js';
import { CustomFieldDefinition } from './modules/custom-fields/custom-field.entity.js';

/** Every MikroORM entity, listed explicitly (no folder scanning). */
export const entities = [Organization, User, ApiKey, CustomFieldDefinition, Company, Contact];

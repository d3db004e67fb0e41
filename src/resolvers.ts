import type { NonEmptyArray } from 'type-graphql';
import type { ResolverClass } from './platform/graphql/schema.js';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { CompanyResolver } from './modules/companies/company.resolver.js';
import { CompanyContactsResolver, ContactResolver } from './modules/contacts/contact.resolver.js';
import { CustomFieldResolver } from './modules/custom-fields/custom-field.resolver.js';

/** Every resolver class of the schema, in module order. */
export const resolvers: NonEmptyArray<ResolverClass> = [
  AuthResolver,
  CustomFieldResolver,
  CompanyResolver,
  ContactResolver,
  CompanyContactsResolver,
];

import {
  applyFilterExtensions,
  checkModuleOrder,
  hooksOf,
  nodeTypesOf,
  type ModuleDefinition,
} from './platform/module.js';
import { applyToMany } from './platform/records/index.js';
import { PubSubMessage } from './platform/pubsub/pubsub-message.entity.js';
import type { ResolverClass } from './platform/graphql/schema.js';
import type { NonEmptyArray } from 'type-graphql';
import type { OrganizationSetup } from './modules/auth/organization-setup.js';
import type { ContactMergeStep } from './modules/contacts/contact.service.js';
import { authModule } from './modules/auth/index.js';
import { callsModule } from './modules/calls/index.js';
import { campaignsModule } from './modules/campaigns/index.js';
import { companiesModule } from './modules/companies/index.js';
import { contactsModule } from './modules/contacts/index.js';
import { customFieldsModule } from './modules/custom-fields/index.js';
import { dealsModule } from './modules/deals/index.js';
import { searchModule } from './modules/search/index.js';
import { usageModule } from './modules/usage/index.js';
import { usersModule } from './modules/users/index.js';

/** The hooks a module may add to older modules' work. */
export interface AppHooks {
  /** Inside the sign-up transaction (e.g. a default pipeline). */
  organizationCreated: OrganizationSetup;
  /** Inside the merge transaction: move the module's rows to the primary contact. */
  contactsMerged: ContactMergeStep;
}

export type AppModule = ModuleDefinition<AppHooks>;

/** Every module, each after the modules it uses (checked below). */
export const modules: readonly AppModule[] = [
  authModule,
  usersModule,
  customFieldsModule,
  companiesModule,
  contactsModule,
  dealsModule,
  campaignsModule,
  callsModule,
  searchModule,
  usageModule,
];
checkModuleOrder(modules);
// Before any schema is built: the filters newer modules add to older types.
applyFilterExtensions(modules);

/** Every MikroORM entity: the platform's, then each module's (listed, never scanned). */
export const entities = [PubSubMessage, ...modules.flatMap((m) => m.entities)];

/** Every resolver class of the schema, in module order. */
export const resolvers = [
  ...modules.flatMap((m) => m.resolvers),
  // The connection fields of to-many relations, added to their owners' types.
  ...modules.flatMap((m) => m.relations ?? []).map((r) => applyToMany(r) as ResolverClass),
] as NonEmptyArray<ResolverClass>;

export const organizationSetups = hooksOf(modules, 'organizationCreated');
export const contactMergeSteps = hooksOf(modules, 'contactsMerged');
export const nodeTypes = nodeTypesOf(modules);

import { checkModuleOrder, hooksOf, nodeTypesOf, type ModuleDefinition } from './platform/module.js';
import { applyToMany, recordEntity } from './platform/records/index.js';
import { PubSubMessage } from './platform/pubsub/pubsub-message.entity.js';
import { ApqDocument } from './platform/graphql/apq-cache.js';
import type { ResolverClass } from './platform/graphql/schema.js';
import type { OrmOptions } from './platform/db/orm.js';
import type { NonEmptyArray } from 'type-graphql';
import type { OrganizationSetup } from './modules/auth/organization-setup.js';
import type { ContactMergeStep } from './modules/contacts/contact.service.js';
import { authModule } from './modules/auth/index.js';
import { billingModule } from './modules/billing/index.js';
import { callsModule } from './modules/calls/index.js';
import { campaignsModule } from './modules/campaigns/index.js';
import { companiesModule } from './modules/companies/index.js';
import { contactsModule } from './modules/contacts/index.js';
import { customFieldsModule } from './modules/custom-fields/index.js';
import { dealsModule } from './modules/deals/index.js';
import { numbersModule } from './modules/numbers/index.js';
import { persistedModule } from './modules/persisted/index.js';
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
  numbersModule,
  callsModule,
  searchModule,
  usageModule,
  persistedModule,
  billingModule,
];

/** What the app is built from: everything a list of modules adds, collected in module order. */
export interface AppParts {
  /** Every MikroORM entity: the platform's, then each module's (listed, never scanned). */
  entities: OrmOptions['entities'];
  /** Every resolver class of the schema, in module order. */
  resolvers: NonEmptyArray<ResolverClass>;
  organizationSetups: OrganizationSetup[];
  contactMergeSteps: ContactMergeStep[];
  nodeTypes: ReturnType<typeof nodeTypesOf>;
}

/**
 * Checks the order of `list` and collects what its modules add. The default list is the app;
 * tests add modules of their own (e.g. a throwaway record type built on the platform alone).
 */
export function assemble(list: readonly AppModule[]): AppParts {
  checkModuleOrder(list);
  return {
    entities: [
      PubSubMessage,
      ApqDocument,
      ...list.flatMap((m) => [
        ...(m.records ?? []).map((r) => recordEntity(r).schema),
        ...(m.entities ?? []),
      ]),
    ] as OrmOptions['entities'],
    resolvers: [
      ...list.flatMap((m) => m.resolvers),
      // The connection fields of to-many relations, added to their owners' types.
      ...list.flatMap((m) => m.relations ?? []).map((r) => applyToMany(r) as ResolverClass),
    ] as NonEmptyArray<ResolverClass>,
    organizationSetups: hooksOf(list, 'organizationCreated'),
    contactMergeSteps: hooksOf(list, 'contactsMerged'),
    nodeTypes: nodeTypesOf(list),
  };
}

export const app = assemble(modules);
export const { entities, resolvers, organizationSetups, contactMergeSteps, nodeTypes } = app;

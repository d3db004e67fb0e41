/** Record declarations: one per record type; entity, GraphQL types, read path and writes derive from it. */
export * from './columns.js';
export * from './record.js';
export * from './entity.js';
export * from './graphql.js';
export * from './service.js';
export * from './resolver.js';
export * from './relations.js';
export * from './ref.js';
export { TENANT_FILTER, TenantEntity, TenantScoped } from './tenant.js';

import { randomUUID } from 'node:crypto';
import { ArrayType, EntitySchema } from '@mikro-orm/core';
import type { Column, ColumnKind } from './columns.js';
import type { EntityOf, RecordDeclaration } from './record.js';
import { TENANT_FILTER, tenantFilter } from './tenant.js';

const storage: Record<ColumnKind, Record<string, unknown>> = {
  text: { type: 'text' },
  int: { type: 'integer' },
  decimal: { type: 'decimal', columnType: 'numeric(19,4)' },
  boolean: { type: 'boolean' },
  enum: { type: 'text', enum: true },
  datetime: { type: 'datetime', length: 3 },
  date: { type: 'date' },
  textList: { type: ArrayType, columnType: 'text[]' },
  json: { type: 'json' },
};

function propertyOf(key: string, c: Column): Record<string, unknown> {
  const p: Record<string, unknown> = { ...storage[c.kind] };
  if (c.enumType) p.items = () => c.enumType;
  if (c.nullable) p.nullable = true;
  if (c.columnType) p.columnType = c.columnType;
  if (c.dbDefault !== undefined) p.default = c.dbDefault;
  // MikroORM names columns as the declaration does by default (snake_case); only a given name is passed.
  if (c.column) p.fieldName = c.column;
  if (key === 'createdAt') p.onCreate = () => new Date();
  if (key === 'updatedAt') Object.assign(p, { onCreate: () => new Date(), onUpdate: () => new Date() });
  return p;
}

/** A record's entity class (typed from the declaration) and its MikroORM schema. */
export interface RecordEntity<D extends RecordDeclaration> {
  entity: new () => EntityOf<D>;
  schema: EntitySchema;
}

/**
 * The MikroORM entity of a record, from its declaration: a tenant-scoped table with a uuid key,
 * its organisation (cascading), the declared columns and to-one relations (primary keys).
 */
const built = new WeakMap<RecordDeclaration, RecordEntity<RecordDeclaration>>();

export function recordEntity<D extends RecordDeclaration>(decl: D): RecordEntity<D> {
  // One entity per declaration, however often it is asked for (entity files and the module list).
  const known = built.get(decl);
  if (known) return known as unknown as RecordEntity<D>;
  const entityName = decl.typeName;
  const defaults = Object.entries(decl.columns).flatMap(([key, c]) => {
    if (c.default) return [[key, c.default] as const];
    if (c.kind === 'datetime' && (key === 'createdAt' || key === 'updatedAt'))
      return [[key, () => new Date()] as const];
    if (c.nullable) return [[key, () => null] as const];
    return [];
  });
  const relationKeys = Object.entries(decl.relations)
    .filter(([, r]) => r.nullable)
    .map(([k]) => k);
  const entity = {
    [entityName]: class {
      constructor() {
        const self = this as Record<string, unknown>;
        self.id = randomUUID();
        for (const [key, make] of defaults) self[key] = make();
        for (const key of relationKeys) self[key] = null;
      }
    },
  }[entityName] as unknown as new () => EntityOf<D>;

  const properties: Record<string, unknown> = {
    id: { type: 'uuid', primary: true },
    organization: { kind: 'm:1', entity: 'Organization', mapToPk: true, deleteRule: 'cascade' },
  };
  for (const [key, c] of Object.entries(decl.columns)) properties[key] = propertyOf(key, c);
  for (const [name, r] of Object.entries(decl.relations)) {
    properties[name] = {
      kind: 'm:1',
      entity: () => decl.target(name).entityName,
      mapToPk: true,
      nullable: r.nullable || undefined,
      deleteRule: r.onDelete === 'no action' ? undefined : r.onDelete,
      ...(r.column ? { joinColumn: r.column } : {}),
    };
  }
  const schema = new EntitySchema({
    class: entity,
    tableName: decl.table,
    properties: properties as never,
    indexes: (decl.indexes ?? []).map((index) =>
      Array.isArray(index) ? { properties: ['organization', ...index] as never } : (index as never),
    ),
    uniques: (decl.uniques ?? []).map((properties) => ({ properties: properties as never })),
    filters: { [TENANT_FILTER]: tenantFilter },
  });
  const result: RecordEntity<D> = { entity, schema };
  built.set(decl, result as unknown as RecordEntity<RecordDeclaration>);
  return result;
}

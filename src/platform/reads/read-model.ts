import type { ListSpec, ParentRef } from '../pagination.js';
import type { ColumnKind } from '../records/columns.js';
import { relationColumn, type RecordDeclaration } from '../records/record.js';
import { parentRef } from '../records/relations.js';
import { UNIFORM_READS, type UniformReads } from './marks.js';

/**
 * What the compiled read path knows of the schema: which fields are answered by the uniform
 * record resolvers (and so have an SQL form), built from the app's own resolver classes. A field
 * that is not here (a hand-written resolver, a scope check of its own, a computed value without
 * SQL) makes its operation run through graphql-js instead.
 */

export interface ToOneRead {
  /** The owner's row key holding the target's primary key (`companyId`) and its column. */
  key: string;
  column: string;
  target: () => ListSpec;
}

export interface ToManyRead {
  target: () => ListSpec;
  parent: ParentRef;
}

export interface RecordRead {
  typeName: string;
  spec: ListSpec;
  /** Row key → column kind, for every declared column and computed value (ids are uuids). */
  kinds: ReadonlyMap<string, ColumnKind | 'uuid'>;
  toOne: ReadonlyMap<string, ToOneRead>;
  toMany: Map<string, ToManyRead>;
}

export interface ReadModel {
  /** Declared record types by GraphQL type name. */
  records: ReadonlyMap<string, RecordRead>;
  /** Uniform root query fields: `companies` (list) and `company` (by id). */
  roots: ReadonlyMap<string, { kind: 'list' | 'byId'; typeName: string }>;
  /** Every type `node(id)` can return, by the type name inside its global id. */
  nodeTypes: ReadonlyMap<string, ListSpec>;
}

function recordRead(decl: RecordDeclaration): RecordRead {
  const kinds = new Map<string, ColumnKind | 'uuid'>([['id', 'uuid']]);
  for (const [key, c] of Object.entries({ ...decl.columns, ...decl.computed })) kinds.set(key, c.kind);
  const toOne = new Map<string, ToOneRead>();
  for (const [name, r] of Object.entries(decl.relations)) {
    kinds.set(`${name}Id`, 'uuid');
    if (r.node === false) continue;
    toOne.set(name, {
      key: `${name}Id`,
      column: relationColumn(name, r),
      target: () => decl.target(name).list,
    });
  }
  return { typeName: decl.typeName, spec: decl.list, kinds, toOne, toMany: new Map() };
}

/** The read model of an app, from its resolver classes (in schema order) and node types. */
export function readModelOf(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: readonly Function[],
  nodeTypes: ReadonlyMap<string, ListSpec>,
): ReadModel {
  const records = new Map<string, RecordRead>();
  const roots = new Map<string, { kind: 'list' | 'byId'; typeName: string }>();
  const marks = resolvers
    .map((r) => (r as unknown as { [UNIFORM_READS]?: UniformReads })[UNIFORM_READS])
    .filter((m): m is UniformReads => m !== undefined);
  for (const m of marks) {
    if (m.kind !== 'record') continue;
    records.set(m.decl.typeName, recordRead(m.decl));
    if (m.queries) {
      roots.set(m.decl.plural, { kind: 'list', typeName: m.decl.typeName });
      roots.set(m.decl.singular, { kind: 'byId', typeName: m.decl.typeName });
    }
  }
  for (const m of marks) {
    if (m.kind !== 'toMany') continue;
    const r = m.relation;
    const owner = records.get(r.owner.typeName);
    if (!owner || !records.has(r.target.typeName)) continue;
    owner.toMany.set(r.name, {
      target: () => r.target.list,
      parent: parentRef(r),
    });
  }
  return { records, roots, nodeTypes };
}

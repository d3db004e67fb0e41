import type { FilterField } from '../filtering.js';
import type { ListSpec, NodeRow, OrderInput } from '../pagination.js';
import {
  datetime,
  filterKindOf,
  snake,
  upperSnake,
  type Column,
  type ColumnKind,
  type ToOne,
} from './columns.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any[]) => object;

/**
 * What a relation needs of its target: a record declared with `defineRecord`, or (for types not
 * declared that way) a hand-written reference with the same parts.
 */
export interface RecordRef {
  typeName: string;
  /** The MikroORM entity's name (foreign keys and live-reference checks). */
  entityName: string;
  list: ListSpec;
  /** The GraphQL node type and filter input (classes, built lazily). */
  node: () => AnyClass;
  filterInput: () => AnyClass;
  /** How input errors name a missing target ("no <refName> <id> exists"); default the type name in lower case. */
  refName?: string;
}

/** An input field that is not a column: its GraphQL type and in which inputs it appears. */
export interface InputField {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  type: () => Function | object | [Function | object];
  create?: boolean;
  update?: boolean;
  description?: string;
  updateDescription?: string;
}

/** Texts of the derived schema that differ between types; each has a default. */
export interface RecordTexts {
  /** The `<Type>Filter` input's description (default none). */
  filter?: string;
  /** The list's `orderBy` argument (default from the default order, e.g. "Default: createdAt ascending."). */
  orderBy?: string;
  /** The list's `includeDeleted` argument (default "Include soft-deleted <plural> (admin keys only)."). */
  includeDeleted?: string;
  /** The create input's name and description (default `Create<Type>Input`, none), e.g. `LogCallInput`. */
  createInput?: { name: string; description?: string };
  /** The update input's description (default "Fields left out stay as they are; null clears a field."). */
  updateInput?: string;
  /** How `<Type>RelationFilter` names the rows (default the plural, e.g. "calls"). */
  relationPlural?: string;
}

export interface RecordOptions<
  C extends Record<string, Column>,
  X extends Record<string, Column>,
  R extends Record<string, ToOne>,
> {
  /** GraphQL type name, also the type inside global ids. */
  typeName: string;
  /** The root list field, e.g. `companies`. */
  plural: string;
  table: string;
  /** A `deletedAt` column; lists hide deleted rows unless an admin asks. */
  softDelete: boolean;
  /** Without an `updatedAt` column (rows that are only created, e.g. history). */
  noUpdatedAt?: boolean;
  /**
   * Stored columns. `createdAt` and `updatedAt` are added (filterable and orderable) unless
   * given here; `deletedAt` with soft delete.
   */
  columns: C;
  /** Read-only values computed in SQL (not stored). */
  computed?: X;
  relations?: R;
  defaultOrder: OrderInput[];
  /**
   * Entity indexes: properties after the organisation (e.g. `[['createdAt'], ['name']]`), or a
   * named index with its own SQL (e.g. a GIN index).
   */
  indexes?: (string[] | { name: string; expression: string } | { properties: string[] })[];
  /** Unique constraints, each over the properties given (e.g. `[['campaign', 'contact']]`). */
  uniques?: string[][];
  /** Input fields that are not columns (e.g. `contactIds` of a many-to-many), written by the record's own rules. */
  inputs?: Record<string, InputField>;
  description?: string;
  texts?: RecordTexts;
  /**
   * Row keys that hand-written node fields need (e.g. `contacts: []` for a connection that only
   * needs the primary key); fields of relations and columns are known already.
   */
  needs?: Record<string, string[]>;
}

type BaseColumns<Soft extends boolean> = {
  createdAt: Column<'datetime', Date, false>;
  updatedAt: Column<'datetime', Date, false>;
} & (Soft extends true ? { deletedAt: Column<'datetime', Date, true> } : unknown);

type Nullable<V, N> = N extends true ? V | null : V;
type RowValue<C> =
  C extends Column<infer K, infer V, infer N> ? Nullable<K extends 'datetime' ? string : V, N> : never;
type EntityValue<C> = C extends Column<ColumnKind, infer V, infer N> ? Nullable<V, N> : never;
type RelationValue<T> = T extends ToOne<infer N> ? Nullable<string, N> : never;

/** The read path's row of a record: every column and computed value, relations as `<name>Id`. */
export type RowOf<D> =
  D extends RecordDeclaration<infer C, infer X, infer R>
    ? NodeRow & { [K in keyof C]: RowValue<C[K]> } & { [K in keyof X]: RowValue<X[K]> } & {
        [K in keyof R as `${K & string}Id`]: RelationValue<R[K]>;
      }
    : never;

/** The entity (write path): stored columns, relations as the target's primary key, the organisation. */
export type EntityOf<D> =
  D extends RecordDeclaration<infer C, Record<string, Column>, infer R>
    ? { id: string; organization: string } & { [K in keyof C]: EntityValue<C[K]> } & {
        [K in keyof R]: RelationValue<R[K]>;
      }
    : never;

/** A create or update input as services read it: any declared field, absent, null or a value. */
export type InputOf<D> =
  D extends RecordDeclaration<infer C, Record<string, Column>, infer R>
    ? { [K in keyof C]?: EntityValue<C[K]> | null } & { [K in keyof R as `${K & string}Id`]?: string | null }
    : never;

export interface RecordDeclaration<
  C extends Record<string, Column> = Record<string, Column>,
  X extends Record<string, Column> = Record<string, Column>,
  R extends Record<string, ToOne> = Record<string, ToOne>,
> extends Omit<RecordOptions<C, X, R>, 'relations' | 'computed'> {
  computed: X;
  relations: R;
  /** Type name with a lower-case first letter (`company`), for field names and texts. */
  singular: string;
  /** How the read path lists this type, derived from the columns (no SQL text to parse back). */
  list: ListSpec;
  /** Relation targets, resolved on first use (targets may be declared later). */
  target: (relation: string) => RecordRef;
}

const stamps = {
  createdAt: datetime({ order: true }),
  updatedAt: datetime({ order: true }),
};

/**
 * One record type, declared once. The entity, the GraphQL types, the read path's list spec, the
 * uniform resolvers and services derive from it (`records/entity.ts`, `records/graphql.ts`,
 * `records/resolver.ts`, `records/service.ts`); anything special is written beside it.
 */
export function defineRecord<
  C extends Record<string, Column>,
  X extends Record<string, Column> = Record<never, Column>,
  R extends Record<string, ToOne> = Record<never, ToOne>,
  Soft extends boolean = boolean,
>(opts: RecordOptions<C, X, R> & { softDelete: Soft }): RecordDeclaration<BaseColumns<Soft> & C, X, R> {
  const columns = {
    ...stamps,
    ...(opts.noUpdatedAt ? { updatedAt: undefined } : {}),
    ...(opts.softDelete
      ? { deletedAt: datetime({ nullable: true, filter: false, description: 'Set when soft-deleted.' }) }
      : {}),
    ...opts.columns,
  } as BaseColumns<Soft> & C;
  if (opts.noUpdatedAt) delete (columns as Record<string, unknown>).updatedAt;
  const computed = (opts.computed ?? {}) as X;
  const relations = (opts.relations ?? {}) as R;
  const target = (name: string): RecordRef => {
    const relation = (relations as Record<string, ToOne>)[name];
    if (!relation) throw new Error(`${opts.typeName} has no relation ${name}.`);
    return relation.target();
  };
  const decl: RecordDeclaration<BaseColumns<Soft> & C, X, R> = {
    ...opts,
    columns,
    computed,
    relations,
    singular: opts.typeName[0].toLowerCase() + opts.typeName.slice(1),
    list: undefined as unknown as ListSpec,
    target,
  };
  decl.list = listSpecOf(decl);
  return decl;
}

export const columnName = (key: string, c: { column?: string }) => c.column ?? snake(key);
export const relationColumn = (name: string, r: ToOne) => r.column ?? `${snake(name)}_id`;

function listSpecOf(decl: RecordDeclaration): ListSpec {
  const select: Record<string, string | ((alias: string) => string)> = { id: 'id' };
  const filters: Record<string, FilterField> = { id: { kind: 'id', column: 'id', type: decl.typeName } };
  const order: ListSpec['order'] = {};
  const needs: Record<string, string[]> = { ...decl.needs };
  const add = (key: string, c: Column, sql: string | ((alias: string) => string), computed: boolean) => {
    select[key] = sql;
    const kind = filterKindOf[c.kind];
    // Computed values filter only when asked to.
    if (kind && (c.filter ?? !computed) && typeof sql === 'string') filters[key] = { kind, column: sql };
    if (c.order) {
      if (typeof sql !== 'string') throw new Error(`${decl.typeName}.${key}: computed values do not order.`);
      order[upperSnake(key)] = { column: sql, key, nullable: c.nullable };
    }
  };
  for (const [key, c] of Object.entries(decl.columns)) {
    add(key, c, columnName(key, c), false);
    if (c.read) select[key] = c.read;
  }
  for (const [key, c] of Object.entries(decl.computed)) {
    if (!c.read) throw new Error(`${decl.typeName}.${key}: a computed value needs its SQL.`);
    add(key, c, c.read, true);
  }
  for (const [name, r] of Object.entries(decl.relations)) {
    const column = relationColumn(name, r);
    const key = `${name}Id`;
    select[key] = column;
    needs[name] = [key];
    // Resolved on first use: the target may be declared after this type.
    let targetType: string | undefined;
    filters[key] = {
      kind: 'id',
      column,
      get type() {
        return (targetType ??= decl.target(name).typeName);
      },
    };
    if (r.filter !== false) filters[name] = { kind: 'one', fk: column, target: () => decl.target(name).list };
  }
  return {
    table: decl.table,
    typeName: decl.typeName,
    softDelete: decl.softDelete,
    columns: select,
    filters,
    order,
    defaultOrder: decl.defaultOrder,
    needs,
  };
}

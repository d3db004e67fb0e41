import type { FilterField } from '../filtering.js';
import type { RecordRef } from './record.js';

/**
 * The columns a record declaration is made of. Each builder returns plain data: what the value
 * is (its kind and TypeScript type), where it is stored, how the node type shows it, how it is
 * filtered and ordered, and how create/update inputs write it. Everything else is derived.
 */

export type ColumnKind =
  'text' | 'int' | 'decimal' | 'boolean' | 'enum' | 'datetime' | 'date' | 'textList' | 'json';

/** How create and update inputs take a column. */
export interface WriteRule<V> {
  /** In the create input: required (non-null) or optional. Absent: not written on create. */
  create?: 'required' | 'optional';
  /** In the update input (nullable there); default true when `create` is set. */
  update?: boolean;
  /** Normalises and checks a given non-null value; throws BAD_USER_INPUT naming `field`. */
  check?(value: V, field: string): V | null;
  /** The input field exists but the record's own rules write it (e.g. custom fields). */
  byRules?: boolean;
  /** The create input's default (shown in the schema). */
  defaultValue?: V;
  /** The input fields' description (both inputs), and a create-only and an update-only one. */
  description?: string;
  createDescription?: string;
  updateDescription?: string;
}

export interface ColumnOptions<V, N extends boolean> {
  nullable?: N;
  /** SQL column; default the key in snake_case. */
  column?: string;
  /** The node field's description. */
  description?: string;
  /** Filterable (default true where the kind has operators). */
  filter?: boolean;
  /** Orderable: true gives the orderBy enum value UPPER_SNAKE of the key. */
  order?: boolean;
  /** Shown on the node type (default true). */
  node?: boolean;
  /**
   * How the read path reads the value: a column path on the row (e.g. `emails[1]`, orderable)
   * or an SQL expression over the row alias. Required for computed values (not stored, not
   * written); on a stored column it changes only what is read (filters and order use the column).
   */
  read?: string | ((alias: string) => string);
  /** The filter field's description. */
  filterDescription?: string;
  write?: WriteRule<V>;
  /** Storage details the kind cannot say (e.g. `numeric(19,4)`), and a default for new rows. */
  columnType?: string;
  /** The value a new entity starts with, and the column's database default. */
  default?: () => V;
  dbDefault?: string | number | boolean;
}

export interface Column<
  K extends ColumnKind = ColumnKind,
  V = unknown,
  N extends boolean = boolean,
> extends Omit<ColumnOptions<V, N>, 'nullable'> {
  kind: K;
  nullable: N;
  /** Enum columns: the TypeScript enum object and its GraphQL name. */
  enumType?: object;
  enumName?: string;
  /** Phantom: the value's TypeScript type in the entity. */
  readonly __value?: V;
}

// NoInfer: a column's nullability comes from its options, never from where the column is used.
function column<K extends ColumnKind, V, N extends boolean>(
  kind: K,
  opts: ColumnOptions<V, N> | undefined,
): Column<K, V, NoInfer<N>> {
  return { ...opts, kind, nullable: (opts?.nullable ?? false) as N };
}

export const text = <N extends boolean = false>(opts?: ColumnOptions<string, N>) => column('text', opts);
export const int = <N extends boolean = false>(opts?: ColumnOptions<number, N>) => column('int', opts);
/** A decimal, read and written as a string so that no precision is lost. */
export const decimal = <N extends boolean = false>(opts?: ColumnOptions<string, N>) =>
  column('decimal', opts);
export const boolean = <N extends boolean = false>(opts?: ColumnOptions<boolean, N>) =>
  column('boolean', opts);
/** A point in time: Date in the entity, an ISO string on the read path. */
export const datetime = <N extends boolean = false>(opts?: ColumnOptions<Date, N>) =>
  column('datetime', opts);
/** A calendar date, 'YYYY-MM-DD'. */
export const date = <N extends boolean = false>(opts?: ColumnOptions<string, N>) => column('date', opts);
export const textList = (opts?: ColumnOptions<string[], false>) => column('textList', opts);
export const json = (opts?: ColumnOptions<Record<string, unknown>, false>) => column('json', opts);

export function enumOf<E extends Record<string, string>, N extends boolean = false>(
  enumType: E,
  enumName: string,
  opts?: ColumnOptions<E[keyof E], N>,
): Column<'enum', E[keyof E], NoInfer<N>> {
  return { ...column('enum', opts), enumType, enumName };
}

/** What a column kind filters as (null: no operators). */
export const filterKindOf: Record<
  ColumnKind,
  Exclude<FilterField['kind'], 'id' | 'one' | 'many' | 'through'> | null
> = {
  text: 'string',
  int: 'number',
  decimal: 'decimal',
  boolean: 'boolean',
  enum: 'enum',
  datetime: 'date',
  date: 'date',
  textList: 'stringList',
  json: null,
};

/** A to-one relation held in this table's foreign key column (`<name>_id`). */
export interface ToOne<N extends boolean = boolean> {
  kind: 'toOne';
  /** The target: a declared record, or a hand-written reference (resolved on first use). */
  target: () => RecordRef;
  nullable: N;
  /** SQL column; default `<name>_id`. */
  column?: string;
  /** What deleting the target does; 'no action' leaves PostgreSQL's default (the delete fails while rows point at it). */
  onDelete: 'cascade' | 'set null' | 'restrict' | 'no action';
  /** The node field's description; `node: false` leaves the field to a hand-written resolver. */
  description?: string;
  node?: boolean;
  /** The relation filter field (`<name>: <Target>Filter`; default true) and its description. */
  filter?: boolean;
  filterDescription?: string;
  /** Written as `<name>Id` by create/update inputs (the id must name a live target). */
  write?: Omit<WriteRule<string>, 'check'>;
}

export function toOne<N extends boolean = false>(
  target: () => RecordRef,
  opts: Omit<ToOne<N>, 'kind' | 'target' | 'nullable' | 'onDelete'> & {
    nullable?: N;
    onDelete?: ToOne['onDelete'];
  } = {},
): ToOne<NoInfer<N>> {
  const nullable = (opts.nullable ?? false) as N;
  return {
    ...opts,
    kind: 'toOne',
    target,
    nullable,
    onDelete: opts.onDelete ?? (nullable ? 'set null' : 'cascade'),
  };
}

/** camelCase → snake_case. */
export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** camelCase → UPPER_SNAKE (orderBy enum values). */
export const upperSnake = (key: string) => snake(key).toUpperCase();

import { createHash } from 'node:crypto';
import { badInput } from './errors.js';
import { compileFilter, type FilterTarget } from './filtering.js';
import { toGlobalId } from './ids.js';
import type { SqlBuilder, Row } from './db/sql.js';
import type { TenantSql } from './db/tenant-sql.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A column of a list: a column of the table, or an SQL expression over the row alias. */
export type ColumnSql = string | ((alias: string) => string);

/** A table the read path can list: plain rows, tenant-scoped, optionally soft-deleted. */
export interface ListSpec extends FilterTarget {
  /** Row key (camelCase) → its column or expression; must include `id`. */
  columns: Readonly<Record<string, ColumnSql>>;
  /** orderBy field enum value → { column on the table, key in the selected row, nullable }. */
  order: Record<string, { column: string; key: string; nullable: boolean }>;
  defaultOrder: OrderInput[];
  /**
   * Columns (row keys) that fields not among the columns need, e.g. `company` needs
   * `companyId`; `[]` for relations that need only the primary key. A selected field that is
   * neither a column nor listed here makes the list read every column (always correct).
   */
  needs?: Record<string, string[]>;
}

export const sqlOf = (column: ColumnSql, alias: string) =>
  typeof column === 'string' ? `${alias}.${column}` : column(alias);

/**
 * Row keys needed to answer the selected node `fields` (plus the id and the order's keys),
 * or null when some field is unknown here and every column must be read.
 */
export function keysFor(
  spec: ListSpec,
  fields: ReadonlySet<string>,
  orderBy?: OrderInput[] | null,
): Set<string> | null {
  const keys = new Set(['id']);
  for (const f of fields) {
    if (f === '__typename') continue;
    if (f in spec.columns) keys.add(f);
    else if (spec.needs?.[f]) for (const k of spec.needs[f]) keys.add(k);
    else return null;
  }
  for (const o of orderBy?.length ? orderBy : spec.defaultOrder) {
    const key = spec.order[o.field]?.key;
    if (key) keys.add(key);
  }
  return keys;
}

/** The select list for `keys` (all columns when null or absent). */
export function selectList(spec: ListSpec, alias: string, keys?: ReadonlySet<string> | null): string {
  const out: string[] = [];
  for (const [key, column] of Object.entries(spec.columns)) {
    if (!keys || keys.has(key)) out.push(`${sqlOf(column, alias)} as "${key}"`);
  }
  return out.join(', ');
}

export interface OrderInput {
  field: string;
  direction?: 'ASC' | 'DESC';
  nulls?: 'FIRST' | 'LAST';
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: unknown;
  orderBy?: OrderInput[] | null;
  includeDeleted?: boolean | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Functions so that they are encoded only when selected. */
  startCursor: () => string | null;
  endCursor: () => string | null;
}

export interface Edge<T> {
  /** A function so that it is encoded only when selected. */
  cursor: () => string;
  node: T;
}

/** A Relay connection as plain data; `totalCount` is computed only when selected. */
export interface Connection<T> {
  /** A function so that edges are built only when selected. */
  edges: () => Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | (() => Promise<number>);
}

export interface Term {
  column: string;
  key: string;
  desc: boolean;
  nullsFirst: boolean;
}

/** The row's primary key stays available to loaders after `id` becomes a global id. */
export interface NodeRow extends Row {
  id: string;
  pk: string;
}

export function terms(spec: ListSpec, orderBy: OrderInput[] | null | undefined): Term[] {
  const input = orderBy && orderBy.length ? orderBy : spec.defaultOrder;
  if (input.length > 5) throw badInput('orderBy', 'accepts at most 5 terms.');
  const out: Term[] = input.map((o, i) => {
    const def = spec.order[o.field];
    if (!def) throw badInput(`orderBy[${i}].field`, `cannot order by ${o.field}.`);
    const desc = o.direction === 'DESC';
    // Nulls sort last unless asked otherwise, whatever the direction.
    return { column: def.column, key: def.key, desc, nullsFirst: o.nulls === 'FIRST' };
  });
  // The primary key breaks ties so that every cursor names exactly one position.
  out.push({ column: 'id', key: 'id', desc: false, nullsFirst: false });
  return out;
}

export const reverse = (ts: Term[]): Term[] =>
  ts.map((t) => ({ ...t, desc: !t.desc, nullsFirst: !t.nullsFirst }));

export function orderSql(ts: Term[], ref: (t: Term) => string): string {
  return ts
    .map((t) => `${ref(t)} ${t.desc ? 'desc' : 'asc'} nulls ${t.nullsFirst ? 'first' : 'last'}`)
    .join(', ');
}

/** Names the order a cursor belongs to, so a cursor of another orderBy is refused, not misread. */
const fingerprints = new Map<string, string>();

export function orderFingerprint(ts: Term[]): string {
  const text = ts.map((t) => `${t.key}:${t.desc ? 'd' : 'a'}${t.nullsFirst ? 'f' : 'l'}`).join(',');
  let fp = fingerprints.get(text);
  if (!fp) {
    fp = createHash('sha1').update(text).digest('base64url').slice(0, 8);
    if (fingerprints.size < 10_000) fingerprints.set(text, fp);
  }
  return fp;
}

export function encodeValues(fingerprint: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify([fingerprint, ...values])).toString('base64url');
}

export function decodeCursor(cursor: string, ts: Term[], field: string): unknown[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === ts.length + 1 &&
      parsed[0] === orderFingerprint(ts) &&
      parsed.every((v) => v === null || typeof v !== 'object')
    ) {
      return parsed.slice(1);
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(field, 'is not a cursor of this list with this orderBy.');
}

/** Rows strictly after `values` in the order `ts` (nulls placed as the order says). */
export function afterCondition(
  b: SqlBuilder,
  ts: Term[],
  values: unknown[],
  ref: (t: Term) => string,
): string {
  const ors: string[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    const v = values[i];
    const col = ref(t);
    // After a null: nothing if nulls come last, every non-null if nulls come first.
    if (v === null && !t.nullsFirst) continue;
    const eqs = ts
      .slice(0, i)
      .map((e, j) => (values[j] === null ? `${ref(e)} is null` : `${ref(e)} = ${b.param(values[j])}`));
    let step: string;
    if (v === null) {
      step = `${col} is not null`;
    } else {
      const cmp = `${col} ${t.desc ? '<' : '>'} ${b.param(v)}`;
      step = t.nullsFirst ? cmp : `(${cmp} or ${col} is null)`;
    }
    ors.push([...eqs, step].join(' and '));
  }
  return ors.length ? `(${ors.map((o) => `(${o})`).join(' or ')})` : 'false';
}

export function pageSize(args: PageArgs): { forward: boolean; size: number } {
  const { first, last } = args;
  if (first != null && last != null) throw badInput('first', 'cannot be combined with last.');
  for (const [name, v] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (v != null && (v < 0 || v > MAX_PAGE_SIZE))
      throw badInput(name, `must be between 0 and ${MAX_PAGE_SIZE}.`);
  }
  if (last != null) return { forward: false, size: last };
  return { forward: true, size: first ?? DEFAULT_PAGE_SIZE };
}

/** Builds the WHERE shared by a page and its totalCount: tenant (`$1`), soft delete, filter. */
function baseWhere(b: SqlBuilder, spec: ListSpec, args: PageArgs, extra: string[]): string[] {
  const where = ['t.organization_id = $1', ...extra];
  if (spec.softDelete && !args.includeDeleted) where.push('t.deleted_at is null');
  if (args.filter) where.push(compileFilter(b, spec, 't', args.filter));
  return where;
}

function cursorWhere(b: SqlBuilder, ts: Term[], args: PageArgs, ref: (t: Term) => string): string[] {
  const where: string[] = [];
  if (args.after) where.push(afterCondition(b, ts, decodeCursor(args.after, ts, 'after'), ref));
  if (args.before) where.push(afterCondition(b, reverse(ts), decodeCursor(args.before, ts, 'before'), ref));
  return where;
}

export function toNode<T extends NodeRow>(typeName: string, row: Row): T {
  const r = row as NodeRow;
  r.pk = r.id;
  r.id = toGlobalId(typeName, r.pk);
  return r as T;
}

function connectionFrom<T extends NodeRow>(
  spec: ListSpec,
  ts: Term[],
  rows: Row[],
  args: PageArgs,
  forward: boolean,
  size: number,
  totalCount: Connection<T>['totalCount'],
): Connection<T> {
  const more = rows.length > size;
  const page = more ? rows.slice(0, size) : rows;
  if (!forward) page.reverse();
  const fingerprint = orderFingerprint(ts);
  const nodes: T[] = new Array(page.length);
  for (let i = 0; i < page.length; i++) nodes[i] = toNode<T>(spec.typeName, page[i]);
  // The cursor's values; the id term reads the primary key, which `id` no longer holds.
  const valuesOf = (node: T) => ts.map((t) => (t.key === 'id' ? node.pk : (node[t.key] ?? null)));
  const cursorOf = (node: T | undefined) => (node ? encodeValues(fingerprint, valuesOf(node)) : null);
  let edges: Edge<T>[] | undefined;
  return {
    // Built only if selected (graphql-js calls function-valued fields): most clients read `nodes`.
    edges: () => (edges ??= nodes.map((node) => ({ node, cursor: () => cursorOf(node) as string }))),
    nodes,
    pageInfo: {
      hasNextPage: forward ? more : Boolean(args.before),
      hasPreviousPage: forward ? Boolean(args.after) : more,
      startCursor: () => cursorOf(nodes[0]),
      endCursor: () => cursorOf(nodes[nodes.length - 1]),
    },
    totalCount,
  };
}

/** One page of a root list: one SQL statement, plus one for totalCount only if selected. */
export async function listPage<T extends NodeRow>(
  db: TenantSql,
  spec: ListSpec,
  args: PageArgs,
  keys?: ReadonlySet<string> | null,
): Promise<Connection<T>> {
  const { forward, size } = pageSize(args);
  const ts = terms(spec, args.orderBy);
  const b = db.builder();
  const ref = (t: Term) => `t.${t.column}`;
  const where = baseWhere(b, spec, args, []);
  const countParams = b.params.slice();
  const countWhere = where.join(' and ');
  where.push(...cursorWhere(b, ts, args, ref));
  const order = orderSql(forward ? ts : reverse(ts), ref);
  const text = `select ${selectList(spec, 't', keys)} from ${spec.table} t where ${where.join(' and ')} order by ${order} limit ${size + 1}`;
  const rows = await db.query(text, b.params);
  let total: Promise<number> | undefined;
  const totalCount = () =>
    (total ??= db
      .query<{ n: number }>(`select count(*) as n from ${spec.table} t where ${countWhere}`, countParams)
      .then((r) => r[0].n));
  return connectionFrom<T>(spec, ts, rows, args, forward, size, totalCount);
}

/**
 * How children point at their parent: a column of the child table, or a join table
 * (`fk` → child id, `parentFk` → parent id).
 */
export type ParentRef = string | { through: string; fk: string; parentFk: string };

function parentJoin(parent: ParentRef): { join: string; parentExpr: string } {
  if (typeof parent === 'string') return { join: '', parentExpr: `t.${parent}` };
  return {
    join: ` join ${parent.through} j on j.${parent.fk} = t.id and j.organization_id = t.organization_id`,
    parentExpr: `j.${parent.parentFk}`,
  };
}

/**
 * The same page for many parents at once (e.g. each company's contacts): one windowed
 * SQL statement whatever the number of parents, with totalCount per parent.
 */
export async function listPagesByParent<T extends NodeRow>(
  db: TenantSql,
  spec: ListSpec,
  parent: ParentRef,
  parentIds: readonly string[],
  args: PageArgs,
  keys?: ReadonlySet<string> | null,
): Promise<Map<string, Connection<T>>> {
  const { forward, size } = pageSize(args);
  const ts = terms(spec, args.orderBy);
  const b = db.builder();
  const { join, parentExpr } = parentJoin(parent);
  const where = baseWhere(b, spec, args, []);
  where.push(`${parentExpr} = any(${b.param(parentIds)}::uuid[])`);
  const inner = (t: Term) => `t.${t.column}`;
  const outer = (t: Term) => `s."${t.key}"`;
  const cursor = cursorWhere(b, ts, args, inner);
  const order = orderSql(forward ? ts : reverse(ts), outer);
  const text =
    `select * from (select s.*, row_number() over (partition by s.__parent order by ${order}) as __rn from (` +
    `select ${selectList(spec, 't', keys)}, ${parentExpr} as __parent, count(*) over (partition by ${parentExpr}) as __total` +
    `${cursor.length ? `, (${cursor.join(' and ')}) as __ok` : ''} from ${spec.table} t${join} where ${where.join(' and ')}` +
    `) s${cursor.length ? ' where s.__ok' : ''}) w where w.__rn <= ${size + 1} order by w.__parent, w.__rn`;
  const rows = await db.query(text, b.params);
  const grouped = new Map<string, Row[]>();
  for (const row of rows) {
    const parentId = row.__parent as string;
    let list = grouped.get(parentId);
    if (!list) grouped.set(parentId, (list = []));
    list.push(row);
  }
  const result = new Map<string, Connection<T>>();
  for (const parentId of parentIds) {
    const list = grouped.get(parentId) ?? [];
    const total = (list[0]?.__total as number | undefined) ?? 0;
    // The window's helper columns (__parent, __total, __rn) stay on the rows: GraphQL reads only
    // declared fields, and deleting properties would turn every row into a slow dictionary object.
    // With a cursor and no rows left on this page the total is unknown here: count it.
    const totalCount =
      list.length || !cursor.length ? total : () => countByParent(db, spec, parent, parentId, args);
    result.set(parentId, connectionFrom<T>(spec, ts, list, args, forward, size, totalCount));
  }
  return result;
}

async function countByParent(
  db: TenantSql,
  spec: ListSpec,
  parent: ParentRef,
  parentId: string,
  args: PageArgs,
): Promise<number> {
  const b = db.builder();
  const { join, parentExpr } = parentJoin(parent);
  const where = baseWhere(b, spec, args, []);
  where.push(`${parentExpr} = ${b.param(parentId)}`);
  const rows = await db.query<{ n: number }>(
    `select count(*) as n from ${spec.table} t${join} where ${where.join(' and ')}`,
    b.params,
  );
  return rows[0].n;
}

/** Rows by primary key for loaders: one statement for any number of ids. */
export async function rowsByIds<T extends NodeRow>(
  db: TenantSql,
  spec: ListSpec,
  ids: readonly string[],
): Promise<Map<string, T>> {
  const rows = await db.query(
    `select ${selectList(spec, 't')} from ${spec.table} t where t.organization_id = $1 and t.id = any($2::uuid[])`,
    [ids],
  );
  const out = new Map<string, T>();
  for (const row of rows) {
    const node = toNode<T>(spec.typeName, row);
    out.set(node.pk, node);
  }
  return out;
}

import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { SqlBuilder } from '../db/sql.js';
import { compileFilter } from '../filtering.js';
import { parseGlobalId, toGlobalId } from '../ids.js';
import {
  afterCondition,
  decodeCursor,
  encodeValues,
  orderFingerprint,
  orderSql,
  pageSize,
  reverse,
  sqlOf,
  terms,
  type OrderInput,
  type ParentRef,
  type Term,
} from '../pagination.js';
import type { ColumnKind } from '../records/columns.js';
import type { ReadModel, RecordRead } from './read-model.js';

/**
 * The compiled read path: a query over declared record types becomes one SQL statement (each
 * root field one value of it), which returns the whole selection as positional JSON arrays (`json_build_array`, the
 * cheapest form for PostgreSQL to write), and a builder made for that selection turns the arrays
 * into the response's objects without executing GraphQL field by field. The values are exactly
 * graphql-js's: the same global ids, cursors, DateTime strings, decimals, enums and nulls (the
 * differential test runs every read both ways). Whatever has no SQL form here throws `Bail`,
 * and the whole operation runs through graphql-js instead.
 */

/** The compiled path cannot answer exactly (an error to report, a field without SQL form). */
export class Bail extends Error {}

const bail = (why: string): never => {
  throw new Bail(why);
};

/** The operation's statement (`$1` is the caller's organisation): one JSON array, a value per root field. */
export interface ReadStatement {
  text: string;
  params: unknown[];
}

export interface CompiledOperation {
  /** Null when no root field needs the database (e.g. only `__typename`). */
  statement: ReadStatement | null;
  /**
   * Builds `data` from the statement's values (in root-field order), with the operation's actual
   * cost counted on the way (CONTRACT §5: the cost model over the lists it produced), or null when
   * the selection repeats a response key (then the usage step prices the data itself); throws
   * Bail when graphql-js must answer.
   */
  build(values: unknown[]): { data: Record<string, unknown>; cost: number | null };
}

/** The relation-filter cost of a field's arguments (the usage module's pricing), when metered. */
export type ArgumentCost = (field: GraphQLField<unknown, unknown>, args: Record<string, unknown>) => number;

type Builder = (value: unknown) => unknown;
type Fields = Map<string, FieldNode[]>;

/** More arguments than this in one json_build_array is over PostgreSQL's function-argument limit. */
const MAX_ARGS = 100;

/** PostgreSQL's JSON form of a UTC timestamptz ('2026-11-25T12:00:00.12+00:00') as toISOString writes it. */
export function jsonTimestampToIso(v: string): string {
  if (v.length < 25 || !v.endsWith('+00:00') || v[10] !== 'T') return new Date(v).toISOString();
  const body = v.slice(0, v.length - 6);
  const frac = body.length > 20 ? `${body.slice(20)}000`.slice(0, 3) : '000';
  return `${body.slice(0, 19)}.${frac}Z`;
}

/** The positional values of one row, deduplicated by their SQL. */
class Shape {
  readonly exprs: string[] = [];
  private readonly index = new Map<string, number>();

  add(expr: string): number {
    let i = this.index.get(expr);
    if (i === undefined) {
      i = this.exprs.length;
      this.exprs.push(expr);
      this.index.set(expr, i);
    }
    return i;
  }

  sql(): string {
    if (this.exprs.length > MAX_ARGS) bail('too many values in one row');
    return `json_build_array(${this.exprs.join(', ')})`;
  }
}

/** A record's value as read from JSON, before GraphQL serialises it. */
function jsonValue(kind: ColumnKind | 'uuid' | undefined): ((v: unknown) => unknown) | null {
  return kind === 'datetime' ? (v) => (typeof v === 'string' ? jsonTimestampToIso(v) : v) : null;
}

/** The SQL of a row value for JSON: decimals as text (a JSON number would lose digits). */
function valueSql(read: RecordRead, key: string, alias: string): string {
  const column = read.spec.columns[key];
  const sql = sqlOf(column, alias);
  return read.kinds.get(key) === 'decimal' ? `(${sql})::text` : sql;
}

export class OperationCompiler {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  /** The cost counted while building (reset per build; builds are synchronous). */
  private readonly spent = { n: 0 };
  /** False when the cost cannot be counted field by field exactly as the usage step prices (merged keys). */
  private exactCost = true;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly model: ReadModel,
    document: { definitions: readonly { kind: string }[] },
    private readonly variables: Record<string, unknown>,
    /** The caller may read soft-deleted rows (`includeDeleted`, admin keys). */
    private readonly admin: boolean,
    private readonly argumentCost: ArgumentCost = () => 0,
  ) {
    for (const d of document.definitions) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) {
        const f = d as FragmentDefinitionNode;
        this.fragments.set(f.name.value, f);
      }
    }
  }

  compile(operation: OperationDefinitionNode): CompiledOperation {
    if (operation.operation !== 'query') bail('not a query');
    const root = this.schema.getQueryType() ?? bail('no query type');
    const fields = this.collect(root, [operation.selectionSet]);
    // One builder for the whole operation: each root field is one value of one statement.
    const b = new SqlBuilder(1);
    const exprs: string[] = [];
    const parts: [string, (values: unknown[]) => unknown][] = [];
    for (const [key, nodes] of fields) {
      const name = nodes[0].name.value;
      if (name === '__typename') {
        parts.push([key, () => root.name]);
        continue;
      }
      const field = root.getFields()[name] ?? bail(`unknown root field ${name}`);
      const plan = this.rootField(field, nodes, b);
      if (plan.sql === null) {
        const value = plan.build(null);
        parts.push([key, () => value]);
        continue;
      }
      const at = exprs.length;
      exprs.push(plan.sql);
      parts.push([key, (values) => plan.build(values[at])]);
    }
    if (exprs.length > MAX_ARGS) bail('too many root fields');
    return {
      statement: exprs.length
        ? { text: `select json_build_array(${exprs.join(', ')}) as r`, params: b.params }
        : null,
      build: (values) => {
        this.spent.n = 0;
        const data: Record<string, unknown> = {};
        for (const [key, build] of parts) data[key] = build(values);
        return { data, cost: this.exactCost ? this.spent.n : null };
      },
    };
  }

  // --- selections ---------------------------------------------------------------------------

  private included(node: { directives?: readonly unknown[] }): boolean {
    if (!node.directives?.length) return true;
    const n = node as FieldNode;
    if (getDirectiveValues(GraphQLSkipDirective, n, this.variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, n, this.variables)?.if === false) return false;
    return true;
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (!condition || condition === type.name) return true;
    const cond = this.schema.getType(condition);
    return cond !== undefined && isAbstractType(cond) && this.schema.isSubType(cond, type);
  }

  /** graphql-js's CollectFields: response keys in order, each with the field nodes merged under it. */
  private collect(
    type: GraphQLObjectType,
    sets: readonly SelectionSetNode[],
    out: Fields = new Map(),
    visited = new Set<string>(),
  ): Fields {
    for (const set of sets) {
      for (const sel of set.selections) {
        if (!this.included(sel)) {
          // The usage step prices every field node, skipped or not, by its response key.
          this.exactCost = false;
          continue;
        }
        if (sel.kind === Kind.FIELD) {
          const key = sel.alias?.value ?? sel.name.value;
          const list = out.get(key);
          if (list) {
            list.push(sel);
            this.exactCost = false;
          } else out.set(key, [sel]);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(sel.typeCondition?.name.value, type))
            this.collect(type, [sel.selectionSet], out, visited);
        } else {
          const name = sel.name.value;
          if (visited.has(name)) continue;
          visited.add(name);
          const f = this.fragments.get(name);
          if (f && this.applies(f.typeCondition.name.value, type))
            this.collect(type, [f.selectionSet], out, visited);
        }
      }
    }
    return out;
  }

  private subfields(type: GraphQLObjectType, nodes: readonly FieldNode[]): Fields {
    const sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    return this.collect(type, sets);
  }

  private args(field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    return getArgumentValues(field, node, this.variables);
  }

  // --- root fields ---------------------------------------------------------------------------

  private rootField(
    field: GraphQLField<unknown, unknown>,
    nodes: FieldNode[],
    b: SqlBuilder,
  ): { sql: string | null; build: Builder } {
    const name = field.name;
    const args = this.args(field, nodes[0]);
    const root = this.model.roots.get(name);
    if (root) {
      const read = this.model.records.get(root.typeName) ?? bail(`no record ${root.typeName}`);
      if (root.kind === 'list') {
        if (args.includeDeleted && !this.admin) bail('includeDeleted needs an admin key');
        const connType = getNamedType(field.type) as GraphQLObjectType;
        const conn = this.connection(
          read,
          connType,
          nodes,
          args,
          b,
          null,
          Boolean(args.includeDeleted),
          field,
        );
        return { sql: conn.sql, build: nonNull(field.type, conn.build) };
      }
      const parsed = parseGlobalId(args.id as string);
      if (!parsed || parsed.type !== read.typeName) bail('not found');
      const type = getNamedType(field.type) as GraphQLObjectType;
      const a = b.alias('r');
      const row = this.row(read, type, this.subfields(type, nodes), a, b, new Shape());
      const sql = `(select ${row.shape.sql()} from ${read.spec.table} ${a} where ${a}.organization_id = $1 and ${a}.id = ${b.param(parsed?.id)})`;
      const spent = this.spent;
      return {
        sql,
        build: (v) => {
          if (v === null || v === undefined) bail('not found');
          spent.n += 1;
          return row.build(v);
        },
      };
    }
    if (name === 'node') {
      const one = this.nodeById(args.id as string, nodes, b, 1);
      return one;
    }
    if (name === 'nodes') {
      const ids = args.ids as string[];
      if (ids.length > 100) bail('too many ids');
      const items = ids.map((id) => this.nodeById(id, nodes, b, 0));
      const spent = this.spent;
      const sqls = items.map((i) => i.sql ?? 'null');
      const sql = sqls.length ? `json_build_array(${sqls.join(', ')})` : null;
      return {
        sql,
        build: (v) => {
          // Each item of a plain list costs 1, null or not (usage/cost.ts).
          spent.n += items.length;
          return items.map((item, i) => item.build(Array.isArray(v) ? v[i] : null));
        },
      };
    }
    return bail(`root field ${name} has no SQL form`);
  }

  /** `node(id)`: the record the id names, or null when there is none visible (no error). */
  /** `objectCost`: 1 for `node(id)` (an object), 0 inside `nodes` (its list counts each item). */
  private nodeById(
    id: string,
    nodes: FieldNode[],
    b: SqlBuilder,
    objectCost: number,
  ): { sql: string | null; build: Builder } {
    const parsed = parseGlobalId(id);
    const spec = parsed ? this.model.nodeTypes.get(parsed.type) : undefined;
    if (!parsed || !spec) return { sql: null, build: () => null };
    const spent = this.spent;
    const read = this.model.records.get(parsed.type);
    if (!read || read.spec !== spec) bail(`node type ${parsed.type} has no SQL form`);
    const type = this.schema.getType(parsed.type);
    if (!type || !isObjectType(type)) return bail(`no object type ${parsed.type}`);
    const a = b.alias('r');
    const row = this.row(read as RecordRead, type, this.subfields(type, nodes), a, b, new Shape());
    const sql = `(select ${row.shape.sql()} from ${spec.table} ${a} where ${a}.organization_id = $1 and ${a}.id = ${b.param(parsed.id)})`;
    return {
      sql,
      build: (v) => {
        if (v === null || v === undefined) return null;
        spent.n += objectCost;
        return row.build(v);
      },
    };
  }

  // --- records -------------------------------------------------------------------------------

  /**
   * The fields of one record row at `alias`: their SQL is added to `shape` (shared by every
   * selection of the same rows), and the builder reads them back by position.
   */
  private row(
    read: RecordRead,
    type: GraphQLObjectType,
    fields: Fields,
    alias: string,
    b: SqlBuilder,
    shape: Shape,
  ): { shape: Shape; build: (arr: unknown) => Record<string, unknown> } {
    const steps: [string, (arr: unknown[]) => unknown][] = [];
    const typeFields = type.getFields();
    for (const [key, nodes] of fields) {
      const name = nodes[0].name.value;
      if (name === '__typename') {
        const typeName = type.name;
        steps.push([key, () => typeName]);
        continue;
      }
      const field = typeFields[name] ?? bail(`unknown field ${type.name}.${name}`);
      if (name === 'id' && !field.resolve) {
        const i = shape.add(`${alias}.id`);
        const typeName = read.typeName;
        steps.push([key, (arr) => toGlobalId(typeName, arr[i] as string)]);
        continue;
      }
      if (!field.resolve && Object.hasOwn(read.spec.columns, name)) {
        const i = shape.add(valueSql(read, name, alias));
        steps.push([key, leaf(field.type, jsonValue(read.kinds.get(name)), i)]);
        continue;
      }
      const one = read.toOne.get(name);
      if (one) {
        const targetSpec = one.target();
        const targetType = getNamedType(field.type);
        const target = this.model.records.get(targetType.name);
        if (!target || target.spec !== targetSpec || !isObjectType(targetType)) {
          bail(`${type.name}.${name} has no SQL form`);
        }
        const a = b.alias('r');
        const child = this.row(
          target as RecordRead,
          targetType as GraphQLObjectType,
          this.subfields(targetType as GraphQLObjectType, nodes),
          a,
          b,
          new Shape(),
        );
        const i = shape.add(
          `(select ${child.shape.sql()} from ${targetSpec.table} ${a} where ${a}.organization_id = $1 and ${a}.id = ${alias}.${one.column})`,
        );
        const spent = this.spent;
        const build = nonNull(field.type, (v) => {
          if (v === null) return null;
          spent.n += 1;
          return child.build(v);
        });
        steps.push([key, (arr) => build(arr[i])]);
        continue;
      }
      const many = read.toMany.get(name);
      if (many) {
        const connType = getNamedType(field.type) as GraphQLObjectType;
        const target = this.model.records.get(connType.name.replace(/Connection$/, ''));
        const targetSpec = many.target();
        if (!target || target.spec !== targetSpec) bail(`${type.name}.${name} has no SQL form`);
        const args = this.args(field, nodes[0]);
        const conn = this.connection(
          target as RecordRead,
          connType,
          nodes,
          args,
          b,
          { alias, parent: many.parent },
          false,
          field,
        );
        const i = shape.add(conn.sql);
        const build = nonNull(field.type, conn.build);
        steps.push([key, (arr) => build(arr[i])]);
        continue;
      }
      bail(`${type.name}.${name} has no SQL form`);
    }
    return {
      shape,
      build: (value) => {
        const arr = value as unknown[];
        const obj: Record<string, unknown> = {};
        for (const [key, step] of steps) obj[key] = step(arr);
        return obj;
      },
    };
  }

  // --- connections ---------------------------------------------------------------------------

  /**
   * A connection as one SQL value, `json_build_array(totalCount, array(rows))`: the rows in the
   * page's order, `limit` one more than the page only when the page's far side is asked for.
   */
  private connection(
    read: RecordRead,
    connType: GraphQLObjectType,
    nodes: readonly FieldNode[],
    args: Record<string, unknown>,
    b: SqlBuilder,
    parent: { alias: string; parent: ParentRef } | null,
    includeDeleted: boolean,
    field: GraphQLField<unknown, unknown>,
  ): { sql: string; build: Builder } {
    const spec = read.spec;
    if ((field.extensions as { cost?: unknown } | undefined)?.cost) this.exactCost = false;
    // A connection costs 2 + n + its nodes' selections, plus its relation filters (usage/cost.ts).
    const fixedCost = 2 + this.argumentCost(field, args);
    let listsNodes = false;
    const spent = this.spent;
    const { forward, size } = pageSize(args);
    const ts = terms(spec, args.orderBy as OrderInput[] | null | undefined);
    const a = b.alias('r');
    const ref = (t: Term) => `${a}.${t.column}`;

    let from = `${spec.table} ${a}`;
    const where = [`${a}.organization_id = $1`];
    if (parent) {
      if (typeof parent.parent === 'string') {
        where.push(`${a}.${parent.parent} = ${parent.alias}.id`);
      } else {
        const j = b.alias('j');
        const p = parent.parent;
        from += ` join ${p.through} ${j} on ${j}.${p.fk} = ${a}.id and ${j}.organization_id = ${a}.organization_id`;
        where.push(`${j}.${p.parentFk} = ${parent.alias}.id`);
      }
    }
    if (spec.softDelete && !includeDeleted) where.push(`${a}.deleted_at is null`);
    if (args.filter) where.push(compileFilter(b, spec, a, args.filter));
    const countWhere = where.join(' and ');
    if (args.after) where.push(afterCondition(b, ts, decodeCursor(args.after as string, ts, 'after'), ref));
    if (args.before) {
      where.push(afterCondition(b, reverse(ts), decodeCursor(args.before as string, ts, 'before'), ref));
    }

    const fields = this.collect(
      connType,
      nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
    );
    const shape = new Shape();
    const nodeType = getNamedType(connType.getFields().nodes.type) as GraphQLObjectType;
    let wantsCount = false;
    let wantsRows = false;
    let wantsMore = false;
    let cursorAt: number[] | null = null;
    const cursorValues = () =>
      (cursorAt ??= ts.map((t) => shape.add(t.key === 'id' ? `${a}.id` : valueSql(read, t.key, a))));
    const convert = ts.map((t) => jsonValue(read.kinds.get(t.key)));
    const fingerprint = orderFingerprint(ts);
    const cursorOf = (row: unknown[]) => {
      const at = cursorAt as number[];
      return encodeValues(
        fingerprint,
        at.map((i, k) => {
          const v = row[i] ?? null;
          const c = convert[k];
          return c && v !== null ? c(v) : v;
        }),
      );
    };

    type Page = { total: unknown; page: unknown[][]; more: boolean };
    const steps: [string, (p: Page) => unknown][] = [];
    for (const [key, fnodes] of fields) {
      const name = fnodes[0].name.value;
      if (name === '__typename') {
        steps.push([key, () => connType.name]);
      } else if (name === 'totalCount') {
        wantsCount = true;
        steps.push([key, (p) => p.total]);
      } else if (name === 'nodes') {
        wantsRows = true;
        listsNodes = true;
        const row = this.row(read, nodeType, this.subfields(nodeType, fnodes), a, b, shape);
        steps.push([key, (p) => p.page.map(row.build)]);
      } else if (name === 'edges') {
        wantsRows = true;
        listsNodes = true;
        const edgeType = getNamedType(connType.getFields().edges.type) as GraphQLObjectType;
        const edgeSteps: [string, (r: unknown[]) => unknown][] = [];
        for (const [ekey, enodes] of this.subfields(edgeType, fnodes)) {
          const ename = enodes[0].name.value;
          if (ename === '__typename') edgeSteps.push([ekey, () => edgeType.name]);
          else if (ename === 'cursor') {
            cursorValues();
            edgeSteps.push([ekey, cursorOf]);
          } else if (ename === 'node') {
            const row = this.row(read, nodeType, this.subfields(nodeType, enodes), a, b, shape);
            edgeSteps.push([ekey, row.build]);
          } else bail(`edge field ${ename}`);
        }
        steps.push([
          key,
          (p) =>
            p.page.map((r) => {
              const edge: Record<string, unknown> = {};
              for (const [k, s] of edgeSteps) edge[k] = s(r);
              return edge;
            }),
        ]);
      } else if (name === 'pageInfo') {
        wantsRows = true;
        const infoType = getNamedType(connType.getFields().pageInfo.type) as GraphQLObjectType;
        const infoSteps: [string, (p: Page) => unknown][] = [];
        for (const [ikey, inodes] of this.subfields(infoType, fnodes)) {
          const iname = inodes[0].name.value;
          if (iname === '__typename') infoSteps.push([ikey, () => infoType.name]);
          else if (iname === 'hasNextPage') {
            if (forward) wantsMore = true;
            infoSteps.push([ikey, (p) => (forward ? p.more : Boolean(args.before))]);
          } else if (iname === 'hasPreviousPage') {
            if (!forward) wantsMore = true;
            infoSteps.push([ikey, (p) => (forward ? Boolean(args.after) : p.more)]);
          } else if (iname === 'startCursor') {
            cursorValues();
            infoSteps.push([ikey, (p) => (p.page.length ? cursorOf(p.page[0]) : null)]);
          } else if (iname === 'endCursor') {
            cursorValues();
            infoSteps.push([ikey, (p) => (p.page.length ? cursorOf(p.page[p.page.length - 1]) : null)]);
          } else bail(`pageInfo field ${iname}`);
        }
        steps.push([
          key,
          (p) => {
            const info: Record<string, unknown> = {};
            for (const [k, s] of infoSteps) info[k] = s(p);
            return info;
          },
        ]);
      } else bail(`connection field ${name}`);
    }

    const limit = wantsMore ? size + 1 : size;
    const order = orderSql(forward ? ts : reverse(ts), ref);
    const count = wantsCount ? `(select count(*) from ${from} where ${countWhere})` : 'null';
    const rows = wantsRows
      ? `array(select ${shape.sql()} from ${from} where ${where.join(' and ')} order by ${order} limit ${limit})`
      : 'null';
    return {
      sql: `json_build_array(${count}, ${rows})`,
      build: (value) => {
        const v = value as [unknown, unknown[][] | null];
        const all = v[1] ?? [];
        const more = all.length > size;
        const page = more ? all.slice(0, size) : all;
        if (!forward) page.reverse();
        const p: Page = { total: v[0], page, more };
        spent.n += fixedCost + (listsNodes ? page.length : 0);
        const out: Record<string, unknown> = {};
        for (const [key, step] of steps) out[key] = step(p);
        return out;
      },
    };
  }
}

/** A leaf field's value: converted from JSON, then serialised by its GraphQL type like graphql-js. */
function leaf(
  type: GraphQLOutputType,
  convert: ((v: unknown) => unknown) | null,
  i: number,
): (arr: unknown[]) => unknown {
  const nullable = getNullableType(type);
  const required = isNonNullType(type);
  if (isListType(nullable)) {
    const itemType = nullable.ofType as GraphQLOutputType;
    const itemRequired = isNonNullType(itemType);
    const named = getNamedType(itemType) as GraphQLLeafType;
    if (!isLeafType(named) || isListType(getNullableType(itemType))) bail('nested list');
    return (arr) => {
      const v = arr[i];
      if (v === null || v === undefined) return required ? bail('null in a non-null field') : null;
      return (v as unknown[]).map((x) => {
        if (x === null) return itemRequired ? bail('null in a non-null list') : null;
        return named.serialize(convert ? convert(x) : x);
      });
    };
  }
  const named = nullable as GraphQLLeafType;
  if (!isLeafType(named)) bail('not a leaf');
  return (arr) => {
    const v = arr[i];
    if (v === null || v === undefined) return required ? bail('null in a non-null field') : null;
    const out = named.serialize(convert ? convert(v) : v);
    return out === null || out === undefined ? (required ? bail('null in a non-null field') : null) : out;
  };
}

/** A non-null field's null is an error graphql-js reports: the compiled path hands over. */
function nonNull(type: GraphQLOutputType, build: Builder): Builder {
  if (!isNonNullType(type)) return build;
  return (v) => {
    const out = build(v);
    return out === null || out === undefined ? bail('null in a non-null field') : out;
  };
}

import { badInput } from './errors.js';
import { fromGlobalId } from './ids.js';
import type { SqlBuilder } from './db/sql.js';

/** How one filterable field maps onto SQL. One grammar serves every type. */
export type FilterField =
  | { kind: 'string' | 'date' | 'number' | 'decimal' | 'enum' | 'boolean' | 'stringList'; column: string }
  | { kind: 'id'; column: string; type: string }
  /** A to-one relation: `alias.fk` points at `target.id`. */
  | { kind: 'one'; fk: string; target: () => FilterTarget }
  /** A to-many relation: rows of `target` whose `fk` points back at `alias.id`; `some`/`none`/`every`. */
  | { kind: 'many'; fk: string; target: () => FilterTarget }
  /** Many-to-many through a join table: `fk` → alias.id, `targetFk` → target.id; `some`/`none`/`every`. */
  | { kind: 'through'; through: string; fk: string; targetFk: string; target: () => FilterTarget };

export interface FilterTarget {
  table: string;
  typeName: string;
  softDelete: boolean;
  filters: Record<string, FilterField>;
}

type Input = Record<string, unknown>;

export const DECIMAL = /^-?\d{1,15}(\.\d{1,4})?$/;

/** A value matched literally by LIKE/ILIKE (its %, _ and \\ escaped). */
export const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

function entries(obj: unknown): [string, unknown][] {
  return Object.entries((obj ?? {}) as Input).filter(([, v]) => v !== undefined);
}

/**
 * Compiles a typed `filter` input (`and`/`or`/`not` plus per-field operators) into a
 * SQL boolean expression over `alias`. Unknown shapes are refused, never ignored.
 */
export function compileFilter(
  b: SqlBuilder,
  target: FilterTarget,
  alias: string,
  filter: unknown,
  path = 'filter',
): string {
  const parts: string[] = [];
  for (const [key, value] of entries(filter)) {
    const at = `${path}.${key}`;
    if (value === null) throw badInput(at, 'must not be null.');
    if (key === 'and' || key === 'or') {
      const list = value as unknown[];
      if (list.length === 0) continue;
      const compiled = list.map((f, i) => `(${compileFilter(b, target, alias, f, `${at}[${i}]`)})`);
      parts.push(`(${compiled.join(key === 'and' ? ' and ' : ' or ')})`);
      continue;
    }
    if (key === 'not') {
      parts.push(`not coalesce((${compileFilter(b, target, alias, value, at)}), false)`);
      continue;
    }
    const field = target.filters[key];
    if (!field) throw badInput(at, 'is not a filterable field.');
    parts.push(compileField(b, field, alias, value as Input, at));
  }
  return parts.length ? parts.join(' and ') : 'true';
}

function compileField(b: SqlBuilder, field: FilterField, alias: string, ops: Input, path: string): string {
  if (field.kind === 'one') {
    const t = field.target();
    const a = b.alias();
    const inner = compileFilter(b, t, a, ops, path);
    return `exists (select 1 from ${t.table} ${a} where ${a}.id = ${alias}.${field.fk} and ${a}.organization_id = ${alias}.organization_id${t.softDelete ? ` and ${a}.deleted_at is null` : ''} and ${inner})`;
  }
  if (field.kind === 'many' || field.kind === 'through') {
    const t = field.target();
    const parts: string[] = [];
    for (const [op, value] of entries(ops)) {
      const a = b.alias();
      const live = t.softDelete ? ` and ${a}.deleted_at is null` : '';
      let base: string;
      if (field.kind === 'many') {
        base = `select 1 from ${t.table} ${a} where ${a}.${field.fk} = ${alias}.id and ${a}.organization_id = ${alias}.organization_id${live}`;
      } else {
        const j = b.alias('j');
        base =
          `select 1 from ${field.through} ${j} join ${t.table} ${a} on ${a}.id = ${j}.${field.targetFk}` +
          ` and ${a}.organization_id = ${j}.organization_id where ${j}.${field.fk} = ${alias}.id` +
          ` and ${j}.organization_id = ${alias}.organization_id${live}`;
      }
      const inner = compileFilter(b, t, a, value, `${path}.${op}`);
      if (op === 'some') parts.push(`exists (${base} and ${inner})`);
      else if (op === 'none') parts.push(`not exists (${base} and ${inner})`);
      else if (op === 'every') parts.push(`not exists (${base} and not coalesce((${inner}), false))`);
      else throw badInput(`${path}.${op}`, 'is not a relation operator (some, none, every).');
    }
    return parts.length ? parts.join(' and ') : 'true';
  }
  const col = `${alias}.${field.column}`;
  // A boolean field is filtered by the value itself (`isDefault: true`), not by operators.
  if (field.kind === 'boolean') {
    if (typeof ops !== 'boolean') throw badInput(path, 'must be true or false.');
    return `${col} = ${b.param(ops)}`;
  }
  const parts: string[] = [];
  const ignoreCase = field.kind === 'string' && ops.ignoreCase === true;
  const lhs = ignoreCase ? `lower(${col})` : col;
  const val = (v: unknown, op: string): unknown => {
    if (field.kind === 'id') {
      return fromGlobalId(v as string, field.type, `${path}.${op}`);
    }
    if (field.kind === 'decimal' && !DECIMAL.test(String(v))) {
      throw badInput(`${path}.${op}`, `"${String(v)}" is not a decimal number.`);
    }
    if (ignoreCase && typeof v === 'string') return v.toLowerCase();
    return v;
  };
  // List lengths are bounded before execution (graphql/input-bounds.ts).
  const list = (v: unknown, op: string): unknown[] => (v as unknown[]).map((x, i) => val(x, `${op}[${i}]`));
  const arrayType =
    field.kind === 'id'
      ? 'uuid[]'
      : field.kind === 'number' || field.kind === 'decimal'
        ? 'numeric[]'
        : 'text[]';
  for (const [op, v] of entries(ops)) {
    if (op === 'ignoreCase') continue;
    if (v === null) throw badInput(`${path}.${op}`, 'must not be null; use isNull to match missing values.');
    switch (op) {
      case 'eq':
        parts.push(`${lhs} = ${b.param(val(v, op))}`);
        break;
      case 'neq':
        parts.push(`${lhs} is distinct from ${b.param(val(v, op))}`);
        break;
      case 'in':
        parts.push(`${lhs} = any(${b.param(list(v, op))}::${arrayType})`);
        break;
      case 'notIn':
        parts.push(`(${lhs} = any(${b.param(list(v, op))}::${arrayType})) is not true`);
        break;
      case 'gt':
        parts.push(`${col} > ${b.param(val(v, op))}`);
        break;
      case 'gte':
        parts.push(`${col} >= ${b.param(val(v, op))}`);
        break;
      case 'lt':
        parts.push(`${col} < ${b.param(val(v, op))}`);
        break;
      case 'lte':
        parts.push(`${col} <= ${b.param(val(v, op))}`);
        break;
      case 'contains':
        parts.push(`${col} ${ignoreCase ? 'ilike' : 'like'} ${b.param(`%${escapeLike(v as string)}%`)}`);
        break;
      case 'startsWith':
        parts.push(`${col} ${ignoreCase ? 'ilike' : 'like'} ${b.param(`${escapeLike(v as string)}%`)}`);
        break;
      case 'endsWith':
        parts.push(`${col} ${ignoreCase ? 'ilike' : 'like'} ${b.param(`%${escapeLike(v as string)}`)}`);
        break;
      case 'isNull':
        parts.push(v ? `${col} is null` : `${col} is not null`);
        break;
      case 'has':
        parts.push(`${col} @> array[${b.param(v)}]::text[]`);
        break;
      case 'hasAny':
        parts.push(`${col} && ${b.param(v)}::text[]`);
        break;
      case 'hasAll':
        parts.push(`${col} @> ${b.param(v)}::text[]`);
        break;
      case 'isEmpty':
        parts.push(v ? `cardinality(${col}) = 0` : `cardinality(${col}) > 0`);
        break;
      default:
        throw badInput(`${path}.${op}`, 'is not a known operator.');
    }
  }
  return parts.length ? parts.join(' and ') : 'true';
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  astFromValue,
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  print,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Random GraphQL reads generated from the schema (schema/schema.graphql) for differential tests:
 * the same seed gives the same queries, given the same answers (cursors are taken from earlier
 * responses). Every generated document is valid GraphQL; some are meant to fail on their input
 * (`expectError`), e.g. `first: 101` or a cursor of another orderBy.
 */

/** The schema as clients see it (the committed SDL, which schema-drift.test.ts keeps current). */
export function loadSchema(): GraphQLSchema {
  return buildSchema(readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));
}

/** mulberry32: a small, fast, seeded PRNG (uniform floats in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** An integer in lo..hi (both included). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Between min and max distinct items, in random order. */
  some<T>(items: readonly T[], min: number, max: number): T[] {
    const n = Math.min(items.length, this.int(min, max));
    return this.shuffle(items).slice(0, n);
  }

  /** A random UUID (v4 layout) from this generator, so ids of missing rows are reproducible. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = '8';
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

const globalId = (type: string, pk: string) => Buffer.from(`${type}:${pk}`).toString('base64url');

// --- the schema's shapes ----------------------------------------------------------------------

export const isConnection = (t: unknown): boolean =>
  isObjectType(t) && t.name.endsWith('Connection') && 'pageInfo' in t.getFields() && 'nodes' in t.getFields();

/** An object type implementing Node: a record with a global id. */
export const isRecord = (t: unknown): t is GraphQLObjectType =>
  isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node');

export const nodeTypeOf = (conn: GraphQLObjectType) =>
  getNamedType(conn.getFields().nodes.type) as GraphQLObjectType;

type Field = GraphQLField<unknown, unknown>;

const hasRequiredArgs = (f: Field) =>
  f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);

interface Shape {
  /** Scalars, enums and lists of them. */
  leaves: Field[];
  /** A record, e.g. Contact.company, Deal.stage. */
  toOne: Field[];
  /** A connection, e.g. Company.contacts. */
  toMany: Field[];
  /** Any other object or list of objects (hand-written fields such as Deal.stageHistory, Campaign.stats). */
  others: Field[];
}

function shapeOf(type: GraphQLObjectType): Shape {
  const s: Shape = { leaves: [], toOne: [], toMany: [], others: [] };
  for (const f of Object.values(type.getFields())) {
    if (hasRequiredArgs(f)) continue;
    const named = getNamedType(f.type);
    if (isLeafType(named)) s.leaves.push(f);
    else if (isConnection(named)) s.toMany.push(f);
    else if (isRecord(named) && !isListType(isNonNullType(f.type) ? f.type.ofType : f.type)) s.toOne.push(f);
    else if (isObjectType(named)) s.others.push(f);
  }
  return s;
}

/** Leaf fields of `type` as a selection (the `others` fields' selections, the dump). */
function leavesOf(type: GraphQLObjectType): string {
  return shapeOf(type)
    .leaves.map((f) => f.name)
    .join(' ');
}

// --- pools of real values, from a dump of the data ---------------------------------------------

export interface Pools {
  /** Global ids of the organisation's records by type (soft-deleted ones included). */
  ids: Map<string, string[]>;
  /** Global ids of another organisation's records by type (never visible). */
  foreign: Map<string, string[]>;
  /** Values seen per type and field (list items flattened; nulls left out). */
  values: Map<string, Map<string, unknown[]>>;
}

/**
 * A query reading every record of the organisation (admin key): each root list with its
 * scalar fields, the ids of its to-one relations and the scalar fields of its to-many ones.
 */
export function dumpQuery(schema: GraphQLSchema): string {
  const query = schema.getQueryType() as GraphQLObjectType;
  const parts: string[] = [];
  for (const f of Object.values(query.getFields())) {
    const conn = getNamedType(f.type) as GraphQLObjectType;
    if (!isConnection(conn)) continue;
    const type = nodeTypeOf(conn);
    const s = shapeOf(type);
    const inner = [
      leavesOf(type),
      ...s.toOne.map((r) => `${r.name} { id }`),
      ...s.toMany.map(
        (r) =>
          `${r.name}(first: 100) { nodes { ${leavesOf(nodeTypeOf(getNamedType(r.type) as GraphQLObjectType))} } }`,
      ),
      ...s.others
        .filter((o) => isRecord(getNamedType(o.type)))
        .map((o) => `${o.name} { ${leavesOf(getNamedType(o.type) as GraphQLObjectType)} }`),
    ];
    const args = f.args.some((a) => a.name === 'includeDeleted')
      ? 'first: 100, includeDeleted: true'
      : 'first: 100';
    parts.push(`${f.name}(${args}) { nodes { ${inner.join(' ')} } }`);
  }
  return `{ ${parts.join(' ')} }`;
}

/** Adds a dump's records (the answer to `dumpQuery`) to pools. */
export function addToPools(
  schema: GraphQLSchema,
  data: unknown,
  pools: Pools,
  into: 'ids' | 'foreign',
): void {
  const add = <K, V>(map: Map<K, V[]>, key: K, v: V) => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    if (!list.includes(v)) list.push(v);
  };
  const walk = (value: unknown, type: GraphQLObjectType) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, type);
      return;
    }
    const obj = value as Record<string, unknown>;
    if (isConnection(type)) {
      walk(obj.nodes, nodeTypeOf(type));
      return;
    }
    const fields = type.getFields();
    for (const [key, v] of Object.entries(obj)) {
      const f = fields[key];
      const named = getNamedType(f.type);
      if (isObjectType(named)) {
        walk(v, named);
        continue;
      }
      if (key === 'id' && isRecord(type)) {
        add(pools[into], type.name, v as string);
        continue;
      }
      if (into === 'foreign') continue;
      let byField = pools.values.get(type.name);
      if (!byField) pools.values.set(type.name, (byField = new Map()));
      for (const item of Array.isArray(v) ? v : [v]) if (item !== null) add(byField, key, item);
    }
  };
  walk(data, schema.getQueryType() as GraphQLObjectType);
}

// --- the generator -----------------------------------------------------------------------------

/** Where a connection sits in a response, to collect its cursors for later `after`/`before`. */
export interface Harvest {
  /** Response keys from `data`; arrays on the way are walked item by item. */
  path: string[];
  edges?: string;
  cursor?: string;
  pageInfo?: string;
  start?: string;
  end?: string;
  /** The node type and orderBy the cursors belong to. */
  pool: string;
}

export interface Generated {
  query: string;
  variables: Record<string, unknown>;
  key: 'admin' | 'read';
  /**
   * Null for a read meant to succeed; else the error it is meant to cause (an input error such
   * as `first: 101`, or NOT_FOUND for a by-id read of a record that is not visible).
   */
  expectError: string | null;
  harvests: Harvest[];
  /** Relations followed from a root record to the deepest one selected (root lists and by-id: 0). */
  depth: number;
}

const INVALID = [
  'first over 100',
  'first and last',
  'last below 0',
  'garbage cursor',
  'cursor of another orderBy',
  'includeDeleted with a read key',
  'bad filter value',
  'too many orderBy terms',
] as const;
type Invalid = (typeof INVALID)[number];

/** Root fields outside the record types that read the same for every caller and every time. */
const STABLE_ROOTS = ['plans', 'customFieldDefinitions'];

interface Opts {
  /** Alias every field but `__typename` and some `id`s (inside `... on T` of node/nodes, where types meet). */
  aliasAll: boolean;
  /** Only leaves, `__typename` and fragments (a repeated to-one field, merged with the first). */
  leavesOnly: boolean;
}

export class QueryGenerator {
  private readonly rng: Rng;
  private readonly query: GraphQLObjectType;
  private readonly listRoots: Field[];
  private readonly byIdRoots: Field[];
  private readonly stableRoots: Field[];
  private readonly recordTypes: GraphQLObjectType[];
  private readonly cursors = new Map<string, string[]>();

  // One query's state.
  private vars: { name: string; type: string; value: unknown }[] = [];
  private fragments: { name: string; on: string; text: string; reuse: string }[] = [];
  private harvests: Harvest[] = [];
  private seq = 0;
  private budget = 0;
  private invalid: Invalid | null = null;
  private notFound = false;
  private key: 'admin' | 'read' = 'admin';
  private depth = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly pools: Pools,
    seed: number,
  ) {
    this.rng = new Rng(seed);
    this.query = schema.getQueryType() as GraphQLObjectType;
    const roots = Object.values(this.query.getFields());
    this.listRoots = roots.filter((f) => isConnection(getNamedType(f.type)));
    this.byIdRoots = roots.filter(
      (f) => f.args.length === 1 && f.args[0].name === 'id' && isRecord(getNamedType(f.type)),
    );
    this.stableRoots = roots.filter((f) => STABLE_ROOTS.includes(f.name));
    this.recordTypes = Object.values(schema.getTypeMap()).filter(
      (t): t is GraphQLObjectType => isRecord(t) && (pools.ids.get(t.name)?.length ?? 0) > 0,
    );
  }

  /** Remembers the cursors of a response to `g` (its data), for later queries' after/before. */
  harvest(g: Generated, data: unknown): void {
    for (const h of g.harvests) {
      let at: unknown[] = [data];
      for (const key of h.path) {
        const next: unknown[] = [];
        for (const v of at) {
          const child = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
          if (Array.isArray(child)) next.push(...child);
          else if (child !== undefined && child !== null) next.push(child);
        }
        at = next;
      }
      const found: string[] = [];
      for (const conn of at as Record<string, unknown>[]) {
        if (h.edges && h.cursor) {
          for (const e of (conn[h.edges] as Record<string, unknown>[] | undefined) ?? []) {
            found.push(e[h.cursor] as string);
          }
        }
        const info = h.pageInfo ? (conn[h.pageInfo] as Record<string, unknown> | undefined) : undefined;
        if (info && h.start && info[h.start]) found.push(info[h.start] as string);
        if (info && h.end && info[h.end]) found.push(info[h.end] as string);
      }
      let pool = this.cursors.get(h.pool);
      if (!pool) this.cursors.set(h.pool, (pool = []));
      for (const c of found) if (typeof c === 'string' && !pool.includes(c) && pool.length < 40) pool.push(c);
    }
  }

  next(): Generated {
    const rng = this.rng;
    this.vars = [];
    this.fragments = [];
    this.harvests = [];
    this.budget = 5;
    this.notFound = false;
    this.depth = 0;
    const invalid = rng.chance(0.1) ? rng.pick(INVALID) : null;
    this.invalid = invalid;
    this.key = invalid === 'includeDeleted with a read key' || rng.chance(0.35) ? 'read' : 'admin';

    const used = new Map<string, string>();
    const parts: string[] = [];
    const n = invalid ? 1 : rng.pick([1, 1, 1, 1, 1, 1, 2, 2, 3]);
    for (let i = 0; i < n; i++) parts.push(this.rootField(used, invalid !== null));
    if (rng.chance(0.08)) parts.push(`__typename${this.directive()}`);
    if (!invalid && rng.chance(0.02)) {
      const f = rng.pick(this.stableRoots);
      parts.push(`${f.name} { ${leavesOf(getNamedType(f.type) as GraphQLObjectType)} }`);
    }
    const fragments = this.fragments.map((f) => `fragment ${f.name} on ${f.on} { ${f.text} }`);
    const header = this.vars.length
      ? `query Q${++this.seq}(${this.vars.map((v) => `$${v.name}: ${v.type}`).join(', ')}) `
      : rng.chance(0.5)
        ? 'query '
        : '';
    return {
      query: [`${header}{ ${rng.shuffle(parts).join(' ')} }`, ...fragments].join('\n'),
      variables: Object.fromEntries(this.vars.map((v) => [v.name, v.value])),
      key: this.key,
      expectError: invalid ?? (this.notFound ? 'NOT_FOUND' : null),
      harvests: this.harvests,
      depth: this.depth,
    };
  }

  // --- names, variables, directives ---

  private alias(): string {
    return `a${++this.seq}`;
  }

  /** An argument as a literal or a variable (declared with the argument's type). */
  private arg(name: string, type: GraphQLInputType, value: unknown): string {
    if (this.rng.chance(0.5)) {
      const v = `v${++this.seq}`;
      this.vars.push({ name: v, type: String(type), value });
      return `${name}: $${v}`;
    }
    const ast = astFromValue(value, type);
    if (!ast) throw new Error(`no literal for ${JSON.stringify(value)} of ${String(type)}`);
    return `${name}: ${print(ast)}`;
  }

  private directive(p = 0.08): string {
    const rng = this.rng;
    if (!rng.chance(p)) return '';
    const name = rng.pick(['include', 'skip']);
    if (rng.chance(0.3)) return ` @${name}(if: ${rng.pick(['true', 'false'])})`;
    const v = `b${++this.seq}`;
    this.vars.push({ name: v, type: 'Boolean!', value: rng.chance(0.5) });
    return ` @${name}(if: $${v})`;
  }

  // --- roots ---

  private rootField(used: Map<string, string>, forceList: boolean): string {
    const rng = this.rng;
    const r = forceList ? 0 : rng.float();
    if (r < 0.58) {
      const f = rng.pick(this.listRoots);
      return this.connectionField(f, -1, [], { aliasAll: false, leavesOnly: false }, used, true);
    }
    if (r < 0.8) {
      const f = rng.pick(this.byIdRoots);
      const type = getNamedType(f.type) as GraphQLObjectType;
      const key = used.has(f.name) || rng.chance(0.3) ? this.alias() : f.name;
      used.set(key, f.name);
      let id: string;
      // At most one root field per query fails: with two, graphql-js reports whichever fails first.
      const k = this.notFound ? 0 : rng.float();
      const missing = k >= 0.86;
      if (!missing) id = rng.pick(this.pools.ids.get(type.name) ?? ['none']);
      else {
        this.notFound = true;
        if (k < 0.93) id = rng.pick(this.pools.foreign.get(type.name) ?? ['none']);
        else if (k < 0.96) id = globalId(type.name, rng.uuid());
        else if (k < 0.98) {
          const other = rng.pick(this.recordTypes.filter((t) => t !== type));
          id = rng.pick(this.pools.ids.get(other.name) ?? ['none']);
        } else id = rng.pick(['garbage', globalId(type.name, 'not-a-uuid')]);
      }
      const sel = this.objectSelection(type, 0, [key], { aliasAll: false, leavesOnly: false }, new Map());
      const head = key === f.name ? f.name : `${key}: ${f.name}`;
      const directive = missing ? '' : this.directive(0.05);
      return `${head}(${this.arg('id', f.args[0].type, id)})${directive} { ${sel} }`;
    }
    const many = r >= 0.92;
    const field = this.query.getFields()[many ? 'nodes' : 'node'];
    const key = used.has(field.name) || rng.chance(0.3) ? this.alias() : field.name;
    used.set(key, field.name);
    const ids = many ? Array.from({ length: rng.int(0, 6) }, () => this.anyId()) : [this.anyId()];
    const types = new Set<GraphQLObjectType>();
    for (const id of ids) {
      const name = Buffer.from(id, 'base64url').toString('utf8').split(':')[0];
      const t = this.schema.getType(name);
      if (isRecord(t) && rng.chance(0.85)) types.add(t);
    }
    if (rng.chance(0.3)) types.add(rng.pick(this.recordTypes));
    const sel: string[] = [];
    // Often neither id nor __typename: the type is then known from the id argument alone.
    if (rng.chance(0.5)) sel.push(`id${this.directive()}`);
    if (rng.chance(0.45)) sel.push('__typename');
    if (rng.chance(0.15)) sel.push(`... on Node { id }`);
    const inner = new Map<string, string>([
      ['id', 'id'],
      ['__typename', '__typename'],
    ]);
    for (const t of types) {
      const s = this.objectSelection(t, 0, [key], { aliasAll: true, leavesOnly: false }, inner);
      sel.push(`... on ${t.name}${this.directive(0.05)} { ${s} }`);
    }
    if (!sel.length) sel.push('id');
    const arg = many ? this.arg('ids', field.args[0].type, ids) : this.arg('id', field.args[0].type, ids[0]);
    const head = key === field.name ? field.name : `${key}: ${field.name}`;
    return `${head}(${arg}) { ${rng.shuffle(sel).join(' ')} }`;
  }

  /** An id for node/nodes: mostly a visible record, else another organisation's, a missing or a malformed one. */
  private anyId(): string {
    const rng = this.rng;
    const type = rng.pick(this.recordTypes).name;
    const k = rng.float();
    if (k < 0.75) return rng.pick(this.pools.ids.get(type) ?? ['none']);
    if (k < 0.85) return rng.pick(this.pools.foreign.get(type) ?? ['none']);
    if (k < 0.92) return globalId(type, rng.uuid());
    if (k < 0.96) return globalId('Plan', rng.uuid());
    return rng.pick(['garbage', '', globalId(type, 'not-a-uuid')]);
  }

  // --- objects ---

  private objectSelection(
    type: GraphQLObjectType,
    depth: number,
    path: string[],
    opts: Opts,
    used: Map<string, string>,
  ): string {
    const rng = this.rng;
    const s = shapeOf(type);
    const parts: string[] = [];
    if (!opts.leavesOnly || path.length) this.depth = Math.max(this.depth, depth);
    for (const f of rng.some(s.leaves, 1, 5)) parts.push(this.leaf(f.name, opts, used));
    if (rng.chance(0.15)) parts.push(`__typename${this.directive()}`);
    if (!opts.leavesOnly && depth < 3) {
      if (s.toOne.length && rng.chance(0.45 - 0.1 * depth)) {
        for (const f of rng.some(s.toOne, 1, 2)) parts.push(this.toOne(f, depth, path, opts, used));
      }
      if (s.toMany.length && rng.chance(0.4 - 0.1 * depth)) {
        for (const f of rng.some(s.toMany, 1, 2)) {
          if (this.budget <= 0) break;
          parts.push(this.connectionField(f, depth, path, opts, used, false));
          if (this.budget > 0 && rng.chance(0.12)) {
            // The same connection again under another alias, with other arguments.
            parts.push(this.connectionField(f, depth, path, { ...opts, aliasAll: true }, used, false));
          }
        }
      }
    }
    if (!opts.leavesOnly && s.others.length && rng.chance(0.03)) {
      // A hand-written field: the whole operation is answered by graphql-js.
      const f = rng.pick(s.others);
      const named = getNamedType(f.type) as GraphQLObjectType;
      const key = this.alias();
      used.set(key, f.name);
      parts.push(`${key}: ${f.name} { ${leavesOf(named) || '__typename'} }`);
    }
    if (rng.chance(0.12)) {
      const on = rng.pick([type.name, type.name, 'Node', null]);
      const inner =
        on === 'Node'
          ? rng.pick(['id', '__typename', 'id __typename'])
          : this.objectSelection(type, depth, path, opts, used);
      parts.push(`...${on ? ` on ${on}` : ''}${this.directive(0.3)} { ${inner} }`);
    }
    if (rng.chance(0.1)) parts.push(`...${this.namedFragment(type, opts, used)}${this.directive(0.2)}`);
    return rng.shuffle(parts).join(' ');
  }

  private leaf(name: string, opts: Opts, used: Map<string, string>): string {
    let key = name;
    if ((opts.aliasAll && (name !== 'id' || this.rng.chance(0.5))) || this.rng.chance(0.12))
      key = this.alias();
    used.set(key, name);
    return `${key === name ? name : `${key}: ${name}`}${this.directive()}`;
  }

  private toOne(f: Field, depth: number, path: string[], opts: Opts, used: Map<string, string>): string {
    const type = getNamedType(f.type) as GraphQLObjectType;
    const key = opts.aliasAll || this.rng.chance(0.1) ? this.alias() : f.name;
    // A field already selected under this key is merged with it: only leaves, which always merge.
    const again = used.has(key);
    used.set(key, f.name);
    const sel = this.objectSelection(
      type,
      depth + 1,
      [...path, key],
      { aliasAll: false, leavesOnly: opts.leavesOnly || again },
      new Map(),
    );
    return `${key === f.name ? f.name : `${key}: ${f.name}`}${this.directive()} { ${sel} }`;
  }

  /** A fragment of leaves and leaf-only relations (it merges with anything): new, or one made before. */
  private namedFragment(type: GraphQLObjectType, opts: Opts, used: Map<string, string>): string {
    const rng = this.rng;
    const on = rng.chance(0.2) ? 'Node' : type.name;
    const reuse = `${on}|${opts.aliasAll}`;
    const old = this.fragments.filter((f) => f.reuse === reuse);
    if (old.length && rng.chance(0.4)) return rng.pick(old).name;
    const name = `F${++this.seq}`;
    const text =
      on === 'Node'
        ? rng.pick(['id', 'id __typename', '__typename'])
        : this.objectSelection(type, 3, [], { aliasAll: opts.aliasAll, leavesOnly: true }, used);
    this.fragments.push({ name, on, text: text || '__typename', reuse });
    return name;
  }

  // --- connections ---

  private connectionField(
    f: Field,
    depth: number,
    path: string[],
    opts: Opts,
    used: Map<string, string>,
    root: boolean,
  ): string {
    this.budget--;
    const rng = this.rng;
    const conn = getNamedType(f.type) as GraphQLObjectType;
    const node = nodeTypeOf(conn);
    const key = opts.aliasAll || used.has(f.name) || rng.chance(0.15) ? this.alias() : f.name;
    used.set(key, f.name);
    // The field meant to fail is never skipped.
    const directive = this.invalid ? '' : this.directive(0.05);
    const { text, pool } = this.connectionArgs(f, node.name, root, depth);
    const body = this.connectionBody(node, depth + 1, [...path, key], pool);
    return `${key === f.name ? '' : `${key}: `}${f.name}${text}${directive} { ${body} }`;
  }

  private connectionArgs(
    f: Field,
    node: string,
    root: boolean,
    depth: number,
  ): { text: string; pool: string } {
    const rng = this.rng;
    const args = new Map(f.args.map((a) => [a.name, a]));
    const values = new Map<string, unknown>();
    const orderArg = args.get('orderBy');
    let orderBy: unknown[] | undefined;
    if (orderArg && rng.chance(0.4)) orderBy = this.orderBy(orderArg.type, rng.int(1, 2));
    const pool = `${node}|${JSON.stringify(orderBy ?? null)}`;
    const r = rng.float();
    // Nested lists mostly get a small page: 20 (the default) per parent adds up.
    if (r < 0.6 || (depth >= 0 && r < 0.75)) values.set('first', rng.int(0, 12));
    else if (r < 0.85) values.set('last', rng.int(0, 12));
    const cursors = this.cursors.get(pool);
    if (cursors?.length && rng.chance(0.3)) {
      if (values.has('last')) values.set('before', rng.pick(cursors));
      else values.set('after', rng.pick(cursors));
      if (rng.chance(0.15)) values.set(values.has('after') ? 'before' : 'after', rng.pick(cursors));
    }
    if (rng.chance(0.35)) {
      const filterArg = args.get('filter');
      if (filterArg) values.set('filter', this.filter(filterArg.type as GraphQLInputObjectType, 0));
    }
    if (root && args.has('includeDeleted') && this.key === 'admin' && rng.chance(0.15)) {
      values.set('includeDeleted', rng.chance(0.8));
    }
    if (orderBy) values.set('orderBy', orderBy);
    if (this.invalid) {
      this.breakArgs(this.invalid, values, args, node, pool);
      this.invalid = null;
    }
    const printed = rng
      .shuffle([...values.entries()])
      .map(([name, value]) => this.arg(name, (args.get(name) as { type: GraphQLInputType }).type, value));
    return { text: printed.length ? `(${printed.join(', ')})` : '', pool };
  }

  private breakArgs(
    kind: Invalid,
    values: Map<string, unknown>,
    args: Map<string, { type: GraphQLInputType }>,
    node: string,
    pool: string,
  ): void {
    const rng = this.rng;
    switch (kind) {
      case 'first over 100':
        values.delete('last');
        values.set('first', 101);
        break;
      case 'first and last':
        values.set('first', rng.int(1, 5));
        values.set('last', rng.int(1, 5));
        break;
      case 'last below 0':
        values.delete('first');
        values.set('last', -1);
        break;
      case 'garbage cursor':
        values.set(
          rng.pick(['after', 'before']),
          rng.pick([
            'garbage',
            Buffer.from('{"a":1}').toString('base64url'),
            Buffer.from('[]').toString('base64url'),
            Buffer.from('["x",1]').toString('base64url'),
          ]),
        );
        break;
      case 'cursor of another orderBy': {
        const others = [...this.cursors.entries()].filter(([k, v]) => k !== pool && v.length);
        const sameType = others.filter(([k]) => k.startsWith(`${node}|`));
        const from = sameType.length ? sameType : others;
        values.set('after', from.length ? rng.pick(rng.pick(from)[1]) : 'garbage');
        break;
      }
      case 'includeDeleted with a read key':
        if (args.has('includeDeleted')) values.set('includeDeleted', true);
        else values.set('first', 101);
        break;
      case 'bad filter value': {
        const filter = args.get('filter')?.type as GraphQLInputObjectType | undefined;
        const fields = filter ? filter.getFields() : {};
        if ('amount' in fields) values.set('filter', { amount: { gt: rng.pick(['1e5', 'abc', '1.23456']) } });
        else if ('id' in fields)
          values.set('filter', { id: { eq: rng.pick(['garbage', globalId('Plan', 'x')]) } });
        else values.set('first', 101);
        break;
      }
      case 'too many orderBy terms': {
        const orderArg = args.get('orderBy');
        if (orderArg) values.set('orderBy', this.orderBy(orderArg.type, 6, true));
        else values.set('first', 101);
        break;
      }
    }
  }

  private orderBy(listType: GraphQLInputType, n: number, repeat = false): unknown[] {
    const rng = this.rng;
    const input = getNamedType(listType) as GraphQLInputObjectType;
    const fields = input.getFields();
    const fieldEnum = getNamedType(fields.field.type);
    if (!isEnumType(fieldEnum)) throw new Error(`${input.name}.field is not an enum`);
    const names = fieldEnum.getValues().map((v) => v.name);
    const chosen = repeat ? Array.from({ length: n }, () => rng.pick(names)) : rng.some(names, n, n);
    return chosen.map((field) => {
      const term: Record<string, unknown> = { field };
      if (rng.chance(0.7)) term.direction = rng.pick(['ASC', 'DESC']);
      if (rng.chance(0.45)) term.nulls = rng.pick(['FIRST', 'LAST']);
      return term;
    });
  }

  private connectionBody(node: GraphQLObjectType, depth: number, path: string[], pool: string): string {
    const rng = this.rng;
    const parts: string[] = [];
    const h: Harvest = { path, pool };
    const keyOf = (name: string) => (rng.chance(0.1) ? this.alias() : name);
    const field = (key: string, name: string) => (key === name ? name : `${key}: ${name}`);
    if (rng.chance(0.5)) parts.push(`${field(keyOf('totalCount'), 'totalCount')}${this.directive()}`);
    if (rng.chance(0.45)) {
      const key = keyOf('pageInfo');
      const sub = rng.some(
        ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', '__typename'],
        1,
        5,
      );
      const inner = sub.map((name) => {
        const k = keyOf(name);
        if (name === 'startCursor') h.start = k;
        if (name === 'endCursor') h.end = k;
        return field(k, name);
      });
      h.pageInfo = key;
      parts.push(`${field(key, 'pageInfo')} { ${inner.join(' ')} }`);
    }
    if (rng.chance(0.5)) {
      const key = keyOf('edges');
      const inner: string[] = [];
      if (rng.chance(0.75)) {
        h.cursor = keyOf('cursor');
        inner.push(field(h.cursor, 'cursor'));
      }
      if (!inner.length || rng.chance(0.7)) {
        const nodeKey = keyOf('node');
        const sel = this.objectSelection(node, depth, [...path, key, nodeKey], this.plain(), new Map());
        inner.push(`${field(nodeKey, 'node')} { ${sel} }`);
      }
      if (rng.chance(0.1)) inner.push('__typename');
      h.edges = key;
      parts.push(`${field(key, 'edges')} { ${rng.shuffle(inner).join(' ')} }`);
    }
    if (!parts.length || rng.chance(0.55)) {
      const key = keyOf('nodes');
      const sel = this.objectSelection(node, depth, [...path, key], this.plain(), new Map());
      parts.push(`${field(key, 'nodes')} { ${sel} }`);
      if (rng.chance(0.05)) {
        // The same list twice, under another key and with other fields.
        const again = this.alias();
        const sel2 = this.objectSelection(node, 3, [...path, again], this.plain(), new Map());
        parts.push(`${again}: nodes { ${sel2} }`);
      }
    }
    if (rng.chance(0.08)) parts.push('__typename');
    this.harvests.push(h);
    return rng.shuffle(parts).join(' ');
  }

  private plain(): Opts {
    return { aliasAll: false, leavesOnly: false };
  }

  // --- filters ---

  /** A filter of `type` (e.g. ContactFilter) with values taken from the data. */
  private filter(type: GraphQLInputObjectType, depth: number): Record<string, unknown> {
    const rng = this.rng;
    const record = type.name.replace(/Filter$/, '');
    const fields = type.getFields();
    const out: Record<string, unknown> = {};
    const names = Object.keys(fields).filter((n) => depth < 2 || !['and', 'or', 'not'].includes(n));
    for (const name of rng.some(names, 1, depth ? 1 : 2)) {
      const ftype = getNamedType(fields[name].type);
      if (name === 'and' || name === 'or') {
        out[name] = Array.from({ length: rng.int(1, 2) }, () => this.filter(type, depth + 1));
      } else if (name === 'not') {
        out[name] = this.filter(type, depth + 1);
      } else if (isInputObjectType(ftype) && ftype.name.endsWith('RelationFilter')) {
        const op = rng.pick(['some', 'none', 'every']);
        const target = getNamedType(ftype.getFields()[op].type) as GraphQLInputObjectType;
        out[name] = { [op]: depth < 2 ? this.filter(target, depth + 1) : {} };
      } else if (isInputObjectType(ftype) && 'and' in ftype.getFields()) {
        // A to-one relation: conditions on the related record.
        out[name] = depth < 2 ? this.filter(ftype, depth + 1) : {};
      } else if (isInputObjectType(ftype)) {
        out[name] = this.operators(record, name, ftype);
      } else {
        out[name] = rng.chance(0.5);
      }
    }
    return out;
  }

  /** Operators of an operator filter (StringFilter, IntFilter, IdFilter, …) on `record.field`. */
  private operators(record: string, field: string, type: GraphQLInputObjectType): Record<string, unknown> {
    const rng = this.rng;
    const ops = type.getFields();
    const names = Object.keys(ops).filter((n) => n !== 'ignoreCase');
    const out: Record<string, unknown> = {};
    const scalar = getNamedType(ops.eq?.type ?? ops.has?.type);
    const values = this.sample(record, field, scalar.name);
    const one = () => this.mutate(rng.pick(values), scalar.name);
    for (const op of rng.some(names, 1, 2)) {
      if (op === 'isNull' || op === 'isEmpty') out[op] = rng.chance(0.5);
      else if (op === 'in' || op === 'notIn' || op === 'hasAny' || op === 'hasAll') {
        out[op] = Array.from({ length: rng.int(1, 3) }, one);
      } else if (op === 'contains' || op === 'startsWith' || op === 'endsWith') {
        const v = String(rng.pick(values));
        const start = rng.int(0, Math.max(0, v.length - 1));
        out[op] = v.slice(start, start + rng.int(1, 4)) || rng.pick(['%', '_', 'a']);
      } else out[op] = one();
    }
    if ('ignoreCase' in ops && rng.chance(0.35)) {
      out.ignoreCase = true;
      for (const [op, v] of Object.entries(out)) {
        if (typeof v === 'string' && op !== 'ignoreCase') out[op] = rng.chance(0.5) ? v.toUpperCase() : v;
      }
    }
    return out;
  }

  /** Values for a filter on `record.field` of scalar type `scalar` (ids of the right type, enum values, data). */
  private sample(record: string, field: string, scalar: string): unknown[] {
    const rng = this.rng;
    const enumType = this.schema.getType(scalar);
    if (isEnumType(enumType)) return enumType.getValues().map((v) => v.name);
    if (scalar === 'ID') {
      let target = record;
      if (field !== 'id') {
        const owner = this.schema.getType(record);
        const rel = isObjectType(owner) ? owner.getFields()[field.replace(/Id$/, '')] : undefined;
        target = rel ? getNamedType(rel.type).name : record;
      }
      const own = this.pools.ids.get(target) ?? [];
      const foreign = this.pools.foreign.get(target) ?? [];
      return rng.chance(0.1) && foreign.length ? foreign : own.length ? own : [globalId(target, rng.uuid())];
    }
    const seen = this.pools.values.get(record)?.get(field) ?? [];
    if (seen.length) return seen;
    if (scalar === 'Int') return [0, 1, 10, 100];
    if (scalar === 'DateTime') return ['2020-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z'];
    return ['a', 'Co', '1'];
  }

  /** A seen value, sometimes moved a little (a neighbour, another precision, another day). */
  private mutate(v: unknown, scalar: string): unknown {
    const rng = this.rng;
    if (scalar === 'DateTime' && typeof v === 'string') {
      // A LocalDate (expectedCloseDate) is filtered as a DateTime at midnight UTC.
      const iso = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v;
      const shift = rng.pick([0, 0, 0, 1, -1, 86_400_000]);
      return shift ? new Date(Date.parse(iso) + shift).toISOString() : iso;
    }
    if (scalar === 'Int' && typeof v === 'number') return v + rng.pick([0, 0, 1, -1]);
    if (scalar === 'String' && typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) && rng.chance(0.3)) {
      // Decimals: the same number written otherwise ("1234.50" → "1234.5").
      return v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : `${v}.0`;
    }
    return v;
  }
}

import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { isIntrospectionField } from '../../platform/graphql/gate.js';
import { inspectInput } from '../../platform/graphql/input-bounds.js';
import { parseGlobalId } from '../../platform/ids.js';
import { DEFAULT_PAGE_SIZE } from '../../platform/pagination.js';
import { peekResumePosition } from '../../platform/resume-cursor.js';

/**
 * The cost model (CONTRACT §5), declared per field with type-graphql's `@Extensions({ cost })`
 * where the defaults do not fit:
 * - scalar and enum fields 0; an object 1 plus what is selected in it;
 * - a connection 2 + n + n × (cost of one node), n = first/last (default 20);
 * - a plain list of objects n × (1 + cost of one item), n = `first`, the `ids` count, or `listSize`;
 * - a mutation 10 plus its payload; a bulk mutation 10 + the items it will process (those after
 *   its resume point, at most the plan's records per call) plus its payload;
 * - each relation filter (a to-one field filter or some/none/every: a correlated EXISTS) 5;
 * - `__schema` and `__type` 1 each, whatever they select (introspection is bounded by
 *   graphql-js's MaxIntrospectionDepthRule instead).
 */
export interface CostExtension {
  /** A fixed cost for the field itself (its selection is added). */
  value?: number;
  /** Assumed length of a plain list with no size argument. */
  listSize?: number;
  /** Bulk mutation: `input.<bulk>` holds the items. */
  bulk?: string;
  /** Bulk mutation whose `input.filter` selects further items (up to records per call). */
  bulkFilter?: boolean;
}

export const MUTATION_COST = 10;
export const RELATION_FILTER_COST = 5;
export const INTROSPECTION_COST = 1;
/** Selections (fragments expanded) an operation may hold; past it, shape and cost are not computed. */
export const MAX_SELECTION_NODES = 10_000;
const DEFAULT_LIST_SIZE = 10;

/** What pricing needs of the caller's plan. */
export interface PricingLimits {
  recordsPerCall: number;
}

const costOf = (field: GraphQLField<unknown, unknown>): CostExtension | undefined =>
  (field.extensions as { cost?: CostExtension } | undefined)?.cost;

const isConnection = (typeName: string) => typeName.endsWith('Connection');
/** Fields of connection plumbing carry no cost of their own; the connection counts the nodes. */
const isPlumbing = (typeName: string) =>
  typeName.endsWith('Connection') || typeName.endsWith('Edge') || typeName === 'PageInfo';

function pageSize(args: Record<string, unknown>): number {
  const n = (args.first ?? args.last) as number | undefined;
  return typeof n === 'number' && n >= 0 ? n : DEFAULT_PAGE_SIZE;
}

function listSize(args: Record<string, unknown>, ext: CostExtension | undefined): number {
  if (typeof args.first === 'number') return args.first;
  if (Array.isArray(args.ids)) return args.ids.length;
  return ext?.listSize ?? DEFAULT_LIST_SIZE;
}

/**
 * The items a bulk mutation will process in this call: those after its resume point, at
 * most the plan's records per call (a filter may select up to that many).
 */
export function bulkPlanned(
  args: Record<string, unknown>,
  ext: CostExtension | undefined,
  limits: PricingLimits,
): number {
  if (!ext?.bulk) return 0;
  const input = (args.input ?? {}) as Record<string, unknown>;
  const items = input[ext.bulk];
  let n = Array.isArray(items) ? items.length : 0;
  const cursor = input.resumeCursor;
  const offset = typeof cursor === 'string' ? peekResumePosition(cursor)?.[0] : undefined;
  if (typeof offset === 'number' && offset > 0) n = Math.max(0, n - offset);
  if (ext.bulkFilter && input.filter) n = limits.recordsPerCall;
  return Math.min(n, limits.recordsPerCall);
}

/** Correlated EXISTS sub-queries the field's `filter` argument asks for, priced per relation. */
export function relationCost(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  let total = 0;
  for (const arg of field.args) {
    const value = args[arg.name];
    if (value === undefined || value === null) continue;
    total += inspectInput(value, arg.type, arg.name).relations * RELATION_FILTER_COST;
  }
  return total;
}

function makeEstimator(schema: GraphQLSchema, limits: PricingLimits): ComplexityEstimator {
  const mutationType = schema.getMutationType();
  return ({ type, field, args, childComplexity }) => {
    if (isIntrospectionField(field.name)) return INTROSPECTION_COST;
    const ext = costOf(field);
    const relations = relationCost(field, args);
    if (type === mutationType)
      return MUTATION_COST + bulkPlanned(args, ext, limits) + (ext?.value ?? 0) + relations + childComplexity;
    if (ext?.value !== undefined) return ext.value + relations + childComplexity;
    if (isPlumbing(type.name)) return childComplexity;
    const named = getNamedType(field.type);
    if (!isCompositeType(named)) return 0;
    if (isConnection(named.name)) {
      const n = pageSize(args);
      return 2 + n + n * childComplexity + relations;
    }
    if (isListType(getNullableType(field.type)))
      return listSize(args, ext) * (1 + childComplexity) + relations;
    return 1 + childComplexity + relations;
  };
}

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  fields: number;
  /** Selections visited, fragments expanded; the walk stops past MAX_SELECTION_NODES. */
  nodes: number;
}

const shapes = new WeakMap<OperationDefinitionNode, OperationShape>();

/**
 * Depth, alias, root-field and field counts of one operation, fragments expanded.
 * Introspection (`__schema`, `__type` and all under them) is left out: it is bounded by
 * graphql-js's MaxIntrospectionDepthRule and priced at a fixed cost.
 */
export function operationShape(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  // The shape depends on the document alone, which Apollo reuses across requests.
  const known = shapes.get(operation);
  if (known) return known;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const shape: OperationShape = { depth: 0, aliases: 0, rootFields: 0, fields: 0, nodes: 0 };
  const walk = (set: SelectionSetNode, depth: number, seen: Set<string>, root: boolean): void => {
    for (const sel of set.selections) {
      // A fragment bomb expands exponentially: stop counting once it is clearly too big.
      if (++shape.nodes > MAX_SELECTION_NODES) return;
      if (sel.kind === Kind.FIELD) {
        if (isIntrospectionField(sel.name.value)) continue;
        shape.fields += 1;
        if (sel.alias) shape.aliases += 1;
        if (root) shape.rootFields += 1;
        if (depth > shape.depth) shape.depth = depth;
        if (sel.selectionSet) walk(sel.selectionSet, depth + 1, seen, false);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, depth, seen, root);
      } else {
        const f = fragments.get(sel.name.value);
        if (f && !seen.has(f.name.value)) walk(f.selectionSet, depth, new Set([...seen, f.name.value]), root);
      }
    }
  };
  walk(operation.selectionSet, 1, new Set(), true);
  shapes.set(operation, shape);
  return shape;
}

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>;
  /** Relation-filter cost of a field node (memoised: the same for every parent row). */
  relations(field: GraphQLField<unknown, unknown>, node: FieldNode): number;
}

/** Requested cost before execution, computed by graphql-query-complexity with the model above. */
export class CostCalculator {
  // Same document, variables and limits, same cost: parsed documents are reused by Apollo across requests.
  private readonly memo = new WeakMap<DocumentNode, Map<string, number>>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** Throws a GraphQLError for input graphql-js cannot price (e.g. too many selections). */
  requested(
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | null | undefined,
    limits: PricingLimits,
  ) {
    const key = `${operationName ?? ''}|${limits.recordsPerCall}|${variables ? JSON.stringify(variables) : ''}`;
    let byVars = this.memo.get(document);
    const hit = byVars?.get(key);
    if (hit !== undefined) return hit;
    const cost = getComplexity({
      estimators: [makeEstimator(this.schema, limits)],
      schema: this.schema,
      query: document,
      variables,
      operationName: operationName ?? undefined,
      maxQueryNodes: MAX_SELECTION_NODES,
    });
    if (!byVars) this.memo.set(document, (byVars = new Map()));
    if (byVars.size < 100) byVars.set(key, cost);
    return cost;
  }

  /**
   * The cost of what was actually done: for a query the same model with real list lengths
   * (a short page costs less than its `first`), null objects free; for a mutation what was
   * requested, less the bulk items it did not get to (`processed` by response key).
   */
  actual(run: {
    document: DocumentNode;
    operation: OperationDefinitionNode;
    data: Record<string, unknown> | null | undefined;
    requested: number;
    variables: Record<string, unknown>;
    limits: PricingLimits;
    processed: ReadonlyMap<string, number>;
  }): number {
    const { document, operation, data, requested, variables } = run;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    if (operation.operation === 'mutation') {
      const mutation = this.schema.getMutationType();
      if (!mutation) return requested;
      let unprocessed = 0;
      for (const node of this.collectFields(mutation, operation.selectionSet, fragments)) {
        const field = mutation.getFields()[node.name.value];
        const ext = field ? costOf(field) : undefined;
        if (!field || !ext?.bulk) continue;
        const planned = bulkPlanned(getArgumentValues(field, node, variables), ext, run.limits);
        const done = run.processed.get(node.alias?.value ?? node.name.value) ?? 0;
        unprocessed += Math.max(0, planned - done);
      }
      return Math.max(0, requested - unprocessed);
    }
    const root = this.schema.getRootType(operation.operation);
    if (!root || !data) return 0;
    const relations = new Map<FieldNode, number>();
    const walk: Walk = {
      fragments,
      relations: (field, node) => {
        let cost = relations.get(node);
        if (cost === undefined) {
          cost = field.args.length ? relationCost(field, getArgumentValues(field, node, variables)) : 0;
          relations.set(node, cost);
        }
        return cost;
      },
    };
    return Math.min(requested, this.walk(root, operation.selectionSet, data, walk));
  }

  // Fields of a selection on a type do not change between the objects of a response.
  private readonly fieldsMemo = new WeakMap<SelectionSetNode, Map<GraphQLObjectType, FieldNode[]>>();

  private fieldsOf(
    type: GraphQLObjectType,
    set: SelectionSetNode,
    fragments: Map<string, FragmentDefinitionNode>,
  ): FieldNode[] {
    let byType = this.fieldsMemo.get(set);
    if (!byType) this.fieldsMemo.set(set, (byType = new Map()));
    let fields = byType.get(type);
    if (!fields) byType.set(type, (fields = this.collectFields(type, set, fragments)));
    return fields;
  }

  private collectFields(
    type: GraphQLObjectType,
    set: SelectionSetNode,
    fragments: Map<string, FragmentDefinitionNode>,
    out: FieldNode[] = [],
  ): FieldNode[] {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) out.push(sel);
      else {
        const frag = sel.kind === Kind.INLINE_FRAGMENT ? sel : fragments.get(sel.name.value);
        if (!frag) continue;
        const cond = frag.typeCondition?.name.value;
        const condType = cond ? this.schema.getType(cond) : undefined;
        const applies =
          !condType ||
          condType === type ||
          (isAbstractType(condType) && this.schema.isSubType(condType, type));
        if (applies) this.collectFields(type, frag.selectionSet, fragments, out);
      }
    }
    return out;
  }

  /**
   * The object type of a value of an abstract type (`node`, `nodes`, `search`). graphql-js's
   * response holds exactly the response keys the selection collects for the value's real type, so
   * the type is the possible type whose collected keys are the value's keys (`__typename` or the
   * global id break a tie). Without that, a selection of only `... on Deal { … }` without
   * `__typename` or `id` would be priced at nothing.
   */
  private concrete(
    type: ReturnType<typeof getNamedType>,
    value: Record<string, unknown>,
    set: SelectionSetNode,
    fragments: Map<string, FragmentDefinitionNode>,
  ): GraphQLObjectType | null {
    if (isObjectType(type)) return type;
    if (!isAbstractType(type)) return null;
    const keys = Object.keys(value);
    const candidates = this.schema.getPossibleTypes(type).filter((t) => {
      const collected = new Set(this.fieldsOf(t, set, fragments).map((f) => f.alias?.value ?? f.name.value));
      return collected.size === keys.length && keys.every((k) => collected.has(k));
    });
    if (candidates.length === 1) return candidates[0];
    const name =
      typeof value.__typename === 'string'
        ? value.__typename
        : typeof value.id === 'string'
          ? parseGlobalId(value.id)?.type
          : undefined;
    if (candidates.length) return candidates.find((t) => t.name === name) ?? candidates[0];
    // Keys left out by @skip/@include: the type the value names, if any.
    const named = name ? this.schema.getType(name) : undefined;
    return named && isObjectType(named) ? named : null;
  }

  private walk(
    type: GraphQLObjectType,
    set: SelectionSetNode,
    value: Record<string, unknown>,
    w: Walk,
  ): number {
    const { fragments } = w;
    let total = 0;
    for (const node of this.fieldsOf(type, set, fragments)) {
      const v = value[node.alias?.value ?? node.name.value];
      if (isIntrospectionField(node.name.value)) {
        if (v !== null && v !== undefined) total += INTROSPECTION_COST;
        continue;
      }
      const field = type.getFields()[node.name.value];
      if (!field || v === null || v === undefined || !node.selectionSet) continue;
      total += w.relations(field, node);
      const named = getNamedType(field.type);
      const child = (item: unknown): number => {
        if (item === null || typeof item !== 'object') return 0;
        const t = node.selectionSet
          ? this.concrete(named, item as Record<string, unknown>, node.selectionSet, fragments)
          : null;
        return t && node.selectionSet
          ? this.walk(t, node.selectionSet, item as Record<string, unknown>, w)
          : 0;
      };
      const ext = costOf(field);
      if (ext?.value !== undefined) {
        total += ext.value + (Array.isArray(v) ? v.reduce((s: number, i) => s + child(i), 0) : child(v));
      } else if (isPlumbing(type.name)) {
        total += Array.isArray(v) ? v.reduce((s: number, i) => s + child(i), 0) : child(v);
      } else if (isConnection(named.name)) {
        // The nodes returned are what the connection cost: 2 + n + their selections. `edges` and
        // `nodes` are read under their response keys: an alias does not make the page free.
        const conn = v as Record<string, unknown>;
        let n = 0;
        const connType = isObjectType(named) ? named : null;
        if (connType && node.selectionSet) {
          for (const sub of this.fieldsOf(connType, node.selectionSet, fragments)) {
            const name = sub.name.value;
            const list = conn[sub.alias?.value ?? name];
            if ((name === 'edges' || name === 'nodes') && Array.isArray(list)) n = Math.max(n, list.length);
          }
        }
        total += 2 + n + child(v);
      } else if (Array.isArray(v)) {
        total += v.reduce((s: number, i) => s + 1 + child(i), 0);
      } else {
        total += 1 + child(v);
      }
    }
    return total;
  }
}

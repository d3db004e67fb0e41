import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { badInput } from '../errors.js';

/**
 * Bounds of every filter input (README "Bounds"): how deep and/or/not and relation filters
 * nest, how many operators one filter holds, how many branches an and/or takes, how many
 * values a list (`in`, `notIn`, `hasAny`, …, or any other input list) holds.
 */
export const INPUT_LIMITS = {
  filterDepth: 8,
  filterNodes: 200,
  filterBranches: 100,
  listValues: 1000,
} as const;

export interface FilterStats {
  /** Operators, and/or/not and relation steps. */
  nodes: number;
  /** Relation steps (to-one filters and some/none/every): each is a correlated EXISTS. */
  relations: number;
}

const isRecordFilter = (t: GraphQLInputObjectType) => {
  const f = t.getFields();
  return 'and' in f && 'or' in f && 'not' in f;
};
const isRelationFilter = (t: GraphQLInputObjectType) => {
  const f = t.getFields();
  return 'some' in f && 'none' in f && 'every' in f;
};

class Walker {
  readonly stats: FilterStats = { nodes: 0, relations: 0 };

  value(value: unknown, type: GraphQLInputType, path: string, depth: number): void {
    if (value === null || value === undefined) return;
    // PostgreSQL text cannot hold NUL: refused here rather than by the database after admission.
    if (typeof value === 'string' && value.includes('\u0000'))
      throw badInput(path, 'contains a NUL character, which no text value can hold.');
    if (isNonNullType(type)) return this.value(value, type.ofType, path, depth);
    if (isListType(type)) {
      if (!Array.isArray(value)) return this.value(value, type.ofType, path, depth);
      if (value.length > INPUT_LIMITS.listValues)
        this.over(path, 'values', value.length, INPUT_LIMITS.listValues);
      value.forEach((v, i) => this.value(v, type.ofType, `${path}[${i}]`, depth));
      return;
    }
    if (!isInputObjectType(type) || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    if (isRecordFilter(type)) return this.filter(obj, type, path, depth + 1);
    if (isRelationFilter(type)) {
      for (const [op, inner] of Object.entries(obj)) {
        if (inner === undefined) continue;
        this.count(path);
        this.stats.relations += 1;
        this.value(inner, type.getFields()[op].type, `${path}.${op}`, depth);
      }
      return;
    }
    const fields = type.getFields();
    for (const [key, inner] of Object.entries(obj)) {
      const field = fields[key];
      if (!field || inner === undefined) continue;
      // Inside a filter, each operator of a field (eq, in, …) is a node of its own; a modifier
      // left at its default (ignoreCase: false) is not something the client asked for.
      if (depth > 0 && inner !== field.defaultValue) this.count(path);
      this.value(inner, field.type, `${path}.${key}`, depth);
    }
  }

  private filter(
    obj: Record<string, unknown>,
    type: GraphQLInputObjectType,
    path: string,
    depth: number,
  ): void {
    if (depth > INPUT_LIMITS.filterDepth) {
      throw badInput(
        path,
        `nests filters ${depth} deep; at most ${INPUT_LIMITS.filterDepth} levels of and/or/not and relation filters are allowed.`,
        {
          limit: INPUT_LIMITS.filterDepth,
          used: depth,
        },
      );
    }
    const fields = type.getFields();
    for (const [key, inner] of Object.entries(obj)) {
      const field = fields[key];
      if (!field || inner === undefined || inner === null) continue;
      const at = `${path}.${key}`;
      if (key === 'and' || key === 'or') {
        this.count(at);
        const list = Array.isArray(inner) ? inner : [inner];
        if (list.length > INPUT_LIMITS.filterBranches)
          this.over(at, 'branches', list.length, INPUT_LIMITS.filterBranches);
        list.forEach((f, i) =>
          this.value(f, getNamedType(field.type) as GraphQLInputType, `${at}[${i}]`, depth),
        );
        continue;
      }
      const named = getNamedType(field.type);
      if (key === 'not') this.count(at);
      else if (isInputObjectType(named) && isRecordFilter(named)) {
        // A to-one relation filter: the related row's filter, one EXISTS deeper.
        this.count(at);
        this.stats.relations += 1;
      }
      this.value(inner, field.type, at, depth);
    }
  }

  private count(path: string): void {
    this.stats.nodes += 1;
    if (this.stats.nodes > INPUT_LIMITS.filterNodes) {
      throw badInput(
        path,
        `the filter holds more than ${INPUT_LIMITS.filterNodes} operators and conditions; split the request.`,
        {
          limit: INPUT_LIMITS.filterNodes,
          used: this.stats.nodes,
        },
      );
    }
  }

  private over(path: string, what: string, used: number, limit: number): never {
    throw badInput(path, `has ${used} ${what}; at most ${limit} are allowed.`, { limit, used });
  }
}

/** Checks one input value against the bounds; returns what its filters hold (for pricing). */
export function inspectInput(value: unknown, type: GraphQLInputType, path: string): FilterStats {
  const w = new Walker();
  w.value(value, type, path, 0);
  return w.stats;
}

/**
 * Every argument of every field of the operation (and of its fragments) within the bounds.
 * Each field node is seen once: fragments are walked as definitions, not per spread.
 */
export function checkOperationInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): void {
  const walk = (type: GraphQLNamedType | null | undefined, set: SelectionSetNode): void => {
    if (!type) return;
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type, sel.selectionSet);
        continue;
      }
      if (sel.kind !== Kind.FIELD) continue;
      const def = fields[sel.name.value];
      if (!def) continue;
      if (sel.arguments?.length) {
        let args: Record<string, unknown>;
        try {
          args = getArgumentValues(def, sel, variables);
        } catch (err) {
          if (err instanceof GraphQLError) throw badInput(sel.name.value, err.message);
          throw err;
        }
        for (const arg of def.args) inspectInput(args[arg.name], arg.type, arg.name);
      }
      if (sel.selectionSet) walk(getNamedType(def.type), sel.selectionSet);
    }
  };
  walk(schema.getRootType(operation.operation), operation.selectionSet);
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) walk(schema.getType(d.typeCondition.name.value), d.selectionSet);
  }
}

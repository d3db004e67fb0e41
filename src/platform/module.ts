import type { EntitySchema } from '@mikro-orm/core';
import { Field } from 'type-graphql';
import type { FilterField } from './filtering.js';
import type { ResolverClass } from './graphql/schema.js';
import type { ListSpec } from './pagination.js';
import type { ToMany } from './records/relations.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Class = Function;

/**
 * A filter a newer module adds to an older type (e.g. contacts filtered by their deals): the
 * field on the older type's filter input and how the read path compiles it, declared where
 * the newer type is known and applied from the module list.
 */
export interface FilterExtension {
  /** The older type's list spec and its filter input class. */
  list: ListSpec;
  filterInput: Class;
  name: string;
  filter: FilterField;
  /** The field's GraphQL input type (the newer type's relation filter). */
  inputType: () => Class;
  description: string;
}

/**
 * What one feature module adds to the app, in one object: its entities, its resolver classes
 * and its hooks into older modules' work. `app.ts` lists the modules in dependency order; the
 * entity list, the resolver list and every hook registry are built from that list, never from
 * the side effects of importing a module.
 */
export interface ModuleDefinition<Hooks extends object> {
  name: string;
  /** Modules this one builds on: each must come earlier in the list. */
  uses: readonly string[];
  /** Entity classes, or the schemas of declared records. */
  entities: readonly (Class | EntitySchema)[];
  resolvers: readonly ResolverClass[];
  hooks?: { [K in keyof Hooks]?: Hooks[K] };
  /** Filters this module adds to older modules' types. */
  filters?: readonly FilterExtension[];
  /** To-many relations this module adds (connection fields and some/none/every filters). */
  relations?: readonly ToMany[];
  /** The record types `node(id)` can return from this module, by their list specs. */
  nodes?: readonly ListSpec[];
}

/** Throws unless every module comes after the modules it uses, and names are unique. */
export function checkModuleOrder(modules: readonly ModuleDefinition<object>[]): void {
  const seen = new Set<string>();
  for (const m of modules) {
    if (seen.has(m.name)) throw new Error(`Module "${m.name}" is listed twice.`);
    for (const used of m.uses) {
      if (!seen.has(used))
        throw new Error(`Module "${m.name}" uses "${used}", which must be listed before it.`);
    }
    seen.add(m.name);
  }
}

/** Every module's hook `name`, in module order. */
export function hooksOf<Hooks extends object, K extends keyof Hooks>(
  modules: readonly ModuleDefinition<Hooks>[],
  name: K,
): NonNullable<Hooks[K]>[] {
  return modules.flatMap((m) => {
    const hook = m.hooks?.[name];
    return hook === undefined || hook === null ? [] : [hook as NonNullable<Hooks[K]>];
  });
}

const applied = new WeakMap<Class, Set<string>>();

/**
 * Adds every module's filter extensions to the older types, once per process (several apps may
 * be built in one process, as in the tests, and a GraphQL field is declared once).
 */
export function applyFilterExtensions(modules: readonly ModuleDefinition<object>[]): void {
  for (const ext of modules.flatMap((m) => m.filters ?? [])) {
    let names = applied.get(ext.filterInput);
    if (!names) applied.set(ext.filterInput, (names = new Set()));
    if (names.has(ext.name)) continue;
    names.add(ext.name);
    ext.list.filters[ext.name] = ext.filter;
    // The relation's field of the same name on the older type (a connection) needs only the parent's key.
    ext.list.needs = { ...ext.list.needs, [ext.name]: [] };
    Field(ext.inputType, { nullable: true, description: ext.description })(
      ext.filterInput.prototype,
      ext.name,
    );
  }
}

/** Every module's node types by type name (the name inside a global id); a name is declared once. */
export function nodeTypesOf(modules: readonly ModuleDefinition<object>[]): ReadonlyMap<string, ListSpec> {
  const types = new Map<string, ListSpec>();
  for (const spec of modules.flatMap((m) => m.nodes ?? [])) {
    if (types.has(spec.typeName)) throw new Error(`Node type "${spec.typeName}" is declared twice.`);
    types.set(spec.typeName, spec);
  }
  return types;
}

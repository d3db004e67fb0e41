import type { EntitySchema } from '@mikro-orm/core';
import type { ResolverClass } from './graphql/schema.js';
import type { ListSpec } from './pagination.js';
import type { RecordDeclaration } from './records/record.js';
import type { ToMany } from './records/relations.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Class = Function;

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
  /** The record types this module declares: their entities, and the types `node(id)` can return. */
  records?: readonly RecordDeclaration[];
  /** Entities that are not declared records (e.g. join and history tables). */
  entities?: readonly (Class | EntitySchema)[];
  resolvers: readonly ResolverClass[];
  hooks?: { [K in keyof Hooks]?: Hooks[K] };
  /** To-many relations this module adds (connection fields and some/none/every filters). */
  relations?: readonly ToMany[];
  /** Further types `node(id)` can return, by their list specs (declared records are included). */
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

/** Every module's node types by type name (the name inside a global id); a name is declared once. */
export function nodeTypesOf(modules: readonly ModuleDefinition<object>[]): ReadonlyMap<string, ListSpec> {
  const types = new Map<string, ListSpec>();
  for (const spec of modules.flatMap((m) => [...(m.records ?? []).map((r) => r.list), ...(m.nodes ?? [])])) {
    if (types.has(spec.typeName)) throw new Error(`Node type "${spec.typeName}" is declared twice.`);
    types.set(spec.typeName, spec);
  }
  return types;
}

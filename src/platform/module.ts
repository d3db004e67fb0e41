import type { ResolverClass } from './graphql/schema.js';

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
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: readonly Function[];
  resolvers: readonly ResolverClass[];
  hooks?: { [K in keyof Hooks]?: Hooks[K] };
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

import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { printSchema, lexicographicSortSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { DateTime } from './types.js';
import { authChecker } from './context.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ResolverClass = Function;

/**
 * Builds the code-first schema. Resolver classes are constructed once with `deps`
 * (constructor injection without a DI framework).
 */
export async function buildAppSchema(
  resolvers: NonEmptyArray<ResolverClass>,
  deps: unknown,
): Promise<GraphQLSchema> {
  const instances = new Map<unknown, unknown>();
  return buildSchema({
    resolvers,
    authChecker,
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTime }],
    // Every subscription declares its own `subscribe` over platform/pubsub; type-graphql still
    // wants an engine for `topics`-style subscriptions, which are not used.
    pubSub: {
      publish: () => {
        throw new Error('Publish through platform/pubsub, not type-graphql.');
      },
      subscribe: () => {
        throw new Error('Subscriptions declare `subscribe`; `topics` are not used.');
      },
    },
    container: {
      get: (cls: new (d: unknown) => unknown) => {
        let instance = instances.get(cls);
        if (!instance) instances.set(cls, (instance = new cls(deps)));
        return instance;
      },
    },
  });
}

/** The SDL as committed in schema/schema.graphql (sorted, so diffs are stable). */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

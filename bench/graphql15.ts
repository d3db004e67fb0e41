/**
 * Makes every `require('graphql…')` in this process load the graphql 15 that PostGraphile v4
 * ships with. npm hoists one of PostGraphile's dependencies (graphql-parse-resolve-info) next to
 * the app's graphql 16, so without this two graphql realms meet and PostGraphile answers
 * "Cannot use GraphQLScalarType "Int" from another module or realm". Import it first.
 */
import Module from 'node:module';
import path from 'node:path';

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

const postgraphileDir = path.dirname(require.resolve('postgraphile/package.json'));
const own = path.dirname(require.resolve('graphql/package.json', { paths: [postgraphileDir] }));
const app = path.dirname(require.resolve('graphql/package.json'));

if (own !== app) {
  const loader = Module as unknown as { _resolveFilename: Resolve };
  const original = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const redirected =
      request === 'graphql' || request.startsWith('graphql/')
        ? own + request.slice('graphql'.length)
        : request;
    return original.call(this, redirected, parent, isMain, options);
  };
}

export const graphqlDir = own;

import type { GraphQLResponse, TestServer } from './server';

/** The response's data; fails with the GraphQL errors when there are any. */
export function dataOf<T>(res: GraphQLResponse<T>): T {
  if (res.body.errors?.length || !res.body.data) {
    throw new Error(`Expected data, got errors: ${JSON.stringify(res.body.errors)}`);
  }
  return res.body.data;
}

/** `extensions.code` of every error in the response, in order. */
export function codesOf(res: GraphQLResponse<unknown>): unknown[] {
  return (res.body.errors ?? []).map((e) => e.extensions?.code);
}

/** The first error as a client reads it: code, field (for BAD_USER_INPUT) and message. */
export function errorOf(res: GraphQLResponse<unknown>): { code: unknown; field: unknown; message: string } {
  const e = res.body.errors?.[0];
  if (!e) throw new Error(`Expected an error, got data: ${JSON.stringify(res.body.data)}`);
  return { code: e.extensions?.code, field: e.extensions?.field, message: e.message };
}

// Ids are opaque to clients; tests decode them only to check rows with SQL or to forge
// a well-formed id of a row that does not exist. Format: base64url("<Type>:<uuid>").
export const pkOf = (globalId: string): string =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

export const globalIdOf = (type: string, pk: string): string =>
  Buffer.from(`${type}:${pk}`).toString('base64url');

/** Requests made with one API key: `call` returns the response, `data` its data (failing on errors). */
export function clientFor(server: TestServer, key: string) {
  return {
    call: <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
      server.gql<T>(query, variables, key),
    data: async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
      dataOf(await server.gql<T>(query, variables, key)),
  };
}

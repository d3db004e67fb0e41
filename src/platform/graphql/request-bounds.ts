import {
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../errors.js';

/**
 * Bounds of a raw GraphQL request, checked before graphql-js parses the document or coerces
 * the variables: both recurse, so an input nested thousands deep would overflow the stack.
 */
export const REQUEST_LIMITS = {
  /** Brackets ({, [, () open at once anywhere in the document. */
  documentNesting: 100,
  /** graphql-js's `maxTokens` parse option. */
  documentTokens: 15_000,
  /** Objects and arrays open at once in `variables` (and `extensions`). */
  variablesNesting: 64,
} as const;

const NESTING_MESSAGE = `Syntax Error: the document nests more than ${REQUEST_LIMITS.documentNesting} levels of brackets deep.`;

/** The deepest bracket nesting of a GraphQL document, strings and comments skipped; stops past `limit`. */
export function documentNesting(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x28) {
      depth += 1;
      if (depth > max && (max = depth) > limit) return max;
    } else if (c === 0x7d || c === 0x5d || c === 0x29) {
      depth = Math.max(0, depth - 1);
    } else if (c === 0x23) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x22) {
      if (text.startsWith('"""', i)) {
        let end = i + 3;
        while ((end = text.indexOf('"""', end)) >= 0 && text[end - 1] === '\\') end += 3;
        i = end < 0 ? text.length : end + 2;
      } else {
        let j = i + 1;
        while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
        i = j;
      }
    }
  }
  return max;
}

/** Whether a JSON value nests objects/arrays deeper than `limit` (iterative: never overflows). */
export function jsonDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
    }
  }
  return false;
}

export interface RequestBoundsError {
  message: string;
  extensions: Record<string, unknown>;
}

function parsedJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined; // malformed: graphql's own request parsing reports it
  }
}

/** The first bound a raw request (POST body or GET query parameters) breaks, if any. */
export function checkRequestBounds(params: unknown): RequestBoundsError | null {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return null;
  const { query, variables, extensions } = params as Record<string, unknown>;
  if (typeof query === 'string') {
    const nesting = documentNesting(query, REQUEST_LIMITS.documentNesting);
    if (nesting > REQUEST_LIMITS.documentNesting) {
      return {
        message: NESTING_MESSAGE,
        extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: REQUEST_LIMITS.documentNesting },
      };
    }
  }
  for (const [name, value] of [
    ['variables', variables],
    ['extensions', extensions],
  ] as const) {
    if (jsonDeeperThan(parsedJson(value), REQUEST_LIMITS.variablesNesting)) {
      return {
        message: `${name}: nests objects and lists more than ${REQUEST_LIMITS.variablesNesting} levels deep.`,
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: name, limit: REQUEST_LIMITS.variablesNesting },
      };
    }
  }
  return null;
}

/** A raw query's one operation, or the errors a client gets for it (coded as Apollo codes them). */
export type ParsedOperation =
  | { document: DocumentNode; operation: OperationDefinitionNode; errors?: undefined }
  | { errors: GraphQLError[] };

/**
 * Parses and validates a query that did not come through Apollo (the WebSocket, estimateCost)
 * under the same bounds: bracket nesting, then graphql-js's token limit, then validation, then
 * the operation `operationName` names.
 */
export function parseOperation(
  schema: GraphQLSchema,
  query: string,
  operationName: string | null | undefined,
): ParsedOperation {
  const refused = (message: string, extensions: Record<string, unknown>) => ({
    errors: [new GraphQLError(message, { extensions })],
  });
  if (documentNesting(query, REQUEST_LIMITS.documentNesting) > REQUEST_LIMITS.documentNesting) {
    return refused(NESTING_MESSAGE, { code: 'GRAPHQL_PARSE_FAILED', limit: REQUEST_LIMITS.documentNesting });
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: REQUEST_LIMITS.documentTokens });
  } catch (err) {
    return refused(err instanceof Error ? err.message : 'Syntax Error', { code: 'GRAPHQL_PARSE_FAILED' });
  }
  const invalid = validate(schema, document);
  if (invalid.length) {
    return {
      errors: invalid.map(
        (e) =>
          new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
    };
  }
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) {
    return refused('The document does not name exactly one operation to run.', {
      code: 'OPERATION_RESOLUTION_FAILURE',
    });
  }
  return { document, operation };
}

import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** CONTRACT §3: codes are added only with a reason and never renamed. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  THROTTLED: 'THROTTLED',
  USAGE_LIMIT_EXCEEDED: 'USAGE_LIMIT_EXCEEDED',
  EMAIL_SENDING_RESTRICTED: 'EMAIL_SENDING_RESTRICTED',
  EMERGENCY_NUMBER_BLOCKED: 'EMERGENCY_NUMBER_BLOCKED',
  COMPLIANCE_INFO_REQUIRED: 'COMPLIANCE_INFO_REQUIRED',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  SUBSCRIPTION_INACTIVE: 'SUBSCRIPTION_INACTIVE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const knownCodes = new Set<string>(Object.values(ErrorCode));
/** Codes produced by graphql-js / Apollo for malformed requests; safe to show as they are. */
const requestCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

export type ErrorDetails = Record<string, unknown>;

/** SQLSTATE query_canceled: PostgreSQL stopped a statement at the pools' statement timeout. */
const QUERY_CANCELED = '57014';

/** The one way the API raises an error a client may see. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, { extensions: { code, ...details } });
  }
}

export const unauthenticated = (
  message = 'A valid API key is required: send "Authorization: Bearer <key>".',
) => new AppError(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message: string, details: ErrorDetails = {}) =>
  new AppError(ErrorCode.FORBIDDEN, message, details);

/** `field` is the input path a client can point at, e.g. `input.emails[1]`. */
export const badInput = (field: string, message: string, details: ErrorDetails = {}) =>
  new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field, ...details });

export const notFound = (type: string, id: string) =>
  new AppError(ErrorCode.NOT_FOUND, `${type} ${id} was not found.`, { type, id });

export const conflict = (message: string, details: ErrorDetails = {}) =>
  new AppError(ErrorCode.CONFLICT, message, details);

/**
 * Shapes every error leaving the server: known codes pass, request-level
 * graphql-js errors pass, everything else becomes an opaque INTERNAL_SERVER_ERROR
 * with no stack, SQL or driver message.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  original: unknown,
  /** The statement timeout the database pools were given, reported with a timed-out statement. */
  statementTimeoutMs?: number,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (
    typeof code === 'string' &&
    (knownCodes.has(code) || requestCodes.has(code)) &&
    code !== 'INTERNAL_SERVER_ERROR'
  ) {
    if (requestCodes.has(code) && code === 'BAD_REQUEST') {
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code } };
    }
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    void _stack;
    return { ...formatted, extensions };
  }
  const cause = original instanceof GraphQLError ? original.originalError : original;
  const sqlState = (cause as { code?: unknown } | undefined)?.code;
  // A statement stopped at the timeout asked for too much work: a cost limit, not our fault.
  if (sqlState === QUERY_CANCELED) {
    const limit = statementTimeoutMs === undefined ? 'time' : `${statementTimeoutMs} ms`;
    return {
      message: `A database statement ran longer than the ${limit} limit; narrow the filter or ask for fewer items.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: ErrorCode.COST_LIMIT_EXCEEDED,
        dimension: 'STATEMENT_TIMEOUT',
        ...(statementTimeoutMs === undefined ? {} : { limit: statementTimeoutMs }),
      },
    };
  }
  // A value PostgreSQL refused as data (SQLSTATE class 22, e.g. a forged cursor value or an
  // out-of-range number) is the client's input, not our failure; its text is never shown.
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    return {
      message: 'A value in the request is not valid for its field.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }
  // Variable coercion errors from graphql-js carry no code but are the client's fault.
  const inner = original instanceof GraphQLError ? original : undefined;
  if (inner && !inner.originalError && code === undefined) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

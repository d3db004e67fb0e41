import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import type { EntityManager } from '../db/orm.js';
import type { TenantSql } from '../db/tenant-sql.js';
import type { Logger } from '../logger.js';
import { forbidden, unauthenticated } from '../errors.js';
import type { PubSub } from '../pubsub/pubsub.js';

export type Scope = 'read' | 'write' | 'subscribe' | 'admin';

/** Who is calling: resolved from the API key once per request. */
export interface Principal {
  organizationId: string;
  userId: string | null;
  apiKeyId: string;
  scopes: ReadonlySet<Scope>;
  persistedOnly: boolean;
  /** The organisation's plan code; its limits are looked up per request. */
  plan: string;
}

/** Limits a resolver must apply itself (bulk work stops at records-per-call). */
export interface RequestLimits {
  recordsPerCall: number;
}

/** Per-request memo of DataLoaders and other lazily built helpers, keyed by name. */
export class RequestCache {
  private readonly items = new Map<string, unknown>();

  get<T>(key: string, create: () => T): T {
    let item = this.items.get(key) as T | undefined;
    if (item === undefined) {
      item = create();
      this.items.set(key, item);
    }
    return item;
  }
}

export interface RequestContext {
  requestId: string;
  clientAddress: string;
  log: Logger;
  /** Hand-written SQL bound to the caller's organisation (`$1`); refused without a key. */
  readonly db: TenantSql;
  principal: Principal | null;
  /** Why a presented key was refused, if it was. */
  authFailure?: string;
  cache: RequestCache;
  /** Null for unauthenticated requests. */
  limits: RequestLimits | null;
  /** Errors to report beside data, e.g. a bulk write that stopped at a limit. */
  warnings: GraphQLError[];
  /**
   * Set by the gate once the request is admitted: only admitted work is charged. An object,
   * so Apollo's shallow copy of the context per operation shares it with the HTTP layer.
   */
  admission: { admitted: boolean };
  /** The actual cost the compiled read path counted while building the response (the usage step charges it). */
  readCost?: number;
  /** Items each bulk mutation processed, by response key: the unprocessed rest is refunded. */
  processedItems: Map<string, number>;
  /** Events across instances: subscriptions read them, mutations publish them. */
  pubsub: PubSub;
  /** An EntityManager forked for this request and scoped to its organisation (created on first use). */
  readonly em: EntityManager;
}

/** The caller's principal, which must hold `scope` (admin holds every scope). */
export function requireScope(
  ctx: Pick<RequestContext, 'principal' | 'authFailure'>,
  scope: Scope | null,
): Principal {
  const p = ctx.principal;
  if (!p) throw unauthenticated(ctx.authFailure);
  if (scope === null) return p;
  if (!p.scopes.has(scope) && !p.scopes.has('admin')) {
    throw forbidden(`This API key lacks the "${scope}" scope.`, { requiredScope: scope });
  }
  return p;
}

/**
 * The scope that reading the field at `info` needs. Root fields, and every field of a query,
 * need `read`; below a mutation's root field (its payload) the `write` scope that ran the
 * mutation suffices, and below a subscription's root field (its events) the `subscribe`
 * scope that started it: a key reads what its own operation returns.
 */
export function readScopeAt(info: Pick<GraphQLResolveInfo, 'operation' | 'path'>): Scope {
  if (info.path.prev === undefined) return 'read';
  if (info.operation.operation === 'mutation') return 'write';
  return info.operation.operation === 'subscription' ? 'subscribe' : 'read';
}

/**
 * type-graphql's `@Authorized()`: no role = any valid key; roles = scopes required, where
 * `read` means `readScopeAt` the field.
 */
// An arrow function: type-graphql would instantiate a function with a prototype as a class.
export const authChecker = (
  { context, info }: { context: RequestContext; info: GraphQLResolveInfo },
  roles: string[],
): boolean => {
  if (roles.length === 0) requireScope(context, null);
  for (const role of roles) requireScope(context, role === 'read' ? readScopeAt(info) : (role as Scope));
  return true;
};

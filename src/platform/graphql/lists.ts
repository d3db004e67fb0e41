import { forbidden, notFound } from '../errors.js';
import { parseGlobalId } from '../ids.js';
import type { GraphQLResolveInfo } from 'graphql';
import {
  keysFor,
  listPage,
  type Connection,
  type ListSpec,
  type NodeRow,
  type PageArgs,
} from '../pagination.js';
import { requireScope, type RequestContext } from './context.js';
import { rowLoader } from './loaders.js';
import { connectionNodeFields } from './selection.js';
import { filterEvents, type EventStream, type Topic } from '../pubsub/pubsub.js';

/** A root list of `spec` for the caller's organisation. */
export function rootList<T extends NodeRow>(
  ctx: RequestContext,
  spec: ListSpec,
  args: PageArgs,
  info?: GraphQLResolveInfo,
): Promise<Connection<T>> {
  const principal = requireScope(ctx, 'read');
  if (args.includeDeleted && !principal.scopes.has('admin')) {
    throw forbidden('includeDeleted needs an admin key.', { requiredScope: 'admin' });
  }
  // Only the columns the selection needs: fewer values to send, parse and collect.
  const keys = info ? keysFor(spec, connectionNodeFields(info), args.orderBy) : null;
  return listPage<T>(ctx.db, spec, args, keys);
}

/** One row by global id through the request's loader, or NOT_FOUND. */
export async function rowById<T extends NodeRow>(
  ctx: RequestContext,
  spec: ListSpec,
  globalId: string,
): Promise<T> {
  const parsed = parseGlobalId(globalId);
  const row = parsed && parsed.type === spec.typeName ? await rowLoader<T>(ctx, spec).load(parsed.id) : null;
  if (!row) throw notFound(spec.typeName, globalId);
  return row;
}

/** Re-reads a row just written, through the same path as every read. */
export async function freshRow<T extends NodeRow>(
  ctx: RequestContext,
  spec: ListSpec,
  pk: string,
): Promise<T> {
  const loader = rowLoader<T>(ctx, spec);
  loader.clear(pk);
  const row = await loader.load(pk);
  if (!row) throw notFound(spec.typeName, pk);
  return row;
}

/**
 * The organisation's events of `topic` for a subscription, narrowed to one record when
 * `globalId` is given. A record of another organisation (or none) is refused with NOT_FOUND,
 * never silently never matched.
 */
export async function recordEvents<E extends object>(
  ctx: RequestContext,
  topic: Topic<E>,
  spec: ListSpec,
  globalId: string | null | undefined,
  recordOf: (event: E) => string,
): Promise<EventStream<E>> {
  const { organizationId } = requireScope(ctx, null);
  const pk = globalId ? (await rowById(ctx, spec, globalId)).pk : null;
  const events = ctx.pubsub.subscribe(topic, organizationId);
  return pk ? filterEvents(events, (e) => recordOf(e) === pk) : events;
}

import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import {
  keysFor,
  listPagesByParent,
  rowsByIds,
  type Connection,
  type ListSpec,
  type NodeRow,
  type PageArgs,
  type ParentRef,
} from '../pagination.js';
import { requireScope, type RequestContext } from './context.js';
import { connectionNodeFields } from './selection.js';

/**
 * Loaders need a valid key but no particular scope: the root field that reached them has
 * checked it (a write key reads back what it wrote).
 */
/** Rows of `spec` by primary key, batched per request: one SQL statement per tick. */
export function rowLoader<T extends NodeRow>(
  ctx: RequestContext,
  spec: ListSpec,
): DataLoader<string, T | null> {
  return ctx.cache.get(`rows:${spec.table}`, () => {
    requireScope(ctx, null);
    return new DataLoader<string, T | null>(async (ids) => {
      const found = await rowsByIds<T>(ctx.db, spec, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
  });
}

/**
 * One page of children per parent (e.g. each company's contacts), batched per request and
 * per argument set: one windowed SQL statement whatever the number of parents.
 */
export function pageLoader<T extends NodeRow>(
  ctx: RequestContext,
  spec: ListSpec,
  parent: ParentRef,
  args: PageArgs,
  info?: GraphQLResolveInfo,
): DataLoader<string, Connection<T>> {
  const keys = info ? keysFor(spec, connectionNodeFields(info), args.orderBy) : null;
  const key = `pages:${spec.table}:${JSON.stringify(parent)}:${JSON.stringify(args)}:${keys ? [...keys].join(',') : '*'}`;
  return ctx.cache.get(key, () => {
    requireScope(ctx, null);
    return new DataLoader<string, Connection<T>>(async (parentIds) => {
      const pages = await listPagesByParent<T>(ctx.db, spec, parent, parentIds, args, keys);
      return parentIds.map((id) => pages.get(id) as Connection<T>);
    });
  });
}

import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Mutation,
  Query,
  Resolver,
  Root,
  type ClassType,
} from 'type-graphql';
import { Caller } from '../graphql/caller.js';
import type { Principal, RequestContext } from '../graphql/context.js';
import { freshRow, rootList, rowById } from '../graphql/lists.js';
import { rowLoader } from '../graphql/loaders.js';
import type { NodeRow, PageArgs } from '../pagination.js';
import { recordTypes, recordWriteTypes } from './graphql.js';
import type { EntityOf, RecordDeclaration } from './record.js';
import type { RecordService } from './service.js';
import { UNIFORM_READS, type UniformReads } from '../reads/marks.js';

type Method = (...args: never[]) => unknown;

export interface RecordResolverOptions<E extends { organization: string }> {
  /** The uniform writes; without it the record is read-only here. */
  service?: RecordService<E>;
  /** Which uniform mutations exist (default: all four when there is a service). */
  mutations?: { create?: boolean; update?: boolean; delete?: boolean; restore?: boolean };
  /** Descriptions of root fields that differ from the defaults. */
  texts?: { list?: string; byId?: string; delete?: string };
  /** The scope the uniform mutations need (default `write`; e.g. `admin` for members). */
  writeScope?: string;
  /** The root list and by-id queries (default true). */
  queries?: boolean;
  /** Called after each uniform write with the record's primary key (e.g. to publish an event). */
  onWrite?: (ctx: RequestContext, pk: string) => void;
  /** What delete returns: `Delete<Type>Payload` with the deleted id (default), or `<Type>Payload`. */
  deletePayload?: 'deleted' | 'record';
}

function method(proto: object, name: string, fn: Method): PropertyDescriptor {
  Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
  return Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor;
}

/**
 * The uniform resolvers of a record: the root list and by-id query, create/update/delete/restore
 * mutations and its to-one relation fields, with the scope checks every type has (read for
 * queries, write for mutations). A module extends the returned class with what is special.
 */
export function recordResolver<D extends RecordDeclaration>(
  decl: D,
  opts: RecordResolverOptions<EntityOf<D>> = {},
): ClassType {
  const T = decl.typeName;
  const types = recordTypes(decl);
  const base = { [`${T}RecordResolver`]: class {} }[`${T}RecordResolver`];
  const proto = base.prototype as object;

  let d: PropertyDescriptor;
  if (opts.queries !== false) {
    d = method(proto, 'list', ((args: PageArgs, ctx: RequestContext, info: GraphQLResolveInfo) =>
      rootList(ctx, decl.list, args, info)) as Method);
    Args(() => types.listArgs)(proto, 'list', 0);
    Ctx()(proto, 'list', 1);
    Info()(proto, 'list', 2);
    Authorized('read')(proto, 'list', d);
    Query(() => types.connection, { name: decl.plural, description: opts.texts?.list })(proto, 'list', d);

    d = method(proto, 'byId', ((id: string, ctx: RequestContext) => rowById(ctx, decl.list, id)) as Method);
    Arg('id', () => ID)(proto, 'byId', 0);
    Ctx()(proto, 'byId', 1);
    Authorized('read')(proto, 'byId', d);
    Query(() => types.node, {
      name: decl.singular,
      description: opts.texts?.byId ?? `NOT_FOUND if no such ${decl.singular} is visible to the caller.`,
    })(proto, 'byId', d);
  }

  for (const [name, r] of Object.entries(decl.relations)) {
    if (r.node === false) continue;
    const key = `${name}Id`;
    d = method(proto, name, ((row: NodeRow, ctx: RequestContext) => {
      const pk = row[key] as string | null;
      return pk ? rowLoader(ctx, decl.target(name).list).load(pk) : null;
    }) as Method);
    Root()(proto, name, 0);
    Ctx()(proto, name, 1);
    FieldResolver(() => decl.target(name).node(), { nullable: r.nullable, description: r.description })(
      proto,
      name,
      d,
    );
  }

  const service = opts.service;
  if (service) {
    const w = recordWriteTypes(decl);
    const on = { create: true, update: true, delete: true, restore: true, ...opts.mutations };
    const fresh = async (ctx: RequestContext, pk: string) => {
      const row = await freshRow(ctx, decl.list, pk);
      opts.onWrite?.(ctx, pk);
      return row;
    };
    type Input = { id: string };
    type Write = (ctx: RequestContext, input: Input, organizationId: string) => Promise<{ id: string }>;
    // Each uniform mutation: its payload, input, write and description; all answer with the record as read.
    const mutations: [string, boolean | undefined, ClassType, ClassType, Write, string?][] = [
      [
        'create',
        on.create,
        w.payload,
        w.createInput,
        (ctx, input, org) => service.create(ctx.em, org, input),
      ],
      [
        'update',
        on.update,
        w.payload,
        w.updateInput,
        (ctx, input, org) => service.update(ctx.em, org, input),
      ],
      [
        'delete',
        on.delete,
        opts.deletePayload === 'record' ? w.payload : w.deletePayload,
        w.idInput,
        (ctx, input) => service.setDeleted(ctx.em, input.id, true),
        opts.texts?.delete ?? `Soft delete: restore${T} brings it back.`,
      ],
      [
        'restore',
        on.restore,
        w.payload,
        w.idInput,
        (ctx, input) => service.setDeleted(ctx.em, input.id, false),
      ],
    ];
    for (const [verb, enabled, payload, input, write, description] of mutations) {
      if (!enabled) continue;
      const name = `${verb}${T}`;
      const desc = method(proto, name, (async (given: Input, ctx: RequestContext, caller: Principal) => {
        const record = await write(ctx, given, caller.organizationId);
        const row = await fresh(ctx, record.id);
        return verb === 'delete'
          ? { [`deleted${T}Id`]: given.id, [decl.singular]: row }
          : { [decl.singular]: row };
      }) as Method);
      Arg('input', () => input)(proto, name, 0);
      Ctx()(proto, name, 1);
      Caller()(proto, name, 2);
      Authorized(opts.writeScope ?? 'write')(proto, name, desc);
      Mutation(() => payload, { description })(proto, name, desc);
    }
  }

  Resolver(() => types.node)(base);
  // The compiled read path answers these fields in SQL (reads/read-model.ts).
  const reads: UniformReads = { kind: 'record', decl, queries: opts.queries !== false };
  Object.defineProperty(base, UNIFORM_READS, { value: reads });
  return base;
}

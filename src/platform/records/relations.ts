import type { GraphQLResolveInfo } from 'graphql';
import {
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  Info,
  Resolver,
  Root,
  type ClassType,
} from 'type-graphql';
import type { RequestContext } from '../graphql/context.js';
import { PageArgsBase } from '../graphql/args.js';
import { pageLoader } from '../graphql/loaders.js';
import { RelationFilterType } from '../graphql/types.js';
import type { FilterField } from '../filtering.js';
import type { NodeRow, PageArgs, ParentRef } from '../pagination.js';
import { recordTypes } from './graphql.js';
import type { RecordDeclaration } from './record.js';
import { refOf } from './ref.js';
import { UNIFORM_READS, type UniformReads } from '../reads/marks.js';

/**
 * A to-many relation: a connection field on `owner` listing `target` rows, and (with a filter
 * description) a `some`/`none`/`every` filter of the same name on the owner's filter input.
 * Declared by the module that knows both types (the newer one), listed in its module definition.
 */
export interface ToMany {
  owner: RecordDeclaration;
  name: string;
  target: RecordDeclaration;
  /** The target's column pointing at the owner, or a join table with its two keys. */
  via: string | { through: string; ownerFk: string; targetFk: string };
  description?: string;
  /** A `some`/`none`/`every` filter on the owner (default none), with its description if a string. */
  filter?: boolean | string;
}

/** `owner.name`: the `target` rows whose `via` points at the owner (see ToMany). */
export const toMany = (
  owner: RecordDeclaration,
  name: string,
  target: RecordDeclaration,
  via: ToMany['via'],
  opts: Pick<ToMany, 'description' | 'filter'> = {},
): ToMany => ({ owner, name, target, via, ...opts });

const relationFilters = new WeakMap<RecordDeclaration, ClassType>();
const relatedArgs = new WeakMap<RecordDeclaration, ClassType>();

/** `<Type>RelationFilter` (some/none/every over the type's filter), one per type. */
function relationFilterOf(target: RecordDeclaration): ClassType {
  let type = relationFilters.get(target);
  if (!type) {
    const plural = target.texts?.relationPlural ?? target.plural;
    type = RelationFilterType(
      recordTypes(target).filter,
      `${target.typeName}RelationFilter`,
      `Conditions on related ${plural}: some match, none match, or every one matches.`,
    ) as ClassType;
    relationFilters.set(target, type);
  }
  return type;
}

/** Paging, filter and order arguments of a related connection (no includeDeleted there). */
function relatedArgsOf(target: RecordDeclaration): ClassType {
  let args = relatedArgs.get(target);
  if (!args) {
    const { filter, order } = recordTypes(target);
    const named = { [`${target.typeName}RelatedArgs`]: class extends PageArgsBase {} };
    args = named[`${target.typeName}RelatedArgs`];
    Field(() => filter, { nullable: true })(args.prototype, 'filter');
    Field(() => [order], { nullable: true })(args.prototype, 'orderBy');
    ArgsType()(args);
    relatedArgs.set(target, args);
  }
  return args;
}

export function parentRef(r: ToMany): ParentRef {
  return typeof r.via === 'string'
    ? r.via
    : { through: r.via.through, fk: r.via.targetFk, parentFk: r.via.ownerFk };
}

function filterField(r: ToMany): FilterField {
  const target = () => r.target.list;
  return typeof r.via === 'string'
    ? { kind: 'many', fk: r.via, target }
    : { kind: 'through', through: r.via.through, fk: r.via.ownerFk, targetFk: r.via.targetFk, target };
}

const resolvers = new WeakMap<ToMany, ClassType>();

/**
 * Adds the relation to its owner (the filter field, and the connection's needs: only the owner's
 * key) and returns the resolver class of its connection field. Once per relation per process:
 * several apps may be built in one process (as in the tests), and a GraphQL field is declared once.
 */
export function applyToMany(r: ToMany): ClassType {
  const known = resolvers.get(r);
  if (known) return known;
  const owner = refOf(r.owner);
  owner.list.needs = { ...owner.list.needs, [r.name]: [] };
  if (r.filter) {
    owner.list.filters[r.name] = filterField(r);
    // Built now: type-graphql reads types at schema build, when no new type may be declared.
    const relationFilter = relationFilterOf(r.target);
    const description = typeof r.filter === 'string' ? r.filter : undefined;
    Field(() => relationFilter, { nullable: true, description })(owner.filterInput().prototype, r.name);
  }
  const { connection } = recordTypes(r.target);
  const args = relatedArgsOf(r.target);
  const parent = parentRef(r);
  const name = `${owner.typeName}${r.name[0].toUpperCase()}${r.name.slice(1)}Resolver`;
  const resolver = { [name]: class {} }[name];
  const proto = resolver.prototype as object;
  Object.defineProperty(proto, r.name, {
    value: (row: NodeRow, pageArgs: PageArgs, ctx: RequestContext, info: GraphQLResolveInfo) =>
      pageLoader(ctx, r.target.list, parent, pageArgs, info).load(row.pk),
    writable: true,
    configurable: true,
  });
  const d = Object.getOwnPropertyDescriptor(proto, r.name) as PropertyDescriptor;
  Root()(proto, r.name, 0);
  Args(() => args)(proto, r.name, 1);
  Ctx()(proto, r.name, 2);
  Info()(proto, r.name, 3);
  FieldResolver(() => connection, { description: r.description })(proto, r.name, d);
  Resolver(() => owner.node())(resolver);
  Object.defineProperty(resolver, UNIFORM_READS, {
    value: { kind: 'toMany', relation: r } satisfies UniformReads,
  });
  resolvers.set(r, resolver);
  return resolver;
}

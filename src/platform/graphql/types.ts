import { Field, ID, InputType, Int, ObjectType, type ClassType } from 'type-graphql';
import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { defineEnum, type EnumOf } from './enums.js';

/** Shared GraphQL building blocks: Relay connections, ordering and the filter grammar. */

/**
 * graphql-scalars' DateTime, except that ISO strings from the read path (already in
 * toISOString form) are sent as they are instead of being parsed into a Date again.
 */
export const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize: (value: unknown) => (typeof value === 'string' ? value : DateTimeResolver.serialize(value)),
});

export const OrderDirection = defineEnum('OrderDirection', 'ASC DESC');
export type OrderDirection = EnumOf<typeof OrderDirection>;

export const NullsOrder = defineEnum('NullsOrder', 'FIRST LAST', {
  description: 'Where null values sort; LAST unless asked.',
});
export type NullsOrder = EnumOf<typeof NullsOrder>;

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** `XConnection` and `XEdge` for a node type, Relay style, plus GitHub's `nodes` shortcut. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field({ description: 'Opaque; valid only with the same orderBy.' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Rows matching the filter, ignoring the page.' })
    totalCount!: number;
  }
  return Connection;
}

@InputType({ description: 'Text operators. Matching is case-sensitive unless ignoreCase is true.' })
export class StringFilter {
  @Field(() => String, { nullable: true })
  eq?: string;

  @Field(() => String, { nullable: true })
  neq?: string;

  @Field(() => [String], { nullable: true })
  in?: string[];

  @Field(() => [String], { nullable: true })
  notIn?: string[];

  @Field(() => String, { nullable: true })
  contains?: string;

  @Field(() => String, { nullable: true })
  startsWith?: string;

  @Field(() => String, { nullable: true })
  endsWith?: string;

  @Field(() => Boolean, { nullable: true })
  isNull?: boolean;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  ignoreCase?: boolean;
}

@InputType({ description: 'Operators on a list of strings such as tags.' })
export class StringListFilter {
  @Field(() => String, { nullable: true, description: 'Contains this value.' })
  has?: string;

  @Field(() => [String], { nullable: true, description: 'Contains at least one of these.' })
  hasAny?: string[];

  @Field(() => [String], { nullable: true, description: 'Contains all of these.' })
  hasAll?: string[];

  @Field(() => Boolean, { nullable: true })
  isEmpty?: boolean;
}

@InputType()
export class DateTimeFilter {
  @Field(() => DateTime, { nullable: true })
  eq?: Date;

  @Field(() => DateTime, { nullable: true })
  neq?: Date;

  @Field(() => DateTime, { nullable: true })
  gt?: Date;

  @Field(() => DateTime, { nullable: true })
  gte?: Date;

  @Field(() => DateTime, { nullable: true })
  lt?: Date;

  @Field(() => DateTime, { nullable: true })
  lte?: Date;

  @Field(() => Boolean, { nullable: true })
  isNull?: boolean;
}

@InputType()
export class IntFilter {
  @Field(() => Int, { nullable: true })
  eq?: number;

  @Field(() => Int, { nullable: true })
  neq?: number;

  @Field(() => [Int], { nullable: true })
  in?: number[];

  @Field(() => Int, { nullable: true })
  gt?: number;

  @Field(() => Int, { nullable: true })
  gte?: number;

  @Field(() => Int, { nullable: true })
  lt?: number;

  @Field(() => Int, { nullable: true })
  lte?: number;

  @Field(() => Boolean, { nullable: true })
  isNull?: boolean;
}

@InputType({ description: 'Decimal operators; values are decimal strings such as "1000.50".' })
export class DecimalFilter {
  @Field(() => String, { nullable: true })
  eq?: string;

  @Field(() => String, { nullable: true })
  neq?: string;

  @Field(() => String, { nullable: true })
  gt?: string;

  @Field(() => String, { nullable: true })
  gte?: string;

  @Field(() => String, { nullable: true })
  lt?: string;

  @Field(() => String, { nullable: true })
  lte?: string;

  @Field(() => Boolean, { nullable: true })
  isNull?: boolean;
}

@InputType({ description: 'Operators on ids of a referenced record.' })
export class IdFilter {
  @Field(() => ID, { nullable: true })
  eq?: string;

  @Field(() => ID, { nullable: true })
  neq?: string;

  @Field(() => [ID], { nullable: true })
  in?: string[];

  @Field(() => [ID], { nullable: true })
  notIn?: string[];

  @Field(() => Boolean, { nullable: true })
  isNull?: boolean;
}

/** `<Enum>Filter` with eq/neq/in/notIn/isNull for one enum. */
export function EnumFilter<E extends object>(enumType: E, name: string) {
  @InputType(`${name}Filter`)
  class Filter {
    @Field(() => enumType, { nullable: true })
    eq?: E[keyof E];

    @Field(() => enumType, { nullable: true })
    neq?: E[keyof E];

    @Field(() => [enumType], { nullable: true })
    in?: E[keyof E][];

    @Field(() => [enumType], { nullable: true })
    notIn?: E[keyof E][];

    @Field(() => Boolean, { nullable: true })
    isNull?: boolean;
  }
  return Filter;
}

/** `<Type>Order`: one orderBy term (field, direction, nulls placement). */
export function OrderType<E extends object>(fieldEnum: E, name: string) {
  @InputType(name)
  class Order {
    @Field(() => fieldEnum)
    field!: E[keyof E];

    @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
    direction!: OrderDirection;

    @Field(() => NullsOrder, { nullable: true })
    nulls?: NullsOrder;
  }
  return Order;
}

/** `<Type>RelationFilter`: conditions on a to-many relation (`some`, `none`, `every`). */
export function RelationFilterType<T extends object>(
  filter: ClassType<T>,
  name: string,
  description: string,
) {
  @InputType(name, { description })
  class RelationFilter {
    @Field(() => filter, { nullable: true })
    some?: T;

    @Field(() => filter, { nullable: true })
    none?: T;

    @Field(() => filter, { nullable: true })
    every?: T;
  }
  return RelationFilter;
}

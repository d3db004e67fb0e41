import { Field, ID, InputType, Int, ObjectType, type ClassType, type FieldOptions } from 'type-graphql';
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

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type GraphQLTypeRef = Function | object;
/** Operator names (space-separated), their GraphQL type, and options shared by them. */
type Operators = [names: string, type: () => GraphQLTypeRef | [GraphQLTypeRef], options?: FieldOptions][];

/** A filter input of operators (`eq`, `in`, `isNull`, …), every one optional. */
function operatorFilter(name: string, operators: Operators, description?: string): ClassType {
  const filter = { [name]: class {} }[name];
  for (const [names, type, options] of operators) {
    for (const op of names.split(' ')) Field(type, { nullable: true, ...options })(filter.prototype, op);
  }
  InputType(name, { description })(filter);
  return filter;
}

const isNull: Operators[number] = ['isNull', () => Boolean];

export const StringFilter = operatorFilter(
  'StringFilter',
  [
    ['eq neq contains startsWith endsWith', () => String],
    ['in notIn', () => [String]],
    isNull,
    ['ignoreCase', () => Boolean, { defaultValue: false }],
  ],
  'Text operators. Matching is case-sensitive unless ignoreCase is true.',
);

export const StringListFilter = operatorFilter(
  'StringListFilter',
  [
    ['has', () => String, { description: 'Contains this value.' }],
    ['hasAny', () => [String], { description: 'Contains at least one of these.' }],
    ['hasAll', () => [String], { description: 'Contains all of these.' }],
    ['isEmpty', () => Boolean],
  ],
  'Operators on a list of strings such as tags.',
);

export const DateTimeFilter = operatorFilter('DateTimeFilter', [
  ['eq neq gt gte lt lte', () => DateTime],
  isNull,
]);

export const IntFilter = operatorFilter('IntFilter', [
  ['eq neq gt gte lt lte', () => Int],
  ['in', () => [Int]],
  isNull,
]);

export const DecimalFilter = operatorFilter(
  'DecimalFilter',
  [['eq neq gt gte lt lte', () => String], isNull],
  'Decimal operators; values are decimal strings such as "1000.50".',
);

export const IdFilter = operatorFilter(
  'IdFilter',
  [['eq neq', () => ID], ['in notIn', () => [ID]], isNull],
  'Operators on ids of a referenced record.',
);

/** `<Enum>Filter` with eq/neq/in/notIn/isNull for one enum. */
export const EnumFilter = (enumType: object, name: string): ClassType =>
  operatorFilter(`${name}Filter`, [['eq neq', () => enumType], ['in notIn', () => [enumType]], isNull]);

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

import {
  ArgsType,
  Field,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
  type ClassType,
} from 'type-graphql';
import { GraphQLJSONObject, LocalDateResolver } from 'graphql-scalars';
import type { GraphQLScalarType } from 'graphql';
import { PageArgsBase } from '../graphql/args.js';
import { NodeInterface } from '../graphql/node.js';
import {
  ConnectionType,
  DateTime,
  DateTimeFilter,
  DecimalFilter,
  EnumFilter,
  IdFilter,
  IntFilter,
  OrderType,
  StringFilter,
  StringListFilter,
} from '../graphql/types.js';
import type { Column, ColumnKind, WriteRule } from './columns.js';
import type { RecordDeclaration } from './record.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type TypeRef = Function | GraphQLScalarType | object;
type TypeFn = () => TypeRef | [TypeRef];

const outputType: Record<ColumnKind, (c: Column) => TypeRef | [TypeRef]> = {
  text: () => String,
  int: () => Int,
  decimal: () => String,
  boolean: () => Boolean,
  enum: (c) => c.enumType as object,
  datetime: () => DateTime,
  date: () => LocalDateResolver,
  textList: () => [String],
  json: () => GraphQLJSONObject,
};

/** One `<Enum>Filter` per enum, whichever records filter by it. */
const enumFilters = new Map<string, ClassType>();

function filterType(c: Column): TypeRef | null {
  switch (c.kind) {
    case 'text':
      return StringFilter;
    case 'int':
      return IntFilter;
    case 'decimal':
      return DecimalFilter;
    case 'datetime':
    case 'date':
      return DateTimeFilter;
    case 'textList':
      return StringListFilter;
    case 'enum': {
      const name = c.enumName as string;
      let filter = enumFilters.get(name);
      if (!filter) enumFilters.set(name, (filter = EnumFilter(c.enumType as object, name)));
      return filter;
    }
    case 'boolean':
      return Boolean;
    default:
      return null;
  }
}

function named(name: string): ClassType {
  // A named class, so that type-graphql's messages (and stack traces) say which type.
  return { [name]: class {} }[name] as ClassType;
}

const field = (cls: ClassType, key: string, type: TypeFn, opts: Parameters<typeof Field>[1] = {}) =>
  Field(type as () => ClassType, opts)(cls.prototype, key);

/** The GraphQL types a record derives; hand-written types may extend or reference them. */
export interface RecordTypes {
  node: ClassType;
  connection: ClassType;
  filter: ClassType;
  order: ClassType;
  orderField: Record<string, string>;
  listArgs: ClassType;
}

/** The input and payload types of a record's uniform mutations (built only for records that have them). */
export interface RecordWriteTypes {
  createInput: ClassType;
  updateInput: ClassType;
  idInput: ClassType;
  payload: ClassType;
  deletePayload: ClassType;
}

const memo = new WeakMap<RecordDeclaration, RecordTypes>();
const writeMemo = new WeakMap<RecordDeclaration, RecordWriteTypes>();

const describeOrder = (decl: RecordDeclaration): string => {
  const first = decl.defaultOrder[0];
  const key = first ? decl.list.order[first.field]?.key : undefined;
  return `Default: ${key ?? 'id'} ${first?.direction === 'DESC' ? 'descending' : 'ascending'}.`;
};

/**
 * The node type, connection, filter, order, list arguments, inputs and payloads of a record,
 * built once per declaration from its columns and relations.
 */
export function recordTypes(decl: RecordDeclaration): RecordTypes {
  const known = memo.get(decl);
  if (known) return known;
  const T = decl.typeName;
  const columns = Object.entries({ ...decl.columns, ...decl.computed });

  const node = named(`${T}Node`);
  field(node, 'id', () => ID);
  for (const [key, c] of columns) {
    if (c.node === false) continue;
    field(node, key, () => outputType[c.kind](c), { nullable: c.nullable, description: c.description });
  }
  ObjectType(T, { simpleResolvers: true, implements: NodeInterface, description: decl.description })(node);

  const filter = named(`${T}Filter`);
  field(filter, 'and', () => [filter], { nullable: true });
  field(filter, 'or', () => [filter], { nullable: true });
  field(filter, 'not', () => filter, { nullable: true });
  field(filter, 'id', () => IdFilter, { nullable: true });
  for (const [key, c] of columns) {
    const type = filterType(c);
    if (type && key in decl.list.filters) {
      field(filter, key, () => type, { nullable: true, description: c.filterDescription });
    }
  }
  for (const [name, r] of Object.entries(decl.relations)) {
    field(filter, `${name}Id`, () => IdFilter, { nullable: true });
    if (r.filter === false) continue;
    field(filter, name, () => decl.target(name).filterInput(), {
      nullable: true,
      description: r.filterDescription,
    });
  }
  InputType(`${T}Filter`, { description: decl.texts?.filter })(filter);

  const orderField = Object.fromEntries(Object.keys(decl.list.order).map((k) => [k, k]));
  registerEnumType(orderField, { name: `${T}OrderField` });
  const order = OrderType(orderField, `${T}Order`);

  const listArgs = named(`${T}ListArgs`);
  Object.setPrototypeOf(listArgs.prototype, PageArgsBase.prototype);
  Object.setPrototypeOf(listArgs, PageArgsBase);
  field(listArgs, 'filter', () => filter, { nullable: true });
  field(listArgs, 'orderBy', () => [order], {
    nullable: true,
    description: decl.texts?.orderBy ?? describeOrder(decl),
  });
  if (decl.softDelete) {
    field(listArgs, 'includeDeleted', () => Boolean, {
      nullable: true,
      description: decl.texts?.includeDeleted ?? `Include soft-deleted ${decl.plural} (admin keys only).`,
    });
  }
  ArgsType()(listArgs);

  const types: RecordTypes = {
    node,
    connection: ConnectionType(node, T),
    filter,
    order,
    orderField,
    listArgs,
  };
  memo.set(decl, types);
  return types;
}

/**
 * Create and update inputs from the columns' write rules, the id input and the payloads. Each is
 * built on first use, so that a record with hand-written inputs still derives its payloads.
 */
export function recordWriteTypes(decl: RecordDeclaration): RecordWriteTypes {
  const known = writeMemo.get(decl);
  if (known) return known;
  let inputs: Pick<RecordWriteTypes, 'createInput' | 'updateInput'> | undefined;
  let payloads: Omit<RecordWriteTypes, 'createInput' | 'updateInput'> | undefined;
  const types = {
    get createInput() {
      return (inputs ??= inputTypes(decl)).createInput;
    },
    get updateInput() {
      return (inputs ??= inputTypes(decl)).updateInput;
    },
    get idInput() {
      return (payloads ??= payloadTypes(decl)).idInput;
    },
    get payload() {
      return (payloads ??= payloadTypes(decl)).payload;
    },
    get deletePayload() {
      return (payloads ??= payloadTypes(decl)).deletePayload;
    },
  };
  writeMemo.set(decl, types);
  return types;
}

function inputTypes(decl: RecordDeclaration): Pick<RecordWriteTypes, 'createInput' | 'updateInput'> {
  const T = decl.typeName;
  const create = decl.texts?.createInput ?? { name: `Create${T}Input` };
  const createInput = named(create.name);
  const updateInput = named(`Update${T}Input`);
  field(updateInput, 'id', () => ID);
  // Every writable field: the columns, the relations (as `<name>Id`) and the declared extra inputs.
  const writable: [string, TypeFn, WriteRule<unknown> | undefined][] = [
    ...Object.entries(decl.columns).map(([key, c]): [string, TypeFn, WriteRule<unknown> | undefined] => [
      key,
      () => outputType[c.kind](c),
      c.write,
    ]),
    ...Object.entries(decl.relations).map(([name, r]): [string, TypeFn, WriteRule<unknown> | undefined] => [
      `${name}Id`,
      () => ID,
      r.write,
    ]),
    ...Object.entries(decl.inputs ?? {}).map(([key, f]): [string, TypeFn, WriteRule<unknown>] => [
      key,
      f.type,
      { ...f, create: f.create ? 'optional' : undefined, update: f.update ?? false },
    ]),
  ];
  for (const [key, type, w] of writable) {
    if (!w) continue;
    if (w.create) {
      field(createInput, key, type, {
        nullable: w.create === 'optional',
        description: w.createDescription ?? w.description,
        defaultValue: w.defaultValue,
      });
    }
    if (w.update ?? Boolean(w.create)) {
      field(updateInput, key, type, { nullable: true, description: w.updateDescription ?? w.description });
    }
  }
  InputType(create.name, { description: create.description })(createInput);
  InputType(`Update${T}Input`, {
    description: decl.texts?.updateInput ?? 'Fields left out stay as they are; null clears a field.',
  })(updateInput);
  return { createInput, updateInput };
}

function payloadTypes(decl: RecordDeclaration): Omit<RecordWriteTypes, 'createInput' | 'updateInput'> {
  const T = decl.typeName;
  const { node } = recordTypes(decl);
  const idInput = named(`${T}IdInput`);
  field(idInput, 'id', () => ID);
  InputType(`${T}IdInput`)(idInput);

  const payload = named(`${T}Payload`);
  field(payload, decl.singular, () => node);
  ObjectType(`${T}Payload`, { simpleResolvers: true })(payload);

  const deletePayload = named(`Delete${T}Payload`);
  field(deletePayload, `deleted${T}Id`, () => ID);
  field(deletePayload, decl.singular, () => node, {
    description: `The ${decl.singular} as it is now, with deletedAt set.`,
  });
  ObjectType(`Delete${T}Payload`, { simpleResolvers: true })(deletePayload);

  return { idInput, payload, deletePayload };
}

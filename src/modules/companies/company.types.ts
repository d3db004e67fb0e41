import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { PageArgsBase } from '../../platform/graphql/args.js';
import { UserFilter } from '../users/index.js';
import { NodeInterface } from '../../platform/graphql/node.js';
import {
  ConnectionType,
  DateTime,
  DateTimeFilter,
  IdFilter,
  IntFilter,
  OrderType,
  StringFilter,
  StringListFilter,
} from '../../platform/graphql/types.js';

@ObjectType('Company', { simpleResolvers: true, implements: NodeInterface })
export class CompanyNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Lower-cased web domain, e.g. acme.com.' })
  domain!: string | null;

  @Field(() => String, { nullable: true })
  industry!: string | null;

  @Field(() => Int, { nullable: true })
  employees!: number | null;

  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => GraphQLJSONObject, { description: 'Values of the CustomFieldDefinitions for COMPANY.' })
  customFields!: Record<string, unknown>;

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime)
  updatedAt!: Date | string;

  @Field(() => DateTime, { nullable: true, description: 'Set when soft-deleted.' })
  deletedAt!: Date | string | null;
}

export const CompanyConnection = ConnectionType(CompanyNode, 'Company');

export enum CompanyOrderField {
  NAME = 'NAME',
  DOMAIN = 'DOMAIN',
  EMPLOYEES = 'EMPLOYEES',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(CompanyOrderField, { name: 'CompanyOrderField' });

export const CompanyOrder = OrderType(CompanyOrderField, 'CompanyOrder');
export type CompanyOrder = InstanceType<typeof CompanyOrder>;

@InputType({ description: 'All given conditions must hold; combine with and/or/not.' })
export class CompanyFilter {
  @Field(() => [CompanyFilter], { nullable: true })
  and?: CompanyFilter[];

  @Field(() => IdFilter, { nullable: true })
  ownerId?: IdFilter;

  @Field(() => UserFilter, { nullable: true, description: 'Conditions on the owner.' })
  owner?: UserFilter;

  @Field(() => [CompanyFilter], { nullable: true })
  or?: CompanyFilter[];

  @Field(() => CompanyFilter, { nullable: true })
  not?: CompanyFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => StringFilter, { nullable: true })
  name?: StringFilter;

  @Field(() => StringFilter, { nullable: true })
  domain?: StringFilter;

  @Field(() => StringFilter, { nullable: true })
  industry?: StringFilter;

  @Field(() => StringFilter, { nullable: true })
  phone?: StringFilter;

  @Field(() => IntFilter, { nullable: true })
  employees?: IntFilter;

  @Field(() => StringListFilter, { nullable: true })
  tags?: StringListFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  updatedAt?: DateTimeFilter;
}

@ArgsType()
export class CompaniesArgs extends PageArgsBase {
  @Field(() => CompanyFilter, { nullable: true })
  filter?: CompanyFilter | null;

  @Field(() => [CompanyOrder], { nullable: true, description: 'Default: createdAt ascending.' })
  orderBy?: CompanyOrder[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted companies (admin keys only).' })
  includeDeleted?: boolean | null;
}

@InputType()
export class CreateCompanyInput {
  @Field(() => ID, { nullable: true, description: 'A member of the organisation.' })
  ownerId?: string | null;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  domain?: string | null;

  @Field(() => String, { nullable: true })
  industry?: string | null;

  @Field(() => Int, { nullable: true })
  employees?: number | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  customFields?: Record<string, unknown> | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears a field.' })
export class UpdateCompanyInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'A member of the organisation.' })
  ownerId?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  domain?: string | null;

  @Field(() => String, { nullable: true })
  industry?: string | null;

  @Field(() => Int, { nullable: true })
  employees?: number | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the tags.' })
  tags?: string[] | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Merged into the stored values; a key set to null is removed.',
  })
  customFields?: Record<string, unknown> | null;
}

@InputType()
export class CompanyIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class CompanyPayload {
  @Field(() => CompanyNode)
  company!: CompanyNode;
}

@ObjectType({ simpleResolvers: true })
export class DeleteCompanyPayload {
  @Field(() => ID)
  deletedCompanyId!: string;

  @Field(() => CompanyNode, { description: 'The company as it is now, with deletedAt set.' })
  company!: CompanyNode;
}

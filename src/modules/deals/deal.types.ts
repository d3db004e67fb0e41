import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { PageArgsBase } from '../../platform/graphql/args.js';
import {
  ConnectionType,
  DateTime,
  DateTimeFilter,
  DecimalFilter,
  EnumFilter,
  IdFilter,
  IntFilter,
  OrderType,
  RelationFilterType,
  StringFilter,
  StringListFilter,
} from '../../platform/graphql/types.js';
import { UserNode } from '../auth/index.js';
import { CompanyFilter } from '../companies/index.js';
import { ContactFilter } from '../contacts/index.js';
import { UserFilter } from '../users/index.js';
import { StageKind } from './deal.entity.js';
import { NodeInterface } from '../../platform/graphql/node.js';

registerEnumType(StageKind, {
  name: 'StageKind',
  description: 'OPEN stages are in progress; WON and LOST close a deal.',
});

@ObjectType('Stage', { simpleResolvers: true, implements: NodeInterface })
export class StageNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: '0-based order within the pipeline.' })
  position!: number;

  @Field(() => Int, { description: 'Percent (0–100) chance that a deal here closes won.' })
  probability!: number;

  @Field(() => StageKind)
  kind!: StageKind;

  @Field(() => DateTime)
  createdAt!: Date | string;
}

@ObjectType('Pipeline', { simpleResolvers: true, implements: NodeInterface })
export class PipelineNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'New deals land here when no pipeline or stage is given.' })
  isDefault!: boolean;

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime)
  updatedAt!: Date | string;

  @Field(() => DateTime, { nullable: true })
  deletedAt!: Date | string | null;
}

@ObjectType('Deal', { simpleResolvers: true, implements: NodeInterface })
export class DealNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Exact decimal as a string, e.g. "1250.00".' })
  amount!: string | null;

  @Field({ description: 'ISO 4217 code, e.g. USD.' })
  currency!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  expectedCloseDate!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'When the deal entered a WON or LOST stage.' })
  closedAt!: Date | string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime)
  updatedAt!: Date | string;

  @Field(() => DateTime, { nullable: true })
  deletedAt!: Date | string | null;
}

@ObjectType('DealStageChange', { simpleResolvers: true, description: 'One move of a deal between stages.' })
export class DealStageChangeNode {
  @Field(() => ID)
  id!: string;

  @Field(() => StageNode, {
    nullable: true,
    description: 'Null for the first stage, or if the stage was deleted.',
  })
  fromStage!: StageNode | null;

  @Field(() => String, { nullable: true })
  fromStageName!: string | null;

  @Field(() => StageNode, { nullable: true, description: 'Null if the stage was deleted since.' })
  toStage!: StageNode | null;

  @Field()
  toStageName!: string;

  @Field(() => DateTime)
  changedAt!: Date | string;

  @Field(() => UserNode, { nullable: true })
  changedBy!: UserNode | null;
}

export const DealConnection = ConnectionType(DealNode, 'Deal');
export const PipelineConnection = ConnectionType(PipelineNode, 'Pipeline');

export enum DealOrderField {
  NAME = 'NAME',
  AMOUNT = 'AMOUNT',
  EXPECTED_CLOSE_DATE = 'EXPECTED_CLOSE_DATE',
  CLOSED_AT = 'CLOSED_AT',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(DealOrderField, { name: 'DealOrderField' });

export const DealOrder = OrderType(DealOrderField, 'DealOrder');
export type DealOrder = InstanceType<typeof DealOrder>;

export const StageKindFilter = EnumFilter(StageKind, 'StageKind');

@InputType()
export class StageFilter {
  @Field(() => [StageFilter], { nullable: true })
  and?: StageFilter[];

  @Field(() => [StageFilter], { nullable: true })
  or?: StageFilter[];

  @Field(() => StageFilter, { nullable: true })
  not?: StageFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => StringFilter, { nullable: true })
  name?: StringFilter;

  @Field(() => StageKindFilter, { nullable: true })
  kind?: InstanceType<typeof StageKindFilter>;

  @Field(() => IntFilter, { nullable: true })
  probability?: IntFilter;

  @Field(() => IdFilter, { nullable: true })
  pipelineId?: IdFilter;
}

export const ContactRelationFilter = RelationFilterType(
  ContactFilter,
  'ContactRelationFilter',
  'Conditions on related contacts: some match, none match, or every one matches.',
);
export type ContactRelationFilter = InstanceType<typeof ContactRelationFilter>;

@InputType({ description: 'All given conditions must hold; combine with and/or/not.' })
export class DealFilter {
  @Field(() => [DealFilter], { nullable: true })
  and?: DealFilter[];

  @Field(() => [DealFilter], { nullable: true })
  or?: DealFilter[];

  @Field(() => DealFilter, { nullable: true })
  not?: DealFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => StringFilter, { nullable: true })
  name?: StringFilter;

  @Field(() => DecimalFilter, { nullable: true })
  amount?: DecimalFilter;

  @Field(() => StringFilter, { nullable: true })
  currency?: StringFilter;

  @Field(() => IdFilter, { nullable: true })
  pipelineId?: IdFilter;

  @Field(() => IdFilter, { nullable: true })
  stageId?: IdFilter;

  @Field(() => StageFilter, { nullable: true })
  stage?: StageFilter;

  @Field(() => IdFilter, { nullable: true })
  companyId?: IdFilter;

  @Field(() => CompanyFilter, { nullable: true })
  company?: CompanyFilter;

  @Field(() => ContactRelationFilter, { nullable: true })
  contacts?: ContactRelationFilter;

  @Field(() => IdFilter, { nullable: true })
  ownerId?: IdFilter;

  @Field(() => UserFilter, { nullable: true })
  owner?: UserFilter;

  @Field(() => DateTimeFilter, { nullable: true, description: 'Compared at midnight UTC.' })
  expectedCloseDate?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  closedAt?: DateTimeFilter;

  @Field(() => StringListFilter, { nullable: true })
  tags?: StringListFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  updatedAt?: DateTimeFilter;
}

export const DealRelationFilter = RelationFilterType(
  DealFilter,
  'DealRelationFilter',
  'Conditions on related deals: some match, none match, or every one matches.',
);
export type DealRelationFilter = InstanceType<typeof DealRelationFilter>;

@ArgsType()
export class DealsArgs extends PageArgsBase {
  @Field(() => DealFilter, { nullable: true })
  filter?: DealFilter | null;

  @Field(() => [DealOrder], { nullable: true, description: 'Default: createdAt ascending.' })
  orderBy?: DealOrder[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted deals (admin keys only).' })
  includeDeleted?: boolean | null;
}

@ArgsType()
export class RelatedDealsArgs extends PageArgsBase {
  @Field(() => DealFilter, { nullable: true })
  filter?: DealFilter | null;

  @Field(() => [DealOrder], { nullable: true })
  orderBy?: DealOrder[] | null;
}

@ArgsType()
export class PipelinesArgs extends PageArgsBase {
  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted pipelines (admin keys only).' })
  includeDeleted?: boolean | null;
}

@InputType()
export class StageInput {
  @Field()
  name!: string;

  @Field(() => Int, { description: '0–100.' })
  probability!: number;

  @Field(() => StageKind, { defaultValue: StageKind.OPEN })
  kind!: StageKind;
}

@InputType()
export class CreatePipelineInput {
  @Field()
  name!: string;

  @Field(() => Boolean, { defaultValue: false })
  isDefault!: boolean;

  @Field(() => [StageInput], { description: 'In order; at least one.' })
  stages!: StageInput[];
}

@InputType()
export class UpdatePipelineInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true makes it the default; the previous default stops being one.',
  })
  isDefault?: boolean | null;
}

@InputType()
export class PipelineIdInput {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class CreateStageInput {
  @Field(() => ID)
  pipelineId!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  probability!: number;

  @Field(() => StageKind, { defaultValue: StageKind.OPEN })
  kind!: StageKind;

  @Field(() => Int, { nullable: true, description: 'Where to insert (0-based); default at the end.' })
  position?: number | null;
}

@InputType()
export class UpdateStageInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true })
  probability?: number | null;

  @Field(() => StageKind, { nullable: true })
  kind?: StageKind | null;
}

@InputType()
export class ReorderStagesInput {
  @Field(() => ID)
  pipelineId!: string;

  @Field(() => [ID], { description: 'Every stage of the pipeline, once, in the new order.' })
  stageIds!: string[];
}

@InputType()
export class DeleteStageInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Required when deals are in the stage: they move here first.',
  })
  moveDealsToStageId?: string | null;
}

@InputType()
export class CreateDealInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: 'Decimal string, e.g. "1250.00".' })
  amount?: string | null;

  @Field(() => String, { defaultValue: 'USD', description: 'ISO 4217.' })
  currency!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Default: the default pipeline (or the stage’s pipeline).',
  })
  pipelineId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Default: the first stage of the pipeline.' })
  stageId?: string | null;

  @Field(() => ID, { nullable: true })
  companyId?: string | null;

  @Field(() => [ID], { nullable: true })
  contactIds?: string[] | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  expectedCloseDate?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

@InputType({
  description: 'Fields left out stay as they are; null clears a field. Use moveDeal to change stage.',
})
export class UpdateDealInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  currency?: string | null;

  @Field(() => ID, { nullable: true })
  companyId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the contacts.' })
  contactIds?: string[] | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  expectedCloseDate?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

@InputType()
export class MoveDealInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'May belong to another pipeline: the deal moves with it.' })
  stageId!: string;
}

@InputType()
export class DealIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class DealPayload {
  @Field(() => DealNode)
  deal!: DealNode;
}

@ObjectType({ simpleResolvers: true })
export class DeleteDealPayload {
  @Field(() => ID)
  deletedDealId!: string;

  @Field(() => DealNode)
  deal!: DealNode;
}

@ObjectType({ simpleResolvers: true })
export class PipelinePayload {
  @Field(() => PipelineNode)
  pipeline!: PipelineNode;
}

@ObjectType({ simpleResolvers: true })
export class StagePayload {
  @Field(() => StageNode)
  stage!: StageNode;
}

@ObjectType({ simpleResolvers: true })
export class DeleteStagePayload {
  @Field(() => ID)
  deletedStageId!: string;

  @Field(() => PipelineNode)
  pipeline!: PipelineNode;

  @Field(() => Int, { description: 'Deals moved to moveDealsToStageId.' })
  movedDeals!: number;
}

@ObjectType({ simpleResolvers: true })
export class StageValue {
  @Field(() => StageNode)
  stage!: StageNode;

  @Field()
  currency!: string;

  @Field(() => Int)
  dealCount!: number;

  @Field({ description: 'Sum of amounts (decimal string).' })
  totalAmount!: string;

  @Field({ description: 'Sum of amount × stage probability (decimal string).' })
  weightedAmount!: string;
}

@ObjectType({ simpleResolvers: true })
export class CurrencyValue {
  @Field()
  currency!: string;

  @Field(() => Int)
  dealCount!: number;

  @Field()
  totalAmount!: string;

  @Field()
  weightedAmount!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Open and closed value of a pipeline, per stage and currency.',
})
export class PipelineValue {
  @Field(() => PipelineNode)
  pipeline!: PipelineNode;

  @Field(() => [StageValue], {
    description: 'One entry per stage and currency with deals (stages without deals are left out).',
  })
  byStage!: StageValue[];

  @Field(() => [CurrencyValue], {
    description: 'Totals per currency; amounts in different currencies are never added.',
  })
  totals!: CurrencyValue[];
}

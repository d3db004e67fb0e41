import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTime } from '../../platform/graphql/types.js';
import { recordTypes, recordWriteTypes, type InputOf } from '../../platform/records/index.js';
import { UserNode } from '../auth/index.js';
import { dealRecord, pipelineRecord, StageKind, stageRecord } from './deal.record.js';

/** The GraphQL types derived from the declarations, for the hand-written types and mutations below. */
export const { node: DealNode } = recordTypes(dealRecord);
export const { node: PipelineNode } = recordTypes(pipelineRecord);
export const { node: StageNode } = recordTypes(stageRecord);
export const {
  createInput: CreateDealInput,
  updateInput: UpdateDealInput,
  payload: DealPayload,
} = recordWriteTypes(dealRecord);
export const { payload: PipelinePayload } = recordWriteTypes(pipelineRecord);
export const { payload: StagePayload } = recordWriteTypes(stageRecord);
/** A deal's create and update inputs as the services read them. */
export type CreateDealInput = InputOf<typeof dealRecord> & { contactIds?: string[] | null };
export type UpdateDealInput = CreateDealInput & { id: string };

@ObjectType('DealStageChange', { simpleResolvers: true, description: 'One move of a deal between stages.' })
export class DealStageChangeNode {
  @Field(() => ID)
  id!: string;

  @Field(() => StageNode, {
    nullable: true,
    description: 'Null for the first stage, or if the stage was deleted.',
  })
  fromStage!: object | null;

  @Field(() => String, { nullable: true })
  fromStageName!: string | null;

  @Field(() => StageNode, { nullable: true, description: 'Null if the stage was deleted since.' })
  toStage!: object | null;

  @Field()
  toStageName!: string;

  @Field(() => DateTime)
  changedAt!: Date | string;

  @Field(() => UserNode, { nullable: true })
  changedBy!: object | null;
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
export class MoveDealInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'May belong to another pipeline: the deal moves with it.' })
  stageId!: string;
}

@ObjectType({ simpleResolvers: true })
export class DeleteStagePayload {
  @Field(() => ID)
  deletedStageId!: string;

  @Field(() => PipelineNode)
  pipeline!: object;

  @Field(() => Int, { description: 'Deals moved to moveDealsToStageId.' })
  movedDeals!: number;
}

@ObjectType({ simpleResolvers: true })
export class CurrencyValue {
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
export class StageValue extends CurrencyValue {
  @Field(() => StageNode)
  stage!: object;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Open and closed value of a pipeline, per stage and currency.',
})
export class PipelineValue {
  @Field(() => PipelineNode)
  pipeline!: object;

  @Field(() => [StageValue], {
    description: 'One entry per stage and currency with deals (stages without deals are left out).',
  })
  byStage!: StageValue[];

  @Field(() => [CurrencyValue], {
    description: 'Totals per currency; amounts in different currencies are never added.',
  })
  totals!: CurrencyValue[];
}

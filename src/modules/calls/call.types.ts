import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgsBase } from '../../platform/graphql/args.js';
import {
  ConnectionType,
  DateTime,
  DateTimeFilter,
  EnumFilter,
  IdFilter,
  IntFilter,
  OrderType,
  RelationFilterType,
  StringFilter,
} from '../../platform/graphql/types.js';
import { ContactFilter } from '../contacts/index.js';
import { DealFilter } from '../deals/index.js';
import { UserFilter } from '../users/index.js';
import { CallDirection, CallOutcome, CallStatus } from './call.entity.js';
import { NodeInterface } from '../../platform/graphql/node.js';

registerEnumType(CallDirection, { name: 'CallDirection' });
registerEnumType(CallStatus, { name: 'CallStatus' });
registerEnumType(CallOutcome, {
  name: 'CallOutcome',
  description: 'What came of the call, as recorded by a person.',
});

@ObjectType('Call', { simpleResolvers: true, implements: NodeInterface })
export class CallNode {
  @Field(() => ID)
  id!: string;

  @Field(() => CallDirection)
  direction!: CallDirection;

  @Field({ description: 'E.164.' })
  fromNumber!: string;

  @Field({ description: 'E.164.' })
  toNumber!: string;

  @Field(() => CallStatus)
  status!: CallStatus;

  @Field(() => DateTime, { nullable: true })
  startedAt!: Date | string | null;

  @Field(() => DateTime, { nullable: true })
  answeredAt!: Date | string | null;

  @Field(() => DateTime, { nullable: true })
  endedAt!: Date | string | null;

  @Field(() => Int, { nullable: true, description: 'Seconds.' })
  duration!: number | null;

  @Field(() => Int, { nullable: true, description: 'Billed seconds (provider-reported).' })
  billDuration!: number | null;

  @Field(() => String, { nullable: true })
  hangupCause!: string | null;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => CallOutcome, { nullable: true })
  outcome!: CallOutcome | null;

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime)
  updatedAt!: Date | string;

  @Field(() => DateTime, { nullable: true })
  deletedAt!: Date | string | null;
}

export const CallConnection = ConnectionType(CallNode, 'Call');

export enum CallOrderField {
  STARTED_AT = 'STARTED_AT',
  DURATION = 'DURATION',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(CallOrderField, { name: 'CallOrderField' });

export const CallOrder = OrderType(CallOrderField, 'CallOrder');
export type CallOrder = InstanceType<typeof CallOrder>;

export const CallDirectionFilter = EnumFilter(CallDirection, 'CallDirection');
export const CallStatusFilter = EnumFilter(CallStatus, 'CallStatus');
export const CallOutcomeFilter = EnumFilter(CallOutcome, 'CallOutcome');

@InputType()
export class CallFilter {
  @Field(() => [CallFilter], { nullable: true })
  and?: CallFilter[];

  @Field(() => [CallFilter], { nullable: true })
  or?: CallFilter[];

  @Field(() => CallFilter, { nullable: true })
  not?: CallFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => CallDirectionFilter, { nullable: true })
  direction?: InstanceType<typeof CallDirectionFilter>;

  @Field(() => CallStatusFilter, { nullable: true })
  status?: InstanceType<typeof CallStatusFilter>;

  @Field(() => CallOutcomeFilter, { nullable: true })
  outcome?: InstanceType<typeof CallOutcomeFilter>;

  @Field(() => StringFilter, { nullable: true })
  fromNumber?: StringFilter;

  @Field(() => StringFilter, { nullable: true })
  toNumber?: StringFilter;

  @Field(() => IdFilter, { nullable: true })
  contactId?: IdFilter;

  @Field(() => ContactFilter, { nullable: true })
  contact?: ContactFilter;

  @Field(() => IdFilter, { nullable: true })
  dealId?: IdFilter;

  @Field(() => DealFilter, { nullable: true })
  deal?: DealFilter;

  @Field(() => IdFilter, { nullable: true })
  ownerId?: IdFilter;

  @Field(() => UserFilter, { nullable: true })
  owner?: UserFilter;

  @Field(() => IntFilter, { nullable: true })
  duration?: IntFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  startedAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter;
}

export const CallRelationFilter = RelationFilterType(
  CallFilter,
  'CallRelationFilter',
  'Conditions on related calls: some match, none match, or every one matches.',
);
export type CallRelationFilter = InstanceType<typeof CallRelationFilter>;

@ArgsType()
export class CallsArgs extends PageArgsBase {
  @Field(() => CallFilter, { nullable: true })
  filter?: CallFilter | null;

  @Field(() => [CallOrder], { nullable: true, description: 'Default: newest first.' })
  orderBy?: CallOrder[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted calls (admin keys only).' })
  includeDeleted?: boolean | null;
}

@ArgsType()
export class RelatedCallsArgs extends PageArgsBase {
  @Field(() => CallFilter, { nullable: true })
  filter?: CallFilter | null;

  @Field(() => [CallOrder], { nullable: true })
  orderBy?: CallOrder[] | null;
}

@InputType({ description: 'Records a call made outside the service (nothing is dialled).' })
export class LogCallInput {
  @Field(() => CallDirection)
  direction!: CallDirection;

  @Field()
  fromNumber!: string;

  @Field()
  toNumber!: string;

  @Field(() => ID, { nullable: true })
  contactId?: string | null;

  @Field(() => ID, { nullable: true })
  dealId?: string | null;

  @Field(() => ID, { nullable: true, description: "Default: the API key's user." })
  ownerId?: string | null;

  @Field(() => CallStatus, { defaultValue: CallStatus.COMPLETED })
  status!: CallStatus;

  @Field(() => DateTime, { nullable: true })
  startedAt?: Date | null;

  @Field(() => DateTime, { nullable: true })
  answeredAt?: Date | null;

  @Field(() => DateTime, { nullable: true })
  endedAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Seconds; default endedAt − (answeredAt or startedAt).' })
  duration?: number | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => CallOutcome, { nullable: true })
  outcome?: CallOutcome | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears a field.' })
export class UpdateCallInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  contactId?: string | null;

  @Field(() => ID, { nullable: true })
  dealId?: string | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => CallOutcome, { nullable: true })
  outcome?: CallOutcome | null;
}

@InputType()
export class CallIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class CallPayload {
  @Field(() => CallNode)
  call!: CallNode;
}

@ObjectType({ simpleResolvers: true })
export class DeleteCallPayload {
  @Field(() => ID)
  deletedCallId!: string;

  @Field(() => CallNode)
  call!: CallNode;
}

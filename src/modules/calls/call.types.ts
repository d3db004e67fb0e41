import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTime } from '../../platform/graphql/types.js';
import { recordTypes, recordWriteTypes } from '../../platform/records/index.js';
import { CallDirection, CallOutcome, CallStatus, callRecord } from './call.record.js';

const types = recordTypes(callRecord);
const writeTypes = recordWriteTypes(callRecord);

/** The call's GraphQL types, derived from its declaration. */
export const CallNode = types.node;
export type CallNode = InstanceType<typeof CallNode>;
export const CallFilter = types.filter;
export type CallFilter = InstanceType<typeof CallFilter>;
export const CallPayload = writeTypes.payload;

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

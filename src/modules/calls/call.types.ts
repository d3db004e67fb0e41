import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTime } from '../../platform/graphql/types.js';
import { recordTypes, recordWriteTypes } from '../../platform/records/index.js';
import { CallDirection, CallOutcome, CallStatus, callRecord } from './call.record.js';

/** The call's GraphQL types, derived from its declaration, for the hand-written mutations. */
export const { node: CallNode } = recordTypes(callRecord);
export const { payload: CallPayload } = recordWriteTypes(callRecord);

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

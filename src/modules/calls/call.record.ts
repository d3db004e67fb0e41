import { datetime, defineRecord, enumOf, int, refOf, text, toOne } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { contactRecord } from '../contacts/index.js';
import { dealRecord } from '../deals/index.js';
import { userRef } from '../users/index.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const CallDirection = defineEnum('CallDirection', 'INBOUND OUTBOUND');
export type CallDirection = EnumOf<typeof CallDirection>;

export const CallStatus = defineEnum(
  'CallStatus',
  'QUEUED RINGING IN_PROGRESS COMPLETED BUSY FAILED NO_ANSWER CANCELED',
);
export type CallStatus = EnumOf<typeof CallStatus>;

export const CallOutcome = defineEnum(
  'CallOutcome',
  'CONNECTED LEFT_VOICEMAIL NO_ANSWER BUSY WRONG_NUMBER CALLBACK_REQUESTED INTERESTED NOT_INTERESTED OTHER',
  { description: 'What came of the call, as recorded by a person.' },
);
export type CallOutcome = EnumOf<typeof CallOutcome>;

const hidden = { nullable: true as const, filter: false };
const updatable = { nullable: true as const, write: { update: true } };

/**
 * A phone call: the one declaration its entity, GraphQL types and read path derive from. Calls are
 * logged (or placed) by the calls module's own mutations; only links, notes and outcome are updated.
 */
export const callRecord = defineRecord({
  typeName: 'Call',
  plural: 'calls',
  table: 'call',
  softDelete: true,
  columns: {
    direction: enumOf(CallDirection, 'CallDirection'),
    fromNumber: text({ description: 'E.164.' }),
    toNumber: text({ description: 'E.164.' }),
    status: enumOf(CallStatus, 'CallStatus'),
    startedAt: datetime({ nullable: true, order: true }),
    answeredAt: datetime(hidden),
    endedAt: datetime(hidden),
    duration: int({ nullable: true, order: true, description: 'Seconds.' }),
    billDuration: int({ ...hidden, description: 'Billed seconds (provider-reported).' }),
    hangupCause: text(hidden),
    notes: text({
      ...hidden,
      write: { update: true, check: (x, f) => v.optionalText(x, f, 10_000) ?? null },
    }),
    outcome: enumOf(CallOutcome, 'CallOutcome', { nullable: true, write: { update: true } }),
    /** Plivo's CallUUID for placed calls. */
    providerCallId: text({ ...hidden, node: false }),
    updatedAt: datetime({ order: true, filter: false }),
  },
  relations: {
    contact: toOne(() => refOf(contactRecord), updatable),
    deal: toOne(() => refOf(dealRecord), updatable),
    owner: toOne(() => userRef, updatable),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'DESC' }],
  indexes: [['createdAt'], ['contact'], ['deal']],
  texts: { orderBy: 'Default: newest first.' },
});

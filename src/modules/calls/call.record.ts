import { datetime, defineRecord, enumOf, int, refOf, text, toOne } from '../../platform/records/index.js';
import { badInput } from '../../platform/errors.js';
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
/** Given when a call is logged, never changed after. */
const logged = { create: 'required' as const, update: false };
const loggedIfKnown = { create: 'optional' as const, update: false };

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
    direction: enumOf(CallDirection, 'CallDirection', { write: logged }),
    fromNumber: text({ description: 'E.164.', write: { ...logged, check: v.phone } }),
    toNumber: text({ description: 'E.164.', write: { ...logged, check: v.phone } }),
    status: enumOf(CallStatus, 'CallStatus', { write: { ...logged, defaultValue: CallStatus.COMPLETED } }),
    startedAt: datetime({ nullable: true, order: true, write: loggedIfKnown }),
    answeredAt: datetime({ ...hidden, write: loggedIfKnown }),
    endedAt: datetime({ ...hidden, write: loggedIfKnown }),
    duration: int({
      nullable: true,
      order: true,
      description: 'Seconds.',
      write: {
        ...loggedIfKnown,
        description: 'Seconds; default endedAt − (answeredAt or startedAt).',
        check: (n, f) => {
          if (n < 0) throw badInput(f, 'must not be negative.');
          return n;
        },
      },
    }),
    billDuration: int({ ...hidden, description: 'Billed seconds (provider-reported).' }),
    hangupCause: text(hidden),
    notes: text({
      ...hidden,
      write: { create: 'optional', check: (x, f) => v.optionalText(x, f, 10_000) ?? null },
    }),
    outcome: enumOf(CallOutcome, 'CallOutcome', { nullable: true, write: { create: 'optional' } }),
    placedAt: datetime({
      nullable: true,
      order: true,
      description: 'When the service placed the call (placeCall); null for calls logged by hand.',
    }),
    userNumber: text({
      ...hidden,
      description: "Placed calls: the user's phone, rung first and then bridged to toNumber (E.164).",
    }),
    /** The provider's request id of a placed call (Plivo's request_uuid, or the simulation's). */
    providerCallId: text({ ...hidden, node: false }),
    /** The provider's id of the call leg once it reported one (Plivo's CallUUID): hangups use it. */
    providerCallUuid: text({ ...hidden, node: false }),
    updatedAt: datetime({ order: true, filter: false }),
  },
  relations: {
    contact: toOne(() => refOf(contactRecord), { nullable: true, write: { create: 'optional' } }),
    deal: toOne(() => refOf(dealRecord), { nullable: true, write: { create: 'optional' } }),
    owner: toOne(() => userRef, {
      nullable: true,
      write: { create: 'optional', createDescription: "Default: the API key's user." },
    }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'DESC' }],
  // Calls placed today are counted against the plan's calls per day.
  indexes: [['createdAt'], ['contact'], ['deal'], ['placedAt']],
  texts: {
    orderBy: 'Default: newest first.',
    createInput: {
      name: 'LogCallInput',
      description: 'Records a call made outside the service (nothing is dialled).',
    },
  },
});

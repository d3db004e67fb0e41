import { recordTypes, recordWriteTypes, type InputOf } from '../../platform/records/index.js';
import { callRecord } from './call.record.js';

/** The call's GraphQL types, derived from its declaration, for the hand-written mutations. */
export const { node: CallNode } = recordTypes(callRecord);
export const { payload: CallPayload, createInput: LogCallInput } = recordWriteTypes(callRecord);
/** A logged call's input as the service reads it. */
export type LogCallInput = InputOf<typeof callRecord>;

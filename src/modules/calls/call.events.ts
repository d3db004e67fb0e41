import { topic } from '../../platform/pubsub/pubsub.js';

/** A call of the organisation changed (status, timings, outcome, notes, deleted or restored). */
export const callTopic = topic<{ callId: string }>('call');

import { topic } from '../../platform/pubsub/pubsub.js';

/** An organisation's plan changed (billing): every instance forgets its cached keys, so the new limits apply at once. */
export const planChangedTopic = topic<{ plan: string }>('plan-changed');

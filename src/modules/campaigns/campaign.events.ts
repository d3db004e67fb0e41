import { topic } from '../../platform/pubsub/pubsub.js';

/** A campaign's members changed, so its stats and rates may have. */
export const bounceTopic = topic<{ campaignId: string }>('bounce');

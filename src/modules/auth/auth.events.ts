import { topic } from '../../platform/pubsub/pubsub.js';

/** A key was revoked: every instance forgets its cached lookup and closes its sockets. */
export const apiKeyRevokedTopic = topic<{ apiKeyId: string }>('api-key-revoked');

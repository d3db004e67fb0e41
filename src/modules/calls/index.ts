import type { AppModule } from '../../modules.js';
import { toMany } from '../../platform/records/index.js';
import { contactRecord } from '../contacts/index.js';
import { dealRecord } from '../deals/index.js';
import { callRecord } from './call.record.js';
import { CallResolver } from './call.resolver.js';
import { moveCalls } from './call.service.js';
import { PlivoWebhookNonce } from './webhook-nonce.entity.js';

/** Calls: logged and placed (click-to-call through the telephony provider), live status; `Contact.calls`, `Deal.calls`. */
export const callsModule: AppModule = {
  name: 'calls',
  uses: ['auth', 'users', 'contacts', 'deals', 'numbers'],
  resolvers: [CallResolver],
  records: [callRecord],
  entities: [PlivoWebhookNonce],
  hooks: { contactsMerged: moveCalls },
  relations: [
    toMany(contactRecord, 'calls', callRecord, 'contact_id', {
      filter: "Conditions on the contact's calls.",
    }),
    toMany(dealRecord, 'calls', callRecord, 'deal_id', { filter: "Conditions on the deal's calls." }),
  ],
};

/** What other modules may use of this one. */
export * from './call.record.js';
export * from './call.entity.js';
export * from './call.types.js';
export { callTopic } from './call.events.js';
export { applyCallEvent } from './call-status.js';
export { callsPlacedToday, type CallsDeps } from './placing.js';
export { plivoWebhooks } from './webhooks.js';

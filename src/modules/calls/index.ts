import type { AppModule } from '../../modules.js';
import { contactList, ContactFilter } from '../contacts/index.js';
import { dealList, DealFilter } from '../deals/index.js';
import { callList } from './call.read.js';
import { CallRelationFilter } from './call.types.js';
import { Call } from './call.entity.js';
import { CallResolver, ContactCallsResolver, DealCallsResolver } from './call.resolver.js';
import { moveCalls } from './call.service.js';

/** Calls and their live status; `Contact.calls`, `Deal.calls`. */
export const callsModule: AppModule = {
  name: 'calls',
  uses: ['auth', 'users', 'contacts', 'deals'],
  entities: [Call],
  resolvers: [CallResolver, ContactCallsResolver, DealCallsResolver],
  nodes: [callList],
  hooks: { contactsMerged: moveCalls },
  filters: [
    {
      list: contactList,
      filterInput: ContactFilter,
      name: 'calls',
      filter: { kind: 'many', fk: 'contact_id', target: () => callList },
      inputType: () => CallRelationFilter,
      description: "Conditions on the contact's calls.",
    },
    {
      list: dealList,
      filterInput: DealFilter,
      name: 'calls',
      filter: { kind: 'many', fk: 'deal_id', target: () => callList },
      inputType: () => CallRelationFilter,
      description: "Conditions on the deal's calls.",
    },
  ],
};

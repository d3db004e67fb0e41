import type { AppModule } from '../../modules.js';
import { contactList, ContactFilter } from '../contacts/index.js';
import { campaignList, memberList } from './campaign.read.js';
import { CampaignMemberRelationFilter } from './campaign.types.js';
import { Campaign, CampaignMember } from './campaign.entity.js';
import { CampaignMemberResolver, CampaignResolver, ContactCampaignsResolver } from './campaign.resolver.js';
import { moveCampaignMemberships } from './campaign.service.js';

/** Email campaigns, their recipients and stats; `Contact.campaignMemberships`. */
export const campaignsModule: AppModule = {
  name: 'campaigns',
  uses: ['auth', 'contacts'],
  entities: [Campaign, CampaignMember],
  resolvers: [CampaignResolver, CampaignMemberResolver, ContactCampaignsResolver],
  nodes: [campaignList, memberList],
  hooks: { contactsMerged: moveCampaignMemberships },
  filters: [
    {
      list: contactList,
      filterInput: ContactFilter,
      name: 'campaignMemberships',
      filter: { kind: 'many', fk: 'contact_id', target: () => memberList },
      inputType: () => CampaignMemberRelationFilter,
      description: "Conditions on the contact's campaign memberships.",
    },
  ],
};

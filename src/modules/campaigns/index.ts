import type { AppModule } from '../../modules.js';
import { Campaign, CampaignMember } from './campaign.entity.js';
import { CampaignMemberResolver, CampaignResolver, ContactCampaignsResolver } from './campaign.resolver.js';
import { moveCampaignMemberships } from './campaign.service.js';

/** Email campaigns, their recipients and stats; `Contact.campaignMemberships`. */
export const campaignsModule: AppModule = {
  name: 'campaigns',
  uses: ['auth', 'contacts'],
  entities: [Campaign, CampaignMember],
  resolvers: [CampaignResolver, CampaignMemberResolver, ContactCampaignsResolver],
  hooks: { contactsMerged: moveCampaignMemberships },
};

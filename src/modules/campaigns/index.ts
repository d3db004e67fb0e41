import type { AppModule } from '../../modules.js';
import { toMany } from '../../platform/records/index.js';
import { contactRecord } from '../contacts/index.js';
import { campaignRecord, memberRecord } from './campaign.record.js';
import { CampaignMemberResolver, CampaignResolver } from './campaign.resolver.js';
import { moveCampaignMemberships } from './campaign.service.js';

/** Email campaigns, their recipients and stats; `Campaign.members`, `Contact.campaignMemberships`. */
export const campaignsModule: AppModule = {
  name: 'campaigns',
  uses: ['auth', 'contacts'],
  resolvers: [CampaignResolver, CampaignMemberResolver],
  records: [campaignRecord, memberRecord],
  hooks: { contactsMerged: moveCampaignMemberships },
  relations: [
    toMany(campaignRecord, 'members', memberRecord, 'campaign_id', { filter: true }),
    toMany(contactRecord, 'campaignMemberships', memberRecord, 'contact_id', {
      filter: "Conditions on the contact's campaign memberships.",
    }),
  ],
};

/** What other modules may use of this one. */
export * from './campaign.record.js';
export * from './campaign.types.js';
export * from './campaign.entity.js';
export { campaignService } from './campaign.service.js';

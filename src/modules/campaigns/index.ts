import type { AppModule } from '../../modules.js';
import { toMany } from '../../platform/records/index.js';
import { contactRecord } from '../contacts/index.js';
import { campaignRecord, memberRecord } from './campaign.record.js';
import { CampaignMemberResolver, CampaignResolver } from './campaign.resolver.js';
import { moveCampaignMemberships } from './campaign.service.js';
import {
  CampaignChecksResolver,
  EmailSettingsResolver,
  SendingDomainResolver,
} from './email/domains.resolver.js';
import {
  EmailEvent,
  EmailOutboxMessage,
  EmailRestriction,
  EmailSettings,
  EmailSuppression,
  EmailWebhookToken,
  SendingDomain,
} from './email/email.entity.js';
import { CampaignSendingResolver } from './email/email.resolver.js';
import { EmailLinkSecret } from './email/link-secret.entity.js';
import { BounceRateChangeSendingResolver, EmailPolicyResolver } from './email/policy.resolver.js';

/** Email campaigns, their recipients and stats; `Campaign.members`, `Contact.campaignMemberships`. */
export const campaignsModule: AppModule = {
  name: 'campaigns',
  uses: ['auth', 'contacts'],
  resolvers: [
    CampaignResolver,
    CampaignMemberResolver,
    CampaignSendingResolver,
    SendingDomainResolver,
    EmailSettingsResolver,
    CampaignChecksResolver,
    EmailPolicyResolver,
    BounceRateChangeSendingResolver,
  ],
  records: [campaignRecord, memberRecord],
  entities: [
    EmailOutboxMessage,
    EmailWebhookToken,
    EmailEvent,
    EmailSuppression,
    EmailRestriction,
    SendingDomain,
    EmailSettings,
    EmailLinkSecret,
  ],
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
export { CampaignSender, emailsSentToday } from './email/sender.js';
export { CampaignChanges } from './email/changes.js';
export { MailgunTransport, OutboxTransport, type EmailTransport } from './email/transport.js';
export { MailgunDomains, type SendingDomains } from './email/domains.js';
export { campaignChecks } from './email/checks.js';
export type { EmailDeps } from './email/email.resolver.js';
export { bounceTopic } from './campaign.events.js';
export { mailgunWebhooks } from './email/webhooks.js';
export type { BouncePolicy } from './email/policy.js';
export { linkSecret, unsubscribeRoutes, unsubscribeToken } from './email/unsubscribe.js';

import { ApiKey, Organization, User } from './modules/auth/auth.entity.js';
import { Call } from './modules/calls/call.entity.js';
import { Campaign, CampaignMember } from './modules/campaigns/campaign.entity.js';
import { Company } from './modules/companies/company.entity.js';
import { Contact } from './modules/contacts/contact.entity.js';
import { CustomFieldDefinition } from './modules/custom-fields/custom-field.entity.js';
import { Deal, DealContact, DealStageChange, Pipeline, Stage } from './modules/deals/deal.entity.js';
import { ActiveSubscription, Plan, UsageBucket, UsageCounter } from './modules/usage/usage.entity.js';
import { PubSubMessage } from './platform/pubsub/pubsub-message.entity.js';

/** Every MikroORM entity, listed explicitly (no folder scanning). */
export const entities = [
  Organization,
  User,
  ApiKey,
  CustomFieldDefinition,
  Company,
  Contact,
  Pipeline,
  Stage,
  Deal,
  DealContact,
  DealStageChange,
  Campaign,
  CampaignMember,
  Call,
  Plan,
  UsageCounter,
  UsageBucket,
  ActiveSubscription,
  PubSubMessage,
];

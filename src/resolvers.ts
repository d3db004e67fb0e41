import type { NonEmptyArray } from 'type-graphql';
import type { ResolverClass } from './platform/graphql/schema.js';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { CompanyResolver } from './modules/companies/company.resolver.js';
import {
  CompanyContactsResolver,
  ContactBulkResolver,
  ContactResolver,
} from './modules/contacts/contact.resolver.js';
import { CustomFieldResolver } from './modules/custom-fields/custom-field.resolver.js';
import { UserResolver } from './modules/users/user.resolver.js';
import {
  CampaignMemberResolver,
  CampaignResolver,
  ContactCampaignsResolver,
} from './modules/campaigns/campaign.resolver.js';
import { CallResolver, ContactCallsResolver, DealCallsResolver } from './modules/calls/call.resolver.js';
import { NodeResolver } from './modules/search/search.resolver.js';
import { UsageResolver } from './modules/usage/usage.resolver.js';
import {
  CompanyDealsResolver,
  ContactDealsResolver,
  DealResolver,
  DealStageChangeResolver,
  PipelineResolver,
  StageResolver,
} from './modules/deals/deal.resolver.js';

/** Every resolver class of the schema, in module order. */
export const resolvers: NonEmptyArray<ResolverClass> = [
  AuthResolver,
  UserResolver,
  CustomFieldResolver,
  CompanyResolver,
  ContactResolver,
  ContactBulkResolver,
  CompanyContactsResolver,
  PipelineResolver,
  StageResolver,
  DealResolver,
  DealStageChangeResolver,
  ContactDealsResolver,
  CompanyDealsResolver,
  CampaignResolver,
  CampaignMemberResolver,
  ContactCampaignsResolver,
  CallResolver,
  ContactCallsResolver,
  DealCallsResolver,
  NodeResolver,
  UsageResolver,
];

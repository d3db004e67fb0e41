import type { AppModule } from '../../modules.js';
import { Deal, DealContact, DealStageChange, Pipeline, Stage } from './deal.entity.js';
import {
  CompanyDealsResolver,
  ContactDealsResolver,
  DealResolver,
  DealStageChangeResolver,
  PipelineResolver,
  StageResolver,
} from './deal.resolver.js';
import { createDefaultPipeline, moveDealLinks } from './deal.service.js';

/** Pipelines of ordered stages, deals and their history; `Contact.deals`, `Company.deals`. */
export const dealsModule: AppModule = {
  name: 'deals',
  uses: ['auth', 'users', 'companies', 'contacts'],
  entities: [Pipeline, Stage, Deal, DealContact, DealStageChange],
  resolvers: [
    PipelineResolver,
    StageResolver,
    DealResolver,
    DealStageChangeResolver,
    ContactDealsResolver,
    CompanyDealsResolver,
  ],
  hooks: { organizationCreated: createDefaultPipeline, contactsMerged: moveDealLinks },
};

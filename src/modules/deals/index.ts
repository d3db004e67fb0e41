import type { AppModule } from '../../modules.js';
import { companyList, CompanyFilter } from '../companies/index.js';
import { contactList, ContactFilter } from '../contacts/index.js';
import { dealList, pipelineList, stageList } from './deal.read.js';
import { DealRelationFilter } from './deal.types.js';
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
  nodes: [dealList, pipelineList, stageList],
  filters: [
    {
      list: contactList,
      filterInput: ContactFilter,
      name: 'deals',
      filter: {
        kind: 'through',
        through: 'deal_contact',
        fk: 'contact_id',
        targetFk: 'deal_id',
        target: () => dealList,
      },
      inputType: () => DealRelationFilter,
      description: "Conditions on the contact's deals.",
    },
    {
      list: companyList,
      filterInput: CompanyFilter,
      name: 'deals',
      filter: { kind: 'many', fk: 'company_id', target: () => dealList },
      inputType: () => DealRelationFilter,
      description: "Conditions on the company's deals.",
    },
  ],
};

/** What other modules may use of this one. */
export * from './deal.types.js';
export * from './deal.read.js';
export * from './deal.entity.js';

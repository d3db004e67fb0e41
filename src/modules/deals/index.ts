import type { AppModule } from '../../modules.js';
import { refOf, toMany } from '../../platform/records/index.js';
import { companyRecord } from '../companies/index.js';
import { contactRecord } from '../contacts/index.js';
import { DealContact, DealStageChange } from './deal.entity.js';
import { dealRecord, pipelineRecord, stageRecord } from './deal.record.js';
import { DealResolver, DealStageChangeResolver, PipelineResolver, StageResolver } from './deal.resolver.js';
import { createDefaultPipeline, moveDealLinks } from './deal.service.js';

const dealContacts = { through: 'deal_contact', ownerFk: 'contact_id', targetFk: 'deal_id' };

/** Pipelines of ordered stages, deals and their history; `Contact.deals`, `Company.deals`. */
export const dealsModule: AppModule = {
  name: 'deals',
  uses: ['auth', 'users', 'companies', 'contacts'],
  records: [dealRecord, pipelineRecord, stageRecord],
  entities: [DealContact, DealStageChange],
  resolvers: [PipelineResolver, StageResolver, DealResolver, DealStageChangeResolver],
  hooks: { organizationCreated: createDefaultPipeline, contactsMerged: moveDealLinks },
  relations: [
    toMany({ owner: () => refOf(pipelineRecord), name: 'deals', target: dealRecord, via: 'pipeline_id' }),
    toMany({ owner: () => refOf(stageRecord), name: 'deals', target: dealRecord, via: 'stage_id' }),
    toMany({
      owner: () => refOf(dealRecord),
      name: 'contacts',
      target: contactRecord,
      via: { through: 'deal_contact', ownerFk: 'deal_id', targetFk: 'contact_id' },
      filter: true,
    }),
    toMany({
      owner: () => refOf(contactRecord),
      name: 'deals',
      target: dealRecord,
      via: dealContacts,
      filter: true,
      filterDescription: "Conditions on the contact's deals.",
    }),
    toMany({
      owner: () => refOf(companyRecord),
      name: 'deals',
      target: dealRecord,
      via: 'company_id',
      filter: true,
      filterDescription: "Conditions on the company's deals.",
    }),
  ],
};

/** What other modules may use of this one. */
export * from './deal.record.js';
export * from './deal.types.js';
export * from './deal.entity.js';
export { dealService } from './deal.service.js';

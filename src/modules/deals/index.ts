import type { AppModule } from '../../modules.js';
import { toMany } from '../../platform/records/index.js';
import { companyRecord } from '../companies/index.js';
import { contactRecord } from '../contacts/index.js';
import { DealContact, DealStageChange } from './deal.entity.js';
import { dealRecord, pipelineRecord, stageRecord } from './deal.record.js';
import { DealResolver, DealStageChangeResolver, PipelineResolver, StageResolver } from './deal.resolver.js';
import { createDefaultPipeline, moveDealLinks } from './deal.service.js';

/** The join table of deals and their contacts. */
const through = 'deal_contact';

/** Pipelines of ordered stages, deals and their history; `Contact.deals`, `Company.deals`. */
export const dealsModule: AppModule = {
  name: 'deals',
  uses: ['auth', 'users', 'companies', 'contacts'],
  records: [dealRecord, pipelineRecord, stageRecord],
  entities: [DealContact, DealStageChange],
  resolvers: [PipelineResolver, StageResolver, DealResolver, DealStageChangeResolver],
  hooks: { organizationCreated: createDefaultPipeline, contactsMerged: moveDealLinks },
  relations: [
    toMany(pipelineRecord, 'deals', dealRecord, 'pipeline_id'),
    toMany(stageRecord, 'deals', dealRecord, 'stage_id'),
    toMany(
      dealRecord,
      'contacts',
      contactRecord,
      { through, ownerFk: 'deal_id', targetFk: 'contact_id' },
      { filter: true },
    ),
    toMany(
      contactRecord,
      'deals',
      dealRecord,
      { through, ownerFk: 'contact_id', targetFk: 'deal_id' },
      {
        filter: "Conditions on the contact's deals.",
      },
    ),
    toMany(companyRecord, 'deals', dealRecord, 'company_id', {
      filter: "Conditions on the company's deals.",
    }),
  ],
};

/** What other modules may use of this one. */
export * from './deal.record.js';
export * from './deal.types.js';
export * from './deal.entity.js';
export { dealService } from './deal.service.js';

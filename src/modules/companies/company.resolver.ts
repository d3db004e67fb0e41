import { recordResolver } from '../../platform/records/index.js';
import { companyRecord } from './company.record.js';
import { companyService } from './company.service.js';

/** Companies: list, by id, create, update, soft delete, restore and the owner, all uniform. */
export const CompanyResolver = recordResolver(companyRecord, {
  service: companyService,
  texts: { delete: 'Soft delete: restoreCompany brings it back; its contacts keep it.' },
});

import { recordService } from '../../platform/records/index.js';
import { CustomFieldObject, applyCustomFields } from '../custom-fields/index.js';
import { Company } from './company.entity.js';
import { companyRecord } from './company.record.js';

/** Create, update, soft delete and restore; custom fields are checked against their definitions. */
export const companyService = recordService(companyRecord, Company, {
  async write(em, company, input, creating) {
    company.customFields = await applyCustomFields(
      em,
      CustomFieldObject.COMPANY,
      company.customFields,
      input.customFields as Record<string, unknown> | null | undefined,
      'input.customFields',
      creating,
    );
  },
});

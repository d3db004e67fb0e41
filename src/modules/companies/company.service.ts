import { recordService } from '../../platform/records/index.js';
import { CustomFieldObject, loadDefinitions, mergeCustomFields } from '../custom-fields/index.js';
import { Company } from './company.entity.js';
import { companyRecord } from './company.record.js';

/** Create, update, soft delete and restore; custom fields are checked against their definitions. */
export const companyService = recordService(companyRecord, Company, {
  load: (em) => loadDefinitions(em, CustomFieldObject.COMPANY),
  apply(company, input, path, creating, definitions) {
    company.customFields = mergeCustomFields(
      definitions,
      company.customFields,
      input.customFields as Record<string, unknown> | null | undefined,
      `${path}.customFields`,
      creating,
    );
  },
});

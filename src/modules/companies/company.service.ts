import { recordService } from '../../platform/records/index.js';
import { CustomFieldObject, customFieldRules } from '../custom-fields/index.js';
import { Company } from './company.entity.js';
import { companyRecord } from './company.record.js';

/** Create, update, soft delete and restore; custom fields are checked against their definitions. */
export const companyService = recordService(
  companyRecord,
  Company,
  customFieldRules(CustomFieldObject.COMPANY),
);

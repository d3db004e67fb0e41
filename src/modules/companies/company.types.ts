import { recordTypes } from '../../platform/records/index.js';
import { companyRecord } from './company.record.js';

/** The company's node type, derived from its declaration (search returns it). */
export const { node: CompanyNode } = recordTypes(companyRecord);

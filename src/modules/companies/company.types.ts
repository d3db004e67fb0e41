import { recordTypes, recordWriteTypes } from '../../platform/records/index.js';
import { companyRecord } from './company.record.js';

const types = recordTypes(companyRecord);

/** The company's GraphQL types, derived from its declaration. */
export const CompanyNode = types.node;
export type CompanyNode = InstanceType<typeof CompanyNode>;
export const CompanyFilter = types.filter;
export type CompanyFilter = InstanceType<typeof CompanyFilter>;
export const CompanyConnection = types.connection;
export const CompanyWriteTypes = () => recordWriteTypes(companyRecord);

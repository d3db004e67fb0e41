import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { companyRecord } from './company.record.js';

const { entity, schema } = recordEntity(companyRecord);

/** The company entity (write path) and its MikroORM schema, from the declaration. */
export const Company = entity;
export type Company = InstanceType<typeof Company>;
export const CompanySchema = schema;

/** A company as the read path returns it: plain row, `id` global, `pk` the table key. */
export type CompanyRow = RowOf<typeof companyRecord>;
export const companyList = companyRecord.list;

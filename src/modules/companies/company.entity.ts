import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { companyRecord } from './company.record.js';

/** The company entity (write path) from the declaration (its MikroORM schema is listed by the module). */
export const { entity: Company } = recordEntity(companyRecord);
export type Company = InstanceType<typeof Company>;

/** A company as the read path returns it: plain row, `id` global, `pk` the table key. */
export type CompanyRow = RowOf<typeof companyRecord>;
export const companyList = companyRecord.list;

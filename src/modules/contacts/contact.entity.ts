import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { contactRecord } from './contact.record.js';

const { entity, schema } = recordEntity(contactRecord);

/** The contact entity (write path) and its MikroORM schema, from the declaration. */
export const Contact = entity;
export type Contact = InstanceType<typeof Contact>;
export const ContactSchema = schema;

/** A contact as the read path returns it: plain row, `id` global, `pk` the table key. */
export type ContactRow = RowOf<typeof contactRecord>;
export const contactList = contactRecord.list;

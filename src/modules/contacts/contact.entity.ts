import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { contactRecord } from './contact.record.js';

/** The contact entity (write path) from the declaration (its MikroORM schema is listed by the module). */
export const { entity: Contact } = recordEntity(contactRecord);
export type Contact = InstanceType<typeof Contact>;

/** A contact as the read path returns it: plain row, `id` global, `pk` the table key. */
export type ContactRow = RowOf<typeof contactRecord>;
export const contactList = contactRecord.list;

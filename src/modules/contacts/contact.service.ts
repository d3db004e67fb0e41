import type { EntityManager } from '../../platform/db/orm.js';
import { badInput, notFound } from '../../platform/errors.js';
import { fromGlobalId } from '../../platform/ids.js';
import * as v from '../../platform/validation.js';
import { Company } from '../companies/company.entity.js';
import { CustomFieldObject } from '../custom-fields/custom-field.entity.js';
import { applyCustomFields } from '../custom-fields/custom-field.service.js';
import { ownerRef } from '../users/user.service.js';
import { Contact } from './contact.entity.js';
import type { CreateContactInput, UpdateContactInput } from './contact.types.js';

/** The company must exist in the caller's organisation (the tenant filter sees to that). */
async function companyRef(
  em: EntityManager,
  id: string | null | undefined,
  field: string,
): Promise<string | null> {
  if (!id) return null;
  const pk = fromGlobalId(id, 'Company', field);
  const exists = await em.count(Company, { id: pk, deletedAt: null });
  if (!exists) throw badInput(field, `no company ${id} exists.`);
  return pk;
}

const emails = (list: string[] | null | undefined, field: string) => v.list(list ?? [], field, 20, v.email);
const phones = (list: string[] | null | undefined, field: string) => v.list(list ?? [], field, 20, v.phone);

function requireIdentity(c: Contact): void {
  if (!c.firstName && !c.lastName && c.emails.length === 0) {
    throw badInput('input', 'a contact needs a first name, a last name or an email address.');
  }
}

export async function createContact(
  em: EntityManager,
  organization: string,
  input: CreateContactInput,
): Promise<Contact> {
  const c = new Contact();
  c.organization = organization;
  c.firstName = v.optionalText(input.firstName, 'input.firstName', 100) ?? null;
  c.lastName = v.optionalText(input.lastName, 'input.lastName', 100) ?? null;
  c.emails = emails(input.emails, 'input.emails');
  c.phones = phones(input.phones, 'input.phones');
  c.jobTitle = v.optionalText(input.jobTitle, 'input.jobTitle', 200) ?? null;
  c.lifecycleStage = input.lifecycleStage ?? null;
  c.tags = v.list(input.tags ?? [], 'input.tags', 50, v.tag);
  requireIdentity(c);
  c.company = await companyRef(em, input.companyId, 'input.companyId');
  c.owner = await ownerRef(em, input.ownerId, 'input.ownerId');
  c.customFields = await applyCustomFields(
    em,
    CustomFieldObject.CONTACT,
    {},
    input.customFields,
    'input.customFields',
    true,
  );
  await em.persistAndFlush(c);
  return c;
}

export async function findContact(
  em: EntityManager,
  id: string,
  opts: { live?: boolean } = {},
): Promise<Contact> {
  const pk = fromGlobalId(id, 'Contact', 'input.id');
  const c = await em.findOne(Contact, { id: pk });
  if (!c || (opts.live && c.deletedAt)) throw notFound('Contact', id);
  return c;
}

export async function updateContact(em: EntityManager, input: UpdateContactInput): Promise<Contact> {
  const c = await findContact(em, input.id, { live: true });
  if (input.firstName !== undefined)
    c.firstName = v.optionalText(input.firstName, 'input.firstName', 100) ?? null;
  if (input.lastName !== undefined)
    c.lastName = v.optionalText(input.lastName, 'input.lastName', 100) ?? null;
  if (input.emails !== undefined) c.emails = emails(input.emails, 'input.emails');
  if (input.phones !== undefined) c.phones = phones(input.phones, 'input.phones');
  if (input.jobTitle !== undefined)
    c.jobTitle = v.optionalText(input.jobTitle, 'input.jobTitle', 200) ?? null;
  if (input.lifecycleStage !== undefined) c.lifecycleStage = input.lifecycleStage;
  if (input.tags !== undefined) c.tags = v.list(input.tags ?? [], 'input.tags', 50, v.tag);
  requireIdentity(c);
  if (input.companyId !== undefined) c.company = await companyRef(em, input.companyId, 'input.companyId');
  if (input.ownerId !== undefined) c.owner = await ownerRef(em, input.ownerId, 'input.ownerId');
  c.customFields = await applyCustomFields(
    em,
    CustomFieldObject.CONTACT,
    c.customFields,
    input.customFields,
    'input.customFields',
    false,
  );
  await em.flush();
  return c;
}

export async function setContactDeleted(em: EntityManager, id: string, deleted: boolean): Promise<Contact> {
  // Deleting needs a live contact; restoring a live one is a no-op.
  const c = await findContact(em, id, { live: deleted });
  c.deletedAt = deleted ? new Date() : null;
  await em.flush();
  return c;
}

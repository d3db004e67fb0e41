import { findRecord, setRecordDeleted } from '../../platform/db/refs.js';
import type { EntityManager } from '../../platform/db/orm.js';
import { badInput } from '../../platform/errors.js';
import * as v from '../../platform/validation.js';
import { CustomFieldObject, applyCustomFields } from '../custom-fields/index.js';
import { ownerRef } from '../users/index.js';
import { Company } from './company.entity.js';
import type { CreateCompanyInput, UpdateCompanyInput } from './company.types.js';

function employees(n: number | null | undefined, field: string): number | null | undefined {
  if (n != null && n < 0) throw badInput(field, 'must not be negative.');
  return n;
}

export async function createCompany(
  em: EntityManager,
  organization: string,
  input: CreateCompanyInput,
): Promise<Company> {
  const c = new Company();
  c.organization = organization;
  c.name = v.text(input.name, 'input.name', { max: 200 });
  c.domain = input.domain ? v.domain(input.domain, 'input.domain') : null;
  c.industry = v.optionalText(input.industry, 'input.industry', 100) ?? null;
  c.employees = employees(input.employees, 'input.employees') ?? null;
  c.phone = input.phone ? v.phone(input.phone, 'input.phone') : null;
  c.tags = v.list(input.tags ?? [], 'input.tags', 50, v.tag);
  c.owner = await ownerRef(em, input.ownerId, 'input.ownerId');
  c.customFields = await applyCustomFields(
    em,
    CustomFieldObject.COMPANY,
    {},
    input.customFields,
    'input.customFields',
    true,
  );
  await em.persistAndFlush(c);
  return c;
}

export async function updateCompany(em: EntityManager, input: UpdateCompanyInput): Promise<Company> {
  const c = await findRecord(em, Company, 'Company', input.id, { live: true });
  if (input.name !== undefined) {
    if (input.name === null) throw badInput('input.name', 'cannot be cleared.');
    c.name = v.text(input.name, 'input.name', { max: 200 });
  }
  if (input.domain !== undefined) c.domain = input.domain ? v.domain(input.domain, 'input.domain') : null;
  if (input.industry !== undefined)
    c.industry = v.optionalText(input.industry, 'input.industry', 100) ?? null;
  if (input.employees !== undefined) c.employees = employees(input.employees, 'input.employees') ?? null;
  if (input.phone !== undefined) c.phone = input.phone ? v.phone(input.phone, 'input.phone') : null;
  if (input.tags !== undefined) c.tags = v.list(input.tags ?? [], 'input.tags', 50, v.tag);
  if (input.ownerId !== undefined) c.owner = await ownerRef(em, input.ownerId, 'input.ownerId');
  c.customFields = await applyCustomFields(
    em,
    CustomFieldObject.COMPANY,
    c.customFields,
    input.customFields,
    'input.customFields',
    false,
  );
  await em.flush();
  return c;
}

export const setCompanyDeleted = (em: EntityManager, id: string, deleted: boolean): Promise<Company> =>
  setRecordDeleted(em, Company, 'Company', id, deleted);

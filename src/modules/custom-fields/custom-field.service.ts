import type { EntityManager } from '../../platform/db/orm.js';
import { badInput, conflict, notFound } from '../../platform/errors.js';
import { fromGlobalId, toGlobalId } from '../../platform/ids.js';
import * as v from '../../platform/validation.js';
import { CustomFieldDefinition, CustomFieldObject, CustomFieldType } from './custom-field.entity.js';
import type { CreateCustomFieldDefinitionInput, CustomFieldDefinitionNode } from './custom-field.types.js';

const KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real day: 2026-02-30 does not round-trip. */
const isCalendarDate = (v: string) => {
  const d = new Date(`${v}T00:00:00Z`);
  return DATE.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};

export const toDefinitionNode = (d: CustomFieldDefinition): CustomFieldDefinitionNode => ({
  id: toGlobalId('CustomFieldDefinition', d.id),
  objectType: d.objectType,
  key: d.key,
  label: d.label,
  type: d.type,
  options: d.options,
  required: d.required,
  createdAt: d.createdAt,
});

export async function listDefinitions(em: EntityManager, objectType?: CustomFieldObject | null) {
  const defs = await em.find(CustomFieldDefinition, objectType ? { objectType } : {}, {
    orderBy: { objectType: 'asc', key: 'asc' },
  });
  return defs.map(toDefinitionNode);
}

export async function createDefinition(
  em: EntityManager,
  organization: string,
  input: CreateCustomFieldDefinitionInput,
) {
  if (!KEY.test(input.key))
    throw badInput('input.key', 'must be letters, digits or _, start with a letter, ≤ 63 chars.');
  const options = v.list(input.options ?? [], 'input.options', 200, (o, f) => v.text(o, f, { max: 100 }));
  const needsOptions = input.type === CustomFieldType.SELECT || input.type === CustomFieldType.MULTI_SELECT;
  if (needsOptions && options.length === 0)
    throw badInput('input.options', `is required for ${input.type} fields.`);
  if (!needsOptions && options.length > 0)
    throw badInput('input.options', `is only allowed for SELECT and MULTI_SELECT.`);
  if (await em.count(CustomFieldDefinition, { objectType: input.objectType, key: input.key })) {
    throw conflict(`A ${input.objectType} custom field "${input.key}" already exists.`, { key: input.key });
  }
  const def = new CustomFieldDefinition();
  Object.assign(def, {
    organization,
    objectType: input.objectType,
    key: input.key,
    label: v.text(input.label, 'input.label', { max: 100 }),
    type: input.type,
    options,
    required: input.required,
  });
  await em.persistAndFlush(def);
  return toDefinitionNode(def);
}

export async function deleteDefinition(em: EntityManager, id: string): Promise<string> {
  const def = await em.findOne(CustomFieldDefinition, {
    id: fromGlobalId(id, 'CustomFieldDefinition', 'input.id'),
  });
  if (!def) throw notFound('CustomFieldDefinition', id);
  await em.removeAndFlush(def);
  return id;
}

function checkValue(def: CustomFieldDefinition, value: unknown, field: string): unknown {
  switch (def.type) {
    case CustomFieldType.TEXT:
      if (typeof value !== 'string' || value.length > 1000 || value.includes('\u0000')) {
        throw badInput(field, 'must be text of at most 1000 characters, without NUL.');
      }
      return value;
    case CustomFieldType.NUMBER:
      if (typeof value !== 'number' || !Number.isFinite(value)) throw badInput(field, 'must be a number.');
      return value;
    case CustomFieldType.BOOLEAN:
      if (typeof value !== 'boolean') throw badInput(field, 'must be true or false.');
      return value;
    case CustomFieldType.DATE:
      if (typeof value !== 'string' || !isCalendarDate(value)) {
        throw badInput(field, 'must be a date "YYYY-MM-DD".');
      }
      return value;
    case CustomFieldType.SELECT:
      if (typeof value !== 'string' || !def.options.includes(value)) {
        throw badInput(field, `must be one of: ${def.options.join(', ')}.`);
      }
      return value;
    case CustomFieldType.MULTI_SELECT:
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'string' && def.options.includes(x))) {
        throw badInput(field, `must be a list of: ${def.options.join(', ')}.`);
      }
      return [...new Set(value as string[])];
  }
}

/** Loads the definitions that `customFields` of `objectType` are checked against. */
export function loadDefinitions(
  em: EntityManager,
  objectType: CustomFieldObject,
): Promise<CustomFieldDefinition[]> {
  return em.find(CustomFieldDefinition, { objectType });
}

/**
 * Validates `input` against `defs` and merges it into `current`: unknown keys are refused,
 * a key set to null is removed, `input: null` clears all, required keys must remain.
 */
export function mergeCustomFields(
  defs: CustomFieldDefinition[],
  current: Record<string, unknown>,
  input: Record<string, unknown> | null | undefined,
  field: string,
  creating: boolean,
): Record<string, unknown> {
  if (input === undefined && !creating) return current;
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const next: Record<string, unknown> = input === null ? {} : { ...current };
  for (const [key, value] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    if (!def) throw badInput(`${field}.${key}`, 'is not a defined custom field.');
    if (value === null) delete next[key];
    else next[key] = checkValue(def, value, `${field}.${key}`);
  }
  for (const def of defs) {
    if (def.required && next[def.key] === undefined) throw badInput(`${field}.${def.key}`, 'is required.');
  }
  return next;
}

/**
 * The write rules of a record with `customFields` (a record's `RecordRules`): the definitions are
 * loaded once per write (or batch), and each record's values are checked and merged with them.
 */
export function customFieldRules(objectType: CustomFieldObject) {
  return {
    load: (em: EntityManager) => loadDefinitions(em, objectType),
    apply(
      record: { customFields: Record<string, unknown> },
      input: Record<string, unknown>,
      path: string,
      creating: boolean,
      definitions: CustomFieldDefinition[],
    ): void {
      const given = input.customFields as Record<string, unknown> | null | undefined;
      record.customFields = mergeCustomFields(
        definitions,
        record.customFields,
        given,
        `${path}.customFields`,
        creating,
      );
    },
  };
}

import { badInput } from '../../platform/errors.js';
import { defineRecord, int, json, text, textList, toOne } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { userRef } from '../users/index.js';

/** A company (account): the one declaration its entity, GraphQL types and read path derive from. */
export const companyRecord = defineRecord({
  typeName: 'Company',
  plural: 'companies',
  table: 'company',
  softDelete: true,
  columns: {
    name: text({ order: true, write: { create: 'required', check: (x, f) => v.text(x, f, { max: 200 }) } }),
    domain: text({
      nullable: true,
      order: true,
      description: 'Lower-cased web domain, e.g. acme.com.',
      write: { create: 'optional', check: (x, f) => (x ? v.domain(x, f) : null) },
    }),
    industry: text({
      nullable: true,
      write: { create: 'optional', check: (x, f) => v.optionalText(x, f, 100) ?? null },
    }),
    employees: int({
      nullable: true,
      order: true,
      write: {
        create: 'optional',
        check: (n, f) => {
          if (n < 0) throw badInput(f, 'must not be negative.');
          return n;
        },
      },
    }),
    phone: text({
      nullable: true,
      description: 'E.164.',
      write: { create: 'optional', check: (x, f) => (x ? v.phone(x, f) : null) },
    }),
    tags: textList({
      default: () => [],
      write: {
        create: 'optional',
        updateDescription: 'Replaces the tags.',
        check: (x, f) => v.list(x, f, 50, v.tag),
      },
    }),
    customFields: json({
      default: () => ({}),
      description: 'Values of the CustomFieldDefinitions for COMPANY.',
      write: {
        create: 'optional',
        byRules: true,
        updateDescription: 'Merged into the stored values; a key set to null is removed.',
      },
    }),
  },
  relations: {
    owner: toOne(() => userRef, {
      nullable: true,
      filterDescription: 'Conditions on the owner.',
      write: { create: 'optional', description: 'A member of the organisation.' },
    }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  indexes: [['createdAt'], ['name']],
  texts: { filter: 'All given conditions must hold; combine with and/or/not.' },
});

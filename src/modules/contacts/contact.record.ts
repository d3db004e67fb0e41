import { defineRecord, enumOf, json, refOf, text, textList, toOne } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { companyRecord } from '../companies/index.js';
import { userRef } from '../users/index.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const LifecycleStage = defineEnum(
  'LifecycleStage',
  'SUBSCRIBER LEAD MARKETING_QUALIFIED_LEAD SALES_QUALIFIED_LEAD OPPORTUNITY CUSTOMER EVANGELIST OTHER',
);
export type LifecycleStage = EnumOf<typeof LifecycleStage>;

export const EmailStatus = defineEnum('EmailStatus', 'SUBSCRIBED UNSUBSCRIBED BOUNCED COMPLAINED', {
  description: 'Whether campaign email may be sent to the contact.',
});
export type EmailStatus = EnumOf<typeof EmailStatus>;

export const MAX_EMAILS = 20;
export const MAX_PHONES = 20;
export const MAX_TAGS = 50;

const optionalText = (max: number) => ({
  create: 'optional' as const,
  check: (x: string, f: string) => v.optionalText(x, f, max) ?? null,
});

/** A person: the one declaration its entity, GraphQL types and read path derive from. */
export const contactRecord = defineRecord({
  typeName: 'Contact',
  plural: 'contacts',
  table: 'contact',
  softDelete: true,
  columns: {
    firstName: text({ nullable: true, order: true, write: optionalText(100) }),
    lastName: text({ nullable: true, order: true, write: optionalText(100) }),
    emails: textList({
      default: () => [],
      description: 'Lower-cased; the first is the primary address.',
      filterDescription: 'Addresses are stored lower-cased.',
      write: {
        create: 'optional',
        description: 'The first is the primary address.',
        updateDescription: 'Replaces the addresses.',
        check: (x, f) => v.list(x, f, MAX_EMAILS, v.email),
      },
    }),
    phones: textList({
      default: () => [],
      description: 'E.164 numbers.',
      write: {
        create: 'optional',
        description: 'E.164, e.g. +14155550123.',
        updateDescription: 'Replaces the numbers.',
        check: (x, f) => v.list(x, f, MAX_PHONES, v.phone),
      },
    }),
    jobTitle: text({ nullable: true, order: true, write: optionalText(200) }),
    lifecycleStage: enumOf(LifecycleStage, 'LifecycleStage', {
      nullable: true,
      order: true,
      write: { create: 'optional' },
    }),
    emailStatus: enumOf(EmailStatus, 'EmailStatus', {
      default: () => EmailStatus.SUBSCRIBED,
      dbDefault: EmailStatus.SUBSCRIBED,
    }),
    tags: textList({
      default: () => [],
      write: {
        create: 'optional',
        updateDescription: 'Replaces the tags.',
        check: (x, f) => v.list(x, f, MAX_TAGS, v.tag),
      },
    }),
    customFields: json({
      default: () => ({}),
      description: 'Values of the CustomFieldDefinitions for CONTACT.',
      write: {
        create: 'optional',
        byRules: true,
        updateDescription: 'Merged into the stored values; a key set to null is removed.',
      },
    }),
  },
  computed: {
    name: text({
      description: 'First and last name joined; empty if neither is known.',
      read: (t) => `concat_ws(' ', ${t}.first_name, ${t}.last_name)`,
    }),
    primaryEmail: text({ nullable: true, order: true, read: 'emails[1]' }),
  },
  relations: {
    owner: toOne(() => userRef, {
      nullable: true,
      filterDescription: 'Conditions on the owner.',
      write: { create: 'optional', description: 'A member of the organisation.' },
    }),
    company: toOne(() => refOf(companyRecord), {
      nullable: true,
      filterDescription: "Conditions on the contact's company.",
      write: { create: 'optional' },
    }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  indexes: [
    ['createdAt'],
    // A company's first contacts in the default order are a range scan (compiled reads, no sort).
    ['company', 'createdAt', 'id'],
    // Upserts and merges match contacts by any of their addresses.
    {
      name: 'contact_emails_gin',
      expression: 'create index "contact_emails_gin" on "contact" using gin ("emails")',
    },
  ],
  texts: { filter: 'All given conditions must hold; combine with and/or/not.' },
});

import { badInput } from '../../platform/errors.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';
import { datetime, defineRecord, enumOf, text } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { PhoneNumberType } from './number-type.js';

export const ComplianceStatus = defineEnum('ComplianceStatus', 'DRAFT SUBMITTED APPROVED REJECTED', {
  description:
    'DRAFT: being filled in. SUBMITTED: with the provider for review. APPROVED: numbers of its country and type can be rented. REJECTED: see rejectionReason; edit and submit again.',
});
export type ComplianceStatus = EnumOf<typeof ComplianceStatus>;

export const EndUserType = defineEnum('EndUserType', 'BUSINESS INDIVIDUAL', {
  description: 'Who will use the numbers.',
});
export type EndUserType = EnumOf<typeof EndUserType>;

/** ISO 3166-1 alpha-2, upper-cased. */
export function countryCode(value: string, field: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw badInput(field, 'must be an ISO 3166-1 alpha-2 country code, e.g. DE.');
  return code;
}

const detail = (max: number, description: string) =>
  text({
    nullable: true,
    filter: false,
    description,
    write: {
      create: 'optional' as const,
      check: (x: string, f: string) => v.optionalText(x, f, max) ?? null,
    },
  });

/**
 * The details a regulator asks for before numbers of a country and type may be rented
 * (CONTRACT §8): the end user, their address and documents. Filled in as a DRAFT, submitted to the
 * provider's compliance API, then APPROVED or REJECTED by it. Which details a country and type
 * need is the rules table (compliance-rules.ts).
 */
export const complianceRecord = defineRecord({
  typeName: 'ComplianceApplication',
  plural: 'complianceApplications',
  table: 'compliance_application',
  softDelete: false,
  description: 'Regulatory details for renting numbers of one country and number type.',
  columns: {
    country: text({
      order: true,
      description: 'ISO 3166-1 alpha-2 country of the numbers.',
      write: { create: 'required', update: false, check: countryCode },
    }),
    numberType: enumOf(PhoneNumberType, 'PhoneNumberType', { write: { create: 'required', update: false } }),
    status: enumOf(ComplianceStatus, 'ComplianceStatus', {
      order: true,
      default: () => ComplianceStatus.DRAFT,
      dbDefault: ComplianceStatus.DRAFT,
    }),
    endUserType: enumOf(EndUserType, 'EndUserType', { write: { create: 'required' } }),
    businessName: detail(200, 'The business (end user type BUSINESS).'),
    firstName: detail(100, 'The person (or the business contact).'),
    lastName: detail(100, 'The person (or the business contact).'),
    email: text({
      nullable: true,
      filter: false,
      write: { create: 'optional', check: (x, f) => (x ? v.email(x, f) : null) },
    }),
    addressLine: detail(300, 'Street and number.'),
    city: detail(100, 'City.'),
    postalCode: detail(20, 'Postal code.'),
    addressCountry: text({
      nullable: true,
      filter: false,
      description: 'ISO 3166-1 alpha-2 country of the address.',
      write: { create: 'optional', check: (x, f) => (x ? countryCode(x, f) : null) },
    }),
    registrationNumber: detail(100, 'Company registration or tax number.'),
    rejectionReason: text({
      nullable: true,
      filter: false,
      description: "The provider's reason (REJECTED).",
    }),
    submittedAt: datetime({ nullable: true, order: true }),
    decidedAt: datetime({ nullable: true, description: 'When it was approved or rejected.' }),
    /** The provider's application id once submitted. */
    providerApplicationId: text({ nullable: true, filter: false, node: false }),
    updatedAt: datetime({ order: true, filter: false }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'DESC' }],
  indexes: [['createdAt']],
  texts: {
    createInput: {
      name: 'CreateComplianceApplicationInput',
      description:
        'A DRAFT application; add documents with addComplianceDocument, then submitComplianceApplication.',
    },
    updateInput: 'Only DRAFT and REJECTED applications can change (a REJECTED one becomes DRAFT again).',
  },
});

import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';
import type { PhoneNumberType } from './number-type.js';

export const ComplianceDocumentType = defineEnum(
  'ComplianceDocumentType',
  'PROOF_OF_ADDRESS PROOF_OF_IDENTITY BUSINESS_REGISTRATION TAX_CERTIFICATE',
  { description: 'What a compliance document proves.' },
);
export type ComplianceDocumentType = EnumOf<typeof ComplianceDocumentType>;

/** The end-user details an application can hold (ComplianceApplication's fields). */
export type ComplianceDetail =
  | 'businessName'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'addressLine'
  | 'city'
  | 'postalCode'
  | 'addressCountry'
  | 'registrationNumber';

/** What a regulator asks for one country and number type. */
export interface ComplianceRule {
  /** Details every application needs. */
  details: ComplianceDetail[];
  /** More details when the end user is a business. */
  businessDetails?: ComplianceDetail[];
  documents: ComplianceDocumentType[];
  /** Documents an individual gives instead of `businessDocuments`. */
  individualDocuments?: ComplianceDocumentType[];
  businessDocuments?: ComplianceDocumentType[];
  /** The address must be in the number's country. */
  localAddress?: boolean;
  /** Only businesses may rent there. */
  businessOnly?: boolean;
}

const ADDRESS: ComplianceDetail[] = ['addressLine', 'city', 'postalCode', 'addressCountry'];
const PERSON: ComplianceDetail[] = ['firstName', 'lastName', 'email'];

const europeanLocal: ComplianceRule = {
  details: [...PERSON, ...ADDRESS],
  businessDetails: ['businessName', 'registrationNumber'],
  documents: ['PROOF_OF_ADDRESS'],
  individualDocuments: ['PROOF_OF_IDENTITY'],
  businessDocuments: ['BUSINESS_REGISTRATION'],
  localAddress: true,
};
const europeanNational: ComplianceRule = { ...europeanLocal, localAddress: false };

/**
 * Which country × number type needs which details (CONTRACT §8): renting a number there needs an
 * APPROVED application for the same country and type. Countries and types not listed need none.
 * Modelled on the regulators' published requirements (address in the area for local numbers,
 * identity or business registration, Indian numbers for registered businesses only); a table to
 * extend, not a legal opinion.
 */
export const COMPLIANCE_RULES: Readonly<Record<string, Partial<Record<PhoneNumberType, ComplianceRule>>>> = {
  DE: { LOCAL: europeanLocal, NATIONAL: europeanNational, MOBILE: europeanNational },
  FR: { LOCAL: europeanLocal, NATIONAL: europeanNational, MOBILE: europeanNational },
  IT: { LOCAL: europeanLocal, MOBILE: europeanNational },
  ES: { LOCAL: europeanLocal, NATIONAL: europeanNational },
  BE: { LOCAL: europeanLocal, NATIONAL: europeanNational },
  AT: { LOCAL: europeanLocal, NATIONAL: europeanNational },
  CH: { LOCAL: europeanLocal, NATIONAL: europeanNational },
  AU: {
    LOCAL: { details: [...PERSON, ...ADDRESS], documents: ['PROOF_OF_ADDRESS'], localAddress: true },
    MOBILE: { details: [...PERSON, ...ADDRESS], documents: ['PROOF_OF_ADDRESS'] },
  },
  BR: {
    LOCAL: {
      details: [...PERSON, ...ADDRESS, 'registrationNumber'],
      documents: ['PROOF_OF_ADDRESS'],
      individualDocuments: ['PROOF_OF_IDENTITY'],
      businessDocuments: ['BUSINESS_REGISTRATION'],
      localAddress: true,
    },
  },
  IN: Object.fromEntries(
    (['LOCAL', 'MOBILE', 'TOLL_FREE', 'NATIONAL'] as const).map((t) => [
      t,
      {
        details: [...PERSON, ...ADDRESS, 'businessName', 'registrationNumber'],
        documents: ['BUSINESS_REGISTRATION', 'TAX_CERTIFICATE', 'PROOF_OF_ADDRESS'],
        localAddress: true,
        businessOnly: true,
      } satisfies ComplianceRule,
    ]),
  ),
};

export function complianceRule(country: string, numberType: PhoneNumberType): ComplianceRule | null {
  return COMPLIANCE_RULES[country]?.[numberType] ?? null;
}

/** The details and documents a rule asks of this end user type. */
export function requirementsOf(
  rule: ComplianceRule,
  endUserType: 'BUSINESS' | 'INDIVIDUAL',
): { details: ComplianceDetail[]; documents: ComplianceDocumentType[] } {
  const business = endUserType === 'BUSINESS';
  return {
    details: [...new Set([...rule.details, ...(business ? (rule.businessDetails ?? []) : [])])],
    documents: [
      ...new Set([
        ...rule.documents,
        ...((business ? rule.businessDocuments : rule.individualDocuments) ?? []),
      ]),
    ],
  };
}

/** An application as the check reads it. */
export interface ApplicationDetails extends Partial<Record<ComplianceDetail, string | null>> {
  country: string;
  endUserType: 'BUSINESS' | 'INDIVIDUAL';
}

/**
 * What an application still lacks under its rule, as names a client can show: detail fields
 * (`addressLine`), documents (`document:PROOF_OF_ADDRESS`) and conditions
 * (`addressCountry:DE`, `endUserType:BUSINESS`). Empty when it is complete (or nothing is needed).
 */
export function missingDetails(
  rule: ComplianceRule | null,
  app: ApplicationDetails,
  documents: readonly string[],
): string[] {
  if (!rule) return [];
  const missing: string[] = [];
  if (rule.businessOnly && app.endUserType !== 'BUSINESS') missing.push('endUserType:BUSINESS');
  const needs = requirementsOf(rule, rule.businessOnly ? 'BUSINESS' : app.endUserType);
  for (const d of needs.details) if (!app[d]) missing.push(d);
  if (rule.localAddress && app.addressCountry && app.addressCountry !== app.country) {
    missing.push(`addressCountry:${app.country}`);
  }
  for (const d of needs.documents) if (!documents.includes(d)) missing.push(`document:${d}`);
  return missing;
}

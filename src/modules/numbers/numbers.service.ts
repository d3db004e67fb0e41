import { createHash } from 'node:crypto';
import { PhoneNumberUtil } from 'google-libphonenumber';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { EntityManager } from '../../platform/db/orm.js';
import type { TenantSql } from '../../platform/db/tenant-sql.js';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../platform/errors.js';
import { recordService } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { toGlobalId } from '../../platform/ids.js';
import { ComplianceStatus, complianceRecord, countryCode } from './compliance.record.js';
import {
  complianceRule,
  missingDetails,
  type ApplicationDetails,
  type ComplianceDocumentType,
} from './compliance-rules.js';
import { ComplianceApplication, ComplianceDocument, PhoneNumber } from './numbers.entity.js';
import type { PhoneNumberType } from './number-type.js';
import { PhoneNumberStatus } from './phone-number.record.js';
import { TelephonyError, type AvailableNumber, type Telephony } from './telephony.js';

/** The plan limits the numbers and calls modules enforce (from the plan table). */
export type PlanLimits = (plan: string) => Promise<{ phoneNumbers: number; callsPerDay: number }>;

export interface NumbersDeps {
  telephony?: Telephony;
  planLimits?: PlanLimits;
}

export const MAX_SEARCH_RESULTS = 50;
export const MAX_DOCUMENT_BYTES = 512 * 1024;
export const MAX_DOCUMENTS = 10;
export const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];

/** A provider failure as a client sees it: its refusal as bad input, its absence as an internal error. */
export function telephonyFailure(err: unknown, field: string, what: string): Error {
  if (!(err instanceof TelephonyError)) return err instanceof Error ? err : new Error(String(err));
  if (err.status === 404) return new AppError(ErrorCode.NOT_FOUND, `${what}: the provider does not know it.`);
  if (err.status !== null && err.status >= 400 && err.status < 500 && err.status !== 401) {
    return badInput(field, `the telephony provider refused: ${err.message}`);
  }
  return new AppError(
    ErrorCode.INTERNAL_SERVER_ERROR,
    `${what}: the telephony provider is unavailable; nothing changed. Try again later.`,
  );
}

export function requireTelephony(deps: NumbersDeps): Telephony {
  if (!deps.telephony) throw new Error('telephony is not configured');
  return deps.telephony;
}

/**
 * The country a number belongs to: where it is valid, else the main country of its calling code
 * (a provider's new ranges can be newer than libphonenumber's data).
 */
export function countryOfNumber(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  if (parsed.country) return parsed.country;
  const main = PhoneNumberUtil.getInstance().getRegionCodeForCountryCode(Number(parsed.countryCallingCode));
  return main && /^[A-Z]{2}$/.test(main) && main !== 'ZZ' ? main : null;
}

/** Digits a search pattern may hold. */
function pattern(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!/^[0-9]{1,10}$/.test(value)) throw badInput(field, 'must be 1 to 10 digits.');
  return value;
}

export async function searchNumbers(
  telephony: Telephony,
  input: { country: string; numberType: PhoneNumberType; pattern?: string | null; first?: number | null },
): Promise<Array<AvailableNumber & { complianceRequired: boolean }>> {
  const country = countryCode(input.country, 'country');
  const limit = input.first ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_RESULTS) {
    throw badInput('first', `must be between 1 and ${MAX_SEARCH_RESULTS}.`);
  }
  const q = { country, numberType: input.numberType, pattern: pattern(input.pattern, 'pattern'), limit };
  let found: AvailableNumber[];
  try {
    found = await telephony.search(q);
  } catch (err) {
    throw telephonyFailure(err, 'country', 'Number search');
  }
  const complianceRequired = complianceRule(country, input.numberType) !== null;
  return found.slice(0, limit).map((n) => ({ ...n, complianceRequired }));
}

/** The compliance refusal for renting in a regulated country, naming what is missing. */
export function complianceRequired(
  country: string,
  numberType: PhoneNumberType,
  best: { id: string; status: string; missing: string[]; rejectionReason: string | null } | null,
): AppError {
  const what = `Numbers of type ${numberType} in ${country} need an approved compliance application`;
  const shown = best ? toGlobalId('ComplianceApplication', best.id) : null;
  if (!best) {
    const rule = complianceRule(country, numberType);
    const missing = missingDetails(
      rule,
      { country, endUserType: rule?.businessOnly ? 'BUSINESS' : 'INDIVIDUAL' },
      [],
    );
    return new AppError(
      ErrorCode.COMPLIANCE_INFO_REQUIRED,
      `${what}; there is none. Create one (createComplianceApplication) with: ${missing.join(', ')}.`,
      { country, numberType, missing, applicationId: null, applicationStatus: null },
    );
  }
  const state =
    best.status === ComplianceStatus.SUBMITTED
      ? "is waiting for the provider's review"
      : best.status === ComplianceStatus.REJECTED
        ? `was rejected (${best.rejectionReason ?? 'no reason given'})`
        : best.missing.length
          ? `is a draft still missing: ${best.missing.join(', ')}`
          : 'is a complete draft: submit it (submitComplianceApplication)';
  return new AppError(ErrorCode.COMPLIANCE_INFO_REQUIRED, `${what}; application ${shown} ${state}.`, {
    country,
    numberType,
    missing: best.status === ComplianceStatus.SUBMITTED ? ['approval'] : best.missing,
    applicationId: toGlobalId('ComplianceApplication', best.id),
    applicationStatus: best.status,
    rejectionReason: best.rejectionReason,
  });
}

const detailsOf = (a: ComplianceApplication): ApplicationDetails => ({
  country: a.country,
  endUserType: a.endUserType,
  businessName: a.businessName,
  firstName: a.firstName,
  lastName: a.lastName,
  email: a.email,
  addressLine: a.addressLine,
  city: a.city,
  postalCode: a.postalCode,
  addressCountry: a.addressCountry,
  registrationNumber: a.registrationNumber,
});

/** The types of the application's documents. */
async function documentTypes(em: EntityManager, applicationId: string): Promise<string[]> {
  const docs = await em.find(ComplianceDocument, { application: applicationId }, { fields: ['type'] });
  return docs.map((d) => d.type);
}

/** What the application still lacks under its country's rule. */
export async function missingOf(em: EntityManager, a: ComplianceApplication): Promise<string[]> {
  return missingDetails(complianceRule(a.country, a.numberType), detailsOf(a), await documentTypes(em, a.id));
}

/** Asks the provider about a submitted application and records its decision. */
export async function refreshDecision(
  em: EntityManager,
  telephony: Telephony,
  a: ComplianceApplication,
): Promise<ComplianceApplication> {
  if (a.status !== ComplianceStatus.SUBMITTED || !a.providerApplicationId) return a;
  let decision;
  try {
    decision = await telephony.complianceDecision(a.providerApplicationId);
  } catch (err) {
    throw telephonyFailure(err, 'input.id', 'Compliance application');
  }
  if (decision.status === ComplianceStatus.SUBMITTED) return a;
  a.status = decision.status;
  a.rejectionReason = decision.status === ComplianceStatus.REJECTED ? (decision.reason ?? null) : null;
  a.decidedAt = new Date();
  a.updatedAt = new Date();
  await em.flush();
  return a;
}

/**
 * The application a rental in a regulated country and type goes under: an APPROVED one (a
 * SUBMITTED one is asked about first), else `COMPLIANCE_INFO_REQUIRED` naming what is missing.
 */
async function approvedApplication(
  em: EntityManager,
  telephony: Telephony,
  country: string,
  numberType: PhoneNumberType,
): Promise<ComplianceApplication> {
  const apps = await em.find(
    ComplianceApplication,
    { country, numberType },
    { orderBy: { updatedAt: 'desc' } },
  );
  for (const a of apps) if (a.status === ComplianceStatus.SUBMITTED) await refreshDecision(em, telephony, a);
  const approved = apps.find((a) => a.status === ComplianceStatus.APPROVED);
  if (approved) return approved;
  // The most advanced one explains the refusal: submitted, then drafts, then rejected.
  const rank = [ComplianceStatus.SUBMITTED, ComplianceStatus.DRAFT, ComplianceStatus.REJECTED];
  const best = [...apps].sort((x, y) => rank.indexOf(x.status) - rank.indexOf(y.status))[0];
  throw complianceRequired(
    country,
    numberType,
    best
      ? {
          id: best.id,
          status: best.status,
          missing: await missingOf(em, best),
          rejectionReason: best.rejectionReason,
        }
      : null,
  );
}

function limitReached(limit: number, used: number): AppError {
  return new AppError(
    ErrorCode.USAGE_LIMIT_EXCEEDED,
    `The plan allows ${limit} rented phone numbers and ${used} are rented; release one (releasePhoneNumber) or change plan.`,
    { dimension: 'PHONE_NUMBERS', limit, used, resetAt: null },
  );
}

/**
 * Rents a number the provider offers (CONTRACT §8): within the plan's phone numbers, under an
 * approved compliance application where the country and type need one, and only if the provider
 * still offers it. The row is written in the transaction that holds the organisation's lock
 * around the provider's purchase, so two rentals cannot both pass the limit and a failed purchase
 * leaves nothing behind.
 */
export async function rentNumber(
  em: EntityManager,
  telephony: Telephony,
  organization: string,
  limit: number,
  input: { number: string; numberType: PhoneNumberType },
): Promise<PhoneNumber> {
  const number = v.phone(input.number, 'input.number');
  const country = countryOfNumber(number);
  if (!country) throw badInput('input.number', 'has no country this service can rent in.');
  const active = () => em.count(PhoneNumber, { status: PhoneNumberStatus.ACTIVE });
  const used = await active();
  if (used >= limit) throw limitReached(limit, used);
  const application = complianceRule(country, input.numberType)
    ? await approvedApplication(em, telephony, country, input.numberType)
    : null;
  let offered: AvailableNumber | undefined;
  try {
    const national = parsePhoneNumberFromString(number)?.nationalNumber ?? '';
    const found = await telephony.search({
      country,
      numberType: input.numberType,
      pattern: national.slice(0, 10),
      limit: MAX_SEARCH_RESULTS,
    });
    offered = found.find((n) => n.number === number);
  } catch (err) {
    throw telephonyFailure(err, 'input.number', 'Number search');
  }
  if (!offered) {
    throw new AppError(
      ErrorCode.NOT_FOUND,
      `${number} is not offered as a ${input.numberType} number; search again (searchPhoneNumbers).`,
      { type: 'AvailablePhoneNumber', id: number },
    );
  }
  return em.transactional(async (tx) => {
    await tx.getConnection().execute('select id from organization where id = ? for update', [organization]);
    const now = await tx.count(PhoneNumber, { status: PhoneNumberStatus.ACTIVE });
    if (now >= limit) throw limitReached(limit, now);
    const taken = await tx
      .getConnection()
      .execute<Array<{ one: number }>>(
        `select 1 as one from phone_number where number = ? and status = 'ACTIVE' limit 1`,
        [number],
      );
    if (taken.length) throw conflict(`${number} is already rented.`, { number });
    const row = tx.create(PhoneNumber, {
      organization,
      number,
      country,
      numberType: input.numberType,
      status: PhoneNumberStatus.ACTIVE,
      monthlyRentalRate: offered.monthlyRentalRate,
      voiceEnabled: offered.voiceEnabled,
      smsEnabled: offered.smsEnabled,
      provider: telephony.provider,
      complianceApplication: application?.id ?? null,
    } as never) as PhoneNumber;
    await tx.flush();
    try {
      await telephony.rent(number, application?.providerApplicationId ?? null);
    } catch (err) {
      throw telephonyFailure(err, 'input.number', 'Renting');
    }
    return row;
  });
}

/** Gives a number back to the provider; it stays listed as RELEASED. */
export async function releaseNumber(
  em: EntityManager,
  telephony: Telephony,
  id: string,
): Promise<PhoneNumber> {
  const row = await em.findOne(PhoneNumber, { id });
  if (!row) throw notFound('PhoneNumber', id);
  if (row.status !== PhoneNumberStatus.ACTIVE)
    throw conflict(`${row.number} is already released.`, { status: row.status });
  if (row.provider === telephony.provider) {
    try {
      await telephony.release(row.number);
    } catch (err) {
      // Already gone at the provider: releasing it here is what the client asked for.
      if (!(err instanceof TelephonyError && err.status === 404))
        throw telephonyFailure(err, 'input.id', 'Releasing');
    }
  }
  row.status = PhoneNumberStatus.RELEASED;
  row.releasedAt = new Date();
  row.updatedAt = new Date();
  await em.flush();
  return row;
}

const editable: ComplianceStatus[] = [ComplianceStatus.DRAFT, ComplianceStatus.REJECTED];

/** Drafts and rejected applications change; a rejected one becomes a draft again. */
export const complianceService = recordService(complianceRecord, ComplianceApplication, {
  guard(a, creating) {
    if (!creating && !editable.includes(a.status)) {
      throw conflict(`A ${a.status} compliance application cannot change.`, {
        status: a.status,
        allowed: editable,
      });
    }
  },
  apply(a, _input, _path, creating) {
    if (!creating && a.status === ComplianceStatus.REJECTED) {
      a.status = ComplianceStatus.DRAFT;
      a.rejectionReason = null;
    }
  },
});

export async function editableApplication(em: EntityManager, id: string): Promise<ComplianceApplication> {
  const a = await em.findOne(ComplianceApplication, { id });
  if (!a) throw notFound('ComplianceApplication', id);
  if (!editable.includes(a.status)) {
    throw conflict(`A ${a.status} compliance application cannot change.`, {
      status: a.status,
      allowed: editable,
    });
  }
  return a;
}

export async function addDocument(
  em: EntityManager,
  organization: string,
  applicationId: string,
  input: { type: ComplianceDocumentType; fileName: string; contentType: string; contentBase64: string },
): Promise<ComplianceDocument> {
  const a = await editableApplication(em, applicationId);
  const fileName = v.text(input.fileName, 'input.fileName', { max: 200 });
  const contentType = input.contentType.trim().toLowerCase();
  if (!DOCUMENT_TYPES.includes(contentType)) {
    throw badInput('input.contentType', `must be one of ${DOCUMENT_TYPES.join(', ')}.`);
  }
  if (
    input.contentBase64.length > Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 4 ||
    !/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64)
  ) {
    throw badInput('input.contentBase64', `must be base64 of at most ${MAX_DOCUMENT_BYTES} bytes.`);
  }
  const content = Buffer.from(input.contentBase64, 'base64');
  if (content.length === 0 || content.length > MAX_DOCUMENT_BYTES) {
    throw badInput('input.contentBase64', `must be base64 of 1 to ${MAX_DOCUMENT_BYTES} bytes.`);
  }
  return em.transactional(async (tx) => {
    await tx.getConnection().execute('select id from compliance_application where id = ? for update', [a.id]);
    const count = await tx.count(ComplianceDocument, { application: a.id });
    if (count >= MAX_DOCUMENTS)
      throw badInput('input.applicationId', `holds at most ${MAX_DOCUMENTS} documents.`);
    const doc = tx.create(ComplianceDocument, {
      organization,
      application: a.id,
      type: input.type,
      fileName,
      contentType,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      createdAt: new Date(),
    });
    await tx.nativeUpdate(ComplianceApplication, { id: a.id }, { updatedAt: new Date() });
    await tx.flush();
    return doc;
  });
}

export async function removeDocument(em: EntityManager, id: string): Promise<string> {
  const doc = await em.findOne(ComplianceDocument, { id });
  if (!doc) throw notFound('ComplianceDocument', id);
  await editableApplication(em, doc.application);
  await em.nativeDelete(ComplianceDocument, { id });
  return doc.application;
}

/**
 * Sends a complete application to the provider's compliance API (end user, documents,
 * application, submit). Claimed first (DRAFT/REJECTED → SUBMITTED in one statement), so two
 * submissions cannot both go; a provider failure puts it back as it was.
 */
export async function submitApplication(em: EntityManager, telephony: Telephony, id: string): Promise<void> {
  const a = await editableApplication(em, id);
  const rule = complianceRule(a.country, a.numberType);
  if (!rule) {
    throw badInput(
      'input.id',
      `numbers of type ${a.numberType} in ${a.country} need no compliance application.`,
    );
  }
  const missing = await missingOf(em, a);
  if (missing.length) {
    throw new AppError(
      ErrorCode.COMPLIANCE_INFO_REQUIRED,
      `The application is missing: ${missing.join(', ')}.`,
      {
        country: a.country,
        numberType: a.numberType,
        missing,
        applicationId: a.id,
        applicationStatus: a.status,
      },
    );
  }
  const previous = a.status;
  const claimed = await em.nativeUpdate(
    ComplianceApplication,
    { id: a.id, status: { $in: editable } },
    { status: ComplianceStatus.SUBMITTED, submittedAt: new Date(), updatedAt: new Date() },
  );
  if (!claimed)
    throw conflict('The application was submitted meanwhile.', { status: ComplianceStatus.SUBMITTED });
  try {
    const docs = await em.find(ComplianceDocument, { application: a.id }, { populate: ['content'] as never });
    const result = await telephony.submitCompliance({
      alias: `${a.country}-${a.numberType}-${a.id.slice(0, 8)}`,
      country: a.country,
      numberType: a.numberType,
      endUserType: a.endUserType,
      name: a.endUserType === 'BUSINESS' ? (a.businessName ?? '') : (a.firstName ?? ''),
      lastName: a.endUserType === 'BUSINESS' ? null : a.lastName,
      documents: docs.map((d) => ({
        type: d.type,
        fileName: d.fileName,
        contentType: d.contentType,
        content: d.content,
      })),
    });
    const decided = result.decision.status !== ComplianceStatus.SUBMITTED;
    await em.nativeUpdate(
      ComplianceApplication,
      { id: a.id },
      {
        providerApplicationId: result.id,
        status: result.decision.status,
        rejectionReason: result.decision.status === ComplianceStatus.REJECTED ? result.decision.reason : null,
        decidedAt: decided ? new Date() : null,
        updatedAt: new Date(),
      },
    );
  } catch (err) {
    await em.nativeUpdate(ComplianceApplication, { id: a.id }, { status: previous, submittedAt: null });
    throw telephonyFailure(err, 'input.id', 'Submitting');
  }
}

/** Numbers the organisation rents now (the plan's phone numbers dimension). */
export async function activeNumbers(db: TenantSql): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*)::int as n from phone_number where organization_id = $1 and status = 'ACTIVE'`,
  );
  return rows[0]?.n ?? 0;
}

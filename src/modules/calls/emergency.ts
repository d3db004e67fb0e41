import { PhoneNumberUtil, ShortNumberInfo, type RegionCode } from 'google-libphonenumber';
import { AppError, ErrorCode } from '../../platform/errors.js';

/**
 * Emergency numbers are never dialled (terms of use; CONTRACT "Emergency numbers are never
 * dialled"). `emergencyReason` says why a number must not be dialled, `assertDialable` throws
 * `EMERGENCY_NUMBER_BLOCKED`; both run before any provider call, and before phone validation so
 * that "911" is answered as an emergency number rather than as a malformed one.
 *
 * How a number is read:
 * - Input longer than {@link MAX_INPUT} characters, or longer than {@link MAX_DIGITS} once
 *   normalised, is not an emergency number (no dialable number is that long; phone validation
 *   rejects it). This bounds the work done on hostile input.
 * - Normalised: NFKC (full-width digits and plus), then whitespace, dashes, dots, parentheses,
 *   brackets and slashes are removed. What is left must be digits with at most one leading `+`;
 *   anything else (letters, `*`, `#`, `tel:`) is not a number this check reads: null, and phone
 *   validation rejects it.
 * - International forms: a leading `+`, `00` or `011` starts the international part.
 *
 * Rules, in order (the first that matches gives the reason):
 * 1. The list of the terms ({@link EMERGENCY_NUMBERS}), for every caller country: the code alone
 *    (`911`, `9-1-1`, `(911)`), after one trunk digit 0 or 1 (`1911`, `1-911`, `0112`), and after a
 *    country calling code, with or without `+`/`00`/`011` (`+911`, `+1 911`, `+44 999`, `61000`,
 *    `0044 999`, `+44 (0) 999`).
 * 2. libphonenumber's short-number data (google-libphonenumber `ShortNumberInfo`):
 *    - international forms: the part after a country calling code is exactly an emergency number of
 *      a country with that code (`+33 15`, `+39 113`); the international part is also checked as a
 *      number of the caller's country (`+15` from FR);
 *    - digits without `+` are read as dialled in the caller's country: an emergency number there
 *      exactly (FR `15`, IT `113`), or a string that `connectsToEmergencyNumber` there, i.e. the code
 *      followed by more digits where exchanges route on the prefix (US `911555`, `(911) 555-1234`,
 *      AU `0001234567`), unless the whole string is a valid number of that country (a real
 *      subscriber whose number merely starts with those digits).
 *
 * Numbers in international form whose national part only starts with an emergency code are
 * allowed: `+1 911 555 1234`, `+44 999 123 4567` (a carrier routes them by country code).
 * An unknown `country` skips the caller-country checks of rule 2; rule 1 and the country-code
 * checks still apply.
 */

/** The emergency numbers the terms of use name; blocked for callers in every country. */
export const EMERGENCY_NUMBERS: readonly string[] = [
  '911',
  '933',
  '112',
  '999',
  '000',
  '100',
  '101',
  '102',
  '108',
  '110',
  '118',
  '119',
];

/** Raw input longer than this is not read at all. */
export const MAX_INPUT = 64;
/** A normalised number longer than this is not an emergency number. */
export const MAX_DIGITS = 32;

const LISTED = new Set(EMERGENCY_NUMBERS);
const TRUNK_DIGITS = ['0', '1'];
const INTERNATIONAL_PREFIXES = ['011', '00'];
const SEPARATORS = /[\s\p{Pd}\u2212.()[\]/]/gu;
const NUMBER = /^\+?[0-9]+$/;

const phoneUtil = PhoneNumberUtil.getInstance();
const shortInfo = ShortNumberInfo.getInstance();

/** Country calling code → the regions that share it (e.g. "44" → GB, GG, IM, JE). */
const regionsByCallingCode = new Map<string, RegionCode[]>();
for (const region of phoneUtil.getSupportedRegions()) {
  const code = String(phoneUtil.getCountryCodeForRegion(region));
  const regions = regionsByCallingCode.get(code) ?? [];
  regions.push(region);
  regionsByCallingCode.set(code, regions);
}
const supportedRegions = new Set<string>(phoneUtil.getSupportedRegions());
const asRegion = (country: string) => {
  const upper = country.toUpperCase();
  return supportedRegions.has(upper) ? (upper as RegionCode) : null;
};

/** The listed code that `digits` is, alone or after one trunk digit; or undefined. */
function listedCode(digits: string): string | undefined {
  if (LISTED.has(digits)) return digits;
  if (digits.length === 4 && TRUNK_DIGITS.includes(digits[0] ?? '') && LISTED.has(digits.slice(1)))
    return digits.slice(1);
  return undefined;
}

/** Every split of `digits` into a known country calling code and a non-empty rest. */
function callingCodeSplits(digits: string): { code: string; regions: RegionCode[]; rest: string }[] {
  const splits = [];
  for (let length = 1; length <= 3 && length < digits.length; length++) {
    const regions = regionsByCallingCode.get(digits.slice(0, length));
    if (regions) splits.push({ code: digits.slice(0, length), regions, rest: digits.slice(length) });
  }
  return splits;
}

function isValidIn(digits: string, region: RegionCode): boolean {
  try {
    return phoneUtil.isValidNumberForRegion(phoneUtil.parse(digits, region), region);
  } catch {
    return false;
  }
}

/** The shortest leading part of `digits` that is an emergency number in `region`. */
function leadingEmergencyNumber(digits: string, region: RegionCode): string {
  for (let length = 1; length < digits.length; length++) {
    if (shortInfo.isEmergencyNumber(digits.slice(0, length), region)) return digits.slice(0, length);
  }
  return digits;
}

/** `digits` with a leading trunk 0 removed as well, for "+44 (0) …" forms. */
const withoutTrunkZero = (digits: string) =>
  digits.length > 1 && digits.startsWith('0') ? [digits, digits.slice(1)] : [digits];

/** Why `number` must not be dialled (an emergency service), or null. `country`: ISO 3166 alpha-2 of the caller's context (default 'US'). */
export function emergencyReason(number: string, country = 'US'): string | null {
  if (number.length > MAX_INPUT) return null;
  const normalised = number.normalize('NFKC').replace(SEPARATORS, '');
  if (normalised.length > MAX_DIGITS || !NUMBER.test(normalised)) return null;

  const shown = JSON.stringify(number);
  const region = asRegion(country);
  const plus = normalised.startsWith('+');
  const digits = plus ? normalised.slice(1) : normalised;
  // The international part of the number: after "+", or after an international prefix.
  const international = plus
    ? [digits]
    : INTERNATIONAL_PREFIXES.filter((p) => digits.length > p.length && digits.startsWith(p)).map((p) =>
        digits.slice(p.length),
      );

  // Rule 1: the list of the terms, alone, after a trunk digit, or after a country calling code.
  for (const candidate of plus ? international : [digits, ...international]) {
    const listed = listedCode(candidate);
    if (listed) return `${shown} is the emergency number ${listed}`;
    for (const { code, rest } of callingCodeSplits(candidate)) {
      const after = listedCode(rest);
      if (after) return `${shown} is the emergency number ${after} with the country code +${code}`;
    }
  }

  // Rule 2: libphonenumber's short-number data.
  for (const candidate of international) {
    for (const { code, regions, rest } of callingCodeSplits(candidate)) {
      for (const r of regions) {
        const national = withoutTrunkZero(rest).find((n) => shortInfo.isEmergencyNumber(n, r));
        if (national) return `${shown} is the emergency number ${national} of ${r} (+${code})`;
      }
    }
    if (region && shortInfo.isEmergencyNumber(candidate, region))
      return `${shown} is the emergency number ${candidate} in ${region}`;
  }
  if (region && !plus) {
    if (shortInfo.isEmergencyNumber(digits, region))
      return `${shown} is the emergency number ${digits} in ${region}`;
    if (shortInfo.connectsToEmergencyNumber(digits, region) && !isValidIn(digits, region)) {
      const code = leadingEmergencyNumber(digits, region);
      return `${shown} connects to the emergency number ${code} when dialled in ${region}`;
    }
  }
  return null;
}

/**
 * Throws `EMERGENCY_NUMBER_BLOCKED` (details: `field`, `number`) when `number` must not be dialled;
 * call it before any provider call. `field` is the input path, e.g. `input.toNumber`.
 */
export function assertDialable(number: string, country: string | undefined, field: string): void {
  const reason = emergencyReason(number, country);
  if (reason === null) return;
  throw new AppError(
    ErrorCode.EMERGENCY_NUMBER_BLOCKED,
    `${field}: ${reason}; emergency calls cannot be placed through this service (terms of use), dial them from a phone.`,
    { field, number },
  );
}

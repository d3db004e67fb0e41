import { ShortNumberInfo, type RegionCode } from 'google-libphonenumber';
import { AppError, ErrorCode } from '../src/platform/errors';
import {
  assertDialable,
  EMERGENCY_NUMBERS,
  emergencyReason,
  MAX_INPUT,
} from '../src/modules/calls/emergency';

/**
 * Issue 12 item 5 / CONTRACT "Emergency numbers are never dialled". No database: pure functions.
 *
 * `rule` says which rule of src/modules/calls/emergency.ts catches a blocked row:
 * - 'list': the terms' list (911, 933, 112, 999, 000, 100, 101, 102, 108, 110, 118, 119) alone,
 *   after a trunk digit or after a country calling code; these rows fail if the list is removed.
 * - 'library': google-libphonenumber's short-number data only (the code is not in the list, or the
 *   written form is one the list does not read); these rows fail if the library check is removed.
 * Rows caught by both are tagged 'list' (it is checked first).
 */

type Rule = 'list' | 'library';
interface Row {
  number: string;
  country?: string;
  /** The emergency number the reason must name, or null when the number may be dialled. */
  blocks: string | null;
  rule?: Rule;
  why?: string;
}

const block = (number: string, country: string | undefined, code: string, rule: Rule, why?: string): Row => ({
  number,
  country,
  blocks: code,
  rule,
  why,
});
const allow = (number: string, country: string | undefined, why?: string): Row => ({
  number,
  country,
  blocks: null,
  why,
});

const rows: Row[] = [
  // Every listed code, bare, from the default country (US): the library knows only 911 and 112
  // there, so the others are the list's.
  ...EMERGENCY_NUMBERS.map((code) => block(code, undefined, code, 'list')),
  // Written forms.
  block('+911', undefined, '911', 'list', 'plus before the code'),
  block('1911', undefined, '911', 'list', 'NANP trunk digit'),
  block('1-911', undefined, '911', 'list'),
  block('9-1-1', undefined, '911', 'list'),
  block('(911)', undefined, '911', 'list'),
  block(' 9 1 1 ', undefined, '911', 'list'),
  block('9.1.1', undefined, '911', 'list'),
  block('+1 911', undefined, '911', 'list', 'with the country code'),
  block('+1 (911)', 'GB', '911', 'list'),
  block('\uff19\uff11\uff11', undefined, '911', 'list', 'full-width digits'),
  block('0112', 'DE', '112', 'list', 'trunk digit 0'),
  block('+44999', undefined, '999', 'list'),
  block('+44 (0) 999', undefined, '999', 'list'),
  block('0044 999', 'FR', '999', 'list', 'international prefix 00'),
  block('011 44 999', undefined, '999', 'list', 'international prefix 011'),
  block('44999', undefined, '999', 'list', 'country code without plus'),
  block('+61000', undefined, '000', 'list'),
  block('+91112', undefined, '112', 'list'),
  block('+91100', undefined, '100', 'list'),
  block('+91 101', undefined, '101', 'list'),
  block('+81 118', undefined, '118', 'list'),
  // Per-country short codes. Those in the list are the list's wherever the caller is.
  block('999', 'GB', '999', 'list'),
  block('112', 'GB', '112', 'list'),
  block('000', 'AU', '000', 'list'),
  block('112', 'AU', '112', 'list'),
  block('100', 'IN', '100', 'list'),
  block('101', 'IN', '101', 'list'),
  block('102', 'IN', '102', 'list'),
  block('108', 'IN', '108', 'list'),
  block('112', 'IN', '112', 'list'),
  block('110', 'DE', '110', 'list'),
  block('112', 'DE', '112', 'list'),
  block('112', 'FR', '112', 'list'),
  block('110', 'JP', '110', 'list'),
  block('119', 'JP', '119', 'list'),
  block('118', 'JP', '118', 'list', 'coast guard: not in the library data'),
  block('118', 'IT', '118', 'list'),
  block('112', 'IT', '112', 'list'),
  // ... and those only the library knows.
  block('15', 'FR', '15', 'library', 'SAMU'),
  block('17', 'FR', '17', 'library', 'police'),
  block('18', 'FR', '18', 'library', 'fire'),
  block('15', 'fr', '15', 'library', 'country in lower case'),
  block('113', 'IT', '113', 'library'),
  block('190', 'BR', '190', 'library'),
  block('192', 'BR', '192', 'library'),
  block('193', 'BR', '193', 'library'),
  block('106', 'AU', '106', 'library', 'text relay'),
  block('120', 'CN', '120', 'library'),
  block('01', 'RU', '01', 'library'),
  block('+33 15', undefined, '15', 'library', 'country code implies FR'),
  block('+33 (0) 17', undefined, '17', 'library', 'trunk 0 after the country code'),
  block('0033 18', undefined, '18', 'library'),
  block('+39 113', 'US', '113', 'library'),
  block('+55 190', undefined, '190', 'library'),
  block('+15', 'FR', '15', 'library', 'a plus before a short code of the caller country'),
  // Digits without plus are read as dialled in the caller's country: where exchanges route on the
  // prefix, the code followed by more digits connects (and is no valid number there).
  block('911555', undefined, '911', 'library', 'decision: 6 digits starting 911 connect in the US'),
  block('(911) 555-1234', undefined, '911', 'library', 'not a NANP number: 911 is no area code'),
  block('0001234567', 'AU', '000', 'library', 'dialled in AU it reaches 000'),
  block('1101234', 'DE', '110', 'library'),

  // Allowed.
  allow('+19115551234', undefined, 'international form: only starts with 911'),
  allow('+1 911 555 1234', undefined),
  allow('19115551234', undefined, 'the library does not count 1 911 + 7 digits as connecting'),
  allow('+14155550123', undefined),
  allow('4155550123', undefined),
  allow('+449991234567', undefined),
  allow('+44 999 123 4567', 'GB'),
  allow('+61 000 123 456', 'AU'),
  allow('0001234567', undefined, 'from the US, 000 is nothing'),
  allow('0001234567', 'GB'),
  allow('+33 1 53 00 00 00', 'FR'),
  allow('01 53 00 00 00', 'FR', 'a Paris number: 0 then 15… is not FR 15'),
  allow('91123456789', 'AR', 'valid Buenos Aires mobile, starts with the 911 prefix of AR'),
  allow('112345678', 'SA', 'valid Riyadh number, starts with 112'),
  allow('1234', undefined),
  allow('15', undefined, 'FR 15 means nothing in the US'),
  allow('113', 'GB'),
  allow('190', undefined, 'BR 190 means nothing in the US'),
  allow('+3315123456', undefined, 'FR number whose national part only starts with 15'),
  allow('', undefined, 'decision: empty is not an emergency number (phone validation rejects it)'),
  allow('+', undefined),
  allow('abc', undefined),
  allow('911#', undefined, 'decision: not a number this check reads; phone validation rejects it'),
  allow('1'.repeat(40), undefined, '40 digits'),
  allow(`911${'7'.repeat(37)}`, undefined, 'decision: over 32 digits is no number at all'),
  allow(`911${' '.repeat(MAX_INPUT)}`, undefined, `decision: over ${MAX_INPUT} characters is not read`),
  block('112', 'XX', '112', 'list', 'unknown country: the list still applies'),
  allow('15', 'XX', 'unknown country: the library check for the caller country is skipped'),
];

const label = (r: Row) =>
  `${JSON.stringify(r.number.length > 24 ? `${r.number.slice(0, 21)}…` : r.number)} from ${r.country ?? 'US (default)'}` +
  ` → ${r.blocks === null ? 'allowed' : `blocked as ${r.blocks} (${r.rule})`}${r.why ? `: ${r.why}` : ''}`;

describe('emergencyReason', () => {
  it('has a table of at least 40 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(rows.filter((r) => r.blocks === null).length).toBeGreaterThanOrEqual(15);
  });

  it.each(rows.map((r) => [label(r), r] as const))('%s', (_label, row) => {
    const reason = emergencyReason(row.number, row.country);
    if (row.blocks === null) {
      expect(reason).toBeNull();
      return;
    }
    expect(reason).not.toBeNull();
    // The reason names the emergency number, and quotes the input as given.
    expect(reason).toMatch(new RegExp(`\\bemergency number ${row.blocks}\\b`));
    expect(reason).toContain(JSON.stringify(row.number));
  });

  it('is fast on hostile input', () => {
    const inputs = ['9'.repeat(100_000), `${' '.repeat(50_000)}911`, '+'.repeat(10_000), '('.repeat(60)];
    const start = performance.now();
    for (const input of inputs) expect(emergencyReason(input)).toBeNull();
    expect(performance.now() - start).toBeLessThan(100);
  });
});

/**
 * What google-libphonenumber 3.2.47's short-number data knows (isEmergencyNumber): the test fails
 * on an upgrade that changes it, so the rule tags above can be re-checked.
 */
describe('library coverage', () => {
  const info = ShortNumberInfo.getInstance();
  it.each<[RegionCode, string, boolean]>([
    ['US', '911', true],
    ['US', '112', true],
    ['US', '933', false],
    ['US', '999', false],
    ['GB', '999', true],
    ['GB', '112', true],
    ['AU', '000', true],
    ['AU', '112', true],
    ['AU', '106', true],
    ['IN', '100', true],
    ['IN', '101', true],
    ['IN', '102', true],
    ['IN', '108', true],
    ['IN', '112', true],
    ['DE', '110', true],
    ['DE', '112', true],
    ['FR', '15', true],
    ['FR', '17', true],
    ['FR', '18', true],
    ['FR', '112', true],
    ['JP', '110', true],
    ['JP', '119', true],
    ['JP', '118', false],
    ['IT', '112', true],
    ['IT', '113', true],
    ['IT', '118', true],
    ['BR', '190', true],
    ['BR', '192', true],
    ['BR', '193', true],
    ['BR', '112', true],
  ])('%s %s → %s', (region, code, known) => {
    expect(info.isEmergencyNumber(code, region)).toBe(known);
  });
});

describe('assertDialable', () => {
  it('throws EMERGENCY_NUMBER_BLOCKED naming the field and the number', () => {
    let error: unknown;
    try {
      assertDialable('9-1-1', undefined, 'input.toNumber');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe(ErrorCode.EMERGENCY_NUMBER_BLOCKED);
    expect(appError.extensions).toEqual({
      code: 'EMERGENCY_NUMBER_BLOCKED',
      field: 'input.toNumber',
      number: '9-1-1',
    });
    expect(appError.message).toMatch(/^input\.toNumber: "9-1-1" is the emergency number 911/);
  });

  it('uses the caller country', () => {
    expect(() => assertDialable('15', 'FR', 'input.toNumber')).toThrow(/emergency number 15 in FR/);
    expect(() => assertDialable('15', 'US', 'input.toNumber')).not.toThrow();
  });

  it('lets ordinary numbers through', () => {
    expect(assertDialable('+19115551234', undefined, 'input.toNumber')).toBeUndefined();
    expect(assertDialable('+14155550123', 'US', 'input.toNumber')).toBeUndefined();
  });
});

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { badInput } from './errors.js';

/** Input normalisers: each returns the stored form or throws BAD_USER_INPUT naming the field. */

export function text(value: string, field: string, opts: { max?: number; min?: number } = {}): string {
  const v = value.trim();
  // PostgreSQL cannot store U+0000 in text or JSON.
  if (v.includes('\u0000')) throw badInput(field, 'must not contain the NUL character.');
  const min = opts.min ?? 1;
  const max = opts.max ?? 255;
  if (v.length < min)
    throw badInput(field, min === 1 ? 'must not be empty.' : `must have at least ${min} characters.`);
  if (v.length > max) throw badInput(field, `must have at most ${max} characters.`);
  return v;
}

export function optionalText(
  value: string | null | undefined,
  field: string,
  max = 255,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  const v = value.trim();
  return v === '' ? null : text(v, field, { max });
}

const EMAIL =
  /^[^\s@"(),:;<>[\\\]]{1,64}@(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function email(value: string, field: string): string {
  const v = value.trim().toLowerCase();
  if (!EMAIL.test(v)) throw badInput(field, `"${value}" is not a valid email address.`);
  return v;
}

/** Parses to E.164; a number without `+` must be international. */
export function phone(value: string, field: string): string {
  const parsed = parsePhoneNumberFromString(value.trim());
  if (!parsed || !parsed.isPossible()) {
    throw badInput(field, `"${value}" is not a valid phone number; use E.164, e.g. +14155550123.`);
  }
  return parsed.number;
}

export function list<T>(
  values: T[],
  field: string,
  max: number,
  each: (v: T, f: string) => string,
): string[] {
  if (values.length > max) throw badInput(field, `accepts at most ${max} values.`);
  const out: string[] = [];
  values.forEach((v, i) => {
    const n = each(v, `${field}[${i}]`);
    if (!out.includes(n)) out.push(n);
  });
  return out;
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _:./-]{0,49}$/u;

export function tag(value: string, field: string): string {
  const v = value.trim();
  if (!TAG.test(v)) {
    throw badInput(
      field,
      `"${value}" is not a valid tag: 1–50 letters, digits, spaces or _ : . / -, starting with a letter or digit.`,
    );
  }
  return v;
}

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function domain(value: string, field: string): string {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/^www\./, '');
  if (!DOMAIN.test(v)) throw badInput(field, `"${value}" is not a valid domain name.`);
  return v;
}

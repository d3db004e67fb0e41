import { createHash } from 'node:crypto';
import { badInput } from './errors.js';

/**
 * Cursors of bulk work that stopped at a limit: where to resume, bound to a digest of the
 * input, so that a cursor only continues the very input it was returned with.
 */
function digest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('base64url').slice(0, 16);
}

export function encodeResumeCursor(input: unknown, position: unknown[]): string {
  return Buffer.from(JSON.stringify([digest(input), ...position])).toString('base64url');
}

/** The position in `cursor`, if it was made for `input` and `valid` accepts it; else BAD_USER_INPUT. */
export function decodeResumeCursor(
  cursor: string,
  input: unknown,
  valid: (position: unknown[]) => boolean,
  message: string,
): unknown[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed[0] === digest(input) && valid(parsed.slice(1)))
      return parsed.slice(1);
  } catch {
    // not a cursor: refused below
  }
  throw badInput('input.resumeCursor', message);
}

/** The position a cursor names, unchecked (pricing only: decodeResumeCursor checks it when used). */
export function peekResumePosition(cursor: string): unknown[] | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(parsed) ? parsed.slice(1) : null;
  } catch {
    return null;
  }
}

import { badInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A lower-case uuid as the database writes it (what global ids and per-recipient variables carry). */
export const isUuid = (value: string): boolean => UUID.test(value);

/** Opaque Relay global id: base64url("<Type>:<uuid>"). */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

export function parseGlobalId(globalId: string): { type: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep <= 0) return null;
  const id = decoded.slice(sep + 1);
  if (!UUID.test(id)) return null;
  return { type: decoded.slice(0, sep), id };
}

/** Decodes an id that must name a `type`; anything else is the client's error on `field`. */
export function fromGlobalId(globalId: string, type: string, field: string): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw badInput(field, `is not a valid ${type} id.`);
  return parsed.id;
}

import type { EntityManager } from '../../platform/db/orm.js';
import { AppError, badInput, conflict } from '../../platform/errors.js';
import { recordService } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { CustomFieldObject, customFieldRules } from '../custom-fields/index.js';
import { Contact } from './contact.entity.js';
import { contactRecord, EmailStatus, MAX_EMAILS, MAX_PHONES, MAX_TAGS } from './contact.record.js';
import type { CreateContactInput } from './contact.types.js';

/**
 * Create, update, soft delete and restore with the declared write rules, plus what is special
 * to contacts: a contact needs a name or an address, and custom fields follow their definitions.
 */
const customFields = customFieldRules(CustomFieldObject.CONTACT);

export const contactService = recordService(contactRecord, Contact, {
  load: customFields.load,
  apply(c, input, path, creating, definitions) {
    if (!c.firstName && !c.lastName && c.emails.length === 0) {
      throw badInput(path, 'a contact needs a first name, a last name or an email address.');
    }
    customFields.apply(c, input, path, creating, definitions);
  },
});

export type BulkStatus = 'CREATED' | 'UPDATED' | 'FAILED';

export interface BulkItemResult {
  index: number;
  status: BulkStatus;
  contact: Contact | null;
  error: { code: string; message: string; field: string | null } | null;
}

function failure(index: number, err: unknown): BulkItemResult {
  if (!(err instanceof AppError)) throw err;
  const field = err.extensions.field;
  return {
    index,
    status: 'FAILED',
    contact: null,
    error: { code: err.code, message: err.message, field: typeof field === 'string' ? field : null },
  };
}

/**
 * Creates (or, with `upsert`, creates or updates by email) the items `all[from, to)`. Each
 * item is validated on its own and reported under its index in `all`; every valid item is
 * written in one transaction. Earlier items of `all` count for duplicate detection, so a
 * run resumed in parts reports exactly what one run over all items would.
 */
export async function writeContacts(
  em: EntityManager,
  organization: string,
  all: CreateContactInput[],
  upsert: boolean,
  from = 0,
  to = all.length,
): Promise<BulkItemResult[]> {
  const inputs = all.slice(from, to);
  const writer = await contactService.writer(em, organization, inputs);
  const existing = new Map<string, Contact>();
  if (upsert) {
    const keys = inputs.flatMap((i) => (i.emails?.[0] ? [i.emails[0].trim().toLowerCase()] : []));
    if (keys.length) {
      const found = await em.find(
        Contact,
        { emails: { $overlap: keys }, deletedAt: null },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      // The oldest live contact holding an address is the one that address matches.
      for (const c of found) for (const e of c.emails) if (!existing.has(e)) existing.set(e, c);
    }
  }
  const seen = new Map<string, number>();
  if (upsert) {
    all.slice(0, from).forEach((input, index) => {
      const first = input.emails?.[0]?.trim().toLowerCase();
      if (first && !seen.has(first)) {
        try {
          seen.set(v.email(first, ''), index);
        } catch {
          // an invalid address never entered the batch
        }
      }
    });
  }
  const results: BulkItemResult[] = inputs.map((input, at) => {
    const index = from + at;
    const path = `input.contacts[${index}]`;
    try {
      if (!upsert)
        return {
          index,
          status: 'CREATED',
          contact: writer.apply(new Contact(), input, path, true),
          error: null,
        };
      if (!input.emails?.length)
        throw badInput(`${path}.emails`, 'upsert matches on the first email: give one.');
      const key = v.email(input.emails[0], `${path}.emails[0]`);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw conflict(`${path}.emails[0]: ${key} already appears in input.contacts[${earlier}].`, {
          field: `${path}.emails[0]`,
        });
      }
      seen.set(key, index);
      const match = existing.get(key);
      // Updating keeps the addresses the contact already has.
      const contact = match
        ? writer.apply(match, { ...input, emails: [...match.emails, ...input.emails] }, path, false)
        : writer.apply(new Contact(), input, path, true);
      // Later items match the addresses written so far, as they would in a later (resumed) call.
      for (const e of contact.emails) if (!existing.has(e)) existing.set(e, contact);
      return { index, status: match ? 'UPDATED' : 'CREATED', contact, error: null };
    } catch (err) {
      return failure(index, err);
    }
  });
  await em.transactional(async (tx) => {
    for (const r of results) if (r.status === 'CREATED' && r.contact) tx.persist(r.contact);
  });
  return results;
}

/** How a newer module moves its rows from duplicates to the primary contact (inside the merge transaction); its module's `contactsMerged` hook. */
export type ContactMergeStep = (
  tx: EntityManager,
  organization: string,
  primary: string,
  duplicates: string[],
) => Promise<void>;

/**
 * Re-points many-to-many links (`table.contact` → primary) unless the primary already has
 * the same link; those stay with the soft-deleted duplicate, so no row is ever deleted.
 */
export async function moveLinks<T extends { contact: string }>(
  tx: EntityManager,
  links: T[],
  primary: string,
  key: (link: T) => string,
): Promise<void> {
  const taken = new Set(links.filter((l) => l.contact === primary).map(key));
  for (const l of links) {
    if (l.contact === primary || taken.has(key(l))) continue;
    l.contact = primary;
    taken.add(key(l));
  }
  await tx.flush();
}

/**
 * Merges duplicates into the primary: their related rows move to it, tags, emails and
 * phones are united, empty fields are filled, custom fields merged (the primary wins),
 * and the duplicates are soft-deleted. One transaction: all or nothing.
 */
export async function mergeContacts(
  em: EntityManager,
  organization: string,
  primaryId: string,
  duplicateIds: string[],
  /** The modules' `contactsMerged` hooks, in module order. */
  mergeSteps: readonly ContactMergeStep[],
): Promise<{ primary: Contact; duplicates: Contact[] }> {
  if (duplicateIds.length === 0) throw badInput('input.duplicateIds', 'must name at least one contact.');
  if (duplicateIds.length > 50) throw badInput('input.duplicateIds', 'accepts at most 50 contacts.');
  const primary = await contactService.find(em, primaryId, { field: 'input.primaryId' });
  const duplicates: Contact[] = [];
  for (const [i, id] of duplicateIds.entries()) {
    const d = await contactService.find(em, id, { field: `input.duplicateIds[${i}]` });
    if (d.id === primary.id) throw badInput(`input.duplicateIds[${i}]`, 'is the primary contact.');
    if (!duplicates.some((x) => x.id === d.id)) duplicates.push(d);
  }
  const union = (lists: string[][], max: number) => [...new Set(lists.flat())].slice(0, max);
  const all = [primary, ...duplicates];
  primary.emails = union(
    all.map((c) => c.emails),
    MAX_EMAILS,
  );
  primary.phones = union(
    all.map((c) => c.phones),
    MAX_PHONES,
  );
  primary.tags = union(
    all.map((c) => c.tags),
    MAX_TAGS,
  );
  // The most restrictive email status wins: an address that opted out or failed stays so.
  const severity = [
    EmailStatus.SUBSCRIBED,
    EmailStatus.UNSUBSCRIBED,
    EmailStatus.BOUNCED,
    EmailStatus.COMPLAINED,
  ];
  for (const d of duplicates) {
    if (severity.indexOf(d.emailStatus) > severity.indexOf(primary.emailStatus))
      primary.emailStatus = d.emailStatus;
    primary.firstName ??= d.firstName;
    primary.lastName ??= d.lastName;
    primary.jobTitle ??= d.jobTitle;
    primary.company ??= d.company;
    primary.owner ??= d.owner;
    primary.lifecycleStage ??= d.lifecycleStage;
    primary.customFields = { ...d.customFields, ...primary.customFields };
  }
  const now = new Date();
  await em.transactional(async (tx) => {
    for (const step of mergeSteps)
      await step(
        tx,
        organization,
        primary.id,
        duplicates.map((d) => d.id),
      );
    for (const d of duplicates) d.deletedAt = now;
  });
  return { primary, duplicates };
}

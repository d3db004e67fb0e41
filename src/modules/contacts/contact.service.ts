import { findRecord, setRecordDeleted } from '../../platform/db/refs.js';
import type { EntityManager } from '../../platform/db/orm.js';
import { AppError, badInput, conflict } from '../../platform/errors.js';
import { fromGlobalId, parseGlobalId } from '../../platform/ids.js';
import * as v from '../../platform/validation.js';
import { User } from '../auth/index.js';
import { Company } from '../companies/index.js';
import {
  CustomFieldObject,
  type CustomFieldDefinition,
  loadDefinitions,
  mergeCustomFields,
} from '../custom-fields/index.js';
import { Contact, EmailStatus } from './contact.entity.js';
import type { CreateContactInput, UpdateContactInput } from './contact.types.js';

type ContactFields = Omit<CreateContactInput, never>;

const WRITABLE = [
  'firstName',
  'lastName',
  'emails',
  'phones',
  'jobTitle',
  'lifecycleStage',
  'tags',
  'company',
  'owner',
  'customFields',
] as const;

/** The fields a write may change, detached from the entity so a failed item changes nothing. */
type ContactDraft = Pick<Contact, (typeof WRITABLE)[number]>;

function draftOf(c: Contact): ContactDraft {
  return Object.fromEntries(WRITABLE.map((k) => [k, c[k]])) as unknown as ContactDraft;
}

const MAX_EMAILS = 20;

/**
 * Validates contact input and applies it to an entity. References (company, owner) and
 * custom-field definitions are loaded once per call in `prepare`, so a bulk write of
 * n contacts costs a constant number of look-ups.
 */
export class ContactWriter {
  private defs: CustomFieldDefinition[] = [];
  private readonly companies = new Set<string>();
  private readonly owners = new Set<string>();

  constructor(
    private readonly em: EntityManager,
    readonly organization: string,
  ) {}

  async prepare(inputs: Partial<ContactFields>[]): Promise<this> {
    const pks = (ids: (string | null | undefined)[], type: string) =>
      ids.flatMap((id) => {
        const p = id ? parseGlobalId(id) : null;
        return p && p.type === type ? [p.id] : [];
      });
    const companyPks = pks(
      inputs.map((i) => i.companyId),
      'Company',
    );
    const ownerPks = pks(
      inputs.map((i) => i.ownerId),
      'User',
    );
    const [defs, companies, owners] = await Promise.all([
      loadDefinitions(this.em, CustomFieldObject.CONTACT),
      companyPks.length
        ? this.em.find(Company, { id: { $in: companyPks }, deletedAt: null }, { fields: ['id'] })
        : [],
      ownerPks.length
        ? this.em.find(User, { id: { $in: ownerPks }, deletedAt: null }, { fields: ['id'] })
        : [],
    ]);
    this.defs = defs;
    for (const c of companies) this.companies.add(c.id);
    for (const u of owners) this.owners.add(u.id);
    return this;
  }

  private ref(set: Set<string>, id: string | null | undefined, type: string, field: string, what: string) {
    if (!id) return null;
    const pk = fromGlobalId(id, type, field);
    if (!set.has(pk)) throw badInput(field, `no ${what} ${id} exists.`);
    return pk;
  }

  /**
   * Applies `input` at `path` (e.g. `input` or `input.contacts[3]`). Creating: absent
   * fields get defaults. Updating: absent fields stay, null clears.
   */
  apply(target: Contact, input: Partial<ContactFields>, path: string, creating: boolean): Contact {
    const has = (k: keyof ContactFields) => creating || input[k] !== undefined;
    const c = draftOf(target);
    if (has('firstName')) c.firstName = v.optionalText(input.firstName, `${path}.firstName`, 100) ?? null;
    if (has('lastName')) c.lastName = v.optionalText(input.lastName, `${path}.lastName`, 100) ?? null;
    if (has('emails')) c.emails = v.list(input.emails ?? [], `${path}.emails`, MAX_EMAILS, v.email);
    if (has('phones')) c.phones = v.list(input.phones ?? [], `${path}.phones`, 20, v.phone);
    if (has('jobTitle')) c.jobTitle = v.optionalText(input.jobTitle, `${path}.jobTitle`, 200) ?? null;
    if (has('lifecycleStage')) c.lifecycleStage = input.lifecycleStage ?? null;
    if (has('tags')) c.tags = v.list(input.tags ?? [], `${path}.tags`, 50, v.tag);
    if (!c.firstName && !c.lastName && c.emails.length === 0) {
      throw badInput(path, 'a contact needs a first name, a last name or an email address.');
    }
    if (has('companyId'))
      c.company = this.ref(this.companies, input.companyId, 'Company', `${path}.companyId`, 'company');
    if (has('ownerId'))
      c.owner = this.ref(this.owners, input.ownerId, 'User', `${path}.ownerId`, 'active member');
    c.customFields = mergeCustomFields(
      this.defs,
      c.customFields,
      input.customFields,
      `${path}.customFields`,
      creating,
    );
    // Only a fully valid input reaches the entity.
    Object.assign(target, c);
    if (creating) target.organization = this.organization;
    return target;
  }
}

export async function createContact(em: EntityManager, organization: string, input: CreateContactInput) {
  const writer = await new ContactWriter(em, organization).prepare([input]);
  const c = writer.apply(new Contact(), input, 'input', true);
  await em.persistAndFlush(c);
  return c;
}

export async function findContact(
  em: EntityManager,
  id: string,
  opts: { live?: boolean; field?: string } = {},
) {
  return findRecord(em, Contact, 'Contact', id, { live: opts.live ?? false, field: opts.field });
}

export async function updateContact(em: EntityManager, organization: string, input: UpdateContactInput) {
  const c = await findContact(em, input.id, { live: true });
  const writer = await new ContactWriter(em, organization).prepare([input]);
  writer.apply(c, input, 'input', false);
  await em.flush();
  return c;
}

export const setContactDeleted = (em: EntityManager, id: string, deleted: boolean): Promise<Contact> =>
  setRecordDeleted(em, Contact, 'Contact', id, deleted);

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
  const writer = await new ContactWriter(em, organization).prepare(inputs);
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
  const primary = await findContact(em, primaryId, { live: true, field: 'input.primaryId' });
  const duplicates: Contact[] = [];
  for (const [i, id] of duplicateIds.entries()) {
    const d = await findContact(em, id, { live: true, field: `input.duplicateIds[${i}]` });
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
    20,
  );
  primary.tags = union(
    all.map((c) => c.tags),
    50,
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

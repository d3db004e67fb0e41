import { Caller } from '../../platform/graphql/caller.js';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Extensions, Mutation, Resolver, Info } from 'type-graphql';
import { AppError, badInput, ErrorCode } from '../../platform/errors.js';
import { requireScope, type Principal, type RequestContext } from '../../platform/graphql/context.js';
import { decodeResumeCursor, encodeResumeCursor } from '../../platform/resume-cursor.js';
import { freshRow } from '../../platform/graphql/lists.js';
import { rowLoader } from '../../platform/graphql/loaders.js';
import { toGlobalId } from '../../platform/ids.js';
import { recordResolver } from '../../platform/records/index.js';
import { contactList, type ContactRow } from './contact.entity.js';
import { contactRecord } from './contact.record.js';
import {
  contactService,
  mergeContacts,
  writeContacts,
  type BulkStatus,
  type ContactMergeStep,
} from './contact.service.js';
import {
  BulkContactsPayload,
  CreateContactsInput,
  MergeContactsInput,
  MergeContactsPayload,
  UpsertContactsInput,
  type CreateContactInput,
} from './contact.types.js';

/** Contacts: list, by id, create, update, soft delete, restore, owner and company, all uniform. */
export const ContactResolver = recordResolver(contactRecord, {
  service: contactService,
  texts: { delete: 'Soft delete: restoreContact brings the contact back.' },
});

/** Where a bulk write resumes: the offset its cursor names in this very list of contacts. */
function resumeFrom(cursor: string | null | undefined, contacts: CreateContactInput[]): number {
  if (!cursor) return 0;
  const [offset] = decodeResumeCursor(
    cursor,
    contacts,
    ([o]) => typeof o === 'number' && Number.isInteger(o) && o > 0 && o <= contacts.length,
    'does not continue this list of contacts; send the same contacts it was returned with.',
  );
  return offset as number;
}

const MAX_BULK = 1000;

/**
 * Runs a bulk write of at most the plan's records-per-call items from the resume point.
 * What is left is reported with a cursor and a USAGE_LIMIT_EXCEEDED error beside the data.
 */
async function bulkWrite(
  ctx: RequestContext,
  info: GraphQLResolveInfo,
  contacts: CreateContactInput[],
  resumeCursor: string | null | undefined,
  upsert: boolean,
) {
  const { organizationId } = requireScope(ctx, 'write');
  if (contacts.length > MAX_BULK)
    throw badInput('input.contacts', `accepts at most ${MAX_BULK} items per call.`);
  const from = resumeFrom(resumeCursor, contacts);
  const limit = ctx.limits?.recordsPerCall ?? MAX_BULK;
  const to = Math.min(contacts.length, from + limit);
  const results = await writeContacts(ctx.em, organizationId, contacts, upsert, from, to);
  ctx.processedItems.set(String(info.path.key), results.length);
  const loader = rowLoader<ContactRow>(ctx, contactList);
  const rows = await Promise.all(results.map((r) => (r.contact ? loader.load(r.contact.id) : null)));
  const count = (s: BulkStatus) => results.filter((r) => r.status === s).length;
  const remaining = contacts.length - to;
  const nextCursor = remaining > 0 ? encodeResumeCursor(contacts, [to]) : null;
  if (nextCursor) {
    ctx.warnings.push(
      new AppError(
        ErrorCode.USAGE_LIMIT_EXCEEDED,
        `Stopped after ${results.length} of ${contacts.length - from} items: the plan allows ${limit} records per call. Send the same input with resumeCursor to continue.`,
        {
          dimension: 'RECORDS_PER_CALL',
          limit,
          used: results.length,
          processed: results.length,
          remaining,
          resumeCursor: nextCursor,
        },
      ),
    );
  }
  return {
    results: results.map((r, i) => ({ index: r.index, status: r.status, error: r.error, contact: rows[i] })),
    createdCount: count('CREATED'),
    updatedCount: count('UPDATED'),
    failedCount: count('FAILED'),
    failed: count('FAILED'),
    processed: results.length,
    remaining,
    resumeCursor: nextCursor,
  };
}

export interface ContactDeps {
  /** The modules' `contactsMerged` hooks, in module order. */
  contactMergeSteps: readonly ContactMergeStep[];
}

@Resolver()
export class ContactBulkResolver {
  constructor(private readonly deps: ContactDeps) {}

  @Authorized('write')
  @Extensions({ cost: { bulk: 'contacts' } })
  @Mutation(() => BulkContactsPayload, {
    description:
      "Creates many contacts; valid items are written in one transaction, up to the plan's records-per-call.",
  })
  createContacts(
    @Arg('input') input: CreateContactsInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return bulkWrite(ctx, info, input.contacts, input.resumeCursor, false);
  }

  @Authorized('write')
  @Extensions({ cost: { bulk: 'contacts' } })
  @Mutation(() => BulkContactsPayload, {
    description: "Creates or updates many contacts, matched by email, up to the plan's records-per-call.",
  })
  upsertContacts(
    @Arg('input') input: UpsertContactsInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return bulkWrite(ctx, info, input.contacts, input.resumeCursor, true);
  }

  @Authorized('write')
  @Mutation(() => MergeContactsPayload, {
    description:
      'Moves deals, calls, campaign memberships, tags, emails and phones to the primary; soft-deletes the rest.',
  })
  async mergeContacts(
    @Arg('input') input: MergeContactsInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const { primary, duplicates } = await mergeContacts(
      ctx.em,
      caller.organizationId,
      input.primaryId,
      input.duplicateIds,
      this.deps.contactMergeSteps,
    );
    return {
      contact: await freshRow<ContactRow>(ctx, contactList, primary.id),
      mergedContactIds: duplicates.map((d) => toGlobalId('Contact', d.id)),
    };
  }
}

import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../platform/errors.js';
import { requireScope, type RequestContext } from '../../platform/graphql/context.js';
import { freshRow, rootList, rowById } from '../../platform/graphql/lists.js';
import { pageLoader, rowLoader } from '../../platform/graphql/loaders.js';
import { toGlobalId } from '../../platform/ids.js';
import type { Connection } from '../../platform/pagination.js';
import { companyList, type CompanyRow } from '../companies/company.read.js';
import { CompanyNode } from '../companies/company.types.js';
import { UserNode } from '../auth/auth.types.js';
import { loadUser, type UserRow } from '../users/user.read.js';
import { contactList, type ContactRow } from './contact.read.js';
import * as service from './contact.service.js';
import {
  CompanyContactsArgs,
  ContactConnection,
  ContactIdInput,
  ContactNode,
  ContactPayload,
  BulkContactsPayload,
  ContactsArgs,
  CreateContactInput,
  CreateContactsInput,
  MergeContactsInput,
  MergeContactsPayload,
  UpsertContactsInput,
  DeleteContactPayload,
  UpdateContactInput,
} from './contact.types.js';

@Resolver(() => ContactNode)
export class ContactResolver {
  @Authorized('read')
  @Query(() => ContactConnection)
  contacts(@Args() args: ContactsArgs, @Ctx() ctx: RequestContext): Promise<Connection<ContactRow>> {
    return rootList<ContactRow>(ctx, contactList, args);
  }

  @Authorized('read')
  @Query(() => ContactNode, { description: 'NOT_FOUND if no such contact is visible to the caller.' })
  contact(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ContactRow> {
    return rowById<ContactRow>(ctx, contactList, id);
  }

  @FieldResolver(() => CompanyNode, { nullable: true })
  company(@Root() contact: ContactRow, @Ctx() ctx: RequestContext): Promise<CompanyRow | null> | null {
    return contact.companyId ? rowLoader<CompanyRow>(ctx, companyList).load(contact.companyId) : null;
  }

  @FieldResolver(() => UserNode, { nullable: true })
  owner(@Root() contact: ContactRow, @Ctx() ctx: RequestContext): Promise<UserRow | null> | null {
    return loadUser(ctx, contact.ownerId);
  }

  @Authorized('write')
  @Mutation(() => ContactPayload)
  async createContact(@Arg('input') input: CreateContactInput, @Ctx() ctx: RequestContext) {
    const c = await service.createContact(ctx.em, requireScope(ctx, 'write').organizationId, input);
    return { contact: await freshRow<ContactRow>(ctx, contactList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => ContactPayload)
  async updateContact(@Arg('input') input: UpdateContactInput, @Ctx() ctx: RequestContext) {
    const c = await service.updateContact(ctx.em, requireScope(ctx, 'write').organizationId, input);
    return { contact: await freshRow<ContactRow>(ctx, contactList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => DeleteContactPayload, {
    description: 'Soft delete: restoreContact brings the contact back.',
  })
  async deleteContact(@Arg('input') input: ContactIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setContactDeleted(ctx.em, input.id, true);
    return { deletedContactId: input.id, contact: await freshRow<ContactRow>(ctx, contactList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => ContactPayload)
  async restoreContact(@Arg('input') input: ContactIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setContactDeleted(ctx.em, input.id, false);
    return { contact: await freshRow<ContactRow>(ctx, contactList, c.id) };
  }
}

/** Reads back the contacts of a bulk write with one SQL statement, in input order. */
async function bulkPayload(ctx: RequestContext, results: service.BulkItemResult[]) {
  const loader = rowLoader<ContactRow>(ctx, contactList);
  const rows = await Promise.all(results.map((r) => (r.contact ? loader.load(r.contact.id) : null)));
  const count = (s: service.BulkStatus) => results.filter((r) => r.status === s).length;
  return {
    results: results.map((r, i) => ({ index: r.index, status: r.status, error: r.error, contact: rows[i] })),
    createdCount: count('CREATED'),
    updatedCount: count('UPDATED'),
    failedCount: count('FAILED'),
  };
}

const MAX_BULK = 1000;

function bulkInput(contacts: CreateContactInput[]): CreateContactInput[] {
  if (contacts.length > MAX_BULK)
    throw badInput('input.contacts', `accepts at most ${MAX_BULK} items per call.`);
  return contacts;
}

@Resolver()
export class ContactBulkResolver {
  @Authorized('write')
  @Mutation(() => BulkContactsPayload, {
    description: 'Creates many contacts; valid items are written in one transaction.',
  })
  async createContacts(@Arg('input') input: CreateContactsInput, @Ctx() ctx: RequestContext) {
    const { organizationId } = requireScope(ctx, 'write');
    return bulkPayload(
      ctx,
      await service.writeContacts(ctx.em, organizationId, bulkInput(input.contacts), false),
    );
  }

  @Authorized('write')
  @Mutation(() => BulkContactsPayload, { description: 'Creates or updates many contacts, matched by email.' })
  async upsertContacts(@Arg('input') input: UpsertContactsInput, @Ctx() ctx: RequestContext) {
    const { organizationId } = requireScope(ctx, 'write');
    return bulkPayload(
      ctx,
      await service.writeContacts(ctx.em, organizationId, bulkInput(input.contacts), true),
    );
  }

  @Authorized('write')
  @Mutation(() => MergeContactsPayload, {
    description:
      'Moves deals, calls, campaign memberships, tags, emails and phones to the primary; soft-deletes the rest.',
  })
  async mergeContacts(@Arg('input') input: MergeContactsInput, @Ctx() ctx: RequestContext) {
    const { organizationId } = requireScope(ctx, 'write');
    const { primary, duplicates } = await service.mergeContacts(
      ctx.em,
      organizationId,
      input.primaryId,
      input.duplicateIds,
    );
    return {
      contact: await freshRow<ContactRow>(ctx, contactList, primary.id),
      mergedContactIds: duplicates.map((d) => toGlobalId('Contact', d.id)),
    };
  }
}

/** `Company.contacts`: added from this module, since contacts know companies and not the reverse. */
@Resolver(() => CompanyNode)
export class CompanyContactsResolver {
  @FieldResolver(() => ContactConnection)
  contacts(
    @Root() company: CompanyRow,
    @Args() args: CompanyContactsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<ContactRow>> {
    return pageLoader<ContactRow>(ctx, contactList, 'company_id', args).load(company.pk);
  }
}

import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireScope, type RequestContext } from '../../platform/graphql/context.js';
import { freshRow, rootList, rowById } from '../../platform/graphql/lists.js';
import { pageLoader, rowLoader } from '../../platform/graphql/loaders.js';
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
  ContactsArgs,
  CreateContactInput,
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
    const c = await service.updateContact(ctx.em, input);
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

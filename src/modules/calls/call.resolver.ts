import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Info,
} from 'type-graphql';
import { requireScope, type RequestContext } from '../../platform/graphql/context.js';
import { freshRow, rootList, rowById } from '../../platform/graphql/lists.js';
import { pageLoader, rowLoader } from '../../platform/graphql/loaders.js';
import type { Connection } from '../../platform/pagination.js';
import { UserNode } from '../auth/auth.types.js';
import { contactList, type ContactRow } from '../contacts/contact.read.js';
import { ContactFilter, ContactNode } from '../contacts/contact.types.js';
import { dealList, type DealRow } from '../deals/deal.read.js';
import { DealFilter, DealNode } from '../deals/deal.types.js';
import { loadUser } from '../users/user.read.js';
import { callList, type CallRow } from './call.read.js';
import * as service from './call.service.js';
import {
  CallConnection,
  CallIdInput,
  CallNode,
  CallPayload,
  CallRelationFilter,
  CallsArgs,
  DeleteCallPayload,
  LogCallInput,
  RelatedCallsArgs,
  UpdateCallInput,
} from './call.types.js';

Field(() => CallRelationFilter, { nullable: true, description: "Conditions on the contact's calls." })(
  ContactFilter.prototype,
  'calls',
);
Field(() => CallRelationFilter, { nullable: true, description: "Conditions on the deal's calls." })(
  DealFilter.prototype,
  'calls',
);

@Resolver(() => CallNode)
export class CallResolver {
  @Authorized('read')
  @Query(() => CallConnection)
  calls(
    @Args() args: CallsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<CallRow>> {
    return rootList<CallRow>(ctx, callList, args, info);
  }

  @Authorized('read')
  @Query(() => CallNode)
  call(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CallRow> {
    return rowById<CallRow>(ctx, callList, id);
  }

  @FieldResolver(() => ContactNode, { nullable: true })
  contact(@Root() call: CallRow, @Ctx() ctx: RequestContext) {
    return call.contactId ? rowLoader<ContactRow>(ctx, contactList).load(call.contactId) : null;
  }

  @FieldResolver(() => DealNode, { nullable: true })
  deal(@Root() call: CallRow, @Ctx() ctx: RequestContext) {
    return call.dealId ? rowLoader<DealRow>(ctx, dealList).load(call.dealId) : null;
  }

  @FieldResolver(() => UserNode, { nullable: true })
  owner(@Root() call: CallRow, @Ctx() ctx: RequestContext) {
    return loadUser(ctx, call.ownerId);
  }

  @Authorized('write')
  @Mutation(() => CallPayload, { description: 'Records a call made elsewhere; nothing is dialled.' })
  async logCall(@Arg('input') input: LogCallInput, @Ctx() ctx: RequestContext) {
    const principal = requireScope(ctx, 'write');
    const c = await service.logCall(ctx.em, principal.organizationId, principal.userId, input);
    return { call: await freshRow<CallRow>(ctx, callList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CallPayload)
  async updateCall(@Arg('input') input: UpdateCallInput, @Ctx() ctx: RequestContext) {
    const c = await service.updateCall(ctx.em, input);
    return { call: await freshRow<CallRow>(ctx, callList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => DeleteCallPayload)
  async deleteCall(@Arg('input') input: CallIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCallDeleted(ctx.em, input.id, true);
    return { deletedCallId: input.id, call: await freshRow<CallRow>(ctx, callList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CallPayload)
  async restoreCall(@Arg('input') input: CallIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCallDeleted(ctx.em, input.id, false);
    return { call: await freshRow<CallRow>(ctx, callList, c.id) };
  }
}

/** `Contact.calls` and `Deal.calls`, added from this module. */
@Resolver(() => ContactNode)
export class ContactCallsResolver {
  @FieldResolver(() => CallConnection)
  calls(
    @Root() contact: ContactRow,
    @Args() args: RelatedCallsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<CallRow>(ctx, callList, 'contact_id', args, info).load(contact.pk);
  }
}

@Resolver(() => DealNode)
export class DealCallsResolver {
  @FieldResolver(() => CallConnection)
  calls(
    @Root() deal: DealRow,
    @Args() args: RelatedCallsArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return pageLoader<CallRow>(ctx, callList, 'deal_id', args, info).load(deal.pk);
  }
}

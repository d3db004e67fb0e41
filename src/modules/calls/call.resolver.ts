import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Info,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { callTopic } from './call.events.js';
import { RequestCache, requireScope, type RequestContext } from '../../platform/graphql/context.js';
import { freshRow, recordEvents, rootList, rowById } from '../../platform/graphql/lists.js';
import { pageLoader, rowLoader } from '../../platform/graphql/loaders.js';
import type { Connection } from '../../platform/pagination.js';
import { UserNode } from '../auth/index.js';
import { contactList, type ContactRow, ContactNode } from '../contacts/index.js';
import { dealList, type DealRow, DealNode } from '../deals/index.js';
import { loadUser } from '../users/index.js';
import { callList, type CallRow } from './call.read.js';
import * as service from './call.service.js';
import {
  CallConnection,
  CallIdInput,
  CallNode,
  CallPayload,
  CallsArgs,
  DeleteCallPayload,
  LogCallInput,
  RelatedCallsArgs,
  UpdateCallInput,
} from './call.types.js';

/** The call as written, read back through the read path; `callStatusChanged` subscribers are told. */
async function published(ctx: RequestContext, pk: string): Promise<CallRow> {
  const row = await freshRow<CallRow>(ctx, callList, pk);
  ctx.pubsub.emit(callTopic, requireScope(ctx, null).organizationId, { callId: pk });
  return row;
}

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

  @Authorized()
  @Subscription(() => CallNode, {
    description:
      'The call (or every call of the organisation) each time it changes: status, timings, outcome.',
    subscribe: ({
      args,
      context,
    }: SubscribeResolverData<unknown, { callId?: string | null }, RequestContext>) =>
      recordEvents(context, callTopic, callList, args.callId, (e) => e.callId),
  })
  callStatusChanged(
    @Root() event: { callId: string },
    @Ctx() ctx: RequestContext,
    @Arg('callId', () => ID, { nullable: true, description: 'Only this call; every call when left out.' })
    _callId?: string | null,
  ): Promise<CallRow> {
    // Each event is read afresh, through the read path, as a new query would.
    ctx.cache = new RequestCache();
    return freshRow<CallRow>(ctx, callList, event.callId);
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
    return { call: await published(ctx, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CallPayload)
  async updateCall(@Arg('input') input: UpdateCallInput, @Ctx() ctx: RequestContext) {
    const c = await service.updateCall(ctx.em, input);
    return { call: await published(ctx, c.id) };
  }

  @Authorized('write')
  @Mutation(() => DeleteCallPayload)
  async deleteCall(@Arg('input') input: CallIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCallDeleted(ctx.em, input.id, true);
    return { deletedCallId: input.id, call: await published(ctx, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CallPayload)
  async restoreCall(@Arg('input') input: CallIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCallDeleted(ctx.em, input.id, false);
    return { call: await published(ctx, c.id) };
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

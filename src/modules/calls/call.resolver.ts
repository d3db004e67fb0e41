import { Caller } from '../../platform/graphql/caller.js';
import {
  Arg,
  Authorized,
  Ctx,
  Mutation,
  Resolver,
  Root,
  Subscription,
  ID,
  type SubscribeResolverData,
} from 'type-graphql';
import { RequestCache, requireScope } from '../../platform/graphql/context.js';
import type { Principal, RequestContext } from '../../platform/graphql/context.js';
import { freshRow, recordEvents } from '../../platform/graphql/lists.js';
import { recordResolver } from '../../platform/records/index.js';
import { callList, type CallRow } from './call.entity.js';
import { callTopic } from './call.events.js';
import { callRecord } from './call.record.js';
import * as service from './call.service.js';
import { callService } from './call.service.js';
import { CallNode, CallPayload, LogCallInput } from './call.types.js';

/** The call as written, read back through the read path; `callStatusChanged` subscribers are told. */
async function published(ctx: RequestContext, pk: string): Promise<CallRow> {
  const row = await freshRow<CallRow>(ctx, callList, pk);
  ctx.pubsub.emit(callTopic, requireScope(ctx, null).organizationId, { callId: pk });
  return row;
}

/** Calls: list, by id, update, soft delete, restore and links are uniform; logging and live status are the calls' own. */
@Resolver(() => CallNode)
export class CallResolver extends recordResolver(callRecord, {
  service: callService,
  mutations: { create: false },
  // Every change reaches `callStatusChanged` subscribers.
  onWrite: (ctx, pk) => ctx.pubsub.emit(callTopic, requireScope(ctx, null).organizationId, { callId: pk }),
}) {
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

  @Authorized('write')
  @Mutation(() => CallPayload, { description: 'Records a call made elsewhere; nothing is dialled.' })
  async logCall(@Arg('input') input: LogCallInput, @Ctx() ctx: RequestContext, @Caller() caller: Principal) {
    const c = await service.logCall(ctx.em, caller.organizationId, caller.userId, input);
    return { call: await published(ctx, c.id) };
  }
}

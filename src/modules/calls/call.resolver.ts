import { Caller } from '../../platform/graphql/caller.js';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  InputType,
  Mutation,
  Resolver,
  Root,
  Subscription,
  ID,
  type SubscribeResolverData,
} from 'type-graphql';
import { fromGlobalId } from '../../platform/ids.js';
import { recordWriteTypes } from '../../platform/records/index.js';
import { requireTelephony } from '../numbers/index.js';
import { hangupCall, placeCall, type CallsDeps } from './placing.js';
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

const { idInput: CallIdInput } = recordWriteTypes(callRecord);

@InputType({ description: 'Give exactly one of contactId (its first phone number is called) and to.' })
export class PlaceCallInput {
  @Field(() => ID, { nullable: true })
  contactId?: string | null;

  @Field(() => String, { nullable: true, description: 'The number to call (E.164).' })
  to?: string | null;

  @Field(() => ID, { description: 'A rented PhoneNumber (ACTIVE): the caller id both parties see.' })
  fromNumberId!: string;

  @Field({ description: "The user's own phone (E.164): rung first, then bridged to the contact." })
  userPhone!: string;

  @Field(() => ID, { nullable: true })
  dealId?: string | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;
}

/** Calls: list, by id, update, soft delete, restore and links are uniform; logging and live status are the calls' own. */
@Resolver(() => CallNode)
export class CallResolver extends recordResolver(callRecord, {
  service: callService,
  mutations: { create: false },
  // Every change reaches `callStatusChanged` subscribers.
  onWrite: (ctx, pk) => ctx.pubsub.emit(callTopic, requireScope(ctx, null).organizationId, { callId: pk }),
}) {
  constructor(private readonly deps: CallsDeps) {
    super();
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

  @Authorized('write')
  @Mutation(() => CallPayload, { description: 'Records a call made elsewhere; nothing is dialled.' })
  async logCall(@Arg('input') input: LogCallInput, @Ctx() ctx: RequestContext, @Caller() caller: Principal) {
    const c = await service.logCall(ctx.em, caller.organizationId, caller.userId, input);
    return { call: await published(ctx, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CallPayload, {
    description:
      "Click-to-call: rings the user's phone from a rented number, then bridges to the contact. Emergency numbers are never dialled (EMERGENCY_NUMBER_BLOCKED); counted against the plan's calls per day. The call's status then follows the provider's callbacks (callStatusChanged).",
  })
  async placeCall(
    @Arg('input') input: PlaceCallInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const limits = await this.deps.planLimits?.(caller.plan);
    const id = await placeCall(
      ctx.em,
      requireTelephony(this.deps),
      this.deps,
      caller.organizationId,
      caller.userId,
      limits?.callsPerDay ?? Number.MAX_SAFE_INTEGER,
      {
        ...input,
        fromNumberId: fromGlobalId(input.fromNumberId, 'PhoneNumber', 'input.fromNumberId'),
        contactId: input.contactId
          ? fromGlobalId(input.contactId, 'Contact', 'input.contactId')
          : input.contactId,
        dealId: input.dealId ? fromGlobalId(input.dealId, 'Deal', 'input.dealId') : input.dealId,
      },
    );
    return { call: await published(ctx, id) };
  }

  @Authorized('write')
  @Mutation(() => CallPayload, {
    description: 'Ends a placed call that is still queued, ringing or in progress (CONFLICT otherwise).',
  })
  async hangupCall(@Arg('input', () => CallIdInput) input: { id: string }, @Ctx() ctx: RequestContext) {
    if (!this.deps.eventSql) throw new Error('the call events SQL client is not wired');
    const id = fromGlobalId(input.id, 'Call', 'input.id');
    await hangupCall(ctx.em, requireTelephony(this.deps), this.deps.eventSql, id);
    return { call: await published(ctx, id) };
  }
}

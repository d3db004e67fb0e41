import type { GraphQLResolveInfo } from 'graphql';
import { Caller } from '../../platform/graphql/caller.js';
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver, Info } from 'type-graphql';
import { type RequestContext, type Principal } from '../../platform/graphql/context.js';
import { freshRow, rootList, rowById } from '../../platform/graphql/lists.js';
import type { Connection } from '../../platform/pagination.js';
import { UserNode } from '../auth/index.js';
import { userList, type UserRow } from './user.read.js';
import * as service from './user.service.js';
import {
  CreateUserInput,
  UpdateUserInput,
  UserConnection,
  UserIdInput,
  UserPayload,
  UsersArgs,
} from './user.types.js';

@Resolver(() => UserNode)
export class UserResolver {
  @Authorized('read')
  @Query(() => UserConnection, { description: 'Members of the organisation.' })
  users(
    @Args() args: UsersArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<UserRow>> {
    return rootList<UserRow>(ctx, userList, args, info);
  }

  @Authorized('read')
  @Query(() => UserNode)
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<UserRow> {
    return rowById<UserRow>(ctx, userList, id);
  }

  @Authorized('admin')
  @Mutation(() => UserPayload)
  async createUser(
    @Arg('input') input: CreateUserInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const u = await service.createUser(ctx.em, caller.organizationId, input);
    return { user: await freshRow<UserRow>(ctx, userList, u.id) };
  }

  @Authorized('admin')
  @Mutation(() => UserPayload)
  async updateUser(@Arg('input') input: UpdateUserInput, @Ctx() ctx: RequestContext) {
    const u = await service.updateUser(ctx.em, input);
    return { user: await freshRow<UserRow>(ctx, userList, u.id) };
  }

  @Authorized('admin')
  @Mutation(() => UserPayload, { description: 'Deactivates a member; their records keep them as owner.' })
  async deleteUser(@Arg('input') input: UserIdInput, @Ctx() ctx: RequestContext) {
    const u = await service.setUserDeleted(ctx.em, input.id, true);
    return { user: await freshRow<UserRow>(ctx, userList, u.id) };
  }

  @Authorized('admin')
  @Mutation(() => UserPayload)
  async restoreUser(@Arg('input') input: UserIdInput, @Ctx() ctx: RequestContext) {
    const u = await service.setUserDeleted(ctx.em, input.id, false);
    return { user: await freshRow<UserRow>(ctx, userList, u.id) };
  }
}

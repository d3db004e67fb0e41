import type { GraphQLResolveInfo } from 'graphql';
import { Caller } from '../../platform/graphql/caller.js';
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
} from 'type-graphql';
import { UserNode } from '../auth/index.js';
import { loadUser, type UserRow } from '../users/index.js';
import { type RequestContext, type Principal } from '../../platform/graphql/context.js';
import { freshRow, rootList, rowById } from '../../platform/graphql/lists.js';
import type { Connection } from '../../platform/pagination.js';
import { companyList, type CompanyRow } from './company.read.js';
import * as service from './company.service.js';
import {
  CompaniesArgs,
  CompanyConnection,
  CompanyIdInput,
  CompanyNode,
  CompanyPayload,
  CreateCompanyInput,
  DeleteCompanyPayload,
  UpdateCompanyInput,
} from './company.types.js';

@Resolver(() => CompanyNode)
export class CompanyResolver {
  @Authorized('read')
  @Query(() => CompanyConnection)
  companies(
    @Args() args: CompaniesArgs,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<CompanyRow>> {
    return rootList<CompanyRow>(ctx, companyList, args, info);
  }

  @Authorized('read')
  @Query(() => CompanyNode, { description: 'NOT_FOUND if no such company is visible to the caller.' })
  company(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<CompanyRow> {
    return rowById<CompanyRow>(ctx, companyList, id);
  }

  @FieldResolver(() => UserNode, { nullable: true })
  owner(@Root() company: CompanyRow, @Ctx() ctx: RequestContext): Promise<UserRow | null> | null {
    return loadUser(ctx, company.ownerId);
  }

  @Authorized('write')
  @Mutation(() => CompanyPayload)
  async createCompany(
    @Arg('input') input: CreateCompanyInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const c = await service.createCompany(ctx.em, caller.organizationId, input);
    return { company: await freshRow<CompanyRow>(ctx, companyList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CompanyPayload)
  async updateCompany(@Arg('input') input: UpdateCompanyInput, @Ctx() ctx: RequestContext) {
    const c = await service.updateCompany(ctx.em, input);
    return { company: await freshRow<CompanyRow>(ctx, companyList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => DeleteCompanyPayload, {
    description: 'Soft delete: restoreCompany brings it back; its contacts keep it.',
  })
  async deleteCompany(@Arg('input') input: CompanyIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCompanyDeleted(ctx.em, input.id, true);
    return { deletedCompanyId: input.id, company: await freshRow<CompanyRow>(ctx, companyList, c.id) };
  }

  @Authorized('write')
  @Mutation(() => CompanyPayload)
  async restoreCompany(@Arg('input') input: CompanyIdInput, @Ctx() ctx: RequestContext) {
    const c = await service.setCompanyDeleted(ctx.em, input.id, false);
    return { company: await freshRow<CompanyRow>(ctx, companyList, c.id) };
  }
}

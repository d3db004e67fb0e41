import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Caller } from '../../platform/graphql/caller.js';
import type { Principal, RequestContext } from '../../platform/graphql/context.js';
import { CustomFieldObject } from './custom-field.entity.js';
import * as service from './custom-field.service.js';
import {
  CreateCustomFieldDefinitionInput,
  CreateCustomFieldDefinitionPayload,
  CustomFieldDefinitionNode,
  DeleteCustomFieldDefinitionInput,
  DeleteCustomFieldDefinitionPayload,
} from './custom-field.types.js';

@Resolver()
export class CustomFieldResolver {
  @Authorized('read')
  @Query(() => [CustomFieldDefinitionNode], {
    description: 'Keys allowed in `customFields`, per record type.',
  })
  customFieldDefinitions(
    @Ctx() ctx: RequestContext,
    @Arg('objectType', () => CustomFieldObject, { nullable: true }) objectType?: CustomFieldObject,
  ): Promise<CustomFieldDefinitionNode[]> {
    return service.listDefinitions(ctx.em, objectType);
  }

  @Authorized('admin')
  @Mutation(() => CreateCustomFieldDefinitionPayload)
  async createCustomFieldDefinition(
    @Arg('input') input: CreateCustomFieldDefinitionInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ): Promise<CreateCustomFieldDefinitionPayload> {
    return { customFieldDefinition: await service.createDefinition(ctx.em, caller.organizationId, input) };
  }

  @Authorized('admin')
  @Mutation(() => DeleteCustomFieldDefinitionPayload, {
    description: 'Stored values stay on records; new writes of the key are refused.',
  })
  async deleteCustomFieldDefinition(
    @Arg('input') input: DeleteCustomFieldDefinitionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteCustomFieldDefinitionPayload> {
    return { deletedCustomFieldDefinitionId: await service.deleteDefinition(ctx.em, input.id) };
  }
}

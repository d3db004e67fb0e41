import { Caller } from '../../platform/graphql/caller.js';
import { apiKeyRevokedTopic } from './auth.events.js';
import type { OrganizationSetup } from './organization-setup.js';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Principal, RequestContext } from '../../platform/graphql/context.js';
import { requireScope } from '../../platform/graphql/context.js';
import type { WindowLimiter } from '../../platform/rate-limit.js';
import type { ApiKeyAuthenticator } from './api-key.js';
import * as auth from './auth.service.js';
import {
  ApiKeyNode,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  RevokeApiKeyInput,
  RevokeApiKeyPayload,
  SignUpInput,
  SignUpPayload,
  Viewer,
} from './auth.types.js';

export interface AuthDeps {
  authenticator: ApiKeyAuthenticator;
  signUpLimiter: WindowLimiter;
  /** The modules' `organizationCreated` hooks, in module order. */
  organizationSetups: readonly OrganizationSetup[];
  /**
   * Throws SUBSCRIPTION_INACTIVE unless the plan has partner access (persisted-only keys); from
   * the plan table, which this module does not own.
   */
  requirePartnerAccess?: (plan: string) => Promise<void>;
}

@Resolver()
export class AuthResolver {
  constructor(private readonly deps: AuthDeps) {}

  @Authorized()
  @Query(() => Viewer, { description: 'The caller: organisation, user and API key.' })
  viewer(@Ctx() ctx: RequestContext): Promise<Viewer> {
    return auth.viewer(ctx.em, requireScope(ctx, null));
  }

  @Authorized('admin')
  @Query(() => [ApiKeyNode], { description: "The organisation's API keys (never the secrets)." })
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKeyNode[]> {
    return auth.listApiKeys(ctx.em);
  }

  @Mutation(() => SignUpPayload, {
    description: 'Creates an organisation on the FREE plan, its first admin and an admin key. No key needed.',
  })
  signUp(@Arg('input') input: SignUpInput, @Ctx() ctx: RequestContext): Promise<SignUpPayload> {
    this.deps.signUpLimiter.hit(ctx.clientAddress);
    return auth.signUp(ctx.em, input, this.deps.organizationSetups);
  }

  @Authorized('admin')
  @Mutation(() => CreateApiKeyPayload)
  async createApiKey(
    @Arg('input') input: CreateApiKeyInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ): Promise<CreateApiKeyPayload> {
    if (input.persistedOnly && this.deps.requirePartnerAccess) {
      // The organisation's plan now, not the one cached with the caller's key.
      const [org] = await ctx.db.query<{ plan: string }>('select plan from organization where id = $1');
      await this.deps.requirePartnerAccess(org?.plan ?? caller.plan);
    }
    return auth.mintApiKey(ctx.em, caller, input);
  }

  @Authorized('admin')
  @Mutation(() => RevokeApiKeyPayload, {
    description:
      'Revokes a key at once, on every server instance; its open WebSocket connections are closed.',
  })
  async revokeApiKey(
    @Arg('input') input: RevokeApiKeyInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ): Promise<RevokeApiKeyPayload> {
    const key = await auth.revokeApiKey(ctx.em, input.id);
    this.deps.authenticator.evict(key.id);
    // Every other instance forgets the key and closes its sockets too.
    await ctx.pubsub.publish(apiKeyRevokedTopic, caller.organizationId, {
      apiKeyId: key.id,
    });
    return { apiKey: auth.toApiKeyNode(key) };
  }
}

import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../platform/graphql/types.js';
import { recordTypes } from '../../platform/records/index.js';
import { ApiKeyScope } from './auth.entity.js';
import { userRecord } from './user.record.js';

registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  description: 'read: queries; write: mutations; subscribe: WebSocket subscriptions; admin: everything.',
  valuesConfig: {
    READ: { description: 'Run queries.' },
    WRITE: { description: 'Run mutations.' },
    SUBSCRIBE: { description: 'Open subscriptions.' },
    ADMIN: { description: 'Everything, including keys and organisation settings.' },
  },
});

@ObjectType('Organization', { simpleResolvers: true })
export class OrganizationNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The billing plan whose limits apply.' })
  plan!: string;

  @Field(() => DateTime)
  createdAt!: Date | string;
}

/** Members' GraphQL node, derived from the declaration. */
export const UserNode = recordTypes(userRecord).node;
export type UserNode = InstanceType<typeof UserNode>;

@ObjectType('ApiKey', { simpleResolvers: true })
export class ApiKeyNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The first characters of the key, to tell keys apart.' })
  prefix!: string;

  @Field(() => [ApiKeyScope])
  scopes!: ApiKeyScope[];

  @Field({ description: 'Partner key: only persisted (registered) operations are accepted.' })
  persistedOnly!: boolean;

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime, { nullable: true })
  lastUsedAt!: Date | string | null;

  @Field(() => DateTime, { nullable: true })
  revokedAt!: Date | string | null;
}

@ObjectType({ simpleResolvers: true, description: 'The caller: its organisation, user and key.' })
export class Viewer {
  @Field(() => OrganizationNode)
  organization!: OrganizationNode;

  @Field(() => UserNode, { nullable: true })
  user!: UserNode | null;

  @Field(() => ApiKeyNode)
  apiKey!: ApiKeyNode;
}

@InputType()
export class SignUpInput {
  @Field()
  organizationName!: string;

  @Field({ description: 'The first admin user.' })
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class SignUpPayload {
  @Field(() => OrganizationNode)
  organization!: OrganizationNode;

  @Field(() => UserNode)
  user!: UserNode;

  @Field(() => ApiKeyNode)
  apiKey!: ApiKeyNode;

  @Field({ description: 'The admin API key. Shown once: store it now.' })
  key!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  name!: string;

  @Field(() => [ApiKeyScope])
  scopes!: ApiKeyScope[];

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'A partner key: it runs only documents its organisation registered (registerPersistedDocuments), never query text. Needs a plan with partner access (SUBSCRIPTION_INACTIVE otherwise).',
  })
  persistedOnly!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class CreateApiKeyPayload {
  @Field(() => ApiKeyNode)
  apiKey!: ApiKeyNode;

  @Field({ description: 'The key itself. Shown once: store it now.' })
  key!: string;
}

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class RevokeApiKeyPayload {
  @Field(() => ApiKeyNode)
  apiKey!: ApiKeyNode;
}

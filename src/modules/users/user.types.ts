import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgsBase } from '../../platform/graphql/args.js';
import {
  ConnectionType,
  DateTimeFilter,
  EnumFilter,
  IdFilter,
  OrderType,
  StringFilter,
} from '../../platform/graphql/types.js';
import { UserRole, UserNode } from '../auth/index.js';

export const UserConnection = ConnectionType(UserNode, 'User');

export enum UserOrderField {
  EMAIL = 'EMAIL',
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(UserOrderField, { name: 'UserOrderField' });

export const UserOrder = OrderType(UserOrderField, 'UserOrder');
export type UserOrder = InstanceType<typeof UserOrder>;

export const UserRoleFilter = EnumFilter(UserRole, 'UserRole');

@InputType()
export class UserFilter {
  @Field(() => [UserFilter], { nullable: true })
  and?: UserFilter[];

  @Field(() => [UserFilter], { nullable: true })
  or?: UserFilter[];

  @Field(() => UserFilter, { nullable: true })
  not?: UserFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => StringFilter, { nullable: true })
  email?: StringFilter;

  @Field(() => StringFilter, { nullable: true })
  name?: StringFilter;

  @Field(() => UserRoleFilter, { nullable: true })
  role?: InstanceType<typeof UserRoleFilter>;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter;
}

@ArgsType()
export class UsersArgs extends PageArgsBase {
  @Field(() => UserFilter, { nullable: true })
  filter?: UserFilter | null;

  @Field(() => [UserOrder], { nullable: true })
  orderBy?: UserOrder[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Include deactivated members (admin keys only).' })
  includeDeleted?: boolean | null;
}

@InputType()
export class CreateUserInput {
  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => UserRole, { defaultValue: UserRole.MEMBER })
  role!: UserRole;

  @Field(() => String, { nullable: true })
  phone?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears a field.' })
export class UpdateUserInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => UserRole, { nullable: true })
  role?: UserRole | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;
}

@InputType()
export class UserIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class UserPayload {
  @Field(() => UserNode)
  user!: UserNode;
}

import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTime } from '../../platform/graphql/types.js';
import { CustomFieldObject, CustomFieldType } from './custom-field.entity.js';

@ObjectType('CustomFieldDefinition', { simpleResolvers: true })
export class CustomFieldDefinitionNode {
  @Field(() => ID)
  id!: string;

  @Field(() => CustomFieldObject)
  objectType!: CustomFieldObject;

  @Field({ description: 'The key in `customFields`.' })
  key!: string;

  @Field()
  label!: string;

  @Field(() => CustomFieldType)
  type!: CustomFieldType;

  @Field(() => [String])
  options!: string[];

  @Field()
  required!: boolean;

  @Field(() => DateTime)
  createdAt!: Date | string;
}

@InputType()
export class CreateCustomFieldDefinitionInput {
  @Field(() => CustomFieldObject)
  objectType!: CustomFieldObject;

  @Field({ description: 'Letters, digits and _; starts with a letter; ≤ 63 chars.' })
  key!: string;

  @Field()
  label!: string;

  @Field(() => CustomFieldType)
  type!: CustomFieldType;

  @Field(() => [String], { nullable: true })
  options?: string[];

  @Field(() => Boolean, { defaultValue: false })
  required!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class CreateCustomFieldDefinitionPayload {
  @Field(() => CustomFieldDefinitionNode)
  customFieldDefinition!: CustomFieldDefinitionNode;
}

@InputType()
export class DeleteCustomFieldDefinitionInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class DeleteCustomFieldDefinitionPayload {
  @Field(() => ID)
  deletedCustomFieldDefinitionId!: string;
}

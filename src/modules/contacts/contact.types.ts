import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { PageArgsBase } from '../../platform/graphql/args.js';
import { UserFilter } from '../users/index.js';
import {
  ConnectionType,
  DateTime,
  DateTimeFilter,
  EnumFilter,
  IdFilter,
  OrderType,
  StringFilter,
  StringListFilter,
} from '../../platform/graphql/types.js';
import { CompanyFilter } from '../companies/index.js';
import { EmailStatus, LifecycleStage } from './contact.entity.js';
import { NodeInterface } from '../../platform/graphql/node.js';

registerEnumType(LifecycleStage, { name: 'LifecycleStage' });
registerEnumType(EmailStatus, {
  name: 'EmailStatus',
  description: 'Whether campaign email may be sent to the contact.',
});

@ObjectType('Contact', { simpleResolvers: true, implements: NodeInterface })
export class ContactNode {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  lastName!: string | null;

  @Field({ description: 'First and last name joined; empty if neither is known.' })
  name!: string;

  @Field(() => [String], { description: 'Lower-cased; the first is the primary address.' })
  emails!: string[];

  @Field(() => String, { nullable: true })
  primaryEmail!: string | null;

  @Field(() => [String], { description: 'E.164 numbers.' })
  phones!: string[];

  @Field(() => String, { nullable: true })
  jobTitle!: string | null;

  @Field(() => LifecycleStage, { nullable: true })
  lifecycleStage!: LifecycleStage | null;

  @Field(() => EmailStatus)
  emailStatus!: EmailStatus;

  @Field(() => [String])
  tags!: string[];

  @Field(() => GraphQLJSONObject, { description: 'Values of the CustomFieldDefinitions for CONTACT.' })
  customFields!: Record<string, unknown>;

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime)
  updatedAt!: Date | string;

  @Field(() => DateTime, { nullable: true, description: 'Set when soft-deleted.' })
  deletedAt!: Date | string | null;
}

export const ContactConnection = ConnectionType(ContactNode, 'Contact');

export enum ContactOrderField {
  FIRST_NAME = 'FIRST_NAME',
  LAST_NAME = 'LAST_NAME',
  PRIMARY_EMAIL = 'PRIMARY_EMAIL',
  JOB_TITLE = 'JOB_TITLE',
  LIFECYCLE_STAGE = 'LIFECYCLE_STAGE',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(ContactOrderField, { name: 'ContactOrderField' });

export const ContactOrder = OrderType(ContactOrderField, 'ContactOrder');
export type ContactOrder = InstanceType<typeof ContactOrder>;

export const LifecycleStageFilter = EnumFilter(LifecycleStage, 'LifecycleStage');
export const EmailStatusFilter = EnumFilter(EmailStatus, 'EmailStatus');

@InputType({ description: 'All given conditions must hold; combine with and/or/not.' })
export class ContactFilter {
  @Field(() => [ContactFilter], { nullable: true })
  and?: ContactFilter[];

  @Field(() => IdFilter, { nullable: true })
  ownerId?: IdFilter;

  @Field(() => UserFilter, { nullable: true, description: 'Conditions on the owner.' })
  owner?: UserFilter;

  @Field(() => [ContactFilter], { nullable: true })
  or?: ContactFilter[];

  @Field(() => ContactFilter, { nullable: true })
  not?: ContactFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => StringFilter, { nullable: true })
  firstName?: StringFilter;

  @Field(() => StringFilter, { nullable: true })
  lastName?: StringFilter;

  @Field(() => StringListFilter, { nullable: true, description: 'Addresses are stored lower-cased.' })
  emails?: StringListFilter;

  @Field(() => StringListFilter, { nullable: true })
  phones?: StringListFilter;

  @Field(() => StringFilter, { nullable: true })
  jobTitle?: StringFilter;

  @Field(() => LifecycleStageFilter, { nullable: true })
  lifecycleStage?: InstanceType<typeof LifecycleStageFilter>;

  @Field(() => EmailStatusFilter, { nullable: true })
  emailStatus?: InstanceType<typeof EmailStatusFilter>;

  @Field(() => StringListFilter, { nullable: true })
  tags?: StringListFilter;

  @Field(() => IdFilter, { nullable: true })
  companyId?: IdFilter;

  @Field(() => CompanyFilter, { nullable: true, description: "Conditions on the contact's company." })
  company?: CompanyFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  updatedAt?: DateTimeFilter;
}

@ArgsType()
export class ContactsArgs extends PageArgsBase {
  @Field(() => ContactFilter, { nullable: true })
  filter?: ContactFilter | null;

  @Field(() => [ContactOrder], { nullable: true, description: 'Default: createdAt ascending.' })
  orderBy?: ContactOrder[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted contacts (admin keys only).' })
  includeDeleted?: boolean | null;
}

@ArgsType()
export class CompanyContactsArgs extends PageArgsBase {
  @Field(() => ContactFilter, { nullable: true })
  filter?: ContactFilter | null;

  @Field(() => [ContactOrder], { nullable: true })
  orderBy?: ContactOrder[] | null;
}

@InputType()
export class CreateContactInput {
  @Field(() => ID, { nullable: true, description: 'A member of the organisation.' })
  ownerId?: string | null;

  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => [String], { nullable: true, description: 'The first is the primary address.' })
  emails?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'E.164, e.g. +14155550123.' })
  phones?: string[] | null;

  @Field(() => String, { nullable: true })
  jobTitle?: string | null;

  @Field(() => ID, { nullable: true })
  companyId?: string | null;

  @Field(() => LifecycleStage, { nullable: true })
  lifecycleStage?: LifecycleStage | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  customFields?: Record<string, unknown> | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears a field.' })
export class UpdateContactInput {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'A member of the organisation.' })
  ownerId?: string | null;

  @Field(() => String, { nullable: true })
  firstName?: string | null;

  @Field(() => String, { nullable: true })
  lastName?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the addresses.' })
  emails?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the numbers.' })
  phones?: string[] | null;

  @Field(() => String, { nullable: true })
  jobTitle?: string | null;

  @Field(() => ID, { nullable: true })
  companyId?: string | null;

  @Field(() => LifecycleStage, { nullable: true })
  lifecycleStage?: LifecycleStage | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the tags.' })
  tags?: string[] | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Merged into the stored values; a key set to null is removed.',
  })
  customFields?: Record<string, unknown> | null;
}

@InputType()
export class ContactIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class ContactPayload {
  @Field(() => ContactNode)
  contact!: ContactNode;
}

@ObjectType({ simpleResolvers: true })
export class DeleteContactPayload {
  @Field(() => ID)
  deletedContactId!: string;

  @Field(() => ContactNode, { description: 'The contact as it is now, with deletedAt set.' })
  contact!: ContactNode;
}

export enum BulkItemStatus {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  FAILED = 'FAILED',
}
registerEnumType(BulkItemStatus, { name: 'BulkItemStatus' });

@InputType()
export class CreateContactsInput {
  @Field(() => [CreateContactInput], { description: 'Each item is validated and reported on its own.' })
  contacts!: CreateContactInput[];

  @Field(() => String, {
    nullable: true,
    description:
      "Continue a call that stopped at the plan's records-per-call: the same contacts plus the resumeCursor it returned.",
  })
  resumeCursor?: string | null;
}

@InputType({
  description:
    'Matches each item on its first email (case-insensitive) against every address of live contacts: a match is updated (addresses are added, other given fields replaced), otherwise a contact is created.',
})
export class UpsertContactsInput {
  @Field(() => [CreateContactInput])
  contacts!: CreateContactInput[];

  @Field(() => String, {
    nullable: true,
    description:
      "Continue a call that stopped at the plan's records-per-call: the same contacts plus the resumeCursor it returned.",
  })
  resumeCursor?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class BulkItemError {
  @Field({ description: 'A CONTRACT error code, e.g. BAD_USER_INPUT.' })
  code!: string;

  @Field()
  message!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The input path at fault, e.g. input.contacts[3].emails[0].',
  })
  field!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class ContactBulkResult {
  @Field(() => Int, { description: 'Position of the item in input.contacts.' })
  index!: number;

  @Field(() => BulkItemStatus)
  status!: BulkItemStatus;

  @Field(() => ContactNode, { nullable: true })
  contact!: ContactNode | null;

  @Field(() => BulkItemError, { nullable: true })
  error!: BulkItemError | null;
}

@ObjectType({ simpleResolvers: true })
export class BulkContactsPayload {
  @Field(() => [ContactBulkResult], { description: 'One per input item, in input order.' })
  results!: ContactBulkResult[];

  @Field(() => Int)
  createdCount!: number;

  @Field(() => Int)
  updatedCount!: number;

  @Field(() => Int)
  failedCount!: number;

  @Field(() => Int, { description: 'Items handled by this call (created, updated or failed).' })
  processed!: number;

  @Field(() => Int, { description: 'Items of this call that failed (same as failedCount).' })
  failed!: number;

  @Field(() => Int, { description: "Items not handled because the plan's records-per-call was reached." })
  remaining!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Send the same input again with this cursor to continue; null when everything was handled.',
  })
  resumeCursor!: string | null;
}

@InputType()
export class MergeContactsInput {
  @Field(() => ID, { description: 'The contact that remains.' })
  primaryId!: string;

  @Field(() => [ID], { description: 'Contacts merged into the primary, then soft-deleted.' })
  duplicateIds!: string[];
}

@ObjectType({ simpleResolvers: true })
export class MergeContactsPayload {
  @Field(() => ContactNode)
  contact!: ContactNode;

  @Field(() => [ID])
  mergedContactIds!: string[];
}

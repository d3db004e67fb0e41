import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { recordTypes, recordWriteTypes, type InputOf } from '../../platform/records/index.js';
import { contactRecord } from './contact.record.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

/** The contact's GraphQL types, derived from its declaration, for the hand-written types below and other modules. */
export const { node: ContactNode, filter: ContactFilter } = recordTypes(contactRecord);
export const { createInput: CreateContactInput } = recordWriteTypes(contactRecord);
/** A contact's create input as the services read it. */
export type CreateContactInput = InputOf<typeof contactRecord>;

export const BulkItemStatus = defineEnum('BulkItemStatus', 'CREATED UPDATED FAILED');
export type BulkItemStatus = EnumOf<typeof BulkItemStatus>;

/** What both bulk inputs share: where a call that stopped at the plan's records-per-call resumes. */
@InputType()
abstract class ResumableContactsInput {
  @Field(() => String, {
    nullable: true,
    description:
      "Continue a call that stopped at the plan's records-per-call: the same contacts plus the resumeCursor it returned.",
  })
  resumeCursor?: string | null;
}

@InputType()
export class CreateContactsInput extends ResumableContactsInput {
  @Field(() => [CreateContactInput], { description: 'Each item is validated and reported on its own.' })
  contacts!: CreateContactInput[];
}

@InputType({
  description:
    'Matches each item on its first email (case-insensitive) against every address of live contacts: a match is updated (addresses are added, other given fields replaced), otherwise a contact is created.',
})
export class UpsertContactsInput extends ResumableContactsInput {
  @Field(() => [CreateContactInput])
  contacts!: CreateContactInput[];
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
  contact!: object | null;

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
  contact!: object;

  @Field(() => [ID])
  mergedContactIds!: string[];
}

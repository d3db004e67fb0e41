import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgsBase } from '../../platform/graphql/args.js';
import {
  ConnectionType,
  DateTime,
  DateTimeFilter,
  EnumFilter,
  IdFilter,
  OrderType,
  RelationFilterType,
  StringFilter,
} from '../../platform/graphql/types.js';
import { ContactFilter } from '../contacts/index.js';
import { BounceType, CampaignStatus, MemberStatus } from './campaign.entity.js';
import { NodeInterface } from '../../platform/graphql/node.js';

registerEnumType(CampaignStatus, { name: 'CampaignStatus' });
registerEnumType(MemberStatus, {
  name: 'CampaignMemberStatus',
  description: 'The furthest delivery state reached by one recipient.',
});
registerEnumType(BounceType, {
  name: 'BounceType',
  description: 'HARD: permanent (address suppressed); SOFT: temporary.',
});

@ObjectType('Campaign', { simpleResolvers: true, implements: NodeInterface })
export class CampaignNode {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  subject!: string;

  @Field(() => String, { nullable: true })
  htmlBody!: string | null;

  @Field(() => String, { nullable: true })
  textBody!: string | null;

  @Field()
  fromEmail!: string;

  @Field(() => String, { nullable: true })
  fromName!: string | null;

  @Field(() => String, { nullable: true })
  replyTo!: string | null;

  @Field(() => CampaignStatus)
  status!: CampaignStatus;

  @Field(() => DateTime, { nullable: true })
  scheduledAt!: Date | string | null;

  @Field(() => DateTime, { nullable: true })
  sentAt!: Date | string | null;

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime)
  updatedAt!: Date | string;

  @Field(() => DateTime, { nullable: true })
  deletedAt!: Date | string | null;
}

@ObjectType('CampaignMember', {
  simpleResolvers: true,
  implements: NodeInterface,
  description: 'One recipient of a campaign.',
})
export class CampaignMemberNode {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'The address the message goes (or went) to.' })
  email!: string | null;

  @Field(() => MemberStatus)
  status!: MemberStatus;

  @Field(() => BounceType, { nullable: true })
  bounceType!: BounceType | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => DateTime, { nullable: true })
  sentAt!: Date | string | null;

  @Field(() => DateTime)
  createdAt!: Date | string;

  @Field(() => DateTime)
  updatedAt!: Date | string;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Counts over the members; rates are fractions of sent (0 when none sent).',
})
export class CampaignStats {
  @Field(() => Int)
  recipients!: number;

  @Field(() => Int)
  pending!: number;

  @Field(() => Int)
  sent!: number;

  @Field(() => Int, {
    description: 'Delivered, including those later opened, clicked, complained or unsubscribed.',
  })
  delivered!: number;

  @Field(() => Int, { description: 'Opened, including those later clicked.' })
  opened!: number;

  @Field(() => Int)
  clicked!: number;

  @Field(() => Int)
  bouncedHard!: number;

  @Field(() => Int)
  bouncedSoft!: number;

  @Field(() => Int)
  complained!: number;

  @Field(() => Int)
  unsubscribed!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Float, { description: '(hard + soft bounces) / sent.' })
  bounceRate!: number;

  @Field(() => Float, { description: 'complaints / sent.' })
  complaintRate!: number;
}

export const CampaignConnection = ConnectionType(CampaignNode, 'Campaign');
export const CampaignMemberConnection = ConnectionType(CampaignMemberNode, 'CampaignMember');

export enum CampaignOrderField {
  NAME = 'NAME',
  SENT_AT = 'SENT_AT',
  SCHEDULED_AT = 'SCHEDULED_AT',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(CampaignOrderField, { name: 'CampaignOrderField' });

export enum CampaignMemberOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  EMAIL = 'EMAIL',
  STATUS = 'STATUS',
}
registerEnumType(CampaignMemberOrderField, { name: 'CampaignMemberOrderField' });

export const CampaignOrder = OrderType(CampaignOrderField, 'CampaignOrder');
export type CampaignOrder = InstanceType<typeof CampaignOrder>;

export const CampaignMemberOrder = OrderType(CampaignMemberOrderField, 'CampaignMemberOrder');
export type CampaignMemberOrder = InstanceType<typeof CampaignMemberOrder>;

export const CampaignStatusFilter = EnumFilter(CampaignStatus, 'CampaignStatus');
export const CampaignMemberStatusFilter = EnumFilter(MemberStatus, 'CampaignMemberStatus');
export const BounceTypeFilter = EnumFilter(BounceType, 'BounceType');

@InputType()
export class CampaignMemberFilter {
  @Field(() => [CampaignMemberFilter], { nullable: true })
  and?: CampaignMemberFilter[];

  @Field(() => [CampaignMemberFilter], { nullable: true })
  or?: CampaignMemberFilter[];

  @Field(() => CampaignMemberFilter, { nullable: true })
  not?: CampaignMemberFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => CampaignMemberStatusFilter, { nullable: true })
  status?: InstanceType<typeof CampaignMemberStatusFilter>;

  @Field(() => BounceTypeFilter, { nullable: true })
  bounceType?: InstanceType<typeof BounceTypeFilter>;

  @Field(() => StringFilter, { nullable: true })
  email?: StringFilter;

  @Field(() => IdFilter, { nullable: true })
  contactId?: IdFilter;

  @Field(() => ContactFilter, { nullable: true })
  contact?: ContactFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  sentAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter;
}

export const CampaignMemberRelationFilter = RelationFilterType(
  CampaignMemberFilter,
  'CampaignMemberRelationFilter',
  'Conditions on members: some match, none match, or every one matches.',
);
export type CampaignMemberRelationFilter = InstanceType<typeof CampaignMemberRelationFilter>;

@InputType()
export class CampaignFilter {
  @Field(() => [CampaignFilter], { nullable: true })
  and?: CampaignFilter[];

  @Field(() => [CampaignFilter], { nullable: true })
  or?: CampaignFilter[];

  @Field(() => CampaignFilter, { nullable: true })
  not?: CampaignFilter;

  @Field(() => IdFilter, { nullable: true })
  id?: IdFilter;

  @Field(() => StringFilter, { nullable: true })
  name?: StringFilter;

  @Field(() => StringFilter, { nullable: true })
  subject?: StringFilter;

  @Field(() => CampaignStatusFilter, { nullable: true })
  status?: InstanceType<typeof CampaignStatusFilter>;

  @Field(() => StringFilter, { nullable: true })
  fromEmail?: StringFilter;

  @Field(() => CampaignMemberRelationFilter, { nullable: true })
  members?: CampaignMemberRelationFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  scheduledAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  sentAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  createdAt?: DateTimeFilter;

  @Field(() => DateTimeFilter, { nullable: true })
  updatedAt?: DateTimeFilter;
}

@ArgsType()
export class CampaignsArgs extends PageArgsBase {
  @Field(() => CampaignFilter, { nullable: true })
  filter?: CampaignFilter | null;

  @Field(() => [CampaignOrder], { nullable: true })
  orderBy?: CampaignOrder[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Include soft-deleted campaigns (admin keys only).' })
  includeDeleted?: boolean | null;
}

@ArgsType()
export class CampaignMembersArgs extends PageArgsBase {
  @Field(() => CampaignMemberFilter, { nullable: true })
  filter?: CampaignMemberFilter | null;

  @Field(() => [CampaignMemberOrder], { nullable: true })
  orderBy?: CampaignMemberOrder[] | null;
}

@InputType()
export class CreateCampaignInput {
  @Field()
  name!: string;

  @Field()
  subject!: string;

  @Field(() => String, { nullable: true })
  htmlBody?: string | null;

  @Field(() => String, { nullable: true })
  textBody?: string | null;

  @Field()
  fromEmail!: string;

  @Field(() => String, { nullable: true })
  fromName?: string | null;

  @Field(() => String, { nullable: true })
  replyTo?: string | null;
}

@InputType({ description: 'Only DRAFT, SCHEDULED and PAUSED campaigns can change.' })
export class UpdateCampaignInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  subject?: string | null;

  @Field(() => String, { nullable: true })
  htmlBody?: string | null;

  @Field(() => String, { nullable: true })
  textBody?: string | null;

  @Field(() => String, { nullable: true })
  fromEmail?: string | null;

  @Field(() => String, { nullable: true })
  fromName?: string | null;

  @Field(() => String, { nullable: true })
  replyTo?: string | null;
}

@InputType()
export class CampaignIdInput {
  @Field(() => ID)
  id!: string;
}

@InputType({
  description: 'Adds contacts by id, by filter, or both. Contacts already in the campaign are skipped.',
})
export class AddCampaignRecipientsInput {
  @Field(() => ID)
  campaignId!: string;

  @Field(() => [ID], { nullable: true })
  contactIds?: string[] | null;

  @Field(() => ContactFilter, { nullable: true, description: 'Every live contact matching this filter.' })
  filter?: ContactFilter | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Continue a call that stopped at the plan's records-per-call: the same input plus the resumeCursor it returned.",
  })
  resumeCursor?: string | null;
}

@InputType()
export class RemoveCampaignRecipientsInput {
  @Field(() => ID)
  campaignId!: string;

  @Field(() => [ID])
  contactIds!: string[];
}

@ObjectType({ simpleResolvers: true })
export class CampaignPayload {
  @Field(() => CampaignNode)
  campaign!: CampaignNode;
}

@ObjectType({ simpleResolvers: true })
export class DeleteCampaignPayload {
  @Field(() => ID)
  deletedCampaignId!: string;

  @Field(() => CampaignNode)
  campaign!: CampaignNode;
}

@ObjectType({ simpleResolvers: true })
export class AddCampaignRecipientsPayload {
  @Field(() => CampaignNode)
  campaign!: CampaignNode;

  @Field(() => Int, { description: 'New members.' })
  added!: number;

  @Field(() => Int, { description: 'Matched contacts that were already members.' })
  alreadyMembers!: number;

  @Field(() => Int, { description: 'Contacts handled by this call (added or already members).' })
  processed!: number;

  @Field(() => Int, { description: 'Always 0: adding a live contact cannot fail on its own.' })
  failed!: number;

  @Field(() => Int, {
    description: "Matching contacts left because the plan's records-per-call was reached.",
  })
  remaining!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Send the same input with this cursor to continue; null when done.',
  })
  resumeCursor!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class RemoveCampaignRecipientsPayload {
  @Field(() => CampaignNode)
  campaign!: CampaignNode;

  @Field(() => Int)
  removed!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "A campaign's bounce and complaint rates changed (bounceRateChanged).",
})
export class BounceRateChange {
  @Field(() => CampaignNode)
  campaign!: CampaignNode;

  @Field(() => CampaignStats, {
    description: 'Counts and rates (bounceRate, complaintRate) as they are now.',
  })
  stats!: CampaignStats;

  @Field({
    description:
      'Whether the organisation is restricted from sending email (bounce policy); always false until sending through Mailgun arrives.',
  })
  sendingRestricted!: boolean;
}

import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { recordTypes } from '../../platform/records/index.js';
import { ContactFilter } from '../contacts/index.js';
import { campaignRecord } from './campaign.record.js';

/** The campaign's node type, derived from its declaration, for the hand-written types below. */
export const { node: CampaignNode } = recordTypes(campaignRecord);

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

  @Field(() => Int, {
    description:
      'Not sent: unsubscribed, bounced, complained, suppressed or without an address (see each member).',
  })
  skipped!: number;

  @Field(() => Float, {
    description: 'Hard bounces / sent: the rate the bounce policy watches (soft bounces are softBounceRate).',
  })
  bounceRate!: number;

  @Field(() => Float, { description: 'Soft (temporary) bounces / sent.' })
  softBounceRate!: number;

  @Field(() => Float, { description: 'complaints / sent.' })
  complaintRate!: number;
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
  filter?: object | null;

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
export class AddCampaignRecipientsPayload {
  @Field(() => CampaignNode)
  campaign!: object;

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
  campaign!: object;

  @Field(() => Int)
  removed!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "A campaign's bounce and complaint rates changed (bounceRateChanged).",
})
export class BounceRateChange {
  @Field(() => CampaignNode)
  campaign!: object;

  @Field(() => CampaignStats, {
    description: 'Counts and rates (bounceRate, complaintRate) as they are now.',
  })
  stats!: CampaignStats;

  @Field({
    description:
      'Whether the organisation is restricted from sending email by the bounce policy (its hard-bounce or complaint rate over the window is above the threshold).',
  })
  sendingRestricted!: boolean;
}

import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { campaignRecord, memberRecord } from './campaign.record.js';

const campaign = recordEntity(campaignRecord);
const member = recordEntity(memberRecord);

/** Entities (write path) of the declared records, and their MikroORM schemas. */
export const Campaign = campaign.entity;
export type Campaign = InstanceType<typeof Campaign>;
export const CampaignMember = member.entity;
export type CampaignMember = InstanceType<typeof CampaignMember>;

/** Rows as the read path returns them: plain rows, `id` global, `pk` the table key. */
export type CampaignRow = RowOf<typeof campaignRecord>;
export type MemberRow = RowOf<typeof memberRecord>;
export const campaignList = campaignRecord.list;
export const memberList = memberRecord.list;

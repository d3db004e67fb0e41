import { recordEntity, type RowOf } from '../../platform/records/index.js';
import { campaignRecord, memberRecord } from './campaign.record.js';

/** Entities (write path) of the declared records, and their MikroORM schemas. */
export const { entity: Campaign } = recordEntity(campaignRecord);
export type Campaign = InstanceType<typeof Campaign>;
export const { entity: CampaignMember } = recordEntity(memberRecord);
export type CampaignMember = InstanceType<typeof CampaignMember>;

/** Rows as the read path returns them: plain rows, `id` global, `pk` the table key. */
export type CampaignRow = RowOf<typeof campaignRecord>;
export type MemberRow = RowOf<typeof memberRecord>;
export const campaignList = campaignRecord.list;
export const memberList = memberRecord.list;

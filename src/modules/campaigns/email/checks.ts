import { Field, Int, ObjectType } from 'type-graphql';
import type { TenantSql } from '../../../platform/db/tenant-sql.js';
import { AppError, ErrorCode, notFound } from '../../../platform/errors.js';
import { defineEnum, type EnumOf } from '../../../platform/graphql/enums.js';
import { toGlobalId } from '../../../platform/ids.js';
import type { CampaignStatus } from '../campaign.record.js';
import {
  DEFAULT_BLOCKED_HOSTS,
  DEFAULT_MAX_SCORE,
  screenCampaign,
  type Finding,
  type FindingCode,
} from '../screening.js';
import { SendingDomainProvider, SendingDomainState } from './email.entity.js';

/**
 * The pre-send checks (issue 11): a campaign is screened (screening.ts) against its
 * organisation's VERIFIED sending domains, its postal address (email settings) and the default
 * block list of link hosts. `sendCampaign` and `scheduleCampaign` refuse a campaign with any
 * finding; `previewCampaignChecks` shows them without sending.
 */

export const CampaignFindingCode = defineEnum(
  'CampaignFindingCode',
  'NO_BODY NO_UNSUBSCRIBE_LINK NO_POSTAL_ADDRESS UNVERIFIED_SENDING_DOMAIN BLOCKED_LINK SPAM_SCORE',
  {
    description:
      'NO_BODY: neither an HTML nor a text body. NO_UNSUBSCRIBE_LINK: a body without the %unsubscribe_url% merge tag (detail: html or text). NO_POSTAL_ADDRESS: no postal address in the email settings, or a body that does not show it (detail: html or text). UNVERIFIED_SENDING_DOMAIN: the from address is not on a VERIFIED sending domain of the organisation (detail: the domain). BLOCKED_LINK: a link to a blocked host such as a URL shortener, or to an IP address (detail: the host). SPAM_SCORE: the content scores at or above the limit (detail: the score).',
  },
);
export type CampaignFindingCode = EnumOf<typeof CampaignFindingCode>;

@ObjectType({ simpleResolvers: true, description: 'One reason the campaign cannot be sent as it is.' })
export class CampaignFinding {
  @Field(() => CampaignFindingCode)
  code!: CampaignFindingCode;

  @Field({ description: 'What is wrong and how to fix it.' })
  message!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The offending part, e.g. the body, domain, host or score.',
  })
  detail!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'The pre-send checks of a campaign.' })
export class CampaignChecks {
  @Field({ description: 'True when there are no findings: sendCampaign and scheduleCampaign accept it.' })
  passed!: boolean;

  @Field(() => Int, {
    description: `The content's spam score; ${DEFAULT_MAX_SCORE} or more is a SPAM_SCORE finding.`,
  })
  score!: number;

  @Field(() => [CampaignFinding], { description: 'Every finding, in the order the checks run.' })
  findings!: CampaignFinding[];
}

/** The client-facing form of a finding (its code is one of the enum's, by type). */
export const findingOut = (f: Finding): CampaignFinding => ({
  code: CampaignFindingCode[f.code satisfies FindingCode],
  message: f.message,
  detail: f.detail ?? null,
});

export interface CheckOptions {
  /**
   * The provider whose verification counts: with Mailgun configured only domains Mailgun verified
   * count (a LOCAL verification checked nothing); without it (null), every VERIFIED domain.
   */
  provider?: SendingDomainProvider | null;
}

/** Which verification counts: Mailgun's when it is configured (`EmailDeps.domains`), any otherwise. */
export const checkOptionsOf = (deps: { domains?: unknown }): CheckOptions => ({
  provider: deps.domains ? SendingDomainProvider.MAILGUN : null,
});

/** What the checks read of a campaign, with what the send transition needs to guard it. */
export interface CheckedCampaign {
  status: CampaignStatus;
  /** The campaign's version: the transition changes it only if it is still this one. */
  updatedAt: Date;
  subject: string;
  htmlBody: string | null;
  textBody: string | null;
  fromEmail: string;
  postalAddress: string | null;
  verifiedDomains: string[];
}

/** One statement: the campaign, the organisation's postal address and its verified domains. */
export async function loadCheckedCampaign(
  db: TenantSql,
  campaignPk: string,
  opts: CheckOptions = {},
): Promise<CheckedCampaign | null> {
  const rows = await db.query<CheckedCampaign & Record<string, unknown>>(
    `select c.status, c.updated_at as "updatedAt", c.subject, c.html_body as "htmlBody",
            c.text_body as "textBody", c.from_email as "fromEmail",
            (select s.postal_address from email_settings s where s.organization_id = $1) as "postalAddress",
            array(select d.name from sending_domain d
                   where d.organization_id = $1 and d.state = $3 and ($4::text is null or d.provider = $4)
                   order by d.name) as "verifiedDomains"
       from campaign c
      where c.organization_id = $1 and c.id = $2 and c.deleted_at is null`,
    [campaignPk, SendingDomainState.VERIFIED, opts.provider ?? null],
  );
  return rows[0] ?? null;
}

/** Screens a loaded campaign with the organisation's policy. */
export function screenChecked(c: CheckedCampaign): { score: number; findings: Finding[] } {
  return screenCampaign(
    { subject: c.subject, htmlBody: c.htmlBody, textBody: c.textBody, fromEmail: c.fromEmail },
    {
      verifiedDomains: c.verifiedDomains,
      postalAddress: c.postalAddress,
      blockedHosts: DEFAULT_BLOCKED_HOSTS,
      maxScore: DEFAULT_MAX_SCORE,
    },
  );
}

/** The checks of the organisation's campaign `campaignPk` (NOT_FOUND when there is none). */
export async function campaignChecks(
  ctx: { db: TenantSql },
  campaignPk: string,
  opts: CheckOptions = {},
): Promise<{ score: number; findings: Finding[] }> {
  const campaign = await loadCheckedCampaign(ctx.db, campaignPk, opts);
  if (!campaign) throw notFound('Campaign', toGlobalId('Campaign', campaignPk));
  return screenChecked(campaign);
}

/** The refusal of a send or schedule: BAD_USER_INPUT naming the count, every finding in `extensions.findings`. */
export function checksRefusal(
  verb: 'sent' | 'scheduled',
  result: { score: number; findings: Finding[] },
): AppError {
  const n = result.findings.length;
  const codes = [...new Set(result.findings.map((f) => f.code))].join(', ');
  return new AppError(
    ErrorCode.BAD_USER_INPUT,
    `The campaign cannot be ${verb}: it failed ${n} pre-send check${n === 1 ? '' : 's'} (${codes}). Fix each finding in extensions.findings (previewCampaignChecks shows them too) and try again.`,
    { field: 'input.id', score: result.score, findings: result.findings.map(findingOut) },
  );
}

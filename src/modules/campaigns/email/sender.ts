import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../../platform/db/sql.js';
import { TenantSql } from '../../../platform/db/tenant-sql.js';
import type { Logger } from '../../../platform/logger.js';
import { TransientSendError, type EmailTransport } from './transport.js';

/** What the worker needs of the plan: emails per day (from the usage module's plan cache). */
export type EmailsPerDay = (organizationId: string) => Promise<number>;

export interface SenderOptions {
  /** The default sending domain (`MAILGUN_DOMAIN`). */
  domain: string;
  /** Where one-click unsubscribe links point (`PUBLIC_URL`); without it, no List-Unsubscribe header. */
  unsubscribeUrl: (memberId: string) => string | null;
  pollMs: number;
  emailsPerDay: EmailsPerDay;
  /** A campaign's members or status changed (stats, bounce-rate subscribers). */
  changed: (organizationId: string, campaignId: string) => void;
  log: Logger;
  /** Members claimed per round. */
  batch?: number;
  /** How long a claim may stay without an outcome before it is reconciled (a dead process). */
  staleClaimMs?: number;
}

interface Claimed {
  id: string;
  organizationId: string;
  campaignId: string;
  attempts: number;
  email: string | null;
  emailStatus: string | null;
  contactDeleted: boolean;
  suppressed: boolean;
  subject: string;
  htmlBody: string | null;
  textBody: string | null;
  fromEmail: string;
  fromName: string | null;
  replyTo: string | null;
}

const MAX_ATTEMPTS = 5;
/** The domain of an address (`news@mg.example.com` → `mg.example.com`). */
const domainOf = (address: string): string | null => address.split('@')[1]?.toLowerCase() || null;
const backoffMs = (attempt: number) => Math.min(60_000, 1000 * 2 ** (attempt - 1));

/**
 * Messages an organisation sent since UTC midnight (database time): what the plan's emails per day
 * are counted against, by the send worker and by the `usage` query alike.
 */
export async function emailsSentToday(db: { query: TenantSql['query'] }): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `select count(*)::int as n from campaign_member
      where organization_id = $1 and sent_at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'`,
  );
  return row.n;
}

/** Why a member is not sent to (status SKIPPED, reason in `error`), or null when it is eligible. */
export function skipReason(
  m: Pick<Claimed, 'email' | 'emailStatus' | 'contactDeleted' | 'suppressed'>,
): string | null {
  if (m.contactDeleted) return 'The contact was deleted.';
  if (!m.email) return 'The contact has no email address.';
  if (m.emailStatus === 'UNSUBSCRIBED') return 'The contact unsubscribed.';
  if (m.emailStatus === 'BOUNCED') return 'The address bounced permanently.';
  if (m.emailStatus === 'COMPLAINED') return 'The contact complained (marked a message as spam).';
  if (m.suppressed) return 'The address is on the suppression list.';
  return null;
}

/**
 * The durable send queue. The queue is the campaign members themselves: a SENDING campaign's
 * PENDING members are claimed in batches (`FOR UPDATE SKIP LOCKED`, so instances share the work),
 * each claim written before the message is handed over and cleared with its outcome. A claim that
 * outlives its process (killed mid-send) is reconciled with the provider by the member's
 * per-recipient variable before anything is sent again: found → SENT with the provider's id, not
 * found → sent again. So every recipient gets exactly one message.
 */
export class CampaignSender {
  /** This process's claims carry its id: a claim of another id is another (perhaps dead) process's. */
  private readonly worker = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly sql: Pick<SqlClient, 'query'>,
    private readonly transport: EmailTransport,
    private readonly opts: SenderOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs a round soon (after a send or schedule mutation), or once more if one is running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rounds().finally(() => (this.running = null));
  }

  /** Waits for the round in progress; no new round starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Resolves when no round is running and none is due (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.stopped && (await this.round()) > 0) {
          // A full batch: there may be more.
        }
      } catch (err) {
        this.opts.log.error({ err }, 'campaign send round failed');
      }
    } while (this.again && !this.stopped);
  }

  /** One round: due schedules start, stale claims are reconciled, one batch is sent. Returns members handled. */
  async round(): Promise<number> {
    const started = await this.sql.query<{ id: string; organizationId: string }>(
      `update campaign set status = 'SENDING', updated_at = now()
        where status = 'SCHEDULED' and scheduled_at <= now() and deleted_at is null
          -- A restricted organisation's schedules wait (the bounce policy); they start once it is lifted.
          and not exists (select 1 from email_restriction r
                           where r.organization_id = campaign.organization_id and r.restricted)
        returning id, organization_id as "organizationId"`,
    );
    for (const c of started) this.opts.changed(c.organizationId, c.id);
    await this.reconcile();
    const claimed = await this.claim();
    const byOrg = new Map<string, Claimed[]>();
    for (const m of claimed) {
      const list = byOrg.get(m.organizationId);
      if (list) list.push(m);
      else byOrg.set(m.organizationId, [m]);
    }
    for (const [org, members] of byOrg) await this.sendFor(org, members);
    await this.finishCampaigns();
    return claimed.length;
  }

  private async claim(): Promise<Claimed[]> {
    return this.sql.query<Claimed & Record<string, unknown>>(
      `with picked as (
         select m.id from campaign_member m
           join campaign c on c.id = m.campaign_id and c.organization_id = m.organization_id
          where c.status = 'SENDING' and c.deleted_at is null and m.status = 'PENDING' and m.claim_id is null
            and (m.next_attempt_at is null or m.next_attempt_at <= now())
          order by m.campaign_id, m.id
          limit $2
          for update of m skip locked),
       claimed as (
         update campaign_member m set claim_id = $1, claimed_at = now(), attempts = m.attempts + 1
           from picked where m.id = picked.id
         returning m.id, m.organization_id, m.campaign_id, m.contact_id, m.attempts)
       select cl.id, cl.organization_id as "organizationId", cl.campaign_id as "campaignId", cl.attempts,
              ct.emails[1] as email, ct.email_status as "emailStatus", ct.deleted_at is not null as "contactDeleted",
              exists (select 1 from email_suppression s where s.organization_id = cl.organization_id
                        and s.email = ct.emails[1]) as suppressed,
              c.subject, c.html_body as "htmlBody", c.text_body as "textBody", c.from_email as "fromEmail",
              c.from_name as "fromName", c.reply_to as "replyTo"
         from claimed cl
         join contact ct on ct.id = cl.contact_id and ct.organization_id = cl.organization_id
         join campaign c on c.id = cl.campaign_id and c.organization_id = cl.organization_id
        order by cl.campaign_id, cl.id`,
      [this.worker, this.opts.batch ?? 50],
    );
  }

  /** Sends one organisation's claimed members, within what its plan allows today. */
  private async sendFor(org: string, members: Claimed[]): Promise<void> {
    const limit = await this.opts.emailsPerDay(org);
    const today = await emailsSentToday(new TenantSql(this.sql, org));
    let left = Math.max(0, limit - today);
    const touched = new Set<string>();
    for (const m of members) {
      touched.add(m.campaignId);
      const reason = skipReason(m);
      if (reason) {
        await this.settle(m, `status = 'SKIPPED', error = $3`, [reason]);
        continue;
      }
      if (left <= 0) {
        // The day's emails are used up: the rest wait for the next UTC day (partial send).
        await this.settle(
          m,
          `next_attempt_at = date_trunc('day', now() at time zone 'utc') at time zone 'utc' + interval '1 day', attempts = attempts - 1`,
          [],
        );
        continue;
      }
      left -= 1;
      await this.deliver(m);
    }
    for (const campaignId of touched) this.opts.changed(org, campaignId);
  }

  private async deliver(m: Claimed): Promise<void> {
    const headers: Record<string, string> = {};
    const unsubscribe = this.opts.unsubscribeUrl(m.id);
    if (unsubscribe) {
      headers['List-Unsubscribe'] = `<${unsubscribe}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    if (m.replyTo) headers['Reply-To'] = m.replyTo;
    const merge = (body: string | null) =>
      body && unsubscribe ? body.split('%unsubscribe_url%').join(unsubscribe) : body;
    try {
      const { id } = await this.transport.send({
        organizationId: m.organizationId,
        memberId: m.id,
        // Through the campaign's own sending domain (verified before sending: campaigns/email/checks.ts).
        domain: domainOf(m.fromEmail) ?? this.opts.domain,
        from: m.fromName ? `${m.fromName.replace(/["\r\n]/g, '')} <${m.fromEmail}>` : m.fromEmail,
        to: m.email as string,
        subject: m.subject,
        text: merge(m.textBody),
        html: merge(m.htmlBody),
        headers,
      });
      await this.settle(
        m,
        `status = 'SENT', provider_message_id = $3, sent_at = now(), email = $4, error = null`,
        [id, m.email],
      );
    } catch (err) {
      if (err instanceof TransientSendError && m.attempts < MAX_ATTEMPTS) {
        await this.settle(m, `next_attempt_at = now() + ($3::int * interval '1 millisecond')`, [
          backoffMs(m.attempts),
        ]);
        return;
      }
      const message = err instanceof Error ? err.message : 'The provider refused the message.';
      await this.settle(m, `status = 'FAILED', error = $3`, [message.slice(0, 500)]);
    }
  }

  /** Records an outcome and releases the claim (only this worker's claim: a reconciled one is not overwritten). */
  private async settle(m: Claimed, set: string, params: unknown[]): Promise<void> {
    await this.sql.query(
      `update campaign_member set ${set}, claim_id = null, claimed_at = null, updated_at = now()
        where id = $1 and claim_id = $2`,
      [m.id, this.worker, ...params],
    );
  }

  /**
   * Claims older than `staleClaimMs` that are not this process's: their process died between
   * handing the message over and recording the outcome. Asks the provider before sending again.
   */
  private async reconcile(): Promise<void> {
    const stale = await this.sql.query<{
      id: string;
      organizationId: string;
      campaignId: string;
      claimId: string;
      fromEmail: string;
    }>(
      `select m.id, m.organization_id as "organizationId", m.campaign_id as "campaignId", m.claim_id as "claimId",
              c.from_email as "fromEmail"
         from campaign_member m join campaign c on c.id = m.campaign_id and c.organization_id = m.organization_id
        where m.claim_id is not null and m.claim_id <> $1 and m.claimed_at < now() - ($2::int * interval '1 millisecond')
        limit 100`,
      [this.worker, this.opts.staleClaimMs ?? 30_000],
    );
    for (const m of stale) {
      const id = await this.transport.findSent(
        domainOf(m.fromEmail) ?? this.opts.domain,
        m.id,
        m.organizationId,
      );
      // Only if the claim is still the dead one (another instance may be reconciling it too).
      await this.sql.query(
        id
          ? `update campaign_member set status = 'SENT', provider_message_id = $3, sent_at = coalesce(sent_at, now()),
                    claim_id = null, claimed_at = null, updated_at = now() where id = $1 and claim_id = $2`
          : `update campaign_member set claim_id = null, claimed_at = null, updated_at = now() where id = $1 and claim_id = $2`,
        id ? [m.id, m.claimId, id] : [m.id, m.claimId],
      );
      this.opts.log.info({ member: m.id, found: Boolean(id) }, 'reconciled an unfinished send');
    }
  }

  /** SENDING campaigns with nothing left pending become SENT. */
  private async finishCampaigns(): Promise<void> {
    const done = await this.sql.query<{ id: string; organizationId: string }>(
      `update campaign c set status = 'SENT', sent_at = now(), updated_at = now()
        where c.status = 'SENDING' and not exists (
          select 1 from campaign_member m where m.campaign_id = c.id and m.organization_id = c.organization_id
             and m.status = 'PENDING')
        returning c.id, c.organization_id as "organizationId"`,
    );
    for (const c of done) this.opts.changed(c.organizationId, c.id);
  }
}

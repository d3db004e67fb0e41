import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type pg from 'pg';
import type { Logger } from '../../../platform/logger.js';
import { evaluate, type BouncePolicy, type SendingStatus } from './policy.js';

/**
 * `POST /webhooks/mailgun` (CONTRACT §7, §12): Mailgun's event webhooks. Verified before anything
 * is read: HMAC-SHA256 of timestamp + token with the signing key (constant-time compare), the
 * timestamp within 5 minutes of now either way, the token never seen before (a replay is refused);
 * any of these fails → 406, which Mailgun does not retry. A malformed body → 400. The event is
 * applied once by its id (a second delivery → 200, nothing changes), in the same transaction as
 * the token, so a failure mid-way leaves nothing behind and Mailgun's retry is not a replay.
 */

const MAX_SKEW_S = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface MailgunWebhookOptions {
  pool: pg.Pool;
  signingKey: string | undefined;
  policy: BouncePolicy;
  log: Logger;
  /** A campaign's stats (or the organisation's restriction) changed. */
  changed: (organizationId: string, campaignId: string, status: SendingStatus | null) => void;
  now?: () => number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kind of change an event makes, from Mailgun's event name and severity. */
export function kindOf(event: string, severity: unknown): string | null {
  switch (event) {
    case 'delivered':
    case 'opened':
    case 'clicked':
    case 'complained':
    case 'unsubscribed':
      return event;
    case 'failed':
      return severity === 'temporary' ? 'failed-temporary' : 'failed-permanent';
    default:
      return null;
  }
}

/** What each kind does to the member: the statuses it may move from, and to. */
const MOVES: Record<string, { from: string[]; to: string; bounce?: 'HARD' | 'SOFT' }> = {
  delivered: { from: ['SENT'], to: 'DELIVERED' },
  opened: { from: ['SENT', 'DELIVERED'], to: 'OPENED' },
  clicked: { from: ['SENT', 'DELIVERED', 'OPENED'], to: 'CLICKED' },
  'failed-temporary': { from: ['SENT'], to: 'BOUNCED', bounce: 'SOFT' },
  'failed-permanent': { from: ['SENT', 'DELIVERED', 'BOUNCED'], to: 'BOUNCED', bounce: 'HARD' },
  complained: { from: ['SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED'], to: 'COMPLAINED' },
  unsubscribed: { from: ['SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED'], to: 'UNSUBSCRIBED' },
};

/** The contact's email status and the suppression reason a kind sets. */
const CONTACT: Record<string, [string, string]> = {
  'failed-permanent': ['BOUNCED', 'HARD_BOUNCE'],
  complained: ['COMPLAINED', 'COMPLAINT'],
  unsubscribed: ['UNSUBSCRIBED', 'UNSUBSCRIBE'],
};

export function verifySignature(key: string, timestamp: string, token: string, signature: string): boolean {
  const expected = createHmac('sha256', key)
    .update(timestamp + token)
    .digest();
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A pool as the policy's SQL client. */
const poolSql = (pool: pg.Pool) => ({
  query: async <T extends Record<string, unknown>>(text: string, params: readonly unknown[] = []) =>
    (await pool.query<T>(text, params as unknown[])).rows,
});

/** Events that cannot restrict re-evaluate an organisation at most this often (a lift waits at most this long). */
const RELAX_EVALUATION_MS = 5_000;

export function mailgunWebhooks(opts: MailgunWebhookOptions): Router {
  const router = express.Router();
  const now = opts.now ?? Date.now;
  const evaluatedAt = new Map<string, number>();
  router.post(
    '/webhooks/mailgun',
    express.json({ limit: '256kb', type: () => true }),
    async (req: Request, res: Response) => {
      const answer = (status: number, message: string) => res.status(status).json({ message });
      if (!opts.signingKey) return answer(503, 'MAILGUN_WEBHOOK_SIGNING_KEY is not configured.');
      const body = req.body as unknown;
      if (!isObject(body) || !isObject(body.signature) || !isObject(body['event-data'])) {
        return answer(400, 'Expected { signature, event-data }.');
      }
      const { timestamp, token, signature } = body.signature;
      if (typeof timestamp !== 'string' || typeof token !== 'string' || typeof signature !== 'string') {
        return answer(406, 'Missing signature fields.');
      }
      if (token.length > 200 || timestamp.length > 20 || !/^\d+$/.test(timestamp)) {
        return answer(406, 'Malformed signature fields.');
      }
      if (!verifySignature(opts.signingKey, timestamp, token, signature))
        return answer(406, 'Bad signature.');
      if (Math.abs(now() / 1000 - Number(timestamp)) > MAX_SKEW_S) {
        return answer(406, 'Timestamp more than 5 minutes away from now.');
      }
      const event = body['event-data'];
      const eventId = typeof event.id === 'string' && event.id.length <= 200 ? event.id : null;
      const name = typeof event.event === 'string' ? event.event : '';
      const vars = isObject(event['user-variables']) ? event['user-variables'] : {};
      const member = typeof vars.member === 'string' && UUID.test(vars.member) ? vars.member : null;
      if (!eventId) return answer(400, 'event-data.id is missing.');

      const client = await opts.pool.connect();
      let result: { organizationId: string; campaignId: string; kind: string } | null = null;
      try {
        await client.query('begin');
        const fresh = await client.query(
          'insert into email_webhook_token (token, received_at) values ($1, now()) on conflict do nothing',
          [token],
        );
        if (!fresh.rowCount) {
          await client.query('rollback');
          return answer(406, 'Token already used (replay).');
        }
        const kind = kindOf(name, event.severity);
        const found = member
          ? await client.query<{
              organizationId: string;
              campaignId: string;
              contactId: string;
              email: string | null;
            }>(
              `select organization_id as "organizationId", campaign_id as "campaignId", contact_id as "contactId", email
                 from campaign_member where id = $1`,
              [member],
            )
          : { rows: [] };
        const m = found.rows[0];
        if (!kind || !m) {
          // Signed, but not about one of our messages (or an event we do not track): accepted, nothing to do.
          await client.query('commit');
          return answer(200, 'Accepted; nothing to apply.');
        }
        const inserted = await client.query(
          `insert into email_event (id, organization_id, event_id, member, campaign, kind, received_at)
           values (gen_random_uuid(), $1, $2, $3, $4, $5, now()) on conflict (event_id) do nothing`,
          [m.organizationId, eventId, member, m.campaignId, kind],
        );
        if (!inserted.rowCount) {
          await client.query('commit');
          return answer(200, 'Already processed.');
        }
        const move = MOVES[kind];
        await client.query(
          `update campaign_member set status = $3, bounce_type = coalesce($4, bounce_type),
                  error = coalesce($5, error), updated_at = now()
            where id = $1 and organization_id = $2 and status = any($6::text[])`,
          [
            member,
            m.organizationId,
            move.to,
            move.bounce ?? null,
            typeof event.reason === 'string' ? event.reason.slice(0, 500) : null,
            move.from,
          ],
        );
        const contact = CONTACT[kind];
        if (contact) {
          await client.query(
            `update contact set email_status = $3, updated_at = now() where id = $1 and organization_id = $2`,
            [m.contactId, m.organizationId, contact[0]],
          );
          const address =
            m.email ?? (typeof event.recipient === 'string' ? event.recipient.toLowerCase() : null);
          if (address) {
            await client.query(
              `insert into email_suppression (id, organization_id, email, reason, created_at)
               values (gen_random_uuid(), $1, $2, $3, now()) on conflict (organization_id, email) do nothing`,
              [m.organizationId, address, contact[1]],
            );
          }
        }
        await client.query('commit');
        result = { organizationId: m.organizationId, campaignId: m.campaignId, kind };
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        opts.log.error({ err }, 'mailgun webhook failed');
        return answer(500, 'The event could not be recorded; Mailgun will retry.');
      } finally {
        client.release();
      }
      // The policy after the event (outside the event's transaction: a lost evaluation is redone by the
      // next event). Hard bounces and complaints raise the rates: evaluated every time. Other events
      // only bring the chance of a lift, so at most once per organisation every few seconds.
      let status: SendingStatus | null = null;
      const last = evaluatedAt.get(result.organizationId) ?? 0;
      const raises = result.kind === 'failed-permanent' || result.kind === 'complained';
      if (raises || now() - last >= RELAX_EVALUATION_MS) {
        evaluatedAt.set(result.organizationId, now());
        if (evaluatedAt.size > 100_000) evaluatedAt.clear();
        try {
          status = (await evaluate(poolSql(opts.pool), result.organizationId, opts.policy)).status;
        } catch (err) {
          opts.log.error({ err }, 'bounce policy evaluation failed');
        }
      }
      opts.changed(result.organizationId, result.campaignId, status);
      return answer(200, 'Applied.');
    },
  );
  // A JSON body that does not parse is the client's error, never a 5xx.
  router.use('/webhooks/mailgun', (_err: unknown, _req: Request, res: Response, _next: unknown) => {
    void _next;
    res.status(400).json({ message: 'The body is not valid JSON.' });
  });
  return router;
}

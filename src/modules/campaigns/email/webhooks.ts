import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type pg from 'pg';
import { TenantSql } from '../../../platform/db/tenant-sql.js';
import { isUuid } from '../../../platform/ids.js';
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
      const member = typeof vars.member === 'string' && isUuid(vars.member) ? vars.member : null;
      if (!eventId) return answer(400, 'event-data.id is missing.');

      const kind = kindOf(name, event.severity);
      const move = kind ? MOVES[kind] : undefined;
      const contact = kind ? CONTACT[kind] : undefined;
      let outcome: { o_outcome: string; o_organization: string | null; o_campaign: string | null };
      try {
        // Token, event and effects in one statement (one implicit transaction): a failure keeps
        // nothing, so Mailgun's retry is not refused as a replay.
        const { rows } = await opts.pool.query<typeof outcome>(
          'select * from wpx_mailgun_event($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
          [
            token,
            eventId,
            member,
            move ? kind : null,
            typeof event.reason === 'string' ? event.reason.slice(0, 500) : null,
            typeof event.recipient === 'string' ? event.recipient.toLowerCase().slice(0, 320) : null,
            move?.from ?? [],
            move?.to ?? null,
            move?.bounce ?? null,
            contact?.[0] ?? null,
            contact?.[1] ?? null,
          ],
        );
        outcome = rows[0];
      } catch (err) {
        opts.log.error({ err }, 'mailgun webhook failed');
        return answer(500, 'The event could not be recorded; Mailgun will retry.');
      }
      switch (outcome.o_outcome) {
        case 'REPLAY':
          return answer(406, 'Token already used (replay).');
        case 'IGNORED':
          // Signed, but not about one of our messages (or an event we do not track): accepted.
          return answer(200, 'Accepted; nothing to apply.');
        case 'DUPLICATE':
          return answer(200, 'Already processed.');
      }
      const result = {
        organizationId: outcome.o_organization as string,
        campaignId: outcome.o_campaign as string,
        kind: kind as string,
      };
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
          status = (await evaluate(new TenantSql(poolSql(opts.pool), result.organizationId), opts.policy))
            .status;
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

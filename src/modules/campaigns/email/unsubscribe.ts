import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type pg from 'pg';
import { isUuid } from '../../../platform/ids.js';
import type { Logger } from '../../../platform/logger.js';

/**
 * One-click unsubscribe (RFC 8058, issue 11 item 6). Every message's `List-Unsubscribe` header and
 * `%unsubscribe_url%` merge tag point at `<PUBLIC_URL>/unsubscribe/<token>`, where the token is the
 * member id and an HMAC-SHA256 of it under a key kept in the database (one per deployment, made on
 * first start): a link cannot be guessed or forged for another recipient. GET shows a small
 * confirmation page (mail scanners that follow links change nothing); POST unsubscribes at once
 * (the mail client's one-click `List-Unsubscribe=One-Click`, or the page's button): the member and
 * the contact become UNSUBSCRIBED and the address goes on the suppression list. Unknown or forged
 * tokens get 404; nothing here answers 5xx for any input.
 */

/** Loads (or makes, once per deployment) the signing key. */
export async function linkSecret(pool: pg.Pool): Promise<Buffer> {
  await pool.query('insert into email_link_secret (id, secret) values (1, $1) on conflict (id) do nothing', [
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await pool.query<{ secret: string }>('select secret from email_link_secret where id = 1');
  return Buffer.from(rows[0].secret, 'base64url');
}

const mac = (secret: Buffer, memberId: string) =>
  createHmac('sha256', secret).update(`unsubscribe:${memberId}`).digest().subarray(0, 18);

export function unsubscribeToken(secret: Buffer, memberId: string): string {
  return `${memberId}.${mac(secret, memberId).toString('base64url')}`;
}

/** The member id a token names, or null when it is malformed or not signed with `secret`. */
export function verifyUnsubscribeToken(secret: Buffer, token: string): string | null {
  if (token.length > 100) return null;
  const [memberId, signature] = token.split('.');
  if (!memberId || !signature || !isUuid(memberId)) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, memberId);
  return given.length === expected.length && timingSafeEqual(given, expected) ? memberId : null;
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<meta name="robots" content="noindex"><title>${escape(title)}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">${body}</body></html>`;

export interface UnsubscribeOptions {
  pool: pg.Pool;
  secret: Buffer;
  log: Logger;
  changed: (organizationId: string, campaignId: string) => void;
}

export function unsubscribeRoutes(opts: UnsubscribeOptions): Router {
  const router = express.Router();
  const send = (res: Response, status: number, title: string, body: string) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    );
    res.status(status).type('html').send(page(title, body));
  };
  const member = async (req: Request) => {
    const id = verifyUnsubscribeToken(opts.secret, String(req.params.token ?? ''));
    if (!id) return null;
    const { rows } = await opts.pool.query<{
      organizationId: string;
      campaignId: string;
      contactId: string;
      email: string | null;
      status: string;
    }>(
      `select organization_id as "organizationId", campaign_id as "campaignId", contact_id as "contactId",
              email, status from campaign_member where id = $1`,
      [id],
    );
    return rows[0] ? { id, ...rows[0] } : null;
  };

  router.get('/unsubscribe/:token', async (req: Request, res: Response) => {
    try {
      const m = await member(req);
      if (!m) return send(res, 404, 'Link not valid', '<p>This unsubscribe link is not valid.</p>');
      const who = m.email ? ` <strong>${escape(m.email)}</strong>` : '';
      return send(
        res,
        200,
        'Unsubscribe',
        `<h1>Unsubscribe</h1><p>Stop email to${who} from this sender?</p>` +
          `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
          `<button type="submit">Unsubscribe</button></form>`,
      );
    } catch (err) {
      opts.log.error({ err }, 'unsubscribe page failed');
      return send(res, 503, 'Try again', '<p>Something went wrong; please try again in a moment.</p>');
    }
  });

  router.post(
    '/unsubscribe/:token',
    express.urlencoded({ extended: false, limit: '2kb' }),
    async (req: Request, res: Response) => {
      try {
        const m = await member(req);
        if (!m) return send(res, 404, 'Link not valid', '<p>This unsubscribe link is not valid.</p>');
        const client = await opts.pool.connect();
        try {
          await client.query('begin');
          await client.query(
            `update campaign_member set status = 'UNSUBSCRIBED', updated_at = now()
              where id = $1 and status in ('SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED')`,
            [m.id],
          );
          await client.query(
            `update contact set email_status = 'UNSUBSCRIBED', updated_at = now()
              where id = $1 and organization_id = $2 and email_status = 'SUBSCRIBED'`,
            [m.contactId, m.organizationId],
          );
          if (m.email) {
            await client.query(
              `insert into email_suppression (id, organization_id, email, reason, created_at)
               values (gen_random_uuid(), $1, $2, 'UNSUBSCRIBE', now()) on conflict (organization_id, email) do nothing`,
              [m.organizationId, m.email],
            );
          }
          await client.query('commit');
        } catch (err) {
          await client.query('rollback').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
        opts.changed(m.organizationId, m.campaignId);
        return send(
          res,
          200,
          'Unsubscribed',
          '<h1>Unsubscribed</h1><p>You will not get these emails again.</p>',
        );
      } catch (err) {
        opts.log.error({ err }, 'unsubscribe failed');
        return send(res, 503, 'Try again', '<p>Something went wrong; please try again in a moment.</p>');
      }
    },
  );
  router.use('/unsubscribe', (_err: unknown, _req: Request, res: Response, _next: unknown) => {
    void _next;
    send(res, 400, 'Bad request', '<p>Bad request.</p>');
  });
  return router;
}

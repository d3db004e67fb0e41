import express, { type Request, type Response as HttpResponse, type Router } from 'express';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Response as PlivoXml, validateV3Signature } from 'plivo';
import { isUuid } from '../../platform/ids.js';
import type { Logger } from '../../platform/logger.js';
import type { CallEvent } from '../numbers/index.js';
import { applyCallEvent, isTerminal, type AppliedEvent, type Sql } from './call-status.js';
import { emergencyReason } from './emergency.js';

/**
 * Plivo's callbacks for placed calls (CONTRACT §1, §8, §12):
 * - `POST /webhooks/plivo/calls/:callId` — ring and hangup status callbacks;
 * - `POST /webhooks/plivo/calls/:callId/answer` — the answer URL: marks the call in progress and
 *   answers Plivo XML that bridges the user's phone to the contact's number.
 *
 * Each is verified before anything is read: `X-Plivo-Signature-V3` over the public URL Plivo
 * called (`PUBLIC_URL` + the path, never the request's Host) and the form parameters, with the
 * SDK's validator and the auth token; each nonce is accepted once. Missing, bad or replayed → 403;
 * an unknown call → 404; a valid event → 200, also when it is a duplicate or out of order (it then
 * changes nothing: a call's status only moves forward). Never a 5xx for any input.
 */

export interface PlivoWebhookOptions {
  sql: Sql;
  authToken: string | undefined;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string | undefined;
  log: Logger;
  /** A call changed: `callStatusChanged` subscribers are told. */
  changed: (organizationId: string, callId: string) => void;
}

type PlivoXmlBuilder = {
  addDial(attributes: Record<string, string | number>): {
    addNumber(body: string, attributes: object): object;
  };
  addHangup(attributes: Record<string, string>): object;
  toXML(): string;
};
const xml = () => (PlivoXml as unknown as () => PlivoXmlBuilder)();

/** The XML Plivo runs when the user answers: dial the contact with the rented number as caller id. */
export function bridgeXml(call: Pick<AppliedEvent, 'status' | 'fromNumber' | 'toNumber'>): string {
  const r = xml();
  // A call already ended (hung up meanwhile) or a number that must never be dialled: hang up.
  const country = parsePhoneNumberFromString(call.fromNumber)?.country;
  if (isTerminal(call.status) || emergencyReason(call.toNumber, country)) {
    r.addHangup({ reason: 'rejected' });
  } else {
    r.addDial({ callerId: call.fromNumber, timeLimit: 4 * 3600 }).addNumber(call.toNumber, {});
  }
  return r.toXML();
}

const MAX_NONCE = 200;
const MAX_SIGNATURE = 1000;

/** The form fields, all strings (repeated or nested fields make the body malformed). */
function formOf(body: unknown): CallEvent | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const out: CallEvent = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}

export function plivoWebhooks(opts: PlivoWebhookOptions): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  const verified = async (req: Request, res: HttpResponse): Promise<CallEvent | null> => {
    const signature = req.header('x-plivo-signature-v3');
    const nonce = req.header('x-plivo-signature-v3-nonce');
    if (!opts.authToken || !opts.publicUrl) {
      res.status(403).type('text/plain').send('Plivo callbacks are not accepted: Plivo is not configured.');
      return null;
    }
    if (!signature || !nonce || signature.length > MAX_SIGNATURE || nonce.length > MAX_NONCE) {
      res.status(403).type('text/plain').send('Missing or malformed X-Plivo-Signature-V3.');
      return null;
    }
    const params = formOf(req.body);
    let valid = false;
    try {
      valid =
        params !== null &&
        Boolean(
          validateV3Signature(
            'POST',
            opts.publicUrl + req.originalUrl,
            nonce,
            opts.authToken,
            signature,
            params,
          ),
        );
    } catch {
      valid = false;
    }
    if (!valid || !params) {
      res.status(403).type('text/plain').send('Bad X-Plivo-Signature-V3.');
      return null;
    }
    // Each signed request once: a replay (same nonce) is refused.
    const fresh = await opts.sql.query(
      'insert into plivo_webhook_nonce (nonce, received_at) values ($1, now()) on conflict do nothing returning nonce',
      [nonce],
    );
    if (!fresh.length) {
      res.status(403).type('text/plain').send('Replayed callback (nonce already used).');
      return null;
    }
    return params;
  };

  const handle = (answer: boolean) => async (req: Request, res: HttpResponse) => {
    try {
      const event = await verified(req, res);
      if (!event) return;
      const callId = String(req.params.callId);
      if (!isUuid(callId)) {
        res.status(404).type('text/plain').send('Unknown call.');
        return;
      }
      if (answer) event.CallStatus ??= 'in-progress';
      let applied: AppliedEvent | null;
      try {
        applied = await applyCallEvent(opts.sql, callId, event);
      } catch (err) {
        if (err instanceof RangeError) {
          res.status(400).type('text/plain').send('Missing or unknown CallStatus.');
          return;
        }
        throw err;
      }
      if (!applied) {
        res.status(404).type('text/plain').send('Unknown call.');
        return;
      }
      if (applied.changed) opts.changed(applied.organizationId, callId);
      if (answer) res.status(200).type('text/xml').send(bridgeXml(applied));
      else res.status(200).type('text/plain').send('OK');
    } catch (err) {
      opts.log.error({ err }, 'plivo callback failed');
      // Plivo retries what it did not get an answer for; never a 5xx (CONTRACT §12).
      if (!res.headersSent) res.status(409).type('text/plain').send('Not processed; retry.');
    }
  };

  router.post('/webhooks/plivo/calls/:callId', form, handle(false));
  router.post('/webhooks/plivo/calls/:callId/answer', form, handle(true));
  return router;
}

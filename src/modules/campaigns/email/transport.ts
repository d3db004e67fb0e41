import { randomUUID } from 'node:crypto';
import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import type { SqlClient } from '../../../platform/db/sql.js';

/** One message to one recipient, as the send worker hands it over. */
export interface OutgoingMessage {
  organizationId: string;
  /** The campaign member it is for: travels as the per-recipient variable `v:member`. */
  memberId: string;
  domain: string;
  from: string;
  to: string;
  subject: string;
  text: string | null;
  html: string | null;
  /** `List-Unsubscribe`, `List-Unsubscribe-Post`, `Reply-To`. */
  headers: Record<string, string>;
}

/** A failure the provider may not repeat (429, 5xx, network): the worker retries with backoff. */
export class TransientSendError extends Error {}

export interface EmailTransport {
  readonly name: 'mailgun' | 'outbox';
  /** Hands the message over; resolves with the provider's message id. */
  send(message: OutgoingMessage): Promise<{ id: string }>;
  /**
   * Whether a message for `memberId` was accepted already (a send whose outcome a dead process
   * never recorded), by its per-recipient variable: the provider's id, or null.
   */
  findSent(domain: string, memberId: string, organizationId: string): Promise<string | null>;
}

type MailgunClient = ReturnType<InstanceType<typeof Mailgun>['client']>;

const statusOf = (err: unknown): number | undefined =>
  typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : undefined;

/**
 * A failure worth retrying: 429, 5xx, or no answer at all (mailgun.js reports a refused or reset
 * connection as status 400 with the socket error's code as its message).
 */
function transient(err: unknown): boolean {
  const status = statusOf(err);
  const message = String((err as { message?: unknown })?.message ?? '');
  return status === undefined || status === 429 || status >= 500 || /^E[A-Z_]+$/.test(message);
}

/** Mailgun through mailgun.js (`MAILGUN_API_KEY`; `MAILGUN_URL` for the API base). */
export class MailgunTransport implements EmailTransport {
  readonly name = 'mailgun' as const;
  private readonly client: MailgunClient;

  constructor(opts: { key: string; url: string }) {
    this.client = new Mailgun(FormData).client({ username: 'api', key: opts.key, url: opts.url });
  }

  async send(m: OutgoingMessage): Promise<{ id: string }> {
    const data: Record<string, unknown> = {
      from: m.from,
      to: [m.to],
      subject: m.subject,
      'v:member': m.memberId,
    };
    if (m.text) data.text = m.text;
    if (m.html) data.html = m.html;
    for (const [name, value] of Object.entries(m.headers)) data[`h:${name}`] = value;
    try {
      const res = await this.client.messages.create(m.domain, data as never);
      if (!res.id)
        throw new TransientSendError(`Mailgun answered without a message id (status ${res.status}).`);
      return { id: res.id };
    } catch (err) {
      if (transient(err)) {
        throw new TransientSendError(`Mailgun did not accept the message (${statusOf(err) ?? 'no answer'}).`);
      }
      const details = (err as { details?: unknown }).details;
      throw new Error(`Mailgun refused the message: ${typeof details === 'string' ? details : String(err)}`);
    }
  }

  async findSent(domain: string, memberId: string): Promise<string | null> {
    try {
      const page = await this.client.events.get(domain, {
        event: 'accepted',
        'user-variables': JSON.stringify({ member: memberId }),
        limit: 1,
      } as never);
      const item = page.items?.[0] as { message?: { headers?: Record<string, string> } } | undefined;
      const id = item?.message?.headers?.['message-id'];
      return id ? (id.startsWith('<') ? id : `<${id}>`) : null;
    } catch (err) {
      throw new TransientSendError(
        `Mailgun's events API did not answer (${statusOf(err) ?? 'network error'}).`,
      );
    }
  }
}

/** No Mailgun key: messages are stored in `email_outbox` (query `outboxMessages`), so `npm start` works offline. */
export class OutboxTransport implements EmailTransport {
  readonly name = 'outbox' as const;

  constructor(private readonly sql: SqlClient) {}

  async send(m: OutgoingMessage): Promise<{ id: string }> {
    const id = `<${randomUUID()}@${m.domain}>`;
    await this.sql.query(
      `insert into email_outbox (id, organization_id, member, message_id, from_address, to_address, subject,
                                 text_body, html_body, headers, variables, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())`,
      [
        randomUUID(),
        m.organizationId,
        m.memberId,
        id,
        m.from,
        m.to,
        m.subject,
        m.text,
        m.html,
        JSON.stringify(m.headers),
        JSON.stringify({ member: m.memberId }),
      ],
    );
    return { id };
  }

  async findSent(_domain: string, memberId: string, organizationId: string): Promise<string | null> {
    const rows = await this.sql.query<{ id: string }>(
      'select message_id as id from email_outbox where organization_id = $1 and member = $2 limit 1',
      [organizationId, memberId],
    );
    return rows[0]?.id ?? null;
  }
}

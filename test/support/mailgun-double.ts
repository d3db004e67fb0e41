import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMultipart as parseMultipartBody, withBody } from './loopback-http';

/**
 * A loopback stand-in for Mailgun's HTTP API, spoken to through the real mailgun.js client:
 * `new Mailgun(FormData).client({ username: 'api', key: apiKey, url: double.url })`.
 *
 * Routes (the ones mailgun.js 14 calls):
 * - `POST /v3/:domain/messages` (multipart/form-data)                  messages.create
 * - `GET  /v3/:domain/events`, `GET /v3/:domain/events/:page`          events.get (with `page`)
 * - `POST /v4/domains` (multipart), `GET /v4/domains`, `GET /v4/domains/:name`,
 *   `PUT /v4/domains/:name/verify`, `DELETE /v3/domains/:name`         domains.create/list/get/verify/destroy
 */

export interface MailgunDoubleOptions {
  apiKey: string;
  /** The webhook signing key that signWebhook signs with by default. */
  signingKey: string;
  /** Request bodies above this answer 413; default 10 MB. */
  maxBodyBytes?: number;
}

export interface MailgunAttachment {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface StoredMessage {
  domain: string;
  /** As Mailgun answers it, with angle brackets: `<20261127101500.9f…@domain>`. */
  id: string;
  from: string;
  /** One entry per `to` field, as sent (a field may itself hold a comma-separated list). */
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  html: string;
  /** From the `h:` fields, prefix removed: `{ 'List-Unsubscribe': '<…>' }`. */
  headers: Record<string, string>;
  /** From the `v:` fields, prefix removed: `{ member: '…' }`. */
  variables: Record<string, string>;
  /** From the `o:` fields, prefix removed (a repeated option keeps its last value; see `tags`). */
  options: Record<string, string>;
  /** Every `o:tag` field. */
  tags: string[];
  /** The parsed `recipient-variables` field (batch sending), or null. */
  recipientVariables: Record<string, unknown> | null;
  attachments: MailgunAttachment[];
  /** Every text field in the order received, for anything not picked out above. */
  fields: Array<[string, string]>;
  at: Date;
}

/** An event as Mailgun's events API returns it and as its webhooks post it (`event-data`). */
export interface MailgunEventData {
  id: string;
  event: string;
  /** Seconds since the epoch, with a fraction. */
  timestamp: number;
  recipient: string;
  message: {
    headers: { 'message-id': string; to?: string; from?: string; subject?: string };
    [key: string]: unknown;
  };
  'user-variables': Record<string, unknown>;
  [key: string]: unknown;
}

export interface MailgunWebhookBody {
  signature: { timestamp: string; token: string; signature: string };
  'event-data': MailgunEventData | Record<string, unknown>;
}

export interface MailgunDnsRecord {
  record_type: string;
  name: string;
  value: string;
  valid: 'unknown' | 'valid' | 'invalid';
  is_active: boolean;
  cached: string[];
  priority?: string;
}

export interface StoredDomain {
  domain: {
    id: string;
    name: string;
    state: 'unverified' | 'active' | 'disabled';
    created_at: string;
    type: string;
    spam_action: string;
    wildcard: boolean;
    require_tls: boolean;
    skip_verification: boolean;
    is_disabled: boolean;
    smtp_login: string;
    web_prefix: string;
    web_scheme: string;
    use_automatic_sender_security: boolean;
  };
  sending_dns_records: MailgunDnsRecord[];
  receiving_dns_records: MailgunDnsRecord[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface MailgunDouble {
  /** http://127.0.0.1:<port>, the `url` option of mailgun.js's client. */
  url: string;
  messages: StoredMessage[];
  /** What the events API serves: one `accepted` per recipient of each message, plus recordEvent's. */
  events: MailgunEventData[];
  domains: Map<string, StoredDomain>;
  /** The last 1,000 requests (method, path, query, answered status). */
  requests: RecordedRequest[];
  /** The next `times` message posts answer `status` with `{ message }` and store nothing. */
  failNext(status: number, times?: number): void;
  /**
   * Every later `POST /v3/:domain/messages` answers `ms` milliseconds after it is handled: the
   * message is stored (with its `accepted` event) at once, the answer waits. A client killed during
   * the wait leaves a message the double accepted but whose id the client never learnt. 0 (the
   * default) answers at once.
   */
  setDelay(ms: number): void;
  /** DNS published: the domain turns `active` and its records `valid`. */
  verifyDomain(name: string): void;
  /** Adds an event about a stored message (delivered, failed, complained, …) and returns it. */
  recordEvent(
    message: StoredMessage,
    event: string,
    fields?: Partial<MailgunEventData> & Record<string, unknown>,
  ): MailgunEventData;
  /** The JSON body Mailgun posts to a webhook for this event, signed with the signing key. */
  signWebhook(
    eventData: MailgunEventData | Record<string, unknown>,
    opts?: { timestamp?: number | string; token?: string; key?: string },
  ): MailgunWebhookBody;
  /** Forgets messages, events, domains, requests and pending failures, and sets the delay back to 0. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_RECORDED_REQUESTS = 1000;
const EVENTS_DEFAULT_LIMIT = 100;
const EVENTS_MAX_LIMIT = 300;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ParsedBody {
  fields: Array<[string, string]>;
  files: MailgunAttachment[];
}

export async function startMailgunDouble(options: MailgunDoubleOptions): Promise<MailgunDouble> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const expectedAuth = Buffer.from(`Basic ${Buffer.from(`api:${options.apiKey}`).toString('base64')}`);
  const messages: StoredMessage[] = [];
  const events: MailgunEventData[] = [];
  const domains = new Map<string, StoredDomain>();
  const requests: RecordedRequest[] = [];
  const failures: number[] = [];
  /** Answers held back by setDelay, cleared on close. */
  const delayed = new Set<NodeJS.Timeout>();
  let messageDelayMs = 0;
  let sequence = 0;
  let url = '';

  function authorized(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  }

  function createMessage(domain: string, body: ParsedBody): StoredMessage {
    const all = (name: string) => body.fields.filter(([key]) => key === name).map(([, value]) => value);
    const last = (name: string) => all(name).at(-1) ?? '';
    const prefixed = (prefix: string) => {
      const out: Record<string, string> = {};
      for (const [key, value] of body.fields)
        if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
      return out;
    };
    const from = last('from');
    const to = all('to');
    if (!from) throw new HttpError(400, "'from' parameter is missing");
    if (to.length === 0) throw new HttpError(400, "'to' parameter is missing");
    if (!last('text') && !last('html') && !last('template') && !last('amp-html')) {
      throw new HttpError(400, "Need at least one of 'text', 'html' or 'template' parameters specified");
    }
    let recipientVariables: Record<string, unknown> | null = null;
    const rawRecipientVariables = last('recipient-variables');
    if (rawRecipientVariables) {
      try {
        recipientVariables = JSON.parse(rawRecipientVariables) as Record<string, unknown>;
      } catch {
        throw new HttpError(400, "'recipient-variables' parameter is not a valid JSON");
      }
    }
    const at = new Date();
    sequence += 1;
    const stamp = at.toISOString().replace(/\D/g, '').slice(0, 14);
    const id = `<${stamp}.${sequence.toString(16)}${randomBytes(8).toString('hex')}@${domain}>`;
    return {
      domain,
      id,
      from,
      to,
      cc: all('cc'),
      bcc: all('bcc'),
      subject: last('subject'),
      text: last('text'),
      html: last('html'),
      headers: prefixed('h:'),
      variables: prefixed('v:'),
      options: prefixed('o:'),
      tags: all('o:tag'),
      recipientVariables,
      attachments: body.files,
      fields: body.fields,
      at,
    };
  }

  function eventFor(
    message: StoredMessage,
    event: string,
    recipient: string,
    fields: Record<string, unknown> = {},
  ): MailgunEventData {
    return {
      id: randomBytes(16).toString('base64url').slice(0, 22),
      event,
      timestamp: Date.now() / 1000,
      'log-level': event === 'failed' ? 'error' : 'info',
      recipient,
      'recipient-domain': recipient.split('@').pop() ?? '',
      tags: message.tags,
      envelope: { sender: addressOf(message.from), targets: recipient, transport: 'smtp' },
      message: {
        headers: {
          'message-id': message.id.replace(/^<|>$/g, ''),
          to: message.to.join(', '),
          from: message.from,
          subject: message.subject,
        },
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          'content-type': a.contentType,
          size: a.data.length,
        })),
        size: message.text.length + message.html.length,
      },
      'user-variables': { ...message.variables },
      ...fields,
    };
  }

  function sendMessage(domain: string, body: ParsedBody): Record<string, unknown> {
    const failure = failures.shift();
    if (failure !== undefined) throw new HttpError(failure, STATUS_CODES[failure] ?? 'Error');
    const message = createMessage(domain, body);
    messages.push(message);
    for (const recipient of [...message.to, ...message.cc, ...message.bcc].flatMap(splitAddresses)) {
      events.push(eventFor(message, 'accepted', addressOf(recipient)));
    }
    return { id: message.id, message: 'Queued. Thank you.' };
  }

  function listEvents(
    domain: string,
    page: string | undefined,
    query: URLSearchParams,
  ): Record<string, unknown> {
    let params: Record<string, string>;
    let offset = 0;
    if (page) {
      try {
        const decoded = JSON.parse(Buffer.from(page, 'base64url').toString('utf8')) as {
          q: Record<string, string>;
          o: number;
        };
        params = decoded.q;
        offset = decoded.o;
      } catch {
        throw new HttpError(400, 'Invalid page token');
      }
    } else {
      params = Object.fromEntries(query);
    }
    const limit = params.limit === undefined ? EVENTS_DEFAULT_LIMIT : Number(params.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > EVENTS_MAX_LIMIT) {
      throw new HttpError(400, `Invalid limit: must be an integer between 1 and ${EVENTS_MAX_LIMIT}`);
    }
    const begin = params.begin === undefined ? undefined : parseEventTime(params.begin, 'begin');
    const end = params.end === undefined ? undefined : parseEventTime(params.end, 'end');
    let userVariables: Record<string, unknown> = {};
    if (params['user-variables']) {
      try {
        userVariables = JSON.parse(params['user-variables']) as Record<string, unknown>;
      } catch {
        throw new HttpError(400, "'user-variables' must be a JSON object");
      }
      if (typeof userVariables !== 'object' || userVariables === null || Array.isArray(userVariables)) {
        throw new HttpError(400, "'user-variables' must be a JSON object");
      }
    }
    const fieldOf: Record<string, (e: MailgunEventData) => string[]> = {
      event: (e) => [e.event],
      recipient: (e) => [e.recipient],
      from: (e) => [e.message.headers.from ?? ''],
      to: (e) => [e.message.headers.to ?? ''],
      subject: (e) => [e.message.headers.subject ?? ''],
      'message-id': (e) => [e.message.headers['message-id']],
      severity: (e) => [typeof e.severity === 'string' ? e.severity : ''],
      tags: (e) => (Array.isArray(e.tags) ? e.tags.map(String) : []),
    };
    const matching = events.filter((e) => {
      if (!e.message.headers['message-id'].endsWith(`@${domain}`)) return false;
      if (begin !== undefined && e.timestamp < begin) return false;
      if (end !== undefined && e.timestamp > end) return false;
      for (const [field, values] of Object.entries(fieldOf)) {
        const expression = params[field];
        if (expression !== undefined && !matchesExpression(expression, values(e), field === 'message-id')) {
          return false;
        }
      }
      const actual = e['user-variables'];
      return Object.entries(userVariables).every(
        ([key, value]) => key in actual && String(actual[key]) === String(value),
      );
    });
    matching.sort((a, b) => a.timestamp - b.timestamp);
    if (params.ascending !== 'yes') matching.reverse();
    const pageUrl = (at: number) =>
      `${url}/v3/${encodeURIComponent(domain)}/events/${Buffer.from(JSON.stringify({ q: params, o: at })).toString('base64url')}`;
    return {
      items: matching.slice(offset, offset + limit),
      paging: {
        first: pageUrl(0),
        last: pageUrl(Math.max(0, matching.length - limit)),
        next: pageUrl(offset + limit),
        previous: pageUrl(Math.max(0, offset - limit)),
      },
    };
  }

  function createDomain(body: ParsedBody): StoredDomain {
    const field = (name: string) => body.fields.filter(([key]) => key === name).at(-1)?.[1];
    const name = field('name')?.trim().toLowerCase();
    if (!name) throw new HttpError(400, "Missing parameter 'name'");
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(name)) {
      throw new HttpError(400, `Invalid domain name: ${name}`);
    }
    if (domains.has(name)) throw new HttpError(400, `Domain ${name} already exists`);
    const webPrefix = field('web_prefix') ?? 'email';
    const selector = field('dkim_selector') ?? 'smtp';
    const record = (record_type: string, recordName: string, value: string, priority?: string) => ({
      record_type,
      name: recordName,
      value,
      valid: 'unknown' as const,
      is_active: true,
      cached: [],
      ...(priority ? { priority } : {}),
    });
    const stored: StoredDomain = {
      domain: {
        id: randomBytes(12).toString('hex'),
        name,
        state: 'unverified',
        created_at: new Date().toUTCString(),
        type: 'custom',
        spam_action: field('spam_action') ?? 'disabled',
        wildcard: field('wildcard') === 'true',
        require_tls: false,
        skip_verification: false,
        is_disabled: false,
        smtp_login: `postmaster@${name}`,
        web_prefix: webPrefix,
        web_scheme: field('web_scheme') ?? 'https',
        use_automatic_sender_security: field('use_automatic_sender_security') === 'true',
      },
      sending_dns_records: [
        record('TXT', name, 'v=spf1 include:mailgun.org ~all'),
        record('TXT', `${selector}._domainkey.${name}`, `k=rsa; p=${randomBytes(162).toString('base64')}`),
        record('CNAME', `${webPrefix}.${name}`, 'mailgun.org'),
      ],
      receiving_dns_records: [
        record('MX', name, 'mxa.mailgun.org', '10'),
        record('MX', name, 'mxb.mailgun.org', '10'),
      ],
    };
    domains.set(name, stored);
    return stored;
  }

  function knownDomain(name: string): StoredDomain {
    const stored = domains.get(name.toLowerCase());
    if (!stored) throw new HttpError(404, 'Domain not found');
    return stored;
  }

  function domainBody(stored: StoredDomain, message?: string, withDns = true): Record<string, unknown> {
    return {
      ...(message ? { message } : {}),
      domain: stored.domain,
      receiving_dns_records: withDns ? stored.receiving_dns_records : null,
      sending_dns_records: withDns ? stored.sending_dns_records : null,
    };
  }

  function route(method: string, path: string, query: URLSearchParams, body: ParsedBody): unknown {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && (m = path.match(/^\/v3\/([^/]+)\/messages$/))) {
      return sendMessage(decodeURIComponent(m[1]), body);
    }
    if (method === 'GET' && (m = path.match(/^\/v3\/([^/]+)\/events(?:\/([^/]+))?$/))) {
      return listEvents(decodeURIComponent(m[1]), m[2], query);
    }
    if (path === '/v4/domains' && method === 'POST') {
      return domainBody(createDomain(body), 'Domain DNS records have been created');
    }
    if (path === '/v4/domains' && method === 'GET') {
      const state = query.get('state');
      const all = [...domains.values()].filter((d) => !state || d.domain.state === state);
      const skip = Number(query.get('skip') ?? 0) || 0;
      const limit = Number(query.get('limit') ?? 100) || 100;
      return { total_count: all.length, items: all.slice(skip, skip + limit).map((d) => d.domain) };
    }
    if (method === 'GET' && (m = path.match(/^\/v4\/domains\/([^/]+)$/))) {
      return domainBody(
        knownDomain(decodeURIComponent(m[1])),
        undefined,
        query.get('h:with_dns') !== 'false',
      );
    }
    if (method === 'PUT' && (m = path.match(/^\/v4\/domains\/([^/]+)\/verify$/))) {
      return domainBody(knownDomain(decodeURIComponent(m[1])), 'Domain DNS records have been updated');
    }
    if (method === 'DELETE' && (m = path.match(/^\/v3\/domains\/([^/]+)$/))) {
      domains.delete(knownDomain(decodeURIComponent(m[1])).domain.name);
      return { message: 'Domain has been deleted' };
    }
    throw new HttpError(404, 'Not Found');
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer | null): void {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    let status = 200;
    let payload: unknown;
    try {
      if (raw === null) throw new HttpError(413, 'Request entity too large');
      if (!authorized(req)) throw new HttpError(401, 'Forbidden');
      payload = route(
        method,
        parsed.pathname,
        parsed.searchParams,
        parseBody(req.headers['content-type'], raw),
      );
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      payload = { message: error instanceof Error ? error.message : 'Internal error' };
    }
    requests.push({ method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), status });
    if (requests.length > MAX_RECORDED_REQUESTS) requests.shift();
    const json = JSON.stringify(payload);
    const answer = () => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
        ...(status === 401 ? { 'www-authenticate': 'Basic realm="MG API"' } : {}),
        ...(raw === null ? { connection: 'close' } : {}),
      });
      res.end(json);
    };
    if (messageDelayMs > 0 && method === 'POST' && /^\/v3\/[^/]+\/messages$/.test(parsed.pathname)) {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        // The client may have gone (killed) while it waited.
        if (!res.destroyed) answer();
      }, messageDelayMs);
      delayed.add(timer);
    } else {
      answer();
    }
  }

  const server = createServer(withBody(maxBodyBytes, handle));
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    messages,
    events,
    domains,
    requests,
    failNext(status, times = 1) {
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(`failNext: status must be 4xx or 5xx, got ${status}`);
      }
      if (!Number.isInteger(times) || times < 1 || times > 10_000) {
        throw new Error(`failNext: times must be an integer from 1 to 10000, got ${times}`);
      }
      for (let i = 0; i < times; i += 1) failures.push(status);
    },
    setDelay(ms) {
      if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) {
        throw new Error(`setDelay: ms must be an integer from 0 to 60000, got ${ms}`);
      }
      messageDelayMs = ms;
    },
    verifyDomain(name) {
      const stored = domains.get(name.toLowerCase());
      if (!stored) throw new Error(`verifyDomain: unknown domain ${name}`);
      stored.domain.state = 'active';
      for (const record of [...stored.sending_dns_records, ...stored.receiving_dns_records]) {
        record.valid = 'valid';
        record.cached = [record.value];
      }
    },
    recordEvent(message, event, fields = {}) {
      const recipient =
        typeof fields.recipient === 'string' ? fields.recipient : addressOf(message.to[0] ?? '');
      const created = eventFor(message, event, recipient, fields);
      events.push(created);
      return created;
    },
    signWebhook(eventData, opts = {}) {
      const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
      const token = opts.token ?? randomBytes(25).toString('hex');
      const signature = createHmac('sha256', opts.key ?? options.signingKey)
        .update(timestamp + token)
        .digest('hex');
      return { signature: { timestamp, token, signature }, 'event-data': eventData };
    },
    reset() {
      messages.length = 0;
      events.length = 0;
      requests.length = 0;
      failures.length = 0;
      domains.clear();
      messageDelayMs = 0;
    },
    close() {
      for (const timer of delayed) clearTimeout(timer);
      delayed.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (raw.length === 0) return { fields: [], files: [] };
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    if (!boundary) throw new HttpError(400, 'multipart/form-data without a boundary');
    return parseMultipart(raw, boundary[1] ?? boundary[2]);
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { fields: [...new URLSearchParams(raw.toString('utf8'))], files: [] };
  }
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'Malformed JSON body');
    }
    const fields: Array<[string, string]> = [];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, v] of Object.entries(value))
        fields.push([key, typeof v === 'string' ? v : JSON.stringify(v)]);
    }
    return { fields, files: [] };
  }
  throw new HttpError(415, `Unsupported content type: ${type || 'none'}`);
}

/** multipart/form-data (RFC 7578) as form-data and undici's FormData write it. */
function parseMultipart(raw: Buffer, boundary: string): ParsedBody {
  try {
    const { fields, files } = parseMultipartBody(raw, boundary, { decodeName: decodeFormName });
    return { fields, files: files.map((f) => ({ ...f, filename: f.filename ?? '' })) };
  } catch (err) {
    throw new HttpError(400, err instanceof Error ? err.message : 'Malformed multipart body');
  }
}

/** undici percent-escapes `"`, CR and LF in names; form-data writes them raw. */
function decodeFormName(value: string): string {
  return value.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/\\(.)/g, '$1');
}

/** Epoch seconds, or an RFC 2822 date as Mailgun also accepts. */
function parseEventTime(value: string, name: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value) / 1000;
  if (!Number.isFinite(seconds)) throw new HttpError(400, `Invalid '${name}': ${value}`);
  return seconds;
}

/**
 * Mailgun's filter expressions, the simple part: `a`, `a OR b`, `NOT a`, `a OR NOT b`.
 * Matching is exact and case-insensitive (message ids ignore angle brackets).
 */
function matchesExpression(expression: string, values: string[], isMessageId: boolean): boolean {
  const norm = (s: string) => (isMessageId ? s.replace(/^<|>$/g, '') : s).trim().toLowerCase();
  const actual = values.map(norm);
  const terms = expression.split(/\s+OR\s+/i).map((term) => term.trim());
  const positives = terms.filter((t) => !/^NOT\s+/i.test(t)).map(norm);
  const negatives = terms.filter((t) => /^NOT\s+/i.test(t)).map((t) => norm(t.replace(/^NOT\s+/i, '')));
  if (negatives.some((n) => actual.includes(n))) return false;
  return positives.length === 0 || positives.some((p) => actual.includes(p));
}

/** `a@x, "Doe, J" <j@x>` → ['a@x', '"Doe, J" <j@x>'] (commas inside quotes or angle brackets kept). */
function splitAddresses(list: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const ch of list) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angled = true;
    else if (ch === '>' && !quoted) angled = false;
    if (ch === ',' && !quoted && !angled) {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** `Name <a@x>` → `a@x`. */
function addressOf(mailbox: string): string {
  const angled = /<([^>]*)>/.exec(mailbox);
  return (angled ? angled[1] : mailbox).trim();
}

import pg from 'pg';
import type { Logger } from '../logger.js';
import { errorFields, TransportHandlers, type PubSubTransport } from './transport.js';

export interface PostgresTransportOptions {
  url: string;
  /** LISTEN/NOTIFY channel; at most 63 bytes (PostgreSQL silently truncates longer identifiers). */
  channel?: string;
  log?: Logger;
}

/** NOTIFY refuses payloads of 8000 bytes or more; larger messages travel through `pubsub_message`. */
const MAX_INLINE_BYTES = 7500;
/** Stored messages are read within milliseconds; five minutes covers any receiver that is merely slow. */
const STORED_MESSAGE_RETENTION = '5 minutes';
const SWEEP_EVERY_STORED = 100;
const RECONNECT_FIRST_DELAY_MS = 100;
const RECONNECT_MAX_DELAY_MS = 5000;
const CONNECT_TIMEOUT_MS = 3000;
/** Shown in pg_stat_activity, so operators (and tests) can tell the listening connection apart. */
const APPLICATION_NAME = 'workpex-pubsub';

/**
 * Payload forms on the wire: `@<id>` names a row of `pubsub_message`; a message that itself starts
 * with `@` is sent with one more `@` in front, so it can never be mistaken for a reference.
 */
const REFERENCE = /^@(\d+)$/;

/**
 * PostgreSQL LISTEN/NOTIFY. One dedicated connection listens; publishing and reading stored bodies
 * share a pool of two. While the listening connection is down (until it is re-established, with
 * backoff) notifications are lost: PostgreSQL queues them only for live listeners. Callers resync
 * in their onReconnect handler.
 */
export class PostgresTransport extends TransportHandlers implements PubSubTransport {
  readonly kind = 'postgres' as const;
  private readonly url: string;
  protected readonly channel: string;
  protected readonly log: Logger | undefined;
  private readonly pool: pg.Pool;
  private listener: pg.Client | undefined;
  /** The connect-and-LISTEN in progress, so close() can wait for it instead of racing it. */
  private connecting: Promise<pg.Client> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Receipts are chained so a stored body read by id cannot overtake a later inline message. */
  private delivery: Promise<void> = Promise.resolve();
  private storedCount = 0;
  private closed = false;
  /** Inline messages waiting for the batch in flight (one statement notifies them all, in order). */
  private outbox: { message: string; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(opts: PostgresTransportOptions) {
    super();
    this.url = opts.url;
    this.channel = opts.channel ?? 'workpex_events';
    this.log = opts.log;
    const bytes = Buffer.byteLength(this.channel);
    if (bytes === 0 || bytes > 63 || this.channel.includes('\0')) {
      throw new Error(`PostgresTransport: channel must be 1 to 63 bytes without NUL, got ${bytes} bytes`);
    }
    this.pool = new pg.Pool({
      connectionString: this.url,
      max: 2,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: APPLICATION_NAME,
    });
    // An idle pooled connection that dies emits here; without a listener the process would crash.
    this.pool.on('error', (err) =>
      this.log?.warn({ channel: this.channel, ...errorFields(err) }, 'pubsub pool connection lost'),
    );
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('PostgresTransport: start() after close()');
    if (this.listener || this.connecting) throw new Error('PostgresTransport: start() called twice');
    try {
      await this.sweep();
      await this.listen();
    } catch (err) {
      throw new Error(
        `PostgresTransport: could not start on channel "${this.channel}": ${errorFields(err).error}`,
        {
          cause: err,
        },
      );
    }
  }

  async publish(message: string): Promise<void> {
    if (this.closed) throw new Error('PostgresTransport: publish() after close()');
    const inline = message.startsWith('@') ? `@${message}` : message;
    if (Buffer.byteLength(inline) <= MAX_INLINE_BYTES) {
      // Batched: what is published while a batch is on its way goes as the next one, in order.
      return new Promise<void>((resolve, reject) => {
        this.outbox.push({ message: inline, resolve, reject });
        if (!this.flushing) void this.flush();
      });
    }
    // One statement, so the row and its notification commit together.
    await this.pool.query(
      `with stored as (insert into pubsub_message (body) values ($2) returning id)
       select pg_notify($1, '@' || id) from stored`,
      [this.channel, message],
    );
    this.storedCount += 1;
    if (this.storedCount % SWEEP_EVERY_STORED === 0) {
      // The message is already sent: a failed clean-up is retried on the next round, not reported.
      await this.sweep().catch((err: unknown) =>
        this.log?.warn({ channel: this.channel, ...errorFields(err) }, 'pubsub stored message sweep failed'),
      );
    }
  }

  /**
   * Sends the waiting inline messages, up to 500 per statement, until none wait. Under a burst this
   * is one round trip for many events instead of one each, and nothing waits on the pool long enough
   * to time out.
   */
  private flush(): Promise<void> {
    this.flushing = (async () => {
      while (this.outbox.length) {
        const batch = this.outbox.splice(0, 500);
        try {
          await this.pool.query(
            'select pg_notify($1, m) from unnest($2::text[]) with ordinality as t(m, n) order by n',
            [this.channel, batch.map((b) => b.message)],
          );
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    })().finally(() => {
      this.flushing = undefined;
      // Published between the loop's last check and here: its own flush.
      if (this.outbox.length) void this.flush();
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushing;
    clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    // Stored bodies already being read finish (and are dropped) before the pool goes.
    await this.delivery;
    await this.pool.end();
  }

  private async sweep(): Promise<void> {
    await this.pool.query(
      `delete from pubsub_message where created_at < now() - interval '${STORED_MESSAGE_RETENTION}'`,
    );
  }

  private listen(): Promise<pg.Client> {
    const attempt = this.connectListener().finally(() => {
      this.connecting = undefined;
    });
    this.connecting = attempt;
    return attempt;
  }

  private async connectListener(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: APPLICATION_NAME,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // A half-open TCP connection would otherwise leave us listening to nothing, unnoticed.
      keepAlive: true,
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (client === this.listener) this.listenerLost(err);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.receive(n.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(this.channel)}`);
      if (lost) throw new Error('connection lost right after LISTEN');
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return client;
    }
    this.listener = client;
    return client;
  }

  private listenerLost(err: Error | undefined): void {
    this.listener = undefined;
    if (this.closed) return;
    this.log?.warn(
      { channel: this.channel, ...(err ? errorFields(err) : {}) },
      'pubsub listening connection lost; reconnecting',
    );
    this.scheduleReconnect(RECONNECT_FIRST_DELAY_MS);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.reconnect(delayMs);
    }, delayMs);
    // Retrying alone should not keep a process alive that has nothing else to do.
    this.retryTimer.unref();
  }

  private async reconnect(delayMs: number): Promise<void> {
    if (this.closed) return;
    try {
      await this.listen();
    } catch (err) {
      const next = Math.min(delayMs * 2, RECONNECT_MAX_DELAY_MS);
      this.log?.warn(
        { channel: this.channel, retryInMs: next, ...errorFields(err) },
        'pubsub reconnect failed',
      );
      this.scheduleReconnect(next);
      return;
    }
    if (this.closed) return;
    this.log?.info({ channel: this.channel }, 'pubsub listening again');
    this.reconnected();
  }

  private receive(payload: string): void {
    this.delivery = this.delivery.then(async () => {
      const message = await this.resolve(payload);
      if (message !== undefined && !this.closed) this.handOver(message);
    });
  }

  /** The message a payload stands for; undefined when its stored body cannot be read (logged). */
  private async resolve(payload: string): Promise<string | undefined> {
    if (payload.startsWith('@@')) return payload.slice(1);
    const reference = REFERENCE.exec(payload);
    if (!reference) return payload;
    if (this.closed) return undefined;
    const id = reference[1];
    try {
      const { rows } = await this.pool.query<{ body: string }>(
        'select body from pubsub_message where id = $1',
        [id],
      );
      const row = rows[0];
      if (row) return row.body;
      this.log?.warn({ channel: this.channel, id }, 'pubsub stored message not found (swept?)');
    } catch (err) {
      this.log?.warn(
        { channel: this.channel, id, ...errorFields(err) },
        'pubsub stored message could not be read',
      );
    }
    return undefined;
  }
}

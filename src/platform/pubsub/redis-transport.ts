import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.js';
import { errorFields, TransportHandlers, type PubSubTransport } from './transport.js';

export interface RedisTransportOptions {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  channel?: string;
  log?: Logger;
}

const CONNECT_TIMEOUT_MS = 2000;
/** A Redis that is missing (or accepts TCP but never answers) fails start() within this. */
const START_DEADLINE_MS = 3000;
/** Bounds a publish to a Redis that hangs instead of refusing. */
const COMMAND_TIMEOUT_MS = 5000;
const RECONNECT_FIRST_DELAY_MS = 100;
const RECONNECT_MAX_DELAY_MS = 5000;

/**
 * Redis PUBLISH/SUBSCRIBE over two connections (a subscribed connection may not publish). ioredis
 * reconnects by itself; messages published while the subscriber is disconnected are lost (Redis
 * pub/sub keeps nothing), so callers resync in their onReconnect handler.
 */
export class RedisTransport extends TransportHandlers implements PubSubTransport {
  readonly kind = 'redis' as const;
  protected readonly channel: string;
  protected readonly log: Logger | undefined;
  /** host:port only: the URL may carry a password. */
  private readonly address: string;
  private readonly sub: Redis;
  private readonly pub: Redis;
  private lastError: Error | undefined;
  private subscribed = false;
  private down = false;
  private closed = false;

  constructor(opts: RedisTransportOptions) {
    super();
    this.channel = opts.channel ?? 'workpex:events';
    this.log = opts.log;
    this.address = describeAddress(opts.url);
    // CLIENT SETNAME refuses spaces; the name shows in CLIENT LIST, so operators can find the connection.
    const name = `workpex-pubsub:${this.channel.replace(/[^\w:.-]/g, '_')}`;
    const common: RedisOptions = {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      maxRetriesPerRequest: 2,
      retryStrategy: (attempt) =>
        Math.min(RECONNECT_FIRST_DELAY_MS * 2 ** Math.min(attempt - 1, 16), RECONNECT_MAX_DELAY_MS),
    };
    // Resubscribing ourselves lets the reconnect handlers run only once SUBSCRIBE is acknowledged;
    // ioredis's own resubscribe does not wait, so a publish right after `ready` could be missed.
    this.sub = new Redis(opts.url, { ...common, connectionName: `${name}:sub`, autoResubscribe: false });
    this.pub = new Redis(opts.url, {
      ...common,
      connectionName: `${name}:pub`,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    for (const connection of [this.sub, this.pub]) {
      connection.on('error', (err: Error) => {
        this.lastError = err;
        this.log?.debug({ channel: this.channel, ...errorFields(err) }, 'pubsub redis connection error');
      });
    }
    this.sub.on('reconnecting', () => {
      if (this.down || this.closed) return;
      this.down = true;
      this.log?.warn(
        {
          channel: this.channel,
          address: this.address,
          ...(this.lastError ? errorFields(this.lastError) : {}),
        },
        'pubsub redis subscription lost; reconnecting',
      );
    });
    this.sub.on('ready', () => {
      if (this.subscribed && !this.closed) void this.resubscribe();
    });
    this.sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel && !this.closed) this.handOver(message);
    });
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('RedisTransport: start() after close()');
    if (this.subscribed) throw new Error('RedisTransport: start() called twice');
    try {
      await withDeadline(
        (async () => {
          await Promise.all([this.sub.connect(), this.pub.connect()]);
          await this.sub.subscribe(this.channel);
        })(),
        START_DEADLINE_MS,
      );
    } catch (err) {
      // Stops ioredis from retrying in the background for a transport that never started.
      this.sub.disconnect();
      this.pub.disconnect();
      const reason = errorFields(this.lastError ?? err).error;
      throw new Error(`RedisTransport: could not connect to Redis at ${this.address}: ${reason}`, {
        cause: err,
      });
    }
    this.subscribed = true;
  }

  async publish(message: string): Promise<void> {
    if (this.closed) throw new Error('RedisTransport: publish() after close()');
    await this.pub.publish(this.channel, message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([quit(this.sub), quit(this.pub)]);
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.sub.subscribe(this.channel);
    } catch (err) {
      // The connection dropped again; its next `ready` retries.
      this.log?.warn({ channel: this.channel, ...errorFields(err) }, 'pubsub redis resubscribe failed');
      return;
    }
    if (this.closed) return;
    this.down = false;
    this.log?.info({ channel: this.channel }, 'pubsub redis subscribed again');
    this.reconnected();
  }
}

/** Graceful when connected (pending replies arrive first), immediate otherwise. */
async function quit(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  await connection.quit().catch(() => connection.disconnect());
}

function describeAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return '(unparsable URL)';
  }
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

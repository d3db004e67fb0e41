import type { Logger } from '../logger.js';

/** Carries opaque event strings between server instances. Every instance, the publisher included, receives each message once. */
export interface PubSubTransport {
  readonly kind: 'postgres' | 'redis';
  start(): Promise<void>;
  publish(message: string): Promise<void>;
  /** Registers the receiver (one per transport). */
  onMessage(handler: (message: string) => void): void;
  /** Called when the transport lost and then re-established its subscription (so callers may resync). */
  onReconnect(handler: () => void): void;
  close(): Promise<void>;
}

/** Error fields safe to log: driver errors may quote the row or command they failed on (a message body). */
export function errorFields(err: unknown): { error: string; code?: string } {
  // Duck-typed: errors from another realm (a vm context, as under jest) fail `instanceof Error`.
  if (typeof err !== 'object' || err === null) return { error: String(err) };
  const { message, code } = err as { message?: unknown; code?: unknown };
  const error = typeof message === 'string' ? message : String(err);
  return typeof code === 'string' ? { error, code } : { error };
}

/** What both transports do with what arrives: one message handler, any number of reconnect handlers. */
export abstract class TransportHandlers {
  private handler: ((message: string) => void) | undefined;
  private readonly reconnectHandlers: Array<() => void> = [];

  protected abstract readonly channel: string;
  protected abstract readonly log: Logger | undefined;

  onMessage(handler: (message: string) => void): void {
    if (this.handler)
      throw new Error(`${this.constructor.name}: onMessage() takes one handler per transport`);
    this.handler = handler;
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /** Hands a message to the handler; a handler that throws is logged, never breaks the transport. */
  protected handOver(message: string): void {
    if (!this.handler) return;
    try {
      this.handler(message);
    } catch (err) {
      this.log?.error({ channel: this.channel, ...errorFields(err) }, 'pubsub message handler threw');
    }
  }

  /** Tells the reconnect handlers the subscription is back. */
  protected reconnected(): void {
    for (const handler of this.reconnectHandlers) {
      try {
        handler();
      } catch (err) {
        this.log?.error({ channel: this.channel, ...errorFields(err) }, 'pubsub reconnect handler threw');
      }
    }
  }
}

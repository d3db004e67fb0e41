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

import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer } from './server';

/** How the server closed a socket. */
export interface Closed {
  code: number;
  reason: string;
}

export type WsResult<Data> = FormattedExecutionResult<Data, Record<string, unknown>>;

/** Polls until `done()` holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const isCloseEvent = (e: unknown): e is Closed =>
  typeof e === 'object' && e !== null && typeof (e as Closed).code === 'number';

/**
 * One operation on a socket, as a graphql-ws client sees it: its `next` payloads, the `error`
 * message that refused it, or the close that ended it. Reads move a cursor over the events.
 */
export class Operation<Data> {
  readonly results: WsResult<Data>[] = [];
  /** The `error` message's errors (the operation was refused). */
  errors: readonly GraphQLFormattedError[] | undefined;
  /** The socket closed while the operation was live. */
  closedBy: Closed | undefined;
  completed = false;
  private read = 0;

  constructor(
    private readonly description: string,
    readonly stop: () => void,
  ) {}

  /** @internal sink of the graphql-ws client */
  sink = {
    next: (value: WsResult<Data>) => void this.results.push(value),
    error: (err: unknown) => {
      if (isCloseEvent(err)) this.closedBy = { code: err.code, reason: err.reason };
      else if (Array.isArray(err)) this.errors = err as GraphQLFormattedError[];
      else this.errors = [{ message: err instanceof Error ? err.message : String(err) }];
    },
    complete: () => void (this.completed = true),
  };

  private get ended(): boolean {
    return this.completed || this.errors !== undefined || this.closedBy !== undefined;
  }

  private failIfRefused(): void {
    if (this.errors) throw new Error(`${this.description} was refused: ${JSON.stringify(this.errors)}`);
  }

  /** The data of the next `n` events (fails on an event with errors or when the operation ends first). */
  async nextEvents(n: number, timeoutMs = 5000): Promise<Data[]> {
    await waitFor(
      `${n} event(s) of ${this.description}`,
      () => this.results.length >= this.read + n || this.ended,
      timeoutMs,
    );
    this.failIfRefused();
    if (this.results.length < this.read + n)
      throw new Error(`${this.description} ended (${JSON.stringify(this.closedBy)}) before ${n} event(s)`);
    const taken = this.results.slice(this.read, this.read + n);
    this.read += n;
    return taken.map((r) => {
      if (r.errors?.length || !r.data) throw new Error(`event with errors: ${JSON.stringify(r.errors)}`);
      return r.data;
    });
  }

  /** The data of the first unread event for which `matches` holds; the events before it are passed over. */
  async eventWhere(what: string, matches: (data: Data) => boolean, timeoutMs = 5000): Promise<Data> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [data] = await this.nextEvents(1, Math.max(0, deadline - Date.now())).catch((err: unknown) => {
        throw new Error(`no event ${what} of ${this.description}: ${(err as Error).message}`);
      });
      if (matches(data)) return data;
    }
  }

  /** Events not read yet (raw payloads); reading them moves the cursor. */
  unread(): WsResult<Data>[] {
    const rest = this.results.slice(this.read);
    this.read = this.results.length;
    return rest;
  }

  /** Waits until no event has arrived for `quietMs` (bounded by `timeoutMs`); the events so far count as read. */
  async settle(quietMs = 300, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (seen !== this.results.length) {
      if (Date.now() > deadline) throw new Error(`${this.description} never went quiet`);
      seen = this.results.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
    this.read = this.results.length;
  }

  /** The `error` message that refused the operation. */
  async refusal(timeoutMs = 5000): Promise<readonly GraphQLFormattedError[]> {
    await waitFor(`an error message for ${this.description}`, () => this.ended, timeoutMs);
    if (!this.errors)
      throw new Error(
        `${this.description} was not refused: ${JSON.stringify({ results: this.results, closedBy: this.closedBy })}`,
      );
    return this.errors;
  }

  /**
   * The errors a client sees when the operation fails: the `error` message's, or those of a
   * single result without data (an error raised while the subscription starts), once it ended.
   */
  async failure(timeoutMs = 5000): Promise<readonly GraphQLFormattedError[]> {
    await waitFor(`${this.description} to fail`, () => this.ended, timeoutMs);
    if (this.errors) return this.errors;
    const [only] = this.results;
    if (this.results.length !== 1 || !only.errors?.length || (only.data ?? null) !== null)
      throw new Error(`${this.description} did not fail: ${JSON.stringify(this.results)}`);
    return only.errors;
  }

  /** The single result of a query or mutation (waits for its completion). */
  async result(timeoutMs = 5000): Promise<WsResult<Data>> {
    await waitFor(`the result of ${this.description}`, () => this.ended, timeoutMs);
    this.failIfRefused();
    if (this.results.length !== 1)
      throw new Error(`${this.description}: expected one result, got ${JSON.stringify(this.results)}`);
    return this.results[0];
  }
}

/** A graphql-ws client on one socket of a test server. */
export interface Socket {
  client: Client;
  /** The server acknowledged the connection and has not closed it. */
  isOpen(): boolean;
  /** How the server closed the socket (fails after `timeoutMs` if it stays open). */
  closed(timeoutMs?: number): Promise<Closed>;
  /** Waits for the connection's acknowledgement. */
  connected(timeoutMs?: number): Promise<void>;
  subscribe<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Operation<Data>;
  /** A query or mutation over the socket: its one result. */
  execute<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<WsResult<Data>>;
  dispose(): Promise<void>;
}

const open = new Set<Socket>();

export const wsUrl = (server: TestServer): string => `${server.origin.replace(/^http/, 'ws')}/graphql`;

/**
 * Connects at once (not lazily) to `server` with `connectionParams.authorization = 'Bearer <key>'`
 * (`bare`: the key alone; `key` null: no authorization). Never retries, so a close is final.
 */
export function connect(server: TestServer, key: string | null, opts: { bare?: boolean } = {}): Socket {
  let acknowledged = false;
  let closedWith: Closed | undefined;
  let sequence = 0;
  const client = createClient({
    url: wsUrl(server),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: key === null ? {} : { authorization: opts.bare ? key : `Bearer ${key}` },
    // The refusal is observed through `closed`; the default handler would only log it.
    onNonLazyError: () => undefined,
    on: {
      connected: () => void (acknowledged = true),
      closed: (event) => {
        if (!closedWith && isCloseEvent(event)) closedWith = { code: event.code, reason: event.reason };
      },
    },
  });
  const socket: Socket = {
    client,
    isOpen: () => acknowledged && !closedWith,
    async closed(timeoutMs = 5000) {
      await waitFor('the socket to close', () => closedWith !== undefined, timeoutMs);
      const closed = closedWith;
      if (!closed) throw new Error('the socket did not close');
      return closed;
    },
    async connected(timeoutMs = 5000) {
      await waitFor(
        'the connection to be acknowledged',
        () => acknowledged || closedWith !== undefined,
        timeoutMs,
      );
      if (!acknowledged) throw new Error(`the socket closed instead: ${JSON.stringify(closedWith)}`);
    },
    subscribe<Data>(query: string, variables?: Record<string, unknown>) {
      const description = `operation ${++sequence} (${query.replace(/\s+/g, ' ').slice(0, 60)})`;
      let stop: () => void = () => undefined;
      const op: Operation<Data> = new Operation<Data>(description, () => stop());
      stop = client.subscribe<Data, Record<string, unknown>>({ query, variables }, op.sink);
      return op;
    },
    execute<Data>(query: string, variables?: Record<string, unknown>, timeoutMs?: number) {
      return socket.subscribe<Data>(query, variables).result(timeoutMs);
    },
    async dispose() {
      open.delete(socket);
      await client.dispose();
    },
  };
  open.add(socket);
  return socket;
}

/** Disposes every socket still open (for afterEach). */
export async function disposeSockets(): Promise<void> {
  await Promise.all([...open].map((s) => s.dispose()));
}

import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { PubSubTransport } from './transport.js';

/**
 * A topic, declared once by the module that owns it with the type of event it carries
 * (`export const quotaTopic = topic<QuotaEvent>('quota')`). Publishing and subscribing both
 * take the declared constant, so they cannot disagree on the event's shape. Every event
 * belongs to one organisation and is only ever delivered to that organisation's subscribers:
 * the organisation is part of the channel (`quota:<organizationId>`).
 */
export interface Topic<Event extends object> {
  readonly name: string;
  /** Carries the event type only (never set). */
  readonly event?: Event;
}

export const topic = <Event extends object>(name: string): Topic<Event> => ({ name });

interface Envelope {
  /** `<topic>:<organizationId>` */
  c: string;
  /** The event. */
  e: object;
  /** When it was published (ms since the epoch), for the delivery-lag metric. */
  t: number;
}

type Listener = (event: object) => void;

/** A bounded queue of events for one subscriber; the oldest is dropped when it overflows. */
const MAX_QUEUED = 1000;

export class PubSub {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Listeners of a topic in every organisation (platform bookkeeping such as key revocation). */
  private readonly everywhere = new Map<string, Set<(organizationId: string, event: object) => void>>();

  constructor(
    private readonly transport: PubSubTransport,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    transport.onMessage((message) => this.deliver(message));
  }

  private static channel(topic: string, organizationId: string): string {
    return `${topic}:${organizationId}`;
  }

  /** Sends `event` to every subscriber of `topic` in `organizationId`, on every instance. */
  async publish<E extends object>(topic: Topic<E>, organizationId: string, event: E): Promise<void> {
    const envelope: Envelope = { c: PubSub.channel(topic.name, organizationId), e: event, t: Date.now() };
    this.metrics.eventsPublished.inc({ topic: topic.name });
    await this.transport.publish(JSON.stringify(envelope));
  }

  /** Publishes without waiting; a failed publish is logged, never thrown at the caller. */
  emit<E extends object>(topic: Topic<E>, organizationId: string, event: E): void {
    this.publish(topic, organizationId, event).catch((err: unknown) =>
      this.log.warn({ err, topic: topic.name }, 'publishing an event failed'),
    );
  }

  /** Calls `listener` for every event of `topic` in `organizationId` until the returned function is called. */
  listen<E extends object>(
    topic: Topic<E>,
    organizationId: string,
    listener: (event: E) => void,
  ): () => void {
    const channel = PubSub.channel(topic.name, organizationId);
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    const l = listener as Listener;
    set.add(l);
    return () => {
      set.delete(l);
      if (!set.size) this.listeners.delete(channel);
    };
  }

  /** Calls `listener` for every event of `topic`, whatever its organisation (never for clients). */
  listenEverywhere<E extends object>(
    topic: Topic<E>,
    listener: (organizationId: string, event: E) => void,
  ): void {
    let set = this.everywhere.get(topic.name);
    if (!set) this.everywhere.set(topic.name, (set = new Set()));
    set.add(listener as (organizationId: string, event: object) => void);
  }

  /**
   * The events of `topic` in `organizationId` as an async iterator (what a subscription
   * resolver returns). `first` events, if any, are yielded before anything published.
   */
  subscribe<E extends object>(topic: Topic<E>, organizationId: string, first: E[] = []): EventStream<E> {
    const queue: E[] = [...first];
    let wake: (() => void) | null = null;
    let done = false;
    const stop = this.listen(topic, organizationId, (event) => {
      if (queue.length >= MAX_QUEUED) queue.shift();
      queue.push(event);
      wake?.();
    });
    const finish = (): IteratorResult<E> => {
      done = true;
      stop();
      wake?.();
      return { value: undefined, done: true };
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      queued: () => queue.splice(0),
      async next(): Promise<IteratorResult<E>> {
        while (!done) {
          const event = queue.shift();
          if (event !== undefined) return { value: event, done: false };
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        return { value: undefined, done: true };
      },
      async return(): Promise<IteratorResult<E>> {
        return finish();
      },
      async throw(err: unknown): Promise<IteratorResult<E>> {
        finish();
        throw err;
      },
    };
  }

  private deliver(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      this.log.warn('an event that is not JSON was ignored');
      return;
    }
    const topic = envelope.c.slice(0, envelope.c.indexOf(':'));
    const anywhere = this.everywhere.get(topic);
    if (anywhere) for (const listener of anywhere) listener(envelope.c.slice(topic.length + 1), envelope.e);
    const set = this.listeners.get(envelope.c);
    if (!set) return;
    this.metrics.eventLag.observe({ topic }, Math.max(0, Date.now() - envelope.t) / 1000);
    this.metrics.eventsDelivered.inc({ topic }, set.size);
    for (const listener of set) listener(envelope.e);
  }
}

/** A subscriber's events; `queued` takes those already waiting (e.g. the first one, sent on subscribe). */
export interface EventStream<E> extends AsyncIterableIterator<E> {
  queued(): E[];
}

/** Whether a source event stream can hand over its waiting events. */
export const isEventStream = (v: object): v is EventStream<object> =>
  typeof (v as { queued?: unknown }).queued === 'function';

/** The events of `source` that `keep` accepts (a subscription narrowed to one record). */
export function filterEvents<E>(source: EventStream<E>, keep: (event: E) => boolean): EventStream<E> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    queued: () => source.queued().filter(keep),
    async next() {
      for (;;) {
        const r = await source.next();
        if (r.done || keep(r.value)) return r;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    throw: (err: unknown) => source.throw?.(err) ?? Promise.reject(err),
  };
}

import type { Logger } from '../logger.js';
import { PostgresTransport } from './postgres-transport.js';
import { RedisTransport } from './redis-transport.js';
import type { PubSubTransport } from './transport.js';

export type { PubSubTransport } from './transport.js';
export { PostgresTransport, type PostgresTransportOptions } from './postgres-transport.js';
export { RedisTransport, type RedisTransportOptions } from './redis-transport.js';

export interface TransportConfig {
  databaseUrl: string;
  /** When set, events travel through Redis instead of the database. */
  redisUrl?: string;
  /** Defaults to each transport's own (`workpex_events` / `workpex:events`). */
  channel?: string;
  log?: Logger;
}

/** Redis when configured, else PostgreSQL LISTEN/NOTIFY (which needs nothing beyond the database). */
export function createTransport(config: TransportConfig): PubSubTransport {
  const { databaseUrl, redisUrl, channel, log } = config;
  return redisUrl
    ? new RedisTransport({ url: redisUrl, channel, log })
    : new PostgresTransport({ url: databaseUrl, channel, log });
}

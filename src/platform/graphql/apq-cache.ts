import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { SqlClient } from '../db/sql.js';
import { remember } from '../lru.js';

/** An automatic persisted query (Apollo APQ): shared by every instance through PostgreSQL. */
@Entity({ tableName: 'apq_document' })
export class ApqDocument {
  /** Apollo's cache key (`apq:<sha256 hex>`). */
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  document!: string;

  @Property({ type: 'datetime', length: 3, defaultRaw: 'now()' })
  @Index()
  lastUsedAt!: Date;
}

export interface ApqCacheOptions {
  /** Documents kept; the least recently used beyond it are evicted. */
  maxDocuments: number;
  /** A document longer than this is not stored (it still runs; the client keeps sending its text). */
  maxDocumentChars: number;
}

/** Keys are Apollo's `apq:` + a SHA-256 hex digest. */
const KEY = /^apq:[0-9a-f]{64}$/;
/** Hot documents are served from memory; PostgreSQL is asked on a miss. */
const LOCAL_ENTRIES = 1000;
/** How often a hit refreshes its row's last use (the eviction order), per instance. */
const TOUCH_MS = 60_000;
/** Eviction runs after this many stores (per instance), not on every one. */
const EVICT_EVERY = 100;

/**
 * Apollo's APQ cache in PostgreSQL (CONTRACT §9: "for every client", shared by every instance), with
 * a size cap and least-recently-used eviction, and a small in-memory front so hot documents cost no
 * statement. Documents are immutable (the key is their hash), so the front never goes stale.
 */
export class PgApqCache {
  private readonly local = new Map<string, { document: string; touchedAt: number }>();
  private stores = 0;

  constructor(
    private readonly sql: Pick<SqlClient, 'query'>,
    private readonly opts: ApqCacheOptions,
  ) {}

  async get(key: string): Promise<string | undefined> {
    if (!KEY.test(key)) return undefined;
    const now = Date.now();
    const hit = this.local.get(key);
    if (hit && now - hit.touchedAt < TOUCH_MS) return hit.document;
    const rows = await this.sql.query<{ document: string }>(
      'update apq_document set last_used_at = now() where key = $1 returning document',
      [key],
    );
    const document = rows[0]?.document;
    if (document === undefined) return undefined;
    remember(this.local, key, { document, touchedAt: now }, LOCAL_ENTRIES);
    return document;
  }

  async set(key: string, value: string): Promise<void> {
    if (!KEY.test(key) || value.length > this.opts.maxDocumentChars) return;
    await this.sql.query(
      `insert into apq_document (key, document, last_used_at) values ($1, $2, now())
       on conflict (key) do update set last_used_at = now()`,
      [key, value],
    );
    remember(this.local, key, { document: value, touchedAt: Date.now() }, LOCAL_ENTRIES);
    if (++this.stores % EVICT_EVERY === 0) await this.evict();
  }

  async delete(key: string): Promise<boolean> {
    this.local.delete(key);
    const rows = await this.sql.query('delete from apq_document where key = $1 returning key', [key]);
    return rows.length > 0;
  }

  /** Keeps the `maxDocuments` most recently used documents. */
  async evict(): Promise<void> {
    await this.sql.query(
      `delete from apq_document where key in (
         select key from apq_document order by last_used_at desc, key offset $1)`,
      [this.opts.maxDocuments],
    );
  }
}

import { createHash, randomBytes } from 'node:crypto';
import type { SqlClient } from '../../platform/db/sql.js';
import type { Principal, Scope } from '../../platform/graphql/context.js';

export const KEY_PREFIX = 'wpx_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** 32 random bytes, base64url, with a recognisable prefix (for secret scanners). */
export function generateKey(): { key: string; hash: string; prefix: string } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashKey(key), prefix: key.slice(0, 12) };
}

interface CachedPrincipal {
  principal: Principal | null;
  expires: number;
}

/**
 * Resolves `Authorization: Bearer <key>` to a principal. Keys are looked up by hash with
 * one SQL statement and cached for a few seconds; revoking on this instance evicts at once.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly lastUsedWrites = new Map<string, number>();

  constructor(
    private readonly sql: SqlClient,
    private readonly cacheMs: number,
  ) {}

  static keyFromHeader(header: string | undefined): string | null {
    if (!header) return null;
    const m = /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(header);
    return m ? m[1] : null;
  }

  async authenticate(key: string): Promise<Principal | null> {
    const hash = hashKey(key);
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expires > now) {
      if (hit.principal) this.touch(hit.principal.apiKeyId, now);
      return hit.principal;
    }
    const rows = await this.sql.query<{
      id: string;
      organization_id: string;
      user_id: string | null;
      scopes: string[];
      persisted_only: boolean;
      plan: string;
    }>(
      `select k.id, k.organization_id, k.user_id, k.scopes, k.persisted_only, o.plan
         from api_key k join organization o on o.id = k.organization_id
        where k.hash = $1 and k.revoked_at is null`,
      [hash],
    );
    const row = rows[0];
    const principal: Principal | null = row
      ? {
          organizationId: row.organization_id,
          userId: row.user_id,
          apiKeyId: row.id,
          scopes: new Set(row.scopes as Scope[]),
          persistedOnly: row.persisted_only,
          plan: row.plan,
        }
      : null;
    if (this.cacheMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { principal, expires: now + this.cacheMs });
    }
    if (principal) this.touch(principal.apiKeyId, now);
    return principal;
  }

  /** Forgets cached principals of a key (after revocation). */
  evict(apiKeyId: string): void {
    for (const [hash, entry] of this.cache) {
      if (entry.principal?.apiKeyId === apiKeyId) this.cache.delete(hash);
    }
  }

  /** Forgets cached principals of an organisation (after its plan changed). */
  evictOrganization(organizationId: string): void {
    for (const [hash, entry] of this.cache) {
      if (entry.principal?.organizationId === organizationId) this.cache.delete(hash);
    }
  }

  /** Records last use at most once a minute per key, off the request's critical path. */
  private touch(apiKeyId: string, now: number): void {
    const last = this.lastUsedWrites.get(apiKeyId) ?? 0;
    if (now - last < 60_000) return;
    this.lastUsedWrites.set(apiKeyId, now);
    this.sql
      .query('update api_key set last_used_at = now() where id = $1', [apiKeyId])
      .catch(() => undefined);
  }
}

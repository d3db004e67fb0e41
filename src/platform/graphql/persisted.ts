import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '../errors.js';
import type { Principal } from './context.js';

/**
 * Persisted documents (CONTRACT §9), resolved before a request reaches GraphQL: over HTTP by the
 * middleware below, over the WebSocket by the gateway, with the same rules.
 *
 * - `documentId: "sha256:<hex>"` (the GraphQL-over-HTTP persisted-documents form) runs the document
 *   the caller's organisation registered under that hash; an unknown one is PERSISTED_QUERY_NOT_FOUND.
 * - APQ's `extensions.persistedQuery.sha256Hash` without a query runs the organisation's registered
 *   document of that hash if there is one; otherwise Apollo's APQ cache answers (shared by every
 *   client), except for persisted-only keys, which run registered documents only.
 * - A persisted-only key that sends query text is refused with PERSISTED_QUERY_REQUIRED, before any
 *   work (and is never charged).
 */

export interface PersistedDocumentStore {
  /** The text of the document `organizationId` registered under `sha256` (hex), or null; records its use. */
  find(organizationId: string, sha256: string): Promise<string | null>;
  /** Whether the plan still has partner access (a persisted-only key of a plan without it is refused). */
  partnerAccess(plan: string): Promise<boolean>;
}

/** A request's GraphQL parameters as far as persistence is concerned. */
export interface PersistedParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

export type Resolution =
  | { kind: 'text' }
  | { kind: 'apollo-apq' }
  | { kind: 'document'; query: string; sha256: string }
  | { kind: 'refused'; status: number; code: string; message: string };

const DOCUMENT_ID = /^sha256:([0-9a-f]{64})$/;
const HEX = /^[0-9a-f]{64}$/;

function apqHash(extensions: unknown): unknown {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const pq = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof pq !== 'object' || pq === null) return undefined;
  return (pq as { sha256Hash?: unknown }).sha256Hash;
}

const refused = (status: number, code: string, message: string): Resolution => ({
  kind: 'refused',
  status,
  code,
  message,
});

export async function resolvePersisted(
  store: PersistedDocumentStore,
  principal: Principal | null,
  params: PersistedParams,
): Promise<Resolution> {
  const hasText = typeof params.query === 'string' && params.query.trim() !== '';
  if (principal?.persistedOnly && !(await store.partnerAccess(principal.plan))) {
    return refused(
      403,
      ErrorCode.SUBSCRIPTION_INACTIVE,
      `Partner (persisted-only) keys need a plan with partner access; the organisation is on ${principal.plan}.`,
    );
  }
  if (params.documentId !== undefined && params.documentId !== null) {
    const m = typeof params.documentId === 'string' ? DOCUMENT_ID.exec(params.documentId) : null;
    if (!m) {
      return refused(
        400,
        'BAD_REQUEST',
        'documentId must be "sha256:" followed by 64 lower-case hex digits.',
      );
    }
    if (hasText) return refused(400, 'BAD_REQUEST', 'Send either a query or a documentId, not both.');
    if (!principal) {
      return refused(
        401,
        ErrorCode.UNAUTHENTICATED,
        'A valid API key is required: send "Authorization: Bearer <key>".',
      );
    }
    const query = await store.find(principal.organizationId, m[1]);
    if (query === null) {
      return refused(
        200,
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        `No document ${params.documentId} is registered by this organisation (registerPersistedDocuments).`,
      );
    }
    return { kind: 'document', query, sha256: m[1] };
  }
  const hash = apqHash(params.extensions);
  const pq =
    typeof params.extensions === 'object' && params.extensions !== null
      ? (params.extensions as { persistedQuery?: unknown }).persistedQuery
      : undefined;
  if (pq !== undefined && pq !== null) {
    // Apollo's own refusals of these carry no code (they would surface as internal errors).
    const version = typeof pq === 'object' ? (pq as { version?: unknown }).version : undefined;
    if (version !== 1 || typeof hash !== 'string' || !HEX.test(hash)) {
      return refused(
        400,
        'BAD_REQUEST',
        'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 lower-case hex digits>" }.',
      );
    }
  }
  if (hash !== undefined && hasText) {
    // An APQ registration: the hash must be the query's (refused here with a code, before any work).
    if (
      typeof hash !== 'string' ||
      createHash('sha256')
        .update(params.query as string)
        .digest('hex') !== hash
    ) {
      return refused(
        400,
        'BAD_REQUEST',
        'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query.',
      );
    }
  }
  if (hash !== undefined && !hasText) {
    if (principal && typeof hash === 'string' && HEX.test(hash)) {
      const query = await store.find(principal.organizationId, hash);
      if (query !== null) return { kind: 'document', query, sha256: hash };
    }
    if (principal?.persistedOnly) {
      return refused(
        200,
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        'This partner key runs only documents its organisation registered (registerPersistedDocuments).',
      );
    }
    return { kind: 'apollo-apq' };
  }
  if (hasText && principal?.persistedOnly) {
    return refused(
      403,
      ErrorCode.PERSISTED_QUERY_REQUIRED,
      'This key is persisted-only: send a registered document by its id ({"documentId": "sha256:<hex>"}), not query text.',
    );
  }
  return { kind: 'text' };
}

/** The request's extensions without `persistedQuery` (undefined when nothing else is left). */
function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions)) return undefined;
  const rest = Object.fromEntries(Object.entries(extensions).filter(([k]) => k !== 'persistedQuery'));
  return Object.keys(rest).length ? rest : undefined;
}

/** The GET parameters as GraphQL-over-HTTP sends them (extensions as JSON text). */
function getParams(req: Request): PersistedParams {
  const q = new URL(req.originalUrl, 'http://x').searchParams;
  let extensions: unknown;
  const raw = q.get('extensions');
  if (raw) {
    try {
      extensions = JSON.parse(raw);
    } catch {
      extensions = undefined;
    }
  }
  return { query: q.get('query') ?? undefined, documentId: q.get('documentId') ?? undefined, extensions };
}

/**
 * The HTTP side: resolves `documentId` and registered APQ hashes into the request's query (the
 * body's for POST, the URL's for GET) before Apollo reads it, and refuses what the rules refuse.
 */
export function persistedDocuments(opts: {
  store: PersistedDocumentStore;
  authenticate: (authorization: string | undefined) => Promise<Principal | null>;
  /** Whether the client negotiated application/json only (the status of refusals then stays 200). */
  legacyJson: (accept: string | undefined) => boolean;
}) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if (req.method !== 'GET' && req.method !== 'POST') return next();
      const post = req.method === 'POST';
      const body: unknown = req.body;
      if (post && (typeof body !== 'object' || body === null || Array.isArray(body))) return next();
      const params = post ? (body as PersistedParams) : getParams(req);
      const extensions = params.extensions;
      const hasPersistedQuery =
        typeof extensions === 'object' && extensions !== null && 'persistedQuery' in extensions;
      if (params.documentId === undefined && !hasPersistedQuery && typeof params.query !== 'string') {
        return next();
      }
      const principal = await opts.authenticate(req.headers.authorization);
      // The request context reuses it rather than authenticating the same header again.
      res.locals.principal = principal;
      const r = await resolvePersisted(opts.store, principal, params);
      if (r.kind === 'refused') {
        const legacy = opts.legacyJson(req.headers.accept);
        res
          .status(legacy && r.code !== 'BAD_REQUEST' ? 200 : r.status)
          .type(legacy ? 'application/json' : 'application/graphql-response+json')
          .send(JSON.stringify({ errors: [{ message: r.message, extensions: { code: r.code } }] }));
        return;
      }
      if (r.kind === 'document') {
        res.locals.persistedDocument = r.sha256;
        // A registered document runs as its text; the APQ extension goes, so Apollo does not copy
        // the document into the shared APQ cache on every call.
        const extensions = withoutPersistedQuery(params.extensions);
        if (post) {
          const b = body as Record<string, unknown>;
          b.query = r.query;
          delete b.documentId;
          if (extensions === undefined) delete b.extensions;
          else b.extensions = extensions;
        } else {
          const url = new URL(req.url, 'http://x');
          url.searchParams.set('query', r.query);
          url.searchParams.delete('documentId');
          if (extensions === undefined) url.searchParams.delete('extensions');
          else url.searchParams.set('extensions', JSON.stringify(extensions));
          req.url = `${url.pathname}${url.search}`;
        }
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

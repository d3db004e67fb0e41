import { createHash } from 'node:crypto';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { SqlClient } from '../../platform/db/sql.js';
import { AppError, badInput, ErrorCode } from '../../platform/errors.js';
import { parseOperation } from '../../platform/graphql/request-bounds.js';
import type { PersistedDocumentStore } from '../../platform/graphql/persisted.js';
import type { TenantSql } from '../../platform/db/tenant-sql.js';
import { remember } from '../../platform/lru.js';
import { assessOperation, type CostCalculator, type PlanLimits } from '../usage/index.js';

export const MAX_MANIFEST_DOCUMENTS = 500;
const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@/-]{0,99}$/;
const HASH = /^[0-9a-f]{64}$/;
/** Where a variable has no default, a list's page size is priced at its maximum. */
const WORST_PAGE = 100;

/** A value of `type` for pricing a document whose variable has no default (the most a client could ask). */
function placeholder(type: GraphQLInputType, depth = 0): unknown {
  if (type instanceof GraphQLNonNull) return placeholder(type.ofType, depth);
  if (type instanceof GraphQLList) return [placeholder(type.ofType, depth)];
  if (type instanceof GraphQLEnumType) return type.getValues()[0]?.value;
  if (type instanceof GraphQLInputObjectType) {
    const out: Record<string, unknown> = {};
    if (depth > 3) return out;
    for (const f of Object.values(type.getFields())) {
      if (f.type instanceof GraphQLNonNull && f.defaultValue === undefined) {
        out[f.name] = placeholder(f.type, depth + 1);
      }
    }
    return out;
  }
  const name = (type as GraphQLScalarType).name;
  switch (name) {
    case 'Int':
      return WORST_PAGE;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(0).toISOString();
    case 'JSON':
    case 'JSONObject':
      return {};
    default:
      return 'x';
  }
}

export interface Registered {
  hash: string;
  operationName: string | null;
  operationType: 'QUERY' | 'MUTATION' | 'SUBSCRIPTION';
  document: string;
  cost: number;
  depth: number;
}

/**
 * Checks a codegen manifest (`{ "<sha256>": "<document>" }`) against the schema and the plan:
 * each hash must be the document's SHA-256, each document one valid operation within the plan's
 * depth, alias, root-field and cost limits (priced with its variables' defaults, or the most
 * expensive value where there is none). All or nothing: any problem refuses the whole manifest,
 * each problem named with its hash and numbers.
 */
export function checkManifest(
  schema: GraphQLSchema,
  cost: CostCalculator,
  plan: PlanLimits,
  manifest: Record<string, unknown>,
): Registered[] {
  const entries = Object.entries(manifest);
  if (entries.length === 0) throw badInput('input.manifest', 'holds no documents.');
  if (entries.length > MAX_MANIFEST_DOCUMENTS) {
    throw badInput(
      'input.manifest',
      `holds ${entries.length} documents; at most ${MAX_MANIFEST_DOCUMENTS} per call.`,
    );
  }
  const out: Registered[] = [];
  const problems: Array<Record<string, unknown>> = [];
  let code: string = ErrorCode.BAD_USER_INPUT;
  for (const [hash, text] of entries) {
    const where = { documentId: `sha256:${hash}` };
    if (!HASH.test(hash)) {
      problems.push({ ...where, message: 'the key is not a lower-case SHA-256 hex digest.' });
      continue;
    }
    if (typeof text !== 'string') {
      problems.push({ ...where, message: 'the document is not a string.' });
      continue;
    }
    if (createHash('sha256').update(text).digest('hex') !== hash) {
      problems.push({ ...where, message: "the hash is not the document's SHA-256." });
      continue;
    }
    const parsed = parseOperation(schema, text, undefined);
    if (parsed.errors) {
      problems.push({ ...where, message: parsed.errors.map((e) => e.message).join(' ') });
      continue;
    }
    const { document, operation } = parsed;
    const variables: Record<string, unknown> = {};
    for (const v of operation.variableDefinitions ?? []) {
      if (v.defaultValue) continue;
      const type = typeFromAST(schema, v.type) as GraphQLInputType | undefined;
      if (type) variables[v.variable.name.value] = placeholder(type);
    }
    const name = operation.name?.value ?? null;
    let assessed;
    try {
      assessed = assessOperation(cost, plan, document, operation, variables, name);
    } catch (err) {
      problems.push({
        ...where,
        message: `cannot be priced: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    if (assessed.refusals.length) {
      code = assessed.refusals[0].extensions.code as string;
      for (const r of assessed.refusals) {
        problems.push({
          ...where,
          message: r.message,
          dimension: r.extensions.dimension,
          limit: r.extensions.limit,
          used: r.extensions.used,
        });
      }
      continue;
    }
    out.push({
      hash,
      operationName: name,
      operationType: operation.operation.toUpperCase() as Registered['operationType'],
      document: text,
      cost: assessed.requested ?? 0,
      depth: assessed.shape.depth,
    });
  }
  if (problems.length) {
    const shown = problems
      .slice(0, 5)
      .map((p) => `${String(p.documentId)}: ${String(p.message)}`)
      .join(' ');
    throw new AppError(
      code as ErrorCode,
      `${problems.length} problem(s) in the manifest; nothing was registered. ${shown}`,
      { documents: problems.slice(0, 100) },
    );
  }
  return out;
}

export function checkClientName(value: string): string {
  const name = value.trim();
  if (!CLIENT_NAME.test(name)) {
    throw badInput(
      'input.clientName',
      'must be 1–100 characters: letters, digits and . _ @ / -, starting with a letter or digit.',
    );
  }
  return name;
}

/**
 * Stores the checked documents (a hash already registered keeps its row); returns the keys of all
 * of them and how many were new.
 */
export async function storeDocuments(
  db: TenantSql,
  clientName: string,
  docs: Registered[],
): Promise<{ ids: string[]; inserted: number }> {
  const b = db.builder();
  const values = docs
    .map(
      (d) =>
        `(gen_random_uuid(), $1, now(), now(), ${b.param(clientName)}, ${b.param(d.hash)}, ${b.param(d.operationName)},
          ${b.param(d.operationType)}, ${b.param(d.document)}, ${b.param(d.cost)}, ${b.param(d.depth)}, 0)`,
    )
    .join(', ');
  const inserted = await db.query(
    `insert into persisted_document
       (id, organization_id, created_at, updated_at, client_name, hash, operation_name, operation_type, document, cost, depth, use_count)
     values ${values}
     on conflict (organization_id, hash) do nothing
     returning id`,
    b.params,
  );
  const keys = db.builder();
  const hashes = keys.param(docs.map((d) => d.hash));
  const rows = await db.query<{ id: string }>(
    `select id from persisted_document where organization_id = $1 and hash = any(${hashes}::text[]) order by created_at, hash`,
    keys.params,
  );
  return { ids: rows.map((r) => r.id), inserted: inserted.length };
}

/** How long a run's use is only counted in memory before it is written (last use to the minute). */
const TOUCH_MS = 60_000;
const LOCAL_ENTRIES = 5000;

/**
 * The registered documents as the request path reads them: a document's text never changes (its
 * id is its hash), so found texts are kept in memory; each run is counted, written at most once a
 * minute per document.
 */
export class PersistedStore implements PersistedDocumentStore {
  private readonly local = new Map<string, { text: string; touchedAt: number; pending: number }>();

  constructor(
    private readonly sql: Pick<SqlClient, 'query'>,
    readonly partnerAccess: (plan: string) => Promise<boolean>,
  ) {}

  async find(organizationId: string, sha256: string): Promise<string | null> {
    const key = `${organizationId}:${sha256}`;
    const now = Date.now();
    const hit = this.local.get(key);
    if (hit && now - hit.touchedAt < TOUCH_MS) {
      hit.pending += 1;
      return hit.text;
    }
    const rows = await this.sql.query<{ document: string }>(
      `update persisted_document set last_used_at = now(), use_count = use_count + $3
        where organization_id = $1 and hash = $2 returning document`,
      [organizationId, sha256, (hit?.pending ?? 0) + 1],
    );
    const text = rows[0]?.document;
    if (text === undefined) {
      this.local.delete(key);
      return null;
    }
    remember(this.local, key, { text, touchedAt: now, pending: 0 }, LOCAL_ENTRIES);
    return text;
  }
}

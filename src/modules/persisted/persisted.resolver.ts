import { GraphQLJSONObject } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { Arg, Authorized, Ctx, Field, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Caller } from '../../platform/graphql/caller.js';
import type { Principal, RequestContext } from '../../platform/graphql/context.js';
import { freshRow } from '../../platform/graphql/lists.js';
import { recordResolver, recordTypes, type RowOf } from '../../platform/records/index.js';
import type { CostCalculator, PlanCache } from '../usage/index.js';
import { persistedDocumentRecord } from './persisted-document.record.js';
import {
  checkClientName,
  checkManifest,
  MAX_MANIFEST_DOCUMENTS,
  storeDocuments,
} from './persisted.service.js';

const { node: PersistedDocumentNode } = recordTypes(persistedDocumentRecord);
type PersistedDocumentRow = RowOf<typeof persistedDocumentRecord>;

export interface PersistedDeps {
  schema?: GraphQLSchema;
  costCalculator?: CostCalculator;
  plans: PlanCache;
}

@InputType()
export class RegisterPersistedDocumentsInput {
  @Field({ description: 'The client the documents belong to, e.g. "partner-portal@1.4.0".' })
  clientName!: string;

  @Field(() => GraphQLJSONObject, {
    description: `GraphQL Code Generator's persisted-documents manifest: { "<sha256 hex>": "<document>" } (at most ${MAX_MANIFEST_DOCUMENTS}).`,
  })
  manifest!: Record<string, unknown>;
}

@ObjectType()
export class RegisterPersistedDocumentsPayload {
  @Field(() => [PersistedDocumentNode], { description: 'Every document of the manifest, in manifest order.' })
  documents!: PersistedDocumentRow[];

  @Field(() => Int, { description: 'Documents new to the organisation.' })
  registered!: number;

  @Field(() => Int, { description: 'Documents it had registered before (left as they were).' })
  alreadyRegistered!: number;
}

/**
 * Trusted documents (CONTRACT §9): `persistedDocuments` (uniform list: filter by client, order by
 * cost or last use) and `registerPersistedDocuments` (admin), all or nothing.
 */
@Resolver(() => PersistedDocumentNode)
export class PersistedDocumentResolver extends recordResolver(persistedDocumentRecord, {
  texts: { list: "The organisation's registered documents, with their cost and last use." },
}) {
  constructor(private readonly deps: PersistedDeps) {
    super();
  }

  @Authorized('admin')
  @Mutation(() => RegisterPersistedDocumentsPayload, {
    description:
      'Registers a codegen manifest: each hash checked, each document validated against the schema and priced once (refused with the numbers when over the plan\'s limits). All or nothing. The documents then run by id: {"documentId": "sha256:<hash>"}.',
  })
  async registerPersistedDocuments(
    @Arg('input') input: RegisterPersistedDocumentsInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ): Promise<RegisterPersistedDocumentsPayload> {
    const { schema, costCalculator } = this.deps;
    if (!schema || !costCalculator) throw new Error('registerPersistedDocuments is not wired');
    const clientName = checkClientName(input.clientName);
    const [org] = await ctx.db.query<{ plan: string }>('select plan from organization where id = $1');
    const plan = await this.deps.plans.get(org?.plan ?? caller.plan);
    const docs = checkManifest(schema, costCalculator, plan, input.manifest);
    const { ids, inserted } = await storeDocuments(ctx.db, clientName, docs);
    // One read for all of them (the row loader batches the loads of one tick).
    const rows = await Promise.all(
      ids.map((id) => freshRow<PersistedDocumentRow>(ctx, persistedDocumentRecord.list, id)),
    );
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    return {
      documents: docs.flatMap((d) => byHash.get(d.hash) ?? []),
      registered: inserted,
      alreadyRegistered: docs.length - inserted,
    };
  }
}

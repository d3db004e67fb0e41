import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';
import { datetime, defineRecord, enumOf, int, text } from '../../platform/records/index.js';

export const OperationKind = defineEnum('OperationKind', 'QUERY MUTATION SUBSCRIPTION');
export type OperationKind = EnumOf<typeof OperationKind>;

/**
 * A trusted document (CONTRACT §9): an operation a partner registered from its codegen manifest,
 * run by id (`documentId: "sha256:<hash>"` or APQ's hash) — the only thing a persisted-only key
 * may run. Its cost and depth are computed once, at registration.
 */
export const persistedDocumentRecord = defineRecord({
  typeName: 'PersistedDocument',
  plural: 'persistedDocuments',
  table: 'persisted_document',
  softDelete: false,
  description: 'A registered operation, run by its documentId.',
  columns: {
    clientName: text({ order: true, description: 'The client (application) that registered it.' }),
    hash: text({ description: 'SHA-256 of the document text (hex); its documentId is "sha256:<hash>".' }),
    operationName: text({ nullable: true, order: true }),
    operationType: enumOf(OperationKind, 'OperationKind'),
    document: text({ filter: false, description: 'The document text, as registered.' }),
    cost: int({
      order: true,
      description:
        'Requested cost at registration, with variables at their defaults (or, without one, the most expensive value: a page of 100).',
    }),
    depth: int({ order: true }),
    lastUsedAt: datetime({ nullable: true, order: true, description: 'Last run (to the minute).' }),
    useCount: int({ filter: false, default: () => 0, dbDefault: 0, description: 'Runs (may lag a minute).' }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  indexes: [['clientName']],
  uniques: [['organization', 'hash']],
});

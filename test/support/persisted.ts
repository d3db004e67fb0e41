import { createHash } from 'node:crypto';
import { clientFor } from './graphql';
import type { TestServer } from './server';

/** Registers `documents` as a codegen-style manifest for `clientName`; returns their documentIds. */
export async function registerDocuments(
  server: TestServer,
  key: string,
  clientName: string,
  documents: string[],
): Promise<string[]> {
  const manifest = Object.fromEntries(
    documents.map((d) => [createHash('sha256').update(d).digest('hex'), d]),
  );
  await clientFor(server, key).data(
    'mutation($input: RegisterPersistedDocumentsInput!) { registerPersistedDocuments(input: $input) { registered } }',
    { input: { clientName, manifest } },
  );
  return Object.keys(manifest).map((h) => `sha256:${h}`);
}

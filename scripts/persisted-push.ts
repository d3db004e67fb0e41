import { readFileSync } from 'node:fs';

/**
 * `npm run persisted:push -- <manifest.json> [--client <name>] [--url <graphql url>]`: registers a
 * GraphQL Code Generator persisted-documents manifest through the API (registerPersistedDocuments),
 * with the admin key in WORKPEX_API_KEY. The URL defaults to WORKPEX_URL, else
 * http://localhost:4000/graphql; the client name to the manifest's file name.
 * Prints each document's id, operation and cost; exits 1 on any refusal (nothing is registered).
 */

const MUTATION = `mutation Register($input: RegisterPersistedDocumentsInput!) {
  registerPersistedDocuments(input: $input) {
    registered
    alreadyRegistered
    documents { hash operationName operationType cost depth }
  }
}`;

function usage(message: string): never {
  console.error(
    `${message}\nUsage: npm run persisted:push -- <manifest.json> [--client <name>] [--url <graphql url>]`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let file: string | undefined;
  let client: string | undefined;
  let url = process.env.WORKPEX_URL ?? 'http://localhost:4000/graphql';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--client') client = args[++i];
    else if (args[i] === '--url') url = args[++i] ?? url;
    else if (!file) file = args[i];
    else usage(`Unexpected argument ${args[i]}.`);
  }
  if (!file) usage('No manifest given.');
  const key = process.env.WORKPEX_API_KEY;
  if (!key) usage('Set WORKPEX_API_KEY to an admin API key.');
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    usage(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const clientName = client ?? file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ query: MUTATION, variables: { input: { clientName, manifest } } }),
  });
  const body = (await res.json()) as {
    data?: {
      registerPersistedDocuments: {
        registered: number;
        alreadyRegistered: number;
        documents: Array<{
          hash: string;
          operationName: string | null;
          operationType: string;
          cost: number;
          depth: number;
        }>;
      } | null;
    } | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
  const result = body.data?.registerPersistedDocuments;
  if (!result) {
    for (const e of body.errors ?? [{ message: `HTTP ${res.status}` }]) {
      console.error(`${String(e.extensions?.code ?? 'ERROR')}: ${e.message}`);
      const docs = e.extensions?.documents;
      if (Array.isArray(docs)) for (const d of docs) console.error(`  ${JSON.stringify(d)}`);
    }
    process.exit(1);
  }
  for (const d of result.documents) {
    console.log(
      `sha256:${d.hash}  ${d.operationType.toLowerCase()} ${d.operationName ?? '(anonymous)'}  cost ${d.cost}, depth ${d.depth}`,
    );
  }
  console.log(
    `${result.registered} registered, ${result.alreadyRegistered} already registered (client ${clientName}).`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

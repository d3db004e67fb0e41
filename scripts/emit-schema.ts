import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildAppSchema, printAppSchema } from '../src/platform/graphql/schema.js';
import { resolvers } from '../src/modules.js';

/** Writes the code-first schema to schema/schema.graphql (no database needed). */
async function main(): Promise<void> {
  const schema = await buildAppSchema(resolvers, {});
  mkdirSync('schema', { recursive: true });
  writeFileSync('schema/schema.graphql', printAppSchema(schema));
  console.log('Wrote schema/schema.graphql');
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

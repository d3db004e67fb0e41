import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAppSchema, printAppSchema } from '../src/platform/graphql/schema';
import { resolvers } from '../src/modules';

const SCHEMA_FILE = path.resolve(__dirname, '..', 'schema', 'schema.graphql');

/** Lines present on one side only (order kept), so the failure points at what changed. */
function lineChanges(committed: string, fromCode: string, max = 40): string {
  const count = (lines: string[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const oldLines = committed.split('\n');
  const newLines = fromCode.split('\n');
  const oldCount = count(oldLines);
  const newCount = count(newLines);
  const only = (lines: string[], own: Map<string, number>, other: Map<string, number>, sign: string) => {
    const seen = new Map<string, number>();
    return lines.flatMap((l, i) => {
      const n = (seen.get(l) ?? 0) + 1;
      seen.set(l, n);
      return n > (other.get(l) ?? 0) && n <= (own.get(l) ?? 0)
        ? [`${sign} ${i + 1}: ${l.trim() ? l : '(empty line)'}`]
        : [];
    });
  };
  const changes = [
    ...only(oldLines, oldCount, newCount, '- committed line'),
    ...only(newLines, newCount, oldCount, '+ code line'),
  ];
  const shown = changes.slice(0, max).join('\n');
  return changes.length > max ? `${shown}\n… and ${changes.length - max} more` : shown;
}

describe('schema/schema.graphql', () => {
  it('matches the schema built from the code', async () => {
    const fromCode = printAppSchema(await buildAppSchema(resolvers, {}));
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    if (fromCode !== committed) {
      throw new Error(
        'schema/schema.graphql is out of date with the resolvers: run `npm run schema` and commit the result ' +
          '(then `npm run codegen` if the examples are affected).\n\n' +
          (lineChanges(committed, fromCode) || '(only whitespace or line order differs)'),
      );
    }
  });
});

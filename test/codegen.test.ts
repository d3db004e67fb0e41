import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import {
  buildSchema,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const GENERATED = path.join(EXAMPLES, 'generated');
const GROUPS = ['frontend', 'dashboard', 'partner'];

interface Operation {
  file: string;
  node: OperationDefinitionNode;
}

/** Every example document (examples/**\/*.graphql outside generated/), parsed. */
function loadExamples(): { operations: Operation[]; fragments: Map<string, FragmentDefinitionNode> } {
  const files = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.graphql') && !path.join(EXAMPLES, f).startsWith(GENERATED + path.sep))
    .sort();
  const operations: Operation[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of files) {
    const doc = parse(readFileSync(path.join(EXAMPLES, file), 'utf8'));
    for (const def of doc.definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) operations.push({ file, node: def });
      else if (def.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(def.name.value))
          throw new Error(`${file}: fragment ${def.name.value} is defined twice.`);
        fragments.set(def.name.value, def);
      } else throw new Error(`${file}: only operations and fragments belong in an example document.`);
    }
  }
  return { operations, fragments };
}

/** The operation with every fragment it uses, directly or not: what a client sends. */
function executableDocument(op: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>) {
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !used.has(name)) {
          used.set(name, fragment);
          collect(fragment);
        }
      },
    });
  collect(op);
  const doc: DocumentNode = { kind: Kind.DOCUMENT, definitions: [op, ...used.values()] };
  return doc;
}

const operationNames = (doc: DocumentNode): string[] =>
  doc.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));

describe('GraphQL Codegen examples', () => {
  let schema: GraphQLSchema;
  let examples: ReturnType<typeof loadExamples>;
  /** Absolute path → content, as `npm run codegen` would write it now; or why generation failed. */
  let generated: Map<string, string> | Error;
  const fresh = (): Map<string, string> => {
    if (generated instanceof Error) throw generated;
    return generated;
  };

  beforeAll(async () => {
    schema = buildSchema(readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8'));
    examples = loadExamples();
    try {
      const { config } = await loadCodegenConfig({ configFilePath: path.join(ROOT, 'codegen.yml') });
      // saveToFile = false: the same generation as the CLI, returned instead of written.
      const outputs = (await generate({ ...config, cwd: ROOT, silent: true }, false)) as {
        filename: string;
        content: string;
      }[];
      generated = new Map(outputs.map((o) => [path.resolve(ROOT, o.filename), o.content]));
    } catch (err) {
      // Reported by the tests that need the output; the validation test explains invalid documents.
      generated = err instanceof Error ? err : new Error(String(err));
    }
  });

  it('has named operations for the frontend, the dashboard and partners', () => {
    const names = examples.operations.map((o) => o.node.name?.value);
    expect(names).not.toContain(undefined);
    expect(new Set(names).size).toBe(names.length);
    const groupsWithout = GROUPS.filter(
      (g) => !examples.operations.some((o) => o.file.startsWith(g + path.sep)),
    );
    expect(groupsWithout).toEqual([]);
  });

  it('validates every example operation against schema/schema.graphql', () => {
    const problems = examples.operations.flatMap(({ file, node }) =>
      validate(schema, executableDocument(node, examples.fragments)).map(
        (e) => `examples/${file} (${node.name?.value}): ${e.message}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('writes a persisted-documents manifest keyed by the sha256 of each operation', () => {
    const manifestText = fresh().get(path.join(GENERATED, 'persisted-documents.json'));
    expect(manifestText).toBeDefined();
    const manifest = JSON.parse(manifestText ?? '{}') as Record<string, string>;
    for (const [hash, text] of Object.entries(manifest)) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
    }
    const inManifest = Object.values(manifest).flatMap((text) => operationNames(parse(text)));
    const inExamples = examples.operations.map((o) => o.node.name?.value);
    expect(inManifest.sort()).toEqual(inExamples.sort());
  });

  it('has an up-to-date examples/generated/ committed', () => {
    const committed = existsSync(GENERATED)
      ? readdirSync(GENERATED, { recursive: true, encoding: 'utf8' }).map((f) => path.join(GENERATED, f))
      : [];
    const output = fresh();
    const stale = [
      ...[...output].flatMap(([file, content]) =>
        existsSync(file) && readFileSync(file, 'utf8') === content ? [] : [`${file} (changed or missing)`],
      ),
      ...committed.filter((file) => !output.has(file)).map((file) => `${file} (no longer generated)`),
    ].map((entry) => path.relative(ROOT, entry));
    if (stale.length) {
      throw new Error(
        `examples/generated/ is out of date: run \`npm run codegen\` and commit the result.\n  ${stale.join('\n  ')}`,
      );
    }
  });

  it('generates TypeScript that compiles for a strict client', () => {
    const options: ts.CompilerOptions = {
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: true,
    };
    // Compiles the fresh output, not what happens to be on disk.
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile } = host;
    const output = fresh();
    host.fileExists = (f) => output.has(path.resolve(f)) || fileExists.call(host, f);
    host.readFile = (f) => output.get(path.resolve(f)) ?? readFile.call(host, f);
    const files = [...output.keys()].filter((f) => f.endsWith('.ts'));
    const program = ts.createProgram(files, options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => '\n',
    });
    expect(text).toBe('');
  });
});

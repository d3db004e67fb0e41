/**
 * Statement audit: does every organisation-owned table a SQL statement reads keep to one
 * organisation? It reads our own generated SQL (pagination, filters, loaders), not arbitrary
 * SQL: a small tokenizer, FROM/JOIN items with their aliases, and `x.organization_id = …`
 * predicates, resolved by scope (each parenthesised sub-select is a scope of its own).
 *
 * A table occurrence is scoped when, in its own sub-select (not in a nested one), the statement has
 * - `<alias>.organization_id = $n` or `= any($n…)` (either side of the `=`), or
 * - `<alias>.organization_id = <other>.organization_id` where `<other>` is itself scoped (an
 *   outer alias included: correlated sub-selects link to the row they test).
 * A table without an alias is named by itself, and an unqualified `organization_id` refers to
 * the only organisation-owned table of the nearest sub-select that has one.
 *
 * It checks that the predicate is there, not that it is a top-level conjunct (`… or true`
 * would pass); UPDATE targets and INSERT columns are not checked.
 */

interface Token {
  kind: 'ident' | 'param' | 'op' | 'punct' | 'other';
  /** Lower-cased for unquoted identifiers and keywords; as written for quoted ones. */
  text: string;
}

const TOKEN =
  /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_$]*)|(\$\d+)|(\d+(?:\.\d+)?)|([(),.;[\]])|(::|[<>=!~+\-*/%^|&@#?:]+)|(.)/gy;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text))) {
    const [, quoted, word, param, number, punct, op, other] = m;
    if (quoted !== undefined) out.push({ kind: 'ident', text: quoted.replace(/""/g, '"') });
    else if (word !== undefined) out.push({ kind: 'ident', text: word.toLowerCase() });
    else if (param !== undefined) out.push({ kind: 'param', text: param });
    else if (punct !== undefined) out.push({ kind: 'punct', text: punct });
    else if (op !== undefined) out.push({ kind: 'op', text: op });
    else if (number !== undefined || other !== undefined || m[0].startsWith("'")) {
      out.push({ kind: 'other', text: m[0] }); // numbers, string literals, anything else
    }
    // whitespace and comments: nothing
  }
  return out;
}

/** Words after a table name that are not its alias. */
const NOT_ALIAS = new Set(
  (
    'where join inner left right full outer cross natural on using group order limit offset having window ' +
    'union intersect except for returning fetch tablesample set with select from and or not into values do lateral'
  ).split(' '),
);

interface Scope {
  parent: Scope | null;
  /** A sub-select (or the statement itself): predicates and table occurrences belong to one. */
  select: boolean;
  /** Opened as a FROM/JOIN item (`from (select …) s`, `from unnest(…) e`): its alias follows `)`. */
  fromItem: boolean;
}

interface Binding {
  /** The organisation-owned table, or null for anything else that binds a name. */
  table: string | null;
  name: string;
  scope: Scope;
}

/** `<qualifier>.organization_id` (qualifier null: unqualified), a parameter, or something else. */
type Operand = { qualifier: string | null } | 'param' | null;

interface Comparison {
  scope: Scope;
  left: Operand;
  right: Operand;
}

const ORG = 'organization_id';

/** The sub-select a scope belongs to: itself, or the nearest enclosing select. */
function home(scope: Scope): Scope {
  let s = scope;
  while (!s.select && s.parent) s = s.parent;
  return s;
}

/**
 * Occurrences of tenant tables (as `table alias`, or `table` when it has no alias) that the
 * statement does not keep to one organisation; [] when it touches no tenant table.
 */
export function tenantViolations(text: string, tenantTables: ReadonlySet<string>): string[] {
  const tokens = tokenize(text);
  const at = (i: number): Token | undefined => tokens[i];
  const is = (i: number, t: string) => tokens[i]?.text === t && tokens[i].kind !== 'other';
  const isIdent = (i: number) => at(i)?.kind === 'ident';

  const bindings: Binding[] = [];
  const comparisons: Comparison[] = [];
  let scope: Scope = { parent: null, select: true, fromItem: false };
  let nextGroupIsFromItem = false;

  /** An optional `[as] alias` at i: binds it, returns the index after it. */
  const aliasAt = (i: number, table: string | null, fallback: string | null): number => {
    let j = i;
    if (is(j, 'as')) j += 1;
    if (isIdent(j) && !NOT_ALIAS.has(tokens[j].text)) {
      bindings.push({ table, name: tokens[j].text, scope });
      return j + 1;
    }
    if (fallback !== null) bindings.push({ table, name: fallback, scope });
    return j;
  };

  /** A FROM/JOIN item starting at i; returns the index of the last token it consumed. */
  const fromItem = (i: number): number => {
    let j = i;
    while (is(j, 'only') || is(j, 'lateral')) j += 1;
    if (is(j, '(')) {
      nextGroupIsFromItem = true;
      return j - 1;
    }
    if (!isIdent(j)) return i - 1; // `is distinct from $1`, `extract(epoch from …)` and the like
    let name = tokens[j].text;
    while (is(j + 1, '.') && isIdent(j + 2)) {
      j += 2;
      name = tokens[j].text;
    }
    if (is(j + 1, '(')) {
      // A set-returning function: `from unnest(t.emails) e`.
      nextGroupIsFromItem = true;
      return j;
    }
    const table = tenantTables.has(name) ? name : null;
    const after = aliasAt(j + 1, table, name);
    return is(after, ',') ? fromItem(after + 1) : after - 1;
  };

  const operand = (i: number, dir: 1 | -1): Operand => {
    const t = at(i);
    if (!t) return null;
    if (dir === 1) {
      if (t.kind === 'param') return 'param';
      if (is(i, 'any') && is(i + 1, '(') && at(i + 2)?.kind === 'param') return 'param';
      if (isIdent(i) && is(i + 1, '.') && is(i + 2, ORG)) return { qualifier: t.text };
      if (is(i, ORG) && !is(i + 1, '.')) return { qualifier: null };
      return null;
    }
    if (t.kind === 'param') return 'param';
    if (!is(i, ORG)) return null;
    if (!is(i - 1, '.')) return { qualifier: null };
    return isIdent(i - 2) ? { qualifier: tokens[i - 2].text } : null;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'punct' && t.text === '(') {
      scope = { parent: scope, select: false, fromItem: nextGroupIsFromItem };
      nextGroupIsFromItem = false;
    } else if (t.kind === 'punct' && t.text === ')') {
      const closed = scope;
      scope = scope.parent ?? scope;
      if (closed.fromItem) {
        const after = aliasAt(i + 1, null, null);
        i = is(after, ',') ? fromItem(after + 1) : after - 1;
      }
    } else if (t.kind === 'ident' && t.text === 'select') {
      scope.select = true;
    } else if (t.kind === 'ident' && (t.text === 'union' || t.text === 'intersect' || t.text === 'except')) {
      // Each branch of a set operation names its own tables.
      scope = { parent: scope.parent, select: true, fromItem: scope.fromItem };
    } else if (t.kind === 'ident' && (t.text === 'from' || t.text === 'join')) {
      i = fromItem(i + 1);
    } else if (t.kind === 'op' && t.text === '=') {
      comparisons.push({ scope, left: operand(i - 1, -1), right: operand(i + 1, 1) });
    }
  }

  if (!bindings.some((b) => b.table)) return [];

  /** The binding a reference names, by SQL's rule: the nearest enclosing scope that binds it. */
  const resolve = (ref: { qualifier: string | null }, from: Scope): Binding | undefined => {
    for (let s: Scope | null = from; s; s = s.parent) {
      const here = bindings.filter((b) => b.scope === s);
      if (ref.qualifier !== null) {
        const named = here.find((b) => b.name === ref.qualifier);
        if (named) return named;
      } else if (here.length) {
        const owned = here.filter((b) => b.table);
        // Unqualified and ambiguous (or not a tenant table): proves nothing.
        return owned.length === 1 ? owned[0] : undefined;
      }
    }
    return undefined;
  };

  const scoped = new Set<Binding>();
  const links: Array<[target: Binding, source: Binding]> = [];
  for (const c of comparisons) {
    const where = home(c.scope);
    const sides: Array<[Operand, Operand]> = [
      [c.left, c.right],
      [c.right, c.left],
    ];
    for (const [self, other] of sides) {
      if (!self || self === 'param') continue;
      const target = resolve(self, c.scope);
      // A predicate scopes a table only in the table's own sub-select.
      if (!target || home(target.scope) !== where) continue;
      if (other === 'param') scoped.add(target);
      else if (other) {
        const source = resolve(other, c.scope);
        if (source && source !== target) links.push([target, source]);
      }
    }
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const [target, source] of links) {
      if (scoped.has(source) && !scoped.has(target)) {
        scoped.add(target);
        grew = true;
      }
    }
  }

  return bindings
    .filter((b) => b.table && !scoped.has(b))
    .map((b) => (b.name === b.table ? b.table : `${b.table} ${b.name}`));
}

/** What `tenantTablesOf` reads of MikroORM's metadata (`orm.getMetadata().getAll()`). */
export interface TenantMetadataSource {
  getMetadata(): {
    getAll(): Record<
      string,
      {
        tableName: string;
        embeddable?: boolean;
        virtual?: boolean;
        properties: Record<string, { fieldNames?: string[] }>;
      }
    >;
  };
}

/**
 * Organisation-owned tables: those of entities with an `organization` reference or any other
 * property stored in `organization_id` (the usage tables key on `organizationId`). The
 * `organization` table itself is keyed by `id`.
 */
export function tenantTablesOf(orm: TenantMetadataSource): Set<string> {
  const out = new Set<string>();
  for (const meta of Object.values(orm.getMetadata().getAll())) {
    if (meta.embeddable || meta.virtual || !meta.tableName) continue;
    const owned = Object.entries(meta.properties).some(
      ([name, p]) => name === 'organization' || (p.fieldNames ?? []).includes(ORG),
    );
    if (owned) out.add(meta.tableName);
  }
  return out;
}

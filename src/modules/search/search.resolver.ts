import {
  Arg,
  Authorized,
  Ctx,
  createUnionType,
  ID,
  Int,
  Query,
  Resolver,
  registerEnumType,
} from 'type-graphql';
import { badInput } from '../../platform/errors.js';
import { requireScope, type RequestContext } from '../../platform/graphql/context.js';
import { rowLoader } from '../../platform/graphql/loaders.js';
import { NodeInterface } from '../../platform/graphql/node.js';
import { escapeLike } from '../../platform/filtering.js';
import { parseGlobalId } from '../../platform/ids.js';
import { selectList, toNode, type ListSpec, type NodeRow } from '../../platform/pagination.js';
import { companyList, CompanyNode } from '../companies/index.js';
import { contactList, ContactNode } from '../contacts/index.js';
import { dealList, DealNode } from '../deals/index.js';

export enum SearchType {
  CONTACT = 'Contact',
  COMPANY = 'Company',
  DEAL = 'Deal',
}
registerEnumType(SearchType, { name: 'SearchType' });

export const SearchResult = createUnionType({
  name: 'SearchResult',
  description: 'A contact, company or deal matching a search.',
  types: () => [ContactNode, CompanyNode, DealNode] as const,
  resolveType: (value: object) => parseGlobalId((value as { id: string }).id)?.type,
});

/** What each searchable type matches on: `q` is the ILIKE pattern, `p` the prefix pattern. */
const searchable: Record<SearchType, { spec: ListSpec; text: string; prefix: string }> = {
  [SearchType.CONTACT]: {
    spec: contactList,
    text: `(concat_ws(' ', t.first_name, t.last_name) ilike $2 or exists (select 1 from unnest(t.emails) e where e ilike $2))`,
    prefix: `(concat_ws(' ', t.first_name, t.last_name) ilike $3 or t.last_name ilike $3 or t.emails[1] ilike $3)`,
  },
  [SearchType.COMPANY]: {
    spec: companyList,
    text: `(t.name ilike $2 or t.domain ilike $2)`,
    prefix: `(t.name ilike $3 or t.domain ilike $3)`,
  },
  [SearchType.DEAL]: { spec: dealList, text: `t.name ilike $2`, prefix: `t.name ilike $3` },
};

export interface NodeDeps {
  /** Every type `node(id)` can return, by the type name inside its global id (from the module list). */
  nodeTypes: ReadonlyMap<string, ListSpec>;
}

@Resolver()
export class NodeResolver {
  constructor(private readonly deps: NodeDeps) {}

  @Authorized('read')
  @Query(() => NodeInterface, {
    nullable: true,
    description: 'Any object by global id; null if not visible.',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<NodeRow | null> {
    requireScope(ctx, 'read');
    const parsed = parseGlobalId(id);
    const spec = parsed && this.deps.nodeTypes.get(parsed.type);
    return spec && parsed ? rowLoader<NodeRow>(ctx, spec).load(parsed.id) : null;
  }

  @Authorized('read')
  @Query(() => [NodeInterface], {
    nullable: 'items',
    description: 'Objects by global id, in order; null where not visible (max 100).',
  })
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext): Promise<(NodeRow | null)[]> {
    if (ids.length > 100) throw badInput('ids', 'accepts at most 100 ids.');
    return Promise.all(ids.map((id) => this.node(id, ctx)));
  }

  @Authorized('read')
  @Query(() => [SearchResult], {
    description:
      'Contacts (name, emails), companies (name, domain) and deals (name) containing the text, case-insensitive; prefix matches first, then most recently updated.',
  })
  async search(
    @Arg('text') text: string,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Max 50.' }) first: number,
    @Arg('types', () => [SearchType], { nullable: true, description: 'Default: all.' })
    types?: SearchType[] | null,
  ): Promise<NodeRow[]> {
    requireScope(ctx, 'read');
    const q = text.trim();
    if (q.length < 1 || q.length > 200) throw badInput('text', 'must have 1 to 200 characters.');
    if (first < 1 || first > 50) throw badInput('first', 'must be between 1 and 50.');
    const wanted = types?.length ? [...new Set(types)] : Object.values(SearchType);
    const params = [`%${escapeLike(q)}%`, `${escapeLike(q)}%`, first];
    const lists = await Promise.all(
      wanted.map(async (type) => {
        const { spec, text: match, prefix } = searchable[type];
        const rows = await ctx.db.query(
          `select ${selectList(spec, 't')}, (case when ${prefix} then 0 else 1 end) as __rank from ${spec.table} t
            where t.organization_id = $1 and t.deleted_at is null and ${match}
            order by __rank, t.updated_at desc, t.id limit $4`,
          params,
        );
        return rows.map((r) => ({ rank: r.__rank as number, row: r }));
      }),
    );
    return lists
      .flat()
      .sort(
        (a, b) =>
          // ISO strings in one format: text order is time order.
          a.rank - b.rank || String(b.row.updatedAt).localeCompare(String(a.row.updatedAt)),
      )
      .slice(0, first)
      .map(({ row }, i) => {
        delete row.__rank;
        void i;
        return toNode<NodeRow>(nodeTypeOf(row, lists, wanted), row);
      });
  }
}

function nodeTypeOf(
  row: Record<string, unknown>,
  lists: { row: Record<string, unknown> }[][],
  wanted: SearchType[],
): string {
  const at = lists.findIndex((l) => l.some((x) => x.row === row));
  return wanted[at];
}

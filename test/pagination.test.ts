import { startServer, type GraphQLResponse, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { codesOf, dataOf, errorOf } from './support/graphql';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface ContactPage {
  totalCount: number;
  edges: { cursor: string; node: { id: string; jobTitle: string | null; lifecycleStage: string | null } }[];
  pageInfo: PageInfo;
}
interface PageVars {
  first?: number;
  after?: string | null;
  last?: number;
  before?: string | null;
  orderBy?: { field: string; direction?: string; nulls?: string }[];
  filter?: Record<string, unknown>;
}

const CONTACTS = `query($first: Int, $after: String, $last: Int, $before: String, $orderBy: [ContactOrder!], $filter: ContactFilter) {
  contacts(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, filter: $filter) {
    totalCount
    edges { cursor node { id jobTitle lifecycleStage } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const TOTAL = 23;
const TITLES = ['Analyst', 'Buyer', 'Chief', 'Director'];
/** Every third contact has no job title; the others repeat a few titles (ties need the tie-break). */
const titleOf = (i: number): string | null => (i % 3 === 0 ? null : TITLES[i % TITLES.length]);
/** Every other contact has no stage: a second nullable term with its own ties. */
const stageOf = (i: number): string | null => (i % 2 ? null : i % 4 ? 'CUSTOMER' : 'LEAD');

describe('contacts pagination', () => {
  let server: TestServer;
  let org: SeededOrg;
  let ids: string[];

  const page = async (vars: PageVars): Promise<ContactPage> =>
    dataOf(await server.gql<{ contacts: ContactPage }>(CONTACTS, { ...vars }, org.key)).contacts;

  /** Follows endCursor until hasNextPage is false; returns the ids in order and each page. */
  async function pageForward(size: number, vars: PageVars = {}) {
    const pages: ContactPage[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const p = await page({ ...vars, first: size, after });
      pages.push(p);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    return { ids: pages.flatMap((p) => p.edges.map((e) => e.node.id)), pages };
  }

  /** Follows startCursor backwards until hasPreviousPage is false; returns the ids in list order. */
  async function pageBackward(size: number, vars: PageVars = {}) {
    const pages: ContactPage[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const p = await page({ ...vars, last: size, before });
      pages.unshift(p);
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    return { ids: pages.flatMap((p) => p.edges.map((e) => e.node.id)), pages };
  }

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server)
      .org('Paging Co')
      .withContacts(TOTAL, { extra: (i) => ({ jobTitle: titleOf(i), lifecycleStage: stageOf(i) }) });
    ids = org.contacts.map((c) => c.id);
  });
  afterAll(() => server.close());

  it('pages forward with first/after through every contact exactly once, in creation order', async () => {
    const { ids: seen, pages } = await pageForward(5);
    expect(seen).toEqual(ids);
    expect(pages.map((p) => p.edges.length)).toEqual([5, 5, 5, 5, 3]);
  });

  it('pages backward with last/before through every contact exactly once, in creation order', async () => {
    const { ids: seen, pages } = await pageBackward(5);
    expect(seen).toEqual(ids);
    expect(pages.map((p) => p.edges.length)).toEqual([3, 5, 5, 5, 5]);
  });

  it('reports pageInfo and cursors at both ends when paging forward', async () => {
    const { pages } = await pageForward(10);
    const [head, , tail] = pages;
    expect(head.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: head.edges[0].cursor,
      endCursor: head.edges[9].cursor,
    });
    expect(tail.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: tail.edges[0].cursor,
      endCursor: tail.edges[2].cursor,
    });
  });

  it('reports pageInfo and cursors at both ends when paging backward', async () => {
    const { pages } = await pageBackward(10);
    const [head, , tail] = pages;
    expect(tail.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: tail.edges[0].cursor,
      endCursor: tail.edges[9].cursor,
    });
    expect(head.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: head.edges[0].cursor,
      endCursor: head.edges[2].cursor,
    });
  });

  it('returns an empty page with null cursors after the last contact', async () => {
    const last = await page({ last: 1 });
    const p = await page({ first: 5, after: last.pageInfo.endCursor });
    expect(p.edges).toEqual([]);
    expect(p.pageInfo.hasNextPage).toBe(false);
    expect(p.pageInfo.startCursor).toBeNull();
    expect(p.pageInfo.endCursor).toBeNull();
  });

  it('returns 20 contacts when no page size is given', async () => {
    const p = await page({});
    expect(p.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 20));
    expect(p.pageInfo.hasNextPage).toBe(true);
  });

  it('reports hasNextPage with first: 0 when contacts exist (Relay: more edges than first)', async () => {
    const p = await page({ first: 0 });
    expect(p.edges).toEqual([]);
    expect(p.pageInfo.hasNextPage).toBe(true);
  });

  it('accepts first: 100, the maximum page size', async () => {
    const p = await page({ first: 100 });
    expect(p.edges.map((e) => e.node.id)).toEqual(ids);
  });

  it('reports totalCount of every matching contact whatever the page size or cursor', async () => {
    const { pages: forward } = await pageForward(7);
    const { pages: backward } = await pageBackward(7);
    const counts = [...forward, ...backward].map((p) => p.totalCount);
    expect(counts).toEqual(new Array(counts.length).fill(TOTAL));
    expect((await page({ first: 0 })).totalCount).toBe(TOTAL);
  });

  it('reports totalCount of the filtered contacts, not of the page', async () => {
    const untitled = ids.filter((_, i) => titleOf(i) === null);
    const first = await page({ first: 2, filter: { jobTitle: { isNull: true } } });
    const next = await page({
      first: 2,
      after: first.pageInfo.endCursor,
      filter: { jobTitle: { isNull: true } },
    });
    expect([first.totalCount, next.totalCount]).toEqual([untitled.length, untitled.length]);
    expect([...first.edges, ...next.edges].map((e) => e.node.id)).toEqual(untitled.slice(0, 4));
  });

  it.each([
    [{ first: 101 }, 'first'],
    [{ last: 101 }, 'last'],
    [{ first: -1 }, 'first'],
  ])('refuses a page size outside 0..100 (%j) with BAD_USER_INPUT', async (vars, field) => {
    const res = await server.gql(CONTACTS, vars, org.key);
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.body.data ?? null).toBeNull();
  });

  it('refuses first and last together with BAD_USER_INPUT', async () => {
    const res = await server.gql(CONTACTS, { first: 5, last: 5 }, org.key);
    expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['after', 'garbage'],
    ['before', 'not a cursor at all!'],
    ['after', Buffer.from('{"a":1}').toString('base64url')],
    ['after', Buffer.from('["2026-01-01T00:00:00.000Z"]').toString('base64url')],
  ])('refuses a garbage %s cursor (%s) with BAD_USER_INPUT', async (arg, cursor) => {
    const res = await server.gql(CONTACTS, { first: 5, [arg]: cursor }, org.key);
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: arg });
  });

  it('refuses a cursor minted under a different orderBy with BAD_USER_INPUT', async () => {
    // The schema says cursors are valid only with the same orderBy: a client that reuses one
    // across orders must be told so, not get an internal error.
    const byTitle = await page({ first: 1, orderBy: [{ field: 'JOB_TITLE' }] });
    expect(byTitle.edges[0].node.jobTitle).not.toBeNull();
    const res = await server.gql(CONTACTS, { first: 5, after: byTitle.pageInfo.endCursor }, org.key);
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  describe('ordering by a nullable field (JOB_TITLE)', () => {
    const titles = Array.from({ length: TOTAL }, (_, i) => titleOf(i));
    const present = titles.filter((t): t is string => t !== null).sort();
    const nulls = titles.filter((t) => t === null);
    const expected = (direction: string, nullsAt: string) => {
      const sorted = direction === 'DESC' ? [...present].reverse() : present;
      return nullsAt === 'FIRST' ? [...nulls, ...sorted] : [...sorted, ...nulls];
    };
    const combos = [
      ['ASC', 'FIRST'],
      ['ASC', 'LAST'],
      ['DESC', 'FIRST'],
      ['DESC', 'LAST'],
    ];

    it.each(combos)('orders %s with nulls %s', async (direction, nullsAt) => {
      const p = await page({ first: 100, orderBy: [{ field: 'JOB_TITLE', direction, nulls: nullsAt }] });
      expect(p.edges.map((e) => e.node.jobTitle)).toEqual(expected(direction, nullsAt));
      expect(new Set(p.edges.map((e) => e.node.id))).toEqual(new Set(ids));
    });

    it.each(['ASC', 'DESC'])('puts nulls last by default when ordering %s', async (direction) => {
      const p = await page({ first: 100, orderBy: [{ field: 'JOB_TITLE', direction }] });
      expect(p.edges.map((e) => e.node.jobTitle)).toEqual(expected(direction, 'LAST'));
    });

    it.each(combos)(
      'pages forward through %s nulls %s, every contact exactly once in list order',
      async (direction, nullsAt) => {
        const orderBy = [{ field: 'JOB_TITLE', direction, nulls: nullsAt }];
        const oneShot = (await page({ first: 100, orderBy })).edges.map((e) => e.node.id);
        const { ids: seen } = await pageForward(4, { orderBy });
        expect(seen).toEqual(oneShot);
        expect(new Set(seen).size).toBe(TOTAL);
      },
    );

    it.each(combos)(
      'pages backward through %s nulls %s, every contact exactly once in list order',
      async (direction, nullsAt) => {
        const orderBy = [{ field: 'JOB_TITLE', direction, nulls: nullsAt }];
        const oneShot = (await page({ first: 100, orderBy })).edges.map((e) => e.node.id);
        const { ids: seen } = await pageBackward(4, { orderBy });
        expect(seen).toEqual(oneShot);
        expect(new Set(seen).size).toBe(TOTAL);
      },
    );
  });

  describe('ordering by two nullable fields', () => {
    const orderBy = [
      { field: 'JOB_TITLE', direction: 'ASC', nulls: 'FIRST' },
      { field: 'LIFECYCLE_STAGE', direction: 'DESC' },
    ];
    const pair = (t: string | null, s: string | null) => `${t ?? '-'}/${s ?? '-'}`;
    /** (title asc, nulls first), then (stage desc, nulls last). */
    const expected = Array.from({ length: TOTAL }, (_, i) => [titleOf(i), stageOf(i)] as const)
      .sort(([t1, s1], [t2, s2]) => {
        if (t1 !== t2) return t1 === null ? -1 : t2 === null ? 1 : t1 < t2 ? -1 : 1;
        if (s1 === s2) return 0;
        return s1 === null ? 1 : s2 === null ? -1 : s1 < s2 ? 1 : -1;
      })
      .map(([t, s]) => pair(t, s));

    it('orders by the first term, then the second, each with its nulls placement', async () => {
      const p = await page({ first: 100, orderBy });
      expect(p.edges.map((e) => pair(e.node.jobTitle, e.node.lifecycleStage))).toEqual(expected);
    });

    it('pages forward and backward through it, every contact exactly once in list order', async () => {
      const oneShot = (await page({ first: 100, orderBy })).edges.map((e) => e.node.id);
      expect((await pageForward(3, { orderBy })).ids).toEqual(oneShot);
      expect((await pageBackward(3, { orderBy })).ids).toEqual(oneShot);
    });
  });
});

interface CompanyContacts {
  id: string;
  contacts: { totalCount: number; pageInfo: PageInfo; nodes: { id: string }[] };
}

describe('company.contacts pagination', () => {
  let server: TestServer;
  let org: SeededOrg;
  /** Company index of each seeded contact: 5, 2, 0 and 3 contacts. */
  const plan = [0, 1, 0, 3, 0, 1, 0, 3, 0, 3];
  const contactsOf = (company: number) => org.contacts.filter((_, i) => plan[i] === company).map((c) => c.id);

  const NESTED = `query($first: Int, $last: Int, $filter: ContactFilter) {
    companies(first: 10) { nodes { id contacts(first: $first, last: $last, filter: $filter) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } } }
  }`;
  const nested = async (vars: Record<string, unknown>) =>
    dataOf(await server.gql<{ companies: { nodes: CompanyContacts[] } }>(NESTED, vars, org.key)).companies
      .nodes;

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server)
      .org('Nested Co')
      .withCompanies(4)
      .withContacts(plan.length, { extra: (i, o) => ({ companyId: o.companies[plan[i]].id }) })
      // A deleted contact of company 2 must not count anywhere.
      .withContacts(1, { extra: (_, o) => ({ companyId: o.companies[1].id }) });
    const deleted = org.contacts[plan.length].id;
    dataOf(
      await server.gql(
        'mutation($input: ContactIdInput!) { deleteContact(input: $input) { deletedContactId } }',
        { input: { id: deleted } },
        org.key,
      ),
    );
  });
  afterAll(() => server.close());

  it('gives each company its own first N contacts, totalCount and pageInfo', async () => {
    const companies = await nested({ first: 3 });
    expect(companies.map((c) => c.id)).toEqual(org.companies.map((c) => c.id));
    const seen = companies.map((c) => ({
      ids: c.contacts.nodes.map((n) => n.id),
      totalCount: c.contacts.totalCount,
      hasNextPage: c.contacts.pageInfo.hasNextPage,
      hasPreviousPage: c.contacts.pageInfo.hasPreviousPage,
    }));
    expect(seen).toEqual([
      { ids: contactsOf(0).slice(0, 3), totalCount: 5, hasNextPage: true, hasPreviousPage: false },
      { ids: contactsOf(1), totalCount: 2, hasNextPage: false, hasPreviousPage: false },
      { ids: [], totalCount: 0, hasNextPage: false, hasPreviousPage: false },
      { ids: contactsOf(3), totalCount: 3, hasNextPage: false, hasPreviousPage: false },
    ]);
  });

  it('gives each company its own last N contacts with last', async () => {
    const companies = await nested({ last: 2 });
    const seen = companies.map((c) => ({
      ids: c.contacts.nodes.map((n) => n.id),
      totalCount: c.contacts.totalCount,
      hasPreviousPage: c.contacts.pageInfo.hasPreviousPage,
    }));
    expect(seen).toEqual([
      { ids: contactsOf(0).slice(3), totalCount: 5, hasPreviousPage: true },
      { ids: contactsOf(1), totalCount: 2, hasPreviousPage: false },
      { ids: [], totalCount: 0, hasPreviousPage: false },
      { ids: contactsOf(3).slice(1), totalCount: 3, hasPreviousPage: true },
    ]);
  });

  it('applies a filter per company, totalCount included', async () => {
    const target = org.contacts[plan.indexOf(3)];
    const companies = await nested({ first: 5, filter: { firstName: { eq: target.firstName } } });
    expect(companies.map((c) => [c.contacts.totalCount, c.contacts.nodes.map((n) => n.id)])).toEqual([
      [0, []],
      [0, []],
      [0, []],
      [1, [target.id]],
    ]);
  });

  it("still reports each company's totalCount with first: 0", async () => {
    const companies = await nested({ first: 0 });
    expect(companies.map((c) => c.contacts.totalCount)).toEqual([5, 2, 0, 3]);
    expect(companies.every((c) => c.contacts.nodes.length === 0)).toBe(true);
  });

  it("pages one company's contacts with first/after, every contact once and totalCount kept", async () => {
    const query = `query($id: ID!, $after: String) { company(id: $id) {
      contacts(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }`;
    type Page = {
      company: { contacts: { totalCount: number; pageInfo: PageInfo; nodes: { id: string }[] } };
    };
    const seen: string[] = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const res: GraphQLResponse<Page> = await server.gql<Page>(
        query,
        { id: org.companies[0].id, after },
        org.key,
      );
      const { contacts } = dataOf(res).company;
      seen.push(...contacts.nodes.map((n) => n.id));
      totals.push(contacts.totalCount);
      after = contacts.pageInfo.endCursor;
      if (!contacts.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(contactsOf(0));
    expect(totals).toEqual([5, 5, 5]);
    // Past the end: no rows, and the total is still the company's.
    const end = await server.gql<Page>(query, { id: org.companies[0].id, after }, org.key);
    expect(dataOf(end).company.contacts).toMatchObject({ totalCount: 5, nodes: [] });
  });
});

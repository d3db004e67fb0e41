import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { dataOf, errorOf } from './support/graphql';

type Filter = Record<string, unknown>;

/**
 * The data set every expected answer below is computed from by hand. Company 0 is
 * "Acme Corp", company 1 "Globex Inc"; `Gone` is soft-deleted and must never match.
 */
const PEOPLE = [
  {
    firstName: 'Ada',
    lastName: 'Lovelace',
    jobTitle: 'Engineer',
    tags: ['vip', 'beta'],
    lifecycleStage: 'LEAD',
    company: 0,
  },
  {
    firstName: 'Alan',
    lastName: 'Turing',
    jobTitle: 'engineer',
    tags: ['beta'],
    lifecycleStage: 'CUSTOMER',
    company: 0,
  },
  { firstName: 'Grace', lastName: 'Hopper', jobTitle: null, tags: [], lifecycleStage: null, company: 1 },
  {
    firstName: 'Percent',
    lastName: '100%',
    jobTitle: 'Head of Sales',
    tags: ['vip'],
    lifecycleStage: 'LEAD',
    company: 1,
  },
  {
    firstName: 'Under',
    lastName: 'a_b',
    jobTitle: 'Sales Engineer',
    tags: [],
    lifecycleStage: 'OPPORTUNITY',
    company: null,
  },
  {
    firstName: 'Plain',
    lastName: 'axb',
    jobTitle: null,
    tags: ['gamma'],
    lifecycleStage: 'CUSTOMER',
    company: null,
  },
  {
    firstName: 'Hundred',
    lastName: '1000',
    jobTitle: 'CTO',
    tags: ['vip', 'gamma'],
    lifecycleStage: 'SUBSCRIBER',
    company: 0,
  },
  {
    firstName: 'Back',
    lastName: 'back\\slash',
    jobTitle: null,
    tags: [],
    lifecycleStage: null,
    company: null,
  },
  {
    firstName: 'Gone',
    lastName: 'a_b 100%',
    jobTitle: 'Engineer',
    tags: ['vip', 'beta', 'gamma'],
    lifecycleStage: 'LEAD',
    company: 0,
  },
];
const ALL = PEOPLE.map((p) => p.firstName).filter((n) => n !== 'Gone');
const except = (...names: string[]) => ALL.filter((n) => !names.includes(n));

describe('contact filters', () => {
  let server: TestServer;
  let org: SeededOrg;
  let acme: string;
  let globex: string;
  /** createdAt of each person, by first name, as the API returns it. */
  const created: Record<string, string> = {};

  const CONTACTS = `query($filter: ContactFilter) {
    contacts(first: 100, filter: $filter) { totalCount nodes { firstName } }
  }`;

  /** First names of the contacts matching `filter`, sorted; totalCount must agree. */
  async function names(filter: Filter): Promise<string[]> {
    const res = await server.gql<{ contacts: { totalCount: number; nodes: { firstName: string }[] } }>(
      CONTACTS,
      { filter },
      org.key,
    );
    const { totalCount, nodes } = dataOf(res).contacts;
    expect(totalCount).toBe(nodes.length);
    return nodes.map((n) => n.firstName).sort();
  }
  const sorted = (list: string[]) => [...list].sort();

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server)
      .org('Filter Co')
      .withCompanies(1, 'Acme Corp', {
        extra: () => ({ employees: 500, domain: 'acme.com', tags: ['enterprise'] }),
      })
      .withCompanies(1, 'Globex Inc', { extra: () => ({ employees: 50 }) })
      .withCompanies(1, 'Initech')
      .withContacts(PEOPLE.length, {
        extra: (i, o) => {
          const { company, ...person } = PEOPLE[i];
          return { ...person, companyId: company === null ? null : o.companies[company].id };
        },
      });
    [acme, globex] = org.companies.map((c) => c.id);
    const gone = org.contacts[PEOPLE.findIndex((p) => p.firstName === 'Gone')].id;
    dataOf(
      await server.gql(
        'mutation($input: ContactIdInput!) { deleteContact(input: $input) { deletedContactId } }',
        { input: { id: gone } },
        org.key,
      ),
    );
    const res = await server.gql<{ contacts: { nodes: { firstName: string; createdAt: string }[] } }>(
      '{ contacts(first: 100) { nodes { firstName createdAt } } }',
      {},
      org.key,
    );
    for (const n of dataOf(res).contacts.nodes) created[n.firstName] = n.createdAt;
  });
  afterAll(() => server.close());

  describe('string operators', () => {
    it.each<[string, Filter, string[]]>([
      ['eq is case-sensitive', { jobTitle: { eq: 'Engineer' } }, ['Ada']],
      ['eq with ignoreCase', { jobTitle: { eq: 'engineer', ignoreCase: true } }, ['Ada', 'Alan']],
      ['neq also matches contacts without a value', { jobTitle: { neq: 'Engineer' } }, except('Ada')],
      ['in', { jobTitle: { in: ['Engineer', 'CTO'] } }, ['Ada', 'Hundred']],
      [
        'in with ignoreCase',
        { jobTitle: { in: ['ENGINEER', 'cto'], ignoreCase: true } },
        ['Ada', 'Alan', 'Hundred'],
      ],
      [
        'notIn also matches contacts without a value',
        { jobTitle: { notIn: ['Engineer', 'engineer'] } },
        except('Ada', 'Alan'),
      ],
      ['contains is case-sensitive', { jobTitle: { contains: 'engineer' } }, ['Alan']],
      ['contains', { jobTitle: { contains: 'Engineer' } }, ['Ada', 'Under']],
      [
        'contains with ignoreCase',
        { jobTitle: { contains: 'ENGINEER', ignoreCase: true } },
        ['Ada', 'Alan', 'Under'],
      ],
      ['startsWith', { jobTitle: { startsWith: 'Head' } }, ['Percent']],
      ['startsWith with ignoreCase', { jobTitle: { startsWith: 'sales', ignoreCase: true } }, ['Under']],
      ['endsWith', { jobTitle: { endsWith: 'neer' } }, ['Ada', 'Alan', 'Under']],
      ['isNull: true', { jobTitle: { isNull: true } }, ['Back', 'Grace', 'Plain']],
      ['isNull: false', { jobTitle: { isNull: false } }, ['Ada', 'Alan', 'Hundred', 'Percent', 'Under']],
      [
        'two operators on one field must both hold',
        { jobTitle: { startsWith: 'E', endsWith: 'r' } },
        ['Ada'],
      ],
    ])('%s', async (_, filter, expected) => {
      expect(await names(filter)).toEqual(sorted(expected));
    });
  });

  describe('LIKE wildcards are matched literally', () => {
    it.each<[string, Filter, string[]]>([
      ['contains "%"', { lastName: { contains: '%' } }, ['Percent']],
      ['contains "_"', { lastName: { contains: '_' } }, ['Under']],
      ['contains "a_b" does not match "axb"', { lastName: { contains: 'a_b' } }, ['Under']],
      ['contains "100%" does not match "1000"', { lastName: { contains: '100%' } }, ['Percent']],
      ['startsWith "100%"', { lastName: { startsWith: '100%' } }, ['Percent']],
      ['endsWith "_b"', { lastName: { endsWith: '_b' } }, ['Under']],
      ['contains a backslash', { lastName: { contains: '\\' } }, ['Back']],
      ['contains "%" with ignoreCase', { lastName: { contains: '%', ignoreCase: true } }, ['Percent']],
      ['contains "_" with ignoreCase', { lastName: { contains: 'A_B', ignoreCase: true } }, ['Under']],
    ])('%s', async (_, filter, expected) => {
      expect(await names(filter)).toEqual(sorted(expected));
    });
  });

  describe('tags', () => {
    it.each<[string, Filter, string[]]>([
      ['has', { tags: { has: 'vip' } }, ['Ada', 'Percent', 'Hundred']],
      ['hasAny', { tags: { hasAny: ['beta', 'gamma'] } }, ['Ada', 'Alan', 'Plain', 'Hundred']],
      ['hasAll', { tags: { hasAll: ['vip', 'gamma'] } }, ['Hundred']],
      ['hasAll with a tag nobody has', { tags: { hasAll: ['vip', 'nope'] } }, []],
      ['isEmpty: true', { tags: { isEmpty: true } }, ['Grace', 'Under', 'Back']],
      ['isEmpty: false', { tags: { isEmpty: false } }, ['Ada', 'Alan', 'Percent', 'Plain', 'Hundred']],
    ])('%s', async (_, filter, expected) => {
      expect(await names(filter)).toEqual(sorted(expected));
    });
  });

  describe('lifecycleStage (enum)', () => {
    it.each<[string, Filter, string[]]>([
      ['eq', { lifecycleStage: { eq: 'LEAD' } }, ['Ada', 'Percent']],
      ['in', { lifecycleStage: { in: ['CUSTOMER', 'OPPORTUNITY'] } }, ['Alan', 'Under', 'Plain']],
      [
        'neq also matches contacts without a stage',
        { lifecycleStage: { neq: 'LEAD' } },
        except('Ada', 'Percent'),
      ],
      ['notIn', { lifecycleStage: { notIn: ['LEAD', 'CUSTOMER'] } }, ['Grace', 'Under', 'Hundred', 'Back']],
      ['isNull', { lifecycleStage: { isNull: true } }, ['Grace', 'Back']],
    ])('%s', async (_, filter, expected) => {
      expect(await names(filter)).toEqual(sorted(expected));
    });

    it('refuses a value outside the enum with BAD_USER_INPUT', async () => {
      const res = await server.gql(CONTACTS, { filter: { lifecycleStage: { eq: 'NOPE' } } }, org.key);
      expect(errorOf(res).code).toBe('BAD_USER_INPUT');
    });
  });

  describe('and / or / not', () => {
    it.each<[string, Filter, string[]]>([
      [
        'or',
        { or: [{ tags: { has: 'vip' } }, { lifecycleStage: { eq: 'CUSTOMER' } }] },
        ['Ada', 'Percent', 'Hundred', 'Alan', 'Plain'],
      ],
      ['and', { and: [{ tags: { has: 'vip' } }, { lifecycleStage: { eq: 'LEAD' } }] }, ['Ada', 'Percent']],
      [
        'fields side by side must all hold',
        { tags: { has: 'vip' }, company: { name: { eq: 'Acme Corp 1' } } },
        ['Ada', 'Hundred'],
      ],
      ['not', { not: { tags: { has: 'vip' } } }, except('Ada', 'Percent', 'Hundred')],
      [
        'not over an or',
        { not: { or: [{ lifecycleStage: { eq: 'LEAD' } }, { lifecycleStage: { isNull: true } }] } },
        ['Alan', 'Under', 'Plain', 'Hundred'],
      ],
      [
        'and of an or and a not',
        {
          and: [
            { or: [{ company: { name: { eq: 'Globex Inc 1' } } }, { tags: { isEmpty: true } }] },
            { not: { jobTitle: { isNull: true } } },
          ],
        },
        ['Percent', 'Under'],
      ],
      [
        'not of a condition a null fails still matches the nulls',
        { not: { jobTitle: { eq: 'CTO' } } },
        except('Hundred'),
      ],
    ])('%s', async (_, filter, expected) => {
      expect(await names(filter)).toEqual(sorted(expected));
    });
  });

  describe('relations', () => {
    it.each<[string, () => Filter, string[]]>([
      [
        'company: { name: { eq } }',
        () => ({ company: { name: { eq: 'Acme Corp 1' } } }),
        ['Ada', 'Alan', 'Hundred'],
      ],
      [
        'company: { name: { startsWith, ignoreCase } }',
        () => ({ company: { name: { startsWith: 'glo', ignoreCase: true } } }),
        ['Grace', 'Percent'],
      ],
      ['company: { id: { eq } }', () => ({ company: { id: { eq: globex } } }), ['Grace', 'Percent']],
      [
        'not: { company: ... } keeps contacts without a company',
        () => ({ not: { company: { name: { eq: 'Acme Corp 1' } } } }),
        ['Grace', 'Percent', 'Under', 'Plain', 'Back'],
      ],
      ['companyId: { eq }', () => ({ companyId: { eq: globex } }), ['Grace', 'Percent']],
      [
        'companyId: { in }',
        () => ({ companyId: { in: [acme, globex] } }),
        ['Ada', 'Alan', 'Grace', 'Percent', 'Hundred'],
      ],
      [
        'companyId: { neq } also matches contacts without a company',
        () => ({ companyId: { neq: acme } }),
        except('Ada', 'Alan', 'Hundred'),
      ],
      ['companyId: { isNull: true }', () => ({ companyId: { isNull: true } }), ['Under', 'Plain', 'Back']],
    ])('%s', async (_, filter, expected) => {
      expect(await names(filter())).toEqual(sorted(expected));
    });
  });

  describe('dates', () => {
    it.each<[string, () => Filter, string[]]>([
      ['createdAt gt', () => ({ createdAt: { gt: created.Percent } }), ['Under', 'Plain', 'Hundred', 'Back']],
      ['createdAt lt', () => ({ createdAt: { lt: created.Percent } }), ['Ada', 'Alan', 'Grace']],
      [
        'createdAt gte and lte',
        () => ({ createdAt: { gte: created.Grace, lte: created.Under } }),
        ['Grace', 'Percent', 'Under'],
      ],
      ['createdAt eq', () => ({ createdAt: { eq: created.Plain } }), ['Plain']],
    ])('%s', async (_, filter, expected) => {
      expect(await names(filter())).toEqual(sorted(expected));
    });
  });

  describe('ids', () => {
    it('id: { eq } and id: { notIn } select by contact id', async () => {
      const ada = org.contacts[0].id;
      expect(await names({ id: { eq: ada } })).toEqual(['Ada']);
      expect(await names({ id: { notIn: [ada] } })).toEqual(sorted(except('Ada')));
    });

    it.each<[string, () => Filter, string]>([
      ['a malformed id', () => ({ companyId: { eq: 'not-an-id' } }), 'filter.companyId.eq'],
      [
        'a contact id where a company id is expected',
        () => ({ companyId: { eq: org.contacts[0].id } }),
        'filter.companyId.eq',
      ],
      [
        'a malformed id inside in',
        () => ({ id: { in: [org.contacts[0].id, 'garbage'] } }),
        'filter.id.in[1]',
      ],
      [
        'a malformed id inside a relation filter',
        () => ({ company: { id: { eq: 'garbage' } } }),
        'filter.company.id.eq',
      ],
    ])('refuses %s with BAD_USER_INPUT naming the filter path', async (_, filter, field) => {
      const res = await server.gql(CONTACTS, { filter: filter() }, org.key);
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    });
  });

  describe('companies', () => {
    async function companyNames(filter: Filter): Promise<string[]> {
      const res = await server.gql<{ companies: { totalCount: number; nodes: { name: string }[] } }>(
        'query($f: CompanyFilter) { companies(first: 100, filter: $f) { totalCount nodes { name } } }',
        { f: filter },
        org.key,
      );
      const { totalCount, nodes } = dataOf(res).companies;
      expect(totalCount).toBe(nodes.length);
      return nodes.map((c) => c.name).sort();
    }

    it.each<[string, Filter, string[]]>([
      [
        'name contains with ignoreCase, or-ed with a miss',
        { or: [{ name: { contains: 'corp', ignoreCase: true } }, { name: { eq: 'Nope' } }] },
        ['Acme Corp 1'],
      ],
      ['employees gt', { employees: { gt: 100 } }, ['Acme Corp 1']],
      ['employees lte', { employees: { lte: 50 } }, ['Globex Inc 1']],
      ['employees gte and lt', { employees: { gte: 50, lt: 500 } }, ['Globex Inc 1']],
      ['employees in', { employees: { in: [50, 7] } }, ['Globex Inc 1']],
      ['employees isNull', { employees: { isNull: true } }, ['Initech 1']],
      [
        'employees neq also matches companies without a count',
        { employees: { neq: 500 } },
        ['Globex Inc 1', 'Initech 1'],
      ],
      ['domain eq', { domain: { eq: 'acme.com' } }, ['Acme Corp 1']],
      ['tags has', { tags: { has: 'enterprise' } }, ['Acme Corp 1']],
    ])('%s', async (_, filter, expected) => {
      expect(await companyNames(filter)).toEqual(expected);
    });
  });

  it('filters contacts by a number on their company (company: { employees })', async () => {
    expect(await names({ company: { employees: { gte: 100 } } })).toEqual(sorted(['Ada', 'Alan', 'Hundred']));
  });
});

describe('pipeline filters and order (derived from the declaration like every list)', () => {
  let server: TestServer;
  let org: SeededOrg;
  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Pipeline Filter Co');
    for (const name of ['Renewals', 'Partners']) {
      dataOf(
        await server.gql(
          'mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { id } } }',
          { input: { name, stages: [{ name: 'Open', probability: 10 }] } },
          org.key,
        ),
      );
    }
  });
  afterAll(() => server.close());

  const PIPELINES = `query($filter: PipelineFilter, $orderBy: [PipelineOrder!]) {
    pipelines(filter: $filter, orderBy: $orderBy) { totalCount nodes { name isDefault } }
  }`;
  const names = async (filter: Filter | null, orderBy?: unknown) => {
    const res = await server.gql<{ pipelines: { totalCount: number; nodes: { name: string }[] } }>(
      PIPELINES,
      { filter, orderBy },
      org.key,
    );
    const { totalCount, nodes } = dataOf(res).pipelines;
    expect(totalCount).toBe(nodes.length);
    return nodes.map((n) => n.name);
  };

  it('filters by a boolean column by its value', async () => {
    expect(await names({ isDefault: true })).toEqual(['Sales']);
    expect((await names({ isDefault: false })).sort()).toEqual(['Partners', 'Renewals']);
  });

  it('orders by name and filters by text', async () => {
    expect(await names(null, [{ field: 'NAME', direction: 'DESC' }])).toEqual([
      'Sales',
      'Renewals',
      'Partners',
    ]);
    expect(await names({ name: { startsWith: 'Re' } })).toEqual(['Renewals']);
  });

  it('refuses a boolean filter given as operators', async () => {
    const res = await server.gql(
      '{ pipelines(filter: { isDefault: { eq: true } }) { totalCount } }',
      {},
      org.key,
    );
    expect(errorOf(res).code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

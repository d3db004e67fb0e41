import { modules, type AppModule } from '../src/modules';
import {
  boolean,
  defineRecord,
  int,
  recordEntity,
  recordResolver,
  recordService,
  refOf,
  text,
  textList,
  toMany,
  toOne,
  type RecordRef,
} from '../src/platform/records/index';
import { badInput } from '../src/platform/errors';
import { startServer, type TestServer } from './support/server';
import { createApiKey, seed, type SeededOrg } from './support/seed';
import { dataOf, errorOf } from './support/graphql';

/**
 * A record type that exists only in this test, declared with the platform alone (no CRM module):
 * one declaration, its table (from the entity the declaration derives), and one line in the module
 * list give a list with filters and order, by-id, create, update, delete, restore and node(id).
 */
const gadgetRecord = defineRecord({
  typeName: 'Gadget',
  plural: 'gadgets',
  table: 'gadget',
  softDelete: true,
  columns: {
    name: text({ order: true, write: { create: 'required', check: (x) => x.trim() } }),
    weight: int({
      nullable: true,
      order: true,
      description: 'Grams.',
      write: {
        create: 'optional',
        check: (n, f) => {
          if (n < 0) throw badInput(f, 'must not be negative.');
          return n;
        },
      },
    }),
    active: boolean({ default: () => true, dbDefault: true, write: { create: 'optional' } }),
    labels: textList({ default: () => [], write: { create: 'optional' } }),
  },
  relations: {
    parent: toOne((): RecordRef => refOf(gadgetRecord), { nullable: true, write: { create: 'optional' } }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
});
const gadgetModule: AppModule = {
  name: 'gadgets',
  uses: [],
  records: [gadgetRecord],
  resolvers: [
    recordResolver(gadgetRecord, { service: recordService(gadgetRecord, recordEntity(gadgetRecord).entity) }),
  ],
  relations: [
    toMany(gadgetRecord, 'children', gadgetRecord, 'parent_id', {
      filter: 'Conditions on the child gadgets.',
    }),
  ],
};

describe('a record type declared with the platform alone', () => {
  let server: TestServer;
  let org: SeededOrg;
  let other: SeededOrg;

  const create = async (input: Record<string, unknown>, key = org.key) =>
    server.gql<{ createGadget: { gadget: { id: string; name: string } } }>(
      'mutation($input: CreateGadgetInput!) { createGadget(input: $input) { gadget { id name weight active labels parent { name } } } }',
      { input },
      key,
    );
  const names = async (args: string, key = org.key) => {
    const res = await server.gql<{ gadgets: { totalCount: number; nodes: { name: string }[] } }>(
      `{ gadgets${args} { totalCount nodes { name } } }`,
      {},
      key,
    );
    const { totalCount, nodes } = dataOf(res).gadgets;
    expect(totalCount).toBe(nodes.length);
    return nodes.map((n) => n.name);
  };
  let root: string;
  let light: string;

  beforeAll(async () => {
    server = await startServer({ modules: [...modules, gadgetModule] });
    // Its migration: what the entity derived from the declaration describes, and nothing else.
    const ddl = await server.app.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(ddl).toContain('create table "gadget"');
    await server.db(ddl);
    org = await seed(server).org('Gadget Co');
    other = await seed(server).org('Other Co');
    root = dataOf(await create({ name: ' Root ', weight: 900, labels: ['big'] })).createGadget.gadget.id;
    light = dataOf(await create({ name: 'Feather', weight: 2, parentId: root })).createGadget.gadget.id;
    dataOf(await create({ name: 'Brick', weight: 2500, parentId: root, active: false }));
    dataOf(await create({ name: 'Unweighed' }));
  });
  afterAll(() => server.close());

  it('has its table exactly as the declaration describes (no drift left)', async () => {
    const diff = await server.app.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('creates with the write rules applied and reads back through the list path', async () => {
    const res = await server.gql<{ gadget: Record<string, unknown> }>(
      'query($id: ID!) { gadget(id: $id) { name weight active labels parent { name } children { totalCount nodes { name } } } }',
      { id: root },
      org.key,
    );
    expect(dataOf(res).gadget).toEqual({
      name: 'Root',
      weight: 900,
      active: true,
      labels: ['big'],
      parent: null,
      children: { totalCount: 2, nodes: [{ name: 'Feather' }, { name: 'Brick' }] },
    });
  });

  it('filters by columns, and/or/not, to-one and to-many relations', async () => {
    expect(await names('(filter: { weight: { gt: 100 } })')).toEqual(['Root', 'Brick']);
    expect(await names('(filter: { weight: { isNull: true } })')).toEqual(['Unweighed']);
    expect(await names('(filter: { active: false })')).toEqual(['Brick']);
    expect(
      await names('(filter: { or: [{ name: { eq: "Brick" } }, { not: { weight: { gte: 1 } } }] })'),
    ).toEqual(['Brick', 'Unweighed']);
    expect(await names('(filter: { parent: { name: { eq: "Root" } } })')).toEqual(['Feather', 'Brick']);
    expect(await names('(filter: { children: { some: { weight: { lt: 10 } } } })')).toEqual(['Root']);
    expect(await names('(filter: { children: { none: {} } })')).toEqual(['Feather', 'Brick', 'Unweighed']);
  });

  it('orders by declared columns, nulls last unless asked', async () => {
    expect(await names('(orderBy: [{ field: WEIGHT, direction: DESC }])')).toEqual([
      'Brick',
      'Root',
      'Feather',
      'Unweighed',
    ]);
    expect(await names('(orderBy: [{ field: WEIGHT, nulls: FIRST }])')).toEqual([
      'Unweighed',
      'Feather',
      'Root',
      'Brick',
    ]);
    expect(await names('(orderBy: [{ field: NAME }])')).toEqual(['Brick', 'Feather', 'Root', 'Unweighed']);
  });

  it('updates: absent fields stay, null clears, a required field cannot be cleared', async () => {
    const update = (input: Record<string, unknown>) =>
      server.gql<{ updateGadget: { gadget: { name: string; weight: number | null; parent: unknown } } }>(
        'mutation($input: UpdateGadgetInput!) { updateGadget(input: $input) { gadget { name weight parent { name } } } }',
        { input },
        org.key,
      );
    expect(dataOf(await update({ id: light, weight: null, parentId: null })).updateGadget.gadget).toEqual({
      name: 'Feather',
      weight: null,
      parent: null,
    });
    const refused = errorOf(await update({ id: light, name: null }));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const [row] = await server.db('select name from gadget where name = $1', ['Feather']);
    expect(row).toEqual({ name: 'Feather' });
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const before = await server.db('select count(*)::int as n from gadget');
    expect(errorOf(await create({ name: 'Negative', weight: -1 }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.weight',
    });
    const foreign = dataOf(await create({ name: 'Theirs' }, other.key)).createGadget.gadget.id;
    expect(errorOf(await create({ name: 'Orphan', parentId: foreign }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.parentId',
    });
    const after = await server.db('select count(*)::int as n from gadget');
    expect(after[0].n).toBe((before[0].n as number) + 1);
  });

  it('soft-deletes and restores; deleted rows are hidden unless an admin asks', async () => {
    const del = await server.gql<{
      deleteGadget: { deletedGadgetId: string; gadget: { deletedAt: string } };
    }>(
      'mutation($id: ID!) { deleteGadget(input: { id: $id }) { deletedGadgetId gadget { deletedAt } } }',
      { id: light },
      org.key,
    );
    expect(dataOf(del).deleteGadget.deletedGadgetId).toBe(light);
    expect(dataOf(del).deleteGadget.gadget.deletedAt).toEqual(expect.any(String));
    expect(await names('')).not.toContain('Feather');
    expect(await names('(includeDeleted: true)')).toContain('Feather');
    const readKey = (await createApiKey(server, org.key, ['READ'])).key;
    expect(
      errorOf(await server.gql('{ gadgets(includeDeleted: true) { totalCount } }', {}, readKey)).code,
    ).toBe('FORBIDDEN');
    dataOf(
      await server.gql(
        'mutation($id: ID!) { restoreGadget(input: { id: $id }) { gadget { id } } }',
        { id: light },
        org.key,
      ),
    );
    expect(await names('')).toContain('Feather');
  });

  it('is a Node: node(id) finds it for its organisation only', async () => {
    const query = 'query($id: ID!) { node(id: $id) { __typename ... on Gadget { name } } }';
    expect(dataOf(await server.gql<{ node: unknown }>(query, { id: root }, org.key)).node).toEqual({
      __typename: 'Gadget',
      name: 'Root',
    });
    expect(dataOf(await server.gql<{ node: unknown }>(query, { id: root }, other.key)).node).toBeNull();
    expect(
      errorOf(await server.gql('query($id: ID!) { gadget(id: $id) { id } }', { id: root }, other.key)).code,
    ).toBe('NOT_FOUND');
  });

  it('keeps the scope checks of every type: a read key cannot write', async () => {
    const readKey = (await createApiKey(server, org.key, ['READ'])).key;
    expect(errorOf(await create({ name: 'Nope' }, readKey)).code).toBe('FORBIDDEN');
  });
});

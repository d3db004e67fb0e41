import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, dataOf, errorOf, globalIdOf, pkOf } from './support/graphql';

interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: 'OPEN' | 'WON' | 'LOST';
}
interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  deletedAt: string | null;
  stages: Stage[];
}
interface StageChange {
  fromStage: { id: string } | null;
  fromStageName: string | null;
  toStage: { id: string } | null;
  toStageName: string;
  changedAt: string;
  changedBy: { id: string } | null;
}
interface Deal {
  id: string;
  name: string;
  amount: string | null;
  currency: string;
  expectedCloseDate: string | null;
  closedAt: string | null;
  deletedAt: string | null;
  tags: string[];
  pipeline: { id: string };
  stage: { id: string; name: string };
  company: { id: string } | null;
  owner: { id: string } | null;
  contacts: { nodes: { id: string }[] };
  stageHistory: StageChange[];
}

const STAGE = 'id name position probability kind';
const PIPELINE = `id name isDefault deletedAt stages { ${STAGE} }`;
const DEAL = `id name amount currency expectedCloseDate closedAt deletedAt tags pipeline { id } stage { id name }
  company { id } owner { id } contacts(first: 100) { nodes { id } }
  stageHistory { fromStage { id } fromStageName toStage { id } toStageName changedAt changedBy { id } }`;

/** A decimal string without trailing zeros, so "250.1000" and "250.10" compare equal. */
const dec = (s: string | null) => (s === null ? null : s.includes('.') ? s.replace(/\.?0+$/, '') : s);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('pipelines, stages and deals', () => {
  let server: TestServer;
  let org: SeededOrg;
  let api: ReturnType<typeof clientFor>;
  let seq = 0;

  const pipelines = async (includeDeleted = false) =>
    (
      await api.data<{ pipelines: { nodes: Pipeline[] } }>(
        `query($d: Boolean) { pipelines(first: 100, includeDeleted: $d) { nodes { ${PIPELINE} } } }`,
        { d: includeDeleted },
      )
    ).pipelines.nodes;
  const pipeline = async (id: string) =>
    (await api.data<{ pipeline: Pipeline }>(`query($id: ID!) { pipeline(id: $id) { ${PIPELINE} } }`, { id }))
      .pipeline;
  const defaultPipeline = async () => {
    const all = (await pipelines()).filter((p) => p.isDefault);
    expect(all).toHaveLength(1);
    return all[0];
  };
  const createPipeline = async (stages: string[] | Record<string, unknown>[], isDefault = false) => {
    const input = {
      name: `Pipeline ${++seq}`,
      isDefault,
      stages: stages.map((s, i) => (typeof s === 'string' ? { name: s, probability: i * 10 } : s)),
    };
    return (
      await api.data<{ createPipeline: { pipeline: Pipeline } }>(
        `mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { pipeline { ${PIPELINE} } } }`,
        { input },
      )
    ).createPipeline.pipeline;
  };
  const mutatePipeline = (name: string, input: Record<string, unknown>) =>
    api.call<Record<string, { pipeline: Pipeline }>>(
      `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { pipeline { ${PIPELINE} } } }`,
      { input },
    );
  const idInput = (name: string, inputType: string, id: string) =>
    api.call<Record<string, { pipeline: Pipeline }>>(
      `mutation($input: ${inputType}!) { ${name}(input: $input) { pipeline { ${PIPELINE} } } }`,
      { input: { id } },
    );
  const createDealRes = (input: Record<string, unknown>) =>
    api.call<{ createDeal: { deal: Deal } }>(
      `mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { ${DEAL} } } }`,
      { input: { name: `Deal ${++seq}`, ...input } },
    );
  const createDeal = async (input: Record<string, unknown> = {}) =>
    dataOf(await createDealRes(input)).createDeal.deal;
  const moveDeal = async (id: string, stageId: string) =>
    (
      await api.data<{ moveDeal: { deal: Deal } }>(
        `mutation($input: MoveDealInput!) { moveDeal(input: $input) { deal { ${DEAL} } } }`,
        { input: { id, stageId } },
      )
    ).moveDeal.deal;
  const updateDeal = (input: Record<string, unknown>) =>
    api.call<{ updateDeal: { deal: Deal } }>(
      `mutation($input: UpdateDealInput!) { updateDeal(input: $input) { deal { ${DEAL} } } }`,
      { input },
    );
  const readDeal = async (id: string) =>
    (await api.data<{ deal: Deal }>(`query($id: ID!) { deal(id: $id) { ${DEAL} } }`, { id })).deal;
  const listedDealIds = async (filter: Record<string, unknown> = {}) =>
    (
      await api.data<{ deals: { nodes: { id: string }[] } }>(
        'query($f: DealFilter) { deals(first: 100, filter: $f) { nodes { id } } }',
        { f: filter },
      )
    ).deals.nodes.map((d) => d.id);
  const dealCount = async () =>
    (
      await server.db('select count(*)::int as n from deal where organization_id = $1', [
        pkOf(org.organizationId),
      ])
    )[0].n;
  const stageRows = (pipelineId: string) =>
    server.db('select id, name, position, probability, kind from stage where pipeline_id = $1 order by id', [
      pkOf(pipelineId),
    ]);

  beforeAll(async () => {
    server = await startServer();
    org = await seed(server)
      .org('Deal Co')

      .withUsers(1)
      .withCompanies(2)
      .withContacts(4);
    api = clientFor(server, org.key);
  });
  afterAll(() => server.close());

  describe('pipelines', () => {
    it('gives every new organisation one default pipeline, "Sales", with ordered stages', async () => {
      const fresh = await seed(server).org('Fresh Pipeline Co');
      const res = await server.gql<{ pipelines: { totalCount: number; nodes: Pipeline[] } }>(
        `{ pipelines { totalCount nodes { ${PIPELINE} } } }`,
        {},
        fresh.key,
      );
      const { totalCount, nodes } = dataOf(res).pipelines;
      expect(totalCount).toBe(1);
      expect(nodes[0]).toMatchObject({ name: 'Sales', isDefault: true, deletedAt: null });
      expect(nodes[0].stages.map(({ id: _id, ...s }) => s)).toEqual([
        { name: 'Qualification', position: 0, probability: 10, kind: 'OPEN' },
        { name: 'Meeting scheduled', position: 1, probability: 30, kind: 'OPEN' },
        { name: 'Proposal', position: 2, probability: 60, kind: 'OPEN' },
        { name: 'Negotiation', position: 3, probability: 80, kind: 'OPEN' },
        { name: 'Won', position: 4, probability: 100, kind: 'WON' },
        { name: 'Lost', position: 5, probability: 0, kind: 'LOST' },
      ]);
    });

    it('createPipeline keeps the stages in the given order, OPEN unless told', async () => {
      const p = await createPipeline([
        { name: 'Lead', probability: 5 },
        { name: 'Signed', probability: 100, kind: 'WON' },
        { name: 'Dropped', probability: 0, kind: 'LOST' },
      ]);
      expect(p).toMatchObject({ name: `Pipeline ${seq}`, isDefault: false, deletedAt: null });
      expect(p.stages.map(({ id: _id, ...s }) => s)).toEqual([
        { name: 'Lead', position: 0, probability: 5, kind: 'OPEN' },
        { name: 'Signed', position: 1, probability: 100, kind: 'WON' },
        { name: 'Dropped', position: 2, probability: 0, kind: 'LOST' },
      ]);
      expect(await pipeline(p.id)).toEqual(p);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['no stages', { name: 'Empty', stages: [] }, 'input.stages'],
      ['a blank name', { name: '  ', stages: [{ name: 'A', probability: 1 }] }, 'input.name'],
      [
        'a probability over 100',
        { name: 'P', stages: [{ name: 'A', probability: 101 }] },
        'input.stages[0].probability',
      ],
      [
        'a negative probability',
        {
          name: 'P',
          stages: [
            { name: 'A', probability: 1 },
            { name: 'B', probability: -1 },
          ],
        },
        'input.stages[1].probability',
      ],
    ])(
      'createPipeline with %s is BAD_USER_INPUT naming the field and writes nothing',
      async (_, input, field) => {
        const before = await server.db('select count(*)::int as n from pipeline');
        const res = await mutatePipeline('createPipeline', input);
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(await server.db('select count(*)::int as n from pipeline')).toEqual(before);
      },
    );

    it('createPipeline with isDefault makes it the one default; new deals land in it', async () => {
      const previous = await defaultPipeline();
      const p = await createPipeline(['First', 'Second'], true);
      expect(p.isDefault).toBe(true);
      expect((await defaultPipeline()).id).toBe(p.id);
      expect((await pipeline(previous.id)).isDefault).toBe(false);
      const deal = await createDeal();
      expect(deal.pipeline.id).toBe(p.id);
      expect(deal.stage.id).toBe(p.stages[0].id);
      // Put the original default back for the tests that follow.
      dataOf(await mutatePipeline('updatePipeline', { id: previous.id, isDefault: true }));
    });

    it('updatePipeline renames a pipeline and isDefault: true switches the default', async () => {
      const previous = await defaultPipeline();
      const p = await createPipeline(['Only']);
      const res = await mutatePipeline('updatePipeline', { id: p.id, name: 'Renamed', isDefault: true });
      expect(dataOf(res).updatePipeline.pipeline).toMatchObject({
        id: p.id,
        name: 'Renamed',
        isDefault: true,
      });
      expect((await defaultPipeline()).id).toBe(p.id);
      const rows = await server.db(
        'select id from pipeline where organization_id = $1 and is_default order by id',
        [pkOf(org.organizationId)],
      );
      expect(rows).toEqual([{ id: pkOf(p.id) }]);
      dataOf(await mutatePipeline('updatePipeline', { id: previous.id, isDefault: true }));
      expect((await defaultPipeline()).id).toBe(previous.id);
    });

    it('updatePipeline refuses to leave the organisation without a default (CONFLICT)', async () => {
      const current = await defaultPipeline();
      const res = await mutatePipeline('updatePipeline', { id: current.id, isDefault: false });
      expect(errorOf(res).code).toBe('CONFLICT');
      expect((await defaultPipeline()).id).toBe(current.id);
    });

    it('deletePipeline of the default pipeline is CONFLICT and leaves it live', async () => {
      const current = await defaultPipeline();
      const res = await idInput('deletePipeline', 'PipelineIdInput', current.id);
      expect(errorOf(res).code).toBe('CONFLICT');
      const [row] = await server.db('select deleted_at from pipeline where id = $1', [pkOf(current.id)]);
      expect(row.deleted_at).toBeNull();
    });

    it('deletePipeline of a pipeline with live deals is CONFLICT', async () => {
      const p = await createPipeline(['Only']);
      await createDeal({ pipelineId: p.id });
      const res = await idInput('deletePipeline', 'PipelineIdInput', p.id);
      expect(errorOf(res).code).toBe('CONFLICT');
      expect((await pipelines()).map((x) => x.id)).toContain(p.id);
    });

    it('deletePipeline hides a pipeline whose deals are all deleted; restorePipeline brings it back', async () => {
      const p = await createPipeline(['Only']);
      const d = await createDeal({ pipelineId: p.id });
      dataOf(
        await api.call('mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }', {
          id: d.id,
        }),
      );
      const deleted = dataOf(await idInput('deletePipeline', 'PipelineIdInput', p.id)).deletePipeline
        .pipeline;
      expect(deleted.deletedAt).toMatch(ISO);
      expect((await pipelines()).map((x) => x.id)).not.toContain(p.id);
      expect((await pipelines(true)).map((x) => x.id)).toContain(p.id);
      const restored = dataOf(await idInput('restorePipeline', 'PipelineIdInput', p.id)).restorePipeline
        .pipeline;
      expect(restored).toMatchObject({ id: p.id, deletedAt: null });
      expect((await pipelines()).map((x) => x.id)).toContain(p.id);
    });

    it('restoreDeal of a deal whose pipeline was deleted is refused, keeping the pipeline free of live deals', async () => {
      const p = await createPipeline(['Only']);
      const d = await createDeal({ pipelineId: p.id });
      dataOf(
        await api.call('mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }', {
          id: d.id,
        }),
      );
      dataOf(await idInput('deletePipeline', 'PipelineIdInput', p.id));
      const res = await api.call('mutation($id: ID!) { restoreDeal(input: { id: $id }) { deal { id } } }', {
        id: d.id,
      });
      expect(['CONFLICT', 'BAD_USER_INPUT']).toContain(errorOf(res).code);
      const [row] = await server.db('select deleted_at from deal where id = $1', [pkOf(d.id)]);
      expect(row.deleted_at).not.toBeNull();
    });

    it('createDeal in a deleted pipeline is refused', async () => {
      const p = await createPipeline(['Only']);
      dataOf(await idInput('deletePipeline', 'PipelineIdInput', p.id));
      const count = await dealCount();
      const byPipeline = await createDealRes({ pipelineId: p.id });
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(errorOf(byPipeline).code);
      const byStage = await createDealRes({ stageId: p.stages[0].id });
      expect(errorOf(byStage)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.stageId' });
      expect(await dealCount()).toBe(count);
    });
  });

  describe('stages', () => {
    it('createStage at a position inserts it there and shifts the later stages', async () => {
      const p = await createPipeline(['A', 'B', 'C']);
      const res = await api.call<{ createStage: { stage: Stage & { pipeline: { id: string } } } }>(
        `mutation($input: CreateStageInput!) { createStage(input: $input) { stage { ${STAGE} pipeline { id } } } }`,
        { input: { pipelineId: p.id, name: 'X', probability: 42, kind: 'OPEN', position: 1 } },
      );
      const stage = dataOf(res).createStage.stage;
      expect(stage).toMatchObject({
        name: 'X',
        position: 1,
        probability: 42,
        kind: 'OPEN',
        pipeline: { id: p.id },
      });
      expect((await pipeline(p.id)).stages.map((s) => [s.name, s.position])).toEqual([
        ['A', 0],
        ['X', 1],
        ['B', 2],
        ['C', 3],
      ]);
    });

    it('createStage without a position appends it', async () => {
      const p = await createPipeline(['A', 'B']);
      dataOf(
        await api.call(
          'mutation($input: CreateStageInput!) { createStage(input: $input) { stage { id } } }',
          {
            input: { pipelineId: p.id, name: 'Done', probability: 100, kind: 'WON' },
          },
        ),
      );
      expect((await pipeline(p.id)).stages.map((s) => [s.name, s.position, s.kind])).toEqual([
        ['A', 0, 'OPEN'],
        ['B', 1, 'OPEN'],
        ['Done', 2, 'WON'],
      ]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a position past the end', { position: 3 }, 'input.position'],
      ['a negative position', { position: -1 }, 'input.position'],
      ['a probability over 100', { probability: 150 }, 'input.probability'],
    ])('createStage with %s is BAD_USER_INPUT and adds nothing', async (_, extra, field) => {
      const p = await createPipeline(['A', 'B']);
      const before = await stageRows(p.id);
      const res = await api.call(
        'mutation($input: CreateStageInput!) { createStage(input: $input) { stage { id } } }',
        { input: { pipelineId: p.id, name: 'X', probability: 10, ...extra } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await stageRows(p.id)).toEqual(before);
    });

    it('updateStage changes name, probability and kind, leaving its position', async () => {
      const p = await createPipeline(['A', 'B']);
      const res = await api.call<{ updateStage: { stage: Stage } }>(
        `mutation($input: UpdateStageInput!) { updateStage(input: $input) { stage { ${STAGE} } } }`,
        { input: { id: p.stages[1].id, name: 'Closed won', probability: 100, kind: 'WON' } },
      );
      expect(dataOf(res).updateStage.stage).toEqual({
        id: p.stages[1].id,
        name: 'Closed won',
        position: 1,
        probability: 100,
        kind: 'WON',
      });
      expect((await pipeline(p.id)).stages[0]).toEqual(p.stages[0]);
    });

    it('updateStage with a probability over 100 is BAD_USER_INPUT and changes nothing', async () => {
      const p = await createPipeline(['A']);
      const before = await stageRows(p.id);
      const res = await api.call(
        'mutation($input: UpdateStageInput!) { updateStage(input: $input) { stage { id } } }',
        { input: { id: p.stages[0].id, name: 'Renamed', probability: 101 } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.probability' });
      expect(await stageRows(p.id)).toEqual(before);
    });

    it('reorderStages puts the stages in the given order', async () => {
      const p = await createPipeline(['A', 'B', 'C', 'D']);
      const [a, b, c, d] = p.stages.map((s) => s.id);
      const res = await mutatePipeline('reorderStages', { pipelineId: p.id, stageIds: [c, a, d, b] });
      expect(dataOf(res).reorderStages.pipeline.stages.map((s) => [s.name, s.position])).toEqual([
        ['C', 0],
        ['A', 1],
        ['D', 2],
        ['B', 3],
      ]);
      expect((await pipeline(p.id)).stages.map((s) => s.name)).toEqual(['C', 'A', 'D', 'B']);
    });

    it.each<[string, (ids: string[], other: string) => string[]]>([
      ['leaves a stage out', ([a, b]) => [b, a]],
      ['lists a stage twice', ([a, b, c]) => [a, b, c, a]],
      ['names a stage twice instead of another', ([a, b]) => [a, b, b]],
      ["includes another pipeline's stage", ([a, b], other) => [a, b, other]],
      ['is empty', () => []],
    ])('reorderStages that %s is BAD_USER_INPUT and keeps the order', async (_, ids) => {
      const p = await createPipeline(['A', 'B', 'C']);
      const other = await createPipeline(['Z']);
      const before = await stageRows(p.id);
      const res = await mutatePipeline('reorderStages', {
        pipelineId: p.id,
        stageIds: ids(
          p.stages.map((s) => s.id),
          other.stages[0].id,
        ),
      });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.stageIds' });
      expect(await stageRows(p.id)).toEqual(before);
    });

    it('deleteStage of an empty stage removes it and closes the gap', async () => {
      const p = await createPipeline(['A', 'B', 'C']);
      const res = await api.call<{
        deleteStage: { deletedStageId: string; movedDeals: number; pipeline: Pipeline };
      }>(
        `mutation($input: DeleteStageInput!) { deleteStage(input: $input) { deletedStageId movedDeals pipeline { ${PIPELINE} } } }`,
        { input: { id: p.stages[1].id } },
      );
      const payload = dataOf(res).deleteStage;
      expect(payload.deletedStageId).toBe(p.stages[1].id);
      expect(payload.movedDeals).toBe(0);
      expect(payload.pipeline.stages.map((s) => [s.name, s.position])).toEqual([
        ['A', 0],
        ['C', 1],
      ]);
      expect(await server.db('select id from stage where id = $1', [pkOf(p.stages[1].id)])).toEqual([]);
    });

    it('deleteStage of a stage holding deals is CONFLICT and changes nothing', async () => {
      const p = await createPipeline(['A', 'B']);
      const deal = await createDeal({ stageId: p.stages[1].id });
      const before = await stageRows(p.id);
      const res = await api.call(
        'mutation($input: DeleteStageInput!) { deleteStage(input: $input) { deletedStageId } }',
        { input: { id: p.stages[1].id } },
      );
      expect(errorOf(res).code).toBe('CONFLICT');
      expect(await stageRows(p.id)).toEqual(before);
      expect((await readDeal(deal.id)).stage.id).toBe(p.stages[1].id);
    });

    it('deleteStage with moveDealsToStageId moves its deals there and records the move in their history', async () => {
      const p = await createPipeline(['A', 'B', 'C']);
      const [a, b, c] = p.stages;
      const inB = [await createDeal({ stageId: b.id }), await createDeal({ stageId: b.id })];
      const inA = await createDeal({ stageId: a.id });
      const res = await api.call<{ deleteStage: { movedDeals: number; pipeline: Pipeline } }>(
        `mutation($input: DeleteStageInput!) { deleteStage(input: $input) { movedDeals pipeline { ${PIPELINE} } } }`,
        { input: { id: b.id, moveDealsToStageId: c.id } },
      );
      const payload = dataOf(res).deleteStage;
      expect(payload.movedDeals).toBe(2);
      expect(payload.pipeline.stages.map((s) => [s.name, s.position])).toEqual([
        ['A', 0],
        ['C', 1],
      ]);
      for (const d of inB) {
        const after = await readDeal(d.id);
        expect(after.stage).toEqual({ id: c.id, name: 'C' });
        expect(after.stageHistory).toHaveLength(2);
        expect(after.stageHistory[1]).toMatchObject({
          fromStage: null,
          fromStageName: 'B',
          toStage: { id: c.id },
          toStageName: 'C',
          changedBy: { id: org.users[0].id },
        });
        // The first entry still names the deleted stage it was created in.
        expect(after.stageHistory[0]).toMatchObject({
          fromStage: null,
          fromStageName: null,
          toStage: null,
          toStageName: 'B',
        });
      }
      const untouched = await readDeal(inA.id);
      expect(untouched.stage.id).toBe(a.id);
      expect(untouched.stageHistory).toHaveLength(1);
    });
    it('deleteStage refuses to move its deals into a stage of a deleted pipeline', async () => {
      const p = await createPipeline(['A', 'B']);
      const gone = await createPipeline(['Elsewhere']);
      dataOf(await idInput('deletePipeline', 'PipelineIdInput', gone.id));
      const d = await createDeal({ stageId: p.stages[1].id });
      const before = await stageRows(p.id);
      const res = await api.call(
        'mutation($input: DeleteStageInput!) { deleteStage(input: $input) { movedDeals } }',
        { input: { id: p.stages[1].id, moveDealsToStageId: gone.stages[0].id } },
      );
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.moveDealsToStageId' });
      expect(await stageRows(p.id)).toEqual(before);
      expect((await readDeal(d.id)).pipeline.id).toBe(p.id);
    });
  });

  describe('deals', () => {
    it("createDeal with only a name lands in the default pipeline's first stage, in USD", async () => {
      const sales = await defaultPipeline();
      const d = await createDeal();
      expect(d).toMatchObject({
        amount: null,
        currency: 'USD',
        expectedCloseDate: null,
        closedAt: null,
        deletedAt: null,
        tags: [],
        pipeline: { id: sales.id },
        stage: { id: sales.stages[0].id, name: sales.stages[0].name },
        company: null,
        owner: null,
        contacts: { nodes: [] },
      });
      expect(d.stageHistory).toEqual([
        {
          fromStage: null,
          fromStageName: null,
          toStage: { id: sales.stages[0].id },
          toStageName: sales.stages[0].name,
          changedAt: expect.stringMatching(ISO),
          changedBy: { id: org.users[0].id },
        },
      ]);
    });

    it('createDeal stores the amount exactly, upper-cases the currency and links contacts, company and owner', async () => {
      const d = await createDeal({
        name: 'Big one',
        amount: ' 1234567890123.4567 ',
        currency: 'eur',
        contactIds: [org.contacts[0].id, org.contacts[2].id],
        companyId: org.companies[1].id,
        ownerId: org.users[1].id,
        expectedCloseDate: '2027-03-31',
        tags: ['q1'],
      });
      expect(d).toMatchObject({
        name: 'Big one',
        currency: 'EUR',
        expectedCloseDate: '2027-03-31',
        tags: ['q1'],
        company: { id: org.companies[1].id },
        owner: { id: org.users[1].id },
      });
      expect(dec(d.amount)).toBe('1234567890123.4567');
      expect(d.contacts.nodes.map((c) => c.id).sort()).toEqual(
        [org.contacts[0].id, org.contacts[2].id].sort(),
      );
      expect(await readDeal(d.id)).toEqual(d);
      const [row] = await server.db('select amount::text as amount, currency from deal where id = $1', [
        pkOf(d.id),
      ]);
      expect(row).toEqual({ amount: '1234567890123.4567', currency: 'EUR' });
    });

    it("createDeal with a stageId puts the deal in that stage's pipeline", async () => {
      const p = await createPipeline(['A', 'B']);
      const d = await createDeal({ stageId: p.stages[1].id });
      expect(d.pipeline.id).toBe(p.id);
      expect(d.stage.id).toBe(p.stages[1].id);
    });

    it('createDeal with a pipelineId starts in its first stage', async () => {
      const p = await createPipeline(['A', 'B']);
      const d = await createDeal({ pipelineId: p.id });
      expect(d.stage.id).toBe(p.stages[0].id);
    });

    it.each<[string, () => Promise<Record<string, unknown>>, string]>([
      ['an amount with a comma', async () => ({ amount: '12,50' }), 'input.amount'],
      ['an amount that is not a number', async () => ({ amount: 'abc' }), 'input.amount'],
      ['an amount in exponent notation', async () => ({ amount: '1e5' }), 'input.amount'],
      ['an amount with 5 decimals', async () => ({ amount: '1.23456' }), 'input.amount'],
      ['an unknown currency', async () => ({ currency: 'XYZ' }), 'input.currency'],
      ['a currency that is not 3 letters', async () => ({ currency: 'dollars' }), 'input.currency'],
      [
        'a stage of another pipeline',
        async () => {
          const [p, q] = [await createPipeline(['A']), await createPipeline(['B'])];
          return { pipelineId: p.id, stageId: q.stages[0].id };
        },
        'input.stageId',
      ],
      [
        'an unknown contact',
        async () => ({ contactIds: [globalIdOf('Contact', '00000000-0000-4000-8000-000000000000')] }),
        'input.contactIds[0]',
      ],
      [
        'a company id given as a contact id',
        async () => ({ companyId: org.contacts[0].id }),
        'input.companyId',
      ],
      [
        'an unknown owner',
        async () => ({ ownerId: globalIdOf('User', '00000000-0000-4000-8000-000000000000') }),
        'input.ownerId',
      ],
    ])(
      'createDeal with %s is BAD_USER_INPUT naming the field and writes nothing',
      async (_, input, field) => {
        const extra = await input();
        const count = await dealCount();
        const res = await createDealRes(extra);
        expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(errorOf(res).message).toContain(field);
        expect(await dealCount()).toBe(count);
      },
    );

    it('updateDeal with contactIds replaces the contacts', async () => {
      const [c0, c1, c2, c3] = org.contacts.map((c) => c.id);
      const d = await createDeal({ contactIds: [c0, c1, c2] });
      const res = await updateDeal({ id: d.id, contactIds: [c2, c3] });
      const updated = dataOf(res).updateDeal.deal;
      expect(updated.contacts.nodes.map((c) => c.id).sort()).toEqual([c2, c3].sort());
      const rows = await server.db(
        'select contact_id from deal_contact where deal_id = $1 order by contact_id',
        [pkOf(d.id)],
      );
      expect(rows.map((r) => r.contact_id)).toEqual([pkOf(c2), pkOf(c3)].sort());
    });

    it('updateDeal with contactIds: [] removes every contact', async () => {
      const d = await createDeal({ contactIds: [org.contacts[0].id] });
      const updated = dataOf(await updateDeal({ id: d.id, contactIds: [] })).updateDeal.deal;
      expect(updated.contacts.nodes).toEqual([]);
      expect(await server.db('select 1 from deal_contact where deal_id = $1', [pkOf(d.id)])).toEqual([]);
    });

    it('updateDeal changes the fields given, clears those set to null and keeps the rest', async () => {
      const d = await createDeal({
        amount: '100.50',
        currency: 'GBP',
        companyId: org.companies[0].id,
        ownerId: org.users[1].id,
        contactIds: [org.contacts[1].id],
        expectedCloseDate: '2027-01-15',
        tags: ['a'],
      });
      const updated = dataOf(
        await updateDeal({ id: d.id, name: 'Renamed', amount: '99', currency: 'usd', companyId: null }),
      ).updateDeal.deal;
      expect(updated).toEqual({
        ...d,
        name: 'Renamed',
        amount: expect.any(String),
        currency: 'USD',
        company: null,
      });
      expect(dec(updated.amount)).toBe('99');
    });

    it('updateDeal with a bad currency is BAD_USER_INPUT and changes nothing', async () => {
      const d = await createDeal({ amount: '10', currency: 'USD' });
      const res = await updateDeal({ id: d.id, name: 'Nope', currency: 'ABCD' });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.currency' });
      expect(await readDeal(d.id)).toEqual(d);
    });

    it('moveDeal records the move in stageHistory: stages, names, time and who moved it', async () => {
      const sales = await defaultPipeline();
      const [first, second, third] = sales.stages;
      const d = await createDeal();
      const before = Date.now();
      await moveDeal(d.id, second.id);
      const moved = await moveDeal(d.id, third.id);
      expect(moved.stage).toEqual({ id: third.id, name: third.name });
      expect(moved.stageHistory.map(({ changedAt: _at, ...rest }) => rest)).toEqual([
        {
          fromStage: null,
          fromStageName: null,
          toStage: { id: first.id },
          toStageName: first.name,
          changedBy: { id: org.users[0].id },
        },
        {
          fromStage: { id: first.id },
          fromStageName: first.name,
          toStage: { id: second.id },
          toStageName: second.name,
          changedBy: { id: org.users[0].id },
        },
        {
          fromStage: { id: second.id },
          fromStageName: second.name,
          toStage: { id: third.id },
          toStageName: third.name,
          changedBy: { id: org.users[0].id },
        },
      ]);
      const times = moved.stageHistory.map((h) => Date.parse(h.changedAt));
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      expect(times[1]).toBeGreaterThanOrEqual(before - 1000);
      expect(times[2]).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('moveDeal into a WON stage sets closedAt, and moving back to an OPEN stage clears it', async () => {
      const sales = await defaultPipeline();
      const won = sales.stages.find((s) => s.kind === 'WON');
      const open = sales.stages.find((s) => s.kind === 'OPEN');
      if (!won || !open) throw new Error('the default pipeline needs a WON and an OPEN stage');
      const d = await createDeal();
      const closed = await moveDeal(d.id, won.id);
      expect(closed.closedAt).toMatch(ISO);
      const [row] = await server.db('select closed_at from deal where id = $1', [pkOf(d.id)]);
      expect(row.closed_at).toBeInstanceOf(Date);
      const reopened = await moveDeal(d.id, open.id);
      expect(reopened.closedAt).toBeNull();
    });

    it('moveDeal into a LOST stage sets closedAt too', async () => {
      const sales = await defaultPipeline();
      const lost = sales.stages.find((s) => s.kind === 'LOST');
      if (!lost) throw new Error('the default pipeline needs a LOST stage');
      const d = await createDeal();
      expect((await moveDeal(d.id, lost.id)).closedAt).toMatch(ISO);
    });

    it('moveDeal between two WON stages keeps the time the deal closed', async () => {
      const p = await createPipeline([
        { name: 'Open', probability: 10 },
        { name: 'Won small', probability: 100, kind: 'WON' },
        { name: 'Won big', probability: 100, kind: 'WON' },
        { name: 'Lost', probability: 0, kind: 'LOST' },
      ]);
      const d = await createDeal({ pipelineId: p.id });
      const closed = await moveDeal(d.id, p.stages[1].id);
      const stillClosed = await moveDeal(d.id, p.stages[2].id);
      expect(stillClosed.closedAt).toBe(closed.closedAt);
      const lost = await moveDeal(d.id, p.stages[3].id);
      expect(lost.closedAt).toMatch(ISO);
    });

    it('createDeal straight into a WON stage is closed at once', async () => {
      const sales = await defaultPipeline();
      const won = sales.stages.find((s) => s.kind === 'WON');
      if (!won) throw new Error('the default pipeline needs a WON stage');
      expect((await createDeal({ stageId: won.id })).closedAt).toMatch(ISO);
    });

    it('moveDeal to the stage the deal is in records nothing', async () => {
      const d = await createDeal();
      const same = await moveDeal(d.id, d.stage.id);
      expect(same.stageHistory).toHaveLength(1);
      expect(same).toEqual(d);
    });

    it('moveDeal to a stage of another pipeline moves the deal into that pipeline', async () => {
      const p = await createPipeline(['Elsewhere']);
      const d = await createDeal();
      const moved = await moveDeal(d.id, p.stages[0].id);
      expect(moved.pipeline.id).toBe(p.id);
      expect(moved.stage.id).toBe(p.stages[0].id);
      expect(await listedDealIds({ pipelineId: { eq: p.id } })).toEqual([d.id]);
    });

    it('moveDeal to an unknown stage is refused and records nothing', async () => {
      const d = await createDeal();
      const res = await api.call(
        'mutation($input: MoveDealInput!) { moveDeal(input: $input) { deal { id } } }',
        { input: { id: d.id, stageId: globalIdOf('Stage', '00000000-0000-4000-8000-000000000000') } },
      );
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(errorOf(res).code);
      expect(await readDeal(d.id)).toEqual(d);
    });

    it('deleteDeal hides the deal from deals; deal(id) shows deletedAt; restoreDeal brings it back', async () => {
      const d = await createDeal();
      const del = await api.call<{ deleteDeal: { deletedDealId: string; deal: { deletedAt: string } } }>(
        'mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId deal { deletedAt } } }',
        { id: d.id },
      );
      expect(dataOf(del).deleteDeal).toEqual({
        deletedDealId: d.id,
        deal: { deletedAt: expect.stringMatching(ISO) },
      });
      expect(await listedDealIds()).not.toContain(d.id);
      expect((await readDeal(d.id)).deletedAt).toMatch(ISO);
      const restored = await api.call<{ restoreDeal: { deal: { id: string; deletedAt: null } } }>(
        'mutation($id: ID!) { restoreDeal(input: { id: $id }) { deal { id deletedAt } } }',
        { id: d.id },
      );
      expect(dataOf(restored).restoreDeal.deal).toEqual({ id: d.id, deletedAt: null });
      expect(await listedDealIds()).toContain(d.id);
    });

    it('updateDeal, moveDeal and deleteDeal of a deleted deal are NOT_FOUND', async () => {
      const sales = await defaultPipeline();
      const d = await createDeal();
      dataOf(
        await api.call('mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }', {
          id: d.id,
        }),
      );
      const [before] = await server.db('select * from deal where id = $1', [pkOf(d.id)]);
      expect(errorOf(await updateDeal({ id: d.id, name: 'Zombie' })).code).toBe('NOT_FOUND');
      const move = await api.call(
        'mutation($input: MoveDealInput!) { moveDeal(input: $input) { deal { id } } }',
        {
          input: { id: d.id, stageId: sales.stages[1].id },
        },
      );
      expect(errorOf(move).code).toBe('NOT_FOUND');
      const again = await api.call(
        'mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }',
        {
          id: d.id,
        },
      );
      expect(errorOf(again).code).toBe('NOT_FOUND');
      expect(await server.db('select * from deal where id = $1', [pkOf(d.id)])).toEqual([before]);
    });
  });

  describe('pipelineValue', () => {
    interface StageValue {
      stage: { id: string };
      currency: string;
      dealCount: number;
      totalAmount: string;
      weightedAmount: string;
    }
    interface Value {
      pipeline: { id: string };
      byStage: StageValue[];
      totals: { currency: string; dealCount: number; totalAmount: string; weightedAmount: string }[];
    }
    const value = async (pipelineId: string) =>
      (
        await api.data<{ pipelineValue: Value }>(
          `query($id: ID!) { pipelineValue(pipelineId: $id) {
            pipeline { id }
            byStage { stage { id } currency dealCount totalAmount weightedAmount }
            totals { currency dealCount totalAmount weightedAmount } } }`,
          { id: pipelineId },
        )
      ).pipelineValue;
    const normalised = (v: Value) => ({
      byStage: v.byStage.map((s) => ({
        ...s,
        totalAmount: dec(s.totalAmount),
        weightedAmount: dec(s.weightedAmount),
      })),
      totals: v.totals.map((t) => ({
        ...t,
        totalAmount: dec(t.totalAmount),
        weightedAmount: dec(t.weightedAmount),
      })),
    });

    let p: Pipeline;
    let deletedLater: string;

    beforeAll(async () => {
      p = await createPipeline([
        { name: 'Early', probability: 20 },
        { name: 'Late', probability: 50 },
        { name: 'Won', probability: 100, kind: 'WON' },
        { name: 'Lost', probability: 0, kind: 'LOST' },
        { name: 'Empty', probability: 70 },
      ]);
      const [early, late, won, lost] = p.stages.map((s) => s.id);
      const deals: [string, string, string][] = [
        [early, '1000.00', 'USD'],
        [early, '250.50', 'usd'],
        [early, '400', 'EUR'],
        [late, '1234.56', 'USD'],
        [late, '99.99', 'EUR'],
        [won, '5000', 'USD'],
        [lost, '700', 'USD'],
      ];
      for (const [stageId, amount, currency] of deals) await createDeal({ stageId, amount, currency });
      // Deals that must not count: a deleted one, and one in another pipeline.
      deletedLater = (await createDeal({ stageId: late, amount: '10000', currency: 'USD' })).id;
      dataOf(
        await api.call('mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }', {
          id: deletedLater,
        }),
      );
      await createDeal({ amount: '888', currency: 'USD' });
    });

    it('sums amount and amount × probability per stage and currency, in stage order', async () => {
      const [early, late, won, lost] = p.stages.map((s) => ({ id: s.id }));
      const v = await value(p.id);
      expect(v.pipeline.id).toBe(p.id);
      // Hand-computed: Early 20 %, Late 50 %, Won 100 %, Lost 0 %; the empty stage is left out.
      expect(normalised(v).byStage).toEqual([
        { stage: early, currency: 'EUR', dealCount: 1, totalAmount: '400', weightedAmount: '80' },
        { stage: early, currency: 'USD', dealCount: 2, totalAmount: '1250.5', weightedAmount: '250.1' },
        { stage: late, currency: 'EUR', dealCount: 1, totalAmount: '99.99', weightedAmount: '49.995' },
        { stage: late, currency: 'USD', dealCount: 1, totalAmount: '1234.56', weightedAmount: '617.28' },
        { stage: won, currency: 'USD', dealCount: 1, totalAmount: '5000', weightedAmount: '5000' },
        { stage: lost, currency: 'USD', dealCount: 1, totalAmount: '700', weightedAmount: '0' },
      ]);
    });

    it('totals each currency on its own, never adding different currencies', async () => {
      const v = await value(p.id);
      expect(normalised(v).totals.sort((a, b) => a.currency.localeCompare(b.currency))).toEqual([
        { currency: 'EUR', dealCount: 2, totalAmount: '499.99', weightedAmount: '129.995' },
        { currency: 'USD', dealCount: 5, totalAmount: '8185.06', weightedAmount: '5867.38' },
      ]);
    });

    it('counts a restored deal again and drops a newly deleted one', async () => {
      const [, late] = p.stages;
      dataOf(
        await api.call('mutation($id: ID!) { restoreDeal(input: { id: $id }) { deal { id } } }', {
          id: deletedLater,
        }),
      );
      const withRestored = normalised(await value(p.id));
      expect(withRestored.byStage.find((s) => s.stage.id === late.id && s.currency === 'USD')).toEqual({
        stage: { id: late.id },
        currency: 'USD',
        dealCount: 2,
        totalAmount: '11234.56',
        weightedAmount: '5617.28',
      });
      dataOf(
        await api.call('mutation($id: ID!) { deleteDeal(input: { id: $id }) { deletedDealId } }', {
          id: deletedLater,
        }),
      );
      const again = normalised(await value(p.id));
      expect(again.totals.find((t) => t.currency === 'USD')).toEqual({
        currency: 'USD',
        dealCount: 5,
        totalAmount: '8185.06',
        weightedAmount: '5867.38',
      });
    });

    it('is empty for a pipeline without deals', async () => {
      const empty = await createPipeline(['A']);
      const v = await value(empty.id);
      expect(v).toEqual({ pipeline: { id: empty.id }, byStage: [], totals: [] });
    });
  });
});

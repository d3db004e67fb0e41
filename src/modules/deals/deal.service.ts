import type { EntityManager } from '../../platform/db/orm.js';
import type { TenantSql } from '../../platform/db/tenant-sql.js';
import { badInput, conflict, notFound } from '../../platform/errors.js';
import { fromGlobalId, toGlobalId } from '../../platform/ids.js';
import * as v from '../../platform/validation.js';
import type { OrganizationSetup } from '../auth/index.js';
import { Contact, moveLinks, type ContactMergeStep } from '../contacts/index.js';
import { findRecord } from '../../platform/db/refs.js';
import { recordService } from '../../platform/records/index.js';
import { Deal, DealContact, DealStageChange, Pipeline, Stage } from './deal.entity.js';
import { dealRecord, money, pipelineRecord, StageKind } from './deal.record.js';
import type {
  CreateDealInput,
  CreatePipelineInput,
  CreateStageInput,
  StageInput,
  UpdateDealInput,
  UpdatePipelineInput,
  UpdateStageInput,
} from './deal.types.js';

export const DEFAULT_STAGES: StageInput[] = [
  { name: 'Qualification', probability: 10, kind: StageKind.OPEN },
  { name: 'Meeting scheduled', probability: 30, kind: StageKind.OPEN },
  { name: 'Proposal', probability: 60, kind: StageKind.OPEN },
  { name: 'Negotiation', probability: 80, kind: StageKind.OPEN },
  { name: 'Won', probability: 100, kind: StageKind.WON },
  { name: 'Lost', probability: 0, kind: StageKind.LOST },
];

function newStage(
  organization: string,
  pipeline: string,
  input: StageInput,
  position: number,
  field: string,
): Stage {
  if (!Number.isInteger(input.probability) || input.probability < 0 || input.probability > 100) {
    throw badInput(`${field}.probability`, 'must be a whole percent between 0 and 100.');
  }
  const s = new Stage();
  Object.assign(s, {
    organization,
    pipeline,
    name: v.text(input.name, `${field}.name`, { max: 100 }),
    probability: input.probability,
    kind: input.kind,
    position,
  });
  return s;
}

function buildPipeline(organization: string, name: string, isDefault: boolean, stages: StageInput[]) {
  if (stages.length === 0) throw badInput('input.stages', 'needs at least one stage.');
  if (stages.length > 50) throw badInput('input.stages', 'accepts at most 50 stages.');
  const p = new Pipeline();
  Object.assign(p, { organization, name: v.text(name, 'input.name', { max: 100 }), isDefault });
  return {
    pipeline: p,
    stages: stages.map((s, i) => newStage(organization, p.id, s, i, `input.stages[${i}]`)),
  };
}

/** Every new organisation gets a default sales pipeline (the deals module's `organizationCreated`). */
export const createDefaultPipeline: OrganizationSetup = async (em, organizationId) => {
  const { pipeline, stages } = buildPipeline(organizationId, 'Sales', true, DEFAULT_STAGES);
  em.persist(pipeline);
  await em.flush();
  for (const s of stages) em.persist(s);
  await em.flush();
};

/** Merging contacts moves their deal links to the primary contact (the deals module's `contactsMerged`). */
export const moveDealLinks: ContactMergeStep = async (tx, _organization, primary, duplicates) => {
  const links = await tx.find(DealContact, { contact: { $in: [primary, ...duplicates] } });
  await moveLinks(tx, links, primary, (l) => l.deal);
};

export async function createPipeline(em: EntityManager, organization: string, input: CreatePipelineInput) {
  const { pipeline, stages } = buildPipeline(organization, input.name, input.isDefault, input.stages);
  await em.transactional(async (tx) => {
    if (input.isDefault) await tx.nativeUpdate(Pipeline, { isDefault: true }, { isDefault: false });
    tx.persist(pipeline);
    await tx.flush();
    for (const s of stages) tx.persist(s);
  });
  return pipeline;
}

export async function findPipeline(
  em: EntityManager,
  id: string,
  field: string,
  live = true,
): Promise<Pipeline> {
  return findRecord(em, Pipeline, 'Pipeline', id, { live, field });
}

export async function updatePipeline(em: EntityManager, input: UpdatePipelineInput): Promise<Pipeline> {
  const p = await findPipeline(em, input.id, 'input.id');
  if (input.name !== undefined) {
    if (input.name === null) throw badInput('input.name', 'cannot be cleared.');
    p.name = v.text(input.name, 'input.name', { max: 100 });
  }
  await em.transactional(async (tx) => {
    if (input.isDefault === true && !p.isDefault) {
      await tx.nativeUpdate(Pipeline, { isDefault: true }, { isDefault: false });
      p.isDefault = true;
    } else if (input.isDefault === false && p.isDefault) {
      throw conflict('Make another pipeline the default instead; there is always one default.');
    }
  });
  await em.flush();
  return p;
}

/** Pipelines are created and edited with their stages (below); soft delete and restore are uniform. */
export const pipelineService = recordService(pipelineRecord, Pipeline, {
  async setDeleted(em, p, deleted) {
    if (!deleted) return;
    if (p.isDefault)
      throw conflict('The default pipeline cannot be deleted; make another one the default first.');
    const deals = await em.count(Deal, { pipeline: p.id, deletedAt: null });
    if (deals)
      throw conflict(`The pipeline still has ${deals} deals; move or delete them first.`, {
        dealCount: deals,
      });
  },
});

async function findStage(em: EntityManager, id: string, field: string): Promise<Stage> {
  const s = await em.findOne(Stage, { id: fromGlobalId(id, 'Stage', field) });
  if (!s) throw notFound('Stage', id);
  return s;
}

/** A stage that deals may enter: one of the caller's organisation, in a pipeline that is not deleted. */
async function liveStage(em: EntityManager, id: string, field: string): Promise<Stage> {
  const s = await findStage(em, id, field);
  const p = await em.findOneOrFail(Pipeline, { id: s.pipeline });
  if (p.deletedAt) throw badInput(field, 'belongs to a deleted pipeline.');
  return s;
}

export async function createStage(
  em: EntityManager,
  organization: string,
  input: CreateStageInput,
): Promise<Stage> {
  const p = await findPipeline(em, input.pipelineId, 'input.pipelineId');
  const stages = await em.find(Stage, { pipeline: p.id }, { orderBy: { position: 'asc' } });
  const at = input.position ?? stages.length;
  if (at < 0 || at > stages.length)
    throw badInput('input.position', `must be between 0 and ${stages.length}.`);
  const stage = newStage(organization, p.id, input, at, 'input');
  stages.forEach((s, i) => (s.position = i >= at ? i + 1 : i));
  em.persist(stage);
  await em.flush();
  return stage;
}

export async function updateStage(em: EntityManager, input: UpdateStageInput): Promise<Stage> {
  const s = await findStage(em, input.id, 'input.id');
  if (input.name != null) s.name = v.text(input.name, 'input.name', { max: 100 });
  if (input.probability != null) {
    if (!Number.isInteger(input.probability) || input.probability < 0 || input.probability > 100) {
      throw badInput('input.probability', 'must be a whole percent between 0 and 100.');
    }
    s.probability = input.probability;
  }
  if (input.kind != null) s.kind = input.kind;
  await em.flush();
  return s;
}

export async function reorderStages(
  em: EntityManager,
  pipelineId: string,
  stageIds: string[],
): Promise<Pipeline> {
  const p = await findPipeline(em, pipelineId, 'input.pipelineId');
  const stages = await em.find(Stage, { pipeline: p.id });
  const pks = stageIds.map((id, i) => fromGlobalId(id, 'Stage', `input.stageIds[${i}]`));
  const byId = new Map(stages.map((s) => [s.id, s]));
  if (new Set(pks).size !== pks.length || pks.length !== stages.length || !pks.every((pk) => byId.has(pk))) {
    throw badInput('input.stageIds', 'must list every stage of the pipeline exactly once.');
  }
  pks.forEach((pk, i) => ((byId.get(pk) as Stage).position = i));
  await em.flush();
  return p;
}

export async function deleteStage(
  em: EntityManager,
  principalUser: string | null,
  id: string,
  moveTo: string | null | undefined,
): Promise<{ pipeline: Pipeline; moved: number }> {
  const stage = await findStage(em, id, 'input.id');
  // Checked whether or not the stage holds deals: a foreign or dead id is refused, never ignored.
  const target = moveTo ? await liveStage(em, moveTo, 'input.moveDealsToStageId') : null;
  if (target?.id === stage.id) throw badInput('input.moveDealsToStageId', 'must be another stage.');
  const pipeline = await em.findOneOrFail(Pipeline, { id: stage.pipeline });
  const inUse = await em.count(Deal, { stage: stage.id });
  const remaining = await em.find(
    Stage,
    { pipeline: pipeline.id, id: { $ne: stage.id } },
    { orderBy: { position: 'asc' } },
  );
  if (remaining.length === 0) throw conflict('A pipeline keeps at least one stage.');
  if (inUse && !target) {
    throw conflict(`${inUse} deals are in this stage; give moveDealsToStageId to move them first.`, {
      dealCount: inUse,
    });
  }
  await em.transactional(async (tx) => {
    if (target && inUse) {
      const deals = await tx.find(Deal, { stage: stage.id });
      for (const d of deals) moveTo_(tx, d, stage, target, principalUser);
      await tx.flush();
    }
    remaining.forEach((s, i) => (s.position = i));
    tx.remove(stage);
  });
  return { pipeline, moved: inUse };
}

/** Applies a stage move and records it in the deal's history. */
function moveTo_(
  em: EntityManager,
  deal: Deal,
  from: Stage | null,
  to: Stage,
  changedBy: string | null,
): void {
  deal.stage = to.id;
  deal.pipeline = to.pipeline;
  // Closed when entering WON/LOST (kept when moving between stages of the same kind), open again otherwise.
  if (to.kind === StageKind.OPEN) deal.closedAt = null;
  else if (!from || from.kind !== to.kind || !deal.closedAt) deal.closedAt = new Date();
  const change = new DealStageChange();
  Object.assign(change, {
    organization: deal.organization,
    deal: deal.id,
    fromStage: from?.id ?? null,
    fromStageName: from?.name ?? null,
    toStage: to.id,
    toStageName: to.name,
    changedAt: new Date(),
    changedBy,
  });
  em.persist(change);
}

async function contactRefs(em: EntityManager, ids: string[], field: string): Promise<string[]> {
  if (ids.length > 100) throw badInput(field, 'accepts at most 100 contacts.');
  const pks = ids.map((id, i) => fromGlobalId(id, 'Contact', `${field}[${i}]`));
  const unique = [...new Set(pks)];
  if (!unique.length) return [];
  const found = await em.find(Contact, { id: { $in: unique }, deletedAt: null }, { fields: ['id'] });
  const have = new Set(found.map((c) => c.id));
  const missing = pks.findIndex((pk) => !have.has(pk));
  if (missing >= 0) throw badInput(`${field}[${missing}]`, `no contact ${ids[missing]} exists.`);
  return unique;
}

async function setContacts(em: EntityManager, deal: Deal, contactPks: string[]): Promise<void> {
  await em.nativeDelete(DealContact, { deal: deal.id, contact: { $nin: contactPks } });
  const existing = await em.find(DealContact, { deal: deal.id }, { fields: ['contact'] });
  const have = new Set(existing.map((dc) => dc.contact));
  for (const contact of contactPks) {
    if (have.has(contact)) continue;
    const dc = new DealContact();
    Object.assign(dc, { organization: deal.organization, deal: deal.id, contact });
    em.persist(dc);
  }
}

/**
 * Deals: the declared fields are written uniformly; where a new deal starts (pipeline and stage),
 * its contacts and its stage history are the deal's own rules, below.
 */
export const dealService = recordService(dealRecord, Deal, {
  async setDeleted(em, d, deleted) {
    if (deleted || !d.deletedAt) return;
    const pipeline = await em.findOneOrFail(Pipeline, { id: d.pipeline });
    if (pipeline.deletedAt) {
      throw conflict('The deal is in a deleted pipeline: restore the pipeline first.', {
        pipelineId: toGlobalId('Pipeline', pipeline.id),
      });
    }
  },
});

export async function createDeal(
  em: EntityManager,
  organization: string,
  changedBy: string | null,
  input: CreateDealInput,
): Promise<Deal> {
  const writer = await dealService.writer(em, organization, [input]);
  const d = writer.apply(new Deal(), input, 'input', true);
  // pipelineId is looked up even beside a stageId, so that it too must name a live pipeline of the caller's.
  const pipeline = input.pipelineId ? await findPipeline(em, input.pipelineId, 'input.pipelineId') : null;
  let stage: Stage;
  if (input.stageId) {
    stage = await liveStage(em, input.stageId, 'input.stageId');
    if (pipeline && pipeline.id !== stage.pipeline) {
      throw badInput('input.stageId', 'is not a stage of input.pipelineId.');
    }
  } else {
    const p = pipeline ?? (await em.findOne(Pipeline, { isDefault: true, deletedAt: null }));
    if (!p) throw badInput('input.pipelineId', 'is required: the organisation has no default pipeline.');
    stage = await em.findOneOrFail(Stage, { pipeline: p.id }, { orderBy: { position: 'asc' } });
  }
  const contacts = await contactRefs(em, input.contactIds ?? [], 'input.contactIds');
  await em.transactional(async (tx) => {
    moveTo_(tx, d, null, stage, changedBy);
    tx.persist(d);
    await tx.flush();
    await setContacts(tx, d, contacts);
  });
  return d;
}

export async function updateDeal(
  em: EntityManager,
  organization: string,
  input: UpdateDealInput,
): Promise<Deal> {
  const d = await dealService.find(em, input.id);
  (await dealService.writer(em, organization, [input])).apply(d, input, 'input', false);
  const contacts =
    input.contactIds !== undefined ? await contactRefs(em, input.contactIds ?? [], 'input.contactIds') : null;
  await em.transactional(async (tx) => {
    if (contacts) await setContacts(tx, d, contacts);
  });
  await em.flush();
  return d;
}

export async function moveDeal(
  em: EntityManager,
  changedBy: string | null,
  id: string,
  stageId: string,
): Promise<Deal> {
  const d = await dealService.find(em, id);
  const to = await liveStage(em, stageId, 'input.stageId');
  if (to.id === d.stage) return d;
  const from = await em.findOne(Stage, { id: d.stage });
  await em.transactional(async (tx) => {
    moveTo_(tx, d, from, to, changedBy);
  });
  return d;
}

export interface StageValueRow {
  stageId: string;
  currency: string;
  dealCount: number;
  totalAmount: string;
  weightedAmount: string;
}

/** Sum of amounts and of amount × probability per stage and currency: one SQL statement. */
export async function pipelineValue(db: TenantSql, pipelinePk: string): Promise<StageValueRow[]> {
  return db.query<StageValueRow & Record<string, unknown>>(
    `select s.id as "stageId", d.currency as "currency", count(*)::int as "dealCount",
            ${money('coalesce(sum(d.amount), 0)')}::text as "totalAmount",
            ${money('coalesce(sum(d.amount * s.probability / 100.0), 0)::numeric(19,4)')}::text as "weightedAmount"
       from stage s join deal d on d.stage_id = s.id and d.organization_id = s.organization_id and d.deleted_at is null
      where s.organization_id = $1 and s.pipeline_id = $2
      group by s.id, s.position, d.currency
      order by s.position, d.currency`,
    [pipelinePk],
  );
}

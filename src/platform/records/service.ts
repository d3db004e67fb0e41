import type { EntityManager } from '../db/orm.js';
import { findRecord, setRecordDeleted } from '../db/refs.js';
import { badInput } from '../errors.js';
import { fromGlobalId, parseGlobalId } from '../ids.js';
import type { Column, ToOne } from './columns.js';
import type { EntityOf, RecordDeclaration } from './record.js';

type Input = Record<string, unknown>;

/** What a record type adds to the uniform writes: its own rules, written beside the declaration. */
export interface RecordRules<E, L = unknown> {
  /** Checked before any field is applied: whether the record may change at all (e.g. its status). */
  guard?: (record: E, creating: boolean) => void;
  /** Loads what `apply` needs, once per write of one item or of a whole batch (e.g. custom-field definitions). */
  load?: (em: EntityManager) => Promise<L>;
  /**
   * After the declared fields are applied to `draft` (a detached copy): cross-field rules and
   * hand-written fields. Throwing refuses the item and leaves the record untouched.
   */
  apply?: (draft: E, input: Input, path: string, creating: boolean, loaded: L) => void;
  /**
   * Checks that need the database, around a single create or update (not bulk writes): `before`
   * sees the record as it was, `after` as it will be written (e.g. a uniqueness check).
   */
  before?: (em: EntityManager, record: E, input: Input, creating: boolean) => Promise<void>;
  after?: (em: EntityManager, record: E, input: Input, creating: boolean) => Promise<void>;
  /** Checked before a record is soft-deleted or restored. */
  setDeleted?: (em: EntityManager, record: E, deleted: boolean) => Promise<void> | void;
}

/**
 * Applies create/update inputs to records with the declared write rules. References named in the
 * inputs are looked up once for the whole batch (one statement per relation), so writing n
 * records costs a constant number of look-ups; each item is all-or-nothing.
 */
export class RecordWriter<E extends { organization: string }> {
  private constructor(
    private readonly decl: RecordDeclaration,
    private readonly rules: RecordRules<E>,
    private readonly organization: string,
    private readonly live: Map<string, Set<string>>,
    private readonly loaded: unknown,
  ) {}

  static async open<E extends { organization: string }>(
    decl: RecordDeclaration,
    rules: RecordRules<E>,
    em: EntityManager,
    organization: string,
    inputs: readonly object[],
  ): Promise<RecordWriter<E>> {
    const live = new Map<string, Set<string>>();
    const lookups = Object.entries(decl.relations)
      .filter(([, r]) => r.write && !r.write.byRules)
      .map(async ([name]) => {
        const target = decl.target(name);
        const pks = inputs.flatMap((i) => {
          const p = parseGlobalId((i as Input)[`${name}Id`] as string);
          return p && p.type === target.typeName ? [p.id] : [];
        });
        const where = { id: { $in: pks }, ...(target.list.softDelete ? { deletedAt: null } : {}) };
        const found = pks.length ? await em.find(target.entityName, where, { fields: ['id'] }) : [];
        live.set(name, new Set(found.map((f) => (f as { id: string }).id)));
      });
    const [loaded] = await Promise.all([rules.load?.(em), ...lookups]);
    return new RecordWriter(decl, rules, organization, live, loaded);
  }

  private column(key: string, c: Column, input: Input, path: string, creating: boolean): [boolean, unknown] {
    const w = c.write;
    if (!w || w.byRules || (creating ? !w.create : w.update === false)) return [false, undefined];
    let value = input[key];
    if (value === undefined && !creating) return [false, undefined];
    const field = `${path}.${key}`;
    if (value === undefined || value === null) {
      if (c.kind === 'textList') value = [];
      else if (c.nullable) return [true, null];
      else if (creating) return [false, undefined];
      else throw badInput(field, 'cannot be cleared.');
    }
    return [true, w.check ? w.check(value as never, field) : value];
  }

  private reference(
    name: string,
    r: ToOne,
    input: Input,
    path: string,
    creating: boolean,
  ): [boolean, unknown] {
    const key = `${name}Id`;
    if (!r.write || r.write.byRules || (creating ? !r.write.create : r.write.update === false)) {
      return [false, undefined];
    }
    const id = input[key] as string | null | undefined;
    if (id === undefined && !creating) return [false, undefined];
    const field = `${path}.${key}`;
    if (!id) {
      if (!r.nullable && !creating) throw badInput(field, 'cannot be cleared.');
      return [true, null];
    }
    const target = this.decl.target(name);
    const pk = fromGlobalId(id, target.typeName, field);
    if (!this.live.get(name)?.has(pk)) {
      throw badInput(field, `no ${target.refName ?? target.typeName.toLowerCase()} ${id} exists.`);
    }
    return [true, pk];
  }

  /**
   * Applies `input` at `path` (e.g. `input` or `input.contacts[3]`). Creating: absent fields keep
   * their defaults. Updating: absent fields stay, null clears (or is refused where a value is required).
   */
  apply(record: E, input: object, path: string, creating: boolean): E {
    this.rules.guard?.(record, creating);
    const given = input as Input;
    // A detached copy of the writable fields, so that a refused item changes nothing.
    const current = record as Record<string, unknown>;
    const draft: Record<string, unknown> = {};
    for (const key of [...Object.keys(this.decl.columns), ...Object.keys(this.decl.relations)])
      draft[key] = current[key];
    for (const [key, c] of Object.entries(this.decl.columns)) {
      const [set, value] = this.column(key, c, given, path, creating);
      if (set) draft[key] = value;
    }
    for (const [name, r] of Object.entries(this.decl.relations)) {
      const [set, value] = this.reference(name, r, given, path, creating);
      if (set) draft[name] = value;
    }
    this.rules.apply?.(draft as E, given, path, creating, this.loaded);
    // Only a fully valid input reaches the entity.
    Object.assign(record, draft);
    if (creating) record.organization = this.organization;
    return record;
  }
}

/** Create, update and soft delete of one record type, with the declared write rules. */
export interface RecordService<E extends { organization: string }> {
  create(em: EntityManager, organization: string, input: object): Promise<E>;
  update(em: EntityManager, organization: string, input: { id: string }): Promise<E>;
  setDeleted(em: EntityManager, id: string, deleted: boolean): Promise<E>;
  /** A writer for a batch of inputs (bulk mutations). */
  writer(em: EntityManager, organization: string, inputs: readonly object[]): Promise<RecordWriter<E>>;
  /** A live record by global id (NOT_FOUND otherwise). */
  find(em: EntityManager, id: string, opts?: { live?: boolean; field?: string }): Promise<E>;
}

export function recordService<D extends RecordDeclaration, L = unknown>(
  decl: D,
  entity: new () => EntityOf<D>,
  rules: RecordRules<EntityOf<D>, L> = {},
): RecordService<EntityOf<D>> {
  type E = EntityOf<D>;
  const writer = (em: EntityManager, organization: string, inputs: readonly object[]) =>
    RecordWriter.open<E>(decl, rules as RecordRules<E>, em, organization, inputs);
  const find = (em: EntityManager, id: string, opts: { live?: boolean; field?: string } = {}) =>
    findRecord(em, decl.typeName, decl.typeName, id, {
      live: opts.live ?? true,
      field: opts.field,
    }) as Promise<E>;
  return {
    writer,
    find,
    async create(em, organization, input) {
      const record = new entity();
      await rules.before?.(em, record, input as Input, true);
      (await writer(em, organization, [input])).apply(record, input, 'input', true);
      await rules.after?.(em, record, input as Input, true);
      await em.persistAndFlush(record);
      return record;
    },
    async update(em, organization, input) {
      const record = await find(em, input.id);
      await rules.before?.(em, record, input as Input, false);
      (await writer(em, organization, [input])).apply(record, input, 'input', false);
      await rules.after?.(em, record, input as Input, false);
      await em.flush();
      return record;
    },
    setDeleted(em, id, deleted) {
      return setRecordDeleted(em, decl.typeName, decl.typeName, id, deleted, (r) =>
        rules.setDeleted?.(em, r as E, deleted),
      ) as Promise<E>;
    },
  };
}

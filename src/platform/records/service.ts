import type { EntityManager } from '../db/orm.js';
import { findRecord, liveRef, setRecordDeleted } from '../db/refs.js';
import { badInput } from '../errors.js';
import type { Column } from './columns.js';
import type { EntityOf, RecordDeclaration } from './record.js';

type Input = Record<string, unknown>;

/** What a record type adds to the uniform writes: its own inputs and rules, written beside it. */
export interface RecordRules<E> {
  /** After the declared columns are written, before the flush (e.g. custom fields, cross-field rules). */
  write?: (em: EntityManager, record: E, input: Input, creating: boolean) => Promise<void> | void;
  /** Checked before a record is soft-deleted or restored. */
  setDeleted?: (em: EntityManager, record: E, deleted: boolean) => Promise<void> | void;
}

/** Create, update and soft delete of one record type, with the declared write rules. */
export interface RecordService<E> {
  create(em: EntityManager, organization: string, input: object): Promise<E>;
  update(em: EntityManager, input: { id: string }): Promise<E>;
  setDeleted(em: EntityManager, id: string, deleted: boolean): Promise<E>;
}

function columnValue(key: string, c: Column, value: unknown): unknown {
  const field = `input.${key}`;
  if (value === null) {
    if (c.kind === 'textList') value = [];
    else if (!c.nullable) throw badInput(field, 'cannot be cleared.');
    else return null;
  }
  const check = c.write?.check as ((v: unknown, f: string) => unknown) | undefined;
  return check ? check(value, field) : value;
}

export function recordService<D extends RecordDeclaration>(
  decl: D,
  entity: new () => EntityOf<D>,
  rules: RecordRules<EntityOf<D>> = {},
): RecordService<EntityOf<D>> {
  type E = EntityOf<D>;
  const writable = Object.entries(decl.columns).filter(([, c]) => c.write && !c.write.byRules);
  const references = Object.entries(decl.relations).filter(([, r]) => r.write);

  async function write(em: EntityManager, record: E, input: Input, creating: boolean): Promise<void> {
    const target = record as Record<string, unknown>;
    for (const [key, c] of writable) {
      const value = input[key];
      if (value === undefined || (creating && !c.write?.create)) continue;
      if (!creating && c.write?.update === false) continue;
      if (creating && value === null) continue;
      target[key] = columnValue(key, c, value);
    }
    for (const [name, r] of references) {
      const key = `${name}Id`;
      const value = input[key] as string | null | undefined;
      if (value === undefined || (creating && !r.write?.create)) continue;
      if (value === null && !r.nullable) throw badInput(`input.${key}`, 'cannot be cleared.');
      const ref = decl.target(name);
      const pk = await liveRef(
        em,
        ref.entityName,
        ref.typeName,
        value,
        `input.${key}`,
        ref.refName ?? ref.typeName.toLowerCase(),
      );
      if (pk) await r.write?.check?.(pk, `input.${key}`);
      target[name] = pk;
    }
    await rules.write?.(em, record, input, creating);
  }

  return {
    async create(em, organization, input) {
      const record = new entity();
      record.organization = organization;
      await write(em, record, input as Input, true);
      await em.persistAndFlush(record);
      return record;
    },
    async update(em, input) {
      const record = await findRecord(em, decl.typeName, decl.typeName, input.id, { live: true });
      await write(em, record as E, input as Input, false);
      await em.flush();
      return record as E;
    },
    setDeleted(em, id, deleted) {
      return setRecordDeleted(em, decl.typeName, decl.typeName, id, deleted, (r) =>
        rules.setDeleted?.(em, r as E, deleted),
      ) as Promise<E>;
    },
  };
}

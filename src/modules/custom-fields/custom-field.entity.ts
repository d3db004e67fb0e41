import { randomUUID } from 'node:crypto';
import { ArrayType, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Organization } from '../auth/index.js';
import { TenantScoped } from '../../platform/records/index.js';

export enum CustomFieldObject {
  CONTACT = 'CONTACT',
  COMPANY = 'COMPANY',
}

export enum CustomFieldType {
  TEXT = 'TEXT',
  NUMBER = 'NUMBER',
  BOOLEAN = 'BOOLEAN',
  DATE = 'DATE',
  SELECT = 'SELECT',
  MULTI_SELECT = 'MULTI_SELECT',
}

/** Declares one key an organisation may store in a record's `customFields`. */
@Entity({ tableName: 'custom_field_definition' })
@TenantScoped()
@Unique({ properties: ['organization', 'objectType', 'key'] })
export class CustomFieldDefinition {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @Enum({ items: () => CustomFieldObject, type: 'text' })
  objectType!: CustomFieldObject;

  @Property({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  label!: string;

  @Enum({ items: () => CustomFieldType, type: 'text' })
  type!: CustomFieldType;

  /** Allowed values for SELECT and MULTI_SELECT. */
  @Property({ type: ArrayType, columnType: 'text[]' })
  options: string[] = [];

  @Property({ type: 'boolean', default: false })
  required: boolean = false;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();
}

import { ArrayType, Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../platform/records/index.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const CustomFieldObject = defineEnum('CustomFieldObject', 'CONTACT COMPANY', {
  description: 'The record type a custom field belongs to.',
});
export type CustomFieldObject = EnumOf<typeof CustomFieldObject>;

export const CustomFieldType = defineEnum('CustomFieldType', 'TEXT NUMBER BOOLEAN DATE SELECT MULTI_SELECT', {
  description:
    'TEXT: string (≤ 1000 chars); NUMBER: finite number; BOOLEAN; DATE: "YYYY-MM-DD"; SELECT: one of options; MULTI_SELECT: list of options.',
});
export type CustomFieldType = EnumOf<typeof CustomFieldType>;

/** Declares one key an organisation may store in a record's `customFields`. */
@Entity({ tableName: 'custom_field_definition' })
@Unique({ properties: ['organization', 'objectType', 'key'] })
@TenantScoped()
export class CustomFieldDefinition extends TenantEntity {
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

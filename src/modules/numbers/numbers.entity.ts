import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { recordEntity, TenantEntity, TenantScoped, type RowOf } from '../../platform/records/index.js';
import { complianceRecord } from './compliance.record.js';
import { phoneNumberRecord } from './phone-number.record.js';

/** The write-path entities of the declarations (their MikroORM schemas are listed by the module). */
export const { entity: PhoneNumber } = recordEntity(phoneNumberRecord);
export type PhoneNumber = InstanceType<typeof PhoneNumber>;
export type PhoneNumberRow = RowOf<typeof phoneNumberRecord>;
export const phoneNumberList = phoneNumberRecord.list;

export const { entity: ComplianceApplication } = recordEntity(complianceRecord);
export type ComplianceApplication = InstanceType<typeof ComplianceApplication>;
export type ComplianceRow = RowOf<typeof complianceRecord>;
export const complianceList = complianceRecord.list;

/** A document of a compliance application: the file as given, sent to the provider on submission. */
@Entity({ tableName: 'compliance_document' })
@Index({ properties: ['organization', 'application'] })
@TenantScoped()
export class ComplianceDocument extends TenantEntity {
  @ManyToOne('ComplianceApplication', { mapToPk: true, deleteRule: 'cascade' })
  application!: string;

  /** A ComplianceDocumentType. */
  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  fileName!: string;

  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'int' })
  size!: number;

  /** Hex SHA-256 of the content. */
  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'blob', lazy: true })
  content!: Buffer;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}

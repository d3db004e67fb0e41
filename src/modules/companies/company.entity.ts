import { randomUUID } from 'node:crypto';
import { ArrayType, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Organization, User, TenantScoped } from '../auth/index.js';

@Entity({ tableName: 'company' })
@TenantScoped()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['organization', 'name'] })
export class Company {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Lower-cased web domain, e.g. `acme.com`. */
  @Property({ type: 'text', nullable: true })
  domain?: string | null;

  @Property({ type: 'text', nullable: true })
  industry?: string | null;

  @Property({ type: 'integer', nullable: true })
  employees?: number | null;

  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  owner?: string | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  tags: string[] = [];

  @Property({ type: 'json' })
  customFields: Record<string, unknown> = {};

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;
}

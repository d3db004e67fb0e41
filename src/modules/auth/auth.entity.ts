import { randomUUID } from 'node:crypto';
import { ArrayType, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { recordEntity, TenantEntity, TenantScoped } from '../../platform/records/index.js';
import { userRecord } from './user.record.js';

export { UserRole } from './user.record.js';

export enum ApiKeyScope {
  READ = 'read',
  WRITE = 'write',
  SUBSCRIBE = 'subscribe',
  ADMIN = 'admin',
}

@Entity({ tableName: 'organization' })
export class Organization {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', default: 'FREE' })
  plan: string = 'FREE';

  @Property({ type: 'boolean', default: false })
  demo: boolean = false;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();
}

/** Members (write path) and their MikroORM schema, from the declaration. */
export const { entity: User } = recordEntity(userRecord);
export type User = InstanceType<typeof User>;

@Entity({ tableName: 'api_key' })
@Index({ properties: ['organization'] })
@TenantScoped()
export class ApiKey extends TenantEntity {
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  user?: string | null;

  @Property({ type: 'text' })
  name!: string;

  /** First characters of the key, shown in listings so a user can tell keys apart. */
  @Property({ type: 'text' })
  prefix!: string;

  /** SHA-256 of the key; the key itself is never stored. */
  @Property({ type: 'text', unique: true })
  hash!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  scopes: string[] = [];

  @Property({ type: 'boolean', default: false })
  persistedOnly: boolean = false;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  revokedAt?: Date | null;
}

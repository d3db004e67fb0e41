import { randomUUID } from 'node:crypto';
import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { TenantScoped } from '../../platform/records/index.js';

export enum UserRole {
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
}

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

@Entity({ tableName: 'app_user' })
@TenantScoped()
@Unique({ properties: ['organization', 'email'] })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  organization!: string;

  /** Stored lower-cased: one address, one member. */
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', nullable: true })
  name?: string | null;

  @Enum({ items: () => UserRole, type: 'text' })
  role: UserRole = UserRole.MEMBER;

  /** E.164; click-to-call rings this phone first. */
  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Deactivated members keep their records but cannot own new ones. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  deletedAt?: Date | null;
}

@Entity({ tableName: 'api_key' })
@TenantScoped()
export class ApiKey {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { mapToPk: true, deleteRule: 'cascade' })
  @Index()
  organization!: string;

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

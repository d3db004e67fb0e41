import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A pub/sub message body too large for a NOTIFY payload; written and read by PostgresTransport
 * with plain SQL. Declared as an entity only so the schema the entities describe includes it.
 */
@Entity({ tableName: 'pubsub_message' })
export class PubSubMessage {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt!: Date;
}

import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** A Plivo callback nonce already accepted: a replayed callback is refused (403). Not tenant-owned. */
@Entity({ tableName: 'plivo_webhook_nonce' })
export class PlivoWebhookNonce {
  @PrimaryKey({ type: 'text' })
  nonce!: string;

  @Property({ type: 'datetime', length: 3 })
  @Index()
  receivedAt: Date = new Date();
}

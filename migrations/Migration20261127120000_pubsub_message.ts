import { Migration } from '@mikro-orm/migrations';

/**
 * Bodies of pub/sub messages too large for a NOTIFY payload (8000 bytes): the notification
 * carries only the row's id. Rows are read within moments and swept after five minutes.
 */
export class Migration20261127120000_pubsub_message extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "pubsub_message" ("id" bigserial primary key, "body" text not null, "created_at" timestamptz not null default now());`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "pubsub_message" cascade;`);
  }
}

import { Migration } from '@mikro-orm/migrations';

/** The key that signs one-click unsubscribe links (one row, made on first start). */
export class Migration20261127210000_email_link_secret extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "email_link_secret" ("id" int not null default 1, "secret" text not null, constraint "email_link_secret_pkey" primary key ("id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "email_link_secret" cascade;`);
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261127260000_persisted extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "apq_document" ("key" text not null, "document" text not null, "last_used_at" timestamptz(3) not null default now(), constraint "apq_document_pkey" primary key ("key"));`,
    );
    this.addSql(`create index "apq_document_last_used_at_index" on "apq_document" ("last_used_at");`);

    this.addSql(
      `create table "persisted_document" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "client_name" text not null, "hash" text not null, "operation_name" text null, "operation_type" text check ("operation_type" in ('QUERY', 'MUTATION', 'SUBSCRIPTION')) not null, "document" text not null, "cost" int not null, "depth" int not null, "last_used_at" timestamptz(3) null, "use_count" int not null default 0, constraint "persisted_document_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "persisted_document_organization_id_client_name_index" on "persisted_document" ("organization_id", "client_name");`,
    );
    this.addSql(
      `alter table "persisted_document" add constraint "persisted_document_organization_id_hash_unique" unique ("organization_id", "hash");`,
    );

    this.addSql(
      `alter table "persisted_document" add constraint "persisted_document_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "apq_document" cascade;`);

    this.addSql(`drop table if exists "persisted_document" cascade;`);
  }
}

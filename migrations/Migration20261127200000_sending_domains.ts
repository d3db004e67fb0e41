import { Migration } from '@mikro-orm/migrations';

/** Sending domains and email settings (issue 11): `sending_domain`, `email_settings` (the postal address). */
export class Migration20261127200000_sending_domains extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "email_settings" ("organization_id" uuid not null, "postal_address" text null, "updated_at" timestamptz(3) not null, constraint "email_settings_pkey" primary key ("organization_id"));`,
    );

    this.addSql(
      `create table "sending_domain" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "state" text check ("state" in ('UNVERIFIED', 'VERIFIED')) not null, "provider" text check ("provider" in ('MAILGUN', 'LOCAL')) not null, "provider_id" text null, "dns_records" jsonb not null, "verified_at" timestamptz(3) null, "created_at" timestamptz(3) not null, constraint "sending_domain_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "sending_domain" add constraint "sending_domain_organization_id_name_unique" unique ("organization_id", "name");`,
    );

    this.addSql(
      `alter table "email_settings" add constraint "email_settings_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "sending_domain" add constraint "sending_domain_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "email_settings" cascade;`);

    this.addSql(`drop table if exists "sending_domain" cascade;`);
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261125105633_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "organization" ("id" uuid not null, "name" text not null, "plan" text not null default 'FREE', "demo" boolean not null default false, "created_at" timestamptz(3) not null, constraint "organization_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "custom_field_definition" ("id" uuid not null, "organization_id" uuid not null, "object_type" text check ("object_type" in ('CONTACT', 'COMPANY')) not null, "key" text not null, "label" text not null, "type" text check ("type" in ('TEXT', 'NUMBER', 'BOOLEAN', 'DATE', 'SELECT', 'MULTI_SELECT')) not null, "options" text[] not null, "required" boolean not null default false, "created_at" timestamptz(3) not null, constraint "custom_field_definition_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "custom_field_definition" add constraint "custom_field_definition_organization_id_object_type_key_unique" unique ("organization_id", "object_type", "key");`,
    );

    this.addSql(
      `create table "app_user" ("id" uuid not null, "organization_id" uuid not null, "email" text not null, "name" text null, "role" text check ("role" in ('ADMIN', 'MEMBER')) not null default 'MEMBER', "created_at" timestamptz(3) not null, constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_organization_id_email_unique" unique ("organization_id", "email");`,
    );

    this.addSql(
      `create table "company" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "domain" text null, "industry" text null, "employees" int null, "phone" text null, "owner_id" uuid null, "tags" text[] not null, "custom_fields" jsonb not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "deleted_at" timestamptz(3) null, constraint "company_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "company_organization_id_name_index" on "company" ("organization_id", "name");`,
    );
    this.addSql(
      `create index "company_organization_id_created_at_index" on "company" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "contact" ("id" uuid not null, "organization_id" uuid not null, "first_name" text null, "last_name" text null, "emails" text[] not null, "phones" text[] not null, "job_title" text null, "company_id" uuid null, "owner_id" uuid null, "lifecycle_stage" text check ("lifecycle_stage" in ('SUBSCRIBER', 'LEAD', 'MARKETING_QUALIFIED_LEAD', 'SALES_QUALIFIED_LEAD', 'OPPORTUNITY', 'CUSTOMER', 'EVANGELIST', 'OTHER')) null, "email_status" text check ("email_status" in ('SUBSCRIBED', 'UNSUBSCRIBED', 'BOUNCED', 'COMPLAINED')) not null default 'SUBSCRIBED', "tags" text[] not null, "custom_fields" jsonb not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "deleted_at" timestamptz(3) null, constraint "contact_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "contact_organization_id_company_id_index" on "contact" ("organization_id", "company_id");`,
    );
    this.addSql(
      `create index "contact_organization_id_created_at_index" on "contact" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "api_key" ("id" uuid not null, "organization_id" uuid not null, "user_id" uuid null, "name" text not null, "prefix" text not null, "hash" text not null, "scopes" text[] not null, "persisted_only" boolean not null default false, "created_at" timestamptz(3) not null, "last_used_at" timestamptz(3) null, "revoked_at" timestamptz(3) null, constraint "api_key_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "api_key_organization_id_index" on "api_key" ("organization_id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_hash_unique" unique ("hash");`);

    this.addSql(
      `alter table "custom_field_definition" add constraint "custom_field_definition_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "app_user" add constraint "app_user_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "company" add constraint "company_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "company" add constraint "company_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "contact" add constraint "contact_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_company_id_foreign" foreign key ("company_id") references "company" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "api_key" add constraint "api_key_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_key" add constraint "api_key_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "custom_field_definition" drop constraint "custom_field_definition_organization_id_foreign";`,
    );

    this.addSql(`alter table "app_user" drop constraint "app_user_organization_id_foreign";`);

    this.addSql(`alter table "company" drop constraint "company_organization_id_foreign";`);

    this.addSql(`alter table "contact" drop constraint "contact_organization_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_organization_id_foreign";`);

    this.addSql(`alter table "company" drop constraint "company_owner_id_foreign";`);

    this.addSql(`alter table "contact" drop constraint "contact_owner_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_user_id_foreign";`);

    this.addSql(`alter table "contact" drop constraint "contact_company_id_foreign";`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "custom_field_definition" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "company" cascade;`);

    this.addSql(`drop table if exists "contact" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261127250000_telephony extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "compliance_application" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "country" text not null, "number_type" text check ("number_type" in ('LOCAL', 'MOBILE', 'TOLL_FREE', 'NATIONAL')) not null, "status" text check ("status" in ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED')) not null default 'DRAFT', "end_user_type" text check ("end_user_type" in ('BUSINESS', 'INDIVIDUAL')) not null, "business_name" text null, "first_name" text null, "last_name" text null, "email" text null, "address_line" text null, "city" text null, "postal_code" text null, "address_country" text null, "registration_number" text null, "rejection_reason" text null, "submitted_at" timestamptz(3) null, "decided_at" timestamptz(3) null, "provider_application_id" text null, constraint "compliance_application_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "compliance_application_organization_id_created_at_index" on "compliance_application" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "compliance_document" ("id" uuid not null, "organization_id" uuid not null, "application_id" uuid not null, "type" text not null, "file_name" text not null, "content_type" text not null, "size" int not null, "sha256" text not null, "content" bytea not null, "created_at" timestamptz(3) not null, constraint "compliance_document_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "compliance_document_organization_id_application_id_index" on "compliance_document" ("organization_id", "application_id");`,
    );

    this.addSql(
      `create table "phone_number" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "number" text not null, "country" text not null, "number_type" text check ("number_type" in ('LOCAL', 'MOBILE', 'TOLL_FREE', 'NATIONAL')) not null, "status" text check ("status" in ('ACTIVE', 'RELEASED')) not null default 'ACTIVE', "monthly_rental_rate" numeric(19,4) null, "voice_enabled" boolean not null default true, "sms_enabled" boolean not null default false, "released_at" timestamptz(3) null, "provider" text not null, "compliance_application_id" uuid null, constraint "phone_number_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "phone_number_organization_id_created_at_index" on "phone_number" ("organization_id", "created_at");`,
    );
    this.addSql(
      `create index "phone_number_organization_id_number_index" on "phone_number" ("organization_id", "number");`,
    );

    this.addSql(
      `create table "plivo_webhook_nonce" ("nonce" text not null, "received_at" timestamptz(3) not null, constraint "plivo_webhook_nonce_pkey" primary key ("nonce"));`,
    );
    this.addSql(
      `create index "plivo_webhook_nonce_received_at_index" on "plivo_webhook_nonce" ("received_at");`,
    );

    this.addSql(
      `alter table "compliance_application" add constraint "compliance_application_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "compliance_document" add constraint "compliance_document_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "compliance_document" add constraint "compliance_document_application_id_foreign" foreign key ("application_id") references "compliance_application" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "phone_number" add constraint "phone_number_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "phone_number" add constraint "phone_number_compliance_application_id_foreign" foreign key ("compliance_application_id") references "compliance_application" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "call" add column "placed_at" timestamptz(3) null, add column "user_number" text null, add column "provider_call_uuid" text null;`,
    );
    this.addSql(
      `create index "call_organization_id_placed_at_index" on "call" ("organization_id", "placed_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "compliance_document" drop constraint "compliance_document_application_id_foreign";`,
    );

    this.addSql(
      `alter table "phone_number" drop constraint "phone_number_compliance_application_id_foreign";`,
    );

    this.addSql(`drop table if exists "compliance_application" cascade;`);

    this.addSql(`drop table if exists "compliance_document" cascade;`);

    this.addSql(`drop table if exists "phone_number" cascade;`);

    this.addSql(`drop table if exists "plivo_webhook_nonce" cascade;`);

    this.addSql(`drop index "call_organization_id_placed_at_index";`);
    this.addSql(
      `alter table "call" drop column "placed_at", drop column "user_number", drop column "provider_call_uuid";`,
    );
  }
}

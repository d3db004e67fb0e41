import { Migration } from '@mikro-orm/migrations';

export class Migration20261125110843_crm_domain extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "campaign" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "subject" text not null, "html_body" text null, "text_body" text null, "from_email" text not null, "from_name" text null, "reply_to" text null, "status" text check ("status" in ('DRAFT', 'SCHEDULED', 'SENDING', 'SENT', 'PAUSED', 'CANCELLED')) not null default 'DRAFT', "scheduled_at" timestamptz(3) null, "sent_at" timestamptz(3) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "deleted_at" timestamptz(3) null, constraint "campaign_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "campaign_organization_id_created_at_index" on "campaign" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "pipeline" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "is_default" boolean not null default false, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "deleted_at" timestamptz(3) null, constraint "pipeline_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "pipeline_organization_id_index" on "pipeline" ("organization_id");`);

    this.addSql(
      `create table "stage" ("id" uuid not null, "organization_id" uuid not null, "pipeline_id" uuid not null, "name" text not null, "position" int not null, "probability" int not null, "kind" text check ("kind" in ('OPEN', 'WON', 'LOST')) not null default 'OPEN', "created_at" timestamptz(3) not null, constraint "stage_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "stage_pipeline_id_position_index" on "stage" ("pipeline_id", "position");`);

    this.addSql(
      `create table "deal" ("id" uuid not null, "organization_id" uuid not null, "name" text not null, "amount" numeric(19,4) null, "currency" text not null, "pipeline_id" uuid not null, "stage_id" uuid not null, "company_id" uuid null, "owner_id" uuid null, "expected_close_date" date null, "closed_at" timestamptz(3) null, "tags" text[] not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "deleted_at" timestamptz(3) null, constraint "deal_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "deal_organization_id_stage_id_index" on "deal" ("organization_id", "stage_id");`,
    );
    this.addSql(
      `create index "deal_organization_id_company_id_index" on "deal" ("organization_id", "company_id");`,
    );
    this.addSql(
      `create index "deal_organization_id_created_at_index" on "deal" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "deal_stage_change" ("id" uuid not null, "organization_id" uuid not null, "deal_id" uuid not null, "from_stage_id" uuid null, "from_stage_name" text null, "to_stage_id" uuid null, "to_stage_name" text not null, "changed_at" timestamptz(3) not null, "changed_by_id" uuid null, constraint "deal_stage_change_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "deal_stage_change_deal_id_changed_at_index" on "deal_stage_change" ("deal_id", "changed_at");`,
    );

    this.addSql(
      `create table "deal_contact" ("id" uuid not null, "organization_id" uuid not null, "deal_id" uuid not null, "contact_id" uuid not null, "created_at" timestamptz(3) not null, constraint "deal_contact_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "deal_contact_contact_id_index" on "deal_contact" ("contact_id");`);
    this.addSql(
      `alter table "deal_contact" add constraint "deal_contact_deal_id_contact_id_unique" unique ("deal_id", "contact_id");`,
    );

    this.addSql(
      `create table "campaign_member" ("id" uuid not null, "organization_id" uuid not null, "campaign_id" uuid not null, "contact_id" uuid not null, "email" text null, "status" text check ("status" in ('PENDING', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'COMPLAINED', 'UNSUBSCRIBED', 'FAILED')) not null default 'PENDING', "bounce_type" text check ("bounce_type" in ('HARD', 'SOFT')) null, "error" text null, "provider_message_id" text null, "sent_at" timestamptz(3) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, constraint "campaign_member_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "campaign_member_contact_id_index" on "campaign_member" ("contact_id");`);
    this.addSql(
      `alter table "campaign_member" add constraint "campaign_member_campaign_id_contact_id_unique" unique ("campaign_id", "contact_id");`,
    );

    this.addSql(
      `create table "call" ("id" uuid not null, "organization_id" uuid not null, "direction" text check ("direction" in ('INBOUND', 'OUTBOUND')) not null, "from_number" text not null, "to_number" text not null, "contact_id" uuid null, "deal_id" uuid null, "owner_id" uuid null, "status" text check ("status" in ('QUEUED', 'RINGING', 'IN_PROGRESS', 'COMPLETED', 'BUSY', 'FAILED', 'NO_ANSWER', 'CANCELED')) not null, "started_at" timestamptz(3) null, "answered_at" timestamptz(3) null, "ended_at" timestamptz(3) null, "duration" int null, "bill_duration" int null, "hangup_cause" text null, "notes" text null, "outcome" text check ("outcome" in ('CONNECTED', 'LEFT_VOICEMAIL', 'NO_ANSWER', 'BUSY', 'WRONG_NUMBER', 'CALLBACK_REQUESTED', 'INTERESTED', 'NOT_INTERESTED', 'OTHER')) null, "provider_call_id" text null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "deleted_at" timestamptz(3) null, constraint "call_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "call_organization_id_deal_id_index" on "call" ("organization_id", "deal_id");`,
    );
    this.addSql(
      `create index "call_organization_id_contact_id_index" on "call" ("organization_id", "contact_id");`,
    );
    this.addSql(
      `create index "call_organization_id_created_at_index" on "call" ("organization_id", "created_at");`,
    );

    this.addSql(
      `alter table "campaign" add constraint "campaign_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "pipeline" add constraint "pipeline_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "stage" add constraint "stage_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "stage" add constraint "stage_pipeline_id_foreign" foreign key ("pipeline_id") references "pipeline" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "deal" add constraint "deal_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "deal" add constraint "deal_pipeline_id_foreign" foreign key ("pipeline_id") references "pipeline" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "deal" add constraint "deal_stage_id_foreign" foreign key ("stage_id") references "stage" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "deal" add constraint "deal_company_id_foreign" foreign key ("company_id") references "company" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "deal" add constraint "deal_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "deal_stage_change" add constraint "deal_stage_change_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "deal_stage_change" add constraint "deal_stage_change_deal_id_foreign" foreign key ("deal_id") references "deal" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "deal_stage_change" add constraint "deal_stage_change_from_stage_id_foreign" foreign key ("from_stage_id") references "stage" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "deal_stage_change" add constraint "deal_stage_change_to_stage_id_foreign" foreign key ("to_stage_id") references "stage" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "deal_stage_change" add constraint "deal_stage_change_changed_by_id_foreign" foreign key ("changed_by_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "deal_contact" add constraint "deal_contact_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "deal_contact" add constraint "deal_contact_deal_id_foreign" foreign key ("deal_id") references "deal" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "deal_contact" add constraint "deal_contact_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "campaign_member" add constraint "campaign_member_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "campaign_member" add constraint "campaign_member_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "campaign_member" add constraint "campaign_member_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "call" add constraint "call_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "call" add constraint "call_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "call" add constraint "call_deal_id_foreign" foreign key ("deal_id") references "deal" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "call" add constraint "call_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "app_user" add column "phone" text null, add column "updated_at" timestamptz(3) not null default now(), add column "deleted_at" timestamptz(3) null;`,
    );
    this.addSql(`alter table "app_user" alter column "updated_at" drop default;`);

    this.addSql(`create index "contact_emails_gin" on "contact" using gin ("emails");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "campaign_member" drop constraint "campaign_member_campaign_id_foreign";`);

    this.addSql(`alter table "stage" drop constraint "stage_pipeline_id_foreign";`);

    this.addSql(`alter table "deal" drop constraint "deal_pipeline_id_foreign";`);

    this.addSql(`alter table "deal" drop constraint "deal_stage_id_foreign";`);

    this.addSql(`alter table "deal_stage_change" drop constraint "deal_stage_change_from_stage_id_foreign";`);

    this.addSql(`alter table "deal_stage_change" drop constraint "deal_stage_change_to_stage_id_foreign";`);

    this.addSql(`alter table "deal_stage_change" drop constraint "deal_stage_change_deal_id_foreign";`);

    this.addSql(`alter table "deal_contact" drop constraint "deal_contact_deal_id_foreign";`);

    this.addSql(`alter table "call" drop constraint "call_deal_id_foreign";`);

    this.addSql(`drop table if exists "campaign" cascade;`);

    this.addSql(`drop table if exists "pipeline" cascade;`);

    this.addSql(`drop table if exists "stage" cascade;`);

    this.addSql(`drop table if exists "deal" cascade;`);

    this.addSql(`drop table if exists "deal_stage_change" cascade;`);

    this.addSql(`drop table if exists "deal_contact" cascade;`);

    this.addSql(`drop table if exists "campaign_member" cascade;`);

    this.addSql(`drop table if exists "call" cascade;`);

    this.addSql(
      `alter table "app_user" drop column "phone", drop column "updated_at", drop column "deleted_at";`,
    );

    this.addSql(`drop index "contact_emails_gin";`);
  }
}

import { Migration } from '@mikro-orm/migrations';

/** Email sending (issue 11): the outbox, webhook tokens and events, suppression, restriction, send claims. */
export class Migration20261127190000_email_sending extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "email_webhook_token" ("token" text not null, "received_at" timestamptz(3) not null, constraint "email_webhook_token_pkey" primary key ("token"));`,
    );

    this.addSql(
      `create table "email_suppression" ("id" uuid not null, "organization_id" uuid not null, "email" text not null, "reason" text not null, "created_at" timestamptz(3) not null, constraint "email_suppression_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "email_suppression" add constraint "email_suppression_organization_id_email_unique" unique ("organization_id", "email");`,
    );

    this.addSql(
      `create table "email_restriction" ("organization_id" uuid not null, "restricted" boolean not null default false, "reason" text null, "lifted_at" timestamptz(3) null, "lift_reason" text null, "updated_at" timestamptz(3) not null, constraint "email_restriction_pkey" primary key ("organization_id"));`,
    );

    this.addSql(
      `create table "email_outbox" ("id" uuid not null, "organization_id" uuid not null, "member" uuid null, "message_id" text not null, "from_address" text not null, "to_address" text not null, "subject" text not null, "text_body" text null, "html_body" text null, "headers" jsonb not null, "variables" jsonb not null, "created_at" timestamptz(3) not null, constraint "email_outbox_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "email_outbox_member_index" on "email_outbox" ("member");`);

    this.addSql(
      `create table "email_event" ("id" uuid not null, "organization_id" uuid not null, "event_id" text not null, "member" uuid null, "campaign" uuid null, "kind" text not null, "received_at" timestamptz(3) not null, constraint "email_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "email_event_received_at_index" on "email_event" ("received_at");`);
    this.addSql(
      `alter table "email_event" add constraint "email_event_event_id_unique" unique ("event_id");`,
    );

    this.addSql(
      `alter table "email_suppression" add constraint "email_suppression_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "email_restriction" add constraint "email_restriction_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "email_outbox" add constraint "email_outbox_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "email_event" add constraint "email_event_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "campaign_member" drop constraint if exists "campaign_member_status_check";`);

    this.addSql(
      `alter table "campaign_member" add column "claim_id" text null, add column "claimed_at" timestamptz(3) null, add column "attempts" int not null default 0, add column "next_attempt_at" timestamptz(3) null;`,
    );
    this.addSql(
      `alter table "campaign_member" add constraint "campaign_member_status_check" check("status" in ('PENDING', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'COMPLAINED', 'UNSUBSCRIBED', 'FAILED', 'SKIPPED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "email_webhook_token" cascade;`);

    this.addSql(`drop table if exists "email_suppression" cascade;`);

    this.addSql(`drop table if exists "email_restriction" cascade;`);

    this.addSql(`drop table if exists "email_outbox" cascade;`);

    this.addSql(`drop table if exists "email_event" cascade;`);

    this.addSql(`alter table "campaign_member" drop constraint if exists "campaign_member_status_check";`);

    this.addSql(
      `alter table "campaign_member" drop column "claim_id", drop column "claimed_at", drop column "attempts", drop column "next_attempt_at";`,
    );

    this.addSql(
      `alter table "campaign_member" add constraint "campaign_member_status_check" check("status" in ('PENDING', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'COMPLAINED', 'UNSUBSCRIBED', 'FAILED'));`,
    );
  }
}

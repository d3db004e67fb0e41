import { Migration } from '@mikro-orm/migrations';

export class Migration20261127270000_billing extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "invoice" ("id" uuid not null, "organization_id" uuid not null, "plan" text not null, "amount" numeric(19,2) not null, "currency" text not null default 'USD', "period_start" timestamptz(3) not null, "period_end" timestamptz(3) not null, "reason" text check ("reason" in ('SUBSCRIPTION_CREATE', 'UPGRADE', 'RENEWAL', 'DOWNGRADE')) not null, "created_at" timestamptz(3) not null, constraint "invoice_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "invoice_organization_id_created_at_index" on "invoice" ("organization_id", "created_at");`,
    );

    this.addSql(
      `create table "billing_subscription" ("organization_id" uuid not null, "plan" text not null, "status" text check ("status" in ('ACTIVE', 'CANCELING')) not null default 'ACTIVE', "current_period_start" timestamptz(3) not null, "current_period_end" timestamptz(3) not null, "billing_cycle_anchor" timestamptz(3) not null, "cancel_at_period_end" boolean not null default false, "pending_plan" text null, "canceled_at" timestamptz(3) null, "updated_at" timestamptz(3) not null, constraint "billing_subscription_pkey" primary key ("organization_id"));`,
    );
    this.addSql(
      `create index "billing_subscription_current_period_end_index" on "billing_subscription" ("current_period_end");`,
    );

    this.addSql(
      `create table "billing_event" ("id" uuid not null, "organization_id" uuid not null, "kind" text check ("kind" in ('PLAN_CHANGED', 'DOWNGRADE_SCHEDULED', 'CANCELED', 'RESUMED', 'RENEWED', 'DOWNGRADED', 'ENDED')) not null, "from_plan" text null, "to_plan" text null, "refund_amount" numeric(19,2) not null default 0, "note" text null, "at" timestamptz(3) not null, constraint "billing_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "billing_event_organization_id_at_index" on "billing_event" ("organization_id", "at");`,
    );

    this.addSql(
      `alter table "invoice" add constraint "invoice_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "billing_subscription" add constraint "billing_subscription_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "billing_event" add constraint "billing_event_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "plan" add column "price" numeric(19,2) not null default 0;`);

    // Monthly prices in USD (README "Plans and usage limits"); plans added without one cost 0.
    this.addSql(
      `update "plan" set "price" = case "code" when 'STANDARD' then 49 when 'PROFESSIONAL' then 199 when 'ENTERPRISE' then 999 else 0 end
        where "code" in ('FREE', 'STANDARD', 'PROFESSIONAL', 'ENTERPRISE');`,
    );
    // Every existing organisation gets its subscription on its current plan: a period of one
    // calendar month (UTC) from now, nothing invoiced for it (no charge is made up after the fact).
    this.addSql(
      `insert into "billing_subscription" ("organization_id", "plan", "status", "current_period_start", "current_period_end",
         "billing_cycle_anchor", "cancel_at_period_end", "updated_at")
       select o."id", o."plan", 'ACTIVE', now(), (now() at time zone 'utc' + interval '1 month') at time zone 'utc', now(), false, now()
         from "organization" o
       on conflict do nothing;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "invoice" cascade;`);

    this.addSql(`drop table if exists "billing_subscription" cascade;`);

    this.addSql(`drop table if exists "billing_event" cascade;`);

    this.addSql(`alter table "plan" drop column "price";`);
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261125112616_usage_limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "plan" ("code" text not null, "name" text not null, "max_cost" int not null, "bucket_size" int not null, "restore_rate" int not null, "api_calls_per_day" bigint not null, "records_per_call" int not null, "bandwidth_per_day" bigint not null, "requests_per_second" int not null, "concurrent_requests" int not null, "emails_per_day" int not null, "calls_per_day" int not null, "phone_numbers" int not null, "max_depth" int not null, "max_aliases" int not null, "max_root_fields" int not null, "max_subscriptions" int not null, "partner_access" boolean not null, constraint "plan_pkey" primary key ("code"));`,
    );

    this.addSql(
      `create table "usage_bucket" ("organization_id" uuid not null, "tokens" double precision not null, "updated_at" timestamptz(3) not null, constraint "usage_bucket_pkey" primary key ("organization_id"));`,
    );

    this.addSql(
      `create table "usage_counter" ("organization_id" uuid not null, "dimension" text not null, "period_start" timestamptz(3) not null, "used" bigint not null, constraint "usage_counter_pkey" primary key ("organization_id", "dimension"));`,
    );

    // The four plans of CONTRACT §5 with their default limits (documented in the README).
    this.addSql(
      `insert into "plan" ("code", "name", "max_cost", "bucket_size", "restore_rate", "api_calls_per_day", "records_per_call", "bandwidth_per_day", "requests_per_second", "concurrent_requests", "emails_per_day", "calls_per_day", "phone_numbers", "max_depth", "max_aliases", "max_root_fields", "max_subscriptions", "partner_access") values
        ('FREE', 'Free', 1000, 2000, 100, 10000, 100, 104857600, 25, 5, 500, 50, 1, 10, 20, 10, 5, false),
        ('STANDARD', 'Standard', 2000, 4000, 200, 100000, 250, 1073741824, 50, 10, 10000, 500, 5, 12, 50, 20, 20, true),
        ('PROFESSIONAL', 'Professional', 5000, 10000, 500, 1000000, 500, 10737418240, 100, 25, 100000, 5000, 25, 15, 100, 30, 100, true),
        ('ENTERPRISE', 'Enterprise', 10000, 20000, 1000, 10000000, 1000, 107374182400, 250, 50, 1000000, 50000, 100, 20, 200, 50, 500, true);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "plan" cascade;`);

    this.addSql(`drop table if exists "usage_bucket" cascade;`);

    this.addSql(`drop table if exists "usage_counter" cascade;`);
  }
}

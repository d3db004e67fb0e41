import { Migration } from '@mikro-orm/migrations';

/** The bounce policy counts an organisation's hard bounces and complaints in its window from this index. */
export class Migration20261127230000_email_event_policy_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists "email_event_received_at_index";`);
    this.addSql(
      `create index "email_event_organization_id_kind_received_at_index" on "email_event" ("organization_id", "kind", "received_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "email_event_organization_id_kind_received_at_index";`);
    this.addSql(`create index "email_event_received_at_index" on "email_event" ("received_at");`);
  }
}

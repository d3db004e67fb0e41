import { Migration } from '@mikro-orm/migrations';

/**
 * A company's first contacts and deals in the default order (created_at, id) as an index range
 * scan: the compiled read path takes "first N children of each parent" with LIMIT per parent,
 * which without these sorts every child of the parent. They replace the (organization, company)
 * indexes, of which they are an extension.
 */
export class Migration20261127180000_child_page_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "contact_organization_id_company_id_index";`);
    this.addSql(
      `create index "contact_organization_id_company_id_created_at_id_index" on "contact" ("organization_id", "company_id", "created_at", "id");`,
    );
    this.addSql(`drop index "deal_organization_id_company_id_index";`);
    this.addSql(
      `create index "deal_organization_id_company_id_created_at_id_index" on "deal" ("organization_id", "company_id", "created_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "contact_organization_id_company_id_created_at_id_index";`);
    this.addSql(
      `create index "contact_organization_id_company_id_index" on "contact" ("organization_id", "company_id");`,
    );
    this.addSql(`drop index "deal_organization_id_company_id_created_at_id_index";`);
    this.addSql(
      `create index "deal_organization_id_company_id_index" on "deal" ("organization_id", "company_id");`,
    );
  }
}

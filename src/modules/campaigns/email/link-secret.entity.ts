import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The key that signs one-click unsubscribe links: one row, made on first start and shared by
 * every instance (a link made by one instance is honoured by all). Not organisation-owned.
 */
@Entity({ tableName: 'email_link_secret' })
export class EmailLinkSecret {
  @PrimaryKey({ type: 'int', autoincrement: false, default: 1 })
  id = 1;

  @Property({ type: 'text' })
  secret!: string;
}

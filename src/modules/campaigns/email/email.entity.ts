import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { defineEnum, type EnumOf } from '../../../platform/graphql/enums.js';
import { TenantEntity, TenantScoped } from '../../../platform/records/index.js';

/**
 * Email's own tables beside the campaign records: the local outbox (the transport when no
 * Mailgun key is configured), processed webhook events and tokens (each once), the suppression
 * list, the organisation's sending restriction, its sending domains and its email settings.
 */

/** A message the local transport "sent": stored, viewable through `outboxMessages`. */
@Entity({ tableName: 'email_outbox' })
@Index({ properties: ['member'] })
@TenantScoped()
export class EmailOutboxMessage extends TenantEntity {
  @Property({ type: 'uuid', nullable: true })
  member?: string | null;

  @Property({ type: 'text' })
  messageId!: string;

  @Property({ type: 'text' })
  fromAddress!: string;

  @Property({ type: 'text' })
  toAddress!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text', nullable: true })
  textBody?: string | null;

  @Property({ type: 'text', nullable: true })
  htmlBody?: string | null;

  @Property({ type: 'json' })
  headers: Record<string, string> = {};

  @Property({ type: 'json' })
  variables: Record<string, string> = {};

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}

/** A Mailgun webhook token already seen: a replayed delivery is refused (406). Not tenant-owned. */
@Entity({ tableName: 'email_webhook_token' })
export class EmailWebhookToken {
  @PrimaryKey({ type: 'text' })
  token!: string;

  @Property({ type: 'datetime', length: 3 })
  receivedAt: Date = new Date();
}

/** A provider event applied once (by its event id), kept for the rolling bounce and complaint rates. */
@Entity({ tableName: 'email_event' })
@Unique({ properties: ['eventId'] })
// The bounce policy counts an organisation's events of one kind in its window: an index-only count.
@Index({ properties: ['organization', 'kind', 'receivedAt'] })
@TenantScoped()
export class EmailEvent extends TenantEntity {
  @Property({ type: 'text' })
  eventId!: string;

  @Property({ type: 'uuid', nullable: true })
  member?: string | null;

  @Property({ type: 'uuid', nullable: true })
  campaign?: string | null;

  /** delivered, opened, clicked, failed-permanent, failed-temporary, complained, unsubscribed. */
  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'datetime', length: 3 })
  receivedAt: Date = new Date();
}

/** An address the organisation never sends to again (hard bounce, complaint, unsubscribe, or by hand). */
@Entity({ tableName: 'email_suppression' })
@Unique({ properties: ['organization', 'email'] })
@TenantScoped()
export class EmailSuppression extends TenantEntity {
  @Property({ type: 'text' })
  email!: string;

  /** HARD_BOUNCE, COMPLAINT, UNSUBSCRIBE or MANUAL. */
  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}

/** The organisation's sending restriction (bounce policy), one row per organisation once evaluated. */
@Entity({ tableName: 'email_restriction' })
@TenantScoped()
export class EmailRestriction {
  @ManyToOne('Organization', { mapToPk: true, deleteRule: 'cascade', primary: true })
  organization!: string;

  @Property({ type: 'boolean' })
  restricted = false;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  /** When an admin lifted it by hand: the restriction stays off until the rates are evaluated again after this. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  liftedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  liftReason?: string | null;

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = new Date();
}

export const SendingDomainState = defineEnum('SendingDomainState', 'UNVERIFIED VERIFIED', {
  description:
    'VERIFIED: campaigns may send from addresses on the domain; UNVERIFIED: publish its `dnsRecords`, then `refreshSendingDomain`.',
});
export type SendingDomainState = EnumOf<typeof SendingDomainState>;

export const SendingDomainProvider = defineEnum('SendingDomainProvider', 'MAILGUN LOCAL', {
  description:
    'Who verified the domain. MAILGUN: registered with Mailgun, which checks its DNS records. LOCAL: no email provider is configured (no MAILGUN_API_KEY, messages go to the local outbox), so the domain is verified at once without any DNS check; such a domain does not count as verified once Mailgun is configured (refreshSendingDomain then registers it with Mailgun).',
});
export type SendingDomainProvider = EnumOf<typeof SendingDomainProvider>;

/** One DNS record to publish for a sending domain, as the provider reports it. */
export interface StoredDnsRecord {
  /** TXT, CNAME, MX, … */
  type: string;
  name: string;
  value: string;
  /** VALID, INVALID or UNKNOWN (not checked yet, or never: a LOCAL domain). */
  valid: string;
}

/** A domain an organisation sends from: a campaign's from address must be on a VERIFIED one. */
@Entity({ tableName: 'sending_domain' })
@Unique({ properties: ['organization', 'name'] })
@TenantScoped()
export class SendingDomain extends TenantEntity {
  /** A lower-case hostname (domains.ts validates it). */
  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => SendingDomainState, type: 'text' })
  state!: SendingDomainState;

  @Enum({ items: () => SendingDomainProvider, type: 'text' })
  provider!: SendingDomainProvider;

  /**
   * The provider's id of the registration this organisation made (null: never registered, or
   * its answer was lost): only a domain registered so counts as the organisation's.
   */
  @Property({ type: 'text', nullable: true })
  providerId?: string | null = null;

  /** The records to publish (the provider's sending records). */
  @Property({ type: 'json' })
  dnsRecords: StoredDnsRecord[] = [];

  @Property({ type: 'datetime', length: 3, nullable: true })
  verifiedAt?: Date | null = null;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}

/** The organisation's email settings (one row per organisation, once set). */
@Entity({ tableName: 'email_settings' })
@TenantScoped()
export class EmailSettings {
  @ManyToOne('Organization', { mapToPk: true, deleteRule: 'cascade', primary: true })
  organization!: string;

  /** The sender's physical postal address (CAN-SPAM), shown in every campaign's footer. */
  @Property({ type: 'text', nullable: true })
  postalAddress?: string | null;

  @Property({ type: 'datetime', length: 3 })
  updatedAt: Date = new Date();
}

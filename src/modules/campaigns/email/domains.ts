import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { EntityManager } from '../../../platform/db/orm.js';
import { badInput, conflict, notFound } from '../../../platform/errors.js';
import { defineEnum, type EnumOf } from '../../../platform/graphql/enums.js';
import { DateTime } from '../../../platform/graphql/types.js';
import { fromGlobalId, toGlobalId } from '../../../platform/ids.js';
import {
  SendingDomain,
  SendingDomainProvider,
  SendingDomainState,
  type StoredDnsRecord,
} from './email.entity.js';

/**
 * Sending domains (issue 11): the domains an organisation sends campaigns from. A campaign's from
 * address must be on one of its VERIFIED domains (screening's UNVERIFIED_SENDING_DOMAIN).
 *
 * With Mailgun configured (`EmailDeps.domains`), a domain is registered with Mailgun
 * (`domains.create`), which answers the DNS records to publish; `refreshSendingDomain` asks
 * Mailgun to check them again (`domains.verify`), and Mailgun's `state: active` makes it VERIFIED.
 * Mailgun domains belong to the whole Mailgun account, so a domain counts as the organisation's
 * only when its own registration succeeded (Mailgun's domain id is kept): a name Mailgun already
 * knows (another organisation's, the platform's own) is refused, never adopted.
 *
 * Without Mailgun (the local outbox) there is nothing to check DNS with: the domain is VERIFIED
 * at once, with provider LOCAL and the records that Mailgun would ask for. Such a domain does not
 * count once Mailgun is configured; refreshing it then registers it with Mailgun.
 */

/** At most this many sending domains per organisation. */
export const MAX_SENDING_DOMAINS = 20;

export const DnsRecordValidity = defineEnum('DnsRecordValidity', 'VALID INVALID UNKNOWN', {
  description:
    "Whether the provider found the record published as it should be. UNKNOWN: not checked yet (or never: a LOCAL domain's records are not checked).",
});
export type DnsRecordValidity = EnumOf<typeof DnsRecordValidity>;

// ---------------------------------------------------------------------------------------------
// Names

/** One DNS label: letters, digits and inner hyphens, 1–63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The top-level label: letters (com, de, …) or an IDNA A-label (xn--…); never digits only. */
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * A sending domain's name, strictly: a lower-case hostname as DNS stores it (IDNs in their
 * `xn--` form), at most 253 characters, at least two labels, no trailing dot, no IP literal.
 */
export function sendingDomainName(value: string, field: string): string {
  const refuse = (why: string) => badInput(field, `${why} Give a domain name such as "mail.example.com".`);
  if (value.length === 0) throw refuse('must not be empty.');
  if (value.length > 253) throw refuse('must have at most 253 characters.');
  if (value !== value.trim()) throw refuse('must not have leading or trailing spaces.');
  if (/[A-Z]/.test(value)) throw refuse('must be lower-case.');
  if (/[/@]/.test(value)) throw refuse('must be a bare domain name, without a scheme, path or address.');
  if (value.startsWith('[') || value.includes(':')) throw refuse('must not be an IP address or have a port.');
  const labels = value.split('.');
  if (labels.length < 2) throw refuse('must have at least one dot.');
  if (labels.every((l) => /^\d+$/.test(l)) || /^(?:0x[0-9a-f]*|\d+)$/.test(labels[labels.length - 1])) {
    throw refuse('must not be an IP address.');
  }
  if (labels.some((l) => !LABEL.test(l))) {
    throw refuse(
      'must be a hostname: labels of 1–63 lower-case letters, digits or inner hyphens, separated by single dots (IDNs in their xn-- form).',
    );
  }
  if (!TOP_LABEL.test(labels[labels.length - 1])) {
    throw refuse('must end in a top-level domain of letters (or an xn-- label).');
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The provider

/** What the provider says about a domain. */
export interface ProviderDomain {
  /** The provider's id of the domain: proof that this registration created it. */
  id: string;
  verified: boolean;
  dnsRecords: StoredDnsRecord[];
}

/**
 * A refusal or failure of the provider: `exists` (the name is registered in the provider account
 * already), `missing` (the provider does not know the name), `refused` (the provider rejects the
 * name; `message` says why), `unavailable` (no answer, 429 or 5xx: try again later).
 */
export class DomainProviderError extends Error {
  constructor(
    readonly kind: 'exists' | 'missing' | 'refused' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/** The email provider's domains API (Mailgun's, through mailgun.js). */
export interface SendingDomains {
  /** Registers the domain: its records to publish and its state. */
  create(name: string): Promise<ProviderDomain>;
  /** Has the provider check the domain's DNS records again, and answers the result. */
  verify(name: string): Promise<ProviderDomain>;
  /**
   * Removes the domain from the provider account when it is still the registration `id` (a domain
   * the provider does not know, or knows under another id, is left alone).
   */
  remove(name: string, id: string): Promise<void>;
}

type MailgunClient = ReturnType<InstanceType<typeof Mailgun>['client']>;

interface MailgunDomain {
  id?: string;
  state?: string;
  sending_dns_records?: Array<{ record_type?: string; name?: string; value?: string; valid?: string }> | null;
}

const statusOf = (err: unknown): number | undefined =>
  typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : undefined;

/** A client-facing cut of the provider's own words. */
const providerWords = (err: unknown): string => {
  const details = (err as { details?: unknown })?.details;
  const text = typeof details === 'string' && details ? details : String((err as Error)?.message ?? err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** mailgun.js reports a refused or reset connection as status 400 with the socket error's code as its message. */
function classify(err: unknown): DomainProviderError {
  const status = statusOf(err);
  const message = String((err as { message?: unknown })?.message ?? '');
  if (status === undefined || status === 429 || status >= 500 || /^E[A-Z_]+$/.test(message)) {
    return new DomainProviderError('unavailable', `Mailgun did not answer (${status ?? 'no answer'}).`);
  }
  if (status === 404) return new DomainProviderError('missing', providerWords(err));
  if (/already exists|already taken|is taken/i.test(providerWords(err))) {
    return new DomainProviderError('exists', providerWords(err));
  }
  if (status === 401 || status === 403) {
    // Our key is wrong: not the client's doing, and nothing to show it.
    return new DomainProviderError('unavailable', `Mailgun refused the API key (${status}).`);
  }
  return new DomainProviderError('refused', providerWords(err));
}

const VALIDITY: Record<string, DnsRecordValidity> = {
  valid: DnsRecordValidity.VALID,
  invalid: DnsRecordValidity.INVALID,
};

function fromMailgun(domain: MailgunDomain): ProviderDomain {
  return {
    id: String(domain.id ?? ''),
    verified: domain.state === 'active',
    dnsRecords: (domain.sending_dns_records ?? []).map((r) => ({
      type: String(r.record_type ?? ''),
      name: String(r.name ?? ''),
      value: String(r.value ?? ''),
      valid: VALIDITY[String(r.valid)] ?? DnsRecordValidity.UNKNOWN,
    })),
  };
}

/** Mailgun's domains API through mailgun.js (`MAILGUN_API_KEY`; `MAILGUN_URL` for the API base). */
export class MailgunDomains implements SendingDomains {
  private readonly client: MailgunClient;

  constructor(opts: { key: string; url: string; timeoutMs?: number }) {
    this.client = new Mailgun(FormData).client({
      username: 'api',
      key: opts.key,
      url: opts.url,
      timeout: opts.timeoutMs ?? 15_000,
    });
  }

  async create(name: string): Promise<ProviderDomain> {
    try {
      return fromMailgun((await this.client.domains.create({ name })) as MailgunDomain);
    } catch (err) {
      throw classify(err);
    }
  }

  async verify(name: string): Promise<ProviderDomain> {
    try {
      return fromMailgun((await this.client.domains.verify(name)) as MailgunDomain);
    } catch (err) {
      throw classify(err);
    }
  }

  async remove(name: string, id: string): Promise<void> {
    try {
      const current = (await this.client.domains.get(name, { with_dns: false })) as MailgunDomain;
      if (String(current.id ?? '') !== id) return;
      await this.client.domains.destroy(name);
    } catch (err) {
      const refused = classify(err);
      if (refused.kind !== 'missing') throw refused;
    }
  }
}

/**
 * What Mailgun asks to publish for a domain (its default sending records), shown for a LOCAL
 * domain: nothing is checked, and the DKIM key is only issued when Mailgun registers the domain.
 */
export function localDnsRecords(name: string): StoredDnsRecord[] {
  return [
    { type: 'TXT', name, value: 'v=spf1 include:mailgun.org ~all', valid: DnsRecordValidity.UNKNOWN },
    {
      type: 'TXT',
      name: `smtp._domainkey.${name}`,
      value: 'k=rsa; p=<the public key Mailgun issues when the domain is registered>',
      valid: DnsRecordValidity.UNKNOWN,
    },
    { type: 'CNAME', name: `email.${name}`, value: 'mailgun.org', valid: DnsRecordValidity.UNKNOWN },
  ];
}

// ---------------------------------------------------------------------------------------------
// GraphQL types

@ObjectType({ simpleResolvers: true, description: 'A DNS record to publish for a sending domain.' })
export class DnsRecord {
  @Field({ description: 'TXT, CNAME, MX, …' })
  type!: string;

  @Field({ description: 'The host name the record is published at.' })
  name!: string;

  @Field()
  value!: string;

  @Field(() => DnsRecordValidity)
  valid!: DnsRecordValidity;
}

@ObjectType('SendingDomain', {
  simpleResolvers: true,
  description:
    "A domain the organisation sends campaigns from: a campaign's from address must be on a VERIFIED one.",
})
export class SendingDomainNode {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Lower-case.' })
  name!: string;

  @Field(() => SendingDomainState)
  state!: SendingDomainState;

  @Field(() => SendingDomainProvider)
  provider!: SendingDomainProvider;

  @Field(() => [DnsRecord], {
    description:
      'The records to publish in DNS (SPF, DKIM, tracking) so the provider can verify the domain; empty until the provider registered it.',
  })
  dnsRecords!: DnsRecord[];

  @Field(() => DateTime, {
    nullable: true,
    description: 'When it was last found verified; null when not verified.',
  })
  verifiedAt!: Date | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'What to know about the state, e.g. that a LOCAL domain was verified without a DNS check.',
  })
  note!: string | null;
}

@InputType({ description: 'A domain to send from.' })
export class CreateSendingDomainInput {
  @Field({
    description:
      'A lower-case hostname with at least one dot, at most 253 characters, e.g. "mail.example.com" (IDNs in their xn-- form).',
  })
  name!: string;
}

@InputType()
export class SendingDomainIdInput {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ simpleResolvers: true })
export class SendingDomainPayload {
  @Field(() => SendingDomainNode)
  sendingDomain!: SendingDomainNode;
}

@ObjectType({ simpleResolvers: true })
export class DeleteSendingDomainPayload {
  @Field(() => ID)
  deletedSendingDomainId!: string;
}

// ---------------------------------------------------------------------------------------------
// Service

const LOCAL_NOTE =
  'Verified locally: no email provider is configured (MAILGUN_API_KEY is not set; messages go to the local outbox), so DNS was not checked. These are the records Mailgun would ask for; once Mailgun is configured, refreshSendingDomain registers the domain with it.';
const PENDING_NOTE =
  'Not registered with Mailgun for this organisation (Mailgun did not answer the registration, or now has the name under a registration that is not this one): refreshSendingDomain registers it when Mailgun accepts it.';
const UNVERIFIED_NOTE =
  'Publish the DNS records below, then call refreshSendingDomain (DNS changes can take a while to be seen).';

export function toSendingDomainNode(d: SendingDomain): SendingDomainNode {
  let note: string | null = null;
  if (d.provider === SendingDomainProvider.LOCAL) note = LOCAL_NOTE;
  else if (!d.providerId) note = PENDING_NOTE;
  else if (d.state !== SendingDomainState.VERIFIED) note = UNVERIFIED_NOTE;
  return {
    id: toGlobalId('SendingDomain', d.id),
    name: d.name,
    state: d.state,
    provider: d.provider,
    dnsRecords: d.dnsRecords.map((r) => ({
      type: r.type,
      name: r.name,
      value: r.value,
      valid: (DnsRecordValidity as Record<string, DnsRecordValidity>)[r.valid] ?? DnsRecordValidity.UNKNOWN,
    })),
    verifiedAt: d.verifiedAt ?? null,
    createdAt: d.createdAt,
    note,
  };
}

/** Records the provider's answer on the domain (a registration of ours: its id is kept). */
function apply(d: SendingDomain, answer: ProviderDomain): void {
  const wasVerified = d.state === SendingDomainState.VERIFIED && d.provider === SendingDomainProvider.MAILGUN;
  d.provider = SendingDomainProvider.MAILGUN;
  d.providerId = answer.id;
  d.dnsRecords = answer.dnsRecords;
  d.state = answer.verified ? SendingDomainState.VERIFIED : SendingDomainState.UNVERIFIED;
  d.verifiedAt = answer.verified ? (wasVerified && d.verifiedAt ? d.verifiedAt : new Date()) : null;
}

const takenByProvider = (name: string) =>
  conflict(
    `The domain ${name} is already registered with the email provider (by another account or organisation, or as the platform's own domain), so it cannot be registered for this organisation.`,
    { name },
  );

const refusedByProvider = (err: DomainProviderError) =>
  badInput('input.name', `the email provider refused the domain: ${err.message}`);

/** A provider failure the client cannot fix: logged and shown as INTERNAL_SERVER_ERROR. */
const providerDown = (err: DomainProviderError) => new Error(`Sending domain: ${err.message}`);

export async function listSendingDomains(em: EntityManager): Promise<SendingDomainNode[]> {
  const rows = await em.find(SendingDomain, {}, { orderBy: { name: 'asc' }, limit: MAX_SENDING_DOMAINS });
  return rows.map(toSendingDomainNode);
}

export async function createSendingDomain(
  em: EntityManager,
  organization: string,
  input: CreateSendingDomainInput,
  provider: SendingDomains | undefined,
): Promise<SendingDomainNode> {
  const name = sendingDomainName(input.name, 'input.name');
  const existing = await em.findOne(SendingDomain, { name });
  if (existing) {
    throw conflict(`The sending domain ${name} is already registered for this organisation.`, {
      name,
      id: toGlobalId('SendingDomain', existing.id),
    });
  }
  if ((await em.count(SendingDomain, {})) >= MAX_SENDING_DOMAINS) {
    throw conflict(
      `An organisation has at most ${MAX_SENDING_DOMAINS} sending domains: delete one before adding another.`,
      { limit: MAX_SENDING_DOMAINS },
    );
  }
  const d = new SendingDomain();
  d.organization = organization;
  d.name = name;
  if (provider) {
    // Stored first, so a registration whose answer is lost is not forgotten (refresh completes it).
    d.provider = SendingDomainProvider.MAILGUN;
    d.state = SendingDomainState.UNVERIFIED;
  } else {
    d.provider = SendingDomainProvider.LOCAL;
    d.state = SendingDomainState.VERIFIED;
    d.verifiedAt = new Date();
    d.dnsRecords = localDnsRecords(name);
  }
  try {
    await em.persistAndFlush(d);
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      throw conflict(`The sending domain ${name} is already registered for this organisation.`, { name });
    }
    throw err;
  }
  if (provider) {
    try {
      apply(d, await provider.create(name));
    } catch (err) {
      if (!(err instanceof DomainProviderError)) throw err;
      if (err.kind !== 'unavailable') {
        await em.removeAndFlush(d);
        throw err.kind === 'exists' ? takenByProvider(name) : refusedByProvider(err);
      }
      // No answer: kept UNVERIFIED without a provider id; refreshSendingDomain registers it.
    }
    await em.flush();
  }
  return toSendingDomainNode(d);
}

async function findDomain(em: EntityManager, globalId: string): Promise<SendingDomain> {
  const d = await em.findOne(SendingDomain, { id: fromGlobalId(globalId, 'SendingDomain', 'input.id') });
  if (!d) throw notFound('SendingDomain', globalId);
  return d;
}

/**
 * Checks the domain again. With Mailgun: a domain this organisation registered is verified again
 * (one Mailgun no longer knows is registered anew; one Mailgun now knows under another id was
 * replaced by someone else and is no longer this organisation's); one it never registered
 * (LOCAL, or a registration that got no answer) is registered now. Without Mailgun: nothing to
 * check, the domain is answered as it is.
 */
export async function refreshSendingDomain(
  em: EntityManager,
  globalId: string,
  provider: SendingDomains | undefined,
): Promise<SendingDomainNode> {
  const d = await findDomain(em, globalId);
  if (!provider) return toSendingDomainNode(d);
  let answer: ProviderDomain;
  try {
    if (!d.providerId) answer = await provider.create(d.name);
    else {
      try {
        answer = await provider.verify(d.name);
        // Another id: deleted from Mailgun and registered again by someone else.
        if (answer.id !== d.providerId) throw new DomainProviderError('exists', 'replaced');
      } catch (err) {
        if (!(err instanceof DomainProviderError) || err.kind !== 'missing') throw err;
        answer = await provider.create(d.name);
      }
    }
  } catch (err) {
    if (!(err instanceof DomainProviderError)) throw err;
    if (err.kind === 'unavailable') throw providerDown(err);
    if (err.kind === 'exists') {
      if (d.provider === SendingDomainProvider.MAILGUN) {
        d.state = SendingDomainState.UNVERIFIED;
        d.verifiedAt = null;
        d.providerId = null;
        await em.flush();
      }
      throw takenByProvider(d.name);
    }
    throw conflict(`The email provider refused the domain ${d.name}: ${err.message}`, { name: d.name });
  }
  apply(d, answer);
  await em.flush();
  return toSendingDomainNode(d);
}

/** Deletes the domain (and, when this organisation registered it with Mailgun, Mailgun's domain). */
export async function deleteSendingDomain(
  em: EntityManager,
  globalId: string,
  provider: SendingDomains | undefined,
): Promise<string> {
  const d = await findDomain(em, globalId);
  if (provider && d.providerId) {
    try {
      await provider.remove(d.name, d.providerId);
    } catch (err) {
      if (err instanceof DomainProviderError) throw providerDown(err);
      throw err;
    }
  }
  await em.removeAndFlush(d);
  return globalId;
}

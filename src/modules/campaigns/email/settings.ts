import { Field, InputType, ObjectType } from 'type-graphql';
import type { TenantSql } from '../../../platform/db/tenant-sql.js';
import { badInput } from '../../../platform/errors.js';
import { DateTime } from '../../../platform/graphql/types.js';

/**
 * The organisation's email settings (table `email_settings`, one row per organisation once set):
 * the sender's physical postal address, which CAN-SPAM requires in every commercial message and
 * which the pre-send checks look for in each campaign body (NO_POSTAL_ADDRESS).
 */

export const MAX_POSTAL_ADDRESS = 500;

@ObjectType('EmailSettings', { simpleResolvers: true, description: "The organisation's email settings." })
export class EmailSettingsNode {
  @Field(() => String, {
    nullable: true,
    description:
      "The sender's physical postal address (CAN-SPAM): every campaign body must show it (whitespace and case aside); null until set, and no campaign can be sent before it is.",
  })
  postalAddress!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'When the settings last changed; null until set.' })
  updatedAt!: Date | null;
}

@InputType()
export class UpdateEmailSettingsInput {
  @Field({
    description: `The sender's physical postal address, one or more lines, at most ${MAX_POSTAL_ADDRESS} characters (a street address or a registered post office box).`,
  })
  postalAddress!: string;
}

@ObjectType({ simpleResolvers: true })
export class UpdateEmailSettingsPayload {
  @Field(() => EmailSettingsNode)
  emailSettings!: EmailSettingsNode;
}

/** Control characters other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A postal address as stored: trimmed, each line trimmed, blank lines dropped, CRLF as LF. */
export function postalAddress(value: string, field: string): string {
  if (CONTROL.test(value)) throw badInput(field, 'must not contain control characters.');
  const lines = value
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const address = lines.join('\n');
  if (address === '') throw badInput(field, 'must not be empty.');
  if (address.length > MAX_POSTAL_ADDRESS) {
    throw badInput(field, `must have at most ${MAX_POSTAL_ADDRESS} characters.`);
  }
  if (!/[\p{L}\p{N}]/u.test(address)) throw badInput(field, 'must be a postal address.');
  return address;
}

interface SettingsRow extends Record<string, unknown> {
  postal_address: string | null;
  updated_at: Date | null;
}

const toNode = (row: SettingsRow | undefined): EmailSettingsNode => ({
  postalAddress: row?.postal_address ?? null,
  updatedAt: row?.updated_at ?? null,
});

export async function readEmailSettings(db: TenantSql): Promise<EmailSettingsNode> {
  const rows = await db.query<SettingsRow>(
    'select s.postal_address, s.updated_at from email_settings s where s.organization_id = $1',
  );
  return toNode(rows[0]);
}

export async function updateEmailSettings(
  db: TenantSql,
  input: UpdateEmailSettingsInput,
): Promise<EmailSettingsNode> {
  const address = postalAddress(input.postalAddress, 'input.postalAddress');
  const rows = await db.query<SettingsRow>(
    `insert into email_settings (organization_id, postal_address, updated_at) values ($1, $2, now())
     on conflict (organization_id) do update set postal_address = excluded.postal_address, updated_at = excluded.updated_at
     returning postal_address, updated_at`,
    [address],
  );
  return toNode(rows[0]);
}

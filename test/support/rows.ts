import type { TestServer } from './server';

/** Every table holding an organisation's data (the organisation row itself first). */
export const DATA_TABLES = [
  'organization',
  'api_key',
  'app_user',
  'company',
  'contact',
  'custom_field_definition',
  'pipeline',
  'stage',
  'deal',
  'deal_contact',
  'deal_stage_change',
  'campaign',
  'campaign_member',
  'call',
  'billing_subscription',
  'invoice',
  'billing_event',
];

/**
 * Every stored row by table, of one organisation (its primary key) or of all: what a refused
 * mutation must leave as it was. A key's last use is bookkeeping, not data, and is left out.
 */
export async function storedRows(
  server: TestServer,
  organizationPk?: string,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of DATA_TABLES) {
    const column = table === 'organization' ? 'id' : 'organization_id';
    // One subscription per organisation: keyed by it, no id of its own.
    const order = table === 'billing_subscription' ? 'organization_id' : 'id';
    const rows = organizationPk
      ? await server.db(`select * from ${table} where ${column} = $1 order by ${order}`, [organizationPk])
      : await server.db(`select * from ${table} order by ${order}`);
    out[table] = rows.map(({ last_used_at: _lastUsed, ...rest }) => rest);
  }
  return out;
}

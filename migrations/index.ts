import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125105633_initial } from './Migration20261125105633_initial.js';
import { Migration20261125110843_crm_domain } from './Migration20261125110843_crm_domain.js';
import { Migration20261125112616_usage_limits } from './Migration20261125112616_usage_limits.js';
import { Migration20261127110000_usage_admission } from './Migration20261127110000_usage_admission.js';
import { Migration20261127113000_active_subscriptions } from './Migration20261127113000_active_subscriptions.js';
import { Migration20261127120000_pubsub_message } from './Migration20261127120000_pubsub_message.js';
import { Migration20261127150000_async_usage_commit } from './Migration20261127150000_async_usage_commit.js';
import { Migration20261127170000_usage_admit_batch } from './Migration20261127170000_usage_admit_batch.js';
import { Migration20261127180000_child_page_indexes } from './Migration20261127180000_child_page_indexes.js';
import { Migration20261127190000_email_sending } from './Migration20261127190000_email_sending.js';
import { Migration20261127200000_sending_domains } from './Migration20261127200000_sending_domains.js';
import { Migration20261127210000_email_link_secret } from './Migration20261127210000_email_link_secret.js';
import { Migration20261127220000_mailgun_event } from './Migration20261127220000_mailgun_event.js';
import { Migration20261127230000_email_event_policy_index } from './Migration20261127230000_email_event_policy_index.js';
import { Migration20261127240000_mailgun_event_async } from './Migration20261127240000_mailgun_event_async.js';
import { Migration20261127250000_telephony } from './Migration20261127250000_telephony.js';
import { Migration20261127260000_persisted } from './Migration20261127260000_persisted.js';
import { Migration20261127270000_billing } from './Migration20261127270000_billing.js';

/** Applied in this order; `npm run migration:create` writes new files, which are listed here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125105633_initial', class: Migration20261125105633_initial },
  { name: 'Migration20261125110843_crm_domain', class: Migration20261125110843_crm_domain },
  { name: 'Migration20261125112616_usage_limits', class: Migration20261125112616_usage_limits },
  { name: 'Migration20261127110000_usage_admission', class: Migration20261127110000_usage_admission },
  {
    name: 'Migration20261127113000_active_subscriptions',
    class: Migration20261127113000_active_subscriptions,
  },
  { name: 'Migration20261127120000_pubsub_message', class: Migration20261127120000_pubsub_message },
  { name: 'Migration20261127150000_async_usage_commit', class: Migration20261127150000_async_usage_commit },
  { name: 'Migration20261127170000_usage_admit_batch', class: Migration20261127170000_usage_admit_batch },
  { name: 'Migration20261127180000_child_page_indexes', class: Migration20261127180000_child_page_indexes },
  { name: 'Migration20261127190000_email_sending', class: Migration20261127190000_email_sending },
  { name: 'Migration20261127200000_sending_domains', class: Migration20261127200000_sending_domains },
  { name: 'Migration20261127210000_email_link_secret', class: Migration20261127210000_email_link_secret },
  { name: 'Migration20261127220000_mailgun_event', class: Migration20261127220000_mailgun_event },
  {
    name: 'Migration20261127230000_email_event_policy_index',
    class: Migration20261127230000_email_event_policy_index,
  },
  { name: 'Migration20261127240000_mailgun_event_async', class: Migration20261127240000_mailgun_event_async },
  { name: 'Migration20261127250000_telephony', class: Migration20261127250000_telephony },
  { name: 'Migration20261127260000_persisted', class: Migration20261127260000_persisted },
  { name: 'Migration20261127270000_billing', class: Migration20261127270000_billing },
];

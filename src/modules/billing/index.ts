import type { AppModule } from '../../modules.js';
import { BillingEvent, BillingSubscription, Invoice } from './billing.entity.js';
import { BillingResolver } from './billing.resolver.js';
import { openFreeSubscription } from './billing.service.js';

/** The billing subscription (CONTRACT §10): prices, periods, plan changes, cancellation, invoices. */
export const billingModule: AppModule = {
  name: 'billing',
  uses: ['auth', 'usage'],
  entities: [BillingSubscription, Invoice, BillingEvent],
  resolvers: [BillingResolver],
  hooks: { organizationCreated: openFreeSubscription },
};

/** What other modules (and the app) may use of this one. */
export { BillingService, FREE_PLAN, REFUND_POLICY, SUPPORT_CONTACT } from './billing.service.js';
export type { BillingDeps } from './billing.resolver.js';
export { planChangedTopic } from './billing.events.js';
export { PeriodEndJob, type PeriodEndReport } from './period-end.js';
export { BillingEventKind, BillingSubscriptionStatus, InvoiceReason } from './billing.entity.js';

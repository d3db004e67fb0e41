import type { AppModule } from '../../modules.js';
import { ActiveSubscription, Plan, UsageBucket, UsageCounter } from './usage.entity.js';
import { UsageResolver } from './usage.resolver.js';

/** Plans, metering, `usage`, `estimateCost` and `quotaChanged`. */
export const usageModule: AppModule = {
  name: 'usage',
  uses: ['auth', 'campaigns', 'numbers', 'calls'],
  entities: [Plan, UsageCounter, UsageBucket, ActiveSubscription],
  resolvers: [UsageResolver],
};

/** What other modules may use of this one. */
export { PlanNode } from './usage.types.js';
export { assessOperation } from './usage.gate.js';
export type { CostCalculator } from './cost.js';
export type { Clock, PlanCache, PlanLimits } from './meter.js';
export { requireFeature, type PlanFeature } from './plan-feature.js';

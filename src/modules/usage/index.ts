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

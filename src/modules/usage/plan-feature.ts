import { AppError, ErrorCode } from '../../platform/errors.js';
import type { PlanCache, PlanLimits } from './meter.js';

/** The limits a plan switches on or off: features it has or lacks. */
export type PlanFeature = {
  [K in keyof PlanLimits]: PlanLimits[K] extends boolean ? K : never;
}[keyof PlanLimits];

/** How a refusal names each feature. */
const FEATURE_NAMES: Record<PlanFeature, string> = {
  partnerAccess: 'Partner (persisted-only) keys',
};

/**
 * Throws SUBSCRIPTION_INACTIVE (CONTRACT §10) unless the plan `plan` (a code) has `feature`,
 * naming the plans that have it; an unknown code counts as FREE, as everywhere.
 */
export async function requireFeature(plan: string, feature: PlanFeature, plans: PlanCache): Promise<void> {
  if ((await plans.get(plan))[feature]) return;
  const plansWithFeature = (await plans.all()).filter((p) => p[feature]).map((p) => p.code);
  throw new AppError(
    ErrorCode.SUBSCRIPTION_INACTIVE,
    `${FEATURE_NAMES[feature]} are not part of the ${plan} plan; ${
      plansWithFeature.length
        ? `plans with them: ${plansWithFeature.join(', ')} (changePlan)`
        : 'no plan has them'
    }.`,
    { feature, plan, plansWithFeature },
  );
}

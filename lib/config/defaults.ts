import { ClientConfig } from './types';
import { ModelProvider } from '../pricing/price-catalog';

/*
 * The defaults of optional config keys, defined once: the schema's descriptions, the semantic
 * checks and the constructs that apply them all read these.
 */

/** Governance settings applied when the config leaves them out. */
export const GOVERNANCE_DEFAULTS = {
  anomalyBandStdDevs: 3,
  anomalyDatapointsToAlarm: 3,
  anomalyEvaluationHours: 4,
  spendRateMultiplier: 5,
  maxTenantSharePercent: 50,
  costAnomalyMonitor: true,
  costAnomalyThresholdUsd: 100,
} as const;

/**
 * The monthly amount the AWS budget watches: what AWS bills (Bedrock), not the spend through
 * other providers. `undefined` when the client calls no Bedrock model.
 */
export function awsBilledMonthlyUsd(config: Pick<ClientConfig, 'budgets' | 'models'>): number | undefined {
  if (!config.models.some((m) => m.provider === ModelProvider.AWS_BEDROCK)) return undefined;
  return config.budgets.awsBilledMonthlyUsd ?? config.budgets.monthlyUsd;
}

/** Rollout settings applied when a route's `rollout` leaves them out. */
export const ROLLOUT_DEFAULTS = {
  /** 10% -> 50% -> 100% over ten days: each stage bakes long enough to see weekday and weekend traffic. */
  stages: [
    { percent: 10, bakeHours: 72 },
    { percent: 50, bakeHours: 96 },
    { percent: 100, bakeHours: 72 },
  ],
  shadowPercent: 0,
  minCallsPerStage: 200,
  /** Days the previous variant stays in the flag as the rollback target after a promotion. */
  keepPreviousDays: 30,
  /** Times a stage may wait another bake for enough calls before the plan stops for a human. */
  maxPausesPerStage: 2,
} as const;

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

import { ClientConfig, Severity } from './types';
import { ModelProvider } from '../pricing/price-catalog';

/*
 * The defaults of optional config keys, defined once: the schema's descriptions, the semantic
 * checks and the constructs that apply them all read these.
 */

/** A route SLO's defaults. */
export const SLO_DEFAULTS = {
  /** Highest acceptable throttle rate, percent of calls. */
  throttleRatePercent: 5,
} as const;

/** The accuracy SLO's defaults. */
export const ACCURACY_DEFAULTS = {
  /** Hours of evaluations pooled into each drift-alarm datapoint. */
  windowHours: 24,
  /** Verdicts or scores a window needs before the drift alarm may decide. */
  minScoredCalls: 30,
  /** Severity of the drift alarms. */
  severity: Severity.P2,
  /** The no-scores alarm fires after at least this many hours without a single evaluation. */
  noScoresHours: 24,
} as const;

/** The `reports` section's defaults. */
export const REPORT_DEFAULTS = {
  dayOfMonth: 1,
  hour: 8,
  timeZone: 'UTC',
  quarterlyReview: true,
  retentionDays: 730,
} as const;

/** Model calls a month across all agents that the monitoring-cost estimate assumes. */
export const DEFAULT_EXPECTED_MONTHLY_CALLS = 1_000_000;

/** The PagerDuty Events API v2 endpoint (EU accounts use events.eu.pagerduty.com). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

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
 * What the AWS budget covers, in one sentence for the synth output: the Bedrock share it watches,
 * and the rest of `budgets.monthlyUsd`, which only the telemetry's alarms guard.
 */
export function awsBudgetCoverage(config: Pick<ClientConfig, 'clientId' | 'budgets' | 'models'>): string {
  const usd = (amount: number) => `USD ${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  const others = [...new Set(config.models.filter((m) => m.provider !== ModelProvider.AWS_BEDROCK).map((m) => m.modelId))];
  const awsBilled = awsBilledMonthlyUsd(config);
  const guarded = 'guarded by the telemetry\'s spend-rate and burn-rate alarms alone';
  if (awsBilled === undefined) {
    return `cdk-ai-ops ${config.clientId}: no AWS budget (no model is on Amazon Bedrock, so AWS bills none of the model spend); `
      + `budgets.monthlyUsd ${usd(config.budgets.monthlyUsd)} is ${guarded}`;
  }
  const rest = config.budgets.monthlyUsd - awsBilled;
  return `cdk-ai-ops ${config.clientId}: the AWS budget watches ${usd(awsBilled)} a month of Amazon Bedrock, what AWS bills`
    + (others.length === 0 ? '' : `; the other ${usd(Math.max(rest, 0))} of budgets.monthlyUsd (${others.join(', ')}) is ${guarded}`);
}

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
  /** Accuracy points the candidate may lose before `cdk-ai-ops compare` calls it inferior. */
  nonInferiorityMarginPoints: 2,
  minCallsPerStage: 200,
  /** Days the previous variant stays in the flag as the rollback target after a promotion. */
  keepPreviousDays: 30,
  /** Times a stage may wait another bake for enough calls before the plan stops for a human. */
  maxPausesPerStage: 2,
} as const;

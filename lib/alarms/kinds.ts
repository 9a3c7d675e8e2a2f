/*
 * The alarm kinds and their default severities. No aws-cdk-lib here: the governance report
 * function reads alarm history back into kinds and severities with the same table.
 */
import { Severity, SeverityOverrides } from '../config/types';

/** The kinds of alarm the library creates; each has a runbook section of the same name. */
export enum SloAlarmKind {
  LATENCY_P50 = 'latency-p50',
  LATENCY_P95 = 'latency-p95',
  LATENCY_P99 = 'latency-p99',
  MODEL_ERROR_RATE = 'model-error-rate',
  APP_ERROR_RATE = 'app-error-rate',
  THROTTLE_RATE = 'throttle-rate',
  RETRIEVAL_STALENESS = 'retrieval-staleness',
  PROMPT_CACHE_HIT_RATE = 'prompt-cache-hit-rate',
  AGENT_DOWN = 'agent-down',
  PRODUCTION_DOWN = 'production-down',
  /** Alerts the PagerDuty path could not deliver (the dead-letter queue's depth). */
  UNDELIVERED_ALERTS = 'undelivered-alerts',
  /** Hourly spend above its anomaly band (per agent, per model, in total). */
  SPEND_ANOMALY = 'spend-anomaly',
  /** Prompt-cache hit rate below its anomaly band. */
  CACHE_HIT_ANOMALY = 'prompt-cache-hit-anomaly',
  /** An hour's spend above a multiple of the budgeted hourly rate. */
  SPEND_RATE = 'spend-rate',
  /** A day's spend above 1.5x the daily share of the monthly budget. */
  BUDGET_BURN_WARNING = 'budget-burn-warning',
  /** A day's spend above 3x the daily share of the monthly budget. */
  BUDGET_BURN = 'budget-burn',
  SESSION_STEPS = 'session-steps',
  SESSION_TOOL_CALLS = 'session-tool-calls',
  SESSION_TOKENS = 'session-tokens',
  SESSION_COST = 'session-cost',
  /** One tenant making most of an hour's spend. */
  TENANT_SHARE = 'tenant-share',
  /** An evaluator's pass rate is, with 95% confidence, below its objective. */
  ACCURACY_PASS_RATE = 'accuracy-pass-rate',
  /** An evaluator's mean score is, with 95% confidence, below its objective. */
  ACCURACY_MEAN_SCORE = 'accuracy-mean-score',
  /** An evaluator of an accuracy SLO recorded nothing for a day (or its window, when longer). */
  ACCURACY_NO_SCORES = 'accuracy-no-scores',
  /** A run of the monthly governance report failed: no report was produced. */
  GOVERNANCE_REPORT_FAILED = 'governance-report-failed',
}

/**
 * Severities by the service's SLA table: production down or data-loss risk is P1; degraded
 * performance and partial outage P2; minor defects (and cost drift that hurts no user) P3.
 */
export const DEFAULT_SEVERITIES: Record<SloAlarmKind, Severity> = {
  [SloAlarmKind.LATENCY_P50]: Severity.P3,
  [SloAlarmKind.LATENCY_P95]: Severity.P2,
  [SloAlarmKind.LATENCY_P99]: Severity.P2,
  [SloAlarmKind.MODEL_ERROR_RATE]: Severity.P2,
  [SloAlarmKind.APP_ERROR_RATE]: Severity.P2,
  [SloAlarmKind.THROTTLE_RATE]: Severity.P2,
  [SloAlarmKind.RETRIEVAL_STALENESS]: Severity.P3,
  [SloAlarmKind.PROMPT_CACHE_HIT_RATE]: Severity.P3,
  [SloAlarmKind.AGENT_DOWN]: Severity.P1,
  [SloAlarmKind.PRODUCTION_DOWN]: Severity.P1,
  [SloAlarmKind.UNDELIVERED_ALERTS]: Severity.P1,
  [SloAlarmKind.SPEND_ANOMALY]: Severity.P2,
  [SloAlarmKind.CACHE_HIT_ANOMALY]: Severity.P2,
  [SloAlarmKind.SPEND_RATE]: Severity.P1,
  [SloAlarmKind.BUDGET_BURN_WARNING]: Severity.P2,
  [SloAlarmKind.BUDGET_BURN]: Severity.P1,
  [SloAlarmKind.SESSION_STEPS]: Severity.P2,
  [SloAlarmKind.SESSION_TOOL_CALLS]: Severity.P2,
  [SloAlarmKind.SESSION_TOKENS]: Severity.P2,
  [SloAlarmKind.SESSION_COST]: Severity.P2,
  [SloAlarmKind.TENANT_SHARE]: Severity.P2,
  [SloAlarmKind.ACCURACY_PASS_RATE]: Severity.P2,
  [SloAlarmKind.ACCURACY_MEAN_SCORE]: Severity.P2,
  [SloAlarmKind.ACCURACY_NO_SCORES]: Severity.P3,
  [SloAlarmKind.GOVERNANCE_REPORT_FAILED]: Severity.P2,
};

/** Which route override replaces which default. */
export const OVERRIDE_OF: Partial<Record<SloAlarmKind, keyof SeverityOverrides>> = {
  [SloAlarmKind.LATENCY_P50]: 'latencyP50',
  [SloAlarmKind.LATENCY_P95]: 'latencyP95',
  [SloAlarmKind.LATENCY_P99]: 'latencyP99',
  [SloAlarmKind.MODEL_ERROR_RATE]: 'errorRate',
  [SloAlarmKind.APP_ERROR_RATE]: 'errorRate',
  [SloAlarmKind.THROTTLE_RATE]: 'throttleRate',
};

/** A route's highest acceptable throttle rate, percent, when its SLO names none. */
export const DEFAULT_THROTTLE_RATE_PERCENT = 5;

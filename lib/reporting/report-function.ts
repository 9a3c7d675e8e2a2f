/*
 * What the governance report construct hands its function at deploy time. No aws-cdk-lib here:
 * the function's bundle imports it.
 */
import { ClientConfig } from '../config/types';
import { ModelPrice } from '../pricing/types';

/** The function's environment variables. */
export const REPORT_ENV = {
  BUCKET_NAME: 'REPORT_BUCKET_NAME',
  TOPIC_ARN: 'REPORT_TOPIC_ARN',
} as const;

/**
 * The file staged beside the bundled handler in the function's code asset: the validated config
 * and the price catalog. Environment variables hold 4 KB in all; a large client's config does not fit.
 */
export const STAGED_CONFIG_FILE = 'client-config.json';

/** The staged file's content. */
export interface StagedReportConfig {
  readonly config: ClientConfig;
  /** The catalog's prices before the config's `priceOverrides` (the function applies them). */
  readonly prices: ModelPrice[];
}

/**
 * Logs Insights queries of one month of telemetry when nothing needs splitting, by what the month
 * is read for; each scans the month once (the per-tenant query adds two scans per 10,000 tenants
 * beyond the first 10,000).
 */
export const LOGS_INSIGHTS_SCANS = {
  /** The reported period: totals, usage, tenants, route percentiles, evaluations. */
  reported: 5,
  /** The period before: totals and usage (for the change and why spend moved). */
  previous: 2,
  /** Each month of a quarterly review again, for the trends: totals, usage, percentiles, evaluations. */
  trendMonth: 4,
} as const;

/**
 * Months of telemetry scanned a month: a monthly run scans its month 5 times and the one before
 * twice; a quarterly run, once every 3 months, scans its 3 months 5 times, the 3 before twice and
 * each of its months 4 more times for the trends.
 */
export function monthScansPerMonth(quarterlyReview: boolean): number {
  const S = LOGS_INSIGHTS_SCANS;
  return S.reported + S.previous + (quarterlyReview ? (3 * (S.reported + S.previous + S.trendMonth)) / 3 : 0);
}

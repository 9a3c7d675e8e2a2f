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
 * Logs Insights queries per period when nothing needs splitting: totals, usage, tenants, route
 * percentiles, evaluations. Each scans the period's telemetry once; the per-tenant query adds two
 * scans per 10,000 tenants beyond the first 10,000.
 */
export const LOGS_INSIGHTS_SCANS_PER_PERIOD = 5;

/** Periods read per run: the reported one and the one before; a quarter also reads its three months. */
export function monthsReadPerMonth(quarterlyReview: boolean): number {
  // A monthly run reads 2 months of telemetry; a quarterly one 3 + 3 + 3 = 9, once every 3 months.
  return 2 + (quarterlyReview ? 9 / 3 : 0);
}

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

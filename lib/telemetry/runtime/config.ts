/*
 * The helper's configuration, read from options or the environment once, when an instance is
 * made. Anything unusable is replaced by a safe default with one warning naming the variable and
 * the fix, so a typo in a stack's environment never fails (or silently misprices) every record.
 */
import { PriceOverride, TokenPrices } from '../../pricing/types';
import { TelemetryContract } from '../contract';
import { pricingModelId } from './model-ids';

/** Environment variables the helper reads when no option is given. */
export const TELEMETRY_ENV = {
  /** CloudWatch namespace (the client config's `metricNamespace`). */
  NAMESPACE: 'CDK_AI_OPS_NAMESPACE',
  /** JSON array of price overrides (the client config's `priceOverrides`). */
  PRICE_OVERRIDES: 'CDK_AI_OPS_PRICE_OVERRIDES',
} as const;

/** A configuration value after validation, and the warnings it gave. */
export interface Validated<T> {
  readonly value: T;
  readonly warnings: string[];
}

// CloudWatch namespaces: 1 to 255 of these characters; `AWS/` is reserved for AWS services.
const NAMESPACE = /^[A-Za-z0-9.\-_/#: ]{1,255}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
// Prices are USD per million tokens; ten thousand is far above any list price.
const MAX_PRICE = 10_000;

/** The namespace to write, or the contract's default with a warning when the one given is unusable. */
export function validNamespace(namespace: unknown, origin: string): Validated<string> {
  if (namespace === undefined) return { value: TelemetryContract.DEFAULT_NAMESPACE, warnings: [] };
  const fallback = (why: string): Validated<string> => ({
    value: TelemetryContract.DEFAULT_NAMESPACE,
    warnings: [`cdk-ai-ops telemetry: ${origin} ${why}; metrics go to the ${TelemetryContract.DEFAULT_NAMESPACE} namespace. `
      + 'Set it to the client config\'s metricNamespace (1 to 255 letters, digits or . - _ / # : and spaces).'],
  });
  if (typeof namespace !== 'string' || namespace.trim() === '') return fallback('is blank');
  if (!NAMESPACE.test(namespace)) return fallback('is not a valid CloudWatch namespace');
  if (/^aws\//i.test(namespace)) return fallback('starts with AWS/, which CloudWatch reserves for AWS services');
  return { value: namespace, warnings: [] };
}

const price = (value: unknown, optional: boolean): boolean =>
  (optional && value === undefined) || (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_PRICE);

function validPrices(value: unknown): value is TokenPrices {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return price(p.input, false) && price(p.output, false) && price(p.cacheRead, true) && price(p.cacheWrite5m, true) && price(p.cacheWrite1h, true);
}

/** Why an override is unusable, or undefined when it is sound. */
function overrideProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
  const o = value as Record<string, unknown>;
  if (typeof o.modelId !== 'string' || o.modelId.trim() === '') return 'has no modelId';
  if (o.discountPercent === undefined && o.prices === undefined) return 'has neither discountPercent nor prices';
  if (o.discountPercent !== undefined && !(typeof o.discountPercent === 'number' && o.discountPercent >= 0 && o.discountPercent <= 100)) {
    return 'has a discountPercent outside 0 to 100';
  }
  if (o.prices !== undefined && !validPrices(o.prices)) return `has prices that are not numbers from 0 to ${MAX_PRICE} (input and output required)`;
  if (o.effectiveFrom !== undefined && !(typeof o.effectiveFrom === 'string' && DAY.test(o.effectiveFrom) && !Number.isNaN(Date.parse(o.effectiveFrom)))) {
    return 'has an effectiveFrom that is not a YYYY-MM-DD day';
  }
  return undefined;
}

/**
 * The usable price overrides: a list whose entries are each kept when sound and dropped with a
 * warning otherwise (the model is then costed at list price, never at null or a negative price).
 */
export function validPriceOverrides(value: unknown, origin: string): Validated<PriceOverride[]> {
  if (value === undefined) return { value: [], warnings: [] };
  if (!Array.isArray(value)) {
    return { value: [], warnings: [`cdk-ai-ops telemetry: ${origin} is not a list of price overrides; list prices are used`] };
  }
  const kept: PriceOverride[] = [];
  const warnings: string[] = [];
  value.forEach((entry, index) => {
    let problem: string | undefined;
    try {
      problem = overrideProblem(entry);
    } catch {
      problem = 'could not be read';
    }
    if (problem) {
      warnings.push(`cdk-ai-ops telemetry: ${origin}[${index}] ${problem}; it is ignored and that model is costed at list price`);
    } else {
      const override = entry as PriceOverride;
      // A copy, so the caller's object cannot change later; Vertex and ARN forms of the id resolve like the calls'.
      kept.push({ ...override, modelId: pricingModelId(override.modelId) });
    }
  });
  return { value: kept, warnings };
}

/** The overrides in `$CDK_AI_OPS_PRICE_OVERRIDES` (JSON), validated. */
export function priceOverridesFromEnvironment(env: NodeJS.ProcessEnv): Validated<PriceOverride[]> {
  const text = env[TELEMETRY_ENV.PRICE_OVERRIDES];
  if (text === undefined || text.trim() === '') return { value: [], warnings: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { value: [], warnings: [`cdk-ai-ops telemetry: ${TELEMETRY_ENV.PRICE_OVERRIDES} is not JSON; list prices are used`] };
  }
  return validPriceOverrides(parsed, TELEMETRY_ENV.PRICE_OVERRIDES);
}

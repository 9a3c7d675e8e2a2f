import { BUILT_IN_PRICES } from './catalog';
import { CallCost, ModelPrice, ModelVendor, PriceOverride, TokenPrices, TokenUsage } from './types';

/** The API a model is called through, named as OpenTelemetry's `gen_ai.provider.name`. */
export enum ModelProvider {
  AWS_BEDROCK = 'aws.bedrock',
  ANTHROPIC = 'anthropic',
  OPENAI = 'openai',
  AZURE_OPENAI = 'azure.ai.openai',
  GCP_GEMINI = 'gcp.gemini',
  GCP_VERTEX_AI = 'gcp.vertex_ai',
}

const PROVIDERS_BY_VENDOR: Record<ModelVendor, ModelProvider[]> = {
  [ModelVendor.ANTHROPIC]: [ModelProvider.ANTHROPIC, ModelProvider.AWS_BEDROCK, ModelProvider.GCP_VERTEX_AI],
  [ModelVendor.OPENAI]: [ModelProvider.OPENAI, ModelProvider.AZURE_OPENAI],
  [ModelVendor.GOOGLE]: [ModelProvider.GCP_GEMINI, ModelProvider.GCP_VERTEX_AI],
};

const TOKENS_PER_PRICE_UNIT = 1_000_000;
const UNPRICED = 'unpriced';

// Bedrock cross-region inference profiles prefix the model id with a geography.
const BEDROCK_GEO_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\./;
// Bedrock model ids: `anthropic.claude-sonnet-4-5-20250929-v1:0`.
const BEDROCK_VENDOR_PREFIX = /^(anthropic|openai|google)\./;
const BEDROCK_VERSION_SUFFIX = /-v\d+(:\d+)?$/;
// Dated snapshots: `claude-haiku-4-5-20251001`, `gpt-5-mini-2025-08-07`.
const SNAPSHOT_DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;
// Gemini API resource names: `models/gemini-2.5-pro`.
const GEMINI_RESOURCE_PREFIX = /^models\//;

function canonicalModelId(modelId: string): string {
  return modelId.trim().toLowerCase()
    .replace(BEDROCK_GEO_PREFIX, '')
    .replace(BEDROCK_VENDOR_PREFIX, '')
    .replace(GEMINI_RESOURCE_PREFIX, '')
    .replace(BEDROCK_VERSION_SUFFIX, '')
    .replace(SNAPSHOT_DATE_SUFFIX, '');
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// The runtime helper costs every call: remember the last few ids callers used, so the regular
// expressions above run once per id rather than once per call.
const CANONICAL_CACHE_SIZE = 256;
const canonicalCache = new Map<string, string>();
function cachedCanonicalModelId(modelId: string): string {
  let canonical = canonicalCache.get(modelId);
  if (canonical === undefined) {
    if (canonicalCache.size >= CANONICAL_CACHE_SIZE) canonicalCache.clear();
    canonical = canonicalModelId(modelId);
    canonicalCache.set(modelId, canonical);
  }
  return canonical;
}

function discounted(prices: TokenPrices, discountPercent: number): TokenPrices {
  const factor = 1 - discountPercent / 100;
  const scale = (price: number | undefined) => (price === undefined ? undefined : price * factor);
  return {
    input: prices.input * factor,
    output: prices.output * factor,
    cacheRead: scale(prices.cacheRead),
    cacheWrite5m: scale(prices.cacheWrite5m),
    cacheWrite1h: scale(prices.cacheWrite1h),
  };
}

/**
 * Effective-dated model prices, with a client's negotiated overrides applied on top.
 *
 * The cost of a call is the sum over token kinds of tokens x the price in force on the call's
 * date. A model without a price on that date costs 0 and is reported as unpriced, never guessed.
 */
export class PriceCatalog {
  /** The built-in list prices (see docs/pricing.md for sources). */
  public static builtIn(): PriceCatalog {
    return new PriceCatalog(BUILT_IN_PRICES);
  }

  /**
   * Reduces a provider's model id to the catalog's canonical id: Bedrock geography and vendor
   * prefixes, Bedrock version suffixes and snapshot dates are removed. Unknown ids stay unknown.
   */
  public static canonicalModelId(modelId: string): string {
    return canonicalModelId(modelId);
  }

  /** The APIs through which a vendor's models are served. */
  public static providersOf(vendor: ModelVendor): ModelProvider[] {
    return [...PROVIDERS_BY_VENDOR[vendor]];
  }

  private readonly byModel = new Map<string, ModelPrice[]>();
  private readonly overridesByModel = new Map<string, PriceOverride[]>();

  /**
   * @param prices effective-dated prices; several entries of one model are distinguished by `effectiveFrom`
   * @param overrides the client's negotiated prices
   */
  public constructor(prices: ModelPrice[], overrides: PriceOverride[] = []) {
    for (const price of prices) {
      const list = this.byModel.get(price.modelId) ?? [];
      list.push(price);
      this.byModel.set(price.modelId, list);
    }
    for (const list of this.byModel.values()) {
      list.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
    }
    for (const override of overrides) {
      const id = canonicalModelId(override.modelId);
      const list = this.overridesByModel.get(id) ?? [];
      list.push(override);
      list.sort((a, b) => (b.effectiveFrom ?? '').localeCompare(a.effectiveFrom ?? ''));
      this.overridesByModel.set(id, list);
    }
  }

  /** A catalog with the same prices and these client overrides. */
  public withOverrides(overrides: PriceOverride[]): PriceCatalog {
    return new PriceCatalog(this.prices(), overrides);
  }

  /** Every price entry, newest first within each model. */
  public prices(): ModelPrice[] {
    return [...this.byModel.values()].flat();
  }

  /** The canonical ids of every model with at least one price. */
  public modelIds(): string[] {
    return [...this.byModel.keys()];
  }

  /** The model's newest price entry, whatever its date, or undefined for a model the catalog does not know. */
  public latest(modelId: string): ModelPrice | undefined {
    return this.byModel.get(canonicalModelId(modelId))?.[0];
  }

  /** The catalog price in force on `at` (client overrides not applied), or undefined. */
  public priceAt(modelId: string, at: Date): ModelPrice | undefined {
    return this.priceOn(cachedCanonicalModelId(modelId), dayOf(at));
  }

  /** The cost of one call at the prices in force on its date, overrides included. */
  public costOf(usage: TokenUsage): CallCost {
    const modelId = cachedCanonicalModelId(usage.modelId);
    const day = dayOf(usage.timestamp);
    const override = this.overridesByModel.get(modelId)?.find((o) => (o.effectiveFrom ?? '') <= day);
    const catalogPrice = this.priceOn(modelId, day);

    let prices: TokenPrices;
    let longContextPrices: TokenPrices | undefined;
    let version: string;
    if (override?.prices) {
      prices = override.prices;
      version = `client/${modelId}@${override.effectiveFrom ?? 'always'}`;
    } else if (catalogPrice) {
      prices = catalogPrice.prices;
      longContextPrices = catalogPrice.longContext?.prices;
      version = `${catalogPrice.vendor}/${catalogPrice.modelId}@${catalogPrice.effectiveFrom}`;
    } else {
      return { costUsd: 0, priceVersion: UNPRICED, priced: false };
    }

    const cacheReadTokens = usage.cacheReadTokens ?? 0;
    const cacheWriteTokens = usage.cacheWriteTokens ?? 0;
    const promptTokens = usage.inputTokens + cacheReadTokens + cacheWriteTokens;
    if (longContextPrices && catalogPrice?.longContext && promptTokens > catalogPrice.longContext.aboveInputTokens) {
      prices = longContextPrices;
      version += '+long-context';
    }
    if (override?.discountPercent) {
      prices = discounted(prices, override.discountPercent);
      version += `-${override.discountPercent}%@${override.effectiveFrom ?? 'always'}`;
    }

    const cacheWrite1hTokens = Math.min(usage.cacheWrite1hTokens ?? 0, cacheWriteTokens);
    const cacheReadPrice = prices.cacheRead ?? prices.input;
    const cacheWrite5mPrice = prices.cacheWrite5m ?? prices.input;
    const cacheWrite1hPrice = prices.cacheWrite1h ?? cacheWrite5mPrice;
    const dollarsTimesMillion = usage.inputTokens * prices.input
      + usage.outputTokens * prices.output
      + cacheReadTokens * cacheReadPrice
      + (cacheWriteTokens - cacheWrite1hTokens) * cacheWrite5mPrice
      + cacheWrite1hTokens * cacheWrite1hPrice;
    return { costUsd: dollarsTimesMillion / TOKENS_PER_PRICE_UNIT, priceVersion: version, priced: true };
  }

  private priceOn(canonicalId: string, day: string): ModelPrice | undefined {
    return this.byModel.get(canonicalId)?.find((price) => price.effectiveFrom <= day);
  }
}

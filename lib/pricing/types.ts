/** The company whose model it is (not the API that serves it: Claude on Bedrock is still Anthropic's). */
export enum ModelVendor {
  ANTHROPIC = 'anthropic',
  OPENAI = 'openai',
  GOOGLE = 'google',
}

/** US dollars per million tokens, by token kind. */
export interface TokenPrices {
  /** Uncached input tokens. */
  readonly input: number;
  readonly output: number;
  /**
   * Input tokens read from the prompt cache.
   * @default - the input price (the vendor bills no cache reads apart)
   */
  readonly cacheRead?: number;
  /**
   * Input tokens written to a cache that lives 5 minutes.
   * @default - the input price (the vendor bills no cache writes apart)
   */
  readonly cacheWrite5m?: number;
  /**
   * Input tokens written to a cache that lives 1 hour.
   * @default - the 5-minute write price
   */
  readonly cacheWrite1h?: number;
}

/** Higher prices that apply to every token of a request whose input crosses a threshold. */
export interface LongContextTier {
  /** Requests with more input tokens than this (uncached + cache read + cache write) pay `prices`. */
  readonly aboveInputTokens: number;
  readonly prices: TokenPrices;
}

/** One effective-dated price of one model. A price change is a new entry, never an edit. */
export interface ModelPrice {
  readonly vendor: ModelVendor;
  /** Canonical model id; provider-specific ids (Bedrock ids, dated snapshots) resolve to it. */
  readonly modelId: string;
  /** Human-readable name. */
  readonly displayName: string;
  /** First UTC day (YYYY-MM-DD) this price is in force. */
  readonly effectiveFrom: string;
  readonly prices: TokenPrices;
  /**
   * Higher prices above an input-size threshold.
   * @default - one price at every request size
   */
  readonly longContext?: LongContextTier;
  /** Where the price comes from and when it was read. */
  readonly source: string;
  /**
   * The day the vendor retires the model, where announced.
   * @default - no retirement announced
   */
  readonly deprecationDate?: string;
  /**
   * What the vendor said about retiring the model, and where it was read.
   * @default - none
   */
  readonly deprecationNote?: string;
  /**
   * The catalog model suggested in its place when it retires (a `modelId` of this catalog, so the
   * monthly report can price the move); the vendor's own recommendation, where it is not in the
   * catalog, is in `deprecationNote`.
   * @default - none suggested
   */
  readonly successor?: string;
}

/** A client's negotiated price, applied on top of the catalog. */
export interface PriceOverride {
  /** Model id as the client calls it; resolved like any id (Bedrock ids and dated snapshots included). */
  readonly modelId: string;
  /**
   * Percent taken off every catalog price of the model (0 to 100).
   * @default - no discount
   */
  readonly discountPercent?: number;
  /**
   * Prices that replace the catalog's (for a privately priced or unlisted model).
   * @default - the catalog's prices
   */
  readonly prices?: TokenPrices;
  /**
   * First UTC day (YYYY-MM-DD) the override applies.
   * @default - every date
   */
  readonly effectiveFrom?: string;
}

/** The token counts of one call, as the telemetry contract defines them. */
export interface TokenUsage {
  readonly modelId: string;
  /** When the call happened; prices are those in force on this date. */
  readonly timestamp: Date;
  /** Uncached input tokens. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** @default 0 */
  readonly cacheReadTokens?: number;
  /** Input tokens written to the prompt cache, whatever their lifetime. @default 0 */
  readonly cacheWriteTokens?: number;
  /**
   * Of the cache-write tokens, those written to a 1-hour cache (Anthropic bills them higher); the
   * rest are 5-minute writes.
   * @default 0
   */
  readonly cacheWrite1hTokens?: number;
}

/** The cost of one call. */
export interface CallCost {
  /** US dollars; 0 when the model has no price on that date. */
  readonly costUsd: number;
  /** The catalog entry (and client override) used, e.g. `anthropic/claude-sonnet-4-5@2025-09-29`; `unpriced` when none applied. */
  readonly priceVersion: string;
  /** False when the model has no price on that date: the cost is 0 and must be flagged, never guessed. */
  readonly priced: boolean;
}

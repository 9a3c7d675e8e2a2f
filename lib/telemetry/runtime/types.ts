import type { CallOutcome, EvaluationSource } from '../contract';

/** A timestamp as a Date or epoch milliseconds. */
export type Instant = Date | number;

/**
 * Token usage read from a provider's response (what the adapters return). The model id is left
 * out on purpose: responses name dated snapshots, and the dimension must be the id that was sent.
 */
export interface ProviderUsage {
  /** API provider, as OpenTelemetry's `gen_ai.provider.name` (aws.bedrock, anthropic, openai). */
  readonly provider: string;
  /** Uncached input tokens. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  /** Of the cache writes, those to a 1-hour cache. */
  readonly cacheWrite1hTokens?: number;
  /** Latency the provider measured, where it reports one (Bedrock Converse). */
  readonly latencyMs?: number;
  /** Time to the first streamed token (the stream wrappers measure it). */
  readonly timeToFirstTokenMs?: number;
  readonly requestId?: string;
  /**
   * Fields of the response that held something other than a token count (negative, not finite,
   * above 2^53, not a number): read as 0 by the adapter, counted as `invalid_number` when recorded.
   */
  readonly invalidFields?: string[];
}

/** Who made a model call and about what: everything but the measurements. */
export interface CallContext {
  readonly agent: string;
  readonly route: string;
  /** The client's own customer; never a dimension. */
  readonly tenant: string;
  /** API provider. `trackAiCall` takes it from the usage adapter when omitted. */
  readonly provider?: string;
  /** Model id as sent to the provider (a client config `models[].modelId`). */
  readonly model: string;
  /** Kind of call (chat, embeddings, ...). Default `chat`. */
  readonly operation?: string;
  readonly sessionId?: string;
  readonly requestId?: string;
  /**
   * The variant that served the call: `chooseVariant(...)`'s `variant.id` (spread `choice.telemetry`).
   * A property, never a dimension: any number of variants adds no metric.
   */
  readonly variant?: string;
}

/** What the caller knows about one model call; `recordAiCall` adds cost and writes the record. */
export interface AiCallInput extends CallContext {
  readonly provider: string;
  /** Uncached input tokens. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Default 0. */
  readonly cacheReadTokens?: number;
  /** Default 0. */
  readonly cacheWriteTokens?: number;
  /** Of the cache writes, those to a 1-hour cache. Default 0. */
  readonly cacheWrite1hTokens?: number;
  readonly latencyMs: number;
  /** Streaming calls only. */
  readonly timeToFirstTokenMs?: number;
  /** Default `ok`. */
  readonly outcome?: CallOutcome | `${CallOutcome}`;
  /** When the call started. Default: now. Prices are those in force on this date. */
  readonly timestamp?: Instant;
  /** Provider fields an adapter read as 0 (`ProviderUsage.invalidFields`): each one is counted. */
  readonly invalidFields?: string[];
}

/** One finished agent session. */
export interface AgentSessionInput {
  readonly agent: string;
  readonly route?: string;
  readonly tenant: string;
  readonly sessionId: string;
  /** Agent steps (model turns). */
  readonly steps: number;
  /** Tool calls by tool name. Tool names become a dimension: keep them a fixed set. */
  readonly toolCalls?: { readonly [tool: string]: number };
  /** All tokens of the session. */
  readonly tokens: number;
  readonly costUsd: number;
  /** Default `ok`. */
  readonly outcome?: CallOutcome | `${CallOutcome}`;
  /** When the session ended. Default: now. */
  readonly timestamp?: Instant;
  /** The variant that served the session (`choice.variant.id`). A property, never a dimension. */
  readonly variant?: string;
}

/** One retrieval step. */
export interface RetrievalInput {
  readonly agent: string;
  readonly route?: string;
  readonly tenant: string;
  /** Documents returned. */
  readonly hits: number;
  /** The k of recall@k and precision@k. */
  readonly k?: number;
  /** Recall@k between 0 and 1, where the caller has relevance labels. */
  readonly recallAtK?: number;
  /** Precision@k between 0 and 1, where the caller has relevance labels. */
  readonly precisionAtK?: number;
  /** Hours since the searched index was last refreshed. */
  readonly indexAgeHours?: number;
  /** True when a retrieval cache answered. */
  readonly cacheHit?: boolean;
  /** Default: now. */
  readonly timestamp?: Instant;
}

/** Which call was evaluated: the dimensions and ids an evaluation is attributed to. */
export interface EvaluatedCall {
  readonly agent: string;
  readonly route: string;
  /** Model id of the evaluated call, as sent to the provider. */
  readonly model: string;
  /** The model/prompt bundle that served the call (a rollout's baseline or candidate). A property, never a dimension. */
  readonly variant?: string;
  /** The client's own customer; never a dimension. */
  readonly tenant: string;
  /** The evaluated call's request id, to join the verdict to the call's own line. */
  readonly requestId?: string;
  readonly sessionId?: string;
  /**
   * Calls this evaluation stands for: 1 / the sampling rate of its stratum (e.g. 20 when one call
   * in 20 of the tenant's traffic is judged). Default 1.
   */
  readonly sampleWeight?: number;
  /** When the verdict was given. Default: now (CloudWatch accepts up to 14 days back). */
  readonly timestamp?: Instant;
}

/** One verdict or score on one call. Give `passed`, `score`, or both. */
export interface EvaluationInput extends EvaluatedCall {
  /** Evaluator id: the accuracy SLO's `evaluators[].id`. A dimension: keep evaluator ids a fixed set. */
  readonly evaluator: string;
  /** Version of the evaluator; a judge's changed rubric or prompt is a new version. */
  readonly evaluatorVersion: string;
  readonly source: EvaluationSource | `${EvaluationSource}`;
  /** The verdict. */
  readonly passed?: boolean;
  /** A score between 0 and 1 (rescale a 1-5 rubric as (x - 1) / 4). */
  readonly score?: number;
}

/** An end user's thumbs up or down on one call. */
export interface FeedbackInput extends EvaluatedCall {
  /** True for thumbs up. */
  readonly positive: boolean;
  /** Evaluator id. Default `user-feedback` (`TelemetryContract.FEEDBACK_EVALUATOR`). */
  readonly evaluator?: string;
  /** Version of the feedback widget or question. Default `1`. */
  readonly evaluatorVersion?: string;
}

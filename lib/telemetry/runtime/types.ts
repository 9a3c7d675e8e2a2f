import type { CallOutcome } from '../contract';

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
  readonly requestId?: string;
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

import { CallOutcome, EvaluationSource } from './contract';

/*
 * The records the runtime helper writes, one EMF log line each. Every key below is either a
 * metric of `TelemetryMetrics` or a field of `TelemetryFields` (a test holds them to that), and
 * the record's `timestamp` travels as the EMF `_aws.Timestamp`.
 */

/** One model call. */
export interface AiCallRecord {
  /** When the call started, epoch milliseconds. Prices are looked up at this date. */
  readonly timestamp: number;
  readonly agent: string;
  readonly route: string;
  /** The client's own customer; a property, never a dimension. */
  readonly tenant: string;
  /** API provider called, as in OpenTelemetry `gen_ai.provider.name` (aws.bedrock, anthropic, openai, ...). */
  readonly provider: string;
  readonly model: string;
  /** Kind of call, as in OpenTelemetry `gen_ai.operation.name` (chat, embeddings, ...). */
  readonly operation: string;
  /** Uncached input tokens only; cache reads and writes are their own fields, so the three add up to what was sent. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly latencyMs: number;
  /** Streaming calls only. */
  readonly timeToFirstTokenMs?: number;
  readonly outcome: CallOutcome;
  readonly costUsd: number;
  /** The price-catalog entry the cost was computed with. */
  readonly priceVersion: string;
  /** All four token kinds added up (Contributor Insights ranks tenants by it). */
  readonly totalTokens: number;
  readonly sessionId?: string;
  readonly requestId?: string;
  /** The variant that served the call (`chooseVariant`'s choice), where the caller names one; a property, never a dimension. */
  readonly variant?: string;
}

/** One finished agent session. */
export interface AgentSessionRecord {
  readonly timestamp: number;
  readonly agent: string;
  readonly route?: string;
  readonly tenant: string;
  readonly sessionId: string;
  readonly outcome: CallOutcome;
  /** Agent steps (model turns) in the session. */
  readonly sessionSteps: number;
  /** Tool calls in the session, all tools (each tool also gets a `ToolCallsRecord`). */
  readonly sessionToolCalls: number;
  /** All tokens of the session (input, output, cache read and write). */
  readonly sessionTokens: number;
  readonly sessionCostUsd: number;
  /** The variant that served the session, where the caller names one; a property, never a dimension. */
  readonly variant?: string;
}

/** The calls of one tool in one agent session (a line of its own: the tool is a dimension). */
export interface ToolCallsRecord {
  readonly timestamp: number;
  readonly agent: string;
  readonly tool: string;
  readonly toolCalls: number;
  readonly sessionId?: string;
}

/** One retrieval step. */
export interface RetrievalRecord {
  readonly timestamp: number;
  readonly agent: string;
  readonly route?: string;
  readonly tenant: string;
  /** Documents returned. */
  readonly retrievalHits: number;
  /** The k of recall@k and precision@k, where the caller has labels. */
  readonly k?: number;
  readonly retrievalRecallAtK?: number;
  readonly retrievalPrecisionAtK?: number;
  /** Hours since the searched index was last refreshed. */
  readonly retrievalIndexAgeHours?: number;
  /** 1 when a retrieval cache answered, else 0. */
  readonly retrievalCacheHits?: number;
}

/**
 * One verdict or score on one call (the monthly report reads these lines: keep their keys). At
 * least one of the verdict and the score is present.
 */
export interface EvaluationRecord {
  readonly timestamp: number;
  readonly agent: string;
  readonly route: string;
  /** Model of the evaluated call. */
  readonly model: string;
  /** The model/prompt bundle that served the evaluated call, where the caller names one. */
  readonly variant?: string;
  /** The client's own customer; a property, never a dimension. */
  readonly tenant: string;
  readonly evaluator: string;
  readonly evaluatorVersion?: string;
  readonly evaluationSource?: EvaluationSource;
  /** Always 1 (the line counts one scored evaluation). */
  readonly evaluationCount: number;
  /** 1 passed, 0 failed; only when a verdict was given. */
  readonly evaluationPassed?: number;
  /** Between 0 and 1; only when a score was given. */
  readonly evaluationScore?: number;
  /** Calls this evaluation stands for (1 / the sampling rate of its stratum); 1 by default. */
  readonly sampleWeight: number;
  /** The evaluated call's request id. */
  readonly requestId?: string;
  readonly sessionId?: string;
}

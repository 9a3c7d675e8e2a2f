/**
 * The telemetry contract: the only place where metric names, dimension names, dimension sets
 * and the fields of the telemetry records are written down. The runtime helper, the constructs,
 * the Lambda handlers and the reports import these names; none of them types a name again.
 *
 * One telemetry record is one CloudWatch Embedded Metric Format (EMF) log line. A metric's name
 * is the record key that carries its value (EMF requires that), so every name below is both a
 * CloudWatch metric name and a key that Logs Insights and Contributor Insights read.
 *
 * This file must not import aws-cdk-lib or constructs: the runtime helper loads it in the
 * client's agents.
 */

/** CloudWatch units used by the contract's metrics (the EMF `Unit` strings). */
export enum MetricUnit {
  COUNT = 'Count',
  MILLISECONDS = 'Milliseconds',
  /** Dimensionless values: US dollars, ratios, hours. */
  NONE = 'None',
}

/** The kinds of telemetry record, written to the record's `recordType` field. */
export enum RecordType {
  /** One model call (`recordAiCall`). */
  AI_CALL = 'ai_call',
  /** One finished agent session (`recordAgentSession`). */
  AGENT_SESSION = 'agent_session',
  /** One retrieval step (`recordRetrieval`). */
  RETRIEVAL = 'retrieval',
  /** One verdict or score on one call: a judge, an assertion, a human review or end-user feedback (`recordEvaluation`, `recordFeedback`). */
  EVALUATION = 'evaluation',
  /** A record the helper had to repair; counted per rejection reason. */
  TELEMETRY_REJECTION = 'telemetry_rejection',
}

/** How a model call ended. */
export enum CallOutcome {
  OK = 'ok',
  /** The model or its API failed (5xx, invalid model output, content filter). */
  MODEL_ERROR = 'model_error',
  /** The application failed around the call (tool error, parse error, timeout of its own). */
  APP_ERROR = 'app_error',
  /** The provider refused the call for rate or quota (HTTP 429, ThrottlingException). */
  THROTTLED = 'throttled',
}

/** Where an evaluation's verdict or score came from: the `evaluationSource` field. */
export enum EvaluationSource {
  /** An automated LLM judge scoring a sampled share of traffic. */
  JUDGE = 'judge',
  /** A deterministic check run in-process (JSON schema, regex, contains, exact match). */
  ASSERTION = 'assertion',
  /** A human reviewer, e.g. the labelled audit set a judge is calibrated against. */
  HUMAN = 'human',
  /** The end user's thumbs up or down (`recordFeedback`). */
  FEEDBACK = 'feedback',
  /** Amazon Bedrock AgentCore Evaluations, where its results are re-recorded through the helper. */
  AGENTCORE = 'agentcore',
}

/** Why the runtime helper repaired a record; the values of the `reason` dimension. */
export enum RejectionReason {
  MISSING_FIELD = 'missing_field',
  /** A dimension value CloudWatch refuses (empty, non-ASCII or above 1,024 characters). */
  INVALID_DIMENSION = 'invalid_dimension',
  INVALID_NUMBER = 'invalid_number',
  UNKNOWN_MODEL = 'unknown_model',
  INVALID_OUTCOME = 'invalid_outcome',
  INVALID_TIMESTAMP = 'invalid_timestamp',
  /** An evaluation with neither a valid verdict (`passed`) nor a valid score: not written, only counted. */
  INVALID_VERDICT = 'invalid_verdict',
  /** An evaluation source that is not an `EvaluationSource` value. */
  INVALID_SOURCE = 'invalid_source',
  /** A text property longer than the helper writes (ids, not content): cut to its cap, so every line stays far below CloudWatch's 256 KB event limit. */
  TRUNCATED = 'truncated',
  /** The helper itself failed on a record (a bug, or input no reader can handle): the record is lost but counted. */
  INTERNAL_ERROR = 'internal_error',
}

/**
 * What each dimension set's series count is multiplied by; the custom-metric formula is the sum
 * over dimension sets of (metrics in the set) x (count of this scope).
 */
export enum CardinalityScope {
  /** One series per metric for the whole client. */
  CLIENT = 'client',
  /** One series per metric per agent. */
  AGENT = 'agent',
  /** One series per metric per (agent, route). */
  ROUTE = 'route',
  /** One series per metric per model. */
  MODEL = 'model',
  /** One series per metric per (agent, model) pair in use. */
  AGENT_MODEL = 'agent_model',
  /** One series per metric per agent that records agent sessions. */
  SESSION_AGENT = 'session_agent',
  /** One series per metric per agent that records retrievals. */
  RETRIEVAL_AGENT = 'retrieval_agent',
  /** One series per metric per (agent, tool) pair in use. */
  AGENT_TOOL = 'agent_tool',
  /** One series per rejection reason seen (at most the number of `RejectionReason` values). */
  REJECTION_REASON = 'rejection_reason',
  /** One series per metric per (agent, route, evaluator) triple recorded. */
  ROUTE_EVALUATOR = 'route_evaluator',
  /** One series per metric per (agent, model, evaluator) triple recorded. */
  AGENT_MODEL_EVALUATOR = 'agent_model_evaluator',
}

/** A metric of the contract. */
export interface MetricDefinition {
  /** CloudWatch metric name, and the record key that carries its value. */
  readonly name: string;
  readonly unit: MetricUnit;
  /** What one datapoint means, for widget legends and docs. */
  readonly description: string;
  /** The OpenTelemetry GenAI semantic-convention attribute with the same meaning, where one exists. */
  readonly otelAttribute?: string;
}

/** A record field that is not a metric: a dimension or a property read by Logs Insights. */
export interface FieldDefinition {
  /** The record key. */
  readonly name: string;
  readonly description: string;
  /** The OpenTelemetry GenAI semantic-convention attribute with the same meaning, where one exists. */
  readonly otelAttribute?: string;
  /** True when the field is a CloudWatch dimension in at least one dimension set. */
  readonly dimension: boolean;
}

/**
 * A set of dimensions and the metrics published under it. Sets of one record type that list the
 * same metrics share one EMF directive, so one log line carries all of them.
 */
export interface DimensionSetDefinition {
  /** Stable identifier of the set, used in docs and tests. */
  readonly id: string;
  readonly recordType: RecordType;
  /** Dimension names, in order; empty for client-wide totals. */
  readonly dimensions: string[];
  readonly metrics: MetricDefinition[];
  readonly scope: CardinalityScope;
}

/** Counts of the things that multiply custom metrics. Tenants are deliberately absent. */
export interface CardinalityShape {
  readonly agents: number;
  /** (agent, route) pairs. */
  readonly routes: number;
  readonly models: number;
  /** (agent, model) pairs in use. */
  readonly agentModelPairs: number;
  /**
   * (agent, tool) pairs that record tool calls.
   * @default 0
   */
  readonly agentToolPairs?: number;
  /**
   * Agents that record agent sessions.
   * @default 0
   */
  readonly sessionAgents?: number;
  /**
   * Agents that record retrievals.
   * @default 0
   */
  readonly retrievalAgents?: number;
  /**
   * Distinct rejection reasons seen in the period.
   * @default 0
   */
  readonly rejectionReasons?: number;
  /**
   * (agent, route, evaluator) triples that record evaluations.
   * @default 0
   */
  readonly routeEvaluators?: number;
  /**
   * (agent, model, evaluator) triples that record evaluations.
   * @default 0
   */
  readonly agentModelEvaluators?: number;
}

function field(name: string, description: string, dimension: boolean, otelAttribute?: string): FieldDefinition {
  return { name, description, dimension, otelAttribute };
}

function metric(name: string, unit: MetricUnit, description: string, otelAttribute?: string): MetricDefinition {
  return { name, unit, description, otelAttribute };
}

/** Record fields that are not metrics. Agent, route, model, tool and reason are also dimensions. */
export class TelemetryFields {
  public static readonly RECORD_TYPE = field('recordType', 'Which record this line is (ai_call, agent_session, retrieval, evaluation, telemetry_rejection).', false);
  public static readonly SCHEMA_VERSION = field('schemaVersion', 'Version of this contract the line was written with.', false);
  public static readonly AGENT = field('agent', 'Agent id from the client config.', true, 'gen_ai.agent.name');
  public static readonly ROUTE = field('route', 'Route id (the agent\'s entry point or task) from the client config.', true);
  public static readonly MODEL = field('model', 'Model id as sent to the provider.', true, 'gen_ai.request.model');
  public static readonly TOOL = field('tool', 'Tool name, in per-tool call counts.', true, 'gen_ai.tool.name');
  public static readonly REASON = field('reason', 'Why the helper repaired a record (a RejectionReason value).', true);
  public static readonly TENANT = field('tenant', 'The client\'s own customer. Never a dimension: Logs Insights and Contributor Insights read it.', false);
  public static readonly PROVIDER = field('provider', 'API provider called (aws.bedrock, anthropic, openai, gcp.gemini, ...).', false, 'gen_ai.provider.name');
  public static readonly OPERATION = field('operation', 'Kind of call (chat, embeddings, ...).', false, 'gen_ai.operation.name');
  public static readonly OUTCOME = field('outcome', 'How the call ended (ok, model_error, app_error, throttled).', false, 'error.type');
  public static readonly PRICE_VERSION = field('priceVersion', 'Price-catalog entry used for costUsd, so history stays explainable when prices change.', false);
  public static readonly SESSION_ID = field('sessionId', 'Agent session (conversation) id.', false, 'gen_ai.conversation.id');
  public static readonly REQUEST_ID = field('requestId', 'Provider or application request id.', false, 'gen_ai.response.id');
  public static readonly TOTAL_TOKENS = field('totalTokens', 'All tokens of the call (input, output, cache read and write), for ranking tenants by tokens.', false, 'gen_ai.usage.input_tokens + gen_ai.usage.output_tokens');
  public static readonly TOP_K = field('k', 'The k of recall@k and precision@k.', false);
  public static readonly DETAIL = field('detail', 'Human-readable explanation of a repaired record.', false);
  public static readonly VARIANT = field('variant', 'The variant (model, prompt version and parameters) that served the call, session or evaluated call: a rollout\'s baseline or candidate id, where the caller names one. Never a dimension.', false);
  public static readonly EVALUATOR = field('evaluator', 'Evaluator id (a judge rubric, an assertion, a feedback widget): the accuracy SLOs\' evaluators[].id.', true, 'gen_ai.evaluation.name');
  public static readonly EVALUATOR_VERSION = field('evaluatorVersion', 'Version of the evaluator; a judge\'s changed rubric or prompt is a new version.', false);
  public static readonly EVALUATION_SOURCE = field('evaluationSource', 'Where the verdict came from (judge, assertion, human, feedback, agentcore).', false);
  public static readonly SAMPLE_WEIGHT = field('sampleWeight', 'Calls this evaluation stands for (1 / sampling rate of its stratum), for weighted estimates; default 1.', false);

  /** Every non-metric field of the records. */
  public static all(): FieldDefinition[] {
    return [
      TelemetryFields.RECORD_TYPE, TelemetryFields.SCHEMA_VERSION, TelemetryFields.AGENT, TelemetryFields.ROUTE,
      TelemetryFields.MODEL, TelemetryFields.TOOL, TelemetryFields.REASON, TelemetryFields.TENANT,
      TelemetryFields.PROVIDER, TelemetryFields.OPERATION, TelemetryFields.OUTCOME, TelemetryFields.PRICE_VERSION,
      TelemetryFields.SESSION_ID, TelemetryFields.REQUEST_ID, TelemetryFields.TOTAL_TOKENS, TelemetryFields.TOP_K, TelemetryFields.DETAIL,
      TelemetryFields.VARIANT, TelemetryFields.EVALUATOR, TelemetryFields.EVALUATOR_VERSION, TelemetryFields.EVALUATION_SOURCE,
      TelemetryFields.SAMPLE_WEIGHT,
    ];
  }
}

/** Every metric of the contract. */
export class TelemetryMetrics {
  // Per model call.
  public static readonly CALLS = metric('calls', MetricUnit.COUNT, 'Model calls (1 per record).');
  public static readonly MODEL_ERRORS = metric('modelErrors', MetricUnit.COUNT, 'Calls that ended in a model or provider error (0 or 1 per record).', 'error.type');
  public static readonly APP_ERRORS = metric('appErrors', MetricUnit.COUNT, 'Calls that ended in an application error (0 or 1 per record).', 'error.type');
  public static readonly THROTTLES = metric('throttles', MetricUnit.COUNT, 'Calls the provider throttled (0 or 1 per record).', 'error.type');
  public static readonly LATENCY_MS = metric('latencyMs', MetricUnit.MILLISECONDS, 'Time from request to last token.', 'gen_ai.client.operation.duration');
  public static readonly TIME_TO_FIRST_TOKEN_MS = metric('timeToFirstTokenMs', MetricUnit.MILLISECONDS, 'Time from request to first streamed token (streaming calls only).', 'gen_ai.client.operation.time_to_first_chunk');
  public static readonly INPUT_TOKENS = metric('inputTokens', MetricUnit.COUNT, 'Uncached input tokens (cache reads and writes are counted apart).');
  public static readonly OUTPUT_TOKENS = metric('outputTokens', MetricUnit.COUNT, 'Output tokens, reasoning tokens included.', 'gen_ai.usage.output_tokens');
  public static readonly CACHE_READ_TOKENS = metric('cacheReadTokens', MetricUnit.COUNT, 'Input tokens served from the prompt cache.', 'gen_ai.usage.cache_read.input_tokens');
  public static readonly CACHE_WRITE_TOKENS = metric('cacheWriteTokens', MetricUnit.COUNT, 'Input tokens written to the prompt cache.', 'gen_ai.usage.cache_creation.input_tokens');
  public static readonly COST_USD = metric('costUsd', MetricUnit.NONE, 'Cost of the call in US dollars at the price in force on its date.');

  // Per agent session.
  public static readonly SESSIONS = metric('sessions', MetricUnit.COUNT, 'Finished agent sessions (1 per record).');
  public static readonly SESSION_FAILURES = metric('sessionFailures', MetricUnit.COUNT, 'Sessions that did not end ok (0 or 1 per record).');
  public static readonly SESSION_STEPS = metric('sessionSteps', MetricUnit.COUNT, 'Agent steps (model turns) in the session.');
  public static readonly SESSION_TOOL_CALLS = metric('sessionToolCalls', MetricUnit.COUNT, 'Tool calls in the session, all tools.');
  public static readonly SESSION_TOKENS = metric('sessionTokens', MetricUnit.COUNT, 'All tokens of the session (input, output, cache read and write).');
  public static readonly SESSION_COST_USD = metric('sessionCostUsd', MetricUnit.NONE, 'Cost of the session in US dollars.');
  public static readonly TOOL_CALLS = metric('toolCalls', MetricUnit.COUNT, 'Calls of one tool in a session.', 'gen_ai.tool.name');

  // Per retrieval.
  public static readonly RETRIEVALS = metric('retrievals', MetricUnit.COUNT, 'Retrieval steps (1 per record).');
  public static readonly RETRIEVAL_HITS = metric('retrievalHits', MetricUnit.COUNT, 'Documents returned by the retrieval.');
  public static readonly RETRIEVAL_RECALL_AT_K = metric('retrievalRecallAtK', MetricUnit.NONE, 'Recall@k between 0 and 1, where the caller has relevance labels.');
  public static readonly RETRIEVAL_PRECISION_AT_K = metric('retrievalPrecisionAtK', MetricUnit.NONE, 'Precision@k between 0 and 1, where the caller has relevance labels.');
  public static readonly RETRIEVAL_INDEX_AGE_HOURS = metric('retrievalIndexAgeHours', MetricUnit.NONE, 'Hours since the searched index was last refreshed.');
  public static readonly RETRIEVAL_CACHE_HITS = metric('retrievalCacheHits', MetricUnit.COUNT, 'Retrievals answered from a retrieval cache (0 or 1 per record).');

  // Per evaluation.
  public static readonly EVALUATION_COUNT = metric('evaluationCount', MetricUnit.COUNT, 'Evaluations with a verdict or a score (1 per record).');
  public static readonly EVALUATION_PASSED = metric('evaluationPassed', MetricUnit.COUNT, 'The verdict, 1 passed or 0 failed (records with a verdict only): Average is the pass rate, SampleCount the verdicts.');
  public static readonly EVALUATION_SCORE = metric('evaluationScore', MetricUnit.NONE, 'The score between 0 and 1 (records with a score only): Average is the mean score, SampleCount the scores.', 'gen_ai.evaluation.score.value');

  // About the telemetry itself.
  public static readonly TELEMETRY_REJECTED = metric('telemetryRejected', MetricUnit.COUNT, 'Records the helper had to repair, by reason.');

  /** Every metric of the contract. */
  public static all(): MetricDefinition[] {
    return [...new Set(TelemetryDimensionSets.all().flatMap((set) => set.metrics))];
  }
}

const M = TelemetryMetrics;
const F = TelemetryFields;

/**
 * Every metric of a model call, published under each of the call's dimension sets: one EMF
 * directive per line, as the EMF libraries write it.
 */
const CALL_METRICS = [
  M.CALLS, M.MODEL_ERRORS, M.APP_ERRORS, M.THROTTLES, M.LATENCY_MS, M.TIME_TO_FIRST_TOKEN_MS,
  M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.CACHE_READ_TOKENS, M.CACHE_WRITE_TOKENS, M.COST_USD,
];

/** Every metric of an evaluation, under both of its dimension sets (one directive per line). */
const EVALUATION_METRICS = [M.EVALUATION_COUNT, M.EVALUATION_PASSED, M.EVALUATION_SCORE];

/** The dimension sets. Series count per set = metrics x the count of its scope. */
export class TelemetryDimensionSets {
  /** Per route: its SLOs, dashboards and cost views. */
  public static readonly CALLS_BY_ROUTE: DimensionSetDefinition = {
    id: 'callsByRoute',
    recordType: RecordType.AI_CALL,
    dimensions: [F.AGENT.name, F.ROUTE.name],
    metrics: CALL_METRICS,
    scope: CardinalityScope.ROUTE,
  };
  /** Per agent and model: model-swap comparisons and per-agent cache hit rates by model. */
  public static readonly CALLS_BY_AGENT_MODEL: DimensionSetDefinition = {
    id: 'callsByAgentModel',
    recordType: RecordType.AI_CALL,
    dimensions: [F.AGENT.name, F.MODEL.name],
    metrics: CALL_METRICS,
    scope: CardinalityScope.AGENT_MODEL,
  };
  /** Per agent: budgets, spend anomaly and cache-hit detectors. */
  public static readonly CALLS_BY_AGENT: DimensionSetDefinition = {
    id: 'callsByAgent',
    recordType: RecordType.AI_CALL,
    dimensions: [F.AGENT.name],
    metrics: CALL_METRICS,
    scope: CardinalityScope.AGENT,
  };
  /** Per model: provider health and spend by model, beside the AWS/Bedrock metrics. */
  public static readonly CALLS_BY_MODEL: DimensionSetDefinition = {
    id: 'callsByModel',
    recordType: RecordType.AI_CALL,
    dimensions: [F.MODEL.name],
    metrics: CALL_METRICS,
    scope: CardinalityScope.MODEL,
  };
  /** Client-wide totals: the total-spend anomaly detector and budget burn rate. */
  public static readonly CALLS_TOTAL: DimensionSetDefinition = {
    id: 'callsTotal',
    recordType: RecordType.AI_CALL,
    dimensions: [],
    metrics: CALL_METRICS,
    scope: CardinalityScope.CLIENT,
  };
  public static readonly SESSIONS_BY_AGENT: DimensionSetDefinition = {
    id: 'sessionsByAgent',
    recordType: RecordType.AGENT_SESSION,
    dimensions: [F.AGENT.name],
    metrics: [M.SESSIONS, M.SESSION_FAILURES, M.SESSION_STEPS, M.SESSION_TOOL_CALLS, M.SESSION_TOKENS, M.SESSION_COST_USD],
    scope: CardinalityScope.SESSION_AGENT,
  };
  public static readonly TOOL_CALLS_BY_AGENT_TOOL: DimensionSetDefinition = {
    id: 'toolCallsByAgentTool',
    recordType: RecordType.AGENT_SESSION,
    dimensions: [F.AGENT.name, F.TOOL.name],
    metrics: [M.TOOL_CALLS],
    scope: CardinalityScope.AGENT_TOOL,
  };
  public static readonly RETRIEVALS_BY_AGENT: DimensionSetDefinition = {
    id: 'retrievalsByAgent',
    recordType: RecordType.RETRIEVAL,
    dimensions: [F.AGENT.name],
    metrics: [
      M.RETRIEVALS, M.RETRIEVAL_HITS, M.RETRIEVAL_RECALL_AT_K, M.RETRIEVAL_PRECISION_AT_K,
      M.RETRIEVAL_INDEX_AGE_HOURS, M.RETRIEVAL_CACHE_HITS,
    ],
    scope: CardinalityScope.RETRIEVAL_AGENT,
  };
  /** Per route and evaluator: the accuracy SLO alarms, dashboards and the monthly report. */
  public static readonly EVALUATIONS_BY_ROUTE: DimensionSetDefinition = {
    id: 'evaluationsByRoute',
    recordType: RecordType.EVALUATION,
    dimensions: [F.AGENT.name, F.ROUTE.name, F.EVALUATOR.name],
    metrics: EVALUATION_METRICS,
    scope: CardinalityScope.ROUTE_EVALUATOR,
  };
  /** Per agent, model and evaluator: accuracy by model over time, the evidence for model swaps. */
  public static readonly EVALUATIONS_BY_AGENT_MODEL: DimensionSetDefinition = {
    id: 'evaluationsByAgentModel',
    recordType: RecordType.EVALUATION,
    dimensions: [F.AGENT.name, F.MODEL.name, F.EVALUATOR.name],
    metrics: EVALUATION_METRICS,
    scope: CardinalityScope.AGENT_MODEL_EVALUATOR,
  };
  public static readonly REJECTIONS_BY_REASON: DimensionSetDefinition = {
    id: 'rejectionsByReason',
    recordType: RecordType.TELEMETRY_REJECTION,
    dimensions: [F.REASON.name],
    metrics: [M.TELEMETRY_REJECTED],
    scope: CardinalityScope.REJECTION_REASON,
  };

  /** Every dimension set, in the order above. */
  public static all(): DimensionSetDefinition[] {
    const S = TelemetryDimensionSets;
    return [
      S.CALLS_BY_ROUTE, S.CALLS_BY_AGENT_MODEL, S.CALLS_BY_AGENT, S.CALLS_BY_MODEL, S.CALLS_TOTAL,
      S.SESSIONS_BY_AGENT, S.TOOL_CALLS_BY_AGENT_TOOL, S.RETRIEVALS_BY_AGENT, S.EVALUATIONS_BY_ROUTE, S.EVALUATIONS_BY_AGENT_MODEL,
      S.REJECTIONS_BY_REASON,
    ];
  }

  /** The dimension sets of one record type. */
  public static forRecord(recordType: RecordType): DimensionSetDefinition[] {
    return TelemetryDimensionSets.all().filter((set) => set.recordType === recordType);
  }
}

/** Contract-wide constants and the custom-metric formula. */
export class TelemetryContract {
  /** CloudWatch namespace used when the client config names none. */
  public static readonly DEFAULT_NAMESPACE = 'CdkAiOps';
  /**
   * Size of a typical model call's line (all fields present), for log-ingestion estimates; a test
   * holds the helper's output within 15% of it.
   */
  public static readonly CALL_LINE_BYTES = 1150;
  /**
   * Size of a typical evaluation's line (all fields present), for log-ingestion estimates; a test
   * holds the helper's output within 15% of it.
   */
  public static readonly EVALUATION_LINE_BYTES = 710;
  /** The evaluator id `recordFeedback` writes when the caller names none. */
  public static readonly FEEDBACK_EVALUATOR = 'user-feedback';
  /** Written to every record's `schemaVersion`; bump on any breaking change of this file. */
  public static readonly SCHEMA_VERSION = '1';

  /**
   * The number of CloudWatch custom metrics (distinct metric name + dimension values) the contract
   * produces for a client of this shape: the sum over dimension sets of metrics x scope count.
   * Tenants do not appear: they never become dimensions.
   */
  public static customMetricCount(shape: CardinalityShape): number {
    const countOf: Record<CardinalityScope, number> = {
      [CardinalityScope.CLIENT]: 1,
      [CardinalityScope.AGENT]: shape.agents,
      [CardinalityScope.ROUTE]: shape.routes,
      [CardinalityScope.MODEL]: shape.models,
      [CardinalityScope.AGENT_MODEL]: shape.agentModelPairs,
      [CardinalityScope.SESSION_AGENT]: shape.sessionAgents ?? 0,
      [CardinalityScope.RETRIEVAL_AGENT]: shape.retrievalAgents ?? 0,
      [CardinalityScope.AGENT_TOOL]: shape.agentToolPairs ?? 0,
      [CardinalityScope.REJECTION_REASON]: shape.rejectionReasons ?? 0,
      [CardinalityScope.ROUTE_EVALUATOR]: shape.routeEvaluators ?? 0,
      [CardinalityScope.AGENT_MODEL_EVALUATOR]: shape.agentModelEvaluators ?? 0,
    };
    let total = 0;
    for (const set of TelemetryDimensionSets.all()) {
      total += set.metrics.length * countOf[set.scope];
    }
    return total;
  }
}

/**
 * Metrics the rollout state machines publish (PutMetricData, not EMF), in the client's namespace with the
 * dimensions agent and route (TelemetryFields): one series per route with a rollout.
 */
export class RolloutMetrics {
  /** One datapoint of 1 per automatic rollback of a route's rollout; drives the P2 `rollout-rolled-back` alarm. */
  public static readonly ROLLBACKS = metric('RolloutRollbacks', MetricUnit.COUNT, 'Automatic rollbacks of the route\'s rollout (1 per rollback).');
}

/** The provider's own metrics, namespace AWS/Bedrock, by ModelId (AWS's names, not this library's). */
export const BedrockMetrics = {
  NAMESPACE: 'AWS/Bedrock',
  DIMENSION: 'ModelId',
  INVOCATIONS: 'Invocations',
  LATENCY: 'InvocationLatency',
  INPUT_TOKENS: 'InputTokenCount',
  OUTPUT_TOKENS: 'OutputTokenCount',
  /** Throttled requests count in neither Invocations nor the error metrics. */
  THROTTLES: 'InvocationThrottles',
  CLIENT_ERRORS: 'InvocationClientErrors',
  SERVER_ERRORS: 'InvocationServerErrors',
} as const;

/*
 * The pure core of the telemetry helper: caller input in, EMF lines and rejections out. Nothing
 * here writes, reads the clock or throws on bad input: every problem becomes a rejection, and
 * the line keeps what is valid.
 */
import { PriceCatalog } from '../../pricing/price-catalog';
import {
  CallOutcome, DimensionSetDefinition, EvaluationSource, MetricDefinition, RecordType, RejectionReason, TelemetryContract,
  TelemetryDimensionSets, TelemetryFields, TelemetryMetrics,
} from '../contract';
import { AgentSessionInput, AiCallInput, EvaluationInput, Instant, RetrievalInput } from './types';

/** One EMF log line, before serialization: one directive, its dimension sets, metrics and properties. */
export interface EmfLine {
  readonly timestamp: number;
  /** Dimension name to value, one map per dimension set. */
  readonly dimensionSets: Array<Record<string, string>>;
  readonly metrics: Array<{ readonly metric: MetricDefinition; readonly value: number }>;
  /** Root members that are not metrics or dimensions: read by Logs Insights and Contributor Insights. */
  readonly properties: Record<string, string | number>;
}

/** Why part of a record was dropped or replaced. */
export interface Rejection {
  readonly reason: RejectionReason;
  /** The field and what was wrong with it; never the field's value (it may be customer data). */
  readonly detail: string;
}

export interface BuiltLines {
  readonly lines: EmfLine[];
  readonly rejections: Rejection[];
}

/** Dimension value written when the caller's is missing or unusable, so the metrics still land. */
export const UNKNOWN_DIMENSION_VALUE = 'unknown';

// CloudWatch accepts EMF timestamps up to two weeks old and two hours ahead.
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
const MAX_AHEAD_MS = 2 * 3600 * 1000;
// Printable ASCII; CloudWatch allows 1,024 characters, dashboards and alarm names want far fewer.
const DIMENSION_VALUE = /^[\x20-\x7e]{1,250}$/;
const OUTCOMES = new Set<string>(Object.values(CallOutcome));
const SOURCES = new Set<string>(Object.values(EvaluationSource));
// A weight is 1 / a sampling rate; a million covers one call judged in a million.
const MAX_SAMPLE_WEIGHT = 1_000_000;
// Ids and versions, not content: an evaluation line stays a few kilobytes whatever the caller passes.
const MAX_EVALUATION_TEXT = 1_024;

const F = TelemetryFields;
const M = TelemetryMetrics;
const CALL_DIMENSION_SETS = TelemetryDimensionSets.forRecord(RecordType.AI_CALL);
const EVALUATION_DIMENSION_SETS = TelemetryDimensionSets.forRecord(RecordType.EVALUATION);

/** Collects rejections while reading one input. */
class Reader {
  public readonly rejections: Rejection[] = [];

  public constructor(private readonly input: Record<string, unknown>, private readonly now: number) {}

  /** A dimension value, or `unknown` with a rejection. */
  public dimension(field: string): string {
    const value = this.input[field];
    if (value === undefined || value === null || value === '') {
      this.reject(RejectionReason.MISSING_FIELD, `${field} is missing`);
      return UNKNOWN_DIMENSION_VALUE;
    }
    if (typeof value !== 'string' || !DIMENSION_VALUE.test(value)) {
      this.reject(RejectionReason.INVALID_DIMENSION, `${field} must be 1 to 250 printable ASCII characters`);
      return UNKNOWN_DIMENSION_VALUE;
    }
    return value;
  }

  /** An optional string property of at most `maxLength` characters; anything else is dropped with a rejection. */
  public text(field: string, required = false, maxLength = Number.POSITIVE_INFINITY): string | undefined {
    const value = this.input[field];
    if (value === undefined || value === null || value === '') {
      if (required) this.reject(RejectionReason.MISSING_FIELD, `${field} is missing`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.reject(RejectionReason.MISSING_FIELD, `${field} must be a string`);
      return undefined;
    }
    if (value.length > maxLength) {
      this.reject(RejectionReason.MISSING_FIELD, `${field} must be at most ${maxLength} characters`);
      return undefined;
    }
    return value;
  }

  /** A finite number within [min, max], or undefined with a rejection (a missing required one too). */
  public number(field: string, options: { required?: boolean; max?: number } = {}): number | undefined {
    const value = this.input[field];
    if (value === undefined || value === null) {
      if (options.required) this.reject(RejectionReason.MISSING_FIELD, `${field} is missing`);
      return undefined;
    }
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      this.reject(RejectionReason.INVALID_NUMBER, `${field} must be a number from 0 to ${max}`);
      return undefined;
    }
    return value;
  }

  public outcome(): CallOutcome | undefined {
    const value = this.input.outcome;
    if (value === undefined) return CallOutcome.OK;
    if (typeof value === 'string' && OUTCOMES.has(value)) return value as CallOutcome;
    this.reject(RejectionReason.INVALID_OUTCOME, `outcome must be one of ${[...OUTCOMES].join(', ')}`);
    return undefined;
  }

  public timestamp(): number {
    const value = this.input.timestamp as Instant | undefined;
    if (value === undefined) return this.now;
    const ms = value instanceof Date ? value.getTime() : value;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < this.now - MAX_AGE_MS || ms > this.now + MAX_AHEAD_MS) {
      this.reject(RejectionReason.INVALID_TIMESTAMP, 'timestamp must be within the last 14 days and at most 2 hours ahead; now was used');
      return this.now;
    }
    return ms;
  }

  public reject(reason: RejectionReason, detail: string): void {
    this.rejections.push({ reason, detail });
  }
}

function dimensionValues(set: DimensionSetDefinition, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(set.dimensions.map((name) => [name, values[name]]));
}

function metricsOf(pairs: Array<[MetricDefinition, number | undefined]>): EmfLine['metrics'] {
  return pairs.filter(([, value]) => value !== undefined).map(([metric, value]) => ({ metric, value: value as number }));
}

/** Properties without undefined members. */
function propertiesOf(pairs: Array<[string, string | number | undefined]>): Record<string, string | number> {
  return Object.fromEntries(pairs.filter(([, value]) => value !== undefined)) as Record<string, string | number>;
}

function asRecord(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
}

/** One line per distinct rejection reason, counted in the rejection metric by reason. */
function rejectionLines(rejections: Rejection[], recordType: RecordType, agent: string, timestamp: number): EmfLine[] {
  const byReason = new Map<RejectionReason, string[]>();
  for (const { reason, detail } of rejections) byReason.set(reason, [...(byReason.get(reason) ?? []), detail]);
  return [...byReason.entries()].map(([reason, details]) => ({
    timestamp,
    dimensionSets: [{ [F.REASON.name]: reason }],
    metrics: [{ metric: M.TELEMETRY_REJECTED, value: 1 }],
    properties: {
      [F.RECORD_TYPE.name]: RecordType.TELEMETRY_REJECTION,
      [F.SCHEMA_VERSION.name]: TelemetryContract.SCHEMA_VERSION,
      [F.AGENT.name]: agent,
      [F.DETAIL.name]: `${recordType}: ${details.join('; ')}`,
    },
  }));
}

/** The line of one model call, costed at the prices in force on its timestamp. */
export function buildAiCallLines(input: AiCallInput, catalog: PriceCatalog, now: number): BuiltLines {
  const read = new Reader(asRecord(input), now);
  const agent = read.dimension(F.AGENT.name);
  const route = read.dimension(F.ROUTE.name);
  const model = read.dimension(F.MODEL.name);
  const timestamp = read.timestamp();
  const outcome = read.outcome();
  const inputTokens = read.number(M.INPUT_TOKENS.name, { required: true });
  const outputTokens = read.number(M.OUTPUT_TOKENS.name, { required: true });
  const cacheReadTokens = read.number(M.CACHE_READ_TOKENS.name) ?? 0;
  const cacheWriteTokens = read.number(M.CACHE_WRITE_TOKENS.name) ?? 0;
  const cacheWrite1hTokens = read.number('cacheWrite1hTokens', { max: cacheWriteTokens }) ?? 0;
  const latencyMs = read.number(M.LATENCY_MS.name, { required: true });
  const timeToFirstTokenMs = read.number(M.TIME_TO_FIRST_TOKEN_MS.name);

  const cost = catalog.costOf({
    modelId: model,
    timestamp: new Date(timestamp),
    inputTokens: inputTokens ?? 0,
    outputTokens: outputTokens ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
    cacheWrite1hTokens,
  });
  if (!cost.priced && model !== UNKNOWN_DIMENSION_VALUE) {
    read.reject(RejectionReason.UNKNOWN_MODEL, 'model has no price on the call\'s date: costUsd is 0, not a guess');
  }

  const values = { [F.AGENT.name]: agent, [F.ROUTE.name]: route, [F.MODEL.name]: model };
  const counter = (match: CallOutcome) => (outcome === undefined ? undefined : Number(outcome === match));
  const line: EmfLine = {
    timestamp,
    dimensionSets: CALL_DIMENSION_SETS.map((set) => dimensionValues(set, values)),
    metrics: metricsOf([
      [M.CALLS, 1],
      [M.MODEL_ERRORS, counter(CallOutcome.MODEL_ERROR)],
      [M.APP_ERRORS, counter(CallOutcome.APP_ERROR)],
      [M.THROTTLES, counter(CallOutcome.THROTTLED)],
      [M.LATENCY_MS, latencyMs],
      [M.TIME_TO_FIRST_TOKEN_MS, timeToFirstTokenMs],
      [M.INPUT_TOKENS, inputTokens],
      [M.OUTPUT_TOKENS, outputTokens],
      [M.CACHE_READ_TOKENS, cacheReadTokens],
      [M.CACHE_WRITE_TOKENS, cacheWriteTokens],
      [M.COST_USD, cost.costUsd],
    ]),
    properties: propertiesOf([
      [F.RECORD_TYPE.name, RecordType.AI_CALL],
      [F.SCHEMA_VERSION.name, TelemetryContract.SCHEMA_VERSION],
      [F.TENANT.name, read.text(F.TENANT.name, true)],
      [F.PROVIDER.name, read.text(F.PROVIDER.name, true)],
      [F.OPERATION.name, read.text(F.OPERATION.name) ?? 'chat'],
      [F.OUTCOME.name, outcome],
      [F.PRICE_VERSION.name, cost.priceVersion],
      [F.TOTAL_TOKENS.name, (inputTokens ?? 0) + (outputTokens ?? 0) + cacheReadTokens + cacheWriteTokens],
      [F.SESSION_ID.name, read.text(F.SESSION_ID.name)],
      [F.REQUEST_ID.name, read.text(F.REQUEST_ID.name)],
    ]),
  };
  return { lines: [line, ...rejectionLines(read.rejections, RecordType.AI_CALL, agent, timestamp)], rejections: read.rejections };
}

/** The lines of one agent session: the session's own, then one per tool it called. */
export function buildAgentSessionLines(input: AgentSessionInput, now: number): BuiltLines {
  const raw = asRecord(input);
  const read = new Reader(raw, now);
  const agent = read.dimension(F.AGENT.name);
  const timestamp = read.timestamp();
  const outcome = read.outcome();
  const steps = read.number('steps', { required: true });
  const tokens = read.number('tokens', { required: true });
  // The session input's cost has the record's name for it.
  const costUsd = read.number(M.COST_USD.name, { required: true });

  const toolCalls = asRecord(raw.toolCalls);
  const toolLines: EmfLine[] = [];
  let totalToolCalls = 0;
  for (const [tool, count] of Object.entries(toolCalls)) {
    const calls = new Reader({ tool, count }, now);
    const toolName = calls.dimension(F.TOOL.name);
    const value = calls.number('count');
    read.rejections.push(...calls.rejections.map((r) => ({ ...r, detail: `toolCalls: ${r.detail}` })));
    if (value === undefined || toolName === UNKNOWN_DIMENSION_VALUE) continue;
    totalToolCalls += value;
    toolLines.push({
      timestamp,
      dimensionSets: [dimensionValues(TelemetryDimensionSets.TOOL_CALLS_BY_AGENT_TOOL, { [F.AGENT.name]: agent, [F.TOOL.name]: toolName })],
      metrics: [{ metric: M.TOOL_CALLS, value }],
      properties: propertiesOf([
        [F.RECORD_TYPE.name, RecordType.AGENT_SESSION],
        [F.SCHEMA_VERSION.name, TelemetryContract.SCHEMA_VERSION],
        [F.SESSION_ID.name, read.text(F.SESSION_ID.name)],
      ]),
    });
  }

  const sessionLine: EmfLine = {
    timestamp,
    dimensionSets: [dimensionValues(TelemetryDimensionSets.SESSIONS_BY_AGENT, { [F.AGENT.name]: agent })],
    metrics: metricsOf([
      [M.SESSIONS, 1],
      [M.SESSION_FAILURES, outcome === undefined ? undefined : Number(outcome !== CallOutcome.OK)],
      [M.SESSION_STEPS, steps],
      [M.SESSION_TOOL_CALLS, totalToolCalls],
      [M.SESSION_TOKENS, tokens],
      [M.SESSION_COST_USD, costUsd],
    ]),
    properties: propertiesOf([
      [F.RECORD_TYPE.name, RecordType.AGENT_SESSION],
      [F.SCHEMA_VERSION.name, TelemetryContract.SCHEMA_VERSION],
      [F.ROUTE.name, read.text(F.ROUTE.name)],
      [F.TENANT.name, read.text(F.TENANT.name, true)],
      [F.SESSION_ID.name, read.text(F.SESSION_ID.name, true)],
      [F.OUTCOME.name, outcome],
    ]),
  };
  return {
    lines: [sessionLine, ...toolLines, ...rejectionLines(read.rejections, RecordType.AGENT_SESSION, agent, timestamp)],
    rejections: read.rejections,
  };
}

/** The line of one retrieval. */
export function buildRetrievalLines(input: RetrievalInput, now: number): BuiltLines {
  const raw = asRecord(input);
  const read = new Reader(raw, now);
  const agent = read.dimension(F.AGENT.name);
  const timestamp = read.timestamp();
  let cacheHit: number | undefined;
  if (raw.cacheHit !== undefined) {
    if (typeof raw.cacheHit === 'boolean') cacheHit = Number(raw.cacheHit);
    else read.reject(RejectionReason.INVALID_NUMBER, 'cacheHit must be true or false');
  }
  const line: EmfLine = {
    timestamp,
    dimensionSets: [dimensionValues(TelemetryDimensionSets.RETRIEVALS_BY_AGENT, { [F.AGENT.name]: agent })],
    metrics: metricsOf([
      [M.RETRIEVALS, 1],
      [M.RETRIEVAL_HITS, read.number('hits', { required: true })],
      [M.RETRIEVAL_RECALL_AT_K, read.number('recallAtK', { max: 1 })],
      [M.RETRIEVAL_PRECISION_AT_K, read.number('precisionAtK', { max: 1 })],
      [M.RETRIEVAL_INDEX_AGE_HOURS, read.number('indexAgeHours')],
      [M.RETRIEVAL_CACHE_HITS, cacheHit],
    ]),
    properties: propertiesOf([
      [F.RECORD_TYPE.name, RecordType.RETRIEVAL],
      [F.SCHEMA_VERSION.name, TelemetryContract.SCHEMA_VERSION],
      [F.ROUTE.name, read.text(F.ROUTE.name)],
      [F.TENANT.name, read.text(F.TENANT.name, true)],
      [F.TOP_K.name, read.number('k')],
    ]),
  };
  return { lines: [line, ...rejectionLines(read.rejections, RecordType.RETRIEVAL, agent, timestamp)], rejections: read.rejections };
}

/**
 * The line of one evaluation. A record with neither a valid verdict nor a valid score says
 * nothing about accuracy: it writes no evaluation line (so it never counts as a scored call),
 * only its rejection.
 */
export function buildEvaluationLines(input: EvaluationInput, now: number): BuiltLines {
  const raw = asRecord(input);
  const read = new Reader(raw, now);
  const agent = read.dimension(F.AGENT.name);
  const route = read.dimension(F.ROUTE.name);
  const model = read.dimension(F.MODEL.name);
  const evaluator = read.dimension(F.EVALUATOR.name);
  const timestamp = read.timestamp();

  let passed: number | undefined;
  if (raw.passed !== undefined && raw.passed !== null) {
    if (typeof raw.passed === 'boolean') passed = Number(raw.passed);
    else read.reject(RejectionReason.INVALID_VERDICT, 'passed must be true or false');
  }
  const score = read.number('score', { max: 1 });
  if (passed === undefined && score === undefined && raw.passed === undefined && raw.score === undefined) {
    read.reject(RejectionReason.INVALID_VERDICT, 'an evaluation needs passed (true or false) or score (0 to 1)');
  }

  let source: string | undefined;
  if (raw.source === undefined || raw.source === null || raw.source === '') {
    read.reject(RejectionReason.MISSING_FIELD, 'source is missing');
  } else if (typeof raw.source === 'string' && SOURCES.has(raw.source)) {
    source = raw.source;
  } else {
    read.reject(RejectionReason.INVALID_SOURCE, `source must be one of ${[...SOURCES].join(', ')}`);
  }

  let sampleWeight = read.number('sampleWeight', { max: MAX_SAMPLE_WEIGHT }) ?? 1;
  if (sampleWeight === 0) {
    read.reject(RejectionReason.INVALID_NUMBER, 'sampleWeight must be above 0; 1 was used');
    sampleWeight = 1;
  }

  const lines: EmfLine[] = [];
  if (passed !== undefined || score !== undefined) {
    const values = { [F.AGENT.name]: agent, [F.ROUTE.name]: route, [F.MODEL.name]: model, [F.EVALUATOR.name]: evaluator };
    lines.push({
      timestamp,
      dimensionSets: EVALUATION_DIMENSION_SETS.map((set) => dimensionValues(set, values)),
      metrics: metricsOf([
        [M.EVALUATION_COUNT, 1],
        [M.EVALUATION_PASSED, passed],
        [M.EVALUATION_SCORE, score],
      ]),
      properties: propertiesOf([
        [F.RECORD_TYPE.name, RecordType.EVALUATION],
        [F.SCHEMA_VERSION.name, TelemetryContract.SCHEMA_VERSION],
        [F.TENANT.name, read.text(F.TENANT.name, true, MAX_EVALUATION_TEXT)],
        [F.VARIANT.name, read.text(F.VARIANT.name, false, MAX_EVALUATION_TEXT)],
        [F.EVALUATOR_VERSION.name, read.text(F.EVALUATOR_VERSION.name, true, MAX_EVALUATION_TEXT)],
        [F.EVALUATION_SOURCE.name, source],
        [F.SAMPLE_WEIGHT.name, sampleWeight],
        [F.REQUEST_ID.name, read.text(F.REQUEST_ID.name, false, MAX_EVALUATION_TEXT)],
        [F.SESSION_ID.name, read.text(F.SESSION_ID.name, false, MAX_EVALUATION_TEXT)],
      ]),
    });
  }
  return { lines: [...lines, ...rejectionLines(read.rejections, RecordType.EVALUATION, agent, timestamp)], rejections: read.rejections };
}

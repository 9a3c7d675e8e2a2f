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
import { pricingModelId } from './model-ids';
import { AgentSessionInput, AiCallInput, EvaluationInput, RetrievalInput } from './types';

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

/**
 * The longest text property written (tenant, ids, provider, versions), in characters: ids, not
 * content. With the dimension values' 250 and a capped rejection detail, no line can come near
 * CloudWatch Logs' 256 KB event limit (MAX_LINE_BYTES below is what the tests hold it to).
 */
export const MAX_TEXT_LENGTH = 1_024;
/** The most bytes one line can take: every text at its cap, each character JSON-escaped to 6 bytes. */
export const MAX_LINE_BYTES = 64 * 1024;

// CloudWatch accepts EMF timestamps up to two weeks old and two hours ahead.
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
const MAX_AHEAD_MS = 2 * 3600 * 1000;
// Printable ASCII; CloudWatch allows 1,024 characters, dashboards and alarm names want far fewer.
// At least one character that is not a space: CloudWatch refuses blank dimension values.
const DIMENSION_VALUE = /^[\x20-\x7e]{0,249}[\x21-\x7e][\x20-\x7e]{0,249}$/;
const MAX_DIMENSION_LENGTH = 250;
const OUTCOMES = new Set<string>(Object.values(CallOutcome));
const SOURCES = new Set<string>(Object.values(EvaluationSource));
// A weight is 1 / a sampling rate; a million covers one call judged in a million.
const MAX_SAMPLE_WEIGHT = 1_000_000;
// Provider fields an adapter could not read (`ProviderUsage.invalidFields`): a few names at most.
const MAX_INVALID_FIELDS = 8;

const F = TelemetryFields;
const M = TelemetryMetrics;
const CALL_DIMENSION_SETS = TelemetryDimensionSets.forRecord(RecordType.AI_CALL);
const EVALUATION_DIMENSION_SETS = TelemetryDimensionSets.forRecord(RecordType.EVALUATION);

/** Reads one field, or undefined when reading it throws (a getter or a proxy); `failed` says which. */
function readField(input: object, field: string, failed: string[]): unknown {
  try {
    return (input as Record<string, unknown>)[field];
  } catch {
    failed.push(field);
    return undefined;
  }
}

/** Collects rejections while reading one input. Never throws, whatever the input. */
class Reader {
  public readonly rejections: Rejection[] = [];
  private readonly input: object;

  public constructor(input: unknown, private readonly now: number) {
    this.input = typeof input === 'object' && input !== null ? input : {};
  }

  /** The raw field; a field whose getter throws reads as missing, counted as such. */
  public get(field: string): unknown {
    const failed: string[] = [];
    const value = readField(this.input, field, failed);
    if (failed.length > 0) this.reject(RejectionReason.MISSING_FIELD, `${field} could not be read (its getter threw)`);
    return value;
  }

  /** A dimension value, or `unknown` with a rejection. */
  public dimension(field: string): string {
    const value = this.get(field);
    if (value === undefined || value === null || value === '') {
      this.reject(RejectionReason.MISSING_FIELD, `${field} is missing`);
      return UNKNOWN_DIMENSION_VALUE;
    }
    if (typeof value !== 'string' || value.length > MAX_DIMENSION_LENGTH || !DIMENSION_VALUE.test(value)) {
      this.reject(RejectionReason.INVALID_DIMENSION, `${field} must be 1 to 250 printable ASCII characters, not all spaces`);
      return UNKNOWN_DIMENSION_VALUE;
    }
    return value;
  }

  /** An optional string property, cut to MAX_TEXT_LENGTH characters (counted); anything else is dropped with a rejection. */
  public text(field: string, required = false): string | undefined {
    const value = this.get(field);
    if (value === undefined || value === null || value === '') {
      if (required) this.reject(RejectionReason.MISSING_FIELD, `${field} is missing`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.reject(RejectionReason.MISSING_FIELD, `${field} must be a string`);
      return undefined;
    }
    if (value.length > MAX_TEXT_LENGTH) {
      this.reject(RejectionReason.TRUNCATED, `${field} was cut to its first ${MAX_TEXT_LENGTH} characters`);
      return value.slice(0, MAX_TEXT_LENGTH);
    }
    return value;
  }

  /** A finite number within [0, max], or undefined with a rejection (a missing required one too). */
  public number(field: string, options: { required?: boolean; max?: number } = {}): number | undefined {
    const value = this.get(field);
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
    const value = this.get('outcome');
    if (value === undefined) return CallOutcome.OK;
    if (typeof value === 'string' && OUTCOMES.has(value)) return value as CallOutcome;
    this.reject(RejectionReason.INVALID_OUTCOME, `outcome must be one of ${[...OUTCOMES].join(', ')}`);
    return undefined;
  }

  /** Epoch milliseconds, an integer (EMF requires one) within CloudWatch's window, else now. */
  public timestamp(): number {
    const value = this.get('timestamp');
    if (value === undefined) return this.now;
    let ms: unknown = value;
    try {
      // `instanceof` runs a proxy's getPrototypeOf trap, which may throw.
      if (value instanceof Date) ms = value.getTime();
    } catch {
      ms = undefined;
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < this.now - MAX_AGE_MS || ms > this.now + MAX_AHEAD_MS) {
      this.reject(RejectionReason.INVALID_TIMESTAMP, 'timestamp must be within the last 14 days and at most 2 hours ahead; now was used');
      return this.now;
    }
    return Math.floor(ms);
  }

  /** Fields a provider adapter could not read (`ProviderUsage.invalidFields`): each one counted. */
  public invalidProviderFields(): void {
    const value = this.get('invalidFields');
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      this.reject(RejectionReason.INVALID_NUMBER, 'invalidFields must be a list of field names');
      return;
    }
    for (const name of value.slice(0, MAX_INVALID_FIELDS)) {
      const field = typeof name === 'string' && DIMENSION_VALUE.test(name) ? name : 'a field';
      this.reject(RejectionReason.INVALID_NUMBER, `${field} of the provider's response was not a token count; 0 was used`);
    }
  }

  public reject(reason: RejectionReason, detail: string): void {
    this.rejections.push({ reason, detail });
  }
}

function dimensionValues(set: DimensionSetDefinition, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of set.dimensions) out[name] = values[name];
  return out;
}

function metricsOf(pairs: Array<[MetricDefinition, number | undefined]>): EmfLine['metrics'] {
  const out: Array<{ metric: MetricDefinition; value: number }> = [];
  for (const [metric, value] of pairs) if (value !== undefined) out.push({ metric, value });
  return out;
}

/** Properties without undefined members. */
function propertiesOf(pairs: Array<[string, string | number | undefined]>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of pairs) if (value !== undefined) out[key] = value;
  return out;
}

/** The most characters of a rejection line's detail: the field names, never values, of one record. */
const MAX_DETAIL_LENGTH = 1_024;

/** One line per distinct rejection reason, counted in the rejection metric by reason. */
export function rejectionLines(rejections: Rejection[], recordType: RecordType, agent: string, timestamp: number): EmfLine[] {
  if (rejections.length === 0) return [];
  const byReason = new Map<RejectionReason, Set<string>>();
  for (const { reason, detail } of rejections) {
    const details = byReason.get(reason) ?? new Set<string>();
    details.add(detail);
    byReason.set(reason, details);
  }
  return [...byReason.entries()].map(([reason, details]) => {
    const detail = `${recordType}: ${[...details].join('; ')}`;
    return {
      timestamp,
      dimensionSets: [{ [F.REASON.name]: reason }],
      metrics: [{ metric: M.TELEMETRY_REJECTED, value: 1 }],
      properties: {
        [F.RECORD_TYPE.name]: RecordType.TELEMETRY_REJECTION,
        [F.SCHEMA_VERSION.name]: TelemetryContract.SCHEMA_VERSION,
        [F.AGENT.name]: agent,
        [F.DETAIL.name]: detail.length > MAX_DETAIL_LENGTH ? `${detail.slice(0, MAX_DETAIL_LENGTH - 3)}...` : detail,
      },
    };
  });
}

/** The (tool, count) pairs of a session's tool-call map; a map that cannot be listed is counted as unreadable. */
function toolEntries(read: Reader): Array<[string, unknown]> {
  // The session input's per-tool counts have the metric's name.
  const toolCalls = read.get(M.TOOL_CALLS.name);
  if (toolCalls === undefined || toolCalls === null) return [];
  try {
    if (typeof toolCalls !== 'object') throw new TypeError('not an object');
    const failed: string[] = [];
    const entries = Object.keys(toolCalls).map((tool): [string, unknown] => [tool, readField(toolCalls, tool, failed)]);
    if (failed.length > 0) read.reject(RejectionReason.MISSING_FIELD, 'toolCalls: a count could not be read (its getter threw)');
    return entries;
  } catch {
    read.reject(RejectionReason.MISSING_FIELD, 'toolCalls must be a map of tool name to call count');
    return [];
  }
}

const PRICING_ID_CACHE_SIZE = 256;
const pricingIds = new Map<string, string>();
/** `pricingModelId` once per distinct id (the call path runs it on every record). */
function cachedPricingModelId(model: string): string {
  let id = pricingIds.get(model);
  if (id === undefined) {
    if (pricingIds.size >= PRICING_ID_CACHE_SIZE) pricingIds.clear();
    id = pricingModelId(model);
    pricingIds.set(model, id);
  }
  return id;
}

/** The line of one model call, costed at the prices in force on its timestamp. */
export function buildAiCallLines(input: AiCallInput, catalog: PriceCatalog, now: number): BuiltLines {
  const read = new Reader(input, now);
  const agent = read.dimension(F.AGENT.name);
  const route = read.dimension(F.ROUTE.name);
  const model = read.dimension(F.MODEL.name);
  read.invalidProviderFields();
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
    modelId: cachedPricingModelId(model),
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
  let costUsd = cost.costUsd;
  if (!(Number.isFinite(costUsd) && costUsd >= 0)) {
    // Unreachable with validated prices; a cost that is not a dollar figure is never written.
    read.reject(RejectionReason.INVALID_NUMBER, 'costUsd could not be computed from the prices in force: 0 was written');
    costUsd = 0;
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
      [M.COST_USD, costUsd],
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
      [F.VARIANT.name, read.text(F.VARIANT.name)],
    ]),
  };
  return { lines: [line, ...rejectionLines(read.rejections, RecordType.AI_CALL, agent, timestamp)], rejections: read.rejections };
}

/** The lines of one agent session: the session's own, then one per tool it called. */
export function buildAgentSessionLines(input: AgentSessionInput, now: number): BuiltLines {
  const read = new Reader(input, now);
  const agent = read.dimension(F.AGENT.name);
  const timestamp = read.timestamp();
  const outcome = read.outcome();
  const steps = read.number('steps', { required: true });
  const tokens = read.number('tokens', { required: true });
  // The session input's cost has the record's name for it.
  const costUsd = read.number(M.COST_USD.name, { required: true });

  const toolLines: EmfLine[] = [];
  let totalToolCalls = 0;
  const sessionId = read.text(F.SESSION_ID.name, true);
  for (const [tool, count] of toolEntries(read)) {
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
        [F.SESSION_ID.name, sessionId],
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
      [F.SESSION_ID.name, sessionId],
      [F.OUTCOME.name, outcome],
      [F.VARIANT.name, read.text(F.VARIANT.name)],
    ]),
  };
  return {
    lines: [sessionLine, ...toolLines, ...rejectionLines(read.rejections, RecordType.AGENT_SESSION, agent, timestamp)],
    rejections: read.rejections,
  };
}

/** The line of one retrieval. */
export function buildRetrievalLines(input: RetrievalInput, now: number): BuiltLines {
  const read = new Reader(input, now);
  const agent = read.dimension(F.AGENT.name);
  const timestamp = read.timestamp();
  let cacheHit: number | undefined;
  const rawCacheHit = read.get('cacheHit');
  if (rawCacheHit !== undefined) {
    if (typeof rawCacheHit === 'boolean') cacheHit = Number(rawCacheHit);
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
  const read = new Reader(input, now);
  const raw = { passed: read.get('passed'), score: read.get('score'), source: read.get('source') };
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
        [F.TENANT.name, read.text(F.TENANT.name, true)],
        [F.VARIANT.name, read.text(F.VARIANT.name, false)],
        [F.EVALUATOR_VERSION.name, read.text(F.EVALUATOR_VERSION.name, true)],
        [F.EVALUATION_SOURCE.name, source],
        [F.SAMPLE_WEIGHT.name, sampleWeight],
        [F.REQUEST_ID.name, read.text(F.REQUEST_ID.name, false)],
        [F.SESSION_ID.name, read.text(F.SESSION_ID.name, false)],
      ]),
    });
  }
  return { lines: [...lines, ...rejectionLines(read.rejections, RecordType.EVALUATION, agent, timestamp)], rejections: read.rejections };
}

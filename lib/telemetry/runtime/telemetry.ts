import { PriceCatalog } from '../../pricing/price-catalog';
import { PriceOverride } from '../../pricing/types';
import { CallOutcome, EvaluationSource, RecordType, RejectionReason, TelemetryContract, TelemetryFields, TelemetryMetrics } from '../contract';
import { outcomeOfError } from './adapters';
import { priceOverridesFromEnvironment, TELEMETRY_ENV, validNamespace, validPriceOverrides } from './config';
import { stdoutEmfWriter } from './emf';
import {
  BuiltLines, buildAgentSessionLines, buildAiCallLines, buildEvaluationLines, buildRetrievalLines, EmfLine, rejectionLines, UNKNOWN_DIMENSION_VALUE,
} from './lines';
import { providerOfModel } from './model-ids';
import { ANTHROPIC_MESSAGE_STREAM, BEDROCK_CONVERSE_STREAM, contextOf, geminiStream, OPENAI_STREAM, trackStream } from './streams';
import { AgentSessionInput, AiCallInput, CallContext, EvaluationInput, FeedbackInput, ProviderUsage, RetrievalInput } from './types';

export { TELEMETRY_ENV } from './config';

export interface AiTelemetryOptions {
  /** CloudWatch namespace. Default: `$CDK_AI_OPS_NAMESPACE`, else the contract's default. A blank or `AWS/` namespace is refused with a warning. */
  readonly namespace?: string;
  /** Prices. Default: the built-in catalog. */
  readonly priceCatalog?: PriceCatalog;
  /** The client's negotiated prices. Default: `$CDK_AI_OPS_PRICE_OVERRIDES` (JSON), else none. Unusable entries are dropped with a warning. */
  readonly priceOverrides?: PriceOverride[];
  /** Where warnings go. Default: `console.warn`. */
  readonly warn?: (message: string) => void;
  /** Milliseconds since the epoch. Default: `Date.now`. */
  readonly clock?: () => number;
  /** Writes one line. Default: EMF to stdout. */
  readonly write?: (line: EmfLine) => void;
}

const INTERNAL_FAILURE = 'internal';

const OPTION_NAMES: Array<keyof AiTelemetryOptions> = ['namespace', 'priceCatalog', 'priceOverrides', 'warn', 'clock', 'write'];

/** The options as a plain record: an option whose getter throws is left out (its default applies). */
function optionsOf(options: unknown): Partial<Record<keyof AiTelemetryOptions, any>> {
  const out: Partial<Record<keyof AiTelemetryOptions, any>> = {};
  if (typeof options !== 'object' || options === null) return out;
  for (const key of OPTION_NAMES) {
    try {
      out[key] = (options as Record<string, unknown>)[key];
    } catch {
      // default below
    }
  }
  return out;
}

/** The fields of a `ProviderUsage` the record takes. */
const USAGE_FIELDS = [
  TelemetryFields.PROVIDER.name, TelemetryMetrics.INPUT_TOKENS.name, TelemetryMetrics.OUTPUT_TOKENS.name, TelemetryMetrics.CACHE_READ_TOKENS.name,
  TelemetryMetrics.CACHE_WRITE_TOKENS.name, 'cacheWrite1hTokens', TelemetryMetrics.TIME_TO_FIRST_TOKEN_MS.name, TelemetryFields.REQUEST_ID.name,
  'invalidFields',
];

/** The provider usage as a plain record, or an empty one when the adapter gave nothing usable. */
function usageRecord(usage: unknown): Record<string, unknown> {
  if (typeof usage !== 'object' || usage === null) return {};
  const out: Record<string, unknown> = {};
  for (const key of USAGE_FIELDS) {
    try {
      const value = (usage as Record<string, unknown>)[key];
      if (value !== undefined) out[key] = value;
    } catch {
      // Left out: the core counts a missing token count.
    }
  }
  return out;
}

/**
 * Records model calls, agent sessions, retrievals and evaluations as CloudWatch EMF lines, one per record,
 * written at once (nothing is buffered, so a handler that throws afterwards loses nothing).
 * No method throws into the caller, whatever it is given: a bad record is written with what is
 * valid, counted in the rejection metric by reason, and warned about once per reason.
 */
export class AiTelemetry {
  private readonly catalog: PriceCatalog;
  private readonly warnTo: (message: string) => void;
  private readonly clock: () => number;
  private readonly write: (line: EmfLine) => void;
  private readonly warned = new Set<string>();

  public constructor(options: AiTelemetryOptions = {}) {
    const o = optionsOf(options);
    this.warnTo = typeof o.warn === 'function' ? o.warn : (message) => console.warn(message);
    this.clock = typeof o.clock === 'function' ? o.clock : Date.now;
    const namespace = o.namespace !== undefined
      ? validNamespace(o.namespace, 'the namespace option')
      : validNamespace(process.env[TELEMETRY_ENV.NAMESPACE], `$${TELEMETRY_ENV.NAMESPACE}`);
    const overrides = o.priceOverrides !== undefined
      ? validPriceOverrides(o.priceOverrides, 'the priceOverrides option')
      : priceOverridesFromEnvironment(process.env);
    for (const warning of [...namespace.warnings, ...overrides.warnings]) this.warn(warning);
    let catalog: PriceCatalog;
    try {
      catalog = (o.priceCatalog ?? PriceCatalog.builtIn()).withOverrides(overrides.value);
    } catch (error) {
      this.warn(`cdk-ai-ops telemetry: the price catalog could not be used (${messageOf(error)}); the built-in list prices are used`);
      catalog = PriceCatalog.builtIn().withOverrides(overrides.value);
    }
    this.catalog = catalog;
    this.write = typeof o.write === 'function' ? o.write : stdoutEmfWriter(namespace.value);
  }

  /** Records one model call: validates it, costs it at the prices of its date, writes its line. */
  public recordAiCall(call: AiCallInput): void {
    this.emit(RecordType.AI_CALL, (now) => buildAiCallLines(call, this.catalog, now));
  }

  /** Records one finished agent session, and one tool-call line per tool it used. */
  public recordAgentSession(session: AgentSessionInput): void {
    this.emit(RecordType.AGENT_SESSION, (now) => buildAgentSessionLines(session, now));
  }

  /** Records one retrieval step. */
  public recordRetrieval(retrieval: RetrievalInput): void {
    this.emit(RecordType.RETRIEVAL, (now) => buildRetrievalLines(retrieval, now));
  }

  /**
   * Records one verdict or score on one call, from a judge, an assertion, a human review or
   * AgentCore Evaluations. A record with neither a valid verdict nor a valid score is only counted
   * as rejected: it must not count as a scored call.
   */
  public recordEvaluation(evaluation: EvaluationInput): void {
    this.emit(RecordType.EVALUATION, (now) => buildEvaluationLines(evaluation, now));
  }

  /** Records an end user's thumbs up or down: an evaluation from the `feedback` source. */
  public recordFeedback(feedback: FeedbackInput): void {
    this.emit(RecordType.EVALUATION, (now) => buildEvaluationLines(feedbackEvaluation(feedback), now));
  }

  /**
   * Runs a model call, times it and records it: with the usage read from the response when it
   * succeeds, with the outcome its error implies when it throws. It returns the call's own result,
   * or rejects with the call's own error, unchanged, whatever the context or the adapter do; the
   * line is written in every case. The latency recorded is the wall-clock time the caller waited.
   */
  public async trackAiCall<T>(call: CallContext, invoke: () => Promise<T>, usageOf?: (result: T) => ProviderUsage): Promise<T> {
    const startedAt = this.now();
    const context = contextOf(call);
    let result: T;
    try {
      result = await invoke();
    } catch (error) {
      this.recordFailure(context, startedAt, error);
      throw error;
    }
    const latencyMs = this.now() - startedAt;
    this.recordSuccess(context, startedAt, latencyMs, () => (typeof usageOf === 'function' ? usageOf(result) : undefined));
    return result;
  }

  /**
   * Tracks a Bedrock ConverseStream call: `send` is `() => client.send(new ConverseStreamCommand(...))`.
   * Returns its output with `stream` yielding the very same events; the call is recorded when the
   * stream ends, with the usage of its `metadata` event and the time to the first content delta.
   */
  public trackConverseStream<R extends object>(call: CallContext, send: () => Promise<R>): Promise<R> {
    return trackStream(this, call, send, BEDROCK_CONVERSE_STREAM, 'stream');
  }

  /**
   * Tracks an Anthropic streaming call: `open` is `() => client.messages.create({ ..., stream: true })`
   * (or `client.messages.stream(...)`). Returns the same stream, recorded when it ends.
   */
  public trackAnthropicStream<S extends object>(call: CallContext, open: () => Promise<S> | S): Promise<S> {
    return trackStream(this, call, open, ANTHROPIC_MESSAGE_STREAM);
  }

  /**
   * Tracks an OpenAI streaming call (Chat Completions with `stream_options: { include_usage: true }`,
   * or the Responses API with `stream: true`). Returns the same stream, recorded when it ends.
   */
  public trackOpenAiStream<S extends object>(call: CallContext, open: () => Promise<S> | S): Promise<S> {
    return trackStream(this, call, open, OPENAI_STREAM);
  }

  /**
   * Tracks a Gemini streaming call (`generateContentStream`, Gemini API or Vertex AI; pass
   * `gcp.vertex_ai` as the context's provider for Vertex). Returns the same stream, recorded when it ends.
   */
  public trackGeminiStream<S extends object>(call: CallContext, open: () => Promise<S> | S): Promise<S> {
    const provider = contextOf(call).provider;
    return trackStream(this, call, open, geminiStream(typeof provider === 'string' ? provider : undefined));
  }

  /** The clock, as an integer; `Date.now` when the given clock fails or returns no finite number. */
  public now(): number {
    try {
      const value = this.clock();
      if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value);
    } catch {
      // Date.now below
    }
    return Date.now();
  }

  /** Records a tracked call that threw: no tokens, the outcome the error implies, the provider the model id implies. */
  public recordFailure(context: Partial<Record<keyof CallContext, unknown>>, startedAt: number, error: unknown, partial: Record<string,
    unknown> = {}): void {
    this.recordAiCall({
      inputTokens: 0,
      outputTokens: 0,
      ...partial,
      ...context,
      provider: context.provider ?? partial.provider ?? providerOfModel(context.model) ?? UNKNOWN_DIMENSION_VALUE,
      latencyMs: this.now() - startedAt,
      timestamp: startedAt,
      outcome: outcomeOfError(error),
    } as AiCallInput);
  }

  /** Records a tracked call that returned, with the usage `readUsage` gives (nothing usable is recorded without tokens, counted). */
  public recordSuccess(context: Partial<Record<keyof CallContext, unknown>>, startedAt: number, latencyMs: number, readUsage: () => unknown): void {
    let usage: Record<string, unknown> = {};
    try {
      usage = usageRecord(readUsage());
    } catch (error) {
      this.warnOnce(INTERNAL_FAILURE,
        `cdk-ai-ops telemetry: could not read usage from a response (${messageOf(error)}); the call is recorded without tokens`);
    }
    // Latency is what the caller waited (network and SDK retries included), not the provider's own figure.
    this.recordAiCall({
      ...usage,
      ...context,
      provider: context.provider ?? usage.provider ?? providerOfModel(context.model) ?? UNKNOWN_DIMENSION_VALUE,
      latencyMs,
      timestamp: startedAt,
      outcome: CallOutcome.OK,
    } as AiCallInput);
  }

  private emit(recordType: RecordType, build: (now: number) => BuiltLines): void {
    const now = this.now();
    let built: BuiltLines;
    try {
      built = build(now);
    } catch (error) {
      // Unreachable by design (the core reads every field defensively); still counted, never thrown.
      this.writeAll(rejectionLines([{ reason: RejectionReason.INTERNAL_ERROR, detail: 'the record could not be read' }], recordType,
        UNKNOWN_DIMENSION_VALUE, now));
      this.warnOnce(RejectionReason.INTERNAL_ERROR, `cdk-ai-ops telemetry: a record could not be written (${messageOf(error)})`);
      return;
    }
    this.writeAll(built.lines);
    for (const { reason, detail } of built.rejections) {
      this.warnOnce(reason, `cdk-ai-ops telemetry: repaired a record (${reason}: ${detail}); `
        + `further records repaired for ${reason} are counted in the ${TelemetryMetrics.TELEMETRY_REJECTED.name} metric without a warning`);
    }
  }

  private writeAll(lines: EmfLine[]): void {
    for (const line of lines) {
      try {
        this.write(line);
      } catch (error) {
        this.warnOnce(INTERNAL_FAILURE, `cdk-ai-ops telemetry: a record could not be written (${messageOf(error)})`);
      }
    }
  }

  private warnOnce(key: RejectionReason | typeof INTERNAL_FAILURE, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }

  private warn(message: string): void {
    try {
      this.warnTo(message);
    } catch {
      // A warning channel that fails must not fail the record.
    }
  }
}

/** An error's message, whatever was thrown (a Symbol, a null-prototype object, a throwing getter). */
function messageOf(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message);
    return typeof error === 'string' ? error : typeof error;
  } catch {
    return 'unreadable error';
  }
}

const FEEDBACK_CALL_FIELDS = [
  ...[TelemetryFields.AGENT, TelemetryFields.ROUTE, TelemetryFields.MODEL, TelemetryFields.VARIANT, TelemetryFields.TENANT,
    TelemetryFields.REQUEST_ID,
    TelemetryFields.SESSION_ID, TelemetryFields.SAMPLE_WEIGHT, TelemetryFields.EVALUATOR,
    TelemetryFields.EVALUATOR_VERSION].map((field) => field.name),
  'timestamp', 'positive',
];

/** Feedback as an evaluation: thumbs up passes. Odd input is passed through for the core to count. */
function feedbackEvaluation(feedback: FeedbackInput): EvaluationInput {
  const raw: Record<string, unknown> = {};
  if (typeof feedback === 'object' && feedback !== null) {
    for (const key of FEEDBACK_CALL_FIELDS) {
      try {
        raw[key] = (feedback as unknown as Record<string, unknown>)[key];
      } catch {
        // Left out: the core counts the missing field.
      }
    }
  }
  const { positive, ...call } = raw;
  return {
    ...call,
    evaluator: raw.evaluator ?? TelemetryContract.FEEDBACK_EVALUATOR,
    evaluatorVersion: raw.evaluatorVersion ?? '1',
    source: EvaluationSource.FEEDBACK,
    passed: positive,
  } as EvaluationInput;
}

let shared: AiTelemetry | undefined;
/** The instance behind the module-level functions, configured from the environment on first use. */
function sharedTelemetry(): AiTelemetry {
  shared ??= new AiTelemetry();
  return shared;
}

/** Records one model call with the shared instance (see `AiTelemetry.recordAiCall`). */
export function recordAiCall(call: AiCallInput): void {
  sharedTelemetry().recordAiCall(call);
}

/** Records one finished agent session with the shared instance. */
export function recordAgentSession(session: AgentSessionInput): void {
  sharedTelemetry().recordAgentSession(session);
}

/** Records one retrieval step with the shared instance. */
export function recordRetrieval(retrieval: RetrievalInput): void {
  sharedTelemetry().recordRetrieval(retrieval);
}

/** Records one evaluation with the shared instance (see `AiTelemetry.recordEvaluation`). */
export function recordEvaluation(evaluation: EvaluationInput): void {
  sharedTelemetry().recordEvaluation(evaluation);
}

/** Records one end user's feedback with the shared instance (see `AiTelemetry.recordFeedback`). */
export function recordFeedback(feedback: FeedbackInput): void {
  sharedTelemetry().recordFeedback(feedback);
}

/** Runs, times and records one model call with the shared instance (see `AiTelemetry.trackAiCall`). */
export function trackAiCall<T>(call: CallContext, invoke: () => Promise<T>, usageOf?: (result: T) => ProviderUsage): Promise<T> {
  return sharedTelemetry().trackAiCall(call, invoke, usageOf);
}

/** Tracks a Bedrock ConverseStream call with the shared instance (see `AiTelemetry.trackConverseStream`). */
export function trackConverseStream<R extends object>(call: CallContext, send: () => Promise<R>): Promise<R> {
  return sharedTelemetry().trackConverseStream(call, send);
}

/** Tracks an Anthropic streaming call with the shared instance (see `AiTelemetry.trackAnthropicStream`). */
export function trackAnthropicStream<S extends object>(call: CallContext, open: () => Promise<S> | S): Promise<S> {
  return sharedTelemetry().trackAnthropicStream(call, open);
}

/** Tracks an OpenAI streaming call with the shared instance (see `AiTelemetry.trackOpenAiStream`). */
export function trackOpenAiStream<S extends object>(call: CallContext, open: () => Promise<S> | S): Promise<S> {
  return sharedTelemetry().trackOpenAiStream(call, open);
}

/** Tracks a Gemini streaming call with the shared instance (see `AiTelemetry.trackGeminiStream`). */
export function trackGeminiStream<S extends object>(call: CallContext, open: () => Promise<S> | S): Promise<S> {
  return sharedTelemetry().trackGeminiStream(call, open);
}

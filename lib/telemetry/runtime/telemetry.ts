import { PriceCatalog } from '../../pricing/price-catalog';
import { PriceOverride } from '../../pricing/types';
import { CallOutcome, EvaluationSource, RejectionReason, TelemetryContract, TelemetryMetrics } from '../contract';
import { outcomeOfError } from './adapters';
import { stdoutEmfWriter } from './emf';
import { BuiltLines, buildAgentSessionLines, buildAiCallLines, buildEvaluationLines, buildRetrievalLines, EmfLine } from './lines';
import { AgentSessionInput, AiCallInput, CallContext, EvaluationInput, FeedbackInput, ProviderUsage, RetrievalInput } from './types';

/** Environment variables the helper reads when no option is given. */
export const TELEMETRY_ENV = {
  /** CloudWatch namespace (the client config's `metricNamespace`). */
  NAMESPACE: 'CDK_AI_OPS_NAMESPACE',
  /** JSON array of price overrides (the client config's `priceOverrides`). */
  PRICE_OVERRIDES: 'CDK_AI_OPS_PRICE_OVERRIDES',
} as const;

export interface AiTelemetryOptions {
  /** CloudWatch namespace. Default: `$CDK_AI_OPS_NAMESPACE`, else the contract's default. */
  readonly namespace?: string;
  /** Prices. Default: the built-in catalog. */
  readonly priceCatalog?: PriceCatalog;
  /** The client's negotiated prices. Default: `$CDK_AI_OPS_PRICE_OVERRIDES` (JSON), else none. */
  readonly priceOverrides?: PriceOverride[];
  /** Where warnings go. Default: `console.warn`. */
  readonly warn?: (message: string) => void;
  /** Milliseconds since the epoch. Default: `Date.now`. */
  readonly clock?: () => number;
  /** Writes one line. Default: EMF to stdout. */
  readonly write?: (line: EmfLine) => void;
}

const INTERNAL_FAILURE = 'internal';

/**
 * Records model calls, agent sessions, retrievals and evaluations as CloudWatch EMF lines, one per record,
 * written at once (nothing is buffered, so a handler that throws afterwards loses nothing).
 * It never throws into the caller: a bad record is written with what is valid, counted in the
 * rejection metric by reason, and warned about once per reason.
 */
export class AiTelemetry {
  private readonly catalog: PriceCatalog;
  private readonly warn: (message: string) => void;
  private readonly clock: () => number;
  private readonly write: (line: EmfLine) => void;
  private readonly warned = new Set<string>();

  public constructor(options: AiTelemetryOptions = {}) {
    this.warn = options.warn ?? ((message) => console.warn(message));
    this.clock = options.clock ?? Date.now;
    const namespace = options.namespace ?? process.env[TELEMETRY_ENV.NAMESPACE] ?? TelemetryContract.DEFAULT_NAMESPACE;
    const overrides = options.priceOverrides ?? this.overridesFromEnvironment();
    this.catalog = (options.priceCatalog ?? PriceCatalog.builtIn()).withOverrides(overrides);
    this.write = options.write ?? stdoutEmfWriter(namespace);
  }

  /** Records one model call: validates it, costs it at the prices of its date, writes its line. */
  public recordAiCall(call: AiCallInput): void {
    this.emit(() => buildAiCallLines(call, this.catalog, this.clock()));
  }

  /** Records one finished agent session, and one tool-call line per tool it used. */
  public recordAgentSession(session: AgentSessionInput): void {
    this.emit(() => buildAgentSessionLines(session, this.clock()));
  }

  /** Records one retrieval step. */
  public recordRetrieval(retrieval: RetrievalInput): void {
    this.emit(() => buildRetrievalLines(retrieval, this.clock()));
  }

  /**
   * Records one verdict or score on one call, from a judge, an assertion, a human review or
   * AgentCore Evaluations. A record with neither a valid verdict nor a valid score is only counted
   * as rejected: it must not count as a scored call.
   */
  public recordEvaluation(evaluation: EvaluationInput): void {
    this.emit(() => buildEvaluationLines(evaluation, this.clock()));
  }

  /** Records an end user's thumbs up or down: an evaluation from the `feedback` source. */
  public recordFeedback(feedback: FeedbackInput): void {
    this.emit(() => buildEvaluationLines(feedbackEvaluation(feedback), this.clock()));
  }

  /**
   * Runs a model call, times it and records it: with the usage read from the response when it
   * succeeds, with the outcome its error implies when it throws (the error is rethrown untouched).
   * The latency recorded is the wall-clock time the caller waited.
   */
  public async trackAiCall<T>(call: CallContext, invoke: () => Promise<T>, usageOf: (result: T) => ProviderUsage): Promise<T> {
    const startedAt = this.clock();
    let result: T;
    try {
      result = await invoke();
    } catch (error) {
      this.recordAiCall({
        provider: 'unknown', ...call, inputTokens: 0, outputTokens: 0, latencyMs: this.clock() - startedAt, timestamp: startedAt, outcome: outcomeOfError(error),
      });
      throw error;
    }
    const latencyMs = this.clock() - startedAt;
    let usage: Partial<ProviderUsage> = {};
    try {
      usage = usageOf(result);
    } catch (error) {
      this.warnOnce(INTERNAL_FAILURE, `cdk-ai-ops telemetry: could not read usage from a response (${(error as Error).message}); the call is recorded without tokens`);
    }
    // Latency is what the caller waited (network and SDK retries included), not the provider's own figure.
    this.recordAiCall({ ...usage, ...call, latencyMs, provider: call.provider ?? usage.provider ?? 'unknown', timestamp: startedAt, outcome: CallOutcome.OK } as AiCallInput);
    return result;
  }

  private emit(build: () => BuiltLines): void {
    try {
      const { lines, rejections } = build();
      for (const line of lines) this.write(line);
      for (const { reason, detail } of rejections) {
        this.warnOnce(reason, `cdk-ai-ops telemetry: repaired a record (${reason}: ${detail}); `
          + `further records repaired for ${reason} are counted in the ${TelemetryMetrics.TELEMETRY_REJECTED.name} metric without a warning`);
      }
    } catch (error) {
      this.warnOnce(INTERNAL_FAILURE, `cdk-ai-ops telemetry: a record could not be written (${(error as Error).message})`);
    }
  }

  private warnOnce(key: RejectionReason | typeof INTERNAL_FAILURE, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn(message);
  }

  private overridesFromEnvironment(): PriceOverride[] {
    const text = process.env[TELEMETRY_ENV.PRICE_OVERRIDES];
    if (!text) return [];
    try {
      const parsed = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed as PriceOverride[];
    } catch {
      // reported below
    }
    this.warn(`cdk-ai-ops telemetry: ${TELEMETRY_ENV.PRICE_OVERRIDES} is not a JSON array of price overrides; list prices are used`);
    return [];
  }
}

/** Feedback as an evaluation: thumbs up passes. Odd input is passed through for the core to count. */
function feedbackEvaluation(feedback: FeedbackInput): EvaluationInput {
  const raw = (typeof feedback === 'object' && feedback !== null ? feedback : {}) as Partial<FeedbackInput>;
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
export function trackAiCall<T>(call: CallContext, invoke: () => Promise<T>, usageOf: (result: T) => ProviderUsage): Promise<T> {
  return sharedTelemetry().trackAiCall(call, invoke, usageOf);
}

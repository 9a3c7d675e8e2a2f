/*
 * Framework integrations: LangChain.js callbacks, the Vercel AI SDK's onFinish, and OpenTelemetry
 * GenAI spans. Each is written against the structural shape the framework passes, so the helper
 * depends on none of them; each records through the same core as `recordAiCall`.
 */
import { TelemetryFields, TelemetryMetrics } from '../contract';
import { fieldOf, outcomeOfError, UsageReader, valueAt } from './adapters';
import { providerOfModel } from './model-ids';
import { contextOf } from './streams';
import type { AiTelemetry } from './telemetry';
import { CallContext } from './types';

type Recorder = Pick<AiTelemetry, 'now' | 'recordAiCall' | 'recordSuccess' | 'recordFailure'>;

/** LangChain's `ls_provider` metadata values, as OpenTelemetry's `gen_ai.provider.name`. */
const LANGCHAIN_PROVIDERS: Record<string, string> = {
  amazon_bedrock: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  anthropic: 'anthropic',
  openai: 'openai',
  azure: 'azure.ai.openai',
  google_vertexai: 'gcp.vertex_ai',
  google_genai: 'gcp.gemini',
};

/** LangChain `usage_metadata` (AIMessage) or `llmOutput.tokenUsage`: input includes cache reads and writes there. */
function langChainUsage(output: unknown): Record<string, unknown> {
  const message = valueAt(output, 'generations.0.0.message');
  const metadata = valueAt(message, 'usage_metadata');
  if (metadata !== undefined) {
    const read = new UsageReader(metadata);
    const cacheRead = read.count('input_token_details.cache_read');
    const cacheWrite = read.count('input_token_details.cache_creation');
    return {
      inputTokens: Math.max(0, read.count('input_tokens') - cacheRead - cacheWrite),
      outputTokens: read.count('output_tokens'),
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      ...(read.invalidFields.length > 0 ? { invalidFields: read.invalidFields } : {}),
    };
  }
  const tokenUsage = valueAt(output, 'llmOutput.tokenUsage');
  if (tokenUsage !== undefined) {
    const read = new UsageReader(tokenUsage);
    return { inputTokens: read.count('promptTokens'), outputTokens: read.count('completionTokens'), cacheReadTokens: 0, cacheWriteTokens: 0 };
  }
  return {};
}

interface LangChainRun {
  readonly startedAt: number;
  readonly context: Record<string, unknown>;
  firstTokenAt?: number;
}

/**
 * A LangChain.js callback handler (pass it in `callbacks: [handler]` of a model, chain or agent):
 * one line per model call, with the model and provider LangChain reports, the usage of the
 * response's `usage_metadata`, and time to first token for streamed calls. `call` gives the agent,
 * route and tenant; a model or provider in it wins over LangChain's.
 */
export class AiOpsLangChainHandler {
  /** LangChain's name for the handler. */
  public readonly name = 'cdk-ai-ops';
  private readonly runs = new Map<string, LangChainRun>();

  public constructor(private readonly telemetry: Recorder, private readonly call: Partial<CallContext>) {}

  public handleLLMStart(_llm: unknown, _prompts: unknown, runId: string, _parent?: string, extraParams?: unknown, _tags?: unknown,
    metadata?: unknown): void {
    this.start(runId, extraParams, metadata);
  }

  public handleChatModelStart(_llm: unknown, _messages: unknown, runId: string, _parent?: string, extraParams?: unknown, _tags?: unknown,
    metadata?: unknown): void {
    this.start(runId, extraParams, metadata);
  }

  public handleLLMNewToken(_token: unknown, _idx: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (run && run.firstTokenAt === undefined) run.firstTokenAt = this.telemetry.now();
  }

  public handleLLMEnd(output: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    const usage = langChainUsage(output);
    const messageId = valueAt(output, 'generations.0.0.message.id');
    // LangChain names a message without a provider id after its run: that is no request id.
    const requestId = messageId === `run-${runId}` ? undefined : messageId;
    this.telemetry.recordSuccess(run.context, run.startedAt, this.telemetry.now() - run.startedAt, () => ({
      ...usage,
      ...(run.firstTokenAt !== undefined ? { timeToFirstTokenMs: run.firstTokenAt - run.startedAt } : {}),
      ...(typeof requestId === 'string' ? { requestId } : {}),
    }));
  }

  public handleLLMError(error: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    this.telemetry.recordFailure(run.context, run.startedAt, error);
  }

  private start(runId: string, extraParams: unknown, metadata: unknown): void {
    const lsProvider = valueAt(metadata, 'ls_provider');
    const model = valueAt(metadata, 'ls_model_name') ?? valueAt(extraParams, 'invocation_params.model')
      ?? valueAt(extraParams, 'invocation_params.model_name') ?? valueAt(extraParams, 'invocation_params.modelId');
    const provider = typeof lsProvider === 'string' ? LANGCHAIN_PROVIDERS[lsProvider] ?? lsProvider : providerOfModel(model);
    this.runs.set(runId, {
      startedAt: this.telemetry.now(),
      context: { ...(model !== undefined ? { model } : {}), ...(provider !== undefined ? { provider } : {}), ...contextOf(this.call) },
    });
  }
}

/** The contract's usage of an AI SDK usage object: 5 counts cached input tokens inside its input count; 4 used prompt/completion. */
function aiSdkUsage(usage: unknown): Record<string, unknown> {
  const read = new UsageReader(usage);
  const v5 = fieldOf(usage, TelemetryMetrics.INPUT_TOKENS.name) !== undefined;
  const cached = read.count('cachedInputTokens');
  return {
    inputTokens: Math.max(0, (v5 ? read.count(TelemetryMetrics.INPUT_TOKENS.name) : read.count('promptTokens')) - cached),
    outputTokens: v5 ? read.count(TelemetryMetrics.OUTPUT_TOKENS.name) : read.count('completionTokens'),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    ...(read.invalidFields.length > 0 ? { invalidFields: read.invalidFields } : {}),
  };
}

/**
 * Hooks for one Vercel AI SDK call (`generateText`, `streamText`, `generateObject`, ...): spread
 * them into the call's options. Timing starts when the hooks are made, so make them right before
 * the call. `onStepFinish` records each step, one model call, with its usage (AI SDK 5
 * `generateText` has no `onFinish`); `onFinish` records the call's usage only when no step was
 * recorded (AI SDK 4, `generateObject`); `onChunk` marks the first token; `onError` records a
 * failed stream.
 */
export function aiSdkHooks(telemetry: Recorder, call: CallContext): {
  onChunk: (event: unknown) => void;
  onStepFinish: (event: unknown) => void;
  onFinish: (event: unknown) => void;
  onError: (event: unknown) => void;
} {
  const context = contextOf(call);
  let stepStartedAt = telemetry.now();
  let firstTokenAt: number | undefined;
  let steps = 0;
  let done = false;
  const record = (usage: unknown, event: unknown) => {
    const startedAt = stepStartedAt;
    const firstToken = firstTokenAt;
    const requestId = valueAt(event, 'response.id');
    stepStartedAt = telemetry.now();
    firstTokenAt = undefined;
    telemetry.recordSuccess(context, startedAt, stepStartedAt - startedAt, () => ({
      ...aiSdkUsage(usage),
      ...(firstToken !== undefined ? { timeToFirstTokenMs: firstToken - startedAt } : {}),
      ...(typeof requestId === 'string' ? { requestId } : {}),
    }));
  };
  return {
    onChunk: () => {
      firstTokenAt ??= telemetry.now();
    },
    onStepFinish: (event) => {
      if (done) return;
      steps += 1;
      record(valueAt(event, 'usage'), event);
    },
    onFinish: (event) => {
      if (done) return;
      done = true;
      // streamText's totalUsage sums every step; usage is the last step's.
      if (steps === 0) record(valueAt(event, 'totalUsage') ?? valueAt(event, 'usage'), event);
    },
    onError: (event) => {
      if (done) return;
      done = true;
      telemetry.recordFailure(context, stepStartedAt, valueAt(event, 'error') ?? event);
    },
  };
}

/** OpenTelemetry GenAI operations that are model calls (others, such as execute_tool, are not). */
const MODEL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);
const SPAN_STATUS_ERROR = 2;

/** The attributes the span processor reads besides the contract's own `otelAttribute`s. */
export const GEN_AI_SPAN_ATTRIBUTES = {
  OPERATION: 'gen_ai.operation.name',
  PROVIDER: 'gen_ai.provider.name',
  /** Deprecated by the conventions for `gen_ai.provider.name`; still what many instrumentations write. */
  SYSTEM: 'gen_ai.system',
  INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  ERROR_TYPE: 'error.type',
  /** This library's own attributes: the conventions have no route, tenant or variant. */
  ROUTE: 'cdk_ai_ops.route',
  TENANT: 'cdk_ai_ops.tenant',
  /** The variant that served the call (`chooseVariant`'s `variant.id`). */
  VARIANT: 'cdk_ai_ops.variant',
} as const;

/** The parts of an OpenTelemetry `ReadableSpan` the processor reads. */
export interface GenAiSpanLike {
  readonly attributes?: Record<string, unknown>;
  /** [seconds, nanoseconds] since the epoch. */
  readonly startTime?: readonly [number, number];
  /** [seconds, nanoseconds]. */
  readonly duration?: readonly [number, number];
  readonly status?: { readonly code?: number };
}

const hrMs = (time: unknown): number | undefined => {
  const seconds = valueAt(time, '0');
  const nanos = valueAt(time, '1');
  return typeof seconds === 'number' && typeof nanos === 'number' ? seconds * 1000 + nanos / 1e6 : undefined;
};

/**
 * The model call a GenAI span describes, as `recordAiCall` input, or undefined for spans that
 * are not model calls. `gen_ai.usage.input_tokens` includes cache reads and writes (as the
 * conventions say); they are taken out here, as the contract counts them apart.
 */
export function aiCallOfSpan(span: GenAiSpanLike, defaults: Partial<CallContext> = {}): Record<string, unknown> | undefined {
  const A = GEN_AI_SPAN_ATTRIBUTES;
  const attributes = valueAt(span, 'attributes');
  const attribute = (name: string | undefined) => (name === undefined ? undefined : fieldOf(attributes, name));
  const operation = attribute(A.OPERATION);
  if (typeof operation !== 'string' || !MODEL_OPERATIONS.has(operation)) return undefined;
  const read = new UsageReader(attributes);
  const cacheRead = read.countKey(TelemetryMetrics.CACHE_READ_TOKENS.otelAttribute!);
  const cacheWrite = read.countKey(TelemetryMetrics.CACHE_WRITE_TOKENS.otelAttribute!);
  const startedAt = hrMs(valueAt(span, 'startTime'));
  const latencyMs = hrMs(valueAt(span, 'duration'));
  const failed = valueAt(span, 'status.code') === SPAN_STATUS_ERROR;
  const errorType = attribute(A.ERROR_TYPE);
  const context = contextOf(defaults);
  const value = (name: string | undefined, fallback: unknown) => attribute(name) ?? fallback;
  return {
    ...context,
    agent: value(TelemetryFields.AGENT.otelAttribute, context.agent),
    route: value(A.ROUTE, context.route),
    tenant: value(A.TENANT, context.tenant),
    variant: value(A.VARIANT, context.variant),
    model: value(TelemetryFields.MODEL.otelAttribute, context.model),
    provider: attribute(A.PROVIDER) ?? attribute(A.SYSTEM) ?? context.provider ?? providerOfModel(attribute(TelemetryFields.MODEL.otelAttribute)),
    operation,
    inputTokens: Math.max(0, read.countKey(A.INPUT_TOKENS) - cacheRead - cacheWrite),
    outputTokens: read.countKey(TelemetryMetrics.OUTPUT_TOKENS.otelAttribute!),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    ...(latencyMs !== undefined ? { latencyMs: Math.round(latencyMs) } : {}),
    ...(startedAt !== undefined ? { timestamp: Math.floor(startedAt) } : {}),
    ...(attribute(TelemetryFields.REQUEST_ID.otelAttribute) !== undefined ? { requestId: attribute(TelemetryFields.REQUEST_ID.otelAttribute) } : {}),
    ...(attribute(TelemetryFields.SESSION_ID.otelAttribute) !== undefined ? { sessionId: attribute(TelemetryFields.SESSION_ID.otelAttribute) } : {}),
    ...(read.invalidFields.length > 0 ? { invalidFields: read.invalidFields } : {}),
    outcome: failed ? outcomeOfError({ name: errorType, status: Number(errorType) }) : 'ok',
  };
}

/**
 * An OpenTelemetry span processor (register it on the tracer provider beside the exporter) that
 * records every GenAI model-call span as the contract's line, so a service instrumented with
 * OpenTelemetry feeds the same dashboards without a second instrumentation. `defaults` names the
 * agent, route, tenant and variant where the span's attributes do not (`gen_ai.agent.name`,
 * `cdk_ai_ops.route`, `cdk_ai_ops.tenant`, `cdk_ai_ops.variant`).
 */
export class AiOpsSpanProcessor {
  public constructor(private readonly telemetry: Recorder, private readonly defaults: Partial<CallContext> = {}) {}

  public onStart(): void {
    // Spans are read when they end.
  }

  public onEnd(span: GenAiSpanLike): void {
    let call: Record<string, unknown> | undefined;
    try {
      call = aiCallOfSpan(span, this.defaults);
    } catch {
      call = undefined;
    }
    if (call) this.telemetry.recordAiCall(call as never);
  }

  public forceFlush(): Promise<void> {
    // Lines are written as spans end: nothing is buffered.
    return Promise.resolve();
  }

  public shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

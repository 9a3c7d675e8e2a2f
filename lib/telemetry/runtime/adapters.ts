/*
 * Read token usage straight from provider responses, so recording a call is one line:
 *   telemetry.recordAiCall({ agent, route, tenant, model, latencyMs, ...fromBedrockConverse(response) })
 * Shapes follow the vendors' public API references. Every adapter maps to this library's meaning
 * of the fields: input tokens are uncached only; cache reads and writes are apart.
 */
import { ModelProvider } from '../../pricing/price-catalog';
import { CallOutcome } from '../contract';
import { ProviderUsage } from './types';

/** The member `key` of `value`, or undefined when `value` is not an object or reading it throws. */
export function fieldOf(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The value at a dotted `path` (`usage.outputTokens`) under `value`, or undefined when any step is missing, not an object, or throws. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) current = fieldOf(current, key);
  return current;
}

/** Reads the token counts of one response; counts that are present but not counts are listed, and read as 0. */
export class UsageReader {
  public readonly invalidFields: string[] = [];

  public constructor(public readonly body: unknown) {}

  /** A token count at a dotted path: a finite number from 0 to 2^53 - 1, 0 when absent; anything else 0 and listed. */
  public count(path: string): number {
    return this.checked(valueAt(this.body, path), path);
  }

  /** A token count under one key that may itself hold dots (an OpenTelemetry attribute name). */
  public countKey(key: string): number {
    return this.checked(fieldOf(this.body, key), key);
  }

  /** A string id at a dotted path, or undefined. */
  public id(path: string): string | undefined {
    const value = valueAt(this.body, path);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  private checked(value: unknown, label: string): number {
    if (value === undefined || value === null) return 0;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER) return value;
    this.invalidFields.push(label);
    return 0;
  }

  /** The usage, with the invalid fields listed only when there are any. */
  public usage(fields: ProviderUsage): ProviderUsage {
    return this.invalidFields.length > 0 ? { ...fields, invalidFields: [...this.invalidFields] } : fields;
  }
}

/** Bedrock Converse `usage` and `metrics` (also the `metadata` event that ends a ConverseStream). */
export interface BedrockConverseLike {
  readonly usage?: {
    readonly inputTokens?: number;
    readonly outputTokens?: number;
    readonly cacheReadInputTokens?: number;
    readonly cacheWriteInputTokens?: number;
  };
  readonly metrics?: { readonly latencyMs?: number };
  readonly $metadata?: { readonly requestId?: string };
}

/**
 * Usage of a Bedrock Converse response, or of the `metadata` event of a ConverseStream. Bedrock
 * reports input tokens without the cache reads and writes, and measures the latency itself.
 * The model id is not in the response: pass the one you sent.
 */
export function fromBedrockConverse(response: BedrockConverseLike | { readonly metadata?: BedrockConverseLike }): ProviderUsage {
  const metadata = valueAt(response, 'metadata');
  const body = typeof metadata === 'object' && metadata !== null ? metadata : response;
  const read = new UsageReader(body);
  const latencyMs = valueAt(body, 'metrics.latencyMs');
  const requestId = new UsageReader(response).id('$metadata.requestId');
  return read.usage({
    provider: ModelProvider.AWS_BEDROCK,
    inputTokens: read.count('usage.inputTokens'),
    outputTokens: read.count('usage.outputTokens'),
    cacheReadTokens: read.count('usage.cacheReadInputTokens'),
    cacheWriteTokens: read.count('usage.cacheWriteInputTokens'),
    ...(typeof latencyMs === 'number' && Number.isFinite(latencyMs) && latencyMs >= 0 ? { latencyMs } : {}),
    ...(requestId ? { requestId } : {}),
  });
}

/** An Anthropic Messages API response (or the final message of a stream). */
export interface AnthropicMessageLike {
  readonly id?: string;
  readonly usage?: {
    readonly input_tokens?: number;
    readonly output_tokens?: number;
    readonly cache_read_input_tokens?: number | null;
    readonly cache_creation_input_tokens?: number | null;
    readonly cache_creation?: { readonly ephemeral_5m_input_tokens?: number; readonly ephemeral_1h_input_tokens?: number } | null;
  };
}

/**
 * Usage of an Anthropic Messages API response. `input_tokens` excludes cache reads and writes;
 * `cache_creation` splits the writes into 5-minute and 1-hour ones, which are priced apart.
 */
export function fromAnthropicMessage(message: AnthropicMessageLike): ProviderUsage {
  const read = new UsageReader(message);
  const requestId = read.id('id');
  return read.usage({
    provider: ModelProvider.ANTHROPIC,
    inputTokens: read.count('usage.input_tokens'),
    outputTokens: read.count('usage.output_tokens'),
    cacheReadTokens: read.count('usage.cache_read_input_tokens'),
    cacheWriteTokens: read.count('usage.cache_creation_input_tokens'),
    cacheWrite1hTokens: read.count('usage.cache_creation.ephemeral_1h_input_tokens'),
    ...(requestId ? { requestId } : {}),
  });
}

/** An OpenAI Chat Completions response. */
export interface OpenAiChatCompletionLike {
  readonly id?: string;
  readonly usage?: {
    readonly prompt_tokens?: number;
    readonly completion_tokens?: number;
    readonly prompt_tokens_details?: { readonly cached_tokens?: number } | null;
  } | null;
}

/**
 * Usage of an OpenAI Chat Completions response. OpenAI counts cached tokens inside
 * `prompt_tokens`, so they are taken out of the input here; it bills no cache writes.
 */
export function fromOpenAiChatCompletion(completion: OpenAiChatCompletionLike): ProviderUsage {
  return openAiUsage(completion, 'prompt_tokens', 'completion_tokens', 'prompt_tokens_details');
}

/**
 * OpenAI's usage in either API's field names: cached tokens are counted inside the input, so they
 * are taken out of it; OpenAI bills no cache writes.
 */
function openAiUsage(response: unknown, input: string, output: string, inputDetails: string): ProviderUsage {
  const read = new UsageReader(response);
  const cached = read.count(`usage.${inputDetails}.cached_tokens`);
  const requestId = read.id('id');
  return read.usage({
    provider: ModelProvider.OPENAI,
    inputTokens: Math.max(0, read.count(`usage.${input}`) - cached),
    outputTokens: read.count(`usage.${output}`),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    ...(requestId ? { requestId } : {}),
  });
}

/** An OpenAI Responses API response. */
export interface OpenAiResponseLike {
  readonly id?: string;
  readonly usage?: {
    readonly input_tokens?: number;
    readonly output_tokens?: number;
    readonly input_tokens_details?: { readonly cached_tokens?: number } | null;
  } | null;
}

/** Usage of an OpenAI Responses API response (cached tokens are inside `input_tokens`). */
export function fromOpenAiResponse(response: OpenAiResponseLike): ProviderUsage {
  return openAiUsage(response, 'input_tokens', 'output_tokens', 'input_tokens_details');
}

/** A Gemini `GenerateContentResponse` (Gemini API or Vertex AI), or one chunk of its stream. */
export interface GeminiResponseLike {
  readonly responseId?: string;
  readonly usageMetadata?: {
    readonly promptTokenCount?: number;
    readonly candidatesTokenCount?: number;
    readonly cachedContentTokenCount?: number;
    readonly thoughtsTokenCount?: number;
    readonly toolUsePromptTokenCount?: number;
  } | null;
}

/**
 * Usage of a Gemini response, from the Gemini API or Vertex AI (the same `usageMetadata`).
 * `promptTokenCount` includes the cached content and the tool-use prompt counts apart: cached
 * tokens are taken out of the input, tool-use prompt tokens added to it; thinking tokens are
 * billed as output. The provider is the Gemini API unless `provider` says Vertex AI.
 */
export function fromGeminiResponse(response: GeminiResponseLike, provider: string = ModelProvider.GCP_GEMINI): ProviderUsage {
  const read = new UsageReader(response);
  const cached = read.count('usageMetadata.cachedContentTokenCount');
  const prompt = read.count('usageMetadata.promptTokenCount') + read.count('usageMetadata.toolUsePromptTokenCount');
  const requestId = read.id('responseId');
  return read.usage({
    provider: typeof provider === 'string' && provider !== '' ? provider : ModelProvider.GCP_GEMINI,
    inputTokens: Math.max(0, prompt - cached),
    outputTokens: read.count('usageMetadata.candidatesTokenCount') + read.count('usageMetadata.thoughtsTokenCount'),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    ...(requestId ? { requestId } : {}),
  });
}

const THROTTLE_NAMES = /^(ThrottlingException|TooManyRequestsException|RateLimitError|ServiceQuotaExceededException)$/;
const MODEL_ERROR_NAMES = /^(ModelErrorException|ModelNotReadyException|ModelTimeoutException|ModelStreamErrorException|InternalServerException|ServiceUnavailableException|InternalServerError|APIConnectionError|APIConnectionTimeoutError|OverloadedError)$/;

/**
 * The outcome of a call that threw: throttled for HTTP 429 and throttling exceptions, a model
 * error for 5xx and the providers' model and server exceptions, an application error otherwise.
 */
export function outcomeOfError(error: unknown): CallOutcome {
  try {
    const status = statusOf(error);
    const name = valueAt(error, 'name');
    const errorName = typeof name === 'string' ? name : '';
    if (status === 429 || THROTTLE_NAMES.test(errorName)) return CallOutcome.THROTTLED;
    if ((status >= 500 && status <= 599) || MODEL_ERROR_NAMES.test(errorName)) return CallOutcome.MODEL_ERROR;
  } catch {
    // An error no reader can inspect is the application's.
  }
  return CallOutcome.APP_ERROR;
}

/** The HTTP status an error carries (AWS SDK, Anthropic, OpenAI, Google shapes), or NaN; never coerces objects or symbols. */
function statusOf(error: unknown): number {
  for (const path of ['$metadata.httpStatusCode', 'status', 'statusCode', 'code']) {
    const value = valueAt(error, path);
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^\d{3}$/.test(value)) return Number(value);
  }
  return Number.NaN;
}

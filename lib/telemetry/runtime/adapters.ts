/*
 * Read token usage straight from provider responses, so recording a call is one line:
 *   telemetry.recordAiCall({ agent, route, tenant, model, latencyMs, ...fromBedrockConverse(response) })
 * Shapes follow the vendors' public API references. Every adapter maps to this library's meaning
 * of the fields: input tokens are uncached only; cache reads and writes are apart.
 */
import { CallOutcome } from '../contract';
import { ProviderUsage } from './types';

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

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
  const body: BedrockConverseLike = 'metadata' in response && response.metadata ? response.metadata : response as BedrockConverseLike;
  return {
    provider: 'aws.bedrock',
    inputTokens: count(body.usage?.inputTokens),
    outputTokens: count(body.usage?.outputTokens),
    cacheReadTokens: count(body.usage?.cacheReadInputTokens),
    cacheWriteTokens: count(body.usage?.cacheWriteInputTokens),
    ...(body.metrics?.latencyMs !== undefined ? { latencyMs: body.metrics.latencyMs } : {}),
    ...((response as BedrockConverseLike).$metadata?.requestId ? { requestId: (response as BedrockConverseLike).$metadata!.requestId } : {}),
  };
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
  const usage = message.usage ?? {};
  return {
    provider: 'anthropic',
    inputTokens: count(usage.input_tokens),
    outputTokens: count(usage.output_tokens),
    cacheReadTokens: count(usage.cache_read_input_tokens),
    cacheWriteTokens: count(usage.cache_creation_input_tokens),
    cacheWrite1hTokens: count(usage.cache_creation?.ephemeral_1h_input_tokens),
    ...(message.id ? { requestId: message.id } : {}),
  };
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
  const usage = completion.usage ?? {};
  const cached = count(usage.prompt_tokens_details?.cached_tokens);
  return {
    provider: 'openai',
    inputTokens: Math.max(0, count(usage.prompt_tokens) - cached),
    outputTokens: count(usage.completion_tokens),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    ...(completion.id ? { requestId: completion.id } : {}),
  };
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
  const usage = response.usage ?? {};
  const cached = count(usage.input_tokens_details?.cached_tokens);
  return {
    provider: 'openai',
    inputTokens: Math.max(0, count(usage.input_tokens) - cached),
    outputTokens: count(usage.output_tokens),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    ...(response.id ? { requestId: response.id } : {}),
  };
}

const THROTTLE_NAMES = /^(ThrottlingException|TooManyRequestsException|RateLimitError|ServiceQuotaExceededException)$/;
const MODEL_ERROR_NAMES = /^(ModelErrorException|ModelNotReadyException|ModelTimeoutException|ModelStreamErrorException|InternalServerException|ServiceUnavailableException|InternalServerError|APIConnectionError|APIConnectionTimeoutError|OverloadedError)$/;

/**
 * The outcome of a call that threw: throttled for HTTP 429 and throttling exceptions, a model
 * error for 5xx and the providers' model and server exceptions, an application error otherwise.
 */
export function outcomeOfError(error: unknown): CallOutcome {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown; status?: unknown; statusCode?: unknown; $metadata?: { httpStatusCode?: unknown };
  };
  const status = Number(e.$metadata?.httpStatusCode ?? e.status ?? e.statusCode);
  const name = typeof e.name === 'string' ? e.name : '';
  if (status === 429 || THROTTLE_NAMES.test(name)) return CallOutcome.THROTTLED;
  if ((status >= 500 && status <= 599) || MODEL_ERROR_NAMES.test(name)) return CallOutcome.MODEL_ERROR;
  return CallOutcome.APP_ERROR;
}

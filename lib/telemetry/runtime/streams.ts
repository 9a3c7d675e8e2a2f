/*
 * Streaming calls: the caller gets the provider's stream back untouched (the same events, in the
 * same order, every other method of the stream object intact); the helper watches it go by and
 * records one line when it ends, with the usage of the provider's final event and the time to
 * the first token. A stream that ends without usage is recorded without tokens and counted, never
 * as a silent zero-cost call.
 */
import { ModelProvider } from '../../pricing/price-catalog';
import { TelemetryFields } from '../contract';
import {
  BedrockConverseLike, fieldOf, fromBedrockConverse, fromGeminiResponse, fromOpenAiChatCompletion, fromOpenAiResponse,
  OpenAiChatCompletionLike, OpenAiResponseLike, UsageReader, valueAt,
} from './adapters';
import type { AiTelemetry } from './telemetry';
import { CallContext, ProviderUsage } from './types';

/** Usage gathered from the events of one stream. */
export interface StreamUsage {
  provider: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  cacheWrite1hTokens?: number;
  requestId?: string;
  invalidFields: string[];
}

/** Reads the events of one provider's stream. */
export interface StreamEventReader {
  readonly provider: string;
  /** Folds one event into `usage`; true when the event carries output (the first sets time to first token). */
  read(event: unknown, usage: StreamUsage): boolean;
}

function merge(usage: StreamUsage, read: UsageReader, fields: Partial<Record<keyof StreamUsage, number | string | undefined>>): void {
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (usage as unknown as Record<string, unknown>)[key] = value;
  usage.invalidFields.push(...read.invalidFields);
}

/**
 * Takes a whole-response adapter's token counts (and request id) for the final usage an event
 * carries: the stream reads them the way the response adapter does, one source. Latency is left
 * out: the stream wrapper measures it.
 */
function takeUsage(usage: StreamUsage, from: ProviderUsage): void {
  usage.inputTokens = from.inputTokens;
  usage.outputTokens = from.outputTokens;
  usage.cacheReadTokens = from.cacheReadTokens;
  usage.cacheWriteTokens = from.cacheWriteTokens;
  if (from.requestId) usage.requestId = from.requestId;
  usage.invalidFields.push(...(from.invalidFields ?? []));
}

/** Present counts only: an event that does not carry a field leaves the running value alone. */
function countIfPresent(read: UsageReader, path: string): number | undefined {
  return valueAt(read.body, path) === undefined ? undefined : read.count(path);
}

/** Bedrock ConverseStream events: `contentBlockDelta` carries output, the final `metadata` event the usage. */
export const BEDROCK_CONVERSE_STREAM: StreamEventReader = {
  provider: ModelProvider.AWS_BEDROCK,
  read(event, usage) {
    const metadata = valueAt(event, 'metadata');
    if (metadata !== undefined) takeUsage(usage, fromBedrockConverse({ metadata: metadata as BedrockConverseLike }));
    return valueAt(event, 'contentBlockDelta') !== undefined;
  },
};

/**
 * Anthropic Messages stream events: `message_start` carries the input side of the usage,
 * `message_delta` the cumulative output (and, in newer API versions, updated input counts).
 */
export const ANTHROPIC_MESSAGE_STREAM: StreamEventReader = {
  provider: ModelProvider.ANTHROPIC,
  read(event, usage) {
    const type = valueAt(event, 'type');
    const body = type === 'message_start' ? valueAt(event, 'message') : type === 'message_delta' ? event : undefined;
    if (body !== undefined) {
      const read = new UsageReader(body);
      merge(usage, read, {
        inputTokens: countIfPresent(read, 'usage.input_tokens'),
        outputTokens: countIfPresent(read, 'usage.output_tokens'),
        cacheReadTokens: countIfPresent(read, 'usage.cache_read_input_tokens'),
        cacheWriteTokens: countIfPresent(read, 'usage.cache_creation_input_tokens'),
        cacheWrite1hTokens: countIfPresent(read, 'usage.cache_creation.ephemeral_1h_input_tokens'),
        requestId: read.id('id'),
      });
    }
    return type === 'content_block_delta';
  },
};

/**
 * OpenAI streams: Chat Completions chunks (usage on the last chunk when the request sets
 * `stream_options: { include_usage: true }`) and Responses API events (`response.completed`).
 */
export const OPENAI_STREAM: StreamEventReader = {
  provider: ModelProvider.OPENAI,
  read(event, usage) {
    const type = valueAt(event, 'type');
    const body = type === 'response.completed' ? valueAt(event, 'response') : event;
    if (valueAt(body, 'usage.prompt_tokens') !== undefined) takeUsage(usage, fromOpenAiChatCompletion(body as OpenAiChatCompletionLike));
    else if (valueAt(body, 'usage.input_tokens') !== undefined) takeUsage(usage, fromOpenAiResponse(body as OpenAiResponseLike));
    if (type === 'response.output_text.delta') return true;
    const delta = valueAt(event, 'choices.0.delta');
    return typeof valueAt(delta, 'content') === 'string' || valueAt(delta, 'tool_calls') !== undefined;
  },
};

/** Gemini (Gemini API or Vertex AI) stream chunks: each may carry `usageMetadata`; the last one holds the totals. */
export function geminiStream(provider: string = ModelProvider.GCP_GEMINI): StreamEventReader {
  return {
    provider,
    read(event, usage) {
      if (valueAt(event, 'usageMetadata') !== undefined) takeUsage(usage, fromGeminiResponse(event as never, provider));
      return valueAt(event, 'candidates.0.content') !== undefined;
    },
  };
}

/**
 * Wraps an async iterable so the caller iterates the very same events while `observer` sees each,
 * and is told once when iteration ends (done, broken off by the caller, or failed). Every other
 * member of the stream object is the original's.
 */
export function observeStream<S extends object>(stream: S, observer: {
  event(event: unknown): void;
  end(error?: { readonly thrown: unknown }): void;
}): S {
  let ended = false;
  const end = (error?: { readonly thrown: unknown }) => {
    if (ended) return;
    ended = true;
    try {
      observer.end(error);
    } catch {
      // Recording never fails the stream.
    }
  };
  const iterate = (target: S): AsyncIterator<unknown> => {
    const inner = (target as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    return {
      async next(...args: [] | [unknown]) {
        let step: IteratorResult<unknown>;
        try {
          step = await inner.next(...args);
        } catch (thrown) {
          end({ thrown });
          throw thrown;
        }
        if (step.done) {end();} else {
          try {
            observer.event(step.value);
          } catch {
            // A reader that fails loses usage, never an event.
          }
        }
        return step;
      },
      async return(value?: unknown) {
        end();
        return inner.return ? inner.return(value) : { done: true, value };
      },
      async throw(thrown?: unknown) {
        end({ thrown });
        if (inner.throw) return inner.throw(thrown);
        throw thrown;
      },
    };
  };
  return new Proxy(stream, {
    get(target, key) {
      if (key === Symbol.asyncIterator) return () => iterate(target);
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** What a stream-tracking call needs from the telemetry instance. */
type Recorder = Pick<AiTelemetry, 'now' | 'recordSuccess' | 'recordFailure'>;

/**
 * Tracks one streaming call: opens it, and returns what `open` returned with its stream observed
 * (`streamKey` names the member holding the stream, `stream` for Bedrock's ConverseStream output;
 * none when `open` returns the stream itself). A call that fails to open is recorded as failed and
 * its error rethrown unchanged.
 */
export async function trackStream<R extends object>(
  telemetry: Recorder, call: CallContext, open: () => Promise<R> | R, reader: StreamEventReader, streamKey?: string,
): Promise<R> {
  const startedAt = telemetry.now();
  const context = contextOf(call);
  let opened: R;
  try {
    opened = await open();
  } catch (error) {
    telemetry.recordFailure(context, startedAt, error, { provider: reader.provider });
    throw error;
  }
  const usage: StreamUsage = { provider: reader.provider, invalidFields: [] };
  let firstTokenAt: number | undefined;
  const observer = {
    event(event: unknown) {
      if (reader.read(event, usage) && firstTokenAt === undefined) firstTokenAt = telemetry.now();
    },
    end(error?: { readonly thrown: unknown }) {
      const partial = {
        ...usage,
        ...(usage.invalidFields.length > 0 ? { invalidFields: usage.invalidFields } : { invalidFields: undefined }),
        ...(firstTokenAt !== undefined ? { timeToFirstTokenMs: firstTokenAt - startedAt } : {}),
      };
      if (error) telemetry.recordFailure(context, startedAt, error.thrown, partial);
      else telemetry.recordSuccess(context, startedAt, telemetry.now() - startedAt, () => partial);
    },
  };
  const stream = streamKey === undefined ? opened : valueAt(opened, streamKey);
  if (typeof stream !== 'object' || stream === null || typeof (stream as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    // Nothing to watch (an unexpected shape): recorded now, without tokens, and counted.
    observer.end();
    return opened;
  }
  const observed = observeStream(stream, observer);
  if (streamKey === undefined) return observed as R;
  return new Proxy(opened, {
    get: (target, key) => (key === streamKey ? observed : Reflect.get(target, key, target)),
  });
}

const F = TelemetryFields;
/** The fields of a `CallContext`. */
const CONTEXT_FIELDS = [F.AGENT, F.ROUTE, F.TENANT, F.PROVIDER, F.MODEL, F.OPERATION, F.SESSION_ID, F.REQUEST_ID, F.VARIANT]
  .map((field) => field.name);

/** What a tracked call reads from the caller's context: copied once, so a getter that throws is met only here. */
export function contextOf(call: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CONTEXT_FIELDS) {
    const value = fieldOf(call, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

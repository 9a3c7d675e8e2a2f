/*
 * The integrations driven by the real frameworks (devDependencies only; the runtime depends on none
 * of them): LangChain.js's callback manager, the Vercel AI SDK's generateText/streamText and an
 * OpenTelemetry tracer provider, each against a stubbed model.
 */
import { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { generateText, simulateReadableStream, streamText } from 'ai';
import { MockLanguageModelV2 } from 'ai/test';
import { TelemetryFields, TelemetryMetrics } from '../../../lib/telemetry';
import { CallOutcome, EmfLine, serializeEmf } from '../../../lib/telemetry/runtime';
import { AiOpsLangChainHandler, AiOpsSpanProcessor, aiSdkHooks, GEN_AI_SPAN_ATTRIBUTES } from '../../../lib/telemetry/runtime/integrations';
import { GEN_AI_SPAN_CALL, HARNESS_START, telemetryHarness } from '../../support/telemetry-harness';

const F = TelemetryFields;
const M = TelemetryMetrics;
const START = HARNESS_START;

function setup() {
  const harness = telemetryHarness();
  const tokens = (line: EmfLine) => [M.INPUT_TOKENS, M.CACHE_READ_TOKENS, M.CACHE_WRITE_TOKENS, M.OUTPUT_TOKENS].map((m) => harness.metric(line, m));
  return { ...harness, tokens };
}

/**
 * A chat model as the provider packages write one (ChatAnthropic's ls params, its usage_metadata on
 * the message and on the last streamed chunk): @langchain/core's own fakes drop usage_metadata.
 */
class StubAnthropicChat extends BaseChatModel {
  public constructor(private readonly chunks: AIMessageChunk[]) {
    super({});
  }

  /** Runs as the model answers (the test moves its clock or throws there). */
  public answering = () => {};

  public _llmType() {
    return 'stub-anthropic';
  }

  public getLsParams(options: this['ParsedCallOptions']) {
    return { ...super.getLsParams(options), ls_provider: 'anthropic', ls_model_name: 'claude-sonnet-4-5-20250929' };
  }

  public async _generate(): Promise<ChatResult> {
    this.answering();
    const whole = this.chunks.reduce((a, b) => a.concat(b));
    const message = new AIMessage({ id: whole.id, content: whole.content, usage_metadata: whole.usage_metadata });
    return { generations: [{ text: String(message.content), message }] };
  }

  public async *_streamResponseChunks(_messages: BaseMessage[], _options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun) {
    this.answering();
    for (const message of this.chunks) {
      const chunk = new ChatGenerationChunk({ message, text: String(message.content) });
      yield chunk;
      await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, { chunk });
    }
  }
}

const ANTHROPIC_USAGE = {
  input_tokens: 12500,
  output_tokens: 300,
  total_tokens: 12800,
  input_token_details: { cache_read: 10000, cache_creation: 500 },
};

describe('LangChain.js: @langchain/core chat model with the handler in callbacks', () => {
  test('invoke: model and provider from the model\'s ls params, usage_metadata with cache details, hand-computed cost', async () => {
    const { telemetry, calls, metric, tokens, at } = setup();
    const model = new StubAnthropicChat([new AIMessageChunk({ id: 'msg_7', content: 'Hello', usage_metadata: ANTHROPIC_USAGE })]);
    const handler = new AiOpsLangChainHandler(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 'tenant-1' });
    model.answering = () => at(1200);
    const reply = await model.invoke('Hi', { callbacks: [handler] });
    expect(reply.content).toBe('Hello');
    const [line, ...rest] = calls();
    expect(rest).toEqual([]);
    expect(line.properties).toEqual(expect.objectContaining({
      [F.PROVIDER.name]: 'anthropic',
      [F.REQUEST_ID.name]: 'msg_7',
      [F.OUTCOME.name]: CallOutcome.OK,
      [F.TENANT.name]: 'tenant-1',
    }));
    expect(line.dimensionSets[1][F.MODEL.name]).toBe('claude-sonnet-4-5-20250929');
    expect(tokens(line)).toEqual([2000, 10000, 500, 300]);
    expect(metric(line, M.LATENCY_MS)).toBe(1200);
    // Sonnet 4.5: 2,000 x 3.00 + 300 x 15.00 + 10,000 x 0.30 + 500 x 3.75 = 15,375 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.015375, 12);
  });

  test('stream: chunks carry the usage, the first token sets time to first token', async () => {
    const { telemetry, calls, metric, tokens, at } = setup();
    const usage = { input_tokens: 900, output_tokens: 40, total_tokens: 940 };
    const model = new StubAnthropicChat([new AIMessageChunk({ id: 'msg_8', content: 'Hel' }), new AIMessageChunk({ id: 'msg_8', content: 'lo', usage_metadata: usage })]);
    const handler = new AiOpsLangChainHandler(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 't' });
    at(0);
    const stream = await model.stream('Hi', { callbacks: [handler] });
    let text = '';
    let step = 0;
    for await (const chunk of stream) {
      text += chunk.content as string;
      at(++step * 250);
    }
    at(2000);
    expect(text).toBe('Hello');
    const [line] = calls();
    expect(tokens(line)).toEqual([900, 0, 0, 40]);
    expect(line.properties[F.OUTCOME.name]).toBe(CallOutcome.OK);
    expect(metric(line, M.TIME_TO_FIRST_TOKEN_MS)).toBeGreaterThanOrEqual(0);
    expect(metric(line, M.TIME_TO_FIRST_TOKEN_MS)).toBeLessThan(metric(line, M.LATENCY_MS)!);
  });

  test('a model error is recorded with its outcome and rethrown to the caller unchanged', async () => {
    const { telemetry, calls } = setup();
    const model = new StubAnthropicChat([new AIMessageChunk({ content: '' })]);
    model.answering = () => {
      throw Object.assign(new Error('overloaded'), { status: 529 });
    };
    const handler = new AiOpsLangChainHandler(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 't' });
    await expect(model.invoke('Hi', { callbacks: [handler] })).rejects.toThrow('overloaded');
    expect(calls().map((l) => [l.properties[F.OUTCOME.name], l.properties[F.PROVIDER.name]])).toEqual([[CallOutcome.MODEL_ERROR, 'anthropic']]);
  });
});

/** The stream parts a language model (v2 specification) emits, as MockLanguageModelV2 takes them. */
type StreamPart = Awaited<ReturnType<MockLanguageModelV2['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

describe('Vercel AI SDK: generateText and streamText with a mock model', () => {
  const call = { agent: 'answer', route: 'draft-reply', tenant: 't', provider: 'openai', model: 'gpt-5-mini' };
  // What the OpenAI provider reports: inputTokens include the cached ones.
  const usage = { inputTokens: 1500, outputTokens: 200, totalTokens: 1700, cachedInputTokens: 1000 };

  test('generateText: onFinish records the hand-computed tokens and cost', async () => {
    const { telemetry, calls, metric, tokens, at } = setup();
    const model = new MockLanguageModelV2({
      doGenerate: async () => {
        at(900);
        return {
          content: [{ type: 'text', text: 'Hi' }],
          finishReason: 'stop',
          usage,
          warnings: [],
          response: { id: 'resp-9', modelId: 'gpt-5-mini-2025-08-07', timestamp: new Date(START) },
        };
      },
    });
    const result = await generateText({ model, prompt: 'Hi', ...aiSdkHooks(telemetry, call) });
    expect(result.text).toBe('Hi');
    const [line, ...rest] = calls();
    expect(rest).toEqual([]);
    expect(tokens(line)).toEqual([500, 1000, 0, 200]);
    expect(metric(line, M.LATENCY_MS)).toBe(900);
    // GPT-5 mini: 500 x 0.25 + 200 x 2.00 + 1,000 x 0.025 = 550 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.00055, 12);
    expect(line.properties[F.REQUEST_ID.name]).toBe('resp-9');
  });

  test('streamText: the text streams through, onFinish records the usage of the finish part', async () => {
    const { telemetry, calls, metric, tokens, at } = setup();
    const parts: StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: 'resp-10', modelId: 'gpt-5-mini-2025-08-07', timestamp: new Date(START) },
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: 'Hel' },
      { type: 'text-delta', id: 't1', delta: 'lo' },
      { type: 'text-end', id: 't1' },
      { type: 'finish', finishReason: 'stop', usage },
    ];
    const model = new MockLanguageModelV2({
      doStream: async () => ({
        stream: simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null }),
      }),
    });
    const result = streamText({ model, prompt: 'Hi', ...aiSdkHooks(telemetry, call) });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    at(1400);
    await result.consumeStream();
    expect(text).toBe('Hello');
    const [line, ...rest] = calls();
    expect(rest).toEqual([]);
    expect(tokens(line)).toEqual([500, 1000, 0, 200]);
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.00055, 12);
    expect(line.properties[F.REQUEST_ID.name]).toBe('resp-10');
    expect(metric(line, M.TIME_TO_FIRST_TOKEN_MS)).toBe(0);
  });

  test('streamText: a failing stream is recorded once through onError', async () => {
    const { telemetry, calls } = setup();
    const model = new MockLanguageModelV2({
      doStream: async () => {
        throw Object.assign(new Error('rate limited'), { status: 429 });
      },
    });
    const result = streamText({ model, prompt: 'Hi', maxRetries: 0, ...aiSdkHooks(telemetry, call) });
    await result.consumeStream();
    expect(calls().map((l) => l.properties[F.OUTCOME.name])).toEqual([CallOutcome.THROTTLED]);
  });
});

describe('OpenTelemetry: a real tracer provider with the span processor', () => {
  test('a GenAI chat span produces the very line of the equivalent direct call', async () => {
    const A = GEN_AI_SPAN_ATTRIBUTES;
    const viaSpan = setup();
    const provider = new BasicTracerProvider({ spanProcessors: [new AiOpsSpanProcessor(viaSpan.telemetry, { route: 'draft-reply' })] });
    const tracer = provider.getTracer('genai-instrumentation');
    const span = tracer.startSpan('chat us.anthropic.claude-sonnet-4-5-20250929-v1:0', {
      startTime: START - 5000,
      attributes: {
        [A.OPERATION]: 'chat',
        [A.PROVIDER]: 'aws.bedrock',
        [F.MODEL.otelAttribute!]: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        [F.AGENT.otelAttribute!]: 'answer',
        [A.TENANT]: 'tenant-1',
        [F.REQUEST_ID.otelAttribute!]: 'req_01J9',
        [F.SESSION_ID.otelAttribute!]: 'c0ffee-42',
      },
    });
    // Usage is known when the response arrives, as instrumentations set it.
    span.setAttributes({
      [A.INPUT_TOKENS]: 10700,
      [M.OUTPUT_TOKENS.otelAttribute!]: 350,
      [M.CACHE_READ_TOKENS.otelAttribute!]: 8000,
      [M.CACHE_WRITE_TOKENS.otelAttribute!]: 1500,
    });
    span.end(START - 5000 + 2870);
    tracer.startSpan('execute_tool lookup', { attributes: { [A.OPERATION]: 'execute_tool' } }).end();
    await provider.forceFlush();
    await provider.shutdown();

    const direct = setup();
    direct.telemetry.recordAiCall(GEN_AI_SPAN_CALL);
    expect(direct.lines).toHaveLength(1);
    expect(viaSpan.lines.map((l) => JSON.parse(serializeEmf(l, 'Test')))).toEqual(direct.lines.map((l) => JSON.parse(serializeEmf(l, 'Test'))));
  });

  test('a span ended with an error status is recorded with the outcome of its error.type', () => {
    const { telemetry, calls } = setup();
    const provider = new BasicTracerProvider({ spanProcessors: [new AiOpsSpanProcessor(telemetry, { agent: 'a', route: 'r', tenant: 't' })] });
    const span = provider.getTracer('t').startSpan('chat gpt-5', {
      attributes: { [GEN_AI_SPAN_ATTRIBUTES.OPERATION]: 'chat', [F.MODEL.otelAttribute!]: 'gpt-5' },
    });
    span.setAttribute(GEN_AI_SPAN_ATTRIBUTES.ERROR_TYPE, '429');
    span.setStatus({ code: 2, message: 'Too Many Requests' });
    span.end();
    expect(calls().map((l) => [l.properties[F.OUTCOME.name], l.properties[F.PROVIDER.name]])).toEqual([[CallOutcome.THROTTLED, 'openai']]);
  });
});

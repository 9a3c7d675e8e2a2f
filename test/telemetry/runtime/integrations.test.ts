import { TelemetryFields, TelemetryMetrics } from '../../../lib/telemetry';
import { CallOutcome, serializeEmf } from '../../../lib/telemetry/runtime';
import { AiOpsLangChainHandler, AiOpsSpanProcessor, aiSdkHooks, GEN_AI_SPAN_ATTRIBUTES } from '../../../lib/telemetry/runtime/integrations';
import { GEN_AI_SPAN_CALL, HARNESS_START, telemetryHarness } from '../../support/telemetry-harness';

const F = TelemetryFields;
const M = TelemetryMetrics;
const START = HARNESS_START;

const setup = telemetryHarness;

describe('LangChain.js callback handler', () => {
  test('a chat model call as LangChain reports it: model and provider from its metadata, usage_metadata with cache details, time to first token',
    () => {
      const { telemetry, calls, metric, at } = setup();
      const handler = new AiOpsLangChainHandler(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 'tenant-1' });
      // What @langchain/core's CallbackManager calls for a streamed ChatAnthropic invocation
      handler.handleChatModelStart({ lc: 1 }, [[]], 'run-1', undefined, { invocation_params: { model: 'claude-sonnet-4-5-20250929' } }, [],
        { ls_provider: 'anthropic', ls_model_name: 'claude-sonnet-4-5-20250929' });
      at(350);
      handler.handleLLMNewToken('Hel', { prompt: 0, completion: 0 }, 'run-1');
      at(400);
      handler.handleLLMNewToken('lo', { prompt: 0, completion: 0 }, 'run-1');
      at(1200);
      handler.handleLLMEnd({
        generations: [[{
          text: 'Hello',
          message: {
            id: 'msg_7',
            usage_metadata: {
              input_tokens: 12500,
              output_tokens: 300,
              total_tokens: 12800,
              input_token_details: { cache_read: 10000, cache_creation: 500 },
            },
          },
        }]],
      }, 'run-1');
      const [line] = calls();
      expect(line.properties).toEqual(expect.objectContaining({
        [F.PROVIDER.name]: 'anthropic',
        [F.REQUEST_ID.name]: 'msg_7',
        [F.OUTCOME.name]: CallOutcome.OK,
      }));
      expect(line.dimensionSets[1][F.MODEL.name]).toBe('claude-sonnet-4-5-20250929');
      expect([metric(line, M.INPUT_TOKENS), metric(line, M.CACHE_READ_TOKENS), metric(line, M.CACHE_WRITE_TOKENS), metric(line, M.OUTPUT_TOKENS),
        metric(line, M.TIME_TO_FIRST_TOKEN_MS), metric(line, M.LATENCY_MS)])
        .toEqual([2000, 10000, 500, 300, 350, 1200]);
      // Sonnet 4.5: 2,000 x 3.00 + 300 x 15.00 + 10,000 x 0.30 + 500 x 3.75 = 15,375 USD per million
      expect(metric(line, M.COST_USD)).toBeCloseTo(0.015375, 12);
    });

  test('a failed run is recorded with its outcome and the Bedrock provider LangChain names', () => {
    const { telemetry, calls } = setup();
    const handler = new AiOpsLangChainHandler(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 't' });
    handler.handleLLMStart({}, ['hi'], 'run-2', undefined, { invocation_params: { model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' } }, [],
      { ls_provider: 'amazon_bedrock' });
    handler.handleLLMError(Object.assign(new Error('x'), { name: 'ThrottlingException' }), 'run-2');
    handler.handleLLMEnd({}, 'run-2');
    expect(calls().map((l) => [l.properties[F.PROVIDER.name], l.properties[F.OUTCOME.name]])).toEqual([['aws.bedrock', CallOutcome.THROTTLED]]);
  });
});

describe('Vercel AI SDK hooks', () => {
  test('AI SDK 5 onFinish: inputTokens include cachedInputTokens, which are taken out', () => {
    const { telemetry, calls, metric, at } = setup();
    const hooks = aiSdkHooks(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 't', provider: 'openai', model: 'gpt-5-mini' });
    at(200);
    hooks.onChunk({ chunk: { type: 'text-delta', text: 'Hi' } });
    at(900);
    hooks.onFinish({
      text: 'Hi',
      usage: { inputTokens: 1500, outputTokens: 200, totalTokens: 1700, cachedInputTokens: 1000 },
      response: { id: 'resp-9', modelId: 'gpt-5-mini-2025-08-07' },
    });
    hooks.onFinish({ usage: { inputTokens: 1 } });
    const [line, ...rest] = calls();
    expect(rest).toEqual([]);
    expect([metric(line, M.INPUT_TOKENS), metric(line, M.CACHE_READ_TOKENS), metric(line, M.OUTPUT_TOKENS), metric(line,
      M.TIME_TO_FIRST_TOKEN_MS), metric(line, M.LATENCY_MS)])
      .toEqual([500, 1000, 200, 200, 900]);
    // GPT-5 mini: 500 x 0.25 + 200 x 2.00 + 1,000 x 0.025 = 550 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.00055, 12);
    expect(line.properties[F.REQUEST_ID.name]).toBe('resp-9');
  });

  test('AI SDK 5 steps: one line per step (one model call each), its own latency; onFinish then adds nothing', () => {
    const { telemetry, calls, metric, at } = setup();
    const hooks = aiSdkHooks(telemetry, { agent: 'a', route: 'r', tenant: 't', model: 'gpt-5-mini' });
    at(300);
    hooks.onStepFinish({ usage: { inputTokens: 100, outputTokens: 20 }, response: { id: 'step-1' } });
    at(1000);
    hooks.onStepFinish({ usage: { inputTokens: 150, outputTokens: 30, cachedInputTokens: 100 }, response: { id: 'step-2' } });
    hooks.onFinish({ totalUsage: { inputTokens: 250, outputTokens: 50 } });
    expect(calls().map((l) => [l.properties[F.REQUEST_ID.name], metric(l, M.INPUT_TOKENS), metric(l, M.CACHE_READ_TOKENS), metric(l, M.LATENCY_MS)]))
      .toEqual([['step-1', 100, 0, 300], ['step-2', 50, 100, 700]]);
  });

  test('AI SDK 4 usage and onError', () => {
    const { telemetry, calls, metric } = setup();
    aiSdkHooks(telemetry, { agent: 'a', route: 'r', tenant: 't', model: 'gpt-5' }).onFinish({ usage: { promptTokens: 100, completionTokens: 10 } });
    aiSdkHooks(telemetry, { agent: 'a', route: 'r', tenant: 't', model: 'gpt-5' }).onError({
      error: Object.assign(new Error('down'),
        { status: 503 }),
    });
    expect(calls().map((l) => [metric(l, M.INPUT_TOKENS), l.properties[F.OUTCOME.name], l.properties[F.PROVIDER.name]]))
      .toEqual([[100, CallOutcome.OK, 'openai'], [0, CallOutcome.MODEL_ERROR, 'openai']]);
  });
});

describe('OpenTelemetry GenAI span processor', () => {
  test('a GenAI chat span produces the very line of the equivalent direct call', () => {
    const A = GEN_AI_SPAN_ATTRIBUTES;
    const viaSpan = setup();
    const processor = new AiOpsSpanProcessor(viaSpan.telemetry, { route: 'draft-reply' });
    processor.onStart();
    processor.onEnd({
      attributes: {
        [A.OPERATION]: 'chat',
        [A.PROVIDER]: 'aws.bedrock',
        [F.MODEL.otelAttribute!]: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        [F.AGENT.otelAttribute!]: 'answer',
        [A.TENANT]: 'tenant-1',
        [A.INPUT_TOKENS]: 10700,
        [M.OUTPUT_TOKENS.otelAttribute!]: 350,
        [M.CACHE_READ_TOKENS.otelAttribute!]: 8000,
        [M.CACHE_WRITE_TOKENS.otelAttribute!]: 1500,
        [F.REQUEST_ID.otelAttribute!]: 'req_01J9',
        [F.SESSION_ID.otelAttribute!]: 'c0ffee-42',
      },
      startTime: [Math.floor((START - 5000) / 1000), 0],
      duration: [2, 870_000_000],
      status: { code: 1 },
    });
    // not a model call: no line
    processor.onEnd({ attributes: { [A.OPERATION]: 'execute_tool' } });

    const direct = setup();
    direct.telemetry.recordAiCall(GEN_AI_SPAN_CALL);
    expect(viaSpan.lines.map((l) => JSON.parse(serializeEmf(l, 'Test')))).toEqual(direct.lines.map((l) => JSON.parse(serializeEmf(l, 'Test'))));
  });

  test('a failed span is recorded with the outcome its error.type implies; odd spans never throw', async () => {
    const { telemetry, calls } = setup();
    const processor = new AiOpsSpanProcessor(telemetry, { agent: 'a', route: 'r', tenant: 't' });
    processor.onEnd({
      attributes: {
        [GEN_AI_SPAN_ATTRIBUTES.OPERATION]: 'chat',
        [F.MODEL.otelAttribute!]: 'gpt-5',
        [GEN_AI_SPAN_ATTRIBUTES.ERROR_TYPE]: '429',
      },
      status: { code: 2 },
      duration: [0, 5e6],
    });
    for (const odd of [null, undefined, 1, {}, { attributes: null }]) expect(() => processor.onEnd(odd as never)).not.toThrow();
    await expect(processor.forceFlush()).resolves.toBeUndefined();
    expect(calls().map((l) => [l.properties[F.OUTCOME.name], l.properties[F.PROVIDER.name]])).toEqual([[CallOutcome.THROTTLED, 'openai']]);
  });
});

describe('the variant that served the call, in every integration', () => {
  const VARIANT = 'sonnet-4-5@prompt-v7';

  test('LangChain: the handler\'s call context names the variant of every run', () => {
    const { telemetry, calls } = setup();
    const handler = new AiOpsLangChainHandler(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 't', variant: VARIANT });
    handler.handleChatModelStart({}, [[]], 'run-v', undefined, {}, [], { ls_provider: 'anthropic', ls_model_name: 'claude-sonnet-4-5' });
    handler.handleLLMEnd({ generations: [[{ message: { usage_metadata: { input_tokens: 10, output_tokens: 2 } } }]] }, 'run-v');
    expect(calls().map((l) => l.properties[F.VARIANT.name])).toEqual([VARIANT]);
  });

  test('AI SDK: the hooks\' call context names the variant of each step and of a failed stream', () => {
    const { telemetry, calls } = setup();
    const context = { agent: 'a', route: 'r', tenant: 't', model: 'gpt-5-mini', variant: VARIANT };
    aiSdkHooks(telemetry, context).onStepFinish({ usage: { inputTokens: 10, outputTokens: 2 } });
    aiSdkHooks(telemetry, context).onError({ error: Object.assign(new Error('down'), { status: 503 }) });
    expect(calls().map((l) => [l.properties[F.VARIANT.name], l.properties[F.OUTCOME.name]]))
      .toEqual([[VARIANT, CallOutcome.OK], [VARIANT, CallOutcome.MODEL_ERROR]]);
  });

  test('OpenTelemetry: the cdk_ai_ops.variant span attribute, else the processor\'s default; a property, never a dimension', () => {
    const A = GEN_AI_SPAN_ATTRIBUTES;
    const { telemetry, calls } = setup();
    const processor = new AiOpsSpanProcessor(telemetry, { agent: 'answer', route: 'draft-reply', tenant: 't', variant: 'default-variant' });
    const span = (attributes: Record<string, unknown>) => ({
      attributes: { [A.OPERATION]: 'chat', [F.MODEL.otelAttribute!]: 'gpt-5-mini', [A.INPUT_TOKENS]: 10, ...attributes },
      startTime: [Math.floor((START - 1000) / 1000), 0] as const,
      duration: [0, 500_000_000] as const,
    });
    processor.onEnd(span({ [A.VARIANT]: VARIANT }));
    processor.onEnd(span({}));
    expect(A.VARIANT).toBe('cdk_ai_ops.variant');
    expect(calls().map((l) => l.properties[F.VARIANT.name])).toEqual([VARIANT, 'default-variant']);
    for (const line of calls()) expect(line.dimensionSets.flatMap(Object.keys)).not.toContain(F.VARIANT.name);
  });
});

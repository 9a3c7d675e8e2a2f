import { PriceCatalog } from '../../../lib/pricing';
import { RejectionReason, TelemetryFields, TelemetryMetrics } from '../../../lib/telemetry';
import { AiTelemetry, CallOutcome, EmfLine, fromGeminiResponse, pricingModelId } from '../../../lib/telemetry/runtime';
import { HARNESS_START, telemetryHarness } from '../../support/telemetry-harness';

const F = TelemetryFields;
const M = TelemetryMetrics;
const START = HARNESS_START;

/** The harness, with a stream source that advances its clock. */
function setup() {
  const harness = telemetryHarness();
  async function* timed(events: Array<[number, unknown]>) {
    for (const [atMs, event] of events) {
      harness.at(atMs);
      yield event;
    }
  }
  return { ...harness, timed, callLines: harness.calls, setNow: harness.at };
}

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  for await (const event of stream) seen.push(event);
  return seen;
}

const call = { agent: 'answer', route: 'draft-reply', tenant: 'tenant-1' };

describe('streaming calls: passed through untouched, recorded at the end with time to first token', () => {
  test('Bedrock ConverseStream: the metadata event\'s usage, hand-computed cost, time to the first content delta', async () => {
    const { telemetry, timed, callLines, metric } = setup();
    const events: Array<[number, unknown]> = [
      [150, { messageStart: { role: 'assistant' } }],
      [640, { contentBlockDelta: { delta: { text: 'Hel' }, contentBlockIndex: 0 } }],
      [700, { contentBlockDelta: { delta: { text: 'lo' }, contentBlockIndex: 0 } }],
      [710, { contentBlockStop: { contentBlockIndex: 0 } }],
      [720, { messageStop: { stopReason: 'end_turn' } }],
      [730, { metadata: { usage: { inputTokens: 420, outputTokens: 96, totalTokens: 516 }, metrics: { latencyMs: 880 } } }],
    ];
    const output = { $metadata: { requestId: 'r-1' }, stream: timed(events) };
    const response = await telemetry.trackConverseStream({ ...call, model: 'anthropic.claude-haiku-4-5-20251001-v1:0' }, async () => output);
    expect(callLines()).toHaveLength(0);
    expect(response.$metadata).toBe(output.$metadata);
    const seen = await drain(response.stream);
    expect(seen).toEqual(events.map(([, e]) => e));
    seen.forEach((event, i) => expect(event).toBe(events[i][1]));

    const [line] = callLines();
    expect(line.properties[F.PROVIDER.name]).toBe('aws.bedrock');
    expect([metric(line, M.INPUT_TOKENS), metric(line, M.OUTPUT_TOKENS), metric(line, M.TIME_TO_FIRST_TOKEN_MS), metric(line,
      M.LATENCY_MS)]).toEqual([420, 96, 640, 730]);
    // Haiku 4.5: 420 x 1.00 + 96 x 5.00 = 900 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.0009, 12);
  });

  test('Anthropic stream: input side from message_start, cumulative output from message_delta, cache writes priced', async () => {
    const { telemetry, timed, callLines, metric } = setup();
    const events: Array<[number, unknown]> = [
      [200, {
        type: 'message_start',
        message: {
          id: 'msg_01',
          usage: {
            input_tokens: 2000,
            cache_read_input_tokens: 10000,
            cache_creation_input_tokens: 500,
            output_tokens: 1,
          },
        },
      }],
      [250, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      [410, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }],
      [900, { type: 'content_block_stop', index: 0 }],
      [950, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 300 } }],
      [960, { type: 'message_stop' }],
    ];
    const stream = Object.assign(timed(events), { controller: new AbortController() });
    const observed = await telemetry.trackAnthropicStream({ ...call, model: 'claude-sonnet-4-5-20250929' }, () => stream);
    expect(observed.controller).toBe(stream.controller);
    await drain(observed);
    const [line] = callLines();
    expect(line.properties[F.PROVIDER.name]).toBe('anthropic');
    expect(line.properties[F.REQUEST_ID.name]).toBe('msg_01');
    expect([metric(line, M.INPUT_TOKENS), metric(line, M.OUTPUT_TOKENS), metric(line, M.CACHE_READ_TOKENS), metric(line, M.CACHE_WRITE_TOKENS),
      metric(line, M.TIME_TO_FIRST_TOKEN_MS)])
      .toEqual([2000, 300, 10000, 500, 410]);
    // Sonnet 4.5: 2,000 x 3.00 + 300 x 15.00 + 10,000 x 0.30 + 500 x 3.75 = 15,375 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.015375, 12);
  });

  test('OpenAI Chat Completions stream with include_usage: cached tokens apart from the input', async () => {
    const { telemetry, timed, callLines, metric } = setup();
    const events: Array<[number, unknown]> = [
      [120, { id: 'chatcmpl-1', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }],
      [300, { id: 'chatcmpl-1', choices: [{ index: 0, delta: { content: 'Hello' } }] }],
      [500, { id: 'chatcmpl-1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }],
      [510, {
        id: 'chatcmpl-1',
        choices: [],
        usage: {
          prompt_tokens: 1500,
          completion_tokens: 200,
          prompt_tokens_details: { cached_tokens: 1000 },
        },
      }],
    ];
    await drain(await telemetry.trackOpenAiStream({ ...call, model: 'gpt-5-mini' }, async () => timed(events)));
    const [line] = callLines();
    expect([metric(line, M.INPUT_TOKENS), metric(line, M.OUTPUT_TOKENS), metric(line, M.CACHE_READ_TOKENS), metric(line,
      M.TIME_TO_FIRST_TOKEN_MS)]).toEqual([500, 200, 1000, 120]);
    // GPT-5 mini: 500 x 0.25 + 200 x 2.00 + 1,000 x 0.025 = 550 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.00055, 12);
  });

  test('OpenAI Responses API stream: the usage of response.completed', async () => {
    const { telemetry, timed, callLines, metric } = setup();
    const events: Array<[number, unknown]> = [
      [90, { type: 'response.created', response: { id: 'resp_1' } }],
      [200, { type: 'response.output_text.delta', delta: 'Hi' }],
      [400, {
        type: 'response.completed',
        response: {
          id: 'resp_1',
          usage: {
            input_tokens: 4000,
            output_tokens: 100,
            input_tokens_details: { cached_tokens: 0 },
          },
        },
      }],
    ];
    await drain(await telemetry.trackOpenAiStream({ ...call, model: 'gpt-5' }, () => timed(events)));
    const [line] = callLines();
    expect([metric(line, M.INPUT_TOKENS), metric(line, M.OUTPUT_TOKENS), metric(line, M.TIME_TO_FIRST_TOKEN_MS)]).toEqual([4000, 100, 200]);
    // GPT-5: 4,000 x 1.25 + 100 x 10.00 = 6,000 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.006, 12);
  });

  test('Gemini stream on Vertex AI: the last chunk\'s usageMetadata, the Vertex model id priced', async () => {
    const { telemetry, timed, callLines, metric } = setup();
    const events: Array<[number, unknown]> = [
      [300, { candidates: [{ content: { parts: [{ text: 'Hel' }] } }], usageMetadata: { promptTokenCount: 12000, cachedContentTokenCount: 10000 } }],
      [800, {
        candidates: [{ content: { parts: [{ text: 'lo' }] }, finishReason: 'STOP' }],
        responseId: 'g-1',
        usageMetadata: { promptTokenCount: 12000, candidatesTokenCount: 800, cachedContentTokenCount: 10000, thoughtsTokenCount: 200 },
      }],
    ];
    await drain(await telemetry.trackGeminiStream({ ...call, provider: 'gcp.vertex_ai', model: 'publishers/google/models/gemini-2.5-flash' },
      async () => timed(events)));
    const [line] = callLines();
    expect(line.properties[F.PROVIDER.name]).toBe('gcp.vertex_ai');
    expect([metric(line, M.INPUT_TOKENS), metric(line, M.OUTPUT_TOKENS), metric(line, M.CACHE_READ_TOKENS), metric(line,
      M.TIME_TO_FIRST_TOKEN_MS)]).toEqual([2000, 1000, 10000, 300]);
    // Gemini 2.5 Flash: 2,000 x 0.30 + 1,000 x 2.50 (800 output + 200 thinking) + 10,000 x 0.03 = 3,400 USD per million
    expect(metric(line, M.COST_USD)).toBeCloseTo(0.0034, 12);
  });

  test('a stream that ends without usage is recorded without tokens and counted, never as a silent zero', async () => {
    const { telemetry, timed, callLines, metric, reasons } = setup();
    await drain(await telemetry.trackOpenAiStream({ ...call, model: 'gpt-5-mini' }, () => timed([[100,
      { choices: [{ delta: { content: 'x' } }] }]])));
    const [line] = callLines();
    expect(metric(line, M.INPUT_TOKENS)).toBeUndefined();
    expect(reasons()).toEqual([RejectionReason.MISSING_FIELD]);
  });

  test('a stream that fails midway: the caller gets the provider\'s own error, the call is recorded with its outcome', async () => {
    const { telemetry, callLines } = setup();
    const failure = Object.assign(new Error('stream broke'), { name: 'ModelStreamErrorException' });
    async function* broken() {
      yield { contentBlockDelta: { delta: { text: 'a' } } };
      throw failure;
    }
    const response = await telemetry.trackConverseStream({ ...call, model: 'anthropic.claude-haiku-4-5-20251001-v1:0' },
      async () => ({ stream: broken() }));
    await expect(drain(response.stream)).rejects.toBe(failure);
    expect(callLines().map((l) => l.properties[F.OUTCOME.name])).toEqual([CallOutcome.MODEL_ERROR]);
  });

  test('a stream the caller breaks off is recorded once, when it stops', async () => {
    const { telemetry, timed, callLines } = setup();
    const stream = await telemetry.trackAnthropicStream({ ...call, model: 'claude-haiku-4-5' }, () => timed([
      [10, { type: 'message_start', message: { usage: { input_tokens: 10, output_tokens: 1 } } }],
      [20, { type: 'content_block_delta', delta: { text: 'a' } }],
      [30, { type: 'content_block_delta', delta: { text: 'b' } }],
    ]));
    for await (const event of stream) if ((event as { type: string }).type === 'content_block_delta') break;
    expect(callLines()).toHaveLength(1);
    expect(callLines()[0].properties[F.OUTCOME.name]).toBe(CallOutcome.OK);
  });

  test('a call that fails to open is recorded with the provider of the wrapper and rethrown unchanged', async () => {
    const { telemetry, callLines } = setup();
    const throttled = Object.assign(new Error('slow'), { name: 'ThrottlingException' });
    await expect(telemetry.trackConverseStream({ ...call, model: 'my-custom-model' }, async () => { throw throttled; })).rejects.toBe(throttled);
    expect(callLines()[0].properties).toEqual(expect.objectContaining({ [F.PROVIDER.name]: 'aws.bedrock', [F.OUTCOME.name]: CallOutcome.THROTTLED }));
  });
});

describe('Gemini responses and model-id normalisation', () => {
  const catalog = PriceCatalog.builtIn();
  const at = new Date('2026-11-01T00:00:00Z');

  test('a Gemini API response: cached content apart from the prompt, thinking billed as output', () => {
    const usage = fromGeminiResponse({
      responseId: 'abc',
      usageMetadata: {
        promptTokenCount: 3000,
        candidatesTokenCount: 400,
        cachedContentTokenCount: 1000,
        thoughtsTokenCount: 100,
      },
    });
    expect(usage).toEqual({
      provider: 'gcp.gemini',
      inputTokens: 2000,
      outputTokens: 500,
      cacheReadTokens: 1000,
      cacheWriteTokens: 0,
      requestId: 'abc',
    });
    // Gemini 2.5 Pro: 2,000 x 1.25 + 500 x 10.00 + 1,000 x 0.125 = 7,625 USD per million
    expect(catalog.costOf({ modelId: pricingModelId('models/gemini-2.5-pro'), timestamp: at, ...usage }).costUsd).toBeCloseTo(0.007625, 12);
  });

  test.each([
    ['claude-sonnet-4-5@20250929', 'anthropic/claude-sonnet-4-5@2025-09-29'],
    ['publishers/google/models/gemini-2.5-flash', 'google/gemini-2.5-flash@2025-06-17'],
    ['projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-flash-lite@001', 'google/gemini-2.5-flash-lite@2025-07-22'],
    ['projects/acme/locations/global/publishers/anthropic/models/claude-haiku-4-5@20251001', 'anthropic/claude-haiku-4-5@2025-10-15'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic/claude-sonnet-4-5@2025-09-29'],
    ['eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic/claude-haiku-4-5@2025-10-15'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic/claude-sonnet-4-5@2025-09-29'],
    ['arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'anthropic/claude-sonnet-4-5@2025-09-29'],
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic/claude-haiku-4-5@2025-10-15'],
  ])('%s is priced as %s, and recorded under the id as sent', (model, priceVersion) => {
    const lines: EmfLine[] = [];
    new AiTelemetry({ clock: () => START, warn: () => undefined, write: (l) => lines.push(l) })
      .recordAiCall({ ...call, provider: 'x', model, inputTokens: 1000, outputTokens: 100, latencyMs: 1 });
    expect(lines[0].properties[F.PRICE_VERSION.name]).toBe(priceVersion);
    expect(lines[0].dimensionSets[1][F.MODEL.name]).toBe(model);
    expect(lines).toHaveLength(1);
  });

  test('an application inference profile names no model: unpriced and counted, never guessed', () => {
    const lines: EmfLine[] = [];
    new AiTelemetry({ clock: () => START, warn: () => undefined, write: (l) => lines.push(l) })
      .recordAiCall({
        ...call,
        provider: 'aws.bedrock',
        model: 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3',
        inputTokens: 10,
        outputTokens: 1,
        latencyMs: 1,
      });
    expect(lines[1].dimensionSets[0][F.REASON.name]).toBe(RejectionReason.UNKNOWN_MODEL);
  });
});

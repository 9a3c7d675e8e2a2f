/*
 * The helper never fails the caller: property-based over hostile input (fast-check), and one
 * named regression test per failure reported in issue 13.
 */
import * as fc from 'fast-check';
import { explodingProxy, hostileRecord, hostileValue, throwingGetters } from './hostile';
import { RecordType, RejectionReason, TelemetryContract, TelemetryFields, TelemetryMetrics } from '../../../lib/telemetry';
import {
  AgentSessionInput, AiCallInput, AiTelemetry, CallContext, CallOutcome, EmfLine, EvaluationInput, FeedbackInput, fromAnthropicMessage,
  fromBedrockConverse, fromGeminiResponse, fromOpenAiChatCompletion, fromOpenAiResponse, outcomeOfError, ProviderUsage, RetrievalInput,
  serializeEmf, UNKNOWN_DIMENSION_VALUE,
} from '../../../lib/telemetry/runtime';
import { MAX_LINE_BYTES, MAX_TEXT_LENGTH } from '../../../lib/telemetry/runtime/lines';
import { captureEmf, expectValidEmf } from '../../support/emf';
import { TYPICAL_CALL } from '../../support/records';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const F = TelemetryFields;
const M = TelemetryMetrics;
// CI runs these on every push: enough cases to meet each hostile value in each field many times.
const RUNS = Number(process.env.FC_RUNS ?? 300);

interface Harness {
  readonly telemetry: AiTelemetry;
  readonly lines: EmfLine[];
  readonly warnings: string[];
}

function harness(clock: () => number = () => NOW): Harness {
  const lines: EmfLine[] = [];
  const warnings: string[] = [];
  const telemetry = new AiTelemetry({ namespace: 'Test', clock, warn: (m) => warnings.push(m), write: (line) => lines.push(line) });
  return { telemetry, lines, warnings };
}

const rejectionsOf = (lines: EmfLine[]) => lines.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.TELEMETRY_REJECTION);
const reasonsOf = (lines: EmfLine[]) => rejectionsOf(lines).map((l) => l.dimensionSets[0][F.REASON.name]);

/** Every property of a valid line: valid EMF, integer timestamp, non-blank printable dimensions, well under 256 KB. */
function expectWithinCloudWatchLimits(line: EmfLine): void {
  const text = serializeEmf(line, 'Test');
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_LINE_BYTES);
  const doc = JSON.parse(text);
  expectValidEmf(doc);
  for (const set of line.dimensionSets) {
    for (const value of Object.values(set)) {
      expect(value).toMatch(/^[\x20-\x7e]{1,250}$/);
      expect(value.trim()).not.toBe('');
    }
  }
  for (const { value } of line.metrics) expect(Number.isFinite(value) && value >= 0).toBe(true);
  const cost = doc[M.COST_USD.name];
  if (cost !== undefined) expect(typeof cost === 'number' && cost >= 0).toBe(true);
}

const text = fc.oneof(fc.constantFrom('answer', 'draft-reply', 'tenant-1', 'gpt-5-mini', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
  fc.string());
const count = fc.oneof(fc.nat(), fc.double(), fc.integer());
const callRecord = hostileRecord({
  agent: text,
  route: text,
  tenant: text,
  provider: text,
  model: text,
  operation: text,
  sessionId: text,
  requestId: text,
  variant: fc.oneof(text, fc.string({ minLength: 1_000, maxLength: 5_000 })),
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
  cacheWrite1hTokens: count,
  latencyMs: count,
  timeToFirstTokenMs: count,
  outcome: fc.constantFrom(...Object.values(CallOutcome), 'exploded'),
  timestamp: fc.oneof(fc.double({ min: NOW - 20 * 86400_000, max: NOW + 86400_000 }), fc.date({ noInvalidDate: false })),
  invalidFields: fc.array(fc.string()),
});
const sessionRecord = hostileRecord({
  agent: text,
  route: text,
  tenant: text,
  sessionId: text,
  variant: fc.oneof(text, fc.string({ minLength: 1_000, maxLength: 5_000 })),
  steps: count,
  tokens: count,
  costUsd: count,
  toolCalls: fc.oneof(fc.dictionary(fc.string(), count), fc.dictionary(fc.string(), hostileValue)),
  outcome: fc.constantFrom(...Object.values(CallOutcome)),
  timestamp: fc.double(),
});
const retrievalRecord = hostileRecord({
  agent: text,
  route: text,
  tenant: text,
  hits: count,
  k: count,
  recallAtK: fc.double(),
  precisionAtK: fc.double(),
  indexAgeHours: count,
  cacheHit: fc.boolean(),
});
const evaluationRecord = hostileRecord({
  agent: text,
  route: text,
  model: text,
  tenant: text,
  evaluator: text,
  evaluatorVersion: text,
  source: fc.constantFrom('judge', 'feedback', 'vibes'),
  passed: fc.boolean(),
  score: fc.double(),
  sampleWeight: count,
  positive: fc.boolean(),
});

describe('every record function, over hostile input (property-based)', () => {
  test.each<[string, fc.Arbitrary<unknown>, (t: AiTelemetry, input: unknown) => void, RecordType]>([
    ['recordAiCall', callRecord, (t, input) => t.recordAiCall(input as AiCallInput), RecordType.AI_CALL],
    ['recordAgentSession', sessionRecord, (t, input) => t.recordAgentSession(input as AgentSessionInput), RecordType.AGENT_SESSION],
    ['recordRetrieval', retrievalRecord, (t, input) => t.recordRetrieval(input as RetrievalInput), RecordType.RETRIEVAL],
    ['recordEvaluation', evaluationRecord, (t, input) => t.recordEvaluation(input as EvaluationInput), RecordType.EVALUATION],
    ['recordFeedback', evaluationRecord, (t, input) => t.recordFeedback(input as FeedbackInput), RecordType.EVALUATION],
  ])('%s never throws; every line is valid EMF within CloudWatch\'s limits; every repair is counted', (_name, arbitrary, record, recordType) => {
    fc.assert(fc.property(arbitrary, (input) => {
      const { telemetry, lines, warnings } = harness();
      expect(() => record(telemetry, input)).not.toThrow();
      lines.forEach(expectWithinCloudWatchLimits);
      const written = lines.filter((l) => l.properties[F.RECORD_TYPE.name] === recordType);
      if (recordType !== RecordType.EVALUATION) expect(written.length).toBeGreaterThanOrEqual(1);
      // every reason warned about is counted, one rejection line per reason, and nothing fails internally
      const reasons = reasonsOf(lines);
      expect(new Set(reasons).size).toBe(reasons.length);
      for (const warning of warnings) expect(reasons.some((reason) => warning.includes(reason))).toBe(true);
      expect(reasons).not.toContain(RejectionReason.INTERNAL_ERROR);
      // a line not written whole (evaluations without a verdict) is always counted
      if (written.length === 0) expect(reasons.length).toBeGreaterThan(0);
    }), { numRuns: RUNS });
  });

  test('a hostile clock, writer and warning channel never reach the caller', () => {
    fc.assert(fc.property(hostileValue, callRecord, (clockValue, input) => {
      const telemetry = new AiTelemetry({
        namespace: 'Test',
        clock: () => { if (typeof clockValue === 'symbol') throw new Error('clock'); return clockValue as number; },
        warn: () => { throw new Error('warn'); },
        write: () => { throw new Error('write'); },
      });
      expect(() => telemetry.recordAiCall(input as AiCallInput)).not.toThrow();
    }), { numRuns: Math.ceil(RUNS / 3) });
  });

  test('any options (or none usable) make a working instance, with a valid namespace', () => {
    fc.assert(fc.property(hostileValue, hostileValue, hostileValue, (namespace, priceOverrides, options) => {
      const lines: string[] = [];
      const make = () => new AiTelemetry({ namespace, priceOverrides, warn: () => undefined, clock: () => NOW } as never);
      expect(make).not.toThrow();
      expect(() => new AiTelemetry(options as never)).not.toThrow();
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { lines.push(String(chunk)); return true; });
      try {
        make().recordAiCall(TYPICAL_CALL);
      } finally {
        spy.mockRestore();
      }
      const doc = JSON.parse(lines[0]);
      const written = doc._aws.CloudWatchMetrics[0].Namespace as string;
      expect(written.trim()).not.toBe('');
      expect(written.toUpperCase().startsWith('AWS/')).toBe(false);
      expect(doc[M.COST_USD.name]).toBeGreaterThanOrEqual(0);
    }), { numRuns: Math.ceil(RUNS / 3) });
  });
});

describe('trackAiCall over hostile contexts, adapters and errors (property-based)', () => {
  // A value whose `then` cannot be read fails any `await` of it, tracked or not: not the helper's to change.
  const awaitable = hostileValue.filter((value) => {
    try {
      return typeof (value as { then?: unknown } | null)?.then !== 'function';
    } catch {
      return false;
    }
  });
  const outcome = fc.oneof(
    fc.record({ ok: fc.constant(true), value: awaitable }),
    fc.record({
      ok: fc.constant(false),
      value: fc.oneof(hostileValue, fc.constant(null).map(() => Object.assign(Object.create(null),
        { status: Symbol('429') }))),
    }),
  );
  const adapter = fc.oneof(
    fc.constant(undefined),
    fc.constant(() => undefined),
    fc.constant(() => null),
    fc.constant(() => { throw new Error('adapter failed'); }),
    fc.constant(() => explodingProxy()),
    hostileValue.map((usage) => () => usage),
    fc.constantFrom(fromBedrockConverse, fromAnthropicMessage, fromOpenAiChatCompletion, fromOpenAiResponse, fromGeminiResponse),
  );
  const context = hostileRecord({ agent: text, route: text, tenant: text, model: text, provider: text, variant: text });

  test('returns the caller\'s own result or rejects with the caller\'s own error, and writes its line, whatever happens', async () => {
    await fc.assert(fc.asyncProperty(context, outcome, adapter, async (call, result, usageOf) => {
      const { telemetry, lines } = harness();
      const invoke = async () => {
        if (result.ok) return result.value;
        throw result.value;
      };
      const settled = await telemetry.trackAiCall(call as CallContext, invoke, usageOf as (r: unknown) => ProviderUsage)
        .then((value) => ({ ok: true, value }), (value) => ({ ok: false, value }));
      expect(settled.ok).toBe(result.ok);
      expect(Object.is(settled.value, result.value)).toBe(true);
      const callLines = lines.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.AI_CALL);
      expect(callLines).toHaveLength(1);
      lines.forEach(expectWithinCloudWatchLimits);
    }), { numRuns: RUNS });
  });
});

describe('the adapters, over hostile responses (property-based)', () => {
  test.each([
    ['fromBedrockConverse', fromBedrockConverse],
    ['fromAnthropicMessage', fromAnthropicMessage],
    ['fromOpenAiChatCompletion', fromOpenAiChatCompletion],
    ['fromOpenAiResponse', fromOpenAiResponse],
    ['fromGeminiResponse', fromGeminiResponse],
  ] as Array<[string, (r: unknown) => ProviderUsage]>)('%s never throws and returns only token counts from 0 to 2^53', (_name, adapter) => {
    const response = fc.oneof(hostileValue, fc.object({ maxDepth: 4, values: [hostileValue] }), fc.record({
      usage: fc.dictionary(fc.constantFrom(M.INPUT_TOKENS.name, M.OUTPUT_TOKENS.name, 'input_tokens', 'output_tokens', 'prompt_tokens',
        'completion_tokens', 'cache_read_input_tokens'), hostileValue),
      usageMetadata: fc.dictionary(fc.constantFrom('promptTokenCount', 'candidatesTokenCount', 'cachedContentTokenCount', 'thoughtsTokenCount'),
        hostileValue),
      metadata: hostileValue,
    }, { requiredKeys: [] }));
    fc.assert(fc.property(response, (input) => {
      let usage: ProviderUsage | undefined;
      expect(() => { usage = adapter(input); }).not.toThrow();
      for (const value of [usage!.inputTokens, usage!.outputTokens, usage!.cacheReadTokens, usage!.cacheWriteTokens,
        usage!.cacheWrite1hTokens ?? 0]) {
        expect(Number.isFinite(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER).toBe(true);
      }
    }), { numRuns: RUNS });
  });

  test('outcomeOfError never throws and always names an outcome', () => {
    fc.assert(fc.property(fc.oneof(hostileValue, fc.record({ status: hostileValue, name: hostileValue, $metadata: hostileValue },
      { requiredKeys: [] })), (error) => {
      expect(Object.values(CallOutcome)).toContain(outcomeOfError(error));
    }), { numRuns: RUNS });
  });
});

describe('issue 13 regressions, one per reported failure', () => {
  const call = { agent: 'answer', route: 'draft-reply', tenant: 'tenant-1', model: 'anthropic.claude-haiku-4-5-20251001-v1:0' };
  const converse = { usage: { inputTokens: 100, outputTokens: 20 } };

  test('trackAiCall returns a successful result when the usage adapter returns nothing; the missing tokens are counted', async () => {
    const { telemetry, lines } = harness();
    await expect(telemetry.trackAiCall(call, async () => converse, () => undefined as unknown as ProviderUsage)).resolves.toBe(converse);
    expect(lines[0].properties[F.OUTCOME.name]).toBe(CallOutcome.OK);
    expect(reasonsOf(lines)).toEqual([RejectionReason.MISSING_FIELD]);
  });

  test('trackAiCall returns a successful result when the call context is null', async () => {
    const { telemetry, lines } = harness();
    await expect(telemetry.trackAiCall(null as unknown as CallContext, async () => converse, fromBedrockConverse)).resolves.toBe(converse);
    expect(lines[0].dimensionSets[0][F.AGENT.name]).toBe(UNKNOWN_DIMENSION_VALUE);
    expect(lines[0].properties[F.PROVIDER.name]).toBe('aws.bedrock');
  });

  test.each([
    ['a Symbol status', Object.assign(new Error('odd'), { status: Symbol('status') })],
    ['a null-prototype status', Object.assign(new Error('odd'), { status: Object.create(null) })],
    ['a null-prototype error', Object.create(null)],
    ['a Symbol', Symbol('thrown')],
  ])('trackAiCall rethrows the caller\'s own error unchanged when it has %s, and writes its line', async (_case, error) => {
    const { telemetry, lines } = harness();
    const caught = await telemetry.trackAiCall(call, async () => { throw error; }, fromBedrockConverse).catch((e: unknown) => e);
    expect(caught).toBe(error);
    expect(lines[0].properties[F.OUTCOME.name]).toBe(CallOutcome.APP_ERROR);
  });

  test('a tracked call that throws records the provider its model id implies, not "unknown"', async () => {
    const { telemetry, lines } = harness();
    const throttled = Object.assign(new Error('slow down'), { status: 429 });
    for (const model of ['anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-sonnet-4-5', 'gpt-5-mini', 'gemini-2.5-flash',
      'claude-sonnet-4-5@20250929']) {
      await telemetry.trackAiCall({ ...call, model }, async () => { throw throttled; }).catch(() => undefined);
    }
    expect(lines.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.AI_CALL).map((l) => l.properties[F.PROVIDER.name]))
      .toEqual(['aws.bedrock', 'anthropic', 'openai', 'gcp.gemini', 'gcp.vertex_ai']);
  });

  test.each([null, undefined, 42, 'text', Symbol('s'), []])('the adapters return zero usage for %p instead of throwing', (response) => {
    for (const adapter of [fromBedrockConverse, fromAnthropicMessage, fromOpenAiChatCompletion, fromOpenAiResponse, fromGeminiResponse]) {
      const usage = (adapter as (r: unknown) => ProviderUsage)(response);
      expect([usage.inputTokens, usage.outputTokens, usage.cacheReadTokens, usage.cacheWriteTokens]).toEqual([0, 0, 0, 0]);
    }
  });

  test('negative and 1e300 token counts from a response are read as 0 and counted when recorded', async () => {
    const usage = fromBedrockConverse({ usage: { inputTokens: -5, outputTokens: 1e300, cacheReadInputTokens: 7 } });
    expect(usage).toEqual(expect.objectContaining({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 7,
      invalidFields: ['usage.inputTokens',
        'usage.outputTokens'],
    }));
    const { telemetry, lines } = harness();
    telemetry.recordAiCall({ ...call, latencyMs: 10, ...usage });
    expect(reasonsOf(lines)).toEqual([RejectionReason.INVALID_NUMBER]);
    expect(rejectionsOf(lines)[0].properties[F.DETAIL.name]).toContain('usage.outputTokens');
  });

  test('a field whose getter throws is counted, and the rest of the record written', () => {
    const { telemetry, lines } = harness();
    const record = Object.assign(throwingGetters(['tenant', M.OUTPUT_TOKENS.name]), {
      agent: call.agent,
      route: call.route,
      model: call.model,
      provider: 'aws.bedrock',
      inputTokens: 10,
      latencyMs: 5,
    });
    telemetry.recordAiCall(record as unknown as AiCallInput);
    expect(lines[0].metrics.find((m) => m.metric === M.INPUT_TOKENS)?.value).toBe(10);
    expect(reasonsOf(lines)).toEqual([RejectionReason.MISSING_FIELD]);
    expect(rejectionsOf(lines)[0].properties[F.DETAIL.name]).toContain('tenant could not be read');
  });

  test('a proxy that throws on every read is recorded as a counted, all-unknown line', () => {
    const { telemetry, lines } = harness();
    telemetry.recordAiCall(explodingProxy() as AiCallInput);
    expect(lines[0].dimensionSets[0][F.AGENT.name]).toBe(UNKNOWN_DIMENSION_VALUE);
    expect(reasonsOf(lines)).toContain(RejectionReason.MISSING_FIELD);
  });

  test('a 300,000-character tenant id is cut to its cap and counted; the line stays far below 256 KB', () => {
    const { telemetry, lines } = harness();
    telemetry.recordAiCall({ ...TYPICAL_CALL, timestamp: NOW, tenant: 't'.repeat(300_000) });
    expect(lines[0].properties[F.TENANT.name]).toHaveLength(MAX_TEXT_LENGTH);
    expect(reasonsOf(lines)).toEqual([RejectionReason.TRUNCATED]);
    expect(Buffer.byteLength(serializeEmf(lines[0], 'Test'))).toBeLessThan(4 * 1024);
  });

  test('a variant of 300,000 characters is cut to its cap and counted, on calls and sessions alike; never a dimension', () => {
    const { telemetry, lines } = harness();
    telemetry.recordAiCall({ ...TYPICAL_CALL, timestamp: NOW, variant: 'v'.repeat(300_000) });
    telemetry.recordAgentSession({ agent: 'answer', tenant: 't', sessionId: 's', steps: 1, tokens: 1, costUsd: 0, variant: 'v'.repeat(300_000) });
    const written = lines.filter((l) => l.properties[F.RECORD_TYPE.name] !== RecordType.TELEMETRY_REJECTION);
    expect(written.map((l) => String(l.properties[F.VARIANT.name]).length)).toEqual([MAX_TEXT_LENGTH, MAX_TEXT_LENGTH]);
    expect(reasonsOf(lines)).toEqual([RejectionReason.TRUNCATED, RejectionReason.TRUNCATED]);
    for (const line of written) expect(line.dimensionSets.flatMap(Object.keys)).not.toContain(F.VARIANT.name);
  });

  test('a rejection\'s detail is bounded however many fields are wrong', () => {
    const { telemetry, lines } = harness();
    telemetry.recordAgentSession({
      agent: 'answer',
      tenant: 't',
      sessionId: 's',
      steps: 1,
      tokens: 1,
      costUsd: 0,
      toolCalls: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`tool ${i} é`, -1])),
    });
    for (const line of rejectionsOf(lines)) expect(String(line.properties[F.DETAIL.name]).length).toBeLessThanOrEqual(1_024);
  });

  test('a fractional timestamp or clock becomes an integer EMF Timestamp', async () => {
    const { telemetry, lines } = harness(() => NOW + 0.75);
    telemetry.recordAiCall({ ...TYPICAL_CALL, timestamp: NOW - 1000.5 });
    telemetry.recordAiCall(TYPICAL_CALL);
    expect(lines.map((l) => l.timestamp)).toEqual([NOW - 1001, NOW]);
    const docs = await captureEmf(() => new AiTelemetry({ namespace: 'Test', clock: () => NOW + 0.5 }).recordAiCall(TYPICAL_CALL));
    expect(Number.isInteger(docs[0]._aws.Timestamp)).toBe(true);
  });

  test.each([' ', '   ', '\t'])('a whitespace-only dimension value (%p) becomes "unknown" and is counted', (blank) => {
    const { telemetry, lines } = harness();
    telemetry.recordAiCall({ ...TYPICAL_CALL, route: blank });
    expect(lines[0].dimensionSets[0][F.ROUTE.name]).toBe(UNKNOWN_DIMENSION_VALUE);
    expect(reasonsOf(lines)).toEqual([expect.stringMatching(/missing_field|invalid_dimension/)]);
  });

  describe('price overrides from the environment', () => {
    afterEach(() => { delete process.env.CDK_AI_OPS_PRICE_OVERRIDES; });
    test.each([
      ['[null]', /\[0\] is not an object/],
      ['[{}]', /\[0\] has no modelId/],
      ['[{"modelId":"gpt-5-mini","prices":{"input":null,"output":-3}}]', /\[0\] has prices that are not numbers/],
      ['[{"modelId":"gpt-5-mini","discountPercent":150}]', /\[0\] has a discountPercent outside 0 to 100/],
      ['[{"modelId":"gpt-5-mini","discountPercent":10,"effectiveFrom":"soon"}]', /\[0\] has an effectiveFrom/],
      ['{"modelId":"gpt-5-mini"}', /is not a list/],
      ['not json', /is not JSON/],
    ])('%s: warned once at start with the fix, every record still written at list price', async (value, warning) => {
      process.env.CDK_AI_OPS_PRICE_OVERRIDES = value;
      const warnings: string[] = [];
      const docs = await captureEmf(() => {
        const telemetry = new AiTelemetry({ namespace: 'Test', clock: () => NOW, warn: (m) => warnings.push(m) });
        for (let i = 0; i < 3; i++) {
          telemetry.recordAiCall({
            ...TYPICAL_CALL,
            model: 'gpt-5-mini',
            inputTokens: 1_000_000,
            outputTokens: 0,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
          });
        }
      });
      expect(warnings).toEqual([expect.stringMatching(warning)]);
      expect(warnings[0]).toContain('CDK_AI_OPS_PRICE_OVERRIDES');
      expect(docs).toHaveLength(3);
      for (const doc of docs) expect(doc[M.COST_USD.name]).toBeCloseTo(0.25, 12);
    });

    test('the valid entries of a partly broken list are kept', async () => {
      process.env.CDK_AI_OPS_PRICE_OVERRIDES = '[null, {"modelId":"gpt-5-mini","discountPercent":20}]';
      const docs = await captureEmf(() => new AiTelemetry({ namespace: 'Test', clock: () => NOW, warn: () => undefined })
        .recordAiCall({ ...TYPICAL_CALL, model: 'gpt-5-mini', inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }));
      expect(docs[0][M.COST_USD.name]).toBeCloseTo(0.2, 12);
    });
  });

  describe('the namespace', () => {
    afterEach(() => { delete process.env.CDK_AI_OPS_NAMESPACE; });
    test.each(['AWS/Bedrock', 'aws/bedrock', '', '   ', 'bad\nname',
      'x'.repeat(256)])('%p is refused with a warning; the default namespace is used', async (namespace) => {
      process.env.CDK_AI_OPS_NAMESPACE = namespace;
      const warnings: string[] = [];
      const docs = await captureEmf(() => new AiTelemetry({ clock: () => NOW, warn: (m) => warnings.push(m) }).recordAiCall(TYPICAL_CALL));
      expect(docs[0]._aws.CloudWatchMetrics[0].Namespace).toBe(TelemetryContract.DEFAULT_NAMESPACE);
      expect(warnings).toEqual([expect.stringContaining('CDK_AI_OPS_NAMESPACE')]);
    });

    test('the option is validated like the variable', async () => {
      const warnings: string[] = [];
      const docs = await captureEmf(() => new AiTelemetry({
        namespace: 'AWS/Lambda',
        clock: () => NOW,
        warn: (m) => warnings.push(m),
      }).recordAiCall(TYPICAL_CALL));
      expect(docs[0]._aws.CloudWatchMetrics[0].Namespace).toBe(TelemetryContract.DEFAULT_NAMESPACE);
      expect(warnings[0]).toContain('reserves for AWS services');
    });
  });
});

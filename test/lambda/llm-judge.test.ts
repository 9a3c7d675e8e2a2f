import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import * as fc from 'fast-check';
import { judgeBatch, JudgeSettings, MAX_SAMPLE_CHARS, parseSample, parseVerdict } from '../../lambda/llm-judge/core';
import { converseText, handler, settingsFrom } from '../../lambda/llm-judge/handler';
import { JUDGE_ENV } from '../../lib/quality';
import { EvaluationSource, RecordType, TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { EvaluationInput } from '../../lib/telemetry/runtime';
import { captureEmf, expectValidEmf } from '../support/emf';

const F = TelemetryFields;
const M = TelemetryMetrics;
const settings: JudgeSettings = {
  modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  evaluatorId: 'grounded-answer-judge',
  evaluatorVersion: '2026-11-03',
  rubric: 'A passing reply answers the question using only the knowledge-base passages given.',
  passScore: 0.7,
};
const sample = {
  agent: 'answer',
  route: 'draft-reply',
  model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  variant: 'v7',
  tenant: 'tenant-4711',
  requestId: 'req_01J9',
  sampleWeight: 20,
  input: 'Where is my refund?',
  output: 'Your refund was issued on 3 November.',
};
const batch = (...bodies: string[]) => ({ Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body })) });

describe('parseSample', () => {
  test('a sampled call with its ids, input and output', () => {
    expect(parseSample(JSON.stringify(sample))).toEqual(sample);
  });

  test.each([
    ['not JSON', 'hello', 'the message is not JSON'],
    ['an array', '[]', 'the message is not a JSON object'],
    ['no output', JSON.stringify({ ...sample, output: '' }), 'the sample lacks output (non-empty strings)'],
    ['a numeric variant', JSON.stringify({ ...sample, variant: 7 }), 'variant must be a string'],
    ['a zero weight', JSON.stringify({ ...sample, sampleWeight: 0 }), 'sampleWeight must be a number above 0'],
    ['an oversized sample', JSON.stringify({ ...sample, output: 'x'.repeat(MAX_SAMPLE_CHARS) }), expect.stringMatching(/^input, output and reference hold \d+ characters/)],
  ])('refuses %s, saying why without the content', (_case, body, reason) => {
    expect(parseSample(body)).toEqual(reason);
  });

  test('any message body yields a sample or a reason, never an exception (property-based)', () => {
    const nearlySamples = fc.record({ agent: fc.anything(), input: fc.anything(), output: fc.string() }).map((o) => JSON.stringify(o));
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), nearlySamples), (body) => {
      const parsed = parseSample(body);
      expect(typeof parsed === 'string' || typeof parsed === 'object').toBe(true);
    }), { numRuns: 500 });
  });
});

describe('parseVerdict', () => {
  test.each([
    ['a verdict and a score', '{"passed": false, "score": 0.4, "rationale": "cites no passage"}', { passed: false, score: 0.4 }],
    ['JSON inside prose', 'Here is my judgement:\n{"passed": true, "score": 0.9}\nThanks.', { passed: true, score: 0.9 }],
    ['a score alone, above the pass score', '{"score": 0.75}', { passed: true, score: 0.75 }],
    ['a score alone, below it', '{"score": 0.5}', { passed: false, score: 0.5 }],
    ['a verdict with a score out of range (dropped)', '{"passed": true, "score": 7}', { passed: true, score: undefined }],
  ])('%s', (_case, reply, verdict) => {
    expect(parseVerdict(reply, 0.7)).toEqual(verdict);
  });

  test.each([['no JSON', 'It looks fine to me.'], ['no verdict or score', '{"rationale": "unclear"}'], ['a string verdict', '{"passed": "yes"}']])('%s: no verdict', (_case, reply) => {
    expect(parseVerdict(reply, 0.7)).toBeUndefined();
  });

  test('any reply yields a verdict with a score in [0, 1], or none; never an exception (property-based)', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.record({ passed: fc.anything(), score: fc.anything() }).map((o) => `x ${JSON.stringify(o)} y`)), (reply) => {
      const verdict = parseVerdict(reply, 0.7);
      if (verdict) {
        expect(typeof verdict.passed).toBe('boolean');
        if (verdict.score !== undefined) expect(verdict.score >= 0 && verdict.score <= 1).toBe(true);
      }
    }), { numRuns: 500 });
  });
});

describe('judgeBatch', () => {
  test('asks the judge with the rubric as system prompt and the sample as data, and records its verdict against the call', async () => {
    const recorded: EvaluationInput[] = [];
    const requests: unknown[] = [];
    const result = await judgeBatch(batch(JSON.stringify(sample)), settings, {
      converse: async (request) => { requests.push(request); return '{"passed": true, "score": 0.92, "rationale": "grounded"}'; },
      recordEvaluation: (e) => recorded.push(e),
      log: () => undefined,
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(requests).toEqual([expect.objectContaining({
      modelId: settings.modelId,
      system: [{ text: settings.rubric }],
      inferenceConfig: { maxTokens: 300, temperature: 0 },
    })]);
    expect(JSON.stringify(requests[0])).toContain('<output>\\nYour refund was issued on 3 November.\\n</output>');
    expect(recorded).toEqual([{
      agent: 'answer',
      route: 'draft-reply',
      model: sample.model,
      variant: 'v7',
      tenant: 'tenant-4711',
      requestId: 'req_01J9',
      sessionId: undefined,
      sampleWeight: 20,
      evaluator: 'grounded-answer-judge',
      evaluatorVersion: '2026-11-03',
      source: 'judge',
      passed: true,
      score: 0.92,
    }]);
  });

  test('a bad sample, a failed judge call and a reply without a verdict are retried by SQS (then dead-lettered); the rest are recorded', async () => {
    const recorded: EvaluationInput[] = [];
    const logged: string[] = [];
    const replies = [Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })), Promise.resolve('I cannot say.'), Promise.resolve('{"score": 0.2}')];
    const result = await judgeBatch(batch('not json', JSON.stringify(sample), JSON.stringify(sample), JSON.stringify(sample)), settings, {
      converse: () => replies.shift()!,
      recordEvaluation: (e) => recorded.push(e),
      log: (m) => logged.push(m),
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }]);
    expect(recorded.map((e) => [e.passed, e.score])).toEqual([[false, 0.2]]);
    expect(logged).toEqual([
      'message m-0: the message is not JSON',
      'message m-1: the judge model failed (ThrottlingException); SQS retries it',
      'message m-2: the judge replied without a verdict',
    ]);
    expect(logged.join(' ')).not.toContain('refund');
  });
});

describe('the handler', () => {
  const bedrock = mockClient(BedrockRuntimeClient);
  afterEach(() => bedrock.reset());

  test('reads its settings from the environment the construct sets, and names a missing one', () => {
    expect(() => settingsFrom({})).toThrow(`${JUDGE_ENV.MODEL_ID} is not set: the LlmJudge construct sets it`);
    expect(settingsFrom({
      [JUDGE_ENV.MODEL_ID]: 'm', [JUDGE_ENV.EVALUATOR_ID]: 'e', [JUDGE_ENV.EVALUATOR_VERSION]: '1', [JUDGE_ENV.RUBRIC]: 'r', [JUDGE_ENV.PASS_SCORE]: '0.6',
    })).toEqual({ modelId: 'm', evaluatorId: 'e', evaluatorVersion: '1', rubric: 'r', passScore: 0.6 });
  });

  test('calls Bedrock Converse and writes the verdict as a valid EMF evaluation line', async () => {
    Object.assign(process.env, {
      [JUDGE_ENV.MODEL_ID]: settings.modelId,
      [JUDGE_ENV.EVALUATOR_ID]: settings.evaluatorId,
      [JUDGE_ENV.EVALUATOR_VERSION]: settings.evaluatorVersion,
      [JUDGE_ENV.RUBRIC]: settings.rubric,
      [JUDGE_ENV.PASS_SCORE]: '0.7',
    });
    bedrock.on(ConverseCommand).resolves({ output: { message: { role: 'assistant', content: [{ text: '{"passed": false, "score": 0.3}' }] } } } as any);
    let result: unknown;
    const lines = await captureEmf(async () => { result = await handler(batch(JSON.stringify(sample))); });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(bedrock.commandCalls(ConverseCommand)[0].args[0].input).toEqual(expect.objectContaining({ modelId: settings.modelId }));
    expect(lines).toHaveLength(1);
    expectValidEmf(lines[0]);
    expect(lines[0]).toEqual(expect.objectContaining({
      [F.RECORD_TYPE.name]: RecordType.EVALUATION,
      [F.EVALUATOR.name]: 'grounded-answer-judge',
      [F.EVALUATION_SOURCE.name]: EvaluationSource.JUDGE,
      [M.EVALUATION_PASSED.name]: 0,
      [M.EVALUATION_SCORE.name]: 0.3,
      [F.SAMPLE_WEIGHT.name]: 20,
    }));
  });

  test('converseText joins the text blocks of the reply', async () => {
    bedrock.on(ConverseCommand).resolves({ output: { message: { role: 'assistant', content: [{ text: '{"passed":' }, { text: ' true}' }] } } } as any);
    expect(await converseText(new BedrockRuntimeClient({}), { modelId: 'm', system: [], messages: [], inferenceConfig: { maxTokens: 1, temperature: 0 } })).toBe('{"passed": true}');
  });
});

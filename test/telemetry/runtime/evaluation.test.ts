import * as fc from 'fast-check';
import {
  EvaluationSource, RecordType, RejectionReason, TelemetryContract, TelemetryDimensionSets, TelemetryFields, TelemetryMetrics,
} from '../../../lib/telemetry';
import { AiTelemetry, EmfLine, EvaluationInput, FeedbackInput, serializeEmf, UNKNOWN_DIMENSION_VALUE } from '../../../lib/telemetry/runtime';
import { buildEvaluationLines } from '../../../lib/telemetry/runtime/lines';
import { captureEmf, expectValidEmf, seriesOf, shapeOf } from '../../support/emf';
import { TYPICAL_EVALUATION } from '../../support/records';

const NOW = Date.UTC(2026, 10, 20, 12);
const F = TelemetryFields;
const M = TelemetryMetrics;
const EVALUATION_DIMENSIONS = TelemetryDimensionSets.forRecord(RecordType.EVALUATION).map((set) => set.dimensions);

function newTelemetry(warnings: string[] = []) {
  return new AiTelemetry({ namespace: 'Test', clock: () => NOW, warn: (message) => warnings.push(message) });
}
const rejectionsIn = (lines: any[]) => lines.filter((l) => l[F.RECORD_TYPE.name] === RecordType.TELEMETRY_REJECTION);
const evaluationsIn = (lines: any[]) => lines.filter((l) => l[F.RECORD_TYPE.name] === RecordType.EVALUATION);

describe('recordEvaluation', () => {
  test('writes one valid EMF line: per route and per model, by evaluator, with the verdict, the score and the report\'s keys', async () => {
    const [line, ...rest] = await captureEmf(() => newTelemetry().recordEvaluation(TYPICAL_EVALUATION));
    expect(rest).toEqual([]);
    expectValidEmf(line);
    expect(shapeOf(line)).toEqual({
      dimensions: EVALUATION_DIMENSIONS,
      metrics: [M.EVALUATION_COUNT.name, M.EVALUATION_PASSED.name, M.EVALUATION_SCORE.name],
    });
    expect(line).toEqual({
      _aws: expect.any(Object),
      [F.RECORD_TYPE.name]: RecordType.EVALUATION,
      [F.SCHEMA_VERSION.name]: TelemetryContract.SCHEMA_VERSION,
      [F.AGENT.name]: 'answer',
      [F.ROUTE.name]: 'draft-reply',
      [F.MODEL.name]: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      [F.EVALUATOR.name]: 'grounded-answer-judge',
      [F.VARIANT.name]: 'sonnet-4-5-prompt-v7',
      [F.TENANT.name]: 'tenant-4711',
      [F.EVALUATOR_VERSION.name]: '2026-11-03',
      [F.EVALUATION_SOURCE.name]: EvaluationSource.JUDGE,
      [F.SAMPLE_WEIGHT.name]: 20,
      [F.REQUEST_ID.name]: 'req_01J9',
      [F.SESSION_ID.name]: 'c0ffee-42',
      [M.EVALUATION_COUNT.name]: 1,
      [M.EVALUATION_PASSED.name]: 1,
      [M.EVALUATION_SCORE.name]: 0.875,
    });
    expect(line._aws.Timestamp).toBe(NOW);
  });

  test('tenant, variant, request and session ids are properties, never dimensions', async () => {
    const [line] = await captureEmf(() => newTelemetry().recordEvaluation(TYPICAL_EVALUATION));
    const dimensions = line._aws.CloudWatchMetrics.flatMap((d: any) => d.Dimensions.flat());
    for (const field of [F.TENANT, F.VARIANT, F.REQUEST_ID, F.SESSION_ID, F.SAMPLE_WEIGHT]) expect(dimensions).not.toContain(field.name);
  });

  test('a verdict alone writes no score, a score alone no verdict; the weight defaults to 1', async () => {
    const lines = await captureEmf(() => {
      const telemetry = newTelemetry();
      telemetry.recordEvaluation({ ...TYPICAL_EVALUATION, passed: false, score: undefined, sampleWeight: undefined });
      telemetry.recordEvaluation({ ...TYPICAL_EVALUATION, passed: undefined, score: 0 });
    });
    expect(lines.map((l) => [l[M.EVALUATION_PASSED.name], l[M.EVALUATION_SCORE.name], shapeOf(l).metrics])).toEqual([
      [0, undefined, [M.EVALUATION_COUNT.name, M.EVALUATION_PASSED.name]],
      [undefined, 0, [M.EVALUATION_COUNT.name, M.EVALUATION_SCORE.name]],
    ]);
    expect(lines[0][F.SAMPLE_WEIGHT.name]).toBe(1);
  });

  test('a typical line is within 15% of the size the cost estimate assumes', () => {
    const bytes = Buffer.byteLength(serializeEmf(buildEvaluationLines(TYPICAL_EVALUATION, NOW).lines[0], TelemetryContract.DEFAULT_NAMESPACE));
    expect(Math.abs(bytes - TelemetryContract.EVALUATION_LINE_BYTES) / TelemetryContract.EVALUATION_LINE_BYTES).toBeLessThan(0.15);
  });
});

describe('recordFeedback', () => {
  const feedback: FeedbackInput = {
    agent: 'answer', route: 'draft-reply', model: 'anthropic.claude-haiku-4-5-20251001-v1:0', tenant: 'tenant-9', requestId: 'r-7', positive: false,
  };

  test('is an evaluation from the feedback source under the default feedback evaluator: thumbs down fails', async () => {
    const [line] = await captureEmf(() => newTelemetry().recordFeedback(feedback));
    expectValidEmf(line);
    expect(line).toEqual(expect.objectContaining({
      [F.EVALUATOR.name]: TelemetryContract.FEEDBACK_EVALUATOR,
      [F.EVALUATOR_VERSION.name]: '1',
      [F.EVALUATION_SOURCE.name]: EvaluationSource.FEEDBACK,
      [M.EVALUATION_PASSED.name]: 0,
      [M.EVALUATION_COUNT.name]: 1,
      [F.REQUEST_ID.name]: 'r-7',
    }));
    expect(line).not.toHaveProperty(M.EVALUATION_SCORE.name);
  });

  test('thumbs up passes; a named feedback widget keeps its own evaluator id and version', async () => {
    const [line] = await captureEmf(() => newTelemetry().recordFeedback({ ...feedback, positive: true, evaluator: 'csat-widget', evaluatorVersion: '3' }));
    expect([line[F.EVALUATOR.name], line[F.EVALUATOR_VERSION.name], line[M.EVALUATION_PASSED.name]]).toEqual(['csat-widget', '3', 1]);
  });

  test('feedback without a thumb is not a scored call: counted as rejected, nothing else written', async () => {
    const lines = await captureEmf(() => newTelemetry().recordFeedback({ ...feedback, positive: undefined } as unknown as FeedbackInput));
    expect(evaluationsIn(lines)).toEqual([]);
    expect(rejectionsIn(lines).map((l) => l[F.REASON.name])).toEqual([RejectionReason.INVALID_VERDICT]);
  });
});

describe('bad evaluations never hurt the caller', () => {
  test.each<[string, Record<string, unknown>, RejectionReason, boolean]>([
    ['a score above 1', { score: 1.5 }, RejectionReason.INVALID_NUMBER, true],
    ['a NaN score', { score: Number.NaN }, RejectionReason.INVALID_NUMBER, true],
    ['a verdict that is a string', { passed: 'yes' }, RejectionReason.INVALID_VERDICT, true],
    ['neither verdict nor score', { passed: undefined, score: undefined }, RejectionReason.INVALID_VERDICT, false],
    ['an invalid verdict and an invalid score', { passed: 1, score: -0.2 }, RejectionReason.INVALID_VERDICT, false],
    ['an unknown source', { source: 'vibes' }, RejectionReason.INVALID_SOURCE, true],
    ['a missing evaluator', { evaluator: undefined }, RejectionReason.MISSING_FIELD, true],
    ['a non-ASCII evaluator', { evaluator: 'jugé' }, RejectionReason.INVALID_DIMENSION, true],
    ['a zero sample weight', { sampleWeight: 0 }, RejectionReason.INVALID_NUMBER, true],
    ['a timestamp a month old', { timestamp: NOW - 30 * 24 * 3600 * 1000 }, RejectionReason.INVALID_TIMESTAMP, true],
    ['a variant of 2 MB (content passed by mistake): cut to its cap', { variant: 'x'.repeat(2_000_000) }, RejectionReason.TRUNCATED, true],
  ])('%s: counted under its reason; the line is written when something valid is left', async (_case, change, reason, written) => {
    const warnings: string[] = [];
    const telemetry = newTelemetry(warnings);
    const record = () => telemetry.recordEvaluation({ ...TYPICAL_EVALUATION, ...change } as EvaluationInput);
    const lines = await captureEmf(() => expect(record).not.toThrow());
    lines.forEach(expectValidEmf);
    expect(evaluationsIn(lines)).toHaveLength(written ? 1 : 0);
    expect(rejectionsIn(lines).map((l) => l[F.REASON.name])).toContain(reason);
    expect(warnings.some((w) => w.includes(reason))).toBe(true);
  });

  test('an invalid score is dropped and the verdict kept; a missing evaluator becomes "unknown"', async () => {
    const [line] = await captureEmf(() => newTelemetry().recordEvaluation({ ...TYPICAL_EVALUATION, score: 2, evaluator: '' }));
    expect(line[M.EVALUATION_PASSED.name]).toBe(1);
    expect(line).not.toHaveProperty(M.EVALUATION_SCORE.name);
    expect(line[F.EVALUATOR.name]).toBe(UNKNOWN_DIMENSION_VALUE);
  });

  test('null writes one counted rejection line instead of throwing', async () => {
    const lines = await captureEmf(() => expect(() => newTelemetry().recordEvaluation(null as unknown as EvaluationInput)).not.toThrow());
    expect(evaluationsIn(lines)).toEqual([]);
    expect(rejectionsIn(lines).length).toBeGreaterThan(0);
  });
});

describe('evaluations of arbitrary input (property-based)', () => {
  const anything = fc.oneof(fc.anything(), fc.constant(undefined));
  const nearlyValid = fc.record({
    agent: fc.oneof(fc.constantFrom('answer', 'qa-review'), fc.string(), anything),
    route: fc.oneof(fc.constantFrom('draft-reply', 'score-reply'), fc.string({ unit: 'grapheme' }), anything),
    model: fc.oneof(fc.constant('gpt-5-mini'), fc.string({ maxLength: 300 })),
    variant: fc.oneof(fc.string(), fc.string({ minLength: 1000, maxLength: 5000 }), anything),
    tenant: fc.oneof(fc.string(), anything),
    evaluator: fc.oneof(fc.constantFrom('schema-valid', 'judge'), fc.string(), anything),
    evaluatorVersion: fc.oneof(fc.string(), anything),
    source: fc.oneof(fc.constantFrom(...Object.values(EvaluationSource)), fc.string(), anything),
    passed: fc.oneof(fc.boolean(), anything),
    score: fc.oneof(fc.double(), fc.double({ min: 0, max: 1, noNaN: true }), anything),
    sampleWeight: fc.oneof(fc.double(), fc.integer(), anything),
    requestId: anything,
    sessionId: anything,
    timestamp: fc.oneof(fc.integer({ min: NOW - 20 * 86400_000, max: NOW + 86400_000 }), fc.date({ noInvalidDate: false }), anything),
  }, { requiredKeys: [] });

  test('never throws; every line is valid EMF within CloudWatch\'s limits; one rejection line per reason', () => {
    fc.assert(fc.property(fc.oneof(nearlyValid, anything), (input) => {
      const written: EmfLine[] = [];
      const telemetry = new AiTelemetry({ clock: () => NOW, warn: () => undefined, write: (line) => written.push(line) });
      telemetry.recordEvaluation(input as EvaluationInput);
      telemetry.recordFeedback(input as FeedbackInput);
      for (const line of written) {
        const text = serializeEmf(line, 'Test');
        // a few kilobytes whatever the input: ids are capped, content is never written
        expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024);
        const doc = JSON.parse(text);
        expectValidEmf(doc);
        for (const value of line.dimensionSets.flatMap((set) => Object.values(set))) expect(value).toMatch(/^[\x20-\x7e]{1,250}$/);
      }
      const reasons = written.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.TELEMETRY_REJECTION)
        .map((l) => l.dimensionSets[0][F.REASON.name]);
      expect(reasons.every((reason) => (Object.values(RejectionReason) as string[]).includes(reason))).toBe(true);
    }), { numRuns: 500 });
  });

  test('an evaluation line is written exactly when a valid verdict or score was given, and holds only valid ones', () => {
    fc.assert(fc.property(nearlyValid, (input) => {
      const { lines, rejections } = buildEvaluationLines(input as unknown as EvaluationInput, NOW);
      const validVerdict = typeof input.passed === 'boolean';
      const validScore = typeof input.score === 'number' && input.score >= 0 && input.score <= 1;
      const evaluation = lines.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.EVALUATION);
      expect(evaluation).toHaveLength(validVerdict || validScore ? 1 : 0);
      for (const line of evaluation) {
        const values = Object.fromEntries(line.metrics.map(({ metric, value }) => [metric.name, value]));
        expect(values[M.EVALUATION_COUNT.name]).toBe(1);
        if (validVerdict) expect(values[M.EVALUATION_PASSED.name]).toBe(Number(input.passed));
        else expect(values).not.toHaveProperty(M.EVALUATION_PASSED.name);
        if (validScore) expect(values[M.EVALUATION_SCORE.name]).toBe(input.score);
        else expect(values).not.toHaveProperty(M.EVALUATION_SCORE.name);
        const weight = line.properties[F.SAMPLE_WEIGHT.name] as number;
        expect(weight).toBeGreaterThan(0);
        expect(Number.isFinite(weight)).toBe(true);
      }
      // Every problem is counted: a rejection line per distinct reason.
      expect(lines.length - evaluation.length).toBe(new Set(rejections.map((r) => r.reason)).size);
    }), { numRuns: 1000 });
  });
});

describe('cardinality discipline', () => {
  test('5,000 evaluations over 1,000 tenants and 50 variants publish 3 series per (route, evaluator) and per (agent, model, evaluator)', async () => {
    // GIVEN 2 routes of one agent, 2 models, 3 evaluators
    const routes = ['draft-reply', 'summarize-thread'];
    const models = ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0'];
    const evaluators = ['grounded-answer-judge', 'schema-valid', TelemetryContract.FEEDBACK_EVALUATOR];
    const lines = await captureEmf(() => {
      const telemetry = newTelemetry();
      for (let i = 0; i < 5_000; i++) {
        telemetry.recordEvaluation({
          ...TYPICAL_EVALUATION,
          route: routes[i % 2],
          model: models[Math.floor(i / 2) % 2],
          evaluator: evaluators[Math.floor(i / 4) % 3],
          tenant: `tenant-${i % 1000}`,
          variant: `variant-${i % 50}`,
          requestId: `r-${i}`,
        });
      }
    });
    // WHEN
    const series = new Set(lines.flatMap(seriesOf));
    // THEN
    const shape = { agents: 0, routes: 0, models: 0, agentModelPairs: 0, routeEvaluators: 2 * 3, agentModelEvaluators: 2 * 3 };
    // less the 11 client-wide call metrics, which exist whatever the shape
    const expected = TelemetryContract.customMetricCount(shape) - 11;
    expect(series.size).toBe(expected);
    expect(expected).toBe(3 * 6 + 3 * 6);
    expect([...series].some((s) => /tenant|variant/.test(s))).toBe(false);
  });
});

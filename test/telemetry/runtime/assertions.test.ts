import Ajv2020 from 'ajv/dist/2020';
import * as fc from 'fast-check';
import { EvaluationSource, RecordType, TelemetryFields, TelemetryMetrics } from '../../../lib/telemetry';
import {
  AiTelemetry, AssertionEvaluator, contains, EmfLine, EvaluatedCall, EvaluationInput, exactMatch, matchesPattern, runAssertions, validJson,
} from '../../../lib/telemetry/runtime';
import { captureEmf, expectValidEmf } from '../../support/emf';

const NOW = Date.UTC(2026, 10, 20, 12);
const F = TelemetryFields;
const M = TelemetryMetrics;
const call: EvaluatedCall = { agent: 'answer', route: 'draft-reply', model: 'gpt-5-mini', tenant: 'tenant-1', requestId: 'r-1', variant: 'v7' };

const replySchema = new Ajv2020().compile({
  type: 'object',
  required: ['reply', 'citations'],
  properties: { reply: { type: 'string', minLength: 1 }, citations: { type: 'array', minItems: 1, items: { type: 'string' } } },
});

describe('the assertion evaluators', () => {
  test('validJson: a JSON string or a parsed value against an Ajv-compiled schema; the detail names the failing path, never the content', () => {
    const check = validJson('reply-schema', replySchema, { version: '2' });
    expect(check.check('{"reply":"Your refund was issued.","citations":["kb-12"]}')).toEqual({ passed: true });
    expect(check.check({ reply: 'x', citations: [] })).toEqual({ passed: false, detail: 'invalid at /citations: must NOT have fewer than 1 items' });
    expect(check.check('Your refund was issued.')).toEqual({ passed: false, detail: 'the output is not JSON' });
    expect(check.version).toBe('2');
  });

  test('matchesPattern, stateless even for a global pattern', () => {
    const check = matchesPattern('ticket-ref', /TCK-\d{6}/g);
    expect([check.check('see TCK-123456'), check.check('see TCK-123456'), check.check('no ref')].map((v) => v.passed)).toEqual([true, true, false]);
  });

  test('contains: every needle by default, any with `any`; trimmed, case-insensitive on request', () => {
    expect(contains('mentions-refund', ['refund', 'days']).check('Your refund takes 5 days').passed).toBe(true);
    expect(contains('mentions-refund', ['refund', 'weeks']).check('Your refund takes 5 days')).toEqual({ passed: false, detail: 'the output lacks 1 of 2 required texts' });
    expect(contains('mentions-refund', ['weeks', 'days'], { any: true }).check('5 days').passed).toBe(true);
    expect(contains('mentions-refund', ['REFUND'], { ignoreCase: true }).check('refund').passed).toBe(true);
  });

  test('exactMatch: after trimming, optionally ignoring case; non-strings are compared as JSON', () => {
    expect(exactMatch('label', 'billing').check('  billing\n').passed).toBe(true);
    expect(exactMatch('label', 'billing').check('Billing').passed).toBe(false);
    expect(exactMatch('label', 'billing', { ignoreCase: true }).check('Billing').passed).toBe(true);
    expect(exactMatch('count', '3').check(3).passed).toBe(true);
  });
});

describe('runAssertions', () => {
  test('records one assertion-sourced evaluation per check, with the evaluator\'s id and version, and returns the verdicts', async () => {
    const telemetry = new AiTelemetry({ namespace: 'Test', clock: () => NOW, warn: () => undefined });
    let outcomes: unknown;
    const lines = await captureEmf(() => {
      outcomes = runAssertions(telemetry, call, '{"reply":"Done.","citations":[]}', [
        validJson('reply-schema', replySchema, { version: '2' }),
        contains('mentions-done', ['done'], { ignoreCase: true }),
      ]);
    });
    expect(outcomes).toEqual([
      { evaluator: 'reply-schema', version: '2', passed: false, detail: 'invalid at /citations: must NOT have fewer than 1 items' },
      { evaluator: 'mentions-done', version: '1', passed: true, detail: undefined },
    ]);
    lines.forEach(expectValidEmf);
    const keys = [F.RECORD_TYPE.name, F.EVALUATOR.name, F.EVALUATOR_VERSION.name, F.EVALUATION_SOURCE.name, M.EVALUATION_PASSED.name, F.VARIANT.name];
    expect(lines.map((l) => keys.map((key) => l[key]))).toEqual([
      [RecordType.EVALUATION, 'reply-schema', '2', EvaluationSource.ASSERTION, 0, 'v7'],
      [RecordType.EVALUATION, 'mentions-done', '1', EvaluationSource.ASSERTION, 1, 'v7'],
    ]);
  });

  test('a check that throws is no verdict: returned with its error, not recorded; the others still run', () => {
    const recorded: EvaluationInput[] = [];
    const broken: AssertionEvaluator = { id: 'broken', version: '1', check: () => { throw new Error('validator crashed'); } };
    const outcomes = runAssertions({ recordEvaluation: (e) => recorded.push(e) }, call, 'x', [broken, exactMatch('is-x', 'x')]);
    expect(outcomes).toEqual([
      { evaluator: 'broken', version: '1', detail: 'the check failed: validator crashed' },
      { evaluator: 'is-x', version: '1', passed: true, detail: undefined },
    ]);
    expect(recorded.map((e) => e.evaluator)).toEqual(['is-x']);
  });

  test('arbitrary outputs, checks and assertion lists never throw; every verdict is recorded once as valid EMF (property-based)', () => {
    const evaluators = fc.array(fc.oneof(
      fc.string().map((s) => exactMatch('exact', s)),
      fc.array(fc.string(), { maxLength: 3 }).map((needles) => contains('contains', needles)),
      fc.constant(matchesPattern('pattern', /^[a-z]+$/i)),
      fc.constant(validJson('schema', replySchema)),
      fc.anything().map((garbage) => garbage as AssertionEvaluator),
    ), { maxLength: 5 });
    fc.assert(fc.property(fc.anything(), fc.oneof(evaluators, fc.anything()), (output, assertions) => {
      const written: EmfLine[] = [];
      const telemetry = new AiTelemetry({ clock: () => NOW, warn: () => undefined, write: (line) => written.push(line) });
      const outcomes = runAssertions(telemetry, call, output, assertions as AssertionEvaluator[]);
      const verdicts = outcomes.filter((o) => o.passed !== undefined);
      const evaluations = written.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.EVALUATION);
      expect(evaluations.map((l) => l.metrics.find((m) => m.metric === M.EVALUATION_PASSED)?.value)).toEqual(verdicts.map((v) => Number(v.passed)));
    }), { numRuns: 300 });
  });
});

import { SloAlarmKind } from '../../lib/common';
import { alarmDefinitionOf, compileExpression, evaluateAlarm } from '../../lib/governance/backtest';
import { wilsonLowerBound } from '../../lib/quality';
import { exampleStack } from '../support/example';
import {
  accuracyDrop, EvaluationHour, evaluationMonth, evaluationSourceOf, EvaluatorProfile, evaluatorStops, noisyEvaluationMonth,
} from '../support/synthetic-evaluations';
import { agentTemplates, alarmsOf } from '../support/templates';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const MONTH_START = Date.UTC(2026, 10, 1);
const at = (day: number, hour = 0) => MONTH_START + (day - 1) * DAY + hour * HOUR;

/** The accuracy alarms of the example's answer/draft-reply route, as synthesized. */
const stack = exampleStack();
const synthesized = alarmsOf(agentTemplates(stack.aiOps).answer);
const ACCURACY = [SloAlarmKind.ACCURACY_PASS_RATE, SloAlarmKind.ACCURACY_MEAN_SCORE, SloAlarmKind.ACCURACY_NO_SCORES];
const alarms = stack.aiOps.alarms()
  .filter((a) => ACCURACY.includes(a.kind) && a.alarmName.startsWith('example-answer-draft-reply-'))
  .map((a) => alarmDefinitionOf(synthesized[a.alarmName]));
const JUDGE_PASS_RATE = 'example-answer-draft-reply-grounded-answer-judge-accuracy-pass-rate';
const JUDGE_NO_SCORES = 'example-answer-draft-reply-grounded-answer-judge-accuracy-no-scores';

/** The judge at 95% passing (mean score 0.9), the schema assertion at 99.5%. */
function profiles(judgedPerDay: number): EvaluatorProfile[] {
  return [
    { agent: 'answer', route: 'draft-reply', evaluator: 'grounded-answer-judge', perDay: judgedPerDay, passRate: 0.95, meanScore: 0.9 },
    { agent: 'answer', route: 'draft-reply', evaluator: 'reply-schema', perDay: 2000, passRate: 0.995 },
  ];
}

/** The times each alarm was in ALARM, evaluated every hour over its sliding window. */
function alarmed(month: EvaluationHour[]): Record<string, number[]> {
  const source = evaluationSourceOf(month, 'CdkAiOps');
  return Object.fromEntries(alarms.map((alarm) => [alarm.name,
    evaluateAlarm(alarm, source, MONTH_START, MONTH_START + 30 * DAY, { stepSeconds: 3600 }).filter((e) => e.state === 'ALARM').map((e) => e.time)]));
}
const firing = (fired: Record<string, number[]>) => Object.entries(fired).filter(([, times]) => times.length > 0).map(([name]) => name);

describe('the Wilson bound in metric math, as the backtest reads it', () => {
  const expression = synthesized[JUDGE_PASS_RATE].Metrics.find((m: any) => m.Expression).Expression as string;
  const ids: string[] = synthesized[JUDGE_PASS_RATE].Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.Id as string);
  const mean = ids.find((id) => id.startsWith('passRateMean'))!;
  const count = ids.find((id) => id.startsWith('passRateCount'))!;
  const evaluate = (passRate: number, n: number) => compileExpression(expression)(
    (id) => (id === mean ? passRate : id === count ? n : undefined), () => undefined);

  test.each([[0.95, 200], [0.85, 200], [0.95, 50], [0.9, 5000], [1, 30], [0, 30]])('pass rate %p of %p verdicts: 100 x (1 - the Wilson lower bound of the failure share)', (p, n) => {
    expect(evaluate(p, n)).toBeCloseTo(100 * (1 - wilsonLowerBound(1 - p, n)), 9);
  });

  test('known values: 85% of 200 is at best 88.7% (below a 90% objective); 95% of 50 at best 98.1% (no evidence of a breach)', () => {
    expect(evaluate(0.85, 200)).toBeCloseTo(88.68, 2);
    expect(evaluate(0.95, 50)).toBeCloseTo(98.14, 2);
  });

  test('below the minimum evidence (30) there is no datapoint', () => {
    expect(evaluate(0.2, 29)).toBeUndefined();
    expect(evaluate(0.2, 30)).toBeLessThan(90);
  });

  test('^ is exponentiation, tighter than * and right-associative', () => {
    expect(compileExpression('2 * 3 ^ 2 ^ 0.5 * 1')(() => undefined, () => undefined)).toBeCloseTo(2 * 3 ** (2 ** 0.5), 12);
  });
});

describe('a backtest of the example\'s accuracy alarms over a synthetic month', () => {
  test('covers the judge\'s pass-rate, mean-score and no-scores alarms and the schema assertion\'s', () => {
    expect(alarms.map((a) => a.name).sort()).toEqual([
      'example-answer-draft-reply-grounded-answer-judge-accuracy-mean-score',
      JUDGE_NO_SCORES,
      JUDGE_PASS_RATE,
      'example-answer-draft-reply-reply-schema-accuracy-no-scores',
      'example-answer-draft-reply-reply-schema-accuracy-pass-rate',
    ]);
  });

  test.each([50, 200, 5000])('a steady 95%% month at %p judged calls a day raises nothing', (perDay) => {
    expect(firing(alarmed(evaluationMonth(MONTH_START, 30, profiles(perDay))))).toEqual([]);
  });

  test.each([[50, 1], [50, 2], [5000, 3]])('with sampling noise (%p a day, seed %p), a steady 95%% month raises nothing', (perDay, seed) => {
    const [judge, schema] = profiles(perDay);
    const month = noisyEvaluationMonth(MONTH_START, 30, judge, seed);
    const steadySchema = evaluationMonth(MONTH_START, 30, [schema]);
    month.forEach((hour, h) => Object.assign(hour.evaluators, steadySchema[h].evaluators));
    expect(firing(alarmed(month))).toEqual([]);
  });

  describe('95% -> 85% from day 15, 10:00 UTC, at 200 judged calls a day', () => {
    const [judge] = profiles(200);
    const month = evaluationMonth(MONTH_START, 30, profiles(200));
    const dropAt = at(15, 10);
    accuracyDrop(month, judge, 0.85, dropAt, 16 * 24);
    const fired = alarmed(month);

    test('is caught within one day', () => {
      const caught = fired[JUDGE_PASS_RATE].find((time) => time > dropAt)!;
      expect(caught).toBeDefined();
      expect(caught - dropAt).toBeLessThanOrEqual(DAY);
      expect((caught - dropAt) / HOUR).toBe(21);
      // not on thin evidence either: the first hours after the drop do not fire
      expect(caught - dropAt).toBeGreaterThan(12 * HOUR);
    });

    test('nothing fires before it, and nothing but the pass-rate alarm after it', () => {
      expect(Object.values(fired).flat().filter((time) => time <= dropAt)).toEqual([]);
      expect(firing(fired)).toEqual([JUDGE_PASS_RATE]);
    });
  });

  describe('the judge stops on day 10 at 06:00 UTC for three days', () => {
    const [judge] = profiles(200);
    const month = evaluationMonth(MONTH_START, 30, profiles(200));
    const stopAt = at(10, 6);
    evaluatorStops(month, judge, stopAt, 72);
    const fired = alarmed(month);

    test('the no-scores P3 fires once a whole day has no evaluation, and clears with the first one back', () => {
      expect(fired[JUDGE_NO_SCORES][0]).toBe(stopAt + DAY);
      expect(fired[JUDGE_NO_SCORES].at(-1)).toBe(stopAt + 72 * HOUR);
    });

    test('the drift alarms do not take the silence (or the thin windows around it) for a verdict either way', () => {
      expect(firing(fired)).toEqual([JUDGE_NO_SCORES]);
    });
  });

  test('a thin window is no evidence: a collapse to 40% at 20 judged calls a day never reaches the minimum of 30 in a day', () => {
    const [judge, schema] = profiles(20);
    const month = evaluationMonth(MONTH_START, 30, [{ ...judge, passRate: 0.4 }, schema]);
    expect(firing(alarmed(month))).toEqual([]);
  });
});

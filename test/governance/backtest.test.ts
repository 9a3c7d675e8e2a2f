import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SloAlarmKind } from '../../lib/common';
import { alarmDefinitionOf, compileAlarmRule, compileExpression, evaluateAlarm, runScenario } from '../../lib/governance/backtest';
import { exampleStack } from '../support/example';
import { cacheCollapse, runawayAgent, sourceOf, steadyMonth } from '../support/synthetic-month';
import { alarmsOf } from '../support/templates';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const MONTH_START = Date.UTC(2026, 10, 1);
const at = (day: number, hour = 0) => MONTH_START + (day - 1) * DAY + hour * HOUR;

/** The deterministic alarms of the example client, as synthesized. */
const stack = exampleStack();
const templates = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)].map((s) => Template.fromStack(s));
const synthesized: Record<string, any> = Object.assign({}, ...templates.map(alarmsOf));
const DETERMINISTIC = [
  SloAlarmKind.BUDGET_BURN_WARNING, SloAlarmKind.BUDGET_BURN, SloAlarmKind.SPEND_RATE, SloAlarmKind.PROMPT_CACHE_HIT_RATE,
  SloAlarmKind.SESSION_STEPS, SloAlarmKind.SESSION_TOOL_CALLS, SloAlarmKind.SESSION_TOKENS, SloAlarmKind.SESSION_COST, SloAlarmKind.TENANT_SHARE,
];
const alarms = stack.aiOps.alarms().filter((a) => DETERMINISTIC.includes(a.kind)).map((a) => alarmDefinitionOf(synthesized[a.alarmName]));

/** The hours each alarm spent in ALARM over the month. */
function alarmedHours(month: ReturnType<typeof steadyMonth>): Record<string, number[]> {
  const source = sourceOf(month, 'CdkAiOps');
  return Object.fromEntries(alarms.map((alarm) => [alarm.name,
    evaluateAlarm(alarm, source, MONTH_START, MONTH_START + 30 * DAY).filter((e) => e.state === 'ALARM').map((e) => e.time)]));
}

describe('metric math as the backtest reads it', () => {
  test('arithmetic, comparisons, IF and INSIGHT_RULE_METRIC; a division by zero is a missing datapoint', () => {
    const values: Record<string, number> = { a: 10, b: 4, zero: 0 };
    const run = (expression: string) => compileExpression(expression)((id) => values[id], (_rule, metric) => (metric === 'Sum' ? 20 : 15));
    expect(run('100 * b / (a + b + 6)')).toBe(20);
    expect(run('IF(a >= 20, b, 0)')).toBe(0);
    expect(run("IF(INSIGHT_RULE_METRIC('r', 'Sum') >= 2.47, 100 * INSIGHT_RULE_METRIC('r', 'MaxContributorValue') / INSIGHT_RULE_METRIC('r', 'Sum'), 0)")).toBe(75);
    expect(run('a / zero')).toBeUndefined();
  });
});

describe('a backtest of the example client\'s deterministic alarms over a synthetic month', () => {
  test('covers burn rates, spend rates, the cache-hit floor, the session limits and the tenant share', () => {
    expect(alarms.map((a) => a.name).sort()).toEqual(expect.arrayContaining([
      'example-budget-burn', 'example-budget-burn-warning', 'example-spend-rate', 'example-answer-budget-burn', 'example-answer-spend-rate',
      'example-answer-prompt-cache-hit-rate', 'example-answer-session-steps', 'example-answer-session-tool-calls',
      'example-answer-session-tokens', 'example-answer-session-cost', 'example-tenant-share',
    ]));
  });

  test('a steady month raises nothing', () => {
    const fired = Object.entries(alarmedHours(steadyMonth(MONTH_START, 30))).filter(([, hours]) => hours.length > 0);
    expect(fired).toEqual([]);
  });

  describe('steady, then a cache-hit collapse on day 12 and a runaway agent on day 20', () => {
    const month = steadyMonth(MONTH_START, 30);
    cacheCollapse(month, 'answer', at(12, 10), 14);
    runawayAgent(month, 'answer', 'tenant-17', at(20, 14), 4);
    const fired = alarmedHours(month);
    const firstAfter = (name: string, from: number) => fired[name].find((time) => time > from);

    test('the cache-hit collapse is caught by the floor within its 3 one-hour periods', () => {
      expect(firstAfter('example-answer-prompt-cache-hit-rate', at(12, 10))).toBe(at(12, 13));
    });

    test('the runaway agent is caught within the hour by the session limits, the spend rate (P1) and the tenant share', () => {
      for (const name of ['example-answer-session-steps', 'example-answer-session-tool-calls', 'example-answer-session-tokens',
        'example-answer-session-cost', 'example-answer-spend-rate', 'example-tenant-share']) {
        expect({ name, caughtAt: firstAfter(name, at(20, 14)) }).toEqual({ name, caughtAt: at(20, 15) });
      }
    });

    test('the daily burn rate warns on the days of both incidents, at the end of the day', () => {
      expect(firstAfter('example-answer-budget-burn-warning', at(12))).toBe(at(13));
      expect(firstAfter('example-answer-budget-burn-warning', at(14))).toBe(at(21));
    });

    test('nothing fires outside the incidents\' windows', () => {
      const incident = (time: number) => (time > at(12, 10) && time <= at(13, 1)) || (time > at(20, 14) && time <= at(21, 1));
      const stray = Object.entries(fired).flatMap(([name, hours]) => hours.filter((time) => !incident(time)).map((time) => `${name} at ${new Date(time).toISOString()}`));
      expect(stray).toEqual([]);
    });
  });
});

describe('composite rules and ActionsSuppressor, as the backtest runs them', () => {
  const MINUTE = 60_000;
  const T = Date.UTC(2026, 10, 1);
  /** A one-minute alarm on its own metric, ALARM as soon as one datapoint is above 0. */
  const alarm = (name: string, actions = false) => ({
    name,
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
    periodSeconds: 60,
    queries: [{ id: 'm', returnData: true, metric: { namespace: 'Test', metricName: name, dimensions: {}, stat: 'Sum', periodSeconds: 60 } }],
    actions,
  });
  /** Each metric breaches in the minutes [from, to) given, counted from T. */
  const source = (windows: Record<string, Array<[number, number]>>) => ({
    value: (query: { metricName: string }, start: number) =>
      ((windows[query.metricName] ?? []).some(([a, b]) => start >= T + a * MINUTE && start < T + b * MINUTE) ? 1 : 0),
    insightRule: () => undefined,
  });
  const composite = (suppressor?: string) => ({ name: 'page', rule: '(ALARM("child") OR ALARM(other))', suppressor, waitSeconds: 60, extensionSeconds: 300, actions: true });
  const minutes = (pages: Array<{ time: number }>) => pages.map((p) => (p.time - T) / MINUTE);

  test('rules: ALARM, OK, NOT, AND, OR, TRUE, FALSE, quoted names with spaces', () => {
    const states: Record<string, 'ALARM' | 'OK'> = { 'a b': 'ALARM', 'c': 'OK' };
    const run = (rule: string) => compileAlarmRule(rule)((name) => states[name] ?? 'OK');
    expect(run('ALARM("a b") AND NOT ALARM(c)')).toBe(true);
    expect(run('(ALARM("a b") AND ALARM("c")) OR FALSE')).toBe(false);
    expect(run('OK("c") AND TRUE')).toBe(true);
    expect(() => run('ALARM("a b") AND')).toThrow(/expected more/);
  });

  test('without a suppressor a composite pages when it enters ALARM', () => {
    const result = runScenario([alarm('child'), alarm('other')], [composite()], source({ child: [[10, 20]] }), T, T + 60 * MINUTE);
    expect(minutes(result.pages)).toEqual([11]);
  });

  test('a suppressor in ALARM, or entering it within the wait, holds the page; with none the page waits the wait period', () => {
    const three = [alarm('child'), alarm('other'), alarm('cause')];
    const held = runScenario(three, [composite('cause')], source({ child: [[10, 20]], cause: [[10, 30]] }), T, T + 60 * MINUTE);
    expect(held.pages).toEqual([]);
    expect(minutes(held.suppressed)).toEqual([11]);
    const late = runScenario(three, [composite('cause')], source({ child: [[10, 20]], cause: [[11, 30]] }), T, T + 60 * MINUTE);
    expect(late.pages).toEqual([]);
    const none = runScenario(three, [composite('cause')], source({ child: [[10, 20]] }), T, T + 60 * MINUTE);
    expect(minutes(none.pages)).toEqual([12]);
  });

  test('a composite still in ALARM once the suppressor has been out of ALARM for the extension period pages then', () => {
    const result = runScenario([alarm('child'), alarm('other'), alarm('cause')], [composite('cause')],
      source({ child: [[10, 40]], cause: [[10, 20]] }), T, T + 60 * MINUTE);
    // The cause clears at minute 21 (its last breaching period ends at 20); 5 quiet minutes later the page goes out.
    expect(minutes(result.pages)).toEqual([26]);
  });
});

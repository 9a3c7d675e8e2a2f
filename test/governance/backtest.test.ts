import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SloAlarmKind } from '../../lib/common';
import { alarmDefinitionOf, compileExpression, evaluateAlarm } from '../../lib/governance/backtest';
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

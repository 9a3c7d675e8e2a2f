/*
 * A backtest of the deterministic alarms exactly as synthesized: each alarm's own metrics,
 * statistics, periods and metric-math expression, evaluated over a series of datapoints with its
 * evaluation periods, datapoints to alarm and missing-data treatment; then the composite alarms'
 * rules over those states, and their actions with ActionsSuppressor (wait and extension periods),
 * which gives the pages a scenario produces. Pure: the data comes from a `MetricSource`.
 * Anomaly-band alarms are trained by CloudWatch and stay out of it.
 *
 * CloudWatch's default evaluation window slides: each evaluation reads the periods that end at
 * that moment. The backtest samples it every period (calendar-aligned) unless told to step more
 * often, as a day-long window evaluated hourly is.
 */

/** One metric as an alarm reads it. */
export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** Sum, Maximum, Average, SampleCount, or a percentile such as p99. */
  readonly stat: string;
  readonly periodSeconds: number;
}

/** Where the backtest reads datapoints; undefined is a missing datapoint. */
export interface MetricSource {
  value(query: MetricQuery, periodStart: number): number | undefined;
  /** A Contributor Insights rule metric (Sum, MaxContributorValue, ...) over a period. */
  insightRule(ruleName: string, metric: string, periodStart: number, periodSeconds: number): number | undefined;
}

interface QueryDefinition {
  readonly id: string;
  readonly expression?: string;
  readonly metric?: MetricQuery;
  readonly returnData: boolean;
}

/** The parts of a synthesized `AWS::CloudWatch::Alarm` the evaluation needs. */
export interface AlarmDefinition {
  readonly name: string;
  readonly threshold: number;
  readonly comparison: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
  readonly periodSeconds: number;
  readonly queries: QueryDefinition[];
}

const dimensionsOf = (dims: Array<{ Name: string; Value: string }> | undefined) => Object.fromEntries((dims ?? []).map((d) => [d.Name, d.Value]));

/** Reads an alarm from its synthesized CloudFormation properties. */
export function alarmDefinitionOf(properties: any): AlarmDefinition {
  const common = {
    name: properties.AlarmName,
    threshold: properties.Threshold,
    comparison: properties.ComparisonOperator,
    evaluationPeriods: properties.EvaluationPeriods,
    datapointsToAlarm: properties.DatapointsToAlarm ?? properties.EvaluationPeriods,
    treatMissingData: properties.TreatMissingData ?? 'missing',
  };
  if (properties.ThresholdMetricId) throw new Error(`${properties.AlarmName} is an anomaly-band alarm: CloudWatch trains it, the backtest does not`);
  if (!properties.Metrics) {
    const metric: MetricQuery = {
      namespace: properties.Namespace,
      metricName: properties.MetricName,
      dimensions: dimensionsOf(properties.Dimensions),
      stat: properties.ExtendedStatistic ?? properties.Statistic,
      periodSeconds: properties.Period,
    };
    return { ...common, periodSeconds: properties.Period, queries: [{ id: 'm', metric, returnData: true }] };
  }
  const queries: QueryDefinition[] = properties.Metrics.map((m: any) => (m.Expression !== undefined
    ? { id: m.Id, expression: m.Expression, returnData: m.ReturnData ?? true }
    : {
      id: m.Id,
      returnData: m.ReturnData ?? true,
      metric: {
        namespace: m.MetricStat.Metric.Namespace,
        metricName: m.MetricStat.Metric.MetricName,
        dimensions: dimensionsOf(m.MetricStat.Metric.Dimensions),
        stat: m.MetricStat.Stat,
        periodSeconds: m.MetricStat.Period,
      },
    }));
  const periods = queries.map((q) => q.metric?.periodSeconds).filter((p): p is number => p !== undefined);
  const expressionPeriod = properties.Metrics.find((m: any) => m.Period)?.Period;
  return { ...common, periodSeconds: periods[0] ?? expressionPeriod, queries };
}

type Token = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?)|'([^']*)'|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/^(),<>[\]]))/y;
  let index = 0;
  while (index < expression.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(expression);
    if (!match) break;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', value: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'name', value: match[3] });
    else tokens.push({ kind: 'op', value: match[4] });
    index = pattern.lastIndex;
  }
  if (expression.slice(index).trim() !== '') throw new Error(`cannot read metric math at "${expression.slice(index)}"`);
  return tokens;
}

type Value = number | undefined;
type Evaluator = (resolve: (id: string) => Value, insight: (rule: string, metric: string) => Value) => Value;

/** Compiles the subset of CloudWatch metric math the library writes: arithmetic (with ^), comparisons, IF, FILL with a constant, MAX of a list, INSIGHT_RULE_METRIC. */
export function compileExpression(expression: string): Evaluator {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const take = (value?: string) => {
    const token = tokens[position++];
    if (!token || (value !== undefined && token.value !== value)) throw new Error(`expected ${value ?? 'more'} in "${expression}"`);
    return token;
  };
  const arith = (a: Value, b: Value, f: (x: number, y: number) => number): Value => (a === undefined || b === undefined ? undefined : f(a, b));

  const primary = (): Evaluator => {
    const token = take();
    if (token.kind === 'number') return () => token.value;
    if (token.kind === 'op' && token.value === '(') {
      const inner = comparison();
      take(')');
      return inner;
    }
    if (token.kind === 'op' && token.value === '-') {
      const operand = primary();
      return (r, i) => arith(0, operand(r, i), (x, y) => x - y);
    }
    if (token.kind === 'name' && peek()?.value === '(') {
      take('(');
      if (token.value === 'INSIGHT_RULE_METRIC') {
        const rule = take().value as string;
        take(',');
        const metric = take().value as string;
        take(')');
        return (_r, insight) => insight(rule, metric);
      }
      if (token.value === 'MAX' && peek()?.value === '[') {
        // MAX([a, b, ...]): the largest value present at this time; none when none is.
        take('[');
        const items: Evaluator[] = [comparison()];
        while (peek()?.value === ',') {
          take(',');
          items.push(comparison());
        }
        take(']');
        take(')');
        return (r, i) => {
          const values = items.map((item) => item(r, i)).filter((v): v is number => v !== undefined);
          return values.length > 0 ? Math.max(...values) : undefined;
        };
      }
      const args: Evaluator[] = [comparison()];
      while (peek()?.value === ',') {
        take(',');
        args.push(comparison());
      }
      take(')');
      if (token.value === 'FILL') {
        const [series, fill] = args;
        return (r, i) => series(r, i) ?? fill(r, i);
      }
      if (token.value === 'IF') {
        const [condition, whenTrue, whenFalse] = args;
        return (r, i) => {
          const c = condition(r, i);
          if (c === undefined) return undefined;
          return c !== 0 ? whenTrue(r, i) : whenFalse ? whenFalse(r, i) : undefined;
        };
      }
      throw new Error(`metric math function ${token.value} is not supported by the backtest`);
    }
    if (token.kind === 'name') return (resolve) => resolve(token.value);
    throw new Error(`unexpected ${token.value} in "${expression}"`);
  };
  // ^ binds tighter than * and /, and to the right; a fractional power of a negative is no value.
  const power = (): Evaluator => {
    const base = primary();
    if (peek()?.value !== '^') return base;
    take('^');
    const exponent = power();
    return (r, i) => arith(base(r, i), exponent(r, i), (x, y) => x ** y);
  };
  const term = (): Evaluator => {
    let left = power();
    while (peek()?.value === '*' || peek()?.value === '/') {
      const op = take().value;
      const l = left;
      const right = power();
      left = op === '*' ? (r, i) => arith(l(r, i), right(r, i), (x, y) => x * y)
        : (r, i) => arith(l(r, i), right(r, i), (x, y) => (y === 0 ? Number.NaN : x / y));
    }
    return (r, i) => {
      const v = left(r, i);
      return v === undefined || Number.isNaN(v) ? undefined : v;
    };
  };
  const additive = (): Evaluator => {
    let left = term();
    while (peek()?.value === '+' || peek()?.value === '-') {
      const op = take().value;
      const l = left;
      const right = term();
      left = (r, i) => arith(l(r, i), right(r, i), (x, y) => (op === '+' ? x + y : x - y));
    }
    return left;
  };
  const comparison = (): Evaluator => {
    const left = additive();
    const op = peek()?.value;
    if (op === '>=' || op === '<=' || op === '>' || op === '<' || op === '==' || op === '!=') {
      take();
      const right = additive();
      const test: Record<string, (x: number, y: number) => boolean> = {
        '>=': (x, y) => x >= y, '<=': (x, y) => x <= y, '>': (x, y) => x > y, '<': (x, y) => x < y, '==': (x, y) => x === y, '!=': (x, y) => x !== y,
      };
      return (r, i) => arith(left(r, i), right(r, i), (x, y) => Number(test[op](x, y)));
    }
    return left;
  };
  const compiled = comparison();
  if (position !== tokens.length) throw new Error(`unexpected ${tokens[position].value} in "${expression}"`);
  return compiled;
}

const compiledExpressions = new Map<string, Evaluator>();
/** Each expression compiled once. */
function compiledExpression(expression: string): Evaluator {
  let evaluator = compiledExpressions.get(expression);
  if (!evaluator) {
    evaluator = compileExpression(expression);
    compiledExpressions.set(expression, evaluator);
  }
  return evaluator;
}

/** The alarm's datapoint for the period starting at `periodStart`. */
export function datapoint(alarm: AlarmDefinition, source: MetricSource, periodStart: number): Value {
  const cache = new Map<string, Value>();
  const byId = new Map(alarm.queries.map((q) => [q.id, q]));
  const insight = (rule: string, metric: string) => source.insightRule(rule, metric, periodStart, alarm.periodSeconds);
  const resolve = (id: string): Value => {
    if (cache.has(id)) return cache.get(id);
    const query = byId.get(id);
    if (!query) throw new Error(`${alarm.name}: unknown metric id ${id}`);
    const value = query.metric ? source.value(query.metric, periodStart) : compiledExpression(query.expression!)(resolve, insight);
    cache.set(id, value);
    return value;
  };
  const returned = alarm.queries.filter((q) => q.returnData);
  if (returned.length !== 1) throw new Error(`${alarm.name}: expected one series to alarm on, found ${returned.length}`);
  return resolve(returned[0].id);
}

const BREACHES: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** One evaluation: the alarm's state after the period ending at `time`. */
export interface AlarmEvaluation {
  readonly time: number;
  readonly state: 'ALARM' | 'OK';
  readonly value: Value;
}

/** How often the backtest evaluates an alarm. */
export interface EvaluationOptions {
  /**
   * Seconds between evaluations; each reads the periods ending at that moment (a sliding window).
   * @default - the alarm's period (calendar-aligned windows)
   */
  readonly stepSeconds?: number;
}

/**
 * Evaluates the alarm every step from `from` to `to`: ALARM when at least `datapointsToAlarm` of
 * the last `evaluationPeriods` datapoints breach; missing datapoints count as the alarm's
 * missing-data treatment says (breaching, not breaching, or left out; a window of nothing but
 * missing datapoints under `ignore` keeps the state). Periods before `from` are not read.
 */
export function evaluateAlarm(
  alarm: AlarmDefinition, source: MetricSource, from: number, to: number, options: EvaluationOptions = {},
): AlarmEvaluation[] {
  const breaches = BREACHES[alarm.comparison];
  if (!breaches) throw new Error(`${alarm.name}: comparison ${alarm.comparison} is not evaluated by the backtest`);
  const periodMs = alarm.periodSeconds * 1000;
  const stepMs = (options.stepSeconds ?? alarm.periodSeconds) * 1000;
  const results: AlarmEvaluation[] = [];
  let state: 'ALARM' | 'OK' = 'OK';
  // A sliding window reads each period several times: read it once.
  const read = new Map<number, Value>();
  const datapointAt = (start: number) => {
    if (!read.has(start)) read.set(start, datapoint(alarm, source, start));
    return read.get(start);
  };
  for (let end = from + periodMs; end <= to; end += stepMs) {
    const window: Value[] = [];
    for (let k = alarm.evaluationPeriods; k >= 1; k--) {
      const start = end - k * periodMs;
      if (start >= from) window.push(datapointAt(start));
    }
    const value = window[window.length - 1];
    const present = window.filter((v): v is number => v !== undefined);
    const missing = window.length - present.length;
    let breaching = present.filter((v) => breaches(v, alarm.threshold)).length;
    if (alarm.treatMissingData === 'breaching') breaching += missing;
    if (alarm.treatMissingData === 'ignore' && present.length === 0) {
      // keeps its state
    } else {
      state = breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
    }
    results.push({ time: end, state, value });
  }
  return results;
}

/** The parts of a synthesized `AWS::CloudWatch::CompositeAlarm` the backtest needs. */
export interface CompositeDefinition {
  readonly name: string;
  readonly rule: string;
  /** @default - never suppressed */
  readonly suppressor?: string;
  readonly waitSeconds: number;
  readonly extensionSeconds: number;
  /** True when it has ALARM actions (it pages). */
  readonly actions: boolean;
}

/** Reads a composite alarm from its synthesized CloudFormation properties (rule and suppressor by name). */
export function compositeDefinitionOf(properties: any): CompositeDefinition {
  if (typeof properties.AlarmRule !== 'string') throw new Error(`${properties.AlarmName}: the backtest reads rules that name alarms, not references`);
  return {
    name: properties.AlarmName,
    rule: properties.AlarmRule,
    suppressor: properties.ActionsSuppressor,
    waitSeconds: properties.ActionsSuppressorWaitPeriod ?? 60,
    extensionSeconds: properties.ActionsSuppressorExtensionPeriod ?? 60,
    actions: (properties.AlarmActions ?? []).length > 0,
  };
}

type AlarmState = 'ALARM' | 'OK';
type RuleEvaluator = (stateOf: (alarmName: string) => AlarmState) => boolean;

/**
 * Compiles a composite alarm rule: `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)` (never, in
 * the backtest), `TRUE`, `FALSE`, `NOT`, `AND`, `OR` and parentheses; names quoted or not.
 */
export function compileAlarmRule(rule: string): RuleEvaluator {
  const tokens: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|(ALARM|OK|INSUFFICIENT_DATA|TRUE|FALSE|NOT|AND|OR)\b|([()])|([^\s()"]+))/y;
  const names = new Set<number>();
  let index = 0;
  while (index < rule.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(rule);
    if (!match) break;
    if (match[1] !== undefined || match[4] !== undefined) names.add(tokens.length);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
    index = pattern.lastIndex;
  }
  if (rule.slice(index).trim() !== '') throw new Error(`cannot read alarm rule at "${rule.slice(index)}"`);
  let position = 0;
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected ${expected ?? 'more'} in alarm rule "${rule}"`);
    return token;
  };
  const factor = (): RuleEvaluator => {
    const isName = names.has(position);
    const token = take();
    if (!isName && token === 'NOT') {
      const inner = factor();
      return (s) => !inner(s);
    }
    if (!isName && token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (!isName && (token === 'TRUE' || token === 'FALSE')) return () => token === 'TRUE';
    if (!isName && (token === 'ALARM' || token === 'OK' || token === 'INSUFFICIENT_DATA')) {
      take('(');
      if (!names.has(position)) throw new Error(`expected an alarm name in "${rule}"`);
      const name = take();
      take(')');
      return token === 'INSUFFICIENT_DATA' ? () => false : (s) => s(name) === token;
    }
    throw new Error(`unexpected ${token} in alarm rule "${rule}"`);
  };
  const and = (): RuleEvaluator => {
    let left = factor();
    while (tokens[position] === 'AND' && !names.has(position)) {
      take();
      const l = left;
      const right = factor();
      left = (s) => l(s) && right(s);
    }
    return left;
  };
  const or = (): RuleEvaluator => {
    let left = and();
    while (tokens[position] === 'OR' && !names.has(position)) {
      take();
      const l = left;
      const right = and();
      left = (s) => l(s) || right(s);
    }
    return left;
  };
  const ruleEvaluator = or();
  if (position !== tokens.length) throw new Error(`unexpected ${tokens[position]} in alarm rule "${rule}"`);
  return ruleEvaluator;
}

/** One executed ALARM action: a page (or mail, or digest entry, as the alarm's severity routes it). */
export interface Page {
  readonly alarm: string;
  readonly time: number;
}

/** Everything a scenario did: the alarms' states minute by minute, the pages, the actions suppressed. */
export interface ScenarioResult {
  readonly pages: Page[];
  /** ALARM transitions of alarms with actions that a suppressor held back. */
  readonly suppressed: Page[];
  /** The state of every alarm at each step. */
  readonly states: Map<string, AlarmState[]>;
  readonly times: number[];
}

/**
 * Runs metric alarms and composites together from `from` to `to`, one step a minute (by
 * default): each metric alarm's state as `evaluateAlarm` computes it (a window sliding every
 * step), each composite's from its rule; then the actions. An alarm with actions acts when it
 * enters ALARM, unless it is a composite whose suppressor is in ALARM then, or enters ALARM within
 * the wait period (the action waits that long); a suppressed composite still in ALARM acts once
 * the suppressor has been out of ALARM for the extension period. Alarms a composite names but the
 * scenario does not hold count as OK.
 */
export function runScenario(
  alarms: Array<AlarmDefinition & { actions: boolean }>, composites: CompositeDefinition[], source: MetricSource,
  from: number, to: number, stepSeconds = 60,
): ScenarioResult {
  const stepMs = stepSeconds * 1000;
  const times: number[] = [];
  for (let t = from + stepMs; t <= to; t += stepMs) times.push(t);
  const states = new Map<string, AlarmState[]>();
  for (const alarm of alarms) {
    const evaluations = evaluateAlarm(alarm, source, from, to, { stepSeconds: Math.min(stepSeconds, alarm.periodSeconds) });
    // Hold each evaluation's state until the next one (alarms with longer periods than the step).
    let k = 0;
    states.set(alarm.name, times.map((t) => {
      while (k + 1 < evaluations.length && evaluations[k + 1].time <= t) k++;
      return evaluations[k] && evaluations[k].time <= t ? evaluations[k].state : 'OK';
    }));
  }
  const rules = new Map(composites.map((c) => [c.name, compileAlarmRule(c.rule)]));
  for (let i = 0; i < times.length; i++) {
    const resolving = new Set<string>();
    const stateAt = (name: string): AlarmState => {
      const known = states.get(name);
      if (known && known.length > i) return known[i];
      const rule = rules.get(name);
      if (!rule) return 'OK';
      if (resolving.has(name)) throw new Error(`composite ${name} depends on itself`);
      resolving.add(name);
      const state: AlarmState = rule(stateAt) ? 'ALARM' : 'OK';
      resolving.delete(name);
      if (!states.has(name)) states.set(name, []);
      states.get(name)!.push(state);
      return state;
    };
    for (const composite of composites) stateAt(composite.name);
  }
  const state = (name: string, i: number): AlarmState => states.get(name)?.[i] ?? 'OK';
  const pages: Page[] = [];
  const suppressed: Page[] = [];
  for (const alarm of alarms.filter((a) => a.actions)) {
    times.forEach((t, i) => {
      if (state(alarm.name, i) === 'ALARM' && (i === 0 || state(alarm.name, i - 1) !== 'ALARM')) pages.push({ alarm: alarm.name, time: t });
    });
  }
  for (const composite of composites.filter((c) => c.actions)) {
    const waitSteps = Math.ceil((composite.waitSeconds * 1000) / stepMs);
    const extensionSteps = Math.ceil((composite.extensionSeconds * 1000) / stepMs);
    const suppressorAt = (i: number) => composite.suppressor !== undefined && state(composite.suppressor, i) === 'ALARM';
    let i = 0;
    while (i < times.length) {
      const entered = state(composite.name, i) === 'ALARM' && (i === 0 || state(composite.name, i - 1) !== 'ALARM');
      if (!entered) {
        i++;
        continue;
      }
      const episodeEnd = (() => {
        let j = i;
        while (j + 1 < times.length && state(composite.name, j + 1) === 'ALARM') j++;
        return j;
      })();
      let actedAt: number | undefined;
      let held = false;
      if (composite.suppressor === undefined) {
        actedAt = i;
      } else {
        // Suppressed now or within the wait; else acts when the wait is over, if still in ALARM.
        const withinWait = Array.from({ length: waitSteps + 1 }, (_, k) => i + k).filter((k) => k <= episodeEnd);
        if (withinWait.some(suppressorAt)) {
          held = true;
          // Acts once the suppressor has been out of ALARM for the extension period, while the composite still is in ALARM.
          // The first step out of ALARM is when it left: the extension counts from there.
          let quiet = -1;
          for (let k = withinWait.find(suppressorAt)! + 1; k <= episodeEnd; k++) {
            quiet = suppressorAt(k) ? -1 : quiet + 1;
            if (quiet >= extensionSteps) {
              actedAt = k;
              break;
            }
          }
        } else if (i + waitSteps <= episodeEnd) {
          actedAt = i + waitSteps;
        }
      }
      if (held) suppressed.push({ alarm: composite.name, time: times[i] });
      if (actedAt !== undefined) pages.push({ alarm: composite.name, time: times[actedAt] });
      i = episodeEnd + 1;
    }
  }
  pages.sort((a, b) => a.time - b.time || a.alarm.localeCompare(b.alarm));
  return { pages, suppressed, states, times };
}

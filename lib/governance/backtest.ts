/*
 * A backtest of the deterministic alarms exactly as synthesized: each alarm's own metrics,
 * statistics, periods and metric-math expression, evaluated over a series of datapoints with its
 * evaluation periods, datapoints to alarm and missing-data treatment. Pure: the data comes from a
 * `MetricSource`. Anomaly-band alarms are trained by CloudWatch and stay out of it.
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
  const pattern = /\s*(?:(\d+(?:\.\d+)?)|'([^']*)'|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/^(),<>]))/y;
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

/** Compiles the subset of CloudWatch metric math the library writes: arithmetic (with ^), comparisons, IF, INSIGHT_RULE_METRIC. */
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
      const args: Evaluator[] = [comparison()];
      while (peek()?.value === ',') {
        take(',');
        args.push(comparison());
      }
      take(')');
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

/** The alarm's datapoint for the period starting at `periodStart`. */
export function datapoint(alarm: AlarmDefinition, source: MetricSource, periodStart: number): Value {
  const cache = new Map<string, Value>();
  const byId = new Map(alarm.queries.map((q) => [q.id, q]));
  const insight = (rule: string, metric: string) => source.insightRule(rule, metric, periodStart, alarm.periodSeconds);
  const resolve = (id: string): Value => {
    if (cache.has(id)) return cache.get(id);
    const query = byId.get(id);
    if (!query) throw new Error(`${alarm.name}: unknown metric id ${id}`);
    const value = query.metric ? source.value(query.metric, periodStart) : compileExpression(query.expression!)(resolve, insight);
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
  for (let end = from + periodMs; end <= to; end += stepMs) {
    const window: Value[] = [];
    for (let k = alarm.evaluationPeriods; k >= 1; k--) {
      const start = end - k * periodMs;
      if (start >= from) window.push(datapoint(alarm, source, start));
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

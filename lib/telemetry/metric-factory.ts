import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { MetricDefinition, TelemetryContract, TelemetryFields, TelemetryMetrics } from './contract';

/*
 * CloudWatch metrics and derived series (rates, ratios) over the telemetry contract, defined once
 * for the dashboards and the alarms. Not part of the runtime helper: it loads aws-cdk-lib.
 */

const M = TelemetryMetrics;
const F = TelemetryFields;

/** Dimension values of one series: which agent, route, model or tool. */
export interface SeriesDimensions {
  readonly agent?: string;
  readonly route?: string;
  readonly model?: string;
  readonly tool?: string;
  readonly evaluator?: string;
}

/** Options of one series. */
export interface SeriesOptions {
  /** @default - the factory's period */
  readonly period?: Duration;
  /** @default - the metric's description */
  readonly label?: string;
}

/**
 * A metric-math id unique to a series: CloudWatch refuses two different metrics under one id in a
 * graph or alarm, and a graph holds the same expression for many agents or routes.
 */
function mathId(role: string, dimensions: SeriesDimensions, period: Duration): string {
  // The evaluator joins the key only when set, so the ids of series without one stay as they were.
  const key = JSON.stringify([dimensions.agent, dimensions.route, dimensions.model, dimensions.tool, period.toSeconds(),
    ...(dimensions.evaluator !== undefined ? [dimensions.evaluator] : [])]);
  let hash = 7;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) % 2147483647;
  return `${role}_${hash.toString(36)}`;
}

/** Builds the contract's metrics and derived series in one namespace and period. */
export class TelemetryMetricFactory {
  /**
   * @param namespace CloudWatch namespace of the client's telemetry
   * @param period default period of every series
   */
  public constructor(public readonly namespace: string, public readonly period: Duration = Duration.minutes(5)) {}

  /** One contract metric with the given dimensions and statistic. */
  public metric(definition: MetricDefinition, dimensions: SeriesDimensions, statistic: string, options: SeriesOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: definition.name,
      dimensionsMap: this.dimensionsMap(dimensions),
      statistic,
      period: options.period ?? this.period,
      label: options.label,
    });
  }

  /** Sum of a metric. */
  public sum(definition: MetricDefinition, dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.Metric {
    return this.metric(definition, dimensions, cloudwatch.Stats.SUM, options);
  }

  /** A percent of calls: 100 x Sum(counter) / Sum(calls), for model errors, application errors or throttles. */
  public ratePercent(counter: MetricDefinition, dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const ids = this.ids(dimensions, options, counter.name, 'callsSum');
    return new cloudwatch.MathExpression({
      expression: `100 * ${ids[0]} / ${ids[1]}`,
      usingMetrics: { [ids[0]]: this.sum(counter, dimensions, options), [ids[1]]: this.sum(M.CALLS, dimensions, options) },
      label: options.label ?? `${counter.name} (% of calls)`,
      period: options.period ?? this.period,
    });
  }

  /** Prompt-cache hit rate: 100 x cache-read tokens / all input tokens (uncached + cache read + cache write). */
  public cacheHitRatePercent(dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const [input, cacheRead, cacheWrite] = this.ids(dimensions, options, 'input', 'cacheRead', 'cacheWrite');
    return new cloudwatch.MathExpression({
      expression: `100 * ${cacheRead} / (${input} + ${cacheRead} + ${cacheWrite})`,
      usingMetrics: {
        [input]: this.sum(M.INPUT_TOKENS, dimensions, options),
        [cacheRead]: this.sum(M.CACHE_READ_TOKENS, dimensions, options),
        [cacheWrite]: this.sum(M.CACHE_WRITE_TOKENS, dimensions, options),
      },
      label: options.label ?? 'prompt-cache hit rate (%)',
      period: options.period ?? this.period,
    });
  }

  /** All tokens of every kind: uncached input + cache read + cache write + output. */
  public totalTokens(dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const [input, cacheRead, cacheWrite, output] = this.ids(dimensions, options, 'input', 'cacheRead', 'cacheWrite', 'output');
    return new cloudwatch.MathExpression({
      expression: `${input} + ${cacheRead} + ${cacheWrite} + ${output}`,
      usingMetrics: {
        [input]: this.sum(M.INPUT_TOKENS, dimensions, options),
        [cacheRead]: this.sum(M.CACHE_READ_TOKENS, dimensions, options),
        [cacheWrite]: this.sum(M.CACHE_WRITE_TOKENS, dimensions, options),
        [output]: this.sum(M.OUTPUT_TOKENS, dimensions, options),
      },
      label: options.label ?? 'tokens (all kinds)',
      period: options.period ?? this.period,
    });
  }

  /** Cost per call: Sum(costUsd) / Sum(calls). */
  public costPerCall(dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const [cost, calls] = this.ids(dimensions, options, 'cost', 'callsSum');
    return new cloudwatch.MathExpression({
      expression: `${cost} / ${calls}`,
      usingMetrics: { [cost]: this.sum(M.COST_USD, dimensions, options), [calls]: this.sum(M.CALLS, dimensions, options) },
      label: options.label ?? 'USD per call',
      period: options.period ?? this.period,
    });
  }

  /** Retrieval-cache hit rate: 100 x retrievals answered from cache / retrievals. */
  public retrievalCacheHitRatePercent(agent: string, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const [hits, retrievals] = this.ids({ agent }, options, 'cacheHitsSum', 'retrievalsSum');
    return new cloudwatch.MathExpression({
      expression: `100 * ${hits} / ${retrievals}`,
      usingMetrics: {
        [hits]: this.sum(M.RETRIEVAL_CACHE_HITS, { agent }, options),
        [retrievals]: this.sum(M.RETRIEVALS, { agent }, options),
      },
      label: options.label ?? 'retrieval-cache hit rate (%)',
      period: options.period ?? this.period,
    });
  }

  /**
   * The upper bound of a pass rate (or mean score), percent, at one-sided confidence z: 100 x (1
   * minus the Wilson score interval's lower bound of the failure share 1 - mean), from the series'
   * Average (the rate) and SampleCount (the evidence). A window with fewer than `minimumEvidence`
   * samples yields no datapoint: not enough evidence is neither healthy nor breaching. `series`
   * is any metric whose values are 0/1 verdicts or scores in [0, 1]; `dimensions` name it.
   */
  public passRateUpperBoundPercent(
    series: cloudwatch.Metric, role: string, dimensions: SeriesDimensions, minimumEvidence: number, z: number, options: SeriesOptions = {},
  ): cloudwatch.MathExpression {
    const period = options.period ?? this.period;
    const [m, n] = this.ids(dimensions, options, `${role}Mean`, `${role}Count`);
    const exact = (x: number) => Number(x.toPrecision(10));
    const failure = `(1 - ${m})`;
    const lower = `(${failure} + ${exact(z * z / 2)} / ${n} - ${z} * (${failure} * ${m} / ${n} + ${exact(z * z / 4)} / (${n} * ${n})) ^ 0.5) / (1 + ${exact(z * z)} / ${n})`;
    return new cloudwatch.MathExpression({
      expression: `IF(${n} >= ${minimumEvidence}, 100 * (1 - ${lower}))`,
      usingMetrics: {
        [m]: series.with({ statistic: cloudwatch.Stats.AVERAGE, period }),
        [n]: series.with({ statistic: cloudwatch.Stats.SAMPLE_COUNT, period }),
      },
      label: options.label ?? 'upper 95% bound (%)',
      period,
    });
  }

  /** A rate or score in [0, 1] as a percent: 100 x the series. */
  public percent(series: cloudwatch.IMetric, role: string, dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const [id] = this.ids(dimensions, options, role);
    return new cloudwatch.MathExpression({
      expression: `100 * ${id}`,
      usingMetrics: { [id]: series },
      label: options.label ?? `${role} (%)`,
      period: options.period ?? this.period,
    });
  }

  /** Feedback rate: 100 x evaluations under the feedback evaluator / calls, of a route or agent. */
  public feedbackRatePercent(dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const [feedback, calls] = this.ids(dimensions, options, 'feedbackSum', 'callsSum');
    return new cloudwatch.MathExpression({
      expression: `100 * ${feedback} / ${calls}`,
      usingMetrics: {
        [feedback]: this.sum(M.EVALUATION_COUNT, { ...dimensions, evaluator: TelemetryContract.FEEDBACK_EVALUATOR }, options),
        [calls]: this.sum(M.CALLS, dimensions, options),
      },
      label: options.label ?? 'feedback rate (% of calls)',
      period: options.period ?? this.period,
    });
  }

  /**
   * Days from each period with calls to an instant (a model's end of life, epoch seconds):
   * (instant - EPOCH(calls)) / 86400. EPOCH returns a value for every period, called or not, so the
   * IF keeps only the periods with calls: a model nobody calls yields no datapoint.
   */
  public daysUntil(epochSeconds: number, dimensions: SeriesDimensions, options: SeriesOptions = {}): cloudwatch.MathExpression {
    const [calls] = this.ids(dimensions, options, 'callsSum');
    return new cloudwatch.MathExpression({
      expression: `IF(${calls}, (${epochSeconds} - EPOCH(${calls})) / 86400)`,
      usingMetrics: { [calls]: this.sum(M.CALLS, dimensions, options) },
      label: options.label ?? 'days left',
      period: options.period ?? this.period,
    });
  }

  /** The anomaly band CloudWatch learns for a series, `stdDevs` wide, for band graphs. */
  public anomalyBand(
    series: cloudwatch.IMetric, role: string, dimensions: SeriesDimensions, stdDevs: number, label: string,
  ): cloudwatch.MathExpression {
    const [seriesId] = this.ids(dimensions, {}, role);
    return new cloudwatch.MathExpression({
      expression: `ANOMALY_DETECTION_BAND(${seriesId}, ${stdDevs})`,
      usingMetrics: { [seriesId]: series },
      label,
      period: this.period,
    });
  }

  /**
   * A value that only counts when the period had at least `minimumCalls` calls; quieter periods
   * yield `fallback` (a healthy value), so a handful of night-time calls cannot page anyone.
   */
  public guarded(
    value: cloudwatch.IMetric, dimensions: SeriesDimensions, minimumCalls: number, fallback: number, label: string,
  ): cloudwatch.MathExpression {
    // The guard reuses the id of the calls metric, so a rate's calls are read (and billed) once.
    const [valueId, guardId] = this.ids(dimensions, {}, 'value', 'callsSum');
    const inner = value instanceof cloudwatch.MathExpression
      ? { expression: `(${value.expression})`, usingMetrics: value.usingMetrics }
      : { expression: valueId, usingMetrics: { [valueId]: value } };
    return new cloudwatch.MathExpression({
      expression: `IF(${guardId} >= ${minimumCalls}, ${inner.expression}, ${fallback})`,
      usingMetrics: { ...inner.usingMetrics, [guardId]: this.sum(M.CALLS, dimensions) },
      label,
      period: this.period,
    });
  }

  private ids(dimensions: SeriesDimensions, options: SeriesOptions, ...roles: string[]): string[] {
    return roles.map((role) => mathId(role, dimensions, options.period ?? this.period));
  }

  private dimensionsMap(dimensions: SeriesDimensions): Record<string, string> {
    const map: Record<string, string> = {};
    if (dimensions.agent !== undefined) map[F.AGENT.name] = dimensions.agent;
    if (dimensions.route !== undefined) map[F.ROUTE.name] = dimensions.route;
    if (dimensions.model !== undefined) map[F.MODEL.name] = dimensions.model;
    if (dimensions.tool !== undefined) map[F.TOOL.name] = dimensions.tool;
    if (dimensions.evaluator !== undefined) map[F.EVALUATOR.name] = dimensions.evaluator;
    return map;
  }
}

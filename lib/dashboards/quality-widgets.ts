import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AgentConfig, RouteConfig } from '../config/types';
import { AccuracyObjective, evaluatorCount, evaluatorDimensions, evaluatorScores } from '../quality/evaluator-series';
import { ACCURACY_CONFIDENCE_Z, accuracySettings } from '../quality/settings';
import { RecordType, TelemetryFields, TelemetryMetrics } from '../telemetry/contract';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

/*
 * The quality widgets: accuracy per route (raw and at the alarms' confidence bound, against the
 * objectives), per model, per variant, evaluation counts and the feedback rate. Routes with an
 * accuracy SLO read their evaluators from the SLO (and from AgentCore where it points there).
 */

const M = TelemetryMetrics;
const F = TelemetryFields;
const HEIGHT = 6;
const QUARTER = 6;
const HOUR = Duration.hours(1);

/** One objective of one evaluator of one route. */
export interface EvaluatorObjective {
  readonly agent: AgentConfig;
  readonly route: RouteConfig;
  readonly evaluator: string;
  readonly objective: AccuracyObjective;
  /** Percent (a mean score objective of 0.8 is 80). */
  readonly targetPercent: number;
}

/** A score objective in percent, without binary-fraction noise (0.8 is 80, not 80.00000000000001). */
const percentOfScore = (score: number) => Number((score * 100).toPrecision(10));

/** Every objective of the agent's accuracy SLOs. */
export function objectivesOf(agent: AgentConfig): EvaluatorObjective[] {
  return agent.routes.flatMap((route) => (route.slo.accuracy?.evaluators ?? []).flatMap((e) => [
    ...(e.minPassRatePercent !== undefined
      ? [{ agent, route, evaluator: e.id, objective: AccuracyObjective.PASS_RATE, targetPercent: e.minPassRatePercent }] : []),
    ...(e.minMeanScore !== undefined
      ? [{ agent, route, evaluator: e.id, objective: AccuracyObjective.MEAN_SCORE, targetPercent: percentOfScore(e.minMeanScore) }] : []),
  ]));
}

const what = (objective: AccuracyObjective) => (objective === AccuracyObjective.PASS_RATE ? 'pass rate' : 'mean score');

const roleOf = (objective: AccuracyObjective) => (objective === AccuracyObjective.PASS_RATE ? 'passRate' : 'meanScore');

/** An objective's hourly rate in percent (100 x Average), raw. */
export function hourlyPercent(metrics: TelemetryMetricFactory, o: EvaluatorObjective, label: string): cloudwatch.MathExpression {
  const scores = evaluatorScores(metrics, o.agent.id, o.route, o.evaluator, o.objective, HOUR);
  return metrics.percent(scores, `${roleOf(o.objective)}Hourly`, evaluatorDimensions(o.agent.id, o.route, o.evaluator), { period: HOUR, label });
}

/** The series an objective's drift alarm watches: the upper 95% bound over the SLO's window. */
export function boundPercent(metrics: TelemetryMetricFactory, o: EvaluatorObjective, label: string): cloudwatch.MathExpression {
  const settings = accuracySettings(o.route.slo.accuracy!);
  const window = Duration.hours(settings.windowHours);
  const scores = evaluatorScores(metrics, o.agent.id, o.route, o.evaluator, o.objective, window);
  const dims = evaluatorDimensions(o.agent.id, o.route, o.evaluator);
  const options = { period: window, label };
  return metrics.passRateUpperBoundPercent(scores, roleOf(o.objective), dims, settings.minScoredCalls, ACCURACY_CONFIDENCE_Z, options);
}

/**
 * The quality rows of an agent's dashboard: per route with an accuracy SLO, its objectives
 * (hourly and at the alarms' bound, against the targets), evaluations per hour by evaluator with
 * the feedback rate, and accuracy by model; for the whole agent, every evaluator's counts (a
 * search, so evaluators outside the SLOs show too), and from the records (variants are no dimension)
 * the pass rate by variant over time and a table by route, evaluator, model and variant.
 */
export function agentQualityRows(agent: AgentConfig, models: string[], metrics: TelemetryMetricFactory): cloudwatch.IWidget[][] {
  const rows: cloudwatch.IWidget[][] = [];
  const hourly = new TelemetryMetricFactory(metrics.namespace, HOUR);
  for (const route of agent.routes.filter((r) => r.slo.accuracy)) {
    const objectives = objectivesOf(agent).filter((o) => o.route === route);
    const evaluators = route.slo.accuracy!.evaluators.map((e) => e.id);
    const graph = (objective: AccuracyObjective) => {
      const mine = objectives.filter((o) => o.objective === objective);
      return mine.length === 0 ? [] : [new cloudwatch.GraphWidget({
        title: `${route.id}: ${what(objective)} by evaluator (%, hourly and the alarms' upper 95% bound)`,
        width: QUARTER,
        height: HEIGHT,
        left: mine.flatMap((o) => [hourlyPercent(metrics, o, `${o.evaluator} hourly`), boundPercent(metrics, o, `${o.evaluator} upper bound`)]),
        leftAnnotations: mine.map((o) => ({ value: o.targetPercent, label: `${o.evaluator} objective ${o.targetPercent}%`, color: cloudwatch.Color.RED })),
        leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
      })];
    };
    rows.push([
      ...graph(AccuracyObjective.PASS_RATE),
      ...graph(AccuracyObjective.MEAN_SCORE),
      new cloudwatch.GraphWidget({
        title: `${route.id}: evaluations per hour by evaluator, and the feedback rate (% of calls)`,
        width: QUARTER,
        height: HEIGHT,
        stacked: true,
        left: evaluators.map((e) => evaluatorCount(metrics, agent.id, route, e, HOUR).with({ label: e })),
        right: [hourly.feedbackRatePercent({ agent: agent.id, route: route.id }, { label: 'feedback rate (%)' })],
        rightYAxis: { min: 0, showUnits: false },
      }),
      // Per-model series are the telemetry's (agent, model, evaluator) set; AgentCore publishes none.
      ...(route.slo.accuracy!.agentCore ? [] : [new cloudwatch.GraphWidget({
        title: `${route.id}: pass rate by model and evaluator (%, hourly, every route of the agent)`,
        width: QUARTER,
        height: HEIGHT,
        left: models.flatMap((model) => evaluators.map((e) => {
          const dims = { agent: agent.id, model, evaluator: e };
          return hourly.percent(hourly.metric(M.EVALUATION_PASSED, dims, cloudwatch.Stats.AVERAGE), 'passRateByModel', dims, { label: `${model} ${e}` });
        })),
        leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
      })]),
    ]);
  }
  rows.push([
    new cloudwatch.GraphWidget({
      title: 'Evaluations per hour, every route and evaluator',
      width: 12,
      height: HEIGHT,
      // Evaluators outside the SLOs are not in the config: a search finds every one the agent reported.
      left: [new cloudwatch.MathExpression({
        expression: `SEARCH('{${metrics.namespace},${F.AGENT.name},${F.ROUTE.name},${F.EVALUATOR.name}} MetricName="${M.EVALUATION_COUNT.name}" ${F.AGENT.name}="${agent.id}"', 'Sum', 3600)`,
        label: '',
        period: HOUR,
      })],
    }),
    new cloudwatch.LogQueryWidget({
      title: 'Pass rate by variant over time (%, hourly, every route and evaluator, from the evaluation records)',
      width: 12,
      height: HEIGHT,
      logGroupNames: agent.logGroups,
      view: cloudwatch.LogQueryVisualizationType.LINE,
      queryLines: [
        `filter ${F.RECORD_TYPE.name} = "${RecordType.EVALUATION}" and ${F.AGENT.name} = "${agent.id}" and ispresent(${M.EVALUATION_PASSED.name})`,
        `stats 100 * avg(${M.EVALUATION_PASSED.name}) as passRatePercent by bin(1h), ${F.VARIANT.name}`,
      ],
    }),
  ]);
  rows.push([
    new cloudwatch.LogQueryWidget({
      title: 'Accuracy by route, evaluator, model and variant (evaluation records of the time range)',
      width: 24,
      height: HEIGHT,
      logGroupNames: agent.logGroups,
      view: cloudwatch.LogQueryVisualizationType.TABLE,
      queryLines: [
        `fields ${F.ROUTE.name}, ${F.EVALUATOR.name}, ${F.MODEL.name}, ${F.VARIANT.name}, ${M.EVALUATION_PASSED.name}, ${M.EVALUATION_SCORE.name}`,
        `filter ${F.RECORD_TYPE.name} = "${RecordType.EVALUATION}" and ${F.AGENT.name} = "${agent.id}"`,
        `stats count(*) as evaluations, 100 * avg(${M.EVALUATION_PASSED.name}) as passRatePercent, avg(${M.EVALUATION_SCORE.name}) as meanScore`
          + ` by ${F.ROUTE.name}, ${F.EVALUATOR.name}, ${F.MODEL.name}, ${F.VARIANT.name}`,
        `sort ${F.ROUTE.name}, ${F.EVALUATOR.name}, passRatePercent`,
      ],
    }),
  ]);
  return rows;
}

/**
 * The overview's quality rows: every route objective at the alarms' upper 95% bound, the
 * evaluations per hour of each SLO evaluator, and each SLO route's feedback rate; at most
 * `seriesPerGraph` series a graph, split into numbered graphs beyond.
 */
export function overviewQualityRows(agents: AgentConfig[], metrics: TelemetryMetricFactory, seriesPerGraph: number): cloudwatch.IWidget[][] {
  const objectives = agents.flatMap(objectivesOf);
  if (objectives.length === 0) return [];
  const hourly = new TelemetryMetricFactory(metrics.namespace, HOUR);
  const name = (o: { agent: AgentConfig; route: RouteConfig }) => `${o.agent.id}/${o.route.id}`;
  const evaluators = agents.flatMap((agent) => agent.routes.flatMap((route) => (route.slo.accuracy?.evaluators ?? [])
    .map((e) => ({ agent, route, evaluator: e.id }))));
  const routes = agents.flatMap((agent) => agent.routes.filter((route) => route.slo.accuracy).map((route) => ({ agent, route })));
  const graphs = <T>(title: string, items: T[], series: (item: T) => cloudwatch.IMetric, extra: Partial<cloudwatch.GraphWidgetProps> = {}) => {
    const parts: T[][] = [];
    for (let i = 0; i < items.length; i += seriesPerGraph) parts.push(items.slice(i, i + seriesPerGraph));
    return parts.map((part, i) => new cloudwatch.GraphWidget({
      title: parts.length > 1 ? `${title} (${i + 1}/${parts.length})` : title,
      width: 8,
      height: HEIGHT,
      left: part.map(series),
      ...extra,
    }));
  };
  const percentAxis = { leftYAxis: { min: 0, max: 100, label: '%', showUnits: false } };
  return [[
    ...graphs('Quality: accuracy by route at the alarms\' upper 95% bound (%)', objectives,
      (o) => boundPercent(metrics, o, `${name(o)} ${o.evaluator} ${what(o.objective)}`), percentAxis),
    ...graphs('Quality: evaluations per hour by route and evaluator', evaluators,
      (e) => evaluatorCount(metrics, e.agent.id, e.route, e.evaluator, HOUR).with({ label: `${name(e)} ${e.evaluator}` }), { stacked: true }),
    ...graphs('Quality: feedback rate by route (% of calls)', routes,
      (r) => hourly.feedbackRatePercent({ agent: r.agent.id, route: r.route.id }, { label: name(r) }), { leftYAxis: { min: 0, showUnits: false } }),
  ]];
}

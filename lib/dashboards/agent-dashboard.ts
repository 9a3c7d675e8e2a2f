import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DashboardPages } from './pages';
import { agentQualityRows } from './quality-widgets';
import { AlarmStatusByNameWidget, thresholdOf } from './widgets';
import { SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { AiOpsNames } from '../common/names';
import { GOVERNANCE_DEFAULTS } from '../config/defaults';
import { AgentConfig, RouteConfig } from '../config/types';
import { TelemetryFields, TelemetryMetrics } from '../telemetry/contract';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

const M = TelemetryMetrics;
const F = TelemetryFields;
const FULL = 24;
const QUARTER = 6;
const HEIGHT = 6;

/** Properties of `AgentDashboard`. */
export interface AgentDashboardProps {
  readonly clientId: string;
  readonly agent: AgentConfig;
  /** Model ids the agent calls. */
  readonly models: string[];
  readonly metrics: TelemetryMetricFactory;
  /** The agent's alarms: its alarm-status widget lists them, its graphs draw their thresholds. */
  readonly alarms: SloAlarm[];
  /**
   * Where the generated runbooks are published (the header links their index).
   * @default - the library's runbook guide
   */
  readonly runbookBaseUrl?: string;
  /**
   * Width of the anomaly bands drawn, in standard deviations (the detectors' own).
   * @default - the spend anomaly detectors' default, `GOVERNANCE_DEFAULTS.anomalyBandStdDevs`
   */
  readonly anomalyBandStdDevs?: number;
}

/** A route's accuracy objectives in one table cell. */
function accuracyText(route: RouteConfig): string {
  const accuracy = route.slo.accuracy;
  if (!accuracy) return '—';
  return accuracy.evaluators.map((e) => [
    e.minPassRatePercent !== undefined ? `${e.id} pass rate ≥ ${e.minPassRatePercent}%` : undefined,
    e.minMeanScore !== undefined ? `${e.id} mean score ≥ ${e.minMeanScore}` : undefined,
  ].filter(Boolean).join(', ')).join('; ');
}

/**
 * One agent's dashboard: per route, latency p50/p95/p99 against the SLO (and time to first
 * token), error rates by cause, tokens by kind and cost; accuracy against the route's accuracy
 * SLO, evaluations and the feedback rate; per model, cost, tokens and prompt-cache
 * hit rate; sessions (steps, tool calls by tool, cost per session) and retrieval quality where the
 * agent records them; its alarms and owner. Split over pages when CloudWatch's limits require.
 */
export class AgentDashboard extends Construct {
  public readonly dashboards: cloudwatch.Dashboard[];
  public readonly dashboardName: string;

  public constructor(scope: Construct, id: string, props: AgentDashboardProps) {
    super(scope, id);
    const { agent, metrics, clientId } = props;
    const name = AiOpsNames.agentDashboard(clientId, agent.id);
    this.dashboardName = name;
    const title = agent.displayName ?? agent.id;
    const pages = new DashboardPages(this, name, (page, first) => [new cloudwatch.TextWidget({
      markdown: `# ${title} (page ${page})\nContinued from [${first}](#dashboards:name=${first}).`, width: FULL, height: 2,
    })]);

    const runbook = agent.runbookUrl ? `[runbook](${agent.runbookUrl})` : `[runbooks](${AiOpsNames.runbookIndexUrl(props.runbookBaseUrl)})`;
    // Each threshold drawn is the alarm's own: what the graph shows is what pages.
    const threshold = (kind: SloAlarmKind, route?: string) => {
      const alarm = props.alarms.find((a) => a.kind === kind && a.route === route);
      return alarm ? thresholdOf(alarm) : undefined;
    };
    const annotation = (value: number | undefined, label: (v: number) => string, color: string): cloudwatch.HorizontalAnnotation[] =>
      (value === undefined ? [] : [{ value, label: label(value), color }]);
    pages.addRow(new cloudwatch.TextWidget({
      width: FULL,
      height: 3 + Math.min(agent.routes.length, 10),
      markdown: [
        `# ${title}: agent \`${agent.id}\` of ${clientId}`,
        `Owner: team **${agent.owner.team}**, service \`${agent.owner.service}\`. ${runbook}. `
          + `Back to the [overview](#dashboards:name=${AiOpsNames.overviewDashboard(clientId)}).`,
        '',
        '| route | latency SLO p50 / p95 / p99 | error-rate SLO | accuracy SLO |',
        '|---|---|---|---|',
        ...agent.routes.map((r) => `| ${r.id}${r.description ? `: ${r.description}` : ''} | ${r.slo.latency.p50Ms} / ${r.slo.latency.p95Ms} / ${r.slo.latency.p99Ms} ms | ${r.slo.errorRatePercent}% | ${accuracyText(r)} |`),
      ].join('\n'),
    }));
    pages.addRow(...AlarmStatusByNameWidget.forAlarms(`Alarms of ${title}`, props.alarms.map((a) => a.alarmName)));

    for (const route of agent.routes) {
      const dims = { agent: agent.id, route: route.id };
      pages.addRow(
        new cloudwatch.GraphWidget({
          title: `${route.id}: latency p50 / p95 / p99 (ms) vs SLO`,
          width: QUARTER,
          height: HEIGHT,
          left: [
            metrics.metric(M.LATENCY_MS, dims, 'p50', { label: 'p50' }),
            metrics.metric(M.LATENCY_MS, dims, 'p95', { label: 'p95' }),
            metrics.metric(M.LATENCY_MS, dims, 'p99', { label: 'p99' }),
            metrics.metric(M.TIME_TO_FIRST_TOKEN_MS, dims, 'p95', { label: 'time to first token p95 (streaming)' }),
          ],
          leftAnnotations: [
            ...annotation(threshold(SloAlarmKind.LATENCY_P50, route.id), (v) => `p50 SLO ${v} ms`, cloudwatch.Color.GREEN),
            ...annotation(threshold(SloAlarmKind.LATENCY_P95, route.id), (v) => `p95 SLO ${v} ms`, cloudwatch.Color.ORANGE),
            ...annotation(threshold(SloAlarmKind.LATENCY_P99, route.id), (v) => `p99 SLO ${v} ms`, cloudwatch.Color.RED),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `${route.id}: error rates (% of calls)`,
          width: QUARTER,
          height: HEIGHT,
          left: [
            metrics.ratePercent(M.MODEL_ERRORS, dims, { label: 'model errors' }),
            metrics.ratePercent(M.APP_ERRORS, dims, { label: 'application errors' }),
            metrics.ratePercent(M.THROTTLES, dims, { label: 'throttled' }),
          ],
          leftAnnotations: annotation(threshold(SloAlarmKind.MODEL_ERROR_RATE, route.id), (v) => `error SLO ${v}%`, cloudwatch.Color.RED),
          leftYAxis: { min: 0, label: '%', showUnits: false },
        }),
        new cloudwatch.GraphWidget({
          title: `${route.id}: tokens per 5 minutes`,
          width: QUARTER,
          height: HEIGHT,
          stacked: true,
          left: [
            metrics.sum(M.INPUT_TOKENS, dims, { label: 'input (uncached)' }),
            metrics.sum(M.CACHE_READ_TOKENS, dims, { label: 'cache read' }),
            metrics.sum(M.CACHE_WRITE_TOKENS, dims, { label: 'cache write' }),
            metrics.sum(M.OUTPUT_TOKENS, dims, { label: 'output' }),
          ],
        }),
        new cloudwatch.GraphWidget({
          title: `${route.id}: cost (USD per 5 minutes, and per call)`,
          width: QUARTER,
          height: HEIGHT,
          left: [metrics.sum(M.COST_USD, dims, { label: 'USD per 5 minutes' })],
          right: [metrics.costPerCall(dims, { label: 'USD per call' })],
        }),
      );
    }

    for (const row of agentQualityRows(agent, props.models, metrics)) pages.addRow(...row);

    const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));
    const models = props.models;
    pages.addRow(
      new cloudwatch.GraphWidget({
        title: 'Cost by model (USD per hour)',
        width: QUARTER,
        height: HEIGHT,
        stacked: true,
        left: models.map((model) => hourly.sum(M.COST_USD, { agent: agent.id, model }, { label: model })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Tokens by model (all kinds, per hour)',
        width: QUARTER,
        height: HEIGHT,
        stacked: true,
        left: models.map((model) => hourly.totalTokens({ agent: agent.id, model }, { label: model })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Prompt-cache hit rate by model (% of input tokens read from cache)',
        width: QUARTER,
        height: HEIGHT,
        left: models.map((model) => hourly.cacheHitRatePercent({ agent: agent.id, model }, { label: model })),
        leftAnnotations: annotation(threshold(SloAlarmKind.PROMPT_CACHE_HIT_RATE), (v) => `floor ${v}%`, cloudwatch.Color.RED),
        leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency p95 by model (ms)',
        width: QUARTER,
        height: HEIGHT,
        left: models.map((model) => metrics.metric(M.LATENCY_MS, { agent: agent.id, model }, 'p95', { label: model })),
      }),
    );

    const stdDevs = props.anomalyBandStdDevs ?? GOVERNANCE_DEFAULTS.anomalyBandStdDevs;
    const agentDims = { agent: agent.id };
    const spend = hourly.sum(M.COST_USD, agentDims, { label: 'USD per hour' });
    const hitRate = hourly.cacheHitRatePercent(agentDims, { label: 'prompt-cache hit rate (%)' });
    pages.addRow(
      new cloudwatch.GraphWidget({
        title: 'Spend and its anomaly band (USD per hour)',
        width: 12,
        height: HEIGHT,
        left: [spend, hourly.anomalyBand(spend, 'spendBand', agentDims, stdDevs, 'expected range (anomaly band)')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Prompt-cache hit rate and its anomaly band (%)',
        width: 12,
        height: HEIGHT,
        left: [hitRate, hourly.anomalyBand(hitRate, 'hitBand', agentDims, stdDevs, 'expected range (anomaly band)')],
        leftYAxis: { min: 0, max: 100, showUnits: false },
      }),
    );

    if (agent.recordsSessions) {
      const dims = { agent: agent.id };
      pages.addRow(
        new cloudwatch.GraphWidget({
          title: 'Agent steps per session (p50 / p99)',
          width: QUARTER,
          height: HEIGHT,
          left: [metrics.metric(M.SESSION_STEPS, dims, 'p50', { label: 'p50' }), metrics.metric(M.SESSION_STEPS, dims, 'p99', { label: 'p99' })],
        }),
        new cloudwatch.GraphWidget({
          title: 'Tool calls per session (p50 / p99)',
          width: QUARTER,
          height: HEIGHT,
          left: [metrics.metric(M.SESSION_TOOL_CALLS, dims, 'p50', { label: 'p50' }), metrics.metric(M.SESSION_TOOL_CALLS, dims, 'p99', { label: 'p99' })],
        }),
        new cloudwatch.GraphWidget({
          title: 'Tool calls by tool (per 5 minutes)',
          width: QUARTER,
          height: HEIGHT,
          stacked: true,
          // Tool names are not in the config: a search finds every tool the agent reported.
          left: [new cloudwatch.MathExpression({
            expression: `SEARCH('{${metrics.namespace},${F.AGENT.name},${F.TOOL.name}} MetricName="${M.TOOL_CALLS.name}" ${F.AGENT.name}="${agent.id}"', 'Sum', 300)`,
            label: '',
            period: Duration.minutes(5),
          })],
        }),
        new cloudwatch.GraphWidget({
          title: 'Cost per session (USD: average / p99) and failed sessions',
          width: QUARTER,
          height: HEIGHT,
          left: [
            metrics.metric(M.SESSION_COST_USD, dims, cloudwatch.Stats.AVERAGE, { label: 'average' }),
            metrics.metric(M.SESSION_COST_USD, dims, 'p99', { label: 'p99' }),
          ],
          right: [metrics.sum(M.SESSION_FAILURES, dims, { label: 'failed sessions' })],
        }),
      );
    }

    if (agent.retrieval) {
      const dims = { agent: agent.id };
      pages.addRow(
        new cloudwatch.GraphWidget({
          title: 'Retrieval quality: recall@k and precision@k (average, labelled queries)',
          width: QUARTER,
          height: HEIGHT,
          left: [
            metrics.metric(M.RETRIEVAL_RECALL_AT_K, dims, cloudwatch.Stats.AVERAGE, { label: 'recall@k' }),
            metrics.metric(M.RETRIEVAL_PRECISION_AT_K, dims, cloudwatch.Stats.AVERAGE, { label: 'precision@k' }),
          ],
          leftYAxis: { min: 0, max: 1, showUnits: false },
        }),
        new cloudwatch.GraphWidget({
          title: 'Index staleness (hours since refresh, maximum)',
          width: QUARTER,
          height: HEIGHT,
          left: [metrics.metric(M.RETRIEVAL_INDEX_AGE_HOURS, dims, cloudwatch.Stats.MAXIMUM, { label: 'index age (h)' })],
          leftAnnotations: annotation(threshold(SloAlarmKind.RETRIEVAL_STALENESS), (v) => `stale after ${v} h`, cloudwatch.Color.RED),
        }),
        new cloudwatch.GraphWidget({
          title: 'Retrieval-cache hit rate (% of retrievals)',
          width: QUARTER,
          height: HEIGHT,
          left: [metrics.retrievalCacheHitRatePercent(agent.id)],
          leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
        }),
        new cloudwatch.GraphWidget({
          title: 'Documents per retrieval (average) and retrievals',
          width: QUARTER,
          height: HEIGHT,
          left: [metrics.metric(M.RETRIEVAL_HITS, dims, cloudwatch.Stats.AVERAGE, { label: 'documents per retrieval' })],
          right: [metrics.sum(M.RETRIEVALS, dims, { label: 'retrieval count' })],
        }),
      );
    }

    this.dashboards = pages.createDashboards();
  }
}

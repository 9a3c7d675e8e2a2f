import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { chunked, DashboardPages } from './pages';
import { overviewQualityRows } from './quality-widgets';
import { TenantRule } from './top-tenants';
import { AlarmStatusByNameWidget, ContributorInsightsWidget } from './widgets';
import { AiOpsNames } from '../common/names';
import { GOVERNANCE_DEFAULTS } from '../config/defaults';
import { ClientConfig } from '../config/types';
import { ModelProvider } from '../pricing/price-catalog';
import { BedrockMetrics, TelemetryMetrics } from '../telemetry/contract';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

const M = TelemetryMetrics;
const FULL = 24;
const THIRD = 8;
const HALF = 12;
const QUARTER_WIDTH = 6;
const HEIGHT = 6;
/** Series per graph before a graph is split: CloudWatch allows 500, people read about 20. */
const SERIES_PER_GRAPH = 20;

const BEDROCK = BedrockMetrics;

/** Properties of `OverviewDashboard`. */
export interface OverviewDashboardProps {
  readonly config: ClientConfig;
  readonly metrics: TelemetryMetricFactory;
  /** The alarms the overview lists (what pages, client-wide first). */
  readonly alarmNames: string[];
  /** Contributor Insights rules ranking tenants. */
  readonly tenantsByCost: TenantRule[];
  /**
   * Width of the spend anomaly bands drawn, in standard deviations (the detectors' own).
   * @default - the spend anomaly detectors' default, `GOVERNANCE_DEFAULTS.anomalyBandStdDevs`
   */
  readonly anomalyBandStdDevs?: number;
  readonly tenantsByTokens: TenantRule[];
}

/**
 * The client's overview: spend, cost per transaction, latency, error rates and cache hit rates by
 * agent and model; a quality row (accuracy by route at the alarms' bound, evaluations, feedback
 * rate); the provider's own Bedrock metrics; top tenants by cost and tokens; the status of
 * every alarm; who owns each agent and where its runbook is. Split over pages when CloudWatch's
 * limits require, never truncated.
 */
export class OverviewDashboard extends Construct {
  public readonly dashboards: cloudwatch.Dashboard[];
  public readonly dashboardName: string;

  public constructor(scope: Construct, id: string, props: OverviewDashboardProps) {
    super(scope, id);
    const { config, metrics } = props;
    const name = AiOpsNames.overviewDashboard(config.clientId);
    this.dashboardName = name;
    const pages = new DashboardPages(this, name, (page, first) => [new cloudwatch.TextWidget({
      markdown: `# ${config.displayName}: AI operations overview (page ${page})\nContinued from [${first}](#dashboards:name=${first}).`,
      width: FULL,
      height: 2,
    })]);
    const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));
    const agents = config.agents;

    pages.addRow(new cloudwatch.TextWidget({
      width: FULL,
      height: 4 + Math.min(agents.length, 12),
      markdown: [
        `# ${config.displayName}: AI operations overview`,
        `SLA tier **${config.slaTier}**, posture **${config.posture ?? 'primary'}**, metrics namespace \`${metrics.namespace}\`. `
          + 'Costs are computed by the telemetry helper at the prices in force on each call\'s date.',
        '',
        '| agent | owner team | service | dashboard | runbook |',
        '|---|---|---|---|---|',
        ...agents.map((a) => {
          const dashboard = AiOpsNames.agentDashboard(config.clientId, a.id);
          const runbook = a.runbookUrl ?? AiOpsNames.runbookIndexUrl(config.runbookBaseUrl);
          return `| ${a.displayName ?? a.id} | ${a.owner.team} | \`${a.owner.service}\` | [${dashboard}](#dashboards:name=${dashboard}) | [runbook](${runbook}) |`;
        }),
      ].join('\n'),
    }));
    pages.addRow(...AlarmStatusByNameWidget.forAlarms(`Alarms of ${config.displayName}`, props.alarmNames));

    pages.addRow(
      new cloudwatch.GraphWidget({
        title: 'Spend, all agents (USD per hour)',
        width: THIRD,
        height: HEIGHT,
        left: [hourly.sum(M.COST_USD, {}, { label: 'USD per hour' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Tokens, all agents, by kind (per hour)',
        width: THIRD,
        height: HEIGHT,
        stacked: true,
        left: [
          hourly.sum(M.INPUT_TOKENS, {}, { label: 'input (uncached)' }),
          hourly.sum(M.CACHE_READ_TOKENS, {}, { label: 'cache read' }),
          hourly.sum(M.CACHE_WRITE_TOKENS, {}, { label: 'cache write' }),
          hourly.sum(M.OUTPUT_TOKENS, {}, { label: 'output' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Cost per call and prompt-cache hit rate, all agents',
        width: THIRD,
        height: HEIGHT,
        left: [hourly.costPerCall({}, { label: 'USD per call' })],
        right: [hourly.cacheHitRatePercent({}, { label: 'prompt-cache hit rate (%)' })],
        rightYAxis: { min: 0, max: 100, showUnits: false },
      }),
    );

    const stdDevs = props.anomalyBandStdDevs ?? GOVERNANCE_DEFAULTS.anomalyBandStdDevs;
    const band = (title: string, dims: { model?: string }, label: string) => {
      const spend = hourly.sum(M.COST_USD, dims, { label });
      return new cloudwatch.GraphWidget({
        title,
        width: THIRD,
        height: HEIGHT,
        left: [spend, hourly.anomalyBand(spend, 'spendBand', dims, stdDevs, 'expected range (anomaly band)')],
      });
    };
    const models = [...new Set(config.models.map((m) => m.modelId))];
    pages.addRow(
      band('Spend and its anomaly band, all agents (USD per hour)', {}, 'USD per hour'),
      ...models.map((model) => band(`Spend and its anomaly band, model ${model} (USD per hour)`, { model }, model)),
    );
    pages.addRow(
      new cloudwatch.GraphWidget({
        title: 'Spend by model (USD per hour)',
        width: HALF,
        height: HEIGHT,
        stacked: true,
        left: models.map((model) => hourly.sum(M.COST_USD, { model }, { label: model })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Latency p95 by model (ms) and throttles',
        width: HALF,
        height: HEIGHT,
        left: models.map((model) => metrics.metric(M.LATENCY_MS, { model }, 'p95', { label: `${model} p95` })),
        right: models.map((model) => metrics.sum(M.THROTTLES, { model }, { label: `${model} throttled` })),
      }),
    );

    // Per-agent series, at most SERIES_PER_GRAPH a graph.
    const agentGroups = chunked(agents, SERIES_PER_GRAPH);
    const part = (title: string, index: number) => (agentGroups.length > 1 ? `${title} (${index + 1}/${agentGroups.length})` : title);
    agentGroups.forEach((group, index) => {
      pages.addRow(
        new cloudwatch.GraphWidget({
          title: part('Spend by agent (USD per hour)', index),
          width: THIRD,
          height: HEIGHT,
          stacked: true,
          left: group.map((a) => hourly.sum(M.COST_USD, { agent: a.id }, { label: a.id })),
        }),
        new cloudwatch.GraphWidget({
          title: part('Cost per call by agent (USD)', index),
          width: THIRD,
          height: HEIGHT,
          left: group.map((a) => hourly.costPerCall({ agent: a.id }, { label: a.id })),
        }),
        new cloudwatch.GraphWidget({
          title: part('Latency p95 by agent (ms)', index),
          width: THIRD,
          height: HEIGHT,
          left: group.map((a) => metrics.metric(M.LATENCY_MS, { agent: a.id }, 'p95', { label: a.id })),
        }),
      );
      pages.addRow(
        new cloudwatch.GraphWidget({
          title: part('Model-error rate by agent (% of calls)', index),
          width: THIRD,
          height: HEIGHT,
          left: group.map((a) => metrics.ratePercent(M.MODEL_ERRORS, { agent: a.id }, { label: a.id })),
          leftYAxis: { min: 0, showUnits: false },
        }),
        new cloudwatch.GraphWidget({
          title: part('Application-error rate by agent (% of calls)', index),
          width: THIRD,
          height: HEIGHT,
          left: group.map((a) => metrics.ratePercent(M.APP_ERRORS, { agent: a.id }, { label: a.id })),
          leftYAxis: { min: 0, showUnits: false },
        }),
        new cloudwatch.GraphWidget({
          title: part('Throttle rate by agent (% of calls)', index),
          width: THIRD,
          height: HEIGHT,
          left: group.map((a) => metrics.ratePercent(M.THROTTLES, { agent: a.id }, { label: a.id })),
          leftYAxis: { min: 0, showUnits: false },
        }),
      );
      const sessionAgents = group.filter((a) => a.recordsSessions);
      const retrievalAgents = group.filter((a) => a.retrieval);
      pages.addRow(
        new cloudwatch.GraphWidget({
          title: part('Prompt-cache hit rate by agent (% of input tokens)', index),
          width: THIRD,
          height: HEIGHT,
          left: group.map((a) => hourly.cacheHitRatePercent({ agent: a.id }, { label: a.id })),
          leftYAxis: { min: 0, max: 100, showUnits: false },
        }),
        ...(sessionAgents.length > 0 ? [new cloudwatch.GraphWidget({
          title: part('Cost per agent session (USD, average)', index),
          width: THIRD,
          height: HEIGHT,
          left: sessionAgents.map((a) => hourly.metric(M.SESSION_COST_USD, { agent: a.id }, cloudwatch.Stats.AVERAGE, { label: a.id })),
        })] : []),
        ...(retrievalAgents.length > 0 ? [new cloudwatch.GraphWidget({
          title: part('Retrieval-cache hit rate by agent (% of retrievals)', index),
          width: THIRD,
          height: HEIGHT,
          left: retrievalAgents.map((a) => hourly.retrievalCacheHitRatePercent(a.id, { label: a.id })),
          leftYAxis: { min: 0, max: 100, showUnits: false },
        })] : []),
      );
    });

    for (const row of overviewQualityRows(agents, metrics, SERIES_PER_GRAPH)) pages.addRow(...row);

    const bedrockModels = [...new Set(config.models.filter((m) => m.provider === ModelProvider.AWS_BEDROCK).map((m) => m.modelId))];
    if (bedrockModels.length > 0) {
      const bedrock = (metricName: string, statistic: string, model: string, label = model) => new cloudwatch.Metric({
        namespace: BEDROCK.NAMESPACE, metricName, dimensionsMap: { [BEDROCK.DIMENSION]: model }, statistic, period: Duration.minutes(5), label,
      });
      for (const [index, group] of chunked(bedrockModels, SERIES_PER_GRAPH).entries()) {
        const suffix = bedrockModels.length > SERIES_PER_GRAPH ? ` (${index + 1})` : '';
        pages.addRow(
          new cloudwatch.GraphWidget({
            title: `Bedrock (provider side): invocations by ModelId${suffix}`,
            width: QUARTER_WIDTH,
            height: HEIGHT,
            left: group.map((model) => bedrock(BEDROCK.INVOCATIONS, cloudwatch.Stats.SUM, model)),
          }),
          new cloudwatch.GraphWidget({
            title: `Bedrock (provider side): invocation latency p95 (ms)${suffix}`,
            width: QUARTER_WIDTH,
            height: HEIGHT,
            left: group.map((model) => bedrock(BEDROCK.LATENCY, 'p95', model)),
          }),
          new cloudwatch.GraphWidget({
            title: `Bedrock (provider side): input and output tokens${suffix}`,
            width: QUARTER_WIDTH,
            height: HEIGHT,
            left: group.flatMap((model) => [
              bedrock(BEDROCK.INPUT_TOKENS, cloudwatch.Stats.SUM, model, `${model} input`),
              bedrock(BEDROCK.OUTPUT_TOKENS, cloudwatch.Stats.SUM, model, `${model} output`),
            ]),
          }),
          new cloudwatch.GraphWidget({
            title: `Bedrock (provider side): throttles, client and server errors${suffix}`,
            width: QUARTER_WIDTH,
            height: HEIGHT,
            left: group.flatMap((model) => [
              bedrock(BEDROCK.THROTTLES, cloudwatch.Stats.SUM, model, `${model} throttles`),
              bedrock(BEDROCK.CLIENT_ERRORS, cloudwatch.Stats.SUM, model, `${model} client errors`),
              bedrock(BEDROCK.SERVER_ERRORS, cloudwatch.Stats.SUM, model, `${model} server errors`),
            ]),
          }),
        );
      }
    }

    const ruleTitle = (what: string, rule: TenantRule) => (rule.parts > 1 ? `${what} (log groups part ${rule.part}/${rule.parts})` : what);
    props.tenantsByCost.forEach((rule, i) => {
      const tokens = props.tenantsByTokens[i];
      pages.addRow(
        new ContributorInsightsWidget(ruleTitle('Top tenants by cost (USD, from the telemetry logs)', rule), rule.ruleName, HALF),
        new ContributorInsightsWidget(ruleTitle('Top tenants by tokens (from the telemetry logs)', tokens), tokens.ruleName, HALF),
      );
    });

    this.dashboards = pages.createDashboards();
  }
}

import { Duration } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmFactory, AnomalyAlarmProps, MetricAlarmProps, SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { AiOpsNames } from '../common/names';
import { GOVERNANCE_DEFAULTS, awsBilledMonthlyUsd } from '../config/defaults';
import { AgentConfig, ClientConfig, GovernanceConfig, Severity } from '../config/types';
import { TenantRule } from '../dashboards/top-tenants';
import { TelemetryMetrics } from '../telemetry/contract';
import { SeriesDimensions, TelemetryMetricFactory } from '../telemetry/metric-factory';

const M = TelemetryMetrics;
/** Average hours and days in a month: budgets are monthly, alarms hourly and daily. */
export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = 30.4;
/** Burn-rate thresholds, multiples of the budget's daily share: warn, then page. */
export const BURN_WARNING_MULTIPLE = 1.5;
export const BURN_PAGE_MULTIPLE = 3;
/** Tenant share counts only in hours that spent at least this fraction of the budgeted hourly rate. */
const TENANT_SHARE_MINIMUM_SPEND_FRACTION = 0.1;
/** The SERVICE dimension value of Bedrock in Cost Explorer, Budgets and Cost Anomaly Detection. */
const BEDROCK_SERVICE = 'Amazon Bedrock';

/** The governance settings with their defaults applied. */
export interface GovernanceSettings {
  readonly anomalyBandStdDevs: number;
  readonly anomalyDatapointsToAlarm: number;
  readonly anomalyEvaluationHours: number;
  readonly excludedTimeRanges?: GovernanceConfig['excludedTimeRanges'];
  readonly spendRateMultiplier: number;
  readonly maxTenantSharePercent: number;
  readonly costAnomalyMonitor: boolean;
  readonly costAnomalyThresholdUsd: number;
}

/** The governance settings of a config, defaults applied. */
export function governanceSettings(config: ClientConfig): GovernanceSettings {
  const g = config.governance ?? {};
  const D = GOVERNANCE_DEFAULTS;
  return {
    anomalyBandStdDevs: g.anomalyBandStdDevs ?? D.anomalyBandStdDevs,
    anomalyDatapointsToAlarm: g.anomalyDatapointsToAlarm ?? D.anomalyDatapointsToAlarm,
    anomalyEvaluationHours: g.anomalyEvaluationHours ?? D.anomalyEvaluationHours,
    excludedTimeRanges: g.excludedTimeRanges,
    spendRateMultiplier: g.spendRateMultiplier ?? D.spendRateMultiplier,
    maxTenantSharePercent: g.maxTenantSharePercent ?? D.maxTenantSharePercent,
    costAnomalyMonitor: g.costAnomalyMonitor ?? D.costAnomalyMonitor,
    costAnomalyThresholdUsd: g.costAnomalyThresholdUsd ?? D.costAnomalyThresholdUsd,
  };
}

/** One guard alarm before it is created. */
export interface GuardSpec {
  readonly kind: SloAlarmKind;
  /** The agent it guards. @default - client-wide */
  readonly agentId?: string;
  /** What else names it (a model, a rule part). @default - nothing */
  readonly qualifier?: string;
  /** The model it guards, for its runbook. @default - none */
  readonly modelId?: string;
  readonly what: string;
  readonly condition: string;
  readonly owner: string;
}

/** What every guard of one construct shares: the factory, links, and the list it adds to. */
interface GuardContext {
  readonly scope: Construct;
  readonly factory: AlarmFactory;
  readonly dashboardUrl: string;
  /** The owner's own runbook, which wins over the generated ones. */
  readonly ownRunbookUrl?: string;
  readonly alarms: SloAlarm[];
}

type GuardAlarm = Omit<MetricAlarmProps, keyof GuardSpec | 'owner'> | Omit<AnomalyAlarmProps, keyof GuardSpec | 'owner'>;

/** Creates, describes and routes one guard alarm through the factory. */
function addGuard(ctx: GuardContext, id: string, spec: GuardSpec, alarm: GuardAlarm): SloAlarm {
  const common = { ...spec, runbookUrl: ctx.ownRunbookUrl, dashboardUrl: ctx.dashboardUrl };
  const created = 'stdDevs' in alarm
    ? ctx.factory.addAnomalyAlarm(ctx.scope, id, { ...common, ...alarm })
    : ctx.factory.addAlarm(ctx.scope, id, { ...common, ...alarm });
  ctx.alarms.push(created);
  return created;
}

/** The anomaly model of a plain metric, told which periods not to learn from. */
function excludeRanges(scope: Construct, id: string, metric: cloudwatch.Metric, settings: GovernanceSettings): void {
  if (!settings.excludedTimeRanges?.length) return;
  const stat = metric.toMetricConfig().metricStat!;
  const utc = (time: string) => time.replace(/(\.\d+)?Z$/, '');
  new cloudwatch.CfnAnomalyDetector(scope, id, {
    singleMetricAnomalyDetector: {
      namespace: stat.namespace,
      metricName: stat.metricName,
      dimensions: stat.dimensions?.map((d) => ({ name: d.name, value: String(d.value) })),
      stat: stat.statistic,
    },
    configuration: {
      excludedTimeRanges: settings.excludedTimeRanges.map((range) => ({ startTime: utc(range.start), endTime: utc(range.end) })),
      metricTimeZone: 'UTC',
    },
  });
}

interface AnomalySpec {
  readonly id: string;
  /** The agent it guards; none for client-wide. */
  readonly agentId?: string;
  /** The model it guards. */
  readonly modelId?: string;
  readonly label: string;
  readonly dims: SeriesDimensions;
  readonly owner: string;
}

/** An upper-band spend anomaly alarm on an hourly cost series. */
function spendAnomaly(ctx: GuardContext, spec: AnomalySpec, metrics: TelemetryMetricFactory, settings: GovernanceSettings): void {
  const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));
  const { anomalyBandStdDevs: stdDevs, anomalyEvaluationHours: hours, anomalyDatapointsToAlarm: datapoints } = settings;
  const metric = hourly.sum(M.COST_USD, spec.dims, { label: `${spec.label} USD per hour` });
  addGuard(ctx, spec.id, {
    kind: SloAlarmKind.SPEND_ANOMALY,
    agentId: spec.agentId,
    qualifier: spec.modelId === undefined ? undefined : AiOpsNames.slug(spec.modelId),
    modelId: spec.modelId,
    owner: spec.owner,
    what: `spend of ${spec.label} is above its usual range`,
    condition: `hourly cost above the anomaly band (${stdDevs} standard deviations) in ${datapoints} of ${hours} hours; spend dropping is not an incident`,
  }, {
    metric,
    stdDevs,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: hours,
    datapointsToAlarm: datapoints,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  excludeRanges(ctx.scope, `${spec.id}Model`, hourly.sum(M.COST_USD, spec.dims), settings);
}

/** Properties of `AgentSpendGuards`. */
export interface AgentSpendGuardsProps {
  readonly config: ClientConfig;
  readonly agent: AgentConfig;
  readonly metrics: TelemetryMetricFactory;
  /** Builds, names, describes and routes every alarm. */
  readonly factory: AlarmFactory;
  readonly dashboardUrl: string;
}

/**
 * One agent's token-spend guards: a spend anomaly detector (upper band), a prompt-cache hit-rate
 * anomaly detector (lower band), the spend-rate P1 and daily burn-rate alarms against its budget,
 * and runaway-session limits where configured.
 */
export class AgentSpendGuards extends Construct {
  public readonly alarms: SloAlarm[] = [];

  public constructor(scope: Construct, id: string, props: AgentSpendGuardsProps) {
    super(scope, id);
    const { agent, metrics, config } = props;
    const ctx: GuardContext = {
      scope: this, factory: props.factory, dashboardUrl: props.dashboardUrl, ownRunbookUrl: agent.runbookUrl, alarms: this.alarms,
    };
    const settings = governanceSettings(config);
    const owner = `team ${agent.owner.team}, service ${agent.owner.service}`;
    const dims = { agent: agent.id };
    const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));

    spendAnomaly(ctx, { id: 'SpendAnomaly', agentId: agent.id, label: `agent ${agent.id}`, dims, owner }, metrics, settings);

    const { anomalyBandStdDevs: stdDevs, anomalyEvaluationHours: hours, anomalyDatapointsToAlarm: datapoints } = settings;
    addGuard(ctx, 'CacheHitAnomaly', {
      kind: SloAlarmKind.CACHE_HIT_ANOMALY,
      agentId: agent.id,
      owner,
      what: `the prompt-cache hit rate of agent ${agent.id} fell below its usual range`,
      condition: `hourly cache reads / all input tokens below the anomaly band (${stdDevs} standard deviations) in ${datapoints} of ${hours} hours`,
    }, {
      metric: hourly.cacheHitRatePercent(dims),
      stdDevs,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: datapoints,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const monthly = config.budgets.perAgentMonthlyUsd?.[agent.id];
    if (monthly !== undefined) {
      budgetAlarms(ctx, { what: `agent ${agent.id}`, agentId: agent.id, dims, monthlyUsd: monthly, owner }, metrics, settings.spendRateMultiplier);
    }

    const limits = agent.sessionLimits ?? {};
    const limit = (kind: SloAlarmKind, alarmId: string, metric: typeof M.SESSION_STEPS, statistic: string, max: number | undefined, what: string) => {
      if (max === undefined) return;
      addGuard(ctx, alarmId, {
        kind,
        agentId: agent.id,
        owner,
        what: `agent ${agent.id} runs away: ${what}`,
        condition: `${statistic} of ${what} per session in an hour > ${max}`,
      }, {
        metric: hourly.metric(metric, dims, statistic),
        threshold: max,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    };
    limit(SloAlarmKind.SESSION_STEPS, 'SessionSteps', M.SESSION_STEPS, 'p99', limits.maxStepsPerSession, 'steps');
    limit(SloAlarmKind.SESSION_TOOL_CALLS, 'SessionToolCalls', M.SESSION_TOOL_CALLS, 'p99', limits.maxToolCallsPerSession, 'tool calls');
    limit(SloAlarmKind.SESSION_TOKENS, 'SessionTokens', M.SESSION_TOKENS, 'p99', limits.maxTokensPerSession, 'tokens');
    limit(SloAlarmKind.SESSION_COST, 'SessionCost', M.SESSION_COST_USD, cloudwatch.Stats.MAXIMUM, limits.maxSessionCostUsd, 'cost in USD');
  }
}


interface BudgetSpec {
  readonly what: string;
  /** The agent it guards; none for client-wide. */
  readonly agentId?: string;
  readonly dims: SeriesDimensions;
  readonly monthlyUsd: number;
  readonly owner: string;
}

/** The spend-rate P1 and the daily burn-rate warning and page against a monthly budget. */
function budgetAlarms(ctx: GuardContext, spec: BudgetSpec, metrics: TelemetryMetricFactory, multiplier: number): void {
  const { what, agentId, dims, monthlyUsd, owner } = spec;
  const hourlyRate = monthlyUsd / HOURS_PER_MONTH;
  const dailyShare = monthlyUsd / DAYS_PER_MONTH;
  const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));
  const daily = new TelemetryMetricFactory(metrics.namespace, Duration.days(1));
  const round = (usd: number) => Math.round(usd * 100) / 100;
  addGuard(ctx, 'SpendRate', {
    kind: SloAlarmKind.SPEND_RATE,
    agentId,
    owner,
    what: `spend of ${what} runs at over ${multiplier}x its budgeted rate`,
    condition: `an hour's cost > ${round(multiplier * hourlyRate)} USD (${multiplier} x ${monthlyUsd} USD / ${HOURS_PER_MONTH} h)`,
  }, {
    metric: hourly.sum(M.COST_USD, dims),
    threshold: round(multiplier * hourlyRate),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  for (const [kind, alarmId, multiple] of [
    [SloAlarmKind.BUDGET_BURN_WARNING, 'BudgetBurnWarning', BURN_WARNING_MULTIPLE],
    [SloAlarmKind.BUDGET_BURN, 'BudgetBurn', BURN_PAGE_MULTIPLE],
  ] as const) {
    addGuard(ctx, alarmId, {
      kind,
      agentId,
      owner,
      what: `${what} spent ${multiple}x its daily share of the monthly budget`,
      condition: `a day's cost > ${round(multiple * dailyShare)} USD (${multiple} x ${monthlyUsd} USD / ${DAYS_PER_MONTH} days)`,
    }, {
      metric: daily.sum(M.COST_USD, dims),
      threshold: round(multiple * dailyShare),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

const insight = (ruleName: string, metric: string) => `INSIGHT_RULE_METRIC('${ruleName}', '${metric}')`;

/** Properties of `ClientSpendGuards`. */
export interface ClientSpendGuardsProps {
  readonly config: ClientConfig;
  readonly metrics: TelemetryMetricFactory;
  /** Builds, names, describes and routes every alarm. */
  readonly factory: AlarmFactory;
  readonly dashboardUrl: string;
  /** The Contributor Insights rules ranking tenants by cost. */
  readonly tenantsByCost: TenantRule[];
}

/**
 * The client-wide spend guards: spend anomaly detectors per model and in total, the total
 * spend-rate and burn-rate alarms, the one-tenant-share alarm and, when the client calls Bedrock,
 * an AWS Budgets budget and an AWS Cost Anomaly Detection monitor on what AWS bills, both
 * delivered to the P2 topic.
 */
export class ClientSpendGuards extends Construct {
  public readonly alarms: SloAlarm[] = [];
  /**
   * The AWS budget on Amazon Bedrock, at `budgets.awsBilledMonthlyUsd`.
   * @default - none when no model is on Bedrock: AWS bills none of the model spend
   */
  public readonly budget?: budgets.CfnBudget;
  /**
   * Cost Anomaly Detection on Amazon Bedrock.
   * @default - none when no model is on Bedrock or `governance.costAnomalyMonitor` is false
   */
  public readonly costAnomalyMonitor?: ce.CfnAnomalyMonitor;

  public constructor(scope: Construct, id: string, props: ClientSpendGuardsProps) {
    super(scope, id);
    const { config, metrics } = props;
    const ctx: GuardContext = { scope: this, factory: props.factory, dashboardUrl: props.dashboardUrl, alarms: this.alarms };
    const settings = governanceSettings(config);
    const owner = 'the on-call of the client';

    spendAnomaly(ctx, { id: 'SpendAnomaly', label: 'all agents', dims: {}, owner }, metrics, settings);
    // Named from the model id, never its position: reordering the models renames nothing.
    [...new Set(config.models.map((m) => m.modelId))].forEach((model) => {
      spendAnomaly(ctx, { id: `SpendAnomalyModel-${AiOpsNames.slug(model)}`, modelId: model, label: `model ${model}`, dims: { model }, owner }, metrics, settings);
    });
    budgetAlarms(ctx, { what: `client ${config.clientId}`, dims: {}, monthlyUsd: config.budgets.monthlyUsd, owner }, metrics, settings.spendRateMultiplier);

    const hourlyRate = config.budgets.monthlyUsd / HOURS_PER_MONTH;
    const minimumSpend = Math.round(TENANT_SHARE_MINIMUM_SPEND_FRACTION * hourlyRate * 100) / 100;
    for (const rule of props.tenantsByCost) {
      const qualifier = rule.parts > 1 ? `part-${rule.part}` : undefined;
      const alarmId = rule.parts > 1 ? `TenantShare${rule.part}` : 'TenantShare';
      addGuard(ctx, alarmId, {
        kind: SloAlarmKind.TENANT_SHARE,
        qualifier,
        owner,
        what: `one tenant made more than ${settings.maxTenantSharePercent}% of an hour's spend`,
        condition: `the top tenant's cost / all cost in the hour > ${settings.maxTenantSharePercent}% (hours spending under ${minimumSpend} USD count as healthy)`,
      }, {
        // Contributor Insights metrics enter metric math through INSIGHT_RULE_METRIC.
        metric: new cloudwatch.MathExpression({
          expression: `IF(${insight(rule.ruleName, 'Sum')} >= ${minimumSpend}, 100 * ${insight(rule.ruleName, 'MaxContributorValue')} / ${insight(rule.ruleName, 'Sum')}, 0)`,
          usingMetrics: {},
          label: 'top tenant share of spend (%)',
          period: Duration.hours(1),
        }),
        threshold: settings.maxTenantSharePercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // AWS Budgets and Cost Anomaly Detection see only what AWS bills: nothing to watch without Bedrock.
    const awsBilled = awsBilledMonthlyUsd(config);
    if (awsBilled === undefined) return;
    // They publish to a topic, not through alarm actions: the router names it, whatever router it is.
    const router = props.factory.router;
    const budgetTopic = router.serviceTopic(Severity.P2, 'budgets.amazonaws.com');
    this.budget = new budgets.CfnBudget(this, 'BedrockBudget', {
      budget: {
        budgetName: `${config.clientId}-ai-ops-bedrock`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: awsBilled, unit: 'USD' },
        costFilters: { Service: [BEDROCK_SERVICE] },
      },
      notificationsWithSubscribers: (['ACTUAL', 'FORECASTED'] as const).flatMap((notificationType) => [80, 100].map((threshold) => ({
        notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
        subscribers: [{ subscriptionType: 'SNS', address: budgetTopic.topicArn }],
      }))),
    });
    if (settings.costAnomalyMonitor) {
      const anomalyTopic = router.serviceTopic(Severity.P2, 'costalerts.amazonaws.com');
      this.costAnomalyMonitor = new ce.CfnAnomalyMonitor(this, 'CostAnomalyMonitor', {
        monitorName: `${config.clientId}-ai-ops-bedrock`,
        monitorType: 'CUSTOM',
        monitorSpecification: JSON.stringify({ Dimensions: { Key: 'SERVICE', Values: [BEDROCK_SERVICE], MatchOptions: ['EQUALS'] } }),
      });
      new ce.CfnAnomalySubscription(this, 'CostAnomalySubscription', {
        subscriptionName: `${config.clientId}-ai-ops-bedrock`,
        frequency: 'IMMEDIATE',
        monitorArnList: [this.costAnomalyMonitor.attrMonitorArn],
        subscribers: [{ type: 'SNS', address: anomalyTopic.topicArn }],
        thresholdExpression: JSON.stringify({
          Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(settings.costAnomalyThresholdUsd)] },
        }),
      });
    }
  }
}

import { Duration } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ce from 'aws-cdk-lib/aws-ce';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { describeAlarm } from '../alarms/description';
import { AiOpsNames } from '../alarms/names';
import { DEFAULT_SEVERITIES, SloAlarm, SloAlarmKind } from '../alarms/slo-alarms';
import { GOVERNANCE_DEFAULTS, awsBilledMonthlyUsd } from '../config/defaults';
import { AgentConfig, ClientConfig, GovernanceConfig, Severity } from '../config/types';
import { TenantRule } from '../dashboards/top-tenants';
import { IAlarmRouter, SnsSeverityRouter } from '../routing/router';
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
  readonly subject?: string;
  readonly what: string;
  readonly condition: string;
  readonly owner: string;
}

/** What every guard of one construct shares: naming, routing, links, and the list it adds to. */
interface GuardContext {
  readonly scope: Construct;
  readonly clientId: string;
  readonly router: IAlarmRouter;
  readonly dashboardUrl: string;
  readonly runbookBaseUrl?: string;
  /** The owner's own runbook, which wins over the generated ones. */
  readonly ownRunbookUrl?: string;
  readonly alarms: SloAlarm[];
}

type AlarmFactory = (props: { alarmName: string; alarmDescription: string }) => cloudwatch.AlarmBase;

/** Creates, describes and routes one guard alarm. */
function addGuard(ctx: GuardContext, spec: GuardSpec, create: AlarmFactory): SloAlarm {
  const severity = DEFAULT_SEVERITIES[spec.kind];
  const alarmName = AiOpsNames.alarm(ctx.clientId, spec.kind, spec.subject);
  const runbookUrl = ctx.ownRunbookUrl ?? AiOpsNames.runbookUrl(spec.kind, alarmName, ctx.runbookBaseUrl);
  const alarm = create({
    alarmName,
    alarmDescription: describeAlarm({
      severity, what: spec.what, condition: spec.condition, owner: spec.owner, runbookUrl, dashboardUrl: ctx.dashboardUrl,
    }),
  });
  ctx.router.route(alarm, severity);
  const created: SloAlarm = { alarm, alarmName, kind: spec.kind, severity, what: spec.what, condition: spec.condition, runbookUrl };
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
  /** Names the alarm; none for client-wide. */
  readonly subject?: string;
  readonly label: string;
  readonly dims: SeriesDimensions;
  readonly owner: string;
}

/** An upper-band spend anomaly alarm on an hourly cost series. */
function spendAnomaly(ctx: GuardContext, spec: AnomalySpec, metrics: TelemetryMetricFactory, settings: GovernanceSettings): void {
  const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));
  const { anomalyBandStdDevs: stdDevs, anomalyEvaluationHours: hours, anomalyDatapointsToAlarm: datapoints } = settings;
  const metric = hourly.sum(M.COST_USD, spec.dims, { label: `${spec.label} USD per hour` });
  addGuard(ctx, {
    kind: SloAlarmKind.SPEND_ANOMALY,
    subject: spec.subject,
    owner: spec.owner,
    what: `spend of ${spec.label} is above its usual range`,
    condition: `hourly cost above the anomaly band (${stdDevs} standard deviations) in ${datapoints} of ${hours} hours; spend dropping is not an incident`,
  }, (names) => new cloudwatch.AnomalyDetectionAlarm(ctx.scope, spec.id, {
    ...names,
    metric,
    stdDevs,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: hours,
    datapointsToAlarm: datapoints,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }));
  excludeRanges(ctx.scope, `${spec.id}Model`, hourly.sum(M.COST_USD, spec.dims), settings);
}

/** Properties of `AgentSpendGuards`. */
export interface AgentSpendGuardsProps {
  readonly config: ClientConfig;
  readonly agent: AgentConfig;
  readonly metrics: TelemetryMetricFactory;
  readonly router: IAlarmRouter;
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
      scope: this,
      clientId: config.clientId,
      router: props.router,
      dashboardUrl: props.dashboardUrl,
      runbookBaseUrl: config.runbookBaseUrl,
      ownRunbookUrl: agent.runbookUrl,
      alarms: this.alarms,
    };
    const settings = governanceSettings(config);
    const owner = `team ${agent.owner.team}, service ${agent.owner.service}`;
    const dims = { agent: agent.id };
    const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));

    spendAnomaly(ctx, { id: 'SpendAnomaly', subject: agent.id, label: `agent ${agent.id}`, dims, owner }, metrics, settings);

    const { anomalyBandStdDevs: stdDevs, anomalyEvaluationHours: hours, anomalyDatapointsToAlarm: datapoints } = settings;
    addGuard(ctx, {
      kind: SloAlarmKind.CACHE_HIT_ANOMALY,
      subject: agent.id,
      owner,
      what: `the prompt-cache hit rate of agent ${agent.id} fell below its usual range`,
      condition: `hourly cache reads / all input tokens below the anomaly band (${stdDevs} standard deviations) in ${datapoints} of ${hours} hours`,
    }, (names) => new cloudwatch.AnomalyDetectionAlarm(this, 'CacheHitAnomaly', {
      ...names,
      metric: hourly.cacheHitRatePercent(dims),
      stdDevs,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: datapoints,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));

    const monthly = config.budgets.perAgentMonthlyUsd?.[agent.id];
    if (monthly !== undefined) {
      budgetAlarms(ctx, { what: `agent ${agent.id}`, subject: agent.id, dims, monthlyUsd: monthly, owner }, metrics, settings.spendRateMultiplier);
    }

    const limits = agent.sessionLimits ?? {};
    const limit = (kind: SloAlarmKind, alarmId: string, metric: typeof M.SESSION_STEPS, statistic: string, max: number | undefined, what: string) => {
      if (max === undefined) return;
      addGuard(ctx, {
        kind,
        subject: agent.id,
        owner,
        what: `agent ${agent.id} runs away: ${what}`,
        condition: `${statistic} of ${what} per session in an hour > ${max}`,
      }, (names) => new cloudwatch.Alarm(this, alarmId, {
        ...names,
        metric: hourly.metric(metric, dims, statistic),
        threshold: max,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    };
    limit(SloAlarmKind.SESSION_STEPS, 'SessionSteps', M.SESSION_STEPS, 'p99', limits.maxStepsPerSession, 'steps');
    limit(SloAlarmKind.SESSION_TOOL_CALLS, 'SessionToolCalls', M.SESSION_TOOL_CALLS, 'p99', limits.maxToolCallsPerSession, 'tool calls');
    limit(SloAlarmKind.SESSION_TOKENS, 'SessionTokens', M.SESSION_TOKENS, 'p99', limits.maxTokensPerSession, 'tokens');
    limit(SloAlarmKind.SESSION_COST, 'SessionCost', M.SESSION_COST_USD, cloudwatch.Stats.MAXIMUM, limits.maxSessionCostUsd, 'cost in USD');
  }
}


interface BudgetSpec {
  readonly what: string;
  readonly subject?: string;
  readonly dims: SeriesDimensions;
  readonly monthlyUsd: number;
  readonly owner: string;
}

/** The spend-rate P1 and the daily burn-rate warning and page against a monthly budget. */
function budgetAlarms(ctx: GuardContext, spec: BudgetSpec, metrics: TelemetryMetricFactory, multiplier: number): void {
  const { what, subject, dims, monthlyUsd, owner } = spec;
  const hourlyRate = monthlyUsd / HOURS_PER_MONTH;
  const dailyShare = monthlyUsd / DAYS_PER_MONTH;
  const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));
  const daily = new TelemetryMetricFactory(metrics.namespace, Duration.days(1));
  const round = (usd: number) => Math.round(usd * 100) / 100;
  addGuard(ctx, {
    kind: SloAlarmKind.SPEND_RATE,
    subject,
    owner,
    what: `spend of ${what} runs at over ${multiplier}x its budgeted rate`,
    condition: `an hour's cost > ${round(multiplier * hourlyRate)} USD (${multiplier} x ${monthlyUsd} USD / ${HOURS_PER_MONTH} h)`,
  }, (names) => new cloudwatch.Alarm(ctx.scope, 'SpendRate', {
    ...names,
    metric: hourly.sum(M.COST_USD, dims),
    threshold: round(multiplier * hourlyRate),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }));
  for (const [kind, alarmId, multiple] of [
    [SloAlarmKind.BUDGET_BURN_WARNING, 'BudgetBurnWarning', BURN_WARNING_MULTIPLE],
    [SloAlarmKind.BUDGET_BURN, 'BudgetBurn', BURN_PAGE_MULTIPLE],
  ] as const) {
    addGuard(ctx, {
      kind,
      subject,
      owner,
      what: `${what} spent ${multiple}x its daily share of the monthly budget`,
      condition: `a day's cost > ${round(multiple * dailyShare)} USD (${multiple} x ${monthlyUsd} USD / ${DAYS_PER_MONTH} days)`,
    }, (names) => new cloudwatch.Alarm(ctx.scope, alarmId, {
      ...names,
      metric: daily.sum(M.COST_USD, dims),
      threshold: round(multiple * dailyShare),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
}

const insight = (ruleName: string, metric: string) => `INSIGHT_RULE_METRIC('${ruleName}', '${metric}')`;

/** Properties of `ClientSpendGuards`. */
export interface ClientSpendGuardsProps {
  readonly config: ClientConfig;
  readonly metrics: TelemetryMetricFactory;
  readonly router: IAlarmRouter;
  readonly dashboardUrl: string;
  /** The Contributor Insights rules ranking tenants by cost. */
  readonly tenantsByCost: TenantRule[];
}

/**
 * The client-wide spend guards: spend anomaly detectors per model and in total, the total
 * spend-rate and burn-rate alarms, the one-tenant-share alarm, an AWS Budgets budget on Bedrock
 * and an AWS Cost Anomaly Detection monitor, both delivered to the P2 topic.
 */
export class ClientSpendGuards extends Construct {
  public readonly alarms: SloAlarm[] = [];
  public readonly budget?: budgets.CfnBudget;
  public readonly costAnomalyMonitor?: ce.CfnAnomalyMonitor;

  public constructor(scope: Construct, id: string, props: ClientSpendGuardsProps) {
    super(scope, id);
    const { config, metrics } = props;
    const ctx: GuardContext = {
      scope: this,
      clientId: config.clientId,
      router: props.router,
      dashboardUrl: props.dashboardUrl,
      runbookBaseUrl: config.runbookBaseUrl,
      alarms: this.alarms,
    };
    const settings = governanceSettings(config);
    const owner = 'the on-call of the client';

    spendAnomaly(ctx, { id: 'SpendAnomaly', label: 'all agents', dims: {}, owner }, metrics, settings);
    // Alarm names carry the subject; model ids may hold characters alarm names should not.
    [...new Set(config.models.map((m) => m.modelId))].forEach((model, i) => {
      spendAnomaly(ctx, { id: `SpendAnomalyModel${i + 1}`, subject: `model-${i + 1}`, label: `model ${model}`, dims: { model }, owner }, metrics, settings);
    });
    budgetAlarms(ctx, { what: `client ${config.clientId}`, dims: {}, monthlyUsd: config.budgets.monthlyUsd, owner }, metrics, settings.spendRateMultiplier);

    const hourlyRate = config.budgets.monthlyUsd / HOURS_PER_MONTH;
    const minimumSpend = Math.round(TENANT_SHARE_MINIMUM_SPEND_FRACTION * hourlyRate * 100) / 100;
    for (const rule of props.tenantsByCost) {
      const subject = rule.parts > 1 ? `part-${rule.part}` : undefined;
      const alarmId = rule.parts > 1 ? `TenantShare${rule.part}` : 'TenantShare';
      addGuard(ctx, {
        kind: SloAlarmKind.TENANT_SHARE,
        subject,
        owner,
        what: `one tenant made more than ${settings.maxTenantSharePercent}% of an hour's spend`,
        condition: `the top tenant's cost / all cost in the hour > ${settings.maxTenantSharePercent}% (hours spending under ${minimumSpend} USD count as healthy)`,
      }, (names) => new cloudwatch.Alarm(this, alarmId, {
        ...names,
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
      }));
    }

    const router = props.router;
    if (router instanceof SnsSeverityRouter) {
      const p2 = router.topic(Severity.P2);
      router.allowServiceToPublish(Severity.P2, 'budgets.amazonaws.com');
      this.budget = new budgets.CfnBudget(this, 'BedrockBudget', {
        budget: {
          budgetName: `${config.clientId}-ai-ops-bedrock`,
          budgetType: 'COST',
          timeUnit: 'MONTHLY',
          budgetLimit: { amount: awsBilledMonthlyUsd(config) ?? config.budgets.monthlyUsd, unit: 'USD' },
          costFilters: { Service: [BEDROCK_SERVICE] },
        },
        notificationsWithSubscribers: (['ACTUAL', 'FORECASTED'] as const).flatMap((notificationType) => [80, 100].map((threshold) => ({
          notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
          subscribers: [{ subscriptionType: 'SNS', address: p2.topicArn }],
        }))),
      });
      if (settings.costAnomalyMonitor) {
        router.allowServiceToPublish(Severity.P2, 'costalerts.amazonaws.com');
        this.costAnomalyMonitor = new ce.CfnAnomalyMonitor(this, 'CostAnomalyMonitor', {
          monitorName: `${config.clientId}-ai-ops-bedrock`,
          monitorType: 'CUSTOM',
          monitorSpecification: JSON.stringify({ Dimensions: { Key: 'SERVICE', Values: [BEDROCK_SERVICE], MatchOptions: ['EQUALS'] } }),
        });
        new ce.CfnAnomalySubscription(this, 'CostAnomalySubscription', {
          subscriptionName: `${config.clientId}-ai-ops-bedrock`,
          frequency: 'IMMEDIATE',
          monitorArnList: [this.costAnomalyMonitor.attrMonitorArn],
          subscribers: [{ type: 'SNS', address: p2.topicArn }],
          thresholdExpression: JSON.stringify({
            Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [String(settings.costAnomalyThresholdUsd)] },
          }),
        });
      }
    }
  }
}

import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SloAlarmKind } from '../../lib/common';
import { ClientConfig, Severity } from '../../lib/config';
import { awsBudgetCoverage } from '../../lib/config/defaults';
import { AiOpsStack } from '../../lib/facade';
import { BURN_PAGE_MULTIPLE, BURN_WARNING_MULTIPLE, DAYS_PER_MONTH, HOURS_PER_MONTH } from '../../lib/governance';
import { ModelProvider } from '../../lib/pricing';
import { TelemetryMetrics } from '../../lib/telemetry';
import { exampleConfig, exampleStack, newApp } from '../support/example';
import { agentTemplates, alarmsOf } from '../support/templates';

const stack = exampleStack();
const root = Template.fromStack(stack);
const agents = agentTemplates(stack.aiOps);
const alarms: Record<string, any> = Object.assign({}, alarmsOf(root), ...Object.values(agents).map(alarmsOf));
const guards = [...stack.aiOps.spendGuards.alarms, ...stack.aiOps.agents.flatMap((a) => a.spendGuards.alarms)];
const severityOf = (name: string) => guards.find((g) => g.alarmName === name)!.severity;
const round = (usd: number) => Math.round(usd * 100) / 100;

describe('spend anomaly detectors', () => {
  test.each([
    ['example-spend-anomaly', {}],
    ['example-answer-spend-anomaly', { agent: 'answer' }],
    ['example-us-anthropic-claude-sonnet-4-5-20250929-v1-0-k72d0y-spend-anomaly', { model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }],
  ])('%s: upper band only, 3 standard deviations, 3 of 4 hours, missing data healthy, P2', (name, dims) => {
    const alarm = alarms[name];
    expect(alarm).toEqual(expect.objectContaining({
      ComparisonOperator: 'GreaterThanUpperThreshold', EvaluationPeriods: 4, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching',
    }));
    // CloudWatch's form: the threshold metric is the ANOMALY_DETECTION_BAND expression
    const band = alarm.Metrics.find((m: any) => m.Id === alarm.ThresholdMetricId);
    expect(band.Expression).toMatch(/^ANOMALY_DETECTION_BAND\(m\d+, 3\)$/);
    const cost = alarm.Metrics.find((m: any) => m.MetricStat);
    expect(cost.MetricStat).toEqual(expect.objectContaining({ Stat: 'Sum', Period: 3600 }));
    expect(cost.MetricStat.Metric.MetricName).toBe(TelemetryMetrics.COST_USD.name);
    expect(Object.fromEntries((cost.MetricStat.Metric.Dimensions ?? []).map((d: any) => [d.Name, d.Value]))).toEqual(dims);
    expect(severityOf(name)).toBe(Severity.P2);
  });

  test('the known launch is excluded from the total spend model', () => {
    root.hasResourceProperties('AWS::CloudWatch::AnomalyDetector', {
      SingleMetricAnomalyDetector: { MetricName: TelemetryMetrics.COST_USD.name, Stat: 'Sum', Namespace: 'CdkAiOps' },
      Configuration: { ExcludedTimeRanges: [{ StartTime: '2026-11-02T00:00:00', EndTime: '2026-11-04T00:00:00' }], MetricTimeZone: 'UTC' },
    });
  });
});

describe('cache-miss regressions', () => {
  test('a lower-band detector on each agent\'s prompt-cache hit ratio, beside the floor alarm', () => {
    const alarm = alarms['example-answer-prompt-cache-hit-anomaly'];
    expect(alarm.ComparisonOperator).toBe('LessThanLowerThreshold');
    const band = alarm.Metrics.find((m: any) => m.Id === alarm.ThresholdMetricId);
    const [, bandOf] = /^ANOMALY_DETECTION_BAND\((\w+), 3\)$/.exec(band.Expression)!;
    // the band is trained on the ratio expression itself
    expect(alarm.Metrics.find((m: any) => m.Id === bandOf).Expression).toMatch(/^100 \* cacheRead_\w+ \/ \(input_\w+ \+ cacheRead_\w+ \+ cacheWrite_\w+\)$/);
    expect(alarms['example-answer-prompt-cache-hit-rate'].Threshold).toBe(60);
  });
});

describe('runaway agents', () => {
  test.each([
    ['example-answer-session-steps', TelemetryMetrics.SESSION_STEPS, 'p99', 12],
    ['example-answer-session-tool-calls', TelemetryMetrics.SESSION_TOOL_CALLS, 'p99', 20],
    ['example-answer-session-tokens', TelemetryMetrics.SESSION_TOKENS, 'p99', 200_000],
    ['example-answer-session-cost', TelemetryMetrics.SESSION_COST_USD, 'Maximum', 2],
  ])('%s: the hour\'s statistic above the config limit, P2', (name, metric, statistic, limit) => {
    const alarm = alarms[name];
    expect(alarm).toEqual(expect.objectContaining({ Threshold: limit, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching' }));
    expect(alarm.MetricName).toBe(metric.name);
    expect(alarm.ExtendedStatistic ?? alarm.Statistic).toBe(statistic);
    expect(alarm.Period).toBe(3600);
    expect(severityOf(name)).toBe(Severity.P2);
  });

  test('spend rate: P1 past 5x the budgeted hourly rate, per agent and in total', () => {
    expect(alarms['example-answer-spend-rate'].Threshold).toBe(round(5 * 11_000 / HOURS_PER_MONTH));
    expect(alarms['example-spend-rate'].Threshold).toBe(round(5 * 18_000 / HOURS_PER_MONTH));
    expect(severityOf('example-spend-rate')).toBe(Severity.P1);
  });
});

describe('budgets', () => {
  test('daily burn rate: warn at 1.5x (P2) and page at 3x (P1) the daily share of the monthly budget', () => {
    const warning = alarms['example-triage-budget-burn-warning'];
    expect(warning).toEqual(expect.objectContaining({ Threshold: round(BURN_WARNING_MULTIPLE * 1_500 / DAYS_PER_MONTH), Period: 86400, Statistic: 'Sum' }));
    expect(alarms['example-budget-burn'].Threshold).toBe(round(BURN_PAGE_MULTIPLE * 18_000 / DAYS_PER_MONTH));
    expect(severityOf('example-triage-budget-burn-warning')).toBe(Severity.P2);
    expect(severityOf('example-budget-burn')).toBe(Severity.P1);
  });

  test('an AWS Budgets budget on the Bedrock share (awsBilledMonthlyUsd, not the all-provider monthlyUsd) with actual and forecasted notifications at 80% and 100% to the P2 topic', () => {
    const p2 = Object.entries(root.findResources('AWS::SNS::Topic')).find(([, t]: [string, any]) => t.Properties.TopicName === 'example-ai-ops-p2')![0];
    root.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 15_000, Unit: 'USD' }, CostFilters: { Service: ['Amazon Bedrock'] } },
      NotificationsWithSubscribers: ['ACTUAL', 'FORECASTED'].flatMap((type) => [80, 100].map((threshold) => ({
        Notification: { NotificationType: type, ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' },
        Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: p2 } }],
      }))),
    });
    root.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish' })]) },
    });
  });

  test('AWS Cost Anomaly Detection on Bedrock, delivered immediately to the P2 topic above the configured impact', () => {
    root.hasResourceProperties('AWS::CE::AnomalyMonitor', { MonitorType: 'CUSTOM', MonitorSpecification: Match.stringLikeRegexp('"Amazon Bedrock"') });
    root.hasResourceProperties('AWS::CE::AnomalySubscription', {
      Frequency: 'IMMEDIATE',
      ThresholdExpression: Match.stringLikeRegexp('"ANOMALY_TOTAL_IMPACT_ABSOLUTE".*"150"'),
    });
    root.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'costalerts.amazonaws.com' } })]) },
    });
  });
});

describe('what the AWS budget covers', () => {
  const openAiOnly = (): ClientConfig => {
    const config = exampleConfig();
    const models = config.models.filter((m) => m.provider !== ModelProvider.AWS_BEDROCK);
    const modelIds = models.map((m) => m.modelId);
    const { awsBilledMonthlyUsd, ...budgetsWithoutAws } = config.budgets;
    return {
      ...config,
      models,
      budgets: { ...budgetsWithoutAws, perAgentMonthlyUsd: undefined },
      agents: config.agents.filter((a) => a.models?.every((m) => modelIds.includes(m))),
    };
  };

  test('a client with no model on Bedrock gets no AWS budget and no Cost Anomaly Detection monitor: AWS bills none of its model spend', () => {
    const template = Template.fromStack(new AiOpsStack(newApp(), 'openai-only', { config: openAiOnly() }));
    template.resourceCountIs('AWS::Budgets::Budget', 0);
    template.resourceCountIs('AWS::CE::AnomalyMonitor', 0);
    template.resourceCountIs('AWS::CE::AnomalySubscription', 0);
  });

  test('the synth output states the Bedrock share the AWS budget watches and what only the telemetry guards', () => {
    expect(awsBudgetCoverage(exampleConfig())).toBe('cdk-ai-ops example: the AWS budget watches USD 15,000 a month of Amazon Bedrock, what AWS bills; '
      + 'the other USD 3,000 of budgets.monthlyUsd (gpt-5-mini) is guarded by the telemetry\'s spend-rate and burn-rate alarms alone');
    expect(awsBudgetCoverage(openAiOnly())).toBe('cdk-ai-ops example: no AWS budget (no model is on Amazon Bedrock, so AWS bills none of the model spend); '
      + 'budgets.monthlyUsd USD 18,000 is guarded by the telemetry\'s spend-rate and burn-rate alarms alone');
    const bedrockOnly = exampleConfig();
    const bedrockModels = bedrockOnly.models.filter((m) => m.provider === ModelProvider.AWS_BEDROCK);
    const bedrock = { ...bedrockOnly, models: bedrockModels, budgets: { monthlyUsd: 9_000 } };
    expect(awsBudgetCoverage(bedrock)).toBe('cdk-ai-ops example: the AWS budget watches USD 9,000 a month of Amazon Bedrock, what AWS bills');
  });
});

test('per-tenant watch without per-tenant metrics: the top tenant\'s share of the hour from Contributor Insights', () => {
  const alarm = alarms['example-tenant-share'];
  expect(alarm.Threshold).toBe(50);
  expect(alarm.Metrics[0].Expression).toBe(
    "IF(INSIGHT_RULE_METRIC('example-ai-ops-tenants-by-cost', 'Sum') >= 2.47, 100 * INSIGHT_RULE_METRIC('example-ai-ops-tenants-by-cost', 'MaxContributorValue') / INSIGHT_RULE_METRIC('example-ai-ops-tenants-by-cost', 'Sum'), 0)");
  expect(severityOf('example-tenant-share')).toBe(Severity.P2);
  expect(guards.map((g) => g.kind)).toEqual(expect.arrayContaining(Object.values(SloAlarmKind).filter((k) => k.startsWith('session-') || k.startsWith('budget') || k.startsWith('spend') || k === SloAlarmKind.TENANT_SHARE)));
});

test('docs/governance.md states what the guards add for the example client', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'governance.md'), 'utf8');
  const anomaly = guards.filter((g) => alarms[g.alarmName].ThresholdMetricId).length;
  const standardMetrics = guards.filter((g) => !alarms[g.alarmName].ThresholdMetricId).length;
  expect(doc).toContain(`add ${anomaly} anomaly-detection alarms (USD ${(anomaly * 0.3).toFixed(2)}) `
    + `and ${standardMetrics} standard alarm metrics (USD ${(standardMetrics * 0.1).toFixed(2)})`);
});

import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ClientCardinality } from '../../lib/config';
import { AiOpsStack, MonitoringCostReport } from '../../lib/facade';
import { CloudWatchListPrices } from '../../lib/pricing';
import { minimumMonthlyEvaluations } from '../../lib/quality';
import { TelemetryContract, TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { AiTelemetry, serializeEmf } from '../../lib/telemetry/runtime';
import { exampleConfig, exampleStack, newApp } from '../support/example';
import { generatedClient } from '../support/generated-client';
import { TYPICAL_CALL } from '../support/records';

describe('who may look: read-only access for the client\'s team', () => {
  const template = Template.fromStack(exampleStack());

  test('a role carrying read-only policies scoped to this client\'s dashboards, alarms, rules and log groups', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'cloudwatch:GetDashboard', Resource: { 'Fn::Join': ['', Match.arrayWith([':dashboard/example-ai-ops-*'])] } }),
          Match.objectLike({ Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], Resource: { 'Fn::Join': ['', Match.arrayWith([':alarm:example-*'])] } }),
          Match.objectLike({ Action: 'cloudwatch:GetInsightRuleReport' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: ['logs:StartQuery', 'logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:DescribeLogStreams'],
          Resource: Match.arrayWith([{ 'Fn::Join': ['', Match.arrayWith([':log-group:/ecs/kb-retrieval-service:*'])] }]),
        })],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: Match.anyValue() } })] },
      ManagedPolicyArns: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^AiOpsReadOnlyAccessPolicy') }]),
    });
    // no write action in any of the role's policies (the functions' roles keep theirs in managed policies too)
    const readOnly = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.startsWith('AiOpsReadOnlyAccess'));
    expect(readOnly).toHaveLength(2);
    expect(JSON.stringify(readOnly)).not.toMatch(/"(cloudwatch|logs):(Put|Delete|Set|Create|Update|Disable|Enable)\w*"/);
  });

  test('stack outputs: the dashboard URLs and the role', () => {
    template.hasOutput('*', { Value: { 'Fn::Join': ['', Match.arrayWith(['#dashboards/dashboard/example-ai-ops-overview'])] } });
    for (const agent of ['triage', 'answer', 'retrieval', 'qa-review']) {
      template.hasOutput('*', { Value: { 'Fn::Join': ['', Match.arrayWith([`#dashboards/dashboard/example-ai-ops-agent-${agent}`])] } });
    }
    template.hasOutput('*', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AiOpsReadOnlyAccessRole'), 'Arn'] } });
  });

  test('Contributor Insights rules rank tenants by cost and tokens over every agent log group, ai_call lines only', () => {
    const rules = Object.values(template.findResources('AWS::CloudWatch::InsightRule')).map((r: any) => ({ name: r.Properties.RuleName, body: JSON.parse(r.Properties.RuleBody) }));
    expect(rules.map((r) => r.name)).toEqual(['example-ai-ops-tenants-by-cost', 'example-ai-ops-tenants-by-tokens']);
    expect(rules.map((r) => r.body.Contribution.ValueOf)).toEqual([`$.${TelemetryMetrics.COST_USD.name}`, `$.${TelemetryFields.TOTAL_TOKENS.name}`]);
    for (const { body } of rules) {
      expect(body.Contribution.Keys).toEqual([`$.${TelemetryFields.TENANT.name}`]);
      expect(body.LogGroupNames).toEqual(['/aws/lambda/support-triage-fn', '/aws/lambda/support-answer-fn', '/ecs/kb-retrieval-service', '/aws/lambda/support-qa-fn']);
      expect(body.AggregateOn).toBe('Sum');
    }
  });
});

describe('the price of watching', () => {
  test('synthesis writes <client>.monitoring-cost.json with what the stack built, priced at list prices', () => {
    const app = newApp();
    new AiOpsStack(app, 'example-ai-ops', { config: exampleConfig() });
    const report = JSON.parse(fs.readFileSync(path.join(app.synth().directory, MonitoringCostReport.fileName('example')), 'utf8'));
    const quantity = (item: string) => report.items.find((i: any) => i.item === item).quantity;
    expect(quantity('custom metrics')).toBe(TelemetryContract.customMetricCount(ClientCardinality.of(exampleConfig())));
    // calls; sessions and retrievals of one agent each; 3 evaluation metrics per (route, evaluator) of the SLOs (3)
    // and per (agent, model, evaluator) (answer: 3 models x 2 evaluators, qa-review: 2 models x 1)
    expect(quantity('custom metrics')).toBe(11 * (8 + 7 + 4 + 4 + 1) + 6 + 6 + 3 * 3 + 3 * (6 + 2));
    // 8 routes: 3 latency alarms of 2 metrics (value + call guard), 3 rate alarms of 2; staleness 1; cache floor 4; dead letters 1;
    // spend rate and two burn rates for 4 agents and the client; 4 session limits; tenant share 1;
    // 4 accuracy drift alarms of 2 metrics (mean + sample count) and 3 no-scores alarms of 1; the report's failed runs 1;
    // model outages: 3 telemetry metrics each, plus 3 AWS/Bedrock metrics for the 3 Bedrock models; production's failure rate 4;
    // the rollout's rolled-back alarm 1; gpt-5-mini's end of life 1 (its calls)
    expect(quantity('standard-resolution alarm metrics')).toBe(8 * 6 * 2 + 1 + 4 + 1 + 3 * 5 + 4 + 1 + 4 * 2 + 3 + 1 + (4 * 3 + 3 * 3) + 4 + 1 + 1);
    // A monthly run scans its month 5 times and the month before twice; a quarterly run (a third a month) its 3 months
    // 5 times, the 3 before twice and its 3 months 4 more times for the trends. Cost Explorer: the reported period only.
    expect(quantity('governance report: Logs Insights GB scanned')).toBeCloseTo(quantity('telemetry log ingestion (GB)') * (5 + 2 + (5 + 2 + 4)), 1);
    expect(quantity('governance report: Cost Explorer requests')).toBeCloseTo(1 + 1 / 3, 3);
    // spend per agent, per model and in total; cache hit rate per agent
    expect(quantity('anomaly-detection alarms')).toBe(4 + 4 + 1 + 4);
    // 2 provider outages, production-down, 4 suppressors (production's, and one per set of providers the agents call: 3);
    // per agent agent-down and a route suppressor; 11 route composites (one per route and severity); the rollout's gate
    expect(quantity('composite alarms')).toBe(2 + 1 + 4 + 4 * 2 + 11 + 1);
    expect(quantity('dashboards')).toBe(5);
    expect(quantity('Contributor Insights rules')).toBe(2);
    expect(quantity('Contributor Insights matched events')).toBe(2 * 1_500_000);
    expect(quantity('telemetry log ingestion (GB)')).toBeCloseTo((1_500_000 * TelemetryContract.CALL_LINE_BYTES + 90_000 * TelemetryContract.EVALUATION_LINE_BYTES) / 1e9, 3);
    const customMetricsUsd = report.items[0].monthlyUsd;
    expect(customMetricsUsd).toBeCloseTo(quantity('custom metrics') * CloudWatchListPrices.CUSTOM_METRIC_TIERS[0].usd, 2);
    expect(report.totalMonthlyUsd).toBeCloseTo(report.items.reduce((sum: number, i: any) => sum + i.monthlyUsd, 0), 2);
  });

  test('without expectedMonthlyEvaluations, the evaluation lines are the minimum evidence the accuracy SLOs need', () => {
    const { expectedMonthlyEvaluations, ...config } = exampleConfig();
    expect(expectedMonthlyEvaluations).toBe(90_000);
    // draft-reply: 2 evaluators x 30 a day; score-reply: 1 x 20 per 72 h
    expect(minimumMonthlyEvaluations(config)).toBe(Math.ceil(2 * 30 * (730 / 24) + 20 * (730 / 72)));
    const estimate = MonitoringCostReport.estimate(exampleStack().aiOps, config);
    expect(estimate.inventory.monthlyEvaluations).toBe(minimumMonthlyEvaluations(config));
  });

  test('the estimate grows with agents, routes and models, and has no tenant input at all', () => {
    const small = MonitoringCostReport.estimate(exampleStack().aiOps, exampleConfig());
    const bigStack = new AiOpsStack(newApp(), 'bigco-ai-ops', { config: generatedClient(40, 5) });
    const big = MonitoringCostReport.estimate(bigStack.aiOps, bigStack.aiOps.config);
    expect(big.totalMonthlyUsd).toBeGreaterThan(small.totalMonthlyUsd * 10);
    expect(JSON.stringify(big.inventory)).not.toMatch(/tenant/i);
  });
});

test('the helper\'s typical call line is within 15% of the size the estimate assumes', () => {
  let line = '';
  new AiTelemetry({ write: (emf) => { line = serializeEmf(emf, 'CdkAiOps'); } }).recordAiCall(TYPICAL_CALL);
  const bytes = line.length + 1;
  expect(Math.abs(bytes - TelemetryContract.CALL_LINE_BYTES) / TelemetryContract.CALL_LINE_BYTES).toBeLessThan(0.15);
});

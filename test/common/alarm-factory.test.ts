import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ALARM_KINDS, AlarmFactory, decodeAlarmMetadata, DEFAULT_SEVERITIES, DESCRIPTION_LABELS, IAlarmRouter, OVERRIDE_OF, SloAlarmKind,
} from '../../lib/common';
import { ClientConfig, Severity } from '../../lib/config';
import { AiOps, AiOpsStack } from '../../lib/facade';
import { severityOf as reportedSeverity } from '../../lib/reporting/alarm-history';
import { exampleConfig, exampleStack, newApp } from '../support/example';
import { allStacks, rendered } from '../support/templates';

/** Every alarm and composite of a stack and its nested stacks, with logical id and rendered description. */
function synthesizedAlarms(stack: Stack) {
  return allStacks(stack).flatMap((s) => Object.entries<any>(Template.fromStack(s).toJSON().Resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm')
    .map(([logicalId, r]) => ({
      stack: s.node.path,
      logicalId,
      name: r.Properties.AlarmName ?? r.Properties.CompositeAlarmName as string,
      description: rendered(r.Properties.AlarmDescription),
      actions: (r.Properties.AlarmActions ?? []).length > 0,
    })));
}

describe('every alarm of the example client is built by the factory', () => {
  const stack = exampleStack();
  const alarms = synthesizedAlarms(stack);

  test('each carries the metadata line (a registry kind, a severity, a cause), within 1,024 characters', () => {
    expect(alarms.length).toBe(stack.aiOps.alarms().length);
    for (const alarm of alarms) {
      const metadata = decodeAlarmMetadata(alarm.description);
      expect({ name: alarm.name, ok: metadata !== undefined && metadata.kind in ALARM_KINDS }).toEqual({ name: alarm.name, ok: true });
      expect(alarm.description.length).toBeLessThanOrEqual(1024);
      expect(alarm.description.split('\n').filter((l) => l.startsWith(`${DESCRIPTION_LABELS.RUNBOOK}: `))).toHaveLength(1);
      expect(alarm.name.endsWith(metadata!.kind)).toBe(true);
    }
  });

  test('pages exactly where the registry says, and each paging alarm names a cause of its own', () => {
    for (const alarm of alarms) {
      const metadata = decodeAlarmMetadata(alarm.description)!;
      // Route alarms page through their composite; a p50 alarm only while P3 (the digest) goes on its own.
      const raisedP50 = metadata.kind === SloAlarmKind.LATENCY_P50 && metadata.severity !== Severity.P3;
      const pages = ALARM_KINDS[metadata.kind as SloAlarmKind].pages && !raisedP50;
      expect({ name: alarm.name, actions: alarm.actions }).toEqual({ name: alarm.name, actions: pages });
    }
    const causes = alarms.filter((a) => a.actions).map((a) => decodeAlarmMetadata(a.description)!.cause);
    expect(new Set(causes).size).toBe(causes.length);
    expect(causes).toEqual(expect.arrayContaining(['example/provider/aws.bedrock', 'example/answer/agent-down', 'example/triage/classify-ticket/route-failing']));
  });

  test('the provider outage lists the agents and routes that call its models', () => {
    const bedrock = decodeAlarmMetadata(alarms.find((a) => a.name === 'example-aws-bedrock-provider-outage')!.description)!;
    expect(bedrock).toEqual(expect.objectContaining({ severity: Severity.P1, kind: SloAlarmKind.PROVIDER_OUTAGE, cause: 'example/provider/aws.bedrock' }));
    expect(bedrock.affects).toEqual(['triage/classify-ticket', 'triage/detect-language', 'answer/draft-reply', 'answer/summarize-thread', 'qa-review/score-reply', 'qa-review/flag-escalation']);
  });
});

describe('the registry: one entry per kind', () => {
  test('every kind has an entry; the severity and override tables are the registry\'s, and the report reads them', () => {
    for (const kind of Object.values(SloAlarmKind)) {
      expect(ALARM_KINDS[kind]).toBeDefined();
      expect(DEFAULT_SEVERITIES[kind]).toBe(ALARM_KINDS[kind].severity);
      expect(OVERRIDE_OF[kind]).toBe(ALARM_KINDS[kind].override);
      expect(ALARM_KINDS[kind].mitigations.length).toBeGreaterThan(0);
    }
    const agents = exampleConfig().agents;
    expect(reportedSeverity({ alarmName: 'example-triage-detect-language-model-error-rate', state: 'OK', changes: [] },
      { kind: SloAlarmKind.MODEL_ERROR_RATE, agent: 'triage', route: 'detect-language' }, agents)).toBe(Severity.P3);
    expect(reportedSeverity({ alarmName: 'example-aws-bedrock-provider-outage', state: 'OK', changes: [] }, { kind: SloAlarmKind.PROVIDER_OUTAGE }, agents)).toBe(Severity.P1);
  });

  test('the factory on its own, in a bare stack, with a router of one\'s own: name, description and actions from the kind\'s entry', () => {
    const stack = new Stack();
    const routed: Array<[string, Severity]> = [];
    const router: IAlarmRouter = {
      route: (alarm, severity) => { routed.push([alarm.node.id, severity]); },
      serviceTopic: () => new sns.Topic(stack, 'Unused'),
    };
    const factory = new AlarmFactory({ clientId: 'acme', router, runbookBaseUrl: 'https://runbooks.acme.example/ops/' });
    const metric = new cloudwatch.Metric({ namespace: 'Acme', metricName: 'errors' });
    const created = factory.addAlarm(stack, 'Errors', {
      kind: SloAlarmKind.GOVERNANCE_REPORT_FAILED,
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      what: 'the report failed',
      condition: 'one error',
      owner: 'the platform team',
    });
    const feeder = factory.addAlarm(stack, 'Feeder', {
      kind: SloAlarmKind.MODEL_OUTAGE,
      qualifier: 'm',
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      what: 'model m fails',
      condition: 'errors',
      owner: 'the platform team',
    });
    expect(created).toEqual(expect.objectContaining({ alarmName: 'acme-governance-report-failed', severity: Severity.P2, pages: true }));
    expect(created.runbookUrl).toBe('https://runbooks.acme.example/ops/acme-governance-report-failed.md');
    expect(feeder).toEqual(expect.objectContaining({ alarmName: 'acme-m-model-outage', severity: Severity.P1, pages: false }));
    expect(routed).toEqual([['Errors', Severity.P2]]);
    const description = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))[0].Properties.AlarmDescription;
    expect(description.split('\n')[0]).toBe('[P2] The report failed.');
    expect(decodeAlarmMetadata(description)).toEqual({ severity: Severity.P2, kind: SloAlarmKind.GOVERNANCE_REPORT_FAILED, cause: 'acme/governance-report-failed', owner: 'the platform team' });
  });
});

describe('per-model names come from the model id', () => {
  const names = (config: ClientConfig) => {
    const stack = new AiOpsStack(newApp(), 'example-ai-ops', { config });
    return synthesizedAlarms(stack).map((a) => `${a.stack} ${a.logicalId} ${a.name}`).sort();
  };

  test('reordering the models renames and replaces nothing', () => {
    const config = exampleConfig();
    const reordered = { ...config, models: [...config.models].reverse() };
    expect(names(reordered)).toEqual(names(config));
  });

  test('model alarms are named after the model, an id that had to change carrying a short hash of it', () => {
    const modelAlarms = synthesizedAlarms(exampleStack()).map((a) => a.name).filter((n) => /-(model-outage|spend-anomaly)$/.test(n));
    expect(modelAlarms).toEqual(expect.arrayContaining([
      'example-gpt-5-mini-model-outage', 'example-gpt-5-mini-spend-anomaly',
      expect.stringMatching(/^example-us-anthropic-claude-sonnet-4-5-20250929-v1-0-[a-z0-9]+-model-outage$/),
    ]));
    expect(modelAlarms.some((n) => /model-\d-/.test(n))).toBe(false);
  });
});

describe('routers', () => {
  test('a custom IAlarmRouter receives every paging alarm and the AWS Budgets and Cost Anomaly Detection deliveries', () => {
    const app = newApp();
    const stack = new Stack(app, 'Custom');
    const topics = new Map<string, sns.Topic>();
    const routed: Severity[] = [];
    const router: IAlarmRouter = {
      route: (_alarm, severity) => { routed.push(severity); },
      serviceTopic: (severity, principal) => {
        if (!topics.has(principal)) topics.set(principal, new sns.Topic(stack, `Service-${principal.split('.')[0]}-${severity}`));
        return topics.get(principal)!;
      },
    };
    const aiOps = new AiOps(stack, 'AiOps', { ...exampleConfig(), alarmRouter: router });
    expect(routed).toHaveLength(aiOps.alarms().filter((a) => a.pages).length);
    expect([...topics.keys()].sort()).toEqual(['budgets.amazonaws.com', 'costalerts.amazonaws.com']);
    const template = Template.fromStack(stack);
    const budget = Object.values<any>(template.findResources('AWS::Budgets::Budget'))[0];
    expect(JSON.stringify(budget.Properties.NotificationsWithSubscribers)).toContain('ServicebudgetsP2');
    const subscription = Object.values<any>(template.findResources('AWS::CE::AnomalySubscription'))[0];
    expect(JSON.stringify(subscription.Properties.Subscribers)).toContain('ServicecostalertsP2');
  });
});

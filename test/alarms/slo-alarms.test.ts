import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_SEVERITIES, SloAlarmKind } from '../../lib/alarms';
import { Severity } from '../../lib/config';
import { TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { exampleStack } from '../support/example';
import { agentTemplates, alarmsOf } from '../support/templates';

const stack = exampleStack();
const root = Template.fromStack(stack);
const agents = agentTemplates(stack.aiOps);
const sloAlarmNames = new Set(stack.aiOps.agents.flatMap((agent) => agent.alarms.alarms.map((alarm) => alarm.alarmName)));
/** The SLO alarms of every agent (the spend guards in the same stacks are tested with governance). */
const alarms: Record<string, any> = Object.fromEntries(
  Object.entries(Object.assign({}, ...Object.values(agents).map(alarmsOf))).filter(([name]) => sloAlarmNames.has(name)),
);
/** The logical id of a severity's topic in the root stack, as nested stacks receive it. */
const topicIds: Record<string, string> = Object.fromEntries(Object.entries(root.findResources('AWS::SNS::Topic'))
  .filter(([, r]: [string, any]) => /-p[123]$/.test(r.Properties.TopicName))
  .map(([id, r]: [string, any]) => [r.Properties.TopicName.split('-').pop(), id]));

/** The severity an alarm's actions deliver to (nested stacks get the topic ARN as a parameter). */
function severityOf(alarm: any): string {
  const [action] = alarm.AlarmActions;
  const parameter: string = action.Ref;
  // The parameter's name carries the topic's path, not its logical id's hash.
  const match = Object.entries(topicIds).find(([, id]) => parameter.includes(id.slice(0, -8)));
  if (!match) throw new Error(`no topic for ${parameter}`);
  expect(alarm.OKActions).toEqual(alarm.AlarmActions);
  return match[0].toUpperCase();
}

describe('SLO alarms of the example client', () => {
  test('six per route (latency p50/p95/p99, model-error, application-error and throttle rates), plus staleness and cache floor where configured', () => {
    expect(Object.keys(alarms)).toHaveLength(8 * 6 + 2);
    expect(Object.keys(alarms).sort()).toEqual(expect.arrayContaining([
      'example-answer-draft-reply-latency-p50', 'example-answer-draft-reply-latency-p95', 'example-answer-draft-reply-latency-p99',
      'example-answer-draft-reply-model-error-rate', 'example-answer-draft-reply-app-error-rate', 'example-answer-draft-reply-throttle-rate',
      'example-retrieval-retrieval-staleness', 'example-answer-prompt-cache-hit-rate',
    ]));
  });

  test('latency p95: threshold from the SLO, guarded by a minimum call count through metric math, missing data healthy', () => {
    const alarm = alarms['example-answer-draft-reply-latency-p95'];
    expect(alarm).toEqual(expect.objectContaining({
      Threshold: 8000,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    }));
    const expression = alarm.Metrics.find((m: any) => m.Expression);
    expect(expression.Expression).toMatch(/^IF\(callsSum_\w+ >= 20, value_\w+, 0\)$/);
    const latency = alarm.Metrics.find((m: any) => m.MetricStat?.Metric.MetricName === TelemetryMetrics.LATENCY_MS.name);
    expect(latency.MetricStat).toEqual(expect.objectContaining({ Stat: 'p95', Period: 300 }));
    expect(latency.MetricStat.Metric.Dimensions).toEqual([{ Name: TelemetryFields.AGENT.name, Value: 'answer' }, { Name: TelemetryFields.ROUTE.name, Value: 'draft-reply' }]);
    expect(severityOf(alarm)).toBe(Severity.P2);
  });

  test('error and throttle rates are percentages of calls, guarded, 2 of 3 periods', () => {
    const alarm = alarms['example-triage-classify-ticket-model-error-rate'];
    expect(alarm).toEqual(expect.objectContaining({ Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' }));
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression)
      .toMatch(new RegExp(`^IF\\(callsSum_\\w+ >= 20, \\(100 \\* ${TelemetryMetrics.MODEL_ERRORS.name}_\\w+ / callsSum_\\w+\\), 0\\)$`));
    expect(alarms['example-retrieval-rewrite-query-throttle-rate'].Threshold).toBe(2);
    expect(alarms['example-retrieval-rerank-throttle-rate'].Threshold).toBe(5);
  });

  test('severities follow the SLA table, with the routes\' overrides', () => {
    const severities = Object.fromEntries(Object.entries(alarms).map(([name, alarm]) => [name, severityOf(alarm)]));
    expect(severities['example-triage-classify-ticket-latency-p50']).toBe(DEFAULT_SEVERITIES[SloAlarmKind.LATENCY_P50]);
    expect(severities['example-triage-classify-ticket-latency-p50']).toBe(Severity.P3);
    expect(severities['example-answer-draft-reply-latency-p99']).toBe(Severity.P1); // override
    expect(severities['example-triage-detect-language-model-error-rate']).toBe(Severity.P3); // override
    expect(severities['example-triage-detect-language-app-error-rate']).toBe(Severity.P3); // same override
    expect(severities['example-qa-review-flag-escalation-model-error-rate']).toBe(Severity.P1); // override
    expect(severities['example-answer-summarize-thread-model-error-rate']).toBe(Severity.P2);
    expect(severities['example-retrieval-retrieval-staleness']).toBe(Severity.P3);
    expect(severities['example-answer-prompt-cache-hit-rate']).toBe(Severity.P3);
  });

  test('descriptions say in one screen what fired, the threshold, the owner, the runbook and the dashboard', () => {
    for (const [name, alarm] of Object.entries<any>(alarms)) {
      const description = JSON.stringify(alarm.AlarmDescription);
      expect({ name, ok: description.length <= 1100 }).toEqual({ name, ok: true });
      expect(description).toMatch(/\[P[123]\] /);
      expect(description).toMatch(/Fires when: /);
      expect(description).toMatch(/Owner: team [\w-]+, service [\w-]+\./);
      expect(description).toMatch(/Runbook: https:\/\//);
      expect(description).toMatch(/Dashboard: https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home\?region=/);
    }
    const p99 = JSON.stringify(alarms['example-answer-draft-reply-latency-p99'].AlarmDescription);
    expect(p99).toContain('p99 latency > 15000 ms in 3 of 3 five-minute periods (periods with fewer than 20 calls count as healthy)');
    expect(p99).toContain('Owner: team support-ai, service support-answer-fn.');
    expect(p99).toContain('Runbook: https://runbooks.example.com/support/answer');
    expect(p99).toContain('#dashboards/dashboard/example-ai-ops-agent-answer');
    // the generated runbook, published under the config's runbookBaseUrl
    expect(JSON.stringify(alarms['example-triage-classify-ticket-latency-p50'].AlarmDescription))
      .toContain('Runbook: https://runbooks.example.com/cdk-ai-ops/example/example-triage-classify-ticket-latency-p50.md');
  });

  test('index staleness and the cache hit-rate floor', () => {
    const staleness = alarms['example-retrieval-retrieval-staleness'];
    expect(staleness).toEqual(expect.objectContaining({ Threshold: 24, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' }));
    expect(staleness.Metrics[0].MetricStat).toEqual(expect.objectContaining({
      Metric: expect.objectContaining({ MetricName: TelemetryMetrics.RETRIEVAL_INDEX_AGE_HOURS.name }), Stat: 'Maximum', Period: 900,
    }));
    const floor = alarms['example-answer-prompt-cache-hit-rate'];
    expect(floor).toEqual(expect.objectContaining({ Threshold: 60, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 3 }));
    // quiet hours yield 100%: healthy
    expect(floor.Metrics.find((m: any) => m.Expression).Expression).toMatch(/^IF\(callsSum_\w+ >= 20, \(100 \* cacheRead_\w+ \/ \(input_\w+ \+ cacheRead_\w+ \+ cacheWrite_\w+\)\), 100\)$/);
  });

  test('an agent-down composite per agent: every route failing (model or application errors) at once, no actions of its own', () => {
    agents.answer.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'example-answer-agent-down',
      AlarmRule: Match.anyValue(),
      AlarmActions: Match.absent(),
    });
    const rule = JSON.stringify(Object.values(agents.answer.findResources('AWS::CloudWatch::CompositeAlarm'))[0]);
    for (const route of ['draftreply', 'summarizethread']) {
      expect(rule).toContain(`Alarms${route}modelerrorrate`);
      expect(rule).toContain(`Alarms${route}apperrorrate`);
    }
    expect(rule).toMatch(/\(\(ALARM.*OR ALARM.*\) AND \(ALARM.*OR ALARM.*\)\)/);
  });
});

describe('the production-down composite', () => {
  test('is P1, fires when any agent is down, and is created after the agents\' alarms', () => {
    const [[logicalId, composite]] = Object.entries<any>(root.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(composite.Properties.AlarmName).toBe('example-production-down');
    expect(composite.Properties.AlarmRule).toBe(`(${['triage', 'answer', 'retrieval', 'qa-review']
      .map((a) => `ALARM("example-${a}-agent-down")`).join(' OR ')})`);
    expect(composite.Properties.AlarmActions).toEqual([{ Ref: topicIds.p1 }]);
    expect(composite.Properties.OKActions).toEqual([{ Ref: topicIds.p1 }]);
    expect(composite.DependsOn).toHaveLength(4);
    expect(logicalId).toMatch(/^AiOpsProductionDown/);
    expect(JSON.stringify(composite.Properties.AlarmDescription)).toMatch(/^.{0,40}\[P1\] Production is down for client example/);
  });
});

describe('the SNS severity router', () => {
  test('one KMS-encrypted, TLS-only topic per severity that only CloudWatch alarms of this account may publish to', () => {
    expect(Object.keys(topicIds).sort()).toEqual(['p1', 'p2', 'p3']);
    for (const severity of ['p1', 'p2', 'p3']) {
      root.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `example-ai-ops-${severity}`,
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AiOpsEncryptionKey'), 'Arn'] },
      });
    }
    root.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    root.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        })]),
      },
    });
  });
});

describe('every route alarm of the example client, against its config', () => {
  const config = stack.aiOps.config;
  const OVERRIDE_KEYS: Record<string, string> = {
    [SloAlarmKind.LATENCY_P50]: 'latencyP50',
    [SloAlarmKind.LATENCY_P95]: 'latencyP95',
    [SloAlarmKind.LATENCY_P99]: 'latencyP99',
    [SloAlarmKind.MODEL_ERROR_RATE]: 'errorRate',
    [SloAlarmKind.APP_ERROR_RATE]: 'errorRate',
    [SloAlarmKind.THROTTLE_RATE]: 'throttleRate',
  };
  const cases = config.agents.flatMap((agent) => agent.routes.flatMap((route) => {
    const thresholds: Record<string, number> = {
      [SloAlarmKind.LATENCY_P50]: route.slo.latency.p50Ms,
      [SloAlarmKind.LATENCY_P95]: route.slo.latency.p95Ms,
      [SloAlarmKind.LATENCY_P99]: route.slo.latency.p99Ms,
      [SloAlarmKind.MODEL_ERROR_RATE]: route.slo.errorRatePercent,
      [SloAlarmKind.APP_ERROR_RATE]: route.slo.errorRatePercent,
      [SloAlarmKind.THROTTLE_RATE]: route.slo.throttleRatePercent ?? 5,
    };
    return Object.entries(thresholds).map(([kind, threshold]) => {
      const override = (route.slo.severityOverrides as Record<string, string> | undefined)?.[OVERRIDE_KEYS[kind]];
      return { name: `example-${agent.id}-${route.id}-${kind}`, threshold, severity: override ?? DEFAULT_SEVERITIES[kind as SloAlarmKind], team: agent.owner.team };
    });
  }));

  test.each(cases)('$name: threshold $threshold, severity $severity, missing data healthy, owner named', ({ name, threshold, severity, team }) => {
    const alarm = alarms[name];
    expect(alarm.Threshold).toBe(threshold);
    expect(alarm.TreatMissingData).toBe('notBreaching');
    expect(severityOf(alarm)).toBe(severity);
    expect(JSON.stringify(alarm.AlarmDescription)).toContain(`[${severity}] `);
    expect(JSON.stringify(alarm.AlarmDescription)).toContain(`Owner: team ${team}`);
  });
});

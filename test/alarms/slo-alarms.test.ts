import { Match, Template } from 'aws-cdk-lib/assertions';
import { decodeAlarmMetadata, DEFAULT_SEVERITIES, SloAlarmKind } from '../../lib/common';
import { Severity } from '../../lib/config';
import { AiOpsStack } from '../../lib/facade';
import { TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { exampleConfig, exampleStack, newApp } from '../support/example';
import { agentTemplates, alarmsOf, rendered } from '../support/templates';

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

/** The severity an alarm's actions deliver to (nested stacks get the topic ARN as a parameter); for an alarm that pages through a composite, its metadata's. */
function severityOf(alarm: any): string {
  if (!alarm.AlarmActions) return decodeAlarmMetadata(rendered(alarm.AlarmDescription))!.severity;
  const [action] = alarm.AlarmActions;
  const parameter: string = action.Ref;
  // The parameter's name carries the topic's path, not its logical id's hash.
  const match = Object.entries(topicIds).find(([, id]) => parameter.includes(id.slice(0, -8)));
  if (!match) throw new Error(`no topic for ${parameter}`);
  expect(alarm.OKActions).toEqual(alarm.AlarmActions);
  return match[0].toUpperCase();
}

describe('SLO alarms of the example client', () => {
  test('six per route (latency p50/p95/p99, model-error, application-error and throttle rates), plus staleness, cache floor and accuracy where configured', () => {
    // accuracy: 3 objectives + 2 evaluators on draft-reply, 1 objective + 1 evaluator on score-reply
    expect(Object.keys(alarms)).toHaveLength(8 * 6 + 2 + 7);
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

  test('error and throttle rates are percentages of calls per minute, 4 of 5 minutes, no call-count guard', () => {
    const alarm = alarms['example-triage-classify-ticket-model-error-rate'];
    expect(alarm).toEqual(expect.objectContaining({ Threshold: 1, EvaluationPeriods: 5, DatapointsToAlarm: 4, TreatMissingData: 'notBreaching' }));
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression)
      .toMatch(new RegExp(`^100 \\* ${TelemetryMetrics.MODEL_ERRORS.name}_\\w+ / callsSum_\\w+$`));
    expect(alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period)).toEqual([60, 60]);
    // It pages through the route's composite, not on its own.
    expect(alarm.AlarmActions).toBeUndefined();
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

  const composites = (agent: string) => Object.values<any>(agents[agent].findResources('AWS::CloudWatch::CompositeAlarm')).map((r) => r.Properties);
  const composite = (agent: string, name: string) => composites(agent).find((c) => c.AlarmName === name);

  test('an agent-down composite per agent: every route failing (errors or throttles) at once; it pages P2 (P1 for the client-critical answer agent), held back by production-down or an outage of a provider it calls', () => {
    expect(severityOf(composite('triage', 'example-triage-agent-down'))).toBe(Severity.P2);
    const down = composite('answer', 'example-answer-agent-down');
    for (const route of ['draft-reply', 'summarize-thread']) {
      for (const kind of ['model-error-rate', 'app-error-rate', 'throttle-rate']) expect(down.AlarmRule).toContain(`ALARM("example-answer-${route}-${kind}")`);
    }
    expect(down.AlarmRule).toMatch(/^\(\(ALARM.*OR ALARM.*\) AND \(ALARM.*OR ALARM.*\)\)$/);
    expect(severityOf(down)).toBe(Severity.P1);
    expect(down.ActionsSuppressor).toBe('example-agents-of-aws-bedrock-outage-suppressor');
    expect(composite('retrieval', 'example-retrieval-agent-down').ActionsSuppressor).toBe('example-agents-of-openai-outage-suppressor');
    expect(composite('qa-review', 'example-qa-review-agent-down').ActionsSuppressor).toBe('example-agents-of-aws-bedrock-openai-outage-suppressor');
    expect(down).toEqual(expect.objectContaining({ ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 600 }));
  });

  test('route pages: one composite per route and severity over its error, throttle and p95/p99 latency alarms, held back while the agent is down or a cause upstream pages', () => {
    const failing = composite('triage', 'example-triage-classify-ticket-route-failing');
    expect(failing.AlarmRule).toBe(`(${['model-error-rate', 'app-error-rate', 'throttle-rate', 'latency-p95', 'latency-p99']
      .map((k) => `ALARM("example-triage-classify-ticket-${k}")`).join(' OR ')})`);
    expect(severityOf(failing)).toBe(Severity.P2);
    expect(failing).toEqual(expect.objectContaining({ ActionsSuppressor: 'example-triage-outage-suppressor', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 600 }));
    // The route's overrides split its pages by severity: detect-language's errors are P3, its throttles and latency P2.
    expect(severityOf(composite('triage', 'example-triage-detect-language-p3-route-failing'))).toBe(Severity.P3);
    expect(composite('triage', 'example-triage-detect-language-p3-route-failing').AlarmRule).toBe(
      '(ALARM("example-triage-detect-language-model-error-rate") OR ALARM("example-triage-detect-language-app-error-rate"))');
    expect(severityOf(composite('triage', 'example-triage-detect-language-p2-route-failing'))).toBe(Severity.P2);
    expect(severityOf(composite('qa-review', 'example-qa-review-flag-escalation-p1-route-failing'))).toBe(Severity.P1);
    // The route suppressor: the agent down, or its upstream suppressor; it never pages.
    const suppressor = composite('triage', 'example-triage-outage-suppressor');
    expect(suppressor.AlarmRule).toBe('(ALARM("example-triage-agent-down") OR ALARM("example-agents-of-aws-bedrock-outage-suppressor"))');
    expect(suppressor.AlarmActions).toBeUndefined();
  });

  test('clientCritical selects the agent-down severity', () => {
    const config = exampleConfig();
    const flipped = new AiOpsStack(newApp(), 'Critical', { config: { ...config, agents: config.agents.map((a) => ({ ...a, clientCritical: a.id === 'triage' })) } });
    const down = Object.values<any>(agentTemplates(flipped.aiOps).triage.findResources('AWS::CloudWatch::CompositeAlarm'))
      .find((r) => r.Properties.AlarmName === 'example-triage-agent-down');
    expect(decodeAlarmMetadata(rendered(down.Properties.AlarmDescription))!.severity).toBe(Severity.P1);
    expect(flipped.aiOps.agents[0].alarms.agentDown.severity).toBe(Severity.P1);
    expect(flipped.aiOps.agents[1].alarms.agentDown.severity).toBe(Severity.P2);
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

describe('accuracy alarms of the example client', () => {
  const E = TelemetryFields.EVALUATOR.name;
  const judge = alarms['example-answer-draft-reply-grounded-answer-judge-accuracy-pass-rate'];
  const queries = (alarm: any) => Object.fromEntries(alarm.Metrics.filter((m: any) => m.MetricStat)
    .map((m: any) => [m.MetricStat.Stat, m.MetricStat]));

  test('per evaluator and objective a drift alarm, and per evaluator a no-scores alarm', () => {
    expect(Object.keys(alarms).filter((name) => name.includes('-accuracy-')).sort()).toEqual([
      'example-answer-draft-reply-grounded-answer-judge-accuracy-mean-score',
      'example-answer-draft-reply-grounded-answer-judge-accuracy-no-scores',
      'example-answer-draft-reply-grounded-answer-judge-accuracy-pass-rate',
      'example-answer-draft-reply-reply-schema-accuracy-no-scores',
      'example-answer-draft-reply-reply-schema-accuracy-pass-rate',
      'example-qa-review-score-reply-human-audit-accuracy-no-scores',
      'example-qa-review-score-reply-human-audit-accuracy-pass-rate',
    ]);
  });

  test('the pass rate\'s upper 95% bound (1 - the Wilson lower bound of the failure share) against the objective, over a day', () => {
    expect(judge).toEqual(expect.objectContaining({ Threshold: 90, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 1, DatapointsToAlarm: 1 }));
    const { Average: mean, SampleCount: count } = queries(judge);
    for (const stat of [mean, count]) {
      expect(stat.Period).toBe(86400);
      expect(stat.Metric.MetricName).toBe(TelemetryMetrics.EVALUATION_PASSED.name);
      expect(stat.Metric.Dimensions).toHaveLength(3);
      expect(stat.Metric.Dimensions).toEqual(expect.arrayContaining([
        { Name: TelemetryFields.AGENT.name, Value: 'answer' }, { Name: TelemetryFields.ROUTE.name, Value: 'draft-reply' }, { Name: E, Value: 'grounded-answer-judge' },
      ]));
    }
    const expression = judge.Metrics.find((m: any) => m.Expression).Expression;
    const m = 'passRateMean_\\w+';
    const n = 'passRateCount_\\w+';
    expect(expression).toMatch(new RegExp(`^IF\\(${n} >= 30, 100 \\* \\(1 - \\(\\(1 - ${m}\\) \\+ 1\\.3530125 / ${n} - 1\\.645 \\* \\(\\(1 - ${m}\\) \\* ${m} / ${n} \\+ 0\\.67650625 / \\(${n} \\* ${n}\\)\\) \\^ 0\\.5\\) / \\(1 \\+ 2\\.706025 / ${n}\\)\\)\\)$`));
  });

  test('the minimum-evidence guard: a thin window yields no datapoint, and missing data keeps the alarm\'s state (neither healthy nor breaching)', () => {
    for (const name of Object.keys(alarms).filter((n) => /-accuracy-(pass-rate|mean-score)$/.test(n))) {
      expect({ name, missing: alarms[name].TreatMissingData }).toEqual({ name, missing: 'ignore' });
      // IF without an else: below the minimum the expression has no value
      expect(alarms[name].Metrics.find((x: any) => x.Expression).Expression).toMatch(/^IF\(\w+ >= \d+, 100 \* \(1 - .*\)\)$/);
    }
    expect(alarms['example-qa-review-score-reply-human-audit-accuracy-pass-rate'].Metrics.find((x: any) => x.Expression).Expression).toMatch(/^IF\(\w+ >= 20, /);
    expect(JSON.stringify(judge.AlarmDescription)).toContain('a window with fewer than 30 evaluations is not enough evidence and keeps the alarm\'s state');
  });

  test('a mean-score objective is in percent of the score, over the score metric', () => {
    const alarm = alarms['example-answer-draft-reply-grounded-answer-judge-accuracy-mean-score'];
    expect(alarm.Threshold).toBe(80);
    expect(queries(alarm).Average.Metric.MetricName).toBe(TelemetryMetrics.EVALUATION_SCORE.name);
  });

  test('no scores at all for a day (or the window, when longer) is a P3, missing data breaching', () => {
    const alarm = alarms['example-answer-draft-reply-grounded-answer-judge-accuracy-no-scores'];
    expect(alarm).toEqual(expect.objectContaining({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      MetricName: TelemetryMetrics.EVALUATION_COUNT.name,
      Statistic: 'Sum',
      Period: 86400,
    }));
    expect(severityOf(alarm)).toBe(Severity.P3);
    expect(alarms['example-qa-review-score-reply-human-audit-accuracy-no-scores'].Period).toBe(72 * 3600);
  });

  test('severities: P2 by default, the route\'s accuracy.severity when set; routed, described and linked like every alarm', () => {
    expect(severityOf(judge)).toBe(Severity.P2);
    expect(DEFAULT_SEVERITIES[SloAlarmKind.ACCURACY_PASS_RATE]).toBe(Severity.P2);
    expect(severityOf(alarms['example-qa-review-score-reply-human-audit-accuracy-pass-rate'])).toBe(Severity.P3);
    const description = JSON.stringify(judge.AlarmDescription);
    expect(description).toContain('[P2] The pass rate of route answer/draft-reply under evaluator grounded-answer-judge is below its objective.');
    expect(description).toContain('Runbook: https://runbooks.example.com/support/answer');
    expect(description).toContain('#dashboards/dashboard/example-ai-ops-agent-answer');
    expect(JSON.stringify(alarms['example-qa-review-score-reply-human-audit-accuracy-no-scores'].AlarmDescription))
      .toContain('Runbook: https://runbooks.example.com/cdk-ai-ops/example/example-qa-review-score-reply-human-audit-accuracy-no-scores.md');
  });
});

describe('accuracy read from AgentCore Evaluations', () => {
  const config = exampleConfig();
  const scoreReply = config.agents[3].routes[0];
  const agentCore = { namespace: 'Example/AgentCoreEvaluations', metricName: 'Score', evaluatorDimension: 'EvaluatorName', dimensions: { OnlineEvaluationConfig: 'qa-review-online' } };
  const changed = {
    ...config,
    agents: config.agents.map((agent, a) => (a !== 3 ? agent : {
      ...agent,
      routes: [{ ...scoreReply, slo: { ...scoreReply.slo, accuracy: { evaluators: [{ id: 'Builtin.Correctness', minMeanScore: 0.75 }], agentCore } } }, agent.routes[1]],
    })),
  };
  const custom = new AiOpsStack(newApp(), 'Custom', { config: changed });
  const qa = alarmsOf(agentTemplates(custom.aiOps)['qa-review']);

  test('the drift alarm reads the AgentCore metric (mean and sample count) by evaluator and the configured dimensions', () => {
    const alarm = qa['example-qa-review-score-reply-Builtin.Correctness-accuracy-mean-score'];
    expect(alarm.Threshold).toBe(75);
    const stats = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(stats.map((s: any) => s.Stat).sort()).toEqual(['Average', 'SampleCount']);
    for (const stat of stats) {
      expect(stat.Metric).toEqual({
        Namespace: 'Example/AgentCoreEvaluations',
        MetricName: 'Score',
        Dimensions: [{ Name: 'EvaluatorName', Value: 'Builtin.Correctness' }, { Name: 'OnlineEvaluationConfig', Value: 'qa-review-online' }],
      });
    }
  });

  test('the no-scores alarm counts the AgentCore scores', () => {
    const alarm = qa['example-qa-review-score-reply-Builtin.Correctness-accuracy-no-scores'];
    expect(alarm).toEqual(expect.objectContaining({ Namespace: 'Example/AgentCoreEvaluations', MetricName: 'Score', Statistic: 'SampleCount', TreatMissingData: 'breaching' }));
  });
});

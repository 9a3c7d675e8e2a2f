import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ClientConfig, OperatingPosture, Severity, SlaTier } from '../../lib/config';
import { AiOpsStack } from '../../lib/facade';
import { DEFAULT_FORWARDER_RESERVED_CONCURRENCY, deliveryPlanOf, DigestSchedule, FORWARDER_ENV } from '../../lib/routing';
import { exampleConfig, exampleStack, nagFindings, newApp } from '../support/example';

describe('deliveryPlanOf: the SLA table as routing', () => {
  const base = exampleConfig();

  test('standard tier, primary posture: P1 pages and mails, P2 pages its low-urgency service, P3 weekly digest', () => {
    const plan = deliveryPlanOf(base);
    expect(plan.p1).toEqual({ pagerDutySecretName: 'cdk-ai-ops/example/pagerduty-p1', emails: ['oncall@example.com'], slack: true, batched: false });
    expect(plan.p2).toEqual({ pagerDutySecretName: 'cdk-ai-ops/example/pagerduty-p2', emails: [], slack: true, batched: false });
    expect(plan.p3).toEqual({ emails: [], slack: false, batched: true });
    expect(plan.digestSchedule).toBe(DigestSchedule.WEEKLY);
    expect(plan.digestEmails).toEqual(['support-ai@example.com']);
  });

  test('standard tier without a P2 service: P2 goes to email', () => {
    const pagerDuty = { p1: base.escalation.pagerDuty!.p1 };
    const plan = deliveryPlanOf({ ...base, escalation: { ...base.escalation, pagerDuty } });
    expect(plan.p2).toEqual({ pagerDutySecretName: undefined, emails: ['support-ai@example.com'], slack: true, batched: false });
  });

  test('enterprise tier: P3 every two business days', () => {
    expect(deliveryPlanOf({ ...base, slaTier: SlaTier.ENTERPRISE }).digestSchedule).toBe(DigestSchedule.EVERY_TWO_BUSINESS_DAYS);
  });

  test('escalation posture: the client\'s team channel first, PagerDuty for P1 only', () => {
    const plan = deliveryPlanOf({ ...base, posture: OperatingPosture.ESCALATION });
    expect(plan.p1.pagerDutySecretName).toBe('cdk-ai-ops/example/pagerduty-p1');
    expect(plan.p2).toEqual({ pagerDutySecretName: undefined, emails: ['support-ai@example.com'], slack: true, batched: false });
  });
});

describe('the incident router of the example client', () => {
  const template = Template.fromStack(exampleStack());
  const functions = template.findResources('AWS::Lambda::Function');
  const forwarder: any = Object.entries(functions).find(([id]) => id.includes('PagerDutyForwarder'))![1];

  test('the forwarder: newest Node.js runtime, bundled asset, secret names (never keys) in its environment', () => {
    expect(forwarder.Properties).toEqual(expect.objectContaining({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 60,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: expect.objectContaining({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' }),
    }));
    const env = forwarder.Properties.Environment.Variables;
    expect(JSON.parse(env[FORWARDER_ENV.KEY_SECRETS])).toEqual({ P1: 'cdk-ai-ops/example/pagerduty-p1', P2: 'cdk-ai-ops/example/pagerduty-p2' });
    expect(env[FORWARDER_ENV.EVENTS_URL]).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(env[FORWARDER_ENV.SLA_TIER]).toBe('standard');
  });

  test('its concurrency is reserved: a flood elsewhere in the account cannot throttle alert delivery; the digest runs one at a time', () => {
    expect(forwarder.Properties.ReservedConcurrentExecutions).toBe(DEFAULT_FORWARDER_RESERVED_CONCURRENCY);
    const digest: any = Object.entries(functions).find(([id]) => id.includes('P3Digest'))![1];
    expect(digest.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  test('it reads only its two secrets', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: { 'Fn::Join': ['', Match.arrayWith([':secret:cdk-ai-ops/example/pagerduty-p1-??????'])] },
        })]),
      },
    });
  });

  test('subscribed to the P1 and P2 topics, with the dead-letter queue for failed deliveries', () => {
    const lambdaSubscriptions = Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'lambda' } }));
    expect(lambdaSubscriptions).toHaveLength(2);
    for (const subscription of lambdaSubscriptions as any[]) {
      expect(subscription.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AiOpsAlertsDeadLetterQueue/), 'Arn'] });
    }
  });

  test('failed invocations end in the encrypted dead-letter queue, whose depth is a P1 alarm mailed on a second path', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'example-ai-ops-undelivered-alerts',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AiOpsEncryptionKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AiOpsAlertsDeadLetterQueue'), 'Arn'] } } },
    });
    const alarm: any = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a: any) => a.Properties.AlarmName === 'example-undelivered-alerts');
    expect(alarm.Properties).toEqual(expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', MetricName: 'ApproximateNumberOfMessagesVisible' }));
    expect(alarm.Properties.AlarmDescription).toMatch(/^\[P1\] Alerts of client example could not be delivered to PagerDuty/);
    const [action] = alarm.Properties.AlarmActions;
    expect(action.Ref).toMatch(/^AiOpsAlertsDeadLetterAlerts/);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: action.Ref } });
  });

  test('email per severity (P1 always, P2 only without its PagerDuty service), P3 only in the digest', () => {
    const emails = Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } }))
      .map((s: any) => `${s.Properties.TopicArn.Ref.replace(/[0-9A-F]{8}$/, '')} ${s.Properties.Endpoint}`).sort();
    expect(emails).toEqual([
      'AiOpsAlertsDeadLetterAlerts oncall@example.com',
      'AiOpsAlertsDigestTopic support-ai@example.com',
      'AiOpsAlertsP1Topic oncall@example.com',
      // Not an alert: the governance report's summary to its recipients.
      'AiOpsGovernanceReportTopic finance@example.com',
      'AiOpsGovernanceReportTopic support-ai@example.com',
    ]);
  });

  test('Slack through AWS Chatbot with a read-only guardrail, on the immediate topics, the digest and the dead letters', () => {
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T01EXAMPLE',
      SlackChannelId: 'C01SUPPORTAI',
      GuardrailPolicies: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
      SnsTopicArns: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^AiOpsAlertsP1Topic') }, { Ref: Match.stringLikeRegexp('^AiOpsAlertsDigestTopic') }]),
    });
  });

  test('the P3 digest runs weekly (standard tier) and may read only this client\'s alarms', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 9 ? * MON *)' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
          Resource: { 'Fn::Join': ['', Match.arrayWith([':alarm:example-*'])] },
        })]),
      },
    });
  });

  test('function logs are encrypted with the client key and kept a year', () => {
    // The forwarder's, the digest's, the governance report's, and the rollout's change events function's and state machine's.
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AiOpsEncryptionKey'), 'Arn'] }, RetentionInDays: 365,
    }, 5);
  });
});

describe('an enterprise client in escalation posture', () => {
  const example = exampleConfig();
  // In escalation posture the client's team answers P2 first: a PagerDuty service for P2 is refused.
  const escalation = { ...example.escalation, pagerDuty: { p1: example.escalation.pagerDuty?.p1 } };
  const config: ClientConfig = { ...example, slaTier: SlaTier.ENTERPRISE, posture: OperatingPosture.ESCALATION, escalation };
  const app = newApp();
  new AiOpsStack(app, 'example-ai-ops', { config });
  const findings = nagFindings(app);
  const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(app.outdir, 'example-ai-ops.template.json'), 'utf8')));

  test('pages P1 only, digests P3 on Monday, Wednesday and Friday, and stays clean under cdk-nag', () => {
    expect(findings).toEqual([]);
    const forwarder: any = Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Environment.Variables[FORWARDER_ENV.KEY_SECRETS]);
    expect(JSON.parse(forwarder.Properties.Environment.Variables[FORWARDER_ENV.KEY_SECRETS])).toEqual({ [Severity.P1]: 'cdk-ai-ops/example/pagerduty-p1' });
    expect(Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'lambda' } }))).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 9 ? * MON,WED,FRI *)' });
  });
});

test('no secret appears in the cloud assembly: only secret names', () => {
  const app = newApp();
  new AiOpsStack(app, 'example-ai-ops', { config: exampleConfig() });
  const assembly = app.synth();
  const text = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.json')).map((f) => fs.readFileSync(path.join(assembly.directory, f), 'utf8')).join('\n');
  expect(text).toContain('cdk-ai-ops/example/pagerduty-p1');
  expect(text).not.toMatch(/"(SecretString|SecretBinary|routing_key|integrationKey)"/);
  expect(text).not.toMatch(/\b[a-f0-9]{32}\b/);
});

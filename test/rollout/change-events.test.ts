import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ClientConfig, OperatingPosture } from '../../lib/config';
import { CHANGE_EVENTS_ENV, RolloutChangeEvents } from '../../lib/rollout';
import { changeEventsUrlOf } from '../../lib/routing';
import { exampleConfig, nagFindings, newApp } from '../support/example';
import { rendered } from '../support/templates';

const P1_SECRET = 'cdk-ai-ops/example/pagerduty-p1';
const P2_SECRET = 'cdk-ai-ops/example/pagerduty-p2';

/** The construct alone in a stack, with a key of its own. */
function changeEventsStack(config: ClientConfig = exampleConfig(), app = newApp()) {
  const stack = new Stack(app, 'ChangeEvents');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const changeEvents = new RolloutChangeEvents(stack, 'RolloutChangeEvents', { config, encryptionKey: key });
  return { app, stack, changeEvents };
}

const withPagerDuty = (pagerDuty: ClientConfig['escalation']['pagerDuty'], changes: Partial<ClientConfig> = {}): ClientConfig => {
  const base = exampleConfig();
  return { ...base, ...changes, escalation: { ...base.escalation, pagerDuty } };
};

describe('RolloutChangeEvents.pagerDutySecretNames and isConfigured', () => {
  test('the services the client pages, each once', () => {
    expect(RolloutChangeEvents.pagerDutySecretNames(exampleConfig())).toEqual([P1_SECRET, P2_SECRET]);
    const shared = { integrationKeySecretName: P1_SECRET };
    expect(RolloutChangeEvents.pagerDutySecretNames(withPagerDuty({ p1: shared, p2: shared }))).toEqual([P1_SECRET]);
  });

  test('posture escalation pages P1 only: only its service', () => {
    const config = withPagerDuty({ p1: { integrationKeySecretName: P1_SECRET } }, { posture: OperatingPosture.ESCALATION });
    expect(RolloutChangeEvents.pagerDutySecretNames(config)).toEqual([P1_SECRET]);
  });

  test('without PagerDuty: not configured, and the construct refuses with the fix', () => {
    const config = withPagerDuty(undefined);
    expect(RolloutChangeEvents.isConfigured(config)).toBe(false);
    expect(RolloutChangeEvents.isConfigured(exampleConfig())).toBe(true);
    expect(() => changeEventsStack(config)).toThrow(
      'RolloutChangeEvents at ChangeEvents/RolloutChangeEvents: client example has no PagerDuty service (escalation.pagerDuty.p1 or p2 in its config); '
      + 'check RolloutChangeEvents.isConfigured(config) before creating it');
  });
});

describe('changeEventsUrlOf', () => {
  test.each([
    [undefined, 'https://events.pagerduty.com/v2/change/enqueue'],
    ['https://events.pagerduty.com/v2/enqueue', 'https://events.pagerduty.com/v2/change/enqueue'],
    ['https://events.eu.pagerduty.com/v2/enqueue', 'https://events.eu.pagerduty.com/v2/change/enqueue'],
    ['https://proxy.example.com/pagerduty/v2/enqueue/', 'https://proxy.example.com/pagerduty/v2/change/enqueue'],
    ['https://proxy.example.com/other?x=1#y', 'https://proxy.example.com/v2/change/enqueue'],
  ])('%s → %s', (events, change) => {
    expect(changeEventsUrlOf(events)).toBe(change);
  });
});

describe('the RolloutChangeEvents function', () => {
  const { stack, changeEvents } = changeEventsStack(withPagerDuty({
    eventsApiUrl: 'https://events.eu.pagerduty.com/v2/enqueue',
    p1: { integrationKeySecretName: P1_SECRET },
    p2: { integrationKeySecretName: P2_SECRET },
  }));
  const template = Template.fromStack(stack);
  const functionId = stack.getLogicalId(changeEvents.function.node.defaultChild as any);

  test('newest Node.js runtime, bounded time, reserved concurrency, tracing; secret names and the EU endpoint, never a key', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 30,
      ReservedConcurrentExecutions: 2,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO' }),
      Environment: {
        Variables: {
          [CHANGE_EVENTS_ENV.KEY_SECRETS]: JSON.stringify([P1_SECRET, P2_SECRET]),
          [CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL]: 'https://events.eu.pagerduty.com/v2/change/enqueue',
          [CHANGE_EVENTS_ENV.CLIENT_ID]: 'example',
        },
      },
    });
    // Synchronous invocations only: no asynchronous retries.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: functionId }, MaximumRetryAttempts: 0 });
  });

  test('its log group: named after the client, encrypted with the client key, kept a year, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/cdk-ai-ops/example/rollout-change-events',
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
        RetentionInDays: 365,
      },
      DeletionPolicy: 'Retain',
    });
    // CloudWatch Logs may use the key for that log group alone.
    const keyPolicy = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    const logsStatement = keyPolicy.find((statement: any) => statement.Sid === 'CloudWatchLogsEncryptsRolloutChangeEventLogs');
    expect(rendered(logsStatement.Principal.Service)).toBe('logs.us-east-1.amazonaws.com');
    expect(rendered(logsStatement.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']))
      .toBe('arn:aws:logs:us-east-1:111122223333:log-group:/cdk-ai-ops/example/rollout-change-events');
  });

  test('least privilege: its own log group, GetSecretValue on exactly the two key secrets, X-Ray; nothing else', () => {
    // One managed policy (the compliance packs refuse inline ones), and no inline policy at all.
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const statements = Object.values(policies)[0].Properties.PolicyDocument.Statement;
    const secretArn = (name: string) => `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-??????`;
    expect(statements).toEqual([
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] } },
      { Sid: 'ReadIntegrationKeys', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: expect.any(Array) },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
    expect(statements[1].Resource.map(rendered)).toEqual([secretArn(P1_SECRET), secretArn(P2_SECRET)]);
    // No managed policy: the default role's AWSLambdaBasicExecutionRole would write to any log group.
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('no key in the template', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"[a-z0-9]{32}"/);
  });
});

test('cdk-nag AwsSolutions and Serverless: zero unacknowledged findings', () => {
  const app = newApp();
  changeEventsStack(exampleConfig(), app);
  expect(nagFindings(app)).toEqual([]);
});

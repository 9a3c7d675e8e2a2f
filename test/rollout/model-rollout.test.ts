import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmFactory, SloAlarm } from '../../lib/common/alarm-factory';
import { SloAlarmKind } from '../../lib/common/alarm-kinds';
import { IAlarmRouter } from '../../lib/common/alarm-router';
import { ClientConfig, RolloutConfig, Severity } from '../../lib/config';
import { ModelRollout, RolloutFailure, RolloutFoundation } from '../../lib/rollout';
import { parseRouteFlag } from '../../lib/rollout/runtime';
import { RolloutMetrics, TelemetryFields } from '../../lib/telemetry/contract';
import { exampleConfig } from '../support/example';

// aws-local-stepfunctions is an ES module with a CommonJS build; TypeScript refuses its types from a CommonJS test file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as {
  StateMachine: new (definition: object, options?: object) => { run(input: unknown, options?: object): { result: Promise<unknown> } };
};

// aws-local-stepfunctions 3 targets Node.js 22, which has Promise.withResolvers; this machine's Node.js 20 lacks it.
if (typeof (Promise as any).withResolvers !== 'function') {
  (Promise as any).withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** Records what the factory routes; a rollout's rollback alarm must reach the P2 route. */
class RecordingRouter implements IAlarmRouter {
  public readonly routed: Array<{ alarm: cloudwatch.AlarmBase; severity: Severity }> = [];
  public route(alarm: cloudwatch.AlarmBase, severity: Severity): void {
    this.routed.push({ alarm, severity });
  }
  public serviceTopic(): sns.ITopic {
    throw new Error('a rollout publishes to no service topic');
  }
}

const DIMENSIONS = [{ Name: TelemetryFields.AGENT.name, Value: 'answer' }, { Name: TelemetryFields.ROUTE.name, Value: 'draft-reply' }];

const ROLLOUT: RolloutConfig = {
  baseline: { id: 'sonnet45-p7', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', promptVersion: '7', parameters: { temperature: 0.2 } },
  candidate: { id: 'sonnet46-p7', model: 'us.anthropic.claude-sonnet-4-6', promptVersion: '7', parameters: { temperature: 0.2 } },
  stages: [{ percent: 10, bakeHours: 24 }, { percent: 50, bakeHours: 48 }, { percent: 100, bakeHours: 24 }],
  shadowPercent: 5,
  minCallsPerStage: 300,
};

interface Built {
  readonly stack: Stack;
  readonly rollout: ModelRollout;
  readonly router: RecordingRouter;
  readonly template: Template;
}

/** One rollout on its own, with two gate alarms and a change-event function, in a minimal stack. */
function build(rollout: RolloutConfig = ROLLOUT, withChangeEvents = true): Built {
  const app = new App();
  const stack = new Stack(app, 'Rollouts', { env: { account: '123456789012', region: 'eu-west-1' } });
  const example = exampleConfig();
  const agent = example.agents.find((a) => a.id === 'answer')!;
  const route = { ...agent.routes.find((r) => r.id === 'draft-reply')!, rollout };
  const config: ClientConfig = { ...example, agents: [{ ...agent, routes: [route] }] };
  const router = new RecordingRouter();
  const factory = new AlarmFactory({ clientId: 'example', router });
  const gate = (kind: SloAlarmKind, id: string): SloAlarm => factory.addAlarm(stack, id, {
    kind,
    agentId: 'answer',
    routeId: 'draft-reply',
    pages: false,
    what: id,
    condition: id,
    owner: 'team support-ai',
    metric: new cloudwatch.Metric({ namespace: 'CdkAiOps', metricName: 'x', period: Duration.minutes(5) }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  });
  const gateAlarms = [gate(SloAlarmKind.LATENCY_P95, 'P95'), gate(SloAlarmKind.MODEL_ERROR_RATE, 'Errors')];
  const changeEvents = withChangeEvents
    ? lambda.Function.fromFunctionArn(stack, 'ChangeEvents', 'arn:aws:lambda:eu-west-1:123456789012:function:example-rollout-change-events')
    : undefined;
  const built = new ModelRollout(stack, 'Rollout-answer-draft-reply', {
    config,
    agent,
    route,
    foundation: new RolloutFoundation(stack, 'Rollouts', { clientId: 'example' }),
    factory,
    gateAlarms,
    encryptionKey: new kms.Key(stack, 'Key'),
    changeEvents,
  });
  return { stack, rollout: built, router, template: Template.fromStack(stack) };
}

/** The template's value with every Ref and Fn::GetAtt replaced by a fake id or ARN, Fn::Join joined. */
function render(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(render);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return object.Ref === 'AWS::Partition' ? 'aws' : `ref-${String(object.Ref)}`;
  if ('Fn::GetAtt' in object) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as string[];
    return `arn:aws:fake:eu-west-1:123456789012:${logicalId}/${attribute}`;
  }
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(render(part))).join(separator);
  }
  return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, render(inner)]));
}

function definitionOf(built: Built): any {
  const machines = built.template.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines) as any[];
  return JSON.parse(render(machine.Properties.DefinitionString) as string);
}

function versionNumber(built: Built, version: unknown): string {
  return `ref-${built.stack.getLogicalId(version as any)}`;
}

type GateState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

interface Scenario {
  /** The gate's state after each stage's bake, by percent; default OK. */
  readonly gate?: Record<number, GateState>;
  /** Calls counted over each bake, by percent; default 1,000. */
  readonly calls?: Record<number, number | undefined>;
}

interface Run {
  readonly error?: { name: string; cause: string };
  readonly output?: any;
  readonly deployedVersions: string[];
  readonly changeEvents: any[];
  readonly metrics: any[];
  readonly gateQuieted: boolean;
  readonly visited: string[];
}

/** Runs the synthesized definition with AppConfig, CloudWatch and Lambda answered locally and no waits. */
async function execute(built: Built, scenario: Scenario): Promise<Run> {
  const definition = definitionOf(built);
  const states: Record<string, any> = { ...definition.States };
  for (const state of Object.values(definition.States) as any[]) Object.assign(states, state.ItemProcessor?.States ?? {});
  const versions = new Map(built.rollout.stageVersions.map((v, i) => [versionNumber(built, v), ROLLOUT.stages![i].percent]));
  const deployedVersions: string[] = [];
  const changeEvents: any[] = [];
  const metrics: any[] = [];
  const visited: string[] = [];
  let gateQuieted = false;
  let current = 0;
  const handlers: Record<string, (input: any) => Promise<any>> = {};
  const waits: Record<string, number> = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Wait') waits[name] = 0;
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    handlers[name] = async (input: any) => {
      visited.push(name);
      if (resource.endsWith(':appconfig:startDeployment')) {
        deployedVersions.push(input.ConfigurationVersion);
        current = versions.get(input.ConfigurationVersion) ?? 0;
        return { DeploymentNumber: deployedVersions.length, State: 'DEPLOYING' };
      }
      if (resource.endsWith(':appconfig:getDeployment')) return { DeploymentNumber: input.DeploymentNumber, State: 'COMPLETE' };
      if (resource.endsWith(':cloudwatch:describeAlarms')) {
        const gateState = scenario.gate?.[current] ?? 'OK';
        if (input.StateValue === 'ALARM') {
          return { CompositeAlarms: [], MetricAlarms: [{ AlarmName: 'example-answer-draft-reply-latency-p95', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 3 datapoints > 8000' }] };
        }
        return { CompositeAlarms: [{ AlarmName: input.AlarmNames[0], StateValue: gateState, StateReason: `children: ${gateState}` }], MetricAlarms: [] };
      }
      if (resource.endsWith(':cloudwatch:getMetricData')) {
        const calls = scenario.calls && current in scenario.calls ? scenario.calls[current] : 1000;
        return { MetricDataResults: [{ Id: 'total', Values: calls === undefined ? [] : [calls, Math.floor(calls / 2)] }] };
      }
      if (resource.endsWith(':cloudwatch:setAlarmState')) {
        gateQuieted = true;
        return {};
      }
      if (resource.endsWith(':cloudwatch:putMetricData')) {
        metrics.push(input);
        return {};
      }
      if (resource.endsWith(':lambda:invoke')) {
        changeEvents.push(input.Payload);
        return { StatusCode: 200, Payload: {} };
      }
      throw new Error(`no local answer for ${resource}`);
    };
  }
  const machine = new StateMachine(definition, { validationOptions: { checkPaths: false } });
  const context = {
    Execution: { Id: 'arn:aws:states:eu-west-1:123456789012:execution:rollout:test', Input: {}, StartTime: '2026-11-29T08:00:00Z' },
    State: { EnteredTime: '2026-11-29T08:00:00Z' },
  };
  const execution = machine.run({}, { overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits }, context });
  try {
    const output: any = await execution.result;
    return { output, deployedVersions, changeEvents, metrics, gateQuieted, visited };
  } catch (error: any) {
    const failure = error.cause ?? error;
    const failed = { name: failure.name, cause: String(failure.cause ?? failure.message) };
    return { error: failed, deployedVersions, changeEvents, metrics, gateQuieted, visited };
  }
}

describe('ModelRollout state machine, executed from the synthesized definition', () => {
  const built = build();
  const stage = (percent: number) => versionNumber(built, built.rollout.stageVersions[ROLLOUT.stages!.findIndex((s) => s.percent === percent)]);
  const baselineOnly = versionNumber(built, built.rollout.baselineVersion);

  test('(a) all gates green: 10% -> 50% -> 100%, then complete', async () => {
    // WHEN every bake ends with the gate OK and enough calls
    const run = await execute(built, {});

    // THEN each stage's version is deployed once, in order, and the plan succeeds
    expect(run.error).toBeUndefined();
    expect(run.deployedVersions).toEqual([stage(10), stage(50), stage(100)]);
    expect(run.changeEvents.map((e) => [e.action, e.fromPercent, e.toPercent])).toEqual([
      ['start', 0, 10], ['advance', 10, 50], ['advance', 50, 100], ['complete', 100, 100],
    ]);
    expect(run.changeEvents[0]).toMatchObject({
      clientId: 'example',
      agent: 'answer',
      route: 'draft-reply',
      rolloutId: 'sonnet46-p7',
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:rollout:test',
    });
    expect(run.metrics).toEqual([]);
    expect(run.gateQuieted).toBe(false);
  });

  test('(b) too few calls: the stage pauses for another bake, then stops for a human', async () => {
    // WHEN the 10% stage sees 120 calls per bake (minimum 300)
    const run = await execute(built, { calls: { 10: 120 } });

    // THEN it pauses twice (another bake each), then stops inconclusive without rolling back
    expect(run.deployedVersions).toEqual([stage(10)]);
    expect(run.changeEvents.map((e) => e.action)).toEqual(['start', 'pause', 'pause', 'pause']);
    expect(run.changeEvents[1].reason).toMatch(/inconclusive at 10%: fewer than 300 calls/);
    expect(run.changeEvents[3].reason).toMatch(/stopped at 10% awaiting a human/);
    expect(run.error).toEqual({ name: RolloutFailure.INCONCLUSIVE, cause: expect.stringMatching(/fewer than 300 calls .* after 3 bakes of 24 h/) });
    expect(run.metrics).toEqual([]);
  });

  test('(b) a gate without data, or no call count at all, is inconclusive too', async () => {
    expect((await execute(built, { gate: { 10: 'INSUFFICIENT_DATA' } })).error?.name).toBe(RolloutFailure.INCONCLUSIVE);
    expect((await execute(built, { calls: { 50: undefined } })).deployedVersions).toEqual([stage(10), stage(50)]);
  });

  test('(c) a gate alarm during the 50% stage rolls back to the baseline alone, counts it, tells PagerDuty and fails with the reason', async () => {
    // WHEN the gate is in ALARM after the 50% bake
    const run = await execute(built, { gate: { 50: 'ALARM' } });

    // THEN the baseline-only version is deployed after the 50% stage, with the gate quieted first
    expect(run.deployedVersions).toEqual([stage(10), stage(50), baselineOnly]);
    expect(run.gateQuieted).toBe(true);
    expect(run.visited.indexOf('Quiet the gate for the rollback')).toBeLessThan(run.visited.indexOf('Deploy the baseline only'));
    // AND the rollback is counted under the route's dimensions
    expect(run.metrics).toEqual([{
      Namespace: 'CdkAiOps',
      MetricData: [{ MetricName: RolloutMetrics.ROLLBACKS.name, Dimensions: DIMENSIONS, Value: 1, Unit: 'Count' }],
    }]);
    // AND the change event carries the evidence
    const rollback = run.changeEvents.find((e) => e.action === 'rollback');
    expect(rollback).toMatchObject({
      fromPercent: 50,
      toPercent: 0,
      reason: expect.stringMatching(/^gate example-answer-draft-reply-rollout-gate was ALARM after 48 h at 50%/),
      evidence: [{ alarmName: 'example-answer-draft-reply-latency-p95', state: 'ALARM', reason: 'Threshold Crossed: 3 datapoints > 8000' }],
    });
    // AND the execution fails with the reason
    expect(run.error).toEqual({ name: RolloutFailure.ROLLED_BACK, cause: rollback.reason });
  });

  test('a change event that fails never stops a rollback', async () => {
    const definition = definitionOf(built);
    const notify = definition.States['Change event: rollback'];
    expect(notify.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.changeEventError', Next: 'Rolled back' }]);
    expect(notify.Retry).toEqual(expect.arrayContaining([{ ErrorEquals: ['ChangeEventRetryable'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 1 }]));
  });

  test('without a change-event function the stage changes are plain Pass states', async () => {
    const run = await execute(build(ROLLOUT, false), {});
    expect(run.error).toBeUndefined();
    expect(run.changeEvents).toEqual([]);
  });
});

describe('ModelRollout resources', () => {
  const { template, router, rollout } = build();

  test('an application, its own environment per route with the composite gate as its one monitor, read by a least-privilege role', () => {
    template.hasResourceProperties('AWS::AppConfig::Application', { Name: 'cdk-ai-ops-example' });
    template.hasResourceProperties('AWS::AppConfig::Environment', {
      Name: 'answer.draft-reply',
      Monitors: [{ AlarmArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Gate'), 'Arn'] }, AlarmRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitorRole'), 'Arn'] } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'example-answer-draft-reply-rollout-gate',
      AlarmRule: '(ALARM("example-answer-draft-reply-latency-p95") OR ALARM("example-answer-draft-reply-model-error-rate"))',
      AlarmActions: Match.absent(),
      AlarmDescription: Match.stringLikeRegexp('"kind":"rollout-gate"'),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('MonitorRole') }],
      PolicyDocument: { Statement: [{ Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Gate'), 'Arn'] } }] },
    });
  });

  test('a feature-flag profile <agent>.<route>, a baseline-only version and one version per stage that the runtime reads back', () => {
    template.hasResourceProperties('AWS::AppConfig::ConfigurationProfile', { Name: 'answer.draft-reply', Type: 'AWS.AppConfig.FeatureFlags', LocationUri: 'hosted' });
    const versions = Object.values(template.findResources('AWS::AppConfig::HostedConfigurationVersion')) as any[];
    const flags = versions.map((v) => parseRouteFlag(JSON.parse(v.Properties.Content).values));
    expect(flags.map((f) => f.problems)).toEqual([[], [], [], []]);
    expect(flags.map((f) => f.flag!.candidatePercent)).toEqual([0, 10, 50, 100]);
    expect(flags.every((f) => f.flag!.baseline.id === 'sonnet45-p7' && f.flag!.candidate!.id === 'sonnet46-p7' && f.flag!.shadowPercent === 5)).toBe(true);
    expect(flags[1].flag!.candidate!.params).toEqual({ temperature: 0.2 });
    expect(rollout.stageVersions).toHaveLength(3);
    // created one after the other: AppConfig numbers a profile's versions in sequence
    expect(versions.map((v) => (v.DependsOn ?? []).length)).toEqual([0, 1, 1, 1]);
  });

  test('two deployment strategies: a stage deploys at once and is watched 30 minutes; a rollback deploys at once without bake', () => {
    template.hasResourceProperties('AWS::AppConfig::DeploymentStrategy', {
      Name: 'cdk-ai-ops-example-rollout-stage', GrowthFactor: 100, DeploymentDurationInMinutes: 0, FinalBakeTimeInMinutes: 30, GrowthType: 'LINEAR',
    });
    template.hasResourceProperties('AWS::AppConfig::DeploymentStrategy', {
      Name: 'cdk-ai-ops-example-rollout-rollback', GrowthFactor: 100, DeploymentDurationInMinutes: 0, FinalBakeTimeInMinutes: 0,
    });
  });

  test('the state machine bakes each stage for its hours, logs everything to an encrypted log group and is traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/cdk-ai-ops-example-answer-draft-reply-rollout', KmsKeyId: Match.anyValue() });
    const definition = definitionOf(build());
    expect([10, 50, 100].map((p) => definition.States[`${p}%: bake`].Seconds)).toEqual([24 * 3600, 48 * 3600, 24 * 3600]);
    expect(definition.States['10%: gate verdict'].Choices.map((c: any) => c.Next)).toEqual([
      'Reason: gate in ALARM', '10%: pause or stop', '10%: pause or stop', '10%: pause or stop',
    ]);
    expect(definition.States['10%: gate verdict'].Default).toBe('50%: stage');
    expect(definition.States['100%: gate verdict'].Default).toBe('Change event: complete');
  });

  test('the state machine may call only what it uses, on this rollout\'s resources', () => {
    // Managed policies only: the compliance packs refuse inline ones.
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    const machinePolicy = policies.find((p) => JSON.stringify(p.Properties.Roles).includes('StateMachineRole'));
    const statements = machinePolicy.Properties.PolicyDocument.Statement as any[];
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect([...new Set(actions)]).toEqual([
      'appconfig:getDeployment', 'appconfig:startDeployment', 'cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricData', 'cloudwatch:getMetricData',
      'cloudwatch:setAlarmState', 'lambda:InvokeFunction', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies', 'logs:GetLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:UpdateLogDelivery',
      'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments',
    ].sort());
    const put = statements.find((s) => s.Action === 'cloudwatch:PutMetricData');
    expect(put.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'CdkAiOps' } });
    const setState = statements.find((s) => s.Action === 'cloudwatch:setAlarmState');
    expect(JSON.stringify(setState.Resource)).toMatch(/Gate.*Arn/);
  });

  test('a rollback pages the route owner at P2 through the factory, and outputs give the one-command rollback and the start', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'example-answer-draft-reply-rollout-rolled-back',
      MetricName: RolloutMetrics.ROLLBACKS.name,
      Dimensions: DIMENSIONS,
      Threshold: 1,
      AlarmDescription: Match.stringLikeRegexp('rollout-rolled-back'),
    });
    expect(router.routed.filter((r) => r.severity === Severity.P2).map((r) => (r.alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName))
      .toEqual(['example-answer-draft-reply-rollout-rolled-back']);
    const outputs = JSON.stringify(template.toJSON().Outputs);
    expect(outputs).toMatch(/aws appconfig start-deployment --application-id .* --configuration-version /);
    expect(outputs).toMatch(/aws stepfunctions start-execution --state-machine-arn /);
  });

  test('after a promotion (no candidate): no state machine, and a version with the previous variant undoes it', () => {
    const promoted = build({
      baseline: ROLLOUT.candidate!, previous: ROLLOUT.baseline, promotedOn: '2026-11-20',
    });
    promoted.template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    const versions = Object.values(promoted.template.findResources('AWS::AppConfig::HostedConfigurationVersion')) as any[];
    const flags = versions.map((v) => parseRouteFlag(JSON.parse(v.Properties.Content).values).flag!);
    expect(flags.map((f) => [f.baseline.id, f.previous?.id, f.candidatePercent])).toEqual([['sonnet46-p7', 'sonnet45-p7', 0], ['sonnet45-p7', undefined, 0]]);
    expect(JSON.stringify(promoted.template.toJSON().Outputs)).toMatch(/UndoPromotion/);
  });
});

import { Aws, CfnElement, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../acknowledge';
import { CHANGE_EVENT_ERRORS, RolloutChangeAction } from './change-events-contract';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { encryptedLogGroup, letLogsEncryptWith } from '../common/bundled-function';
import { AiOpsNames } from '../common/names';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';
import { ROLLOUT_DEFAULTS } from '../config/defaults';
import { AgentConfig, ClientConfig, RolloutConfig, RolloutVariant, RouteConfig } from '../config/types';
import { featureFlagsDocument, rolloutApplicationName, routeEnvironmentName, routeProfileName, RouteFlagState } from './runtime/flag';
import { Variant } from './runtime/types';
import { RolloutMetrics, TelemetryContract, TelemetryFields, TelemetryMetrics } from '../telemetry/contract';

/** Error names the rollout state machine fails with. */
export enum RolloutFailure {
  /** A gate alarm was in ALARM (or AppConfig rolled a stage back): the flag was set back to the baseline. */
  ROLLED_BACK = 'RolloutRolledBack',
  /** Too few calls, or gates without data, after every allowed pause: the plan stopped for a human. */
  INCONCLUSIVE = 'RolloutInconclusive',
}

/** How long AppConfig itself watches the gate after deploying a stage (the strategy's final bake). */
const APPCONFIG_BAKE_MINUTES = 30;
/** How often the state machine polls a deployment it started. */
const DEPLOYMENT_POLL = Duration.minutes(1);
/** Period of the call count the gates read (metric math sums it over the bake). */
const CALL_COUNT_PERIOD_SECONDS = 300;

/** A client's AppConfig application and the deployment strategies its rollouts share. */
export interface RolloutFoundationProps {
  readonly clientId: string;
}

/**
 * The AppConfig application of a client's rollouts and the two deployment strategies they share: one for a
 * stage (all at once, then watched by the environment's monitors for 30 minutes) and one for a rollback
 * (all at once, no bake). Strategies count against an account-wide quota (20), so a client has two, not two per route.
 */
export class RolloutFoundation extends Construct {
  public readonly application: appconfig.Application;
  public readonly stageStrategy: appconfig.DeploymentStrategy;
  public readonly rollbackStrategy: appconfig.DeploymentStrategy;

  public constructor(scope: Construct, id: string, props: RolloutFoundationProps) {
    super(scope, id);
    this.application = new appconfig.Application(this, 'Application', {
      applicationName: rolloutApplicationName(props.clientId),
      description: `cdk-ai-ops ${props.clientId}: the model-rollout flag of each route (profile and environment <agent>.<route>)`,
    });
    this.stageStrategy = new appconfig.DeploymentStrategy(this, 'StageStrategy', {
      deploymentStrategyName: `cdk-ai-ops-${props.clientId}-rollout-stage`,
      description: 'A rollout stage: the share is in the flag (sticky hashing), so every client gets the stage at once; monitors watch 30 minutes',
      rolloutStrategy: appconfig.RolloutStrategy.linear({
        growthFactor: 100,
        deploymentDuration: Duration.minutes(0),
        finalBakeTime: Duration.minutes(APPCONFIG_BAKE_MINUTES),
      }),
    });
    this.rollbackStrategy = new appconfig.DeploymentStrategy(this, 'RollbackStrategy', {
      deploymentStrategyName: `cdk-ai-ops-${props.clientId}-rollout-rollback`,
      description: 'A rollback to the baseline: at once and without bake, so the gate alarm that caused it cannot revert it',
      rolloutStrategy: appconfig.RolloutStrategy.linear({
        growthFactor: 100,
        deploymentDuration: Duration.minutes(0),
        finalBakeTime: Duration.minutes(0),
      }),
    });
  }
}

/** Properties of `ModelRollout`. */
export interface ModelRolloutProps {
  /** The client's config (id, metric namespace). */
  readonly config: ClientConfig;
  readonly agent: AgentConfig;
  /** The route; its `rollout` section is what is rolled out. */
  readonly route: RouteConfig;
  /** The client's application and strategies. */
  readonly foundation: RolloutFoundation;
  /** Builds the rollback alarm (P2 to the route's owner). */
  readonly factory: AlarmFactory;
  /**
   * The alarms a stage must pass: the route's latency p95/p99 and error-rate alarms, the candidate model's
   * spend anomaly alarm and the route's accuracy alarms. They are combined into one composite gate (AppConfig
   * allows 5 monitors per environment); each should treat missing data as not breaching, so quiet nights pass.
   */
  readonly gateAlarms: SloAlarm[];
  /** Encrypts the state machine's log group. */
  readonly encryptionKey: kms.IKey;
  /**
   * The `RolloutChangeEvents` function: each stage change is sent to PagerDuty as a change event.
   * @default - no change events
   */
  readonly changeEvents?: lambda.IFunction;
}

/**
 * A route's governed rollout: the AppConfig environment and feature-flag profile `<agent>.<route>`, one hosted
 * version per stage and one for the baseline alone (the rollback target), a composite gate alarm as the
 * environment's monitor, and (with a candidate) a Step Functions state machine that deploys each stage, bakes,
 * checks the gates and advances, pauses or rolls back, sending each change to PagerDuty as a change event.
 */
export class ModelRollout extends Construct {
  public readonly environment: appconfig.Environment;
  public readonly profile: appconfig.CfnConfigurationProfile;
  /** The composite of the gate alarms: the environment's one monitor, and what the state machine checks. */
  public readonly gate: SloAlarm;
  /** The gate's name (`<client>-<agent>-<route>-rollout-gate`). */
  public readonly gateName: string;
  /** The flag with the baseline alone: where a rollback goes. */
  public readonly baselineVersion: appconfig.CfnHostedConfigurationVersion;
  /**
   * The flag with the previous variant as baseline: where undoing a promotion goes.
   * @default - none when the rollout has no previous variant
   */
  public readonly previousVersion?: appconfig.CfnHostedConfigurationVersion;
  /** One flag version per stage, in plan order (empty without a candidate). */
  public readonly stageVersions: appconfig.CfnHostedConfigurationVersion[] = [];
  /**
   * Runs the stage plan.
   * @default - none when the rollout has no candidate
   */
  public readonly stateMachine?: sfn.StateMachine;
  /**
   * P2 to the route's owner when the plan rolled back.
   * @default - none when the rollout has no candidate
   */
  public readonly rolledBack?: SloAlarm;

  private readonly rollout: RolloutConfig;
  private lastVersion?: appconfig.CfnHostedConfigurationVersion;

  public constructor(scope: Construct, id: string, props: ModelRolloutProps) {
    super(scope, id);
    const { config, agent, route, foundation } = props;
    if (!route.rollout) {
      throw new Error(`ModelRollout ${this.node.path}: route ${agent.id}/${route.id} has no rollout section in the client config`);
    }
    this.rollout = route.rollout;
    const rollout = this.rollout;
    const clientId = config.clientId;
    const name = routeProfileName(agent.id, route.id);
    const owner = `team ${agent.owner.team}, service ${agent.owner.service}`;

    const gate = props.factory.addCompositeAlarm(this, 'Gate', {
      kind: SloAlarmKind.ROLLOUT_GATE,
      agentId: agent.id,
      routeId: route.id,
      pages: false,
      rule: props.gateAlarms.length > 0 ? AlarmFactory.anyInAlarm(props.gateAlarms.map((a) => a.alarmName)) : cloudwatch.AlarmRule.fromBoolean(false),
      what: `the rollout gate of route ${agent.id}/${route.id} is closed`,
      condition: `any of its ${props.gateAlarms.map((a) => a.kind).join(', ') || 'no'} alarms is in ALARM; AppConfig rolls a stage back on it and the rollout state machine checks it after each bake`,
      owner,
      runbookUrl: route.runbookUrl ?? agent.runbookUrl,
      affects: [`${agent.id}/${route.id}`],
    });
    this.gate = gate;
    this.gateName = gate.alarmName;
    // The rule names its children: they must exist first.
    gate.alarm.node.addDependency(...props.gateAlarms.map((a) => a.alarm));

    const monitorRole = new ManagedPolicyRole(this, 'MonitorRole', {
      assumedBy: new iam.ServicePrincipal('appconfig.amazonaws.com'),
      description: `cdk-ai-ops ${clientId}: AppConfig reads the rollout gate of ${agent.id}/${route.id}`,
    });
    monitorRole.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTheGate', actions: ['cloudwatch:DescribeAlarms'], resources: [this.gate.alarm.alarmArn] }));

    this.environment = new appconfig.Environment(this, 'Environment', {
      application: foundation.application,
      environmentName: routeEnvironmentName(agent.id, route.id),
      description: `Rollout of route ${agent.id}/${route.id}; its own environment, so its gate rolls back only its flag`,
      monitors: [appconfig.Monitor.fromCloudWatchAlarm(this.gate.alarm, monitorRole)],
    });

    this.profile = new appconfig.CfnConfigurationProfile(this, 'Profile', {
      applicationId: foundation.application.applicationId,
      name,
      locationUri: 'hosted',
      type: 'AWS.AppConfig.FeatureFlags',
      description: `The variant flag of route ${agent.id}/${route.id} (read by cdk-ai-ops/rollout chooseVariant)`,
    });

    const baseline = variantOf(rollout.baseline);
    const candidate = rollout.candidate ? variantOf(rollout.candidate) : undefined;
    const previous = rollout.previous ? variantOf(rollout.previous) : undefined;
    const shadowPercent = rollout.shadowPercent ?? ROLLOUT_DEFAULTS.shadowPercent;
    this.baselineVersion = this.version('BaselineVersion', `${baseline.id} only (rollback target)`,
      { baseline, candidate, candidatePercent: 0, shadowPercent, previous });
    if (previous) {
      this.previousVersion = this.version('PreviousVersion', `${previous.id} only (undoes the promotion of ${baseline.id})`,
        { baseline: previous, candidatePercent: 0, shadowPercent: 0 });
    }

    const appConfigCli = (version: appconfig.CfnHostedConfigurationVersion, strategy: appconfig.IDeploymentStrategy) =>
      `aws appconfig start-deployment --application-id ${foundation.application.applicationId} --environment-id ${this.environment.environmentId} `
      + `--configuration-profile-id ${this.profile.ref} --deployment-strategy-id ${strategy.deploymentStrategyId} --configuration-version ${version.ref}`;
    new CfnOutput(this, 'RollbackCommand', {
      description: `Rolls route ${agent.id}/${route.id} back to ${baseline.id} alone, within minutes (stop a running plan first: aws stepfunctions stop-execution)`,
      value: appConfigCli(this.baselineVersion, foundation.rollbackStrategy),
    });
    if (this.previousVersion && previous) {
      new CfnOutput(this, 'UndoPromotionCommand', {
        description: `Serves route ${agent.id}/${route.id} from ${previous.id} again (undoes the promotion of ${rollout.promotedOn})`,
        value: appConfigCli(this.previousVersion, foundation.rollbackStrategy),
      });
    }

    if (!candidate) return;
    const stages = rollout.stages ?? ROLLOUT_DEFAULTS.stages;
    stages.forEach((stage) => this.stageVersions.push(this.version(`Stage${stage.percent}Version`, `${candidate.id} at ${stage.percent}%`,
      { baseline, candidate, candidatePercent: stage.percent, shadowPercent, previous })));

    this.rolledBack = props.factory.addAlarm(this, 'RolledBack', {
      kind: SloAlarmKind.ROLLOUT_ROLLED_BACK,
      agentId: agent.id,
      routeId: route.id,
      metric: new cloudwatch.Metric({
        namespace: config.metricNamespace ?? TelemetryContract.DEFAULT_NAMESPACE,
        metricName: RolloutMetrics.ROLLBACKS.name,
        dimensionsMap: { [TelemetryFields.AGENT.name]: agent.id, [TelemetryFields.ROUTE.name]: route.id },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      what: `the rollout of ${candidate.id} on route ${agent.id}/${route.id} was rolled back to ${baseline.id}`,
      condition: 'the rollout state machine rolled a stage back (a gate alarm in ALARM); the failed execution holds the evidence',
      owner,
      runbookUrl: route.runbookUrl ?? agent.runbookUrl,
      affects: [`${agent.id}/${route.id}`],
    });

    this.stateMachine = this.stateMachineOf(props, baseline, candidate, stages);
    new CfnOutput(this, 'StartCommand', {
      description: `Starts the stage plan of ${candidate.id} on route ${agent.id}/${route.id} (${stages.map((s) => `${s.percent}%`).join(' -> ')})`,
      value: `aws stepfunctions start-execution --state-machine-arn ${this.stateMachine.stateMachineArn} --name ${candidate.id.replace(/[^A-Za-z0-9_-]/g, '-')}-$(date +%s)`,
    });
  }

  private version(id: string, what: string, state: RouteFlagState): appconfig.CfnHostedConfigurationVersion {
    const version = new appconfig.CfnHostedConfigurationVersion(this, id, {
      applicationId: this.profile.applicationId,
      configurationProfileId: this.profile.ref,
      contentType: 'application/json',
      content: JSON.stringify(featureFlagsDocument(state, `Which variant serves each key: ${what}`)),
      description: what,
    });
    // One at a time: AppConfig numbers a profile's versions in sequence, and parallel creates conflict.
    if (this.lastVersion) version.addDependency(this.lastVersion);
    this.lastVersion = version;
    return version;
  }

  private stateMachineOf(
    props: ModelRolloutProps, baseline: Variant, candidate: Variant, stages: ReadonlyArray<{ percent: number; bakeHours: number }>,
  ): sfn.StateMachine {
    const { config, agent, route, foundation } = props;
    const clientId = config.clientId;
    const minCalls = this.rollout.minCallsPerStage ?? ROLLOUT_DEFAULTS.minCallsPerStage;
    const maxPauses = ROLLOUT_DEFAULTS.maxPausesPerStage;
    const namespace = config.metricNamespace ?? TelemetryContract.DEFAULT_NAMESPACE;
    const application = foundation.application;
    const environmentArn = this.environment.environmentArn;
    const profileArn = Stack.of(this).formatArn({ service: 'appconfig', resource: 'application', resourceName: `${application.applicationId}/configurationprofile/${this.profile.ref}` });
    const strategyArn = (strategy: appconfig.IDeploymentStrategy) => Stack.of(this).formatArn({ service: 'appconfig', resource: 'deploymentstrategy', resourceName: strategy.deploymentStrategyId });
    const rolloutId = candidate.id;
    const gateNames = [this.gateName, ...props.gateAlarms.map((a) => a.alarmName)];
    // By name: most gate alarms live in the agent's nested stack, and an ARN attribute would export each of them.
    const gateArns = gateNames.map((alarmName) => `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${alarmName}`);

    const deploy = (id: string, version: appconfig.CfnHostedConfigurationVersion, strategy: appconfig.IDeploymentStrategy, resultPath: string) =>
      new tasks.CallAwsService(this, id, {
        service: 'appconfig',
        action: 'startDeployment',
        parameters: {
          ApplicationId: application.applicationId,
          EnvironmentId: this.environment.environmentId,
          ConfigurationProfileId: this.profile.ref,
          ConfigurationVersion: version.ref,
          DeploymentStrategyId: strategy.deploymentStrategyId,
          Description: `cdk-ai-ops rollout of ${candidate.id} on ${agent.id}/${route.id}`,
        },
        iamResources: [environmentArn, profileArn, strategyArn(strategy)],
        resultSelector: { 'number.$': '$.DeploymentNumber' },
        resultPath,
      });

    /** A change event; `fields` adds to or replaces the literal ones (keys ending `.$` are paths). */
    type Notify = sfn.IChainable & sfn.INextable;
    type Fields = Record<string, unknown>;
    const notify = (id: string, action: RolloutChangeAction, fromPercent: number, toPercent: number, fields: Fields = {}): Notify => {
      if (!props.changeEvents) return new sfn.Pass(this, id, { comment: `No change events (no PagerDuty in the config): ${action}` });
      const payload: Fields = { clientId, agent: agent.id, route: route.id, rolloutId, action, fromPercent, toPercent };
      payload['executionArn.$'] = '$$.Execution.Id';
      for (const [key, value] of Object.entries(fields)) {
        delete payload[key.replace(/\.\$$/, '')];
        payload[key] = value;
      }
      const invoke = new tasks.LambdaInvoke(this, id, {
        lambdaFunction: props.changeEvents,
        payload: sfn.TaskInput.fromObject(payload),
        resultPath: sfn.JsonPath.DISCARD,
        retryOnServiceExceptions: true,
      });
      // PagerDuty suggests three retries about 30 seconds apart.
      invoke.addRetry({ errors: [CHANGE_EVENT_ERRORS.RETRYABLE], interval: Duration.seconds(30), maxAttempts: 3, backoffRate: 1 });
      return invoke;
    };
    // A change event that cannot be sent never stops the plan (nor a rollback): it is recorded and skipped.
    const withCatch = (state: sfn.IChainable & sfn.INextable, next: sfn.IChainable): sfn.IChainable => {
      if (state instanceof tasks.LambdaInvoke) state.addCatch(next, { resultPath: '$.changeEventError' });
      state.next(next);
      return state;
    };

    // Rollback: quiet the gate so AppConfig does not revert the rollback itself, deploy the baseline alone,
    // count it (the P2 alarm), tell PagerDuty, and fail with the evidence.
    const evidence = new sfn.CustomState(this, 'Collect evidence', {
      stateJson: {
        Type: 'Map',
        ItemsPath: '$.alarms.MetricAlarms',
        ItemSelector: { 'alarmName.$': '$$.Map.Item.Value.AlarmName', 'state.$': '$$.Map.Item.Value.StateValue', 'reason.$': '$$.Map.Item.Value.StateReason' },
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Evidence item', States: { 'Evidence item': { Type: 'Pass', End: true } } },
        ResultPath: '$.evidence',
      },
    });
    const alarmingGates = new tasks.CallAwsService(this, 'Read alarming gates', {
      service: 'cloudwatch',
      action: 'describeAlarms',
      parameters: { AlarmNames: gateNames, StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
      iamResources: gateArns,
      iamAction: 'cloudwatch:DescribeAlarms',
      resultSelector: { 'MetricAlarms.$': '$.MetricAlarms' },
      resultPath: '$.alarms',
    });
    const quietGate = new tasks.CallAwsService(this, 'Quiet the gate for the rollback', {
      service: 'cloudwatch',
      action: 'setAlarmState',
      parameters: {
        AlarmName: this.gateName,
        StateValue: 'OK',
        StateReason: 'cdk-ai-ops rollout: rolling back to the baseline (the gate re-evaluates when a child alarm changes)',
      },
      iamResources: [this.gate.alarm.alarmArn],
      resultPath: sfn.JsonPath.DISCARD,
    });
    const rollbackDeploy = deploy('Deploy the baseline only', this.baselineVersion, foundation.rollbackStrategy, '$.rollbackDeployment');
    // A raw SDK task: CallAwsService would grant PutMetricData on any namespace; the role's statement below keeps it to the client's.
    const countRollback = new sfn.CustomState(this, 'Count the rollback', {
      stateJson: {
        Type: 'Task',
        Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:cloudwatch:putMetricData`,
        Parameters: {
          Namespace: namespace,
          MetricData: [{
            MetricName: RolloutMetrics.ROLLBACKS.name,
            Dimensions: [{ Name: TelemetryFields.AGENT.name, Value: agent.id }, { Name: TelemetryFields.ROUTE.name, Value: route.id }],
            Value: 1,
            Unit: RolloutMetrics.ROLLBACKS.unit,
          }],
        },
        ResultPath: null,
      },
    });
    const rolledBack = new sfn.Fail(this, 'Rolled back', {
      error: RolloutFailure.ROLLED_BACK,
      causePath: '$.why.reason',
    });
    const rollbackEvent = notify('Change event: rollback', RolloutChangeAction.ROLLBACK, 0, 0, {
      'fromPercent.$': '$.stage.percent', 'reason.$': '$.why.reason', 'evidence.$': '$.evidence',
    });
    alarmingGates.next(evidence);
    evidence.next(quietGate);
    quietGate.next(rollbackDeploy);
    rollbackDeploy.next(countRollback);
    countRollback.next(withCatch(rollbackEvent, rolledBack));
    const rollbackOnGate = new sfn.Pass(this, 'Reason: gate in ALARM', {
      parameters: { 'reason.$': "States.Format('gate {} was {} after {} h at {}%: {}', $.gate.name, $.gate.state, $.stage.bakeHours, $.stage.percent, $.gate.reason)" },
      resultPath: '$.why',
    });
    const rollbackOnAppConfig = new sfn.Pass(this, 'Reason: AppConfig rolled back', {
      parameters: { 'reason.$': "States.Format('AppConfig rolled back deployment {} of the {}% stage: gate {} went to ALARM while AppConfig watched it', $.deployment.number, $.stage.percent, $.gate.name)" },
      resultPath: '$.why',
    });
    rollbackOnGate.next(alarmingGates);
    rollbackOnAppConfig.next(alarmingGates);

    let next: sfn.IChainable = withCatch(notify('Change event: complete', RolloutChangeAction.COMPLETE, stages[stages.length - 1].percent, 100), new sfn.Succeed(this, 'Complete', {
      comment: `${candidate.id} serves 100% of route ${agent.id}/${route.id}; promote it in the config (baseline, previous, promotedOn)`,
    }));
    // Built from the last stage back, each stage's chain ending in the next's.
    for (let i = stages.length - 1; i >= 0; i--) {
      const stage = stages[i];
      const from = i === 0 ? 0 : stages[i - 1].percent;
      const p = `${stage.percent}%`;
      const setStage = new sfn.Pass(this, `${p}: stage`, {
        result: sfn.Result.fromObject({ percent: stage.percent, bakeHours: stage.bakeHours, pauses: 0 }),
        resultPath: '$.stage',
      });
      const gateName = new sfn.Pass(this, `${p}: gate name`, { result: sfn.Result.fromString(this.gateName), resultPath: '$.gate.name' });
      const startDeployment = deploy(`${p}: deploy`, this.stageVersions[i], foundation.stageStrategy, '$.deployment');
      const waitDeployment = new sfn.Wait(this, `${p}: wait for the deployment`, { time: sfn.WaitTime.duration(DEPLOYMENT_POLL) });
      const getDeployment = new tasks.CallAwsService(this, `${p}: read the deployment`, {
        service: 'appconfig',
        action: 'getDeployment',
        parameters: {
          'ApplicationId': application.applicationId,
          'EnvironmentId': this.environment.environmentId,
          'DeploymentNumber.$': '$.deployment.number',
        },
        // Pseudo parameters rather than the stack's region and account: the acknowledgement below names this ARN.
        iamResources: [`arn:${Aws.PARTITION}:appconfig:${Aws.REGION}:${Aws.ACCOUNT_ID}:application/${application.applicationId}/environment/${this.environment.environmentId}/deployment/*`],
        resultSelector: { 'state.$': '$.State' },
        resultPath: '$.deployment.status',
      });
      const bakeStart = new sfn.Pass(this, `${p}: bake starts`, { parameters: { 'startedAt.$': '$$.State.EnteredTime' }, resultPath: '$.bake' });
      const bake = new sfn.Wait(this, `${p}: bake`, { time: sfn.WaitTime.duration(Duration.hours(stage.bakeHours)) });
      const readGate = new tasks.CallAwsService(this, `${p}: check the gate`, {
        service: 'cloudwatch',
        action: 'describeAlarms',
        parameters: { AlarmNames: [this.gateName], AlarmTypes: ['CompositeAlarm'] },
        iamResources: [this.gate.alarm.alarmArn],
        iamAction: 'cloudwatch:DescribeAlarms',
        resultSelector: { 'state.$': '$.CompositeAlarms[0].StateValue', 'reason.$': '$.CompositeAlarms[0].StateReason' },
        resultPath: '$.gateState',
      });
      const keepGate = new sfn.Pass(this, `${p}: keep the gate state`, {
        parameters: { 'name.$': '$.gate.name', 'state.$': '$.gateState.state', 'reason.$': '$.gateState.reason' },
        resultPath: '$.gate',
      });
      const countCalls = new tasks.CallAwsService(this, `${p}: count calls`, {
        service: 'cloudwatch',
        action: 'getMetricData',
        parameters: {
          'StartTime.$': '$.bake.startedAt',
          'EndTime.$': '$$.State.EnteredTime',
          'ScanBy': 'TimestampDescending',
          'MetricDataQueries': [
            {
              Id: 'routeCalls',
              MetricStat: {
                Metric: {
                  Namespace: namespace,
                  MetricName: TelemetryMetrics.CALLS.name,
                  Dimensions: [{ Name: TelemetryFields.AGENT.name, Value: agent.id }, { Name: TelemetryFields.ROUTE.name, Value: route.id }],
                },
                Period: CALL_COUNT_PERIOD_SECONDS,
                Stat: 'Sum',
              },
              ReturnData: false,
            },
            // The newest value of the running sum is every call of the bake.
            { Id: 'total', Expression: 'RUNNING_SUM(routeCalls)', ReturnData: true },
          ],
        },
        // GetMetricData has no resource-level permissions.
        iamResources: ['*'],
        resultSelector: { 'values.$': '$.MetricDataResults[0].Values' },
        resultPath: '$.calls',
      });
      const pauseEvent = notify(`${p}: change event: pause`, RolloutChangeAction.PAUSE, stage.percent, stage.percent, {
        reason: `inconclusive at ${p}: fewer than ${minCalls} calls in the ${stage.bakeHours} h bake, or the gate has no data; baking another ${stage.bakeHours} h`,
      });
      const countPause = new sfn.Pass(this, `${p}: count the pause`, {
        parameters: { 'percent.$': '$.stage.percent', 'bakeHours.$': '$.stage.bakeHours', 'pauses.$': 'States.MathAdd($.stage.pauses, 1)' },
        resultPath: '$.stage',
      });
      const stopEvent = notify(`${p}: change event: stopped`, RolloutChangeAction.PAUSE, stage.percent, stage.percent, {
        reason: `stopped at ${p} awaiting a human: still inconclusive after ${maxPauses} extra bakes (fewer than ${minCalls} calls, or no gate data)`,
      });
      const inconclusive = new sfn.Fail(this, `${p}: stopped, inconclusive`, {
        error: RolloutFailure.INCONCLUSIVE,
        cause: `The ${p} stage of ${candidate.id} on ${agent.id}/${route.id} saw fewer than ${minCalls} calls (or no gate data) after ${maxPauses + 1} bakes of ${stage.bakeHours} h; `
          + 'the flag stays at this share. Start the plan again (StartCommand output), or roll back (RollbackCommand output).',
      });
      const pauseOrStop = new sfn.Choice(this, `${p}: pause or stop`)
        .when(sfn.Condition.numberGreaterThanEquals('$.stage.pauses', maxPauses), withCatch(stopEvent, inconclusive))
        .otherwise(countPause);
      countPause.next(withCatch(pauseEvent, bakeStart));

      const verdict = new sfn.Choice(this, `${p}: gate verdict`)
        .when(sfn.Condition.stringEquals('$.gate.state', 'ALARM'), rollbackOnGate)
        .when(sfn.Condition.stringEquals('$.gate.state', 'INSUFFICIENT_DATA'), pauseOrStop)
        .when(sfn.Condition.isNotPresent('$.calls.values[0]'), pauseOrStop)
        .when(sfn.Condition.numberLessThan('$.calls.values[0]', minCalls), pauseOrStop)
        .otherwise(next);
      const deploymentState = new sfn.Choice(this, `${p}: deployment state`)
        .when(sfn.Condition.stringEquals('$.deployment.status.state', 'COMPLETE'), bakeStart)
        .when(sfn.Condition.or(
          sfn.Condition.stringEquals('$.deployment.status.state', 'ROLLED_BACK'),
          sfn.Condition.stringEquals('$.deployment.status.state', 'REVERTED'),
          sfn.Condition.stringEquals('$.deployment.status.state', 'ROLLING_BACK'),
        ), rollbackOnAppConfig)
        .otherwise(waitDeployment);

      const event = notify(`${p}: change event: ${i === 0 ? 'start' : 'advance'}`, i === 0 ? RolloutChangeAction.START : RolloutChangeAction.ADVANCE, from, stage.percent);
      setStage.next(gateName);
      gateName.next(withCatch(event, startDeployment));
      startDeployment.next(waitDeployment);
      waitDeployment.next(getDeployment);
      getDeployment.next(deploymentState);
      bakeStart.next(bake);
      bake.next(readGate);
      readGate.next(keepGate);
      keepGate.next(countCalls);
      countCalls.next(verdict);
      next = setStage;
    }

    const logGroupName = `/aws/vendedlogs/states/cdk-ai-ops-${clientId}-${agent.id}-${route.id}-rollout`;
    const logGroup = encryptedLogGroup(this, 'Logs', props.encryptionKey, logGroupName);
    // CloudWatch Logs encrypts this one log group with the client key.
    letLogsEncryptWith(props.encryptionKey, `CloudWatchLogsEncryptsRollout${AiOpsNames.slug(`${agent.id}-${route.id}`).replace(/-/g, '')}`.slice(0, 100), logGroupName);

    // Its permissions in a managed policy, as the compliance packs want.
    const role = new ManagedPolicyRole(this, 'StateMachineRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const machine = new sfn.StateMachine(this, 'StateMachine', {
      role,
      stateMachineName: `cdk-ai-ops-${clientId}-${agent.id}-${route.id}-rollout`.slice(0, 80),
      comment: `Rollout of ${candidate.id} over ${baseline.id} on route ${agent.id}/${route.id}: ${stages.map((s) => `${s.percent}% for ${s.bakeHours} h`).join(', ')}`,
      definitionBody: sfn.DefinitionBody.fromChainable(next),
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      timeout: Duration.days(365),
    });
    // Step Functions cannot see the raw task's needs: granted here, on the client's namespace only.
    machine.addToRolePolicy(new iam.PolicyStatement({
      sid: 'CountRollbacksInTheClientNamespace',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
    }));
    const logicalId = (construct: Construct) => `<${Stack.of(this).getLogicalId(construct.node.defaultChild as CfnElement)}>`;
    acknowledgeFinding(role.policy,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:appconfig:<AWS::Region>:<AWS::AccountId>:application/${logicalId(application)}/environment/${logicalId(this.environment)}/deployment/*]`,
      'GetDeployment of the deployments the state machine starts in this route\'s own environment; their numbers are known only at run time.');
    const changeEventsResource = props.changeEvents?.node.defaultChild;
    if (changeEventsResource instanceof CfnElement) {
      acknowledgeFinding(role.policy, `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(changeEventsResource)}.Arn>:*]`,
        'Invoking the change events function by any version or alias of it (Step Functions\' LambdaInvoke grant); the function is this client\'s own.');
    }
    acknowledgeFinding(role.policy, 'AwsSolutions-IAM5[Resource::*]',
      'Only actions without resource-level permissions: cloudwatch:GetMetricData, cloudwatch:PutMetricData (held to the client namespace by a condition), '
      + 'the X-Ray trace writes and the CloudWatch Logs delivery calls that Step Functions logging needs.');
    return machine;
  }
}

function variantOf(variant: RolloutVariant): Variant {
  return { id: variant.id, model: variant.model, promptVersion: variant.promptVersion, params: { ...variant.parameters } };
}

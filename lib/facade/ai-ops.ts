import { Annotations, CfnOutput, NestedStack, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AgentMonitoring } from './agent-monitoring';
import { MonitoringCostReport } from './monitoring-cost-report';
import { RootCauseAlarms } from '../alarms/root-cause';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { IAlarmRouter } from '../common/alarm-router';
import { AiOpsNames } from '../common/names';
import { ClientConfig, OperatingPosture } from '../config';
import { checkClientConfig } from '../config/loader';
import { OverviewDashboard } from '../dashboards/overview-dashboard';
import { ReadOnlyAccess } from '../dashboards/read-only-access';
import { TopTenantsRules } from '../dashboards/top-tenants';
import { ModelEndOfLifeAlarms } from '../governance/end-of-life';
import { ClientSpendGuards, governanceSettings } from '../governance/spend-guards';
import { PriceCatalog } from '../pricing';
import { GovernanceReport } from '../reporting/governance-report';
import { RolloutChangeEvents } from '../rollout/change-events';
import { ModelRollout, RolloutFoundation } from '../rollout/model-rollout';
import { IncidentRouter } from '../routing/incident-router';
import { TelemetryContract } from '../telemetry';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

/** Properties of the `AiOps` facade: a client config plus construct-only options. */
export interface AiOpsProps extends ClientConfig {
  /**
   * Customer-managed key that encrypts every topic, queue, bucket and log group the capabilities create.
   * @default - a new key with yearly rotation, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Prices used for cost estimates and reports; the config's `priceOverrides` are applied on top.
   * @default PriceCatalog.builtIn()
   */
  readonly priceCatalog?: PriceCatalog;
  /**
   * Delivers every alarm by severity.
   * @default - an `IncidentRouter`: severity topics, PagerDuty, email, Slack and the P3 digest as the config says
   */
  readonly alarmRouter?: IAlarmRouter;
  /**
   * Periods with fewer calls than this count as healthy for the latency alarms and the
   * prompt-cache floor (error and throttle rates need failures in 4 of 5 minutes instead).
   * @default 20
   */
  readonly minimumCallsPerPeriod?: number;
  /**
   * Who may assume the read-only role.
   * @default - principals of this account whose IAM policies allow assuming it
   */
  readonly readOnlyPrincipal?: iam.IPrincipal;
}

/** Tag put on every resource of a client's stack, for cost allocation and audits. */
export const CLIENT_TAG = 'cdk-ai-ops:client';

/**
 * Everything that operates one client's AI agents, built from the client's config. Each
 * capability is also usable on its own; this facade wires them to one key and one config.
 *
 * Props that break the config's rules build nothing: each problem becomes an error of this
 * construct (`cdk synth` prints `ERROR $.budgets.monthlyUsd: expected …, found …` with the construct path, and
 * exits 1) and the properties below stay unset.
 */
export class AiOps extends Construct {
  /** The validated client config. */
  public readonly config!: ClientConfig;
  /** Key encrypting the data at rest of every capability. */
  public readonly encryptionKey!: kms.IKey;
  /** CloudWatch namespace of the client's telemetry. */
  public readonly metricNamespace!: string;
  /** Operating posture in force (the config's, or `primary`). */
  public readonly posture!: OperatingPosture;
  /** Price catalog with the client's overrides applied. */
  public readonly priceCatalog!: PriceCatalog;
  /** Where alarms are delivered. */
  public readonly alarmRouter!: IAlarmRouter;
  /** Each agent's alarms and dashboard, in a nested stack of its own (`Agent-<id>`). */
  public readonly agents!: AgentMonitoring[];
  public readonly overview!: OverviewDashboard;
  /** Builds every alarm of the client. */
  public readonly alarmFactory!: AlarmFactory;
  /** The causes upstream of the agents: model and provider outages, production down, and their suppressors. */
  public readonly rootCause!: RootCauseAlarms;
  /** Half or more of all calls failing across agents, while no provider outage explains it (P1). */
  public readonly productionDown!: SloAlarm;
  public readonly tenantRules!: TopTenantsRules;
  public readonly readOnlyAccess!: ReadOnlyAccess;
  /** Client-wide spend guards: anomaly detectors, budget burn, tenant share, AWS Budgets, Cost Anomaly Detection. */
  public readonly spendGuards!: ClientSpendGuards;
  /** The deprecation watch: a P3 per model in use within 60 days of the end of life its vendor announced. */
  public readonly endOfLife!: ModelEndOfLifeAlarms;
  /**
   * The monthly governance report and quarterly review.
   * @default - none when the config has no `reports` section
   */
  public readonly report?: GovernanceReport;
  /**
   * The AppConfig application and deployment strategies of the client's rollouts.
   * @default - none when no route has a rollout
   */
  public readonly rolloutFoundation?: RolloutFoundation;
  /**
   * Sends each rollout stage change to PagerDuty as a Change Event.
   * @default - none when no route rolls out a candidate or the config has no PagerDuty service
   */
  public readonly rolloutChangeEvents?: RolloutChangeEvents;
  /** One per route with a `rollout` section (`Rollout-<agent>-<route>`). */
  public readonly rollouts: ModelRollout[] = [];

  public constructor(scope: Construct, id: string, props: AiOpsProps) {
    super(scope, id);
    const { encryptionKey, priceCatalog, alarmRouter, minimumCallsPerPeriod, readOnlyPrincipal, ...config } = props;
    const basePrices = priceCatalog ?? PriceCatalog.builtIn();
    // Props built in code get the same checks and messages as YAML files, reported as errors of
    // this construct: `cdk synth` lists each one under the construct's path and exits 1, with no
    // stack trace, and nothing is built from a config that cannot be used.
    const checked = checkClientConfig(config, 'AiOps props', basePrices);
    if (checked.config === undefined) {
      checked.problems.forEach((problem) => Annotations.of(this).addError(`${problem.path}: expected ${problem.expected}, found ${problem.found}`));
      return;
    }
    this.config = checked.config;
    this.priceCatalog = basePrices.withOverrides(this.config.priceOverrides ?? []);
    this.metricNamespace = this.config.metricNamespace ?? TelemetryContract.DEFAULT_NAMESPACE;
    this.posture = this.config.posture ?? OperatingPosture.PRIMARY;

    this.encryptionKey = encryptionKey ?? new kms.Key(this, 'EncryptionKey', {
      description: `cdk-ai-ops ${this.config.clientId}: encrypts alert topics, queues, report buckets and logs`,
      alias: `alias/cdk-ai-ops/${this.config.clientId}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const clientId = this.config.clientId;
    const metrics = new TelemetryMetricFactory(this.metricNamespace);
    this.alarmRouter = alarmRouter ?? new IncidentRouter(this, 'Alerts', { config: this.config, encryptionKey: this.encryptionKey });
    const allModels = [...new Set(this.config.models.map((m) => m.modelId))];
    this.alarmFactory = new AlarmFactory({ clientId, router: this.alarmRouter, runbookBaseUrl: this.config.runbookBaseUrl });
    const overviewUrl = AiOpsNames.dashboardUrl(AiOpsNames.overviewDashboard(clientId));
    this.rootCause = new RootCauseAlarms(this, 'RootCause', { config: this.config, factory: this.alarmFactory, metrics, dashboardUrl: overviewUrl });
    this.productionDown = this.rootCause.productionDown;

    // One nested stack per agent keeps every template far below CloudFormation's 500 resources
    // and 1 MB, whatever the number of agents and routes.
    this.agents = this.config.agents.map((agent) => {
      const stack = new NestedStack(this, `Agent-${agent.id}`, {
        description: `cdk-ai-ops ${clientId}: SLO alarms and dashboard of agent ${agent.id}`,
      });
      // The agent's composites name the suppressors of the root stack: those must exist first.
      stack.node.addDependency(this.rootCause);
      return new AgentMonitoring(stack, 'Monitoring', {
        clientId,
        config: this.config,
        agent,
        models: agent.models ?? allModels,
        metrics,
        factory: this.alarmFactory,
        minimumCallsPerPeriod,
        upstreamSuppressorName: this.rootCause.agentSuppressorName(agent),
      });
    });

    const logGroupNames = this.config.agents.flatMap((agent) => agent.logGroups);
    this.tenantRules = new TopTenantsRules(this, 'TopTenants', { clientId, logGroupNames });
    this.spendGuards = new ClientSpendGuards(this, 'SpendGuards', {
      config: this.config,
      metrics,
      factory: this.alarmFactory,
      dashboardUrl: overviewUrl,
      tenantsByCost: this.tenantRules.byCost,
    });
    this.endOfLife = new ModelEndOfLifeAlarms(this, 'EndOfLife', {
      config: this.config,
      factory: this.alarmFactory,
      metrics,
      priceCatalog: this.priceCatalog,
      dashboardUrl: overviewUrl,
    });
    if (this.config.reports) {
      this.report = new GovernanceReport(this, 'GovernanceReport', {
        config: this.config,
        encryptionKey: this.encryptionKey,
        alarmRouter: this.alarmRouter,
        priceCatalog: basePrices,
      });
    }
    if (this.config.agents.some((agent) => agent.routes.some((route) => route.rollout))) {
      this.rolloutFoundation = new RolloutFoundation(this, 'Rollouts', { clientId });
      const candidates = this.config.agents.some((agent) => agent.routes.some((route) => route.rollout?.candidate));
      if (candidates && RolloutChangeEvents.isConfigured(this.config)) {
        this.rolloutChangeEvents = new RolloutChangeEvents(this, 'RolloutChangeEvents', { config: this.config, encryptionKey: this.encryptionKey });
      }
      this.rollouts = this.addRollouts(this.rolloutFoundation);
    }
    this.overview = new OverviewDashboard(this, 'Overview', {
      config: this.config,
      metrics,
      // Every client-wide alarm and every agent's pages; each agent's dashboard lists all of its alarms.
      alarmNames: this.alarms().filter((alarm) => alarm.pages || alarm.agent === undefined).map((alarm) => alarm.alarmName),
      tenantsByCost: this.tenantRules.byCost,
      tenantsByTokens: this.tenantRules.byTokens,
      anomalyBandStdDevs: governanceSettings(this.config).anomalyBandStdDevs,
    });

    this.readOnlyAccess = new ReadOnlyAccess(this, 'ReadOnlyAccess', { clientId, logGroupNames, assumedBy: readOnlyPrincipal });

    new CfnOutput(this, 'OverviewDashboardUrl', {
      description: `Overview dashboard of ${this.config.displayName}`,
      value: AiOpsNames.dashboardUrl(this.overview.dashboardName),
    });
    this.agents.forEach((agent) => new CfnOutput(this, `DashboardUrl-${agent.dashboard.dashboardName}`, {
      description: `Dashboard of agent ${agent.dashboard.dashboardName}`,
      value: AiOpsNames.dashboardUrl(agent.dashboard.dashboardName),
    }));
    new CfnOutput(this, 'ReadOnlyRoleArn', {
      description: 'Role the client\'s team assumes to read its dashboards, alarms and telemetry',
      value: this.readOnlyAccess.role.roleArn,
    });

    new MonitoringCostReport(this, 'MonitoringCost', {
      clientId,
      config: this.config,
    });

    Tags.of(this).add(CLIENT_TAG, clientId);
  }

  /**
   * A `ModelRollout` per route with a rollout, gated by the route's latency p95/p99, error-rate and accuracy
   * alarms and the candidate model's spend anomaly alarm.
   */
  private addRollouts(foundation: RolloutFoundation): ModelRollout[] {
    const GATE_KINDS = new Set([SloAlarmKind.LATENCY_P95, SloAlarmKind.LATENCY_P99, SloAlarmKind.MODEL_ERROR_RATE, SloAlarmKind.APP_ERROR_RATE,
      SloAlarmKind.ACCURACY_PASS_RATE, SloAlarmKind.ACCURACY_MEAN_SCORE]);
    return this.config.agents.flatMap((agent, a) => agent.routes.filter((route) => route.rollout).map((route) => {
      const candidateModel = route.rollout!.candidate && PriceCatalog.canonicalModelId(route.rollout!.candidate.model);
      const gateAlarms = [
        ...this.agents[a].alarms.alarms.filter((alarm) => alarm.route === route.id && GATE_KINDS.has(alarm.kind)),
        ...this.spendGuards.alarms.filter((alarm) => alarm.kind === SloAlarmKind.SPEND_ANOMALY && alarm.modelId !== undefined
          && PriceCatalog.canonicalModelId(alarm.modelId) === candidateModel),
      ];
      return new ModelRollout(this, `Rollout-${agent.id}-${route.id}`, {
        config: this.config,
        agent,
        route,
        foundation,
        factory: this.alarmFactory,
        gateAlarms,
        encryptionKey: this.encryptionKey,
        changeEvents: this.rolloutChangeEvents?.function,
      });
    }));
  }

  /** Every alarm of the client: client-wide ones first (root causes first), then each agent's composites and alarms. */
  public alarms(): SloAlarm[] {
    if (this.config === undefined) return [];
    return [
      ...this.rootCause.all(),
      ...(this.alarmRouter instanceof IncidentRouter ? [this.alarmRouter.deadLetter] : []),
      ...this.spendGuards.alarms,
      ...this.endOfLife.alarms,
      ...(this.report ? [this.report.failedRun] : []),
      ...this.rollouts.flatMap((rollout) => [rollout.gate, ...(rollout.rolledBack ? [rollout.rolledBack] : [])]),
      ...this.agents.flatMap((agent) => agent.allAlarms()),
    ];
  }
}

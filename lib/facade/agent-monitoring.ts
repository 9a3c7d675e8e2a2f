import { Construct } from 'constructs';
import { AiOpsNames } from '../alarms/names';
import { SloAlarm, SloAlarms } from '../alarms/slo-alarms';
import { AgentConfig, ClientConfig } from '../config/types';
import { AgentDashboard } from '../dashboards/agent-dashboard';
import { AgentSpendGuards, governanceSettings } from '../governance/spend-guards';
import { IAlarmRouter } from '../routing/router';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

/** Properties of `AgentMonitoring`. */
export interface AgentMonitoringProps {
  readonly clientId: string;
  /** The client's config, for budgets and governance settings. */
  readonly config: ClientConfig;
  readonly agent: AgentConfig;
  /** Model ids the agent calls. */
  readonly models: string[];
  readonly metrics: TelemetryMetricFactory;
  readonly router: IAlarmRouter;
  /**
   * Periods with fewer calls than this count as healthy for latency and rate alarms.
   * @default 20
   */
  readonly minimumCallsPerPeriod?: number;
  /**
   * Where generated runbooks are published.
   * @default - the library's runbook sections
   */
  readonly runbookBaseUrl?: string;
}

/** One agent's SLO alarms, token-spend guards and dashboard. */
export class AgentMonitoring extends Construct {
  public readonly alarms: SloAlarms;
  public readonly spendGuards: AgentSpendGuards;
  public readonly dashboard: AgentDashboard;

  public constructor(scope: Construct, id: string, props: AgentMonitoringProps) {
    super(scope, id);
    const dashboardName = AiOpsNames.agentDashboard(props.clientId, props.agent.id);
    this.alarms = new SloAlarms(this, 'Alarms', {
      clientId: props.clientId,
      agent: props.agent,
      metrics: props.metrics,
      router: props.router,
      dashboardUrl: AiOpsNames.dashboardUrl(dashboardName),
      minimumCallsPerPeriod: props.minimumCallsPerPeriod,
      runbookBaseUrl: props.runbookBaseUrl,
    });
    this.spendGuards = new AgentSpendGuards(this, 'SpendGuards', {
      config: props.config,
      agent: props.agent,
      metrics: props.metrics,
      router: props.router,
      dashboardUrl: AiOpsNames.dashboardUrl(dashboardName),
    });
    this.dashboard = new AgentDashboard(this, 'Dashboard', {
      clientId: props.clientId,
      agent: props.agent,
      models: props.models,
      metrics: props.metrics,
      alarmNames: this.allAlarms().map((a) => a.alarmName),
      anomalyBandStdDevs: governanceSettings(props.config).anomalyBandStdDevs,
    });
  }

  /** The agent's composite, SLO alarms and spend guards. */
  public allAlarms(): SloAlarm[] {
    return [this.alarms.agentDown, ...this.alarms.alarms, ...this.spendGuards.alarms];
  }
}

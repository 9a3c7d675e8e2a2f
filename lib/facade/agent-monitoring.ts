import { Construct } from 'constructs';
import { SloAlarms } from '../alarms/slo-alarms';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { AiOpsNames } from '../common/names';
import { AgentConfig, ClientConfig } from '../config/types';
import { AgentDashboard } from '../dashboards/agent-dashboard';
import { AgentSpendGuards, governanceSettings } from '../governance/spend-guards';
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
  /** Builds, names, describes and routes every alarm. */
  readonly factory: AlarmFactory;
  /**
   * Periods with fewer calls than this count as healthy for the latency alarms and the prompt-cache floor.
   * @default 20
   */
  readonly minimumCallsPerPeriod?: number;
  /**
   * The alarm that holds back the agent's agent-down and route pages (production down, or an
   * outage of a provider the agent calls).
   * @default - never suppressed
   */
  readonly upstreamSuppressorName?: string;
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
      factory: props.factory,
      agent: props.agent,
      metrics: props.metrics,
      dashboardUrl: AiOpsNames.dashboardUrl(dashboardName),
      minimumCallsPerPeriod: props.minimumCallsPerPeriod,
      upstreamSuppressorName: props.upstreamSuppressorName,
    });
    this.spendGuards = new AgentSpendGuards(this, 'SpendGuards', {
      config: props.config,
      agent: props.agent,
      metrics: props.metrics,
      factory: props.factory,
      dashboardUrl: AiOpsNames.dashboardUrl(dashboardName),
    });
    this.dashboard = new AgentDashboard(this, 'Dashboard', {
      clientId: props.clientId,
      agent: props.agent,
      models: props.models,
      metrics: props.metrics,
      alarms: this.allAlarms(),
      runbookBaseUrl: props.config.runbookBaseUrl,
      anomalyBandStdDevs: governanceSettings(props.config).anomalyBandStdDevs,
    });
  }

  /** The agent's composites, SLO alarms and spend guards. */
  public allAlarms(): SloAlarm[] {
    return [this.alarms.agentDown, ...this.alarms.alarms, this.alarms.routeSuppressor, ...this.spendGuards.alarms];
  }
}

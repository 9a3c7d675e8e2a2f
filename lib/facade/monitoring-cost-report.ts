import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { ClientCardinality } from '../config/cardinality';
import { DEFAULT_EXPECTED_MONTHLY_CALLS } from '../config/defaults';
import { ClientConfig } from '../config/types';
import { estimateMonitoringCost, GovernanceReportInventory, MonitoringCostEstimate, MonitoringInventory } from '../pricing/monitoring-cost';
import { ModelProvider } from '../pricing/price-catalog';
import { minimumMonthlyEvaluations } from '../quality/settings';
import { reportSettings } from '../reporting/governance-report';
import { monthScansPerMonth } from '../reporting/report-function';
import { TelemetryContract } from '../telemetry/contract';

/** Contributor Insights rule kinds: every call line is matched once by each kind. */
const TENANT_RULE_KINDS = 2;

/** A report run's duration assumed for its Lambda cost (Logs Insights queries dominate it). */
const REPORT_RUN_SECONDS = 300;
const REPORT_MEMORY_GB = 1;
/** Report files of one period (Markdown, HTML, JSON, CSV of 50,000 tenants), kept with one older version. */
const REPORT_FILES_GB = 0.02;

/**
 * What the governance report consumes a month for this config, or undefined without a report.
 * Logs Insights bills every byte of the queried log groups in the time range, so a month's
 * telemetry (call and evaluation lines) is the least each query scans; other lines the agents
 * write to the same log groups add to it.
 */
function governanceReportInventory(config: ClientConfig, monthlyTelemetryBytes: number): GovernanceReportInventory | undefined {
  if (!config.reports) return undefined;
  const settings = reportSettings(config.reports);
  // Runs a month: the monthly one, and a third of the quarterly one.
  const runs = 1 + (settings.quarterlyReview ? 1 / 3 : 0);
  // Cost Explorer is read for the reported period only; Bedrock invocations also for a quarter's 3 months (the trends).
  const billedPeriods = runs;
  const metricPeriods = 1 + (settings.quarterlyReview ? 4 / 3 : 0);
  const bedrockModels = new Set(config.models.filter((m) => m.provider === ModelProvider.AWS_BEDROCK).map((m) => m.modelId)).size;
  const round3 = (n: number) => Math.round(n * 1000) / 1000;
  return {
    logsInsightsGbScanned: round3((monthlyTelemetryBytes / 1e9) * monthScansPerMonth(settings.quarterlyReview)),
    metricDataMetricsRequested: round3(bedrockModels * metricPeriods),
    costExplorerRequests: round3(billedPeriods),
    lambdaGbSeconds: round3(runs * REPORT_RUN_SECONDS * REPORT_MEMORY_GB),
    storedGb: round3(REPORT_FILES_GB * 2 * (settings.retentionDays / 30.4) * runs),
  };
}

/** Properties of `MonitoringCostReport`. */
export interface MonitoringCostReportProps {
  readonly clientId: string;
  readonly config: ClientConfig;
}

/**
 * At synthesis, prices what the enclosing construct built (alarms, composites, anomaly detectors,
 * dashboards, Contributor Insights rules, in every nested stack) plus the custom metrics and log
 * ingestion the config's agents, routes, models, accuracy evaluators, call and evaluation volume
 * imply, and writes
 * `<outdir>/<client>.monitoring-cost.json`. Tenants appear nowhere in it.
 */
export class MonitoringCostReport extends Construct {
  /** The report's file name in the cloud assembly. */
  public static fileName(clientId: string): string {
    return `${clientId}.monitoring-cost.json`;
  }

  /** The estimate for everything under `root` and the config's telemetry. */
  public static estimate(root: IConstruct, config: ClientConfig): MonitoringCostEstimate {
    let standardAlarmMetrics = 0;
    let highResolutionAlarmMetrics = 0;
    let anomalyDetectionAlarms = 0;
    let compositeAlarms = 0;
    let dashboards = 0;
    let contributorInsightsRules = 0;
    for (const node of root.node.findAll()) {
      if (node instanceof cloudwatch.CfnAlarm) {
        const resolved = Stack.of(node).resolve(node.metrics) as Array<{ metricStat?: { period?: number } }> | undefined;
        if (node.thresholdMetricId) {
          anomalyDetectionAlarms++;
          continue;
        }
        const stats = resolved ? resolved.filter((query) => query.metricStat) : [{ metricStat: { period: Stack.of(node).resolve(node.period) } }];
        const highResolution = stats.some((query) => (query.metricStat?.period ?? 60) < 60);
        // An alarm on an expression without metrics (INSIGHT_RULE_METRIC) is billed as one alarm metric.
        const billed = Math.max(1, stats.length);
        if (highResolution) highResolutionAlarmMetrics += billed;
        else standardAlarmMetrics += billed;
      } else if (node instanceof cloudwatch.CfnCompositeAlarm) {
        compositeAlarms++;
      } else if (node instanceof cloudwatch.CfnDashboard) {
        dashboards++;
      } else if (node instanceof cloudwatch.CfnInsightRule) {
        contributorInsightsRules++;
      }
    }
    const monthlyCalls = config.expectedMonthlyCalls ?? DEFAULT_EXPECTED_MONTHLY_CALLS;
    const monthlyEvaluations = config.expectedMonthlyEvaluations ?? minimumMonthlyEvaluations(config);
    const inventory: MonitoringInventory = {
      customMetrics: TelemetryContract.customMetricCount(ClientCardinality.of(config)),
      standardAlarmMetrics,
      highResolutionAlarmMetrics,
      anomalyDetectionAlarms,
      compositeAlarms,
      dashboards,
      contributorInsightsRules,
      contributorInsightsMatchedEvents: contributorInsightsRules > 0 ? monthlyCalls * TENANT_RULE_KINDS : 0,
      monthlyCalls,
      bytesPerCall: TelemetryContract.CALL_LINE_BYTES,
      monthlyEvaluations,
      bytesPerEvaluation: TelemetryContract.EVALUATION_LINE_BYTES,
      governanceReport: governanceReportInventory(config,
        monthlyCalls * TelemetryContract.CALL_LINE_BYTES + monthlyEvaluations * TelemetryContract.EVALUATION_LINE_BYTES),
    };
    return estimateMonitoringCost(inventory);
  }

  public constructor(scope: Construct, id: string, props: MonitoringCostReportProps) {
    super(scope, id);
    attachCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => {
        const estimate = MonitoringCostReport.estimate(scope, props.config);
        fs.writeFileSync(path.join(session.outdir, MonitoringCostReport.fileName(props.clientId)), JSON.stringify({
          clientId: props.clientId,
          ...estimate,
        }, undefined, 2));
      },
    });
  }
}

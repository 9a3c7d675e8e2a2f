/**
 * The monthly price of the monitoring itself, at public us-east-1 list prices (CloudWatch pricing
 * page and Price List API, 2026; see shared facts). The account-level free tier (10 metrics,
 * 10 alarms, 3 dashboards, 5 GB of logs, 1 Contributor Insights rule) is not deducted.
 */
/** A price tier: the price of each unit up to a cumulative count. */
export interface PriceTier {
  /** Units up to which this tier's price applies (cumulative over the tiers before it). */
  readonly upTo: number;
  readonly usd: number;
}

export class CloudWatchListPrices {
  /** Custom metrics per metric-month, by tier: first 10,000; next 240,000; next 750,000; above 1,000,000. */
  public static readonly CUSTOM_METRIC_TIERS: PriceTier[] = [
    { upTo: 10_000, usd: 0.30 },
    { upTo: 250_000, usd: 0.10 },
    { upTo: 1_000_000, usd: 0.05 },
    { upTo: Number.POSITIVE_INFINITY, usd: 0.02 },
  ];
  /** Per alarm metric-month, standard resolution. */
  public static readonly STANDARD_ALARM_METRIC_USD = 0.10;
  /** Per alarm metric-month, high resolution. */
  public static readonly HIGH_RESOLUTION_ALARM_METRIC_USD = 0.30;
  /** An anomaly-detection alarm is billed as three alarm metrics (the metric and the band's two bounds); unconfirmed by a primary source. */
  public static readonly ANOMALY_ALARM_USD = 0.30;
  public static readonly COMPOSITE_ALARM_USD = 0.50;
  public static readonly DASHBOARD_USD = 3.00;
  public static readonly LOG_INGESTION_USD_PER_GB = 0.50;
  public static readonly CONTRIBUTOR_INSIGHTS_RULE_USD = 0.50;
  public static readonly CONTRIBUTOR_INSIGHTS_USD_PER_MILLION_EVENTS = 0.02;
}

/** List prices of what the governance report uses besides CloudWatch metrics and alarms (us-east-1, 2026). */
export class ReportListPrices {
  public static readonly LOGS_INSIGHTS_USD_PER_GB_SCANNED = 0.005;
  public static readonly METRIC_DATA_USD_PER_1000_METRICS = 0.01;
  public static readonly COST_EXPLORER_USD_PER_REQUEST = 0.01;
  /** Lambda on Arm (Graviton), per GB-second. */
  public static readonly LAMBDA_ARM_USD_PER_GB_SECOND = 0.0000133334;
  public static readonly S3_STANDARD_USD_PER_GB_MONTH = 0.023;
}

/** What the governance report's runs consume in a month (averaged over a quarter). */
export interface GovernanceReportInventory {
  /** GB of telemetry Logs Insights scans: each period is scanned once per query kind. */
  readonly logsInsightsGbScanned: number;
  readonly metricDataMetricsRequested: number;
  readonly costExplorerRequests: number;
  readonly lambdaGbSeconds: number;
  /** Report files kept in the bucket (all versions). */
  readonly storedGb: number;
}

/** What the monitoring of one client consists of. */
export interface MonitoringInventory {
  readonly customMetrics: number;
  /** Metrics referenced by standard-resolution alarms (a metric-math alarm counts each metric it reads). */
  readonly standardAlarmMetrics: number;
  /** Metrics referenced by high-resolution alarms. */
  readonly highResolutionAlarmMetrics: number;
  readonly anomalyDetectionAlarms: number;
  readonly compositeAlarms: number;
  readonly dashboards: number;
  readonly contributorInsightsRules: number;
  /** Log lines each rule kind matches per month (every model call's line once per kind). */
  readonly contributorInsightsMatchedEvents: number;
  readonly monthlyCalls: number;
  /** Bytes of one model call's telemetry line. */
  readonly bytesPerCall: number;
  /**
   * Evaluation records a month (verdicts, scores, feedback).
   * @default 0
   */
  readonly monthlyEvaluations?: number;
  /**
   * Bytes of one evaluation's telemetry line.
   * @default 0
   */
  readonly bytesPerEvaluation?: number;
  /**
   * The governance report's own consumption.
   * @default - no report
   */
  readonly governanceReport?: GovernanceReportInventory;
}

/** One priced item. */
export interface MonitoringCostItem {
  readonly item: string;
  readonly quantity: number;
  readonly monthlyUsd: number;
}

/** The estimate: every item and the total, USD a month. */
export interface MonitoringCostEstimate {
  readonly items: MonitoringCostItem[];
  readonly totalMonthlyUsd: number;
  readonly inventory: MonitoringInventory;
  readonly basis: string;
}

/** Custom metrics priced by CloudWatch's tiers. */
function customMetricsUsd(count: number): number {
  let usd = 0;
  let from = 0;
  for (const tier of CloudWatchListPrices.CUSTOM_METRIC_TIERS) {
    const inTier = Math.max(0, Math.min(count, tier.upTo) - from);
    usd += inTier * tier.usd;
    from = tier.upTo;
    if (count <= tier.upTo) break;
  }
  return usd;
}

const round = (usd: number) => Math.round(usd * 100) / 100;

function reportItems(report: GovernanceReportInventory | undefined): MonitoringCostItem[] {
  if (!report) return [];
  const P = ReportListPrices;
  return [
    { item: 'governance report: Logs Insights GB scanned', quantity: Math.round(report.logsInsightsGbScanned * 1000) / 1000, monthlyUsd: report.logsInsightsGbScanned * P.LOGS_INSIGHTS_USD_PER_GB_SCANNED },
    { item: 'governance report: GetMetricData metrics', quantity: report.metricDataMetricsRequested, monthlyUsd: (report.metricDataMetricsRequested / 1000) * P.METRIC_DATA_USD_PER_1000_METRICS },
    { item: 'governance report: Cost Explorer requests', quantity: report.costExplorerRequests, monthlyUsd: report.costExplorerRequests * P.COST_EXPLORER_USD_PER_REQUEST },
    { item: 'governance report: Lambda GB-seconds', quantity: report.lambdaGbSeconds, monthlyUsd: report.lambdaGbSeconds * P.LAMBDA_ARM_USD_PER_GB_SECOND },
    { item: 'governance report: S3 storage (GB)', quantity: report.storedGb, monthlyUsd: report.storedGb * P.S3_STANDARD_USD_PER_GB_MONTH },
  ];
}

/** Prices an inventory at us-east-1 list prices. */
export function estimateMonitoringCost(inventory: MonitoringInventory): MonitoringCostEstimate {
  const P = CloudWatchListPrices;
  const evaluationBytes = (inventory.monthlyEvaluations ?? 0) * (inventory.bytesPerEvaluation ?? 0);
  const ingestedGb = (inventory.monthlyCalls * inventory.bytesPerCall + evaluationBytes) / 1e9;
  const items: MonitoringCostItem[] = [
    { item: 'custom metrics', quantity: inventory.customMetrics, monthlyUsd: customMetricsUsd(inventory.customMetrics) },
    { item: 'standard-resolution alarm metrics', quantity: inventory.standardAlarmMetrics, monthlyUsd: inventory.standardAlarmMetrics * P.STANDARD_ALARM_METRIC_USD },
    { item: 'high-resolution alarm metrics', quantity: inventory.highResolutionAlarmMetrics, monthlyUsd: inventory.highResolutionAlarmMetrics * P.HIGH_RESOLUTION_ALARM_METRIC_USD },
    { item: 'anomaly-detection alarms', quantity: inventory.anomalyDetectionAlarms, monthlyUsd: inventory.anomalyDetectionAlarms * P.ANOMALY_ALARM_USD },
    { item: 'composite alarms', quantity: inventory.compositeAlarms, monthlyUsd: inventory.compositeAlarms * P.COMPOSITE_ALARM_USD },
    { item: 'dashboards', quantity: inventory.dashboards, monthlyUsd: inventory.dashboards * P.DASHBOARD_USD },
    { item: 'Contributor Insights rules', quantity: inventory.contributorInsightsRules, monthlyUsd: inventory.contributorInsightsRules * P.CONTRIBUTOR_INSIGHTS_RULE_USD },
    {
      item: 'Contributor Insights matched events',
      quantity: inventory.contributorInsightsMatchedEvents,
      monthlyUsd: (inventory.contributorInsightsMatchedEvents / 1e6) * P.CONTRIBUTOR_INSIGHTS_USD_PER_MILLION_EVENTS,
    },
    { item: 'telemetry log ingestion (GB)', quantity: Math.round(ingestedGb * 1000) / 1000, monthlyUsd: ingestedGb * P.LOG_INGESTION_USD_PER_GB },
    ...reportItems(inventory.governanceReport),
  ].map((line) => ({ ...line, monthlyUsd: round(line.monthlyUsd) }));
  return {
    items,
    totalMonthlyUsd: round(items.reduce((sum, line) => sum + line.monthlyUsd, 0)),
    inventory,
    basis: 'us-east-1 list prices; account free tier not deducted; log storage depends on the log groups\' retention and is not included',
  };
}

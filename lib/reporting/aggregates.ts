/*
 * What the governance report is computed from: the sums and distributions of one period of
 * telemetry, plus what CloudWatch, alarm history and Cost Explorer say about it. Two producers
 * build this shape (the local command from exported EMF lines, the Lambda from Logs Insights,
 * GetMetricData, DescribeAlarmHistory and Cost Explorer); one pure core (`buildReport`) turns it
 * into the report. No aws-cdk-lib here: the Lambda bundle and the CLI import it.
 */

/** A month (`2026-10`) or a quarter (`2026-Q4`). */
export interface ReportPeriod {
  readonly kind: 'month' | 'quarter';
  /** `YYYY-MM` or `YYYY-Qn`. */
  readonly id: string;
  /** First instant of the period, ISO 8601 UTC. */
  readonly start: string;
  /** First instant after the period, ISO 8601 UTC (exclusive). */
  readonly end: string;
  /** Days in the period. */
  readonly days: number;
}

/** Sums over a slice of model-call records (`recordType: ai_call`); costs are the cost each line recorded. */
export interface UsageSums {
  readonly calls: number;
  readonly costUsd: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly modelErrors: number;
  readonly appErrors: number;
  readonly throttles: number;
  /** Cost of the calls that did not end `ok` (spent, and no answer came of it). */
  readonly failedCostUsd: number;
}

/**
 * One day of one (agent, route, model): the finest grain the report needs. Every breakdown but
 * the tenants' (by model, agent, route, route and model, day) is a sum of these rows.
 */
export interface DailyUsage extends UsageSums {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly agent: string;
  readonly route: string;
  readonly model: string;
  /** API provider as recorded (`aws.bedrock`, `openai`, ...). */
  readonly provider: string;
}

/** One tenant's sums over the period. Complete: never truncated to a top-N. */
export interface TenantUsage extends UsageSums {
  readonly tenant: string;
}

/** Distributions over the whole period of one route: true percentiles, never averaged hourly ones. */
export interface RouteDistribution {
  readonly agent: string;
  readonly route: string;
  readonly calls: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  readonly latencyP99Ms: number;
  readonly outputTokensP50: number;
  readonly outputTokensP95: number;
  readonly outputTokensP99: number;
  readonly outputTokensMax: number;
}

/**
 * Quality evidence of one (agent, route, model, variant, evaluator) over the period, summed from
 * `recordType: evaluation` lines. Weighted sums use each record's `sampleWeight` (1 when absent).
 */
export interface EvaluationSums {
  readonly agent: string;
  readonly route: string;
  readonly model: string;
  /** The variant that served the evaluated calls, where recorded. */
  readonly variant?: string;
  readonly evaluator: string;
  /** Records that carried a pass/fail verdict (unweighted: the evidence's sample size). */
  readonly verdicts: number;
  /** Weighted count of records with a verdict. */
  readonly weightedVerdicts: number;
  /** Weighted count of passing verdicts. */
  readonly weightedPasses: number;
  /** Records that carried a score in [0, 1]. */
  readonly scores: number;
  /** Weighted sum of scores and of their weights. */
  readonly weightedScoreSum: number;
  readonly weightedScoreWeight: number;
}

/** One alarm episode of the period (ALARM until OK, or until the period's end). */
export interface AlarmEpisode {
  readonly alarmName: string;
  /** The alarm kind (`spend-anomaly`, `budget-burn`, ...), from the alarm's name. */
  readonly kind: string;
  /** `P1`, `P2` or `P3`, where known. */
  readonly severity?: string;
  readonly agent?: string;
  readonly route?: string;
  /** ISO 8601 UTC. */
  readonly start: string;
  /** ISO 8601 UTC; absent while still in ALARM at the period's end. */
  readonly end?: string;
}

/** Calls AWS/Bedrock counted per model id over the period (`Invocations`), for coverage. */
export interface BedrockInvocations {
  readonly model: string;
  readonly invocations: number;
}

/** What Cost Explorer billed for Amazon Bedrock over the period. */
export interface BilledSpend {
  readonly bedrockUsd: number;
}

/** The data sources of a report; each can fail alone and mark its sections incomplete. */
export enum ReportSource {
  /** Per day, agent, route and model sums of the call records. */
  USAGE = 'usage',
  /** Per-tenant sums. */
  TENANTS = 'tenants',
  /** True latency and output-token percentiles per route. */
  DISTRIBUTIONS = 'distributions',
  /** Evaluation records (accuracy evidence). */
  EVALUATIONS = 'evaluations',
  /** Alarm history. */
  ALARMS = 'alarms',
  /** Cost Explorer's billed Bedrock spend. */
  BILLING = 'billing',
  /** AWS/Bedrock Invocations per model. */
  BEDROCK_METRICS = 'bedrockMetrics',
}

/** Whether a source delivered everything, and why not. */
export interface SourceStatus {
  readonly complete: boolean;
  /** Why the source is missing or partial, in words a client reads. */
  readonly reason?: string;
}

/** What the report's own data gathering cost. */
export interface QueryCost {
  /** Bytes Logs Insights scanned, in GB. */
  readonly logsInsightsGbScanned: number;
  /** API calls made, by `service:Operation`. */
  readonly apiCalls: Record<string, number>;
  /** USD at list prices (Logs Insights per GB scanned, GetMetricData per metric, Cost Explorer per request). */
  readonly estimatedUsd: number;
}

/** Everything the report core reads about one period. */
export interface PeriodAggregates {
  readonly period: ReportPeriod;
  readonly daily: DailyUsage[];
  readonly tenants: TenantUsage[];
  readonly distributions: RouteDistribution[];
  readonly evaluations: EvaluationSums[];
  /** Absent when alarm history was not read (offline runs without `--alarm-history`). */
  readonly alarms?: AlarmEpisode[];
  /** Absent when billing was not read. */
  readonly billed?: BilledSpend;
  /** Absent when AWS/Bedrock metrics were not read. */
  readonly bedrockInvocations?: BedrockInvocations[];
  /** Names of the client's alarms (DescribeAlarms), for alarms per route; absent when not read. */
  readonly alarmNames?: string[];
  /** One entry per `ReportSource`. */
  readonly sources: Record<ReportSource, SourceStatus>;
  /** Absent for the local command (it queries nothing). */
  readonly queryCost?: QueryCost;
}

/** Sums of `UsageSums` fields, starting from zero. */
export function emptyUsage(): { -readonly [K in keyof UsageSums]: UsageSums[K] } {
  return {
    calls: 0,
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    modelErrors: 0,
    appErrors: 0,
    throttles: 0,
    failedCostUsd: 0,
  };
}

/** Adds `from` into `into`, field by field. */
export function addUsage(into: { -readonly [K in keyof UsageSums]: UsageSums[K] }, from: UsageSums): void {
  into.calls += from.calls;
  into.costUsd += from.costUsd;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cacheReadTokens += from.cacheReadTokens;
  into.cacheWriteTokens += from.cacheWriteTokens;
  into.modelErrors += from.modelErrors;
  into.appErrors += from.appErrors;
  into.throttles += from.throttles;
  into.failedCostUsd += from.failedCostUsd;
}

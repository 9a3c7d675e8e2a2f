import { ModelProvider, PriceOverride } from '../pricing';

/** The client's contracted support tier; it sets response targets and how each severity is delivered. */
export enum SlaTier {
  STANDARD = 'standard',
  ENTERPRISE = 'enterprise',
}

/** Who answers first when something breaks. */
export enum OperatingPosture {
  /** This stack's on-call answers first: every severity is routed by its tier. */
  PRIMARY = 'primary',
  /** The client's own team answers first; PagerDuty is used for P1 only. */
  ESCALATION = 'escalation',
}

/** Incident severity, as in the service's SLA table. */
export enum Severity {
  /** Production down, data-loss risk, security incident. */
  P1 = 'P1',
  /** Degraded performance, partial outage, non-blocking errors. */
  P2 = 'P2',
  /** Minor defects, cosmetic issues, enhancement requests. */
  P3 = 'P3',
}

/** Who owns an agent: the team paged for it and the workload that runs it. */
export interface AgentOwner {
  /** Team name, as it should appear in alarm descriptions and pages. */
  readonly team: string;
  /** The Lambda function or service (ECS service, container) that runs the agent. */
  readonly service: string;
}

/** Latency objectives of a route, in milliseconds from request to last token. */
export interface LatencySlo {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** Severities that replace the defaults for one route's alarms. */
export interface SeverityOverrides {
  /** @default Severity.P3 */
  readonly latencyP50?: Severity;
  /** @default Severity.P2 */
  readonly latencyP95?: Severity;
  /** @default Severity.P2 */
  readonly latencyP99?: Severity;
  /** @default Severity.P2 */
  readonly errorRate?: Severity;
  /** @default Severity.P2 */
  readonly throttleRate?: Severity;
}

/** The accuracy objective of one evaluator on a route: a pass rate, a mean score, or both. */
export interface AccuracyEvaluator {
  /** Evaluator id, as `recordEvaluation` writes it (or the AgentCore evaluator's dimension value). */
  readonly id: string;
  /**
   * Lowest acceptable share of passing verdicts, percent (above 0, below 100).
   * @default - no pass-rate objective (then `minMeanScore` is required)
   */
  readonly minPassRatePercent?: number;
  /**
   * Lowest acceptable mean score, between 0 and 1 (exclusive).
   * @default - no mean-score objective (then `minPassRatePercent` is required)
   */
  readonly minMeanScore?: number;
}

/**
 * Where AgentCore Evaluations publishes a route's scores: one metric whose evaluator dimension
 * names the evaluator. Nothing is assumed: give the names the CloudWatch console shows.
 */
export interface AgentCoreEvaluationsSource {
  /** CloudWatch namespace of the scores. */
  readonly namespace: string;
  /** Metric carrying one score (0 to 1) per evaluation: Average is the mean, SampleCount the evidence. */
  readonly metricName: string;
  /** Dimension whose value is the evaluator (each `evaluators[].id`). */
  readonly evaluatorDimension: string;
  /**
   * Further dimensions that select the route's online evaluation configuration.
   * @default - none
   */
  readonly dimensions?: { [name: string]: string };
}

/** Accuracy objectives of a route, watched on a confidence bound rather than the raw rate. */
export interface AccuracySlo {
  /** Objectives per evaluator (at least one). */
  readonly evaluators: AccuracyEvaluator[];
  /**
   * Hours of evaluations pooled into each alarm datapoint (1 to 168).
   * @default 24
   */
  readonly windowHours?: number;
  /**
   * Verdicts (or scores) a window needs before the alarm may decide; a thinner window is not
   * enough evidence, neither healthy nor breaching.
   * @default 30
   */
  readonly minScoredCalls?: number;
  /**
   * Severity of the accuracy-drift alarms; the no-scores alarm is always P3.
   * @default Severity.P2
   */
  readonly severity?: Severity;
  /**
   * Read the scores from AgentCore Evaluations' CloudWatch metrics instead of the telemetry
   * helper's evaluation records (mean-score objectives only: AgentCore publishes scores).
   * @default - the telemetry helper's evaluation records
   */
  readonly agentCore?: AgentCoreEvaluationsSource;
}

/** Service-level objectives of one route. */
export interface RouteSlo {
  readonly latency: LatencySlo;
  /** Highest acceptable share of calls ending in a model error, and apart in an application error, in percent (0 to 100). */
  readonly errorRatePercent: number;
  /**
   * Highest acceptable share of calls the provider throttles, in percent (0 to 100).
   * @default 5
   */
  readonly throttleRatePercent?: number;
  /**
   * Severities that replace the defaults of the SLA table for this route.
   * @default - the SLA table's defaults
   */
  readonly severityOverrides?: SeverityOverrides;
  /**
   * Accuracy objectives per evaluator, with drift and no-scores alarms.
   * @default - no accuracy alarms (evaluations recorded for the route still reach the dashboards)
   */
  readonly accuracy?: AccuracySlo;
}

/** One entry point or task of an agent, with its own objectives. */
export interface RouteConfig {
  /** Route id, written by the telemetry helper into every record of the route. */
  readonly id: string;
  /**
   * What the route does, for dashboards and alarm descriptions.
   * @default - the route id
   */
  readonly description?: string;
  readonly slo: RouteSlo;
  /**
   * Runbook for this route's alarms.
   * @default - the agent's runbook
   */
  readonly runbookUrl?: string;
  /**
   * A governed rollout of a new variant (model, prompt version, parameters) on this route: an AppConfig
   * feature flag moved through a stage plan by a Step Functions state machine, with gates and automatic rollback.
   * @default - no rollout: the route's agent serves whatever it calls
   */
  readonly rollout?: RolloutConfig;
}

/** Inference parameters a rollout variant fixes; unset ones are left to the provider's defaults. */
export interface RolloutParameters {
  /** @default - the provider's */
  readonly temperature?: number;
  /** @default - the provider's */
  readonly maxTokens?: number;
  /** @default - the provider's */
  readonly topP?: number;
}

/** One variant of a route: a bundle of model id, prompt version and inference parameters. */
export interface RolloutVariant {
  /** Stable id of the bundle, recorded with every call it serves (the telemetry `variant` field). */
  readonly id: string;
  /** Model id as sent to the provider; one of the agent's models. */
  readonly model: string;
  /** Version of the prompt the agent uses with this variant. */
  readonly promptVersion: string;
  /** @default - the provider's defaults */
  readonly parameters?: RolloutParameters;
}

/** One stage of a rollout's plan. */
export interface RolloutStage {
  /** Percent (1-100) of keys the candidate serves in this stage; stages rise strictly and the last is 100. */
  readonly percent: number;
  /** Hours the stage bakes (gates watched) before the next. */
  readonly bakeHours: number;
}

/** A route's governed rollout. */
export interface RolloutConfig {
  /** The variant that serves today, and the rollback target while the candidate rolls out. */
  readonly baseline: RolloutVariant;
  /**
   * The variant rolled out through the stage plan.
   * @default - none: the flag serves the baseline only (after a promotion, with `previous` as the rollback target)
   */
  readonly candidate?: RolloutVariant;
  /**
   * The stage plan of the candidate.
   * @default - 10% for 72 h, 50% for 96 h, 100% for 72 h (ROLLOUT_DEFAULTS.stages: ten days)
   */
  readonly stages?: RolloutStage[];
  /**
   * Percent of baseline-served requests that also call the candidate in the background (shadow evaluation;
   * the agents' `ShadowRunner` caps its daily spend). Written into every stage's flag.
   * @default 0
   */
  readonly shadowPercent?: number;
  /**
   * Non-inferiority margin of `cdk-ai-ops compare --config --route`, accuracy percentage points.
   * @default 2
   */
  readonly nonInferiorityMarginPoints?: number;
  /**
   * Calls the route must serve during a stage's bake for its gates to count; fewer pauses the plan.
   * @default 200
   */
  readonly minCallsPerStage?: number;
  /**
   * The variant the last promotion replaced, kept in the flag as the rollback target for 30 days after `promotedOn`.
   * @default - none (requires `promotedOn`)
   */
  readonly previous?: RolloutVariant;
  /**
   * UTC day (YYYY-MM-DD) the candidate became the baseline; `previous` must stay until 30 days later.
   * @default - never promoted
   */
  readonly promotedOn?: string;
}

/** Retrieval the agent records with `recordRetrieval`. */
export interface RetrievalConfig {
  /** Hours after which the searched index counts as stale (alarm, P3). */
  readonly maxIndexAgeHours: number;
}

/** Per-session limits past which an agent counts as runaway (P2 each). */
export interface SessionLimits {
  /** @default - not watched */
  readonly maxStepsPerSession?: number;
  /** @default - not watched */
  readonly maxToolCallsPerSession?: number;
  /** @default - not watched */
  readonly maxTokensPerSession?: number;
  /** A session costing more than this is an incident. @default - not watched */
  readonly maxSessionCostUsd?: number;
}

/** One AI agent of the client. */
export interface AgentConfig {
  /** Agent id, written by the telemetry helper into every record of the agent. */
  readonly id: string;
  /**
   * Name shown on dashboards.
   * @default - the agent id
   */
  readonly displayName?: string;
  readonly owner: AgentOwner;
  /** Log groups where the agent's telemetry lands (its Lambda's log group, or its container's). */
  readonly logGroups: string[];
  readonly routes: RouteConfig[];
  /**
   * Ids of the client's models this agent calls (a subset of `models`).
   * @default - every model of the client
   */
  readonly models?: string[];
  /**
   * Runbook for the agent's alarms.
   * @default - the library's generic runbook section for each alarm kind
   */
  readonly runbookUrl?: string;
  /**
   * The client's product stops when this agent stops: its agent-down page (every route failing
   * at once) is P1 instead of P2.
   * @default false
   */
  readonly clientCritical?: boolean;
  /**
   * Lowest acceptable prompt-cache hit rate (cache reads / all input tokens), percent (alarm, P3).
   * @default - no cache hit-rate alarm (the rate is still on the dashboards)
   */
  readonly promptCacheHitRateFloorPercent?: number;
  /**
   * The agent records retrievals; dashboards show their quality and an alarm watches index staleness.
   * @default - no retrieval widgets or alarm
   */
  readonly retrieval?: RetrievalConfig;
  /**
   * The agent records agent sessions (steps, tool calls, cost per session).
   * @default false
   */
  readonly recordsSessions?: boolean;
  /**
   * Runaway-agent limits per session (the agent must record sessions).
   * @default - none
   */
  readonly sessionLimits?: SessionLimits;
}

/** A model the client calls, and through which API. */
export interface ModelConfig {
  readonly provider: ModelProvider;
  /** Model id as the client sends it; must resolve to a price-catalog model or a client price override. */
  readonly modelId: string;
}

/** Monthly spend limits in US dollars. */
export interface BudgetConfig {
  /**
   * Total monthly budget of the client's model spend, every provider: the telemetry's spend-rate
   * and burn-rate alarms guard it.
   */
  readonly monthlyUsd: number;
  /**
   * The share of `monthlyUsd` that AWS bills (Amazon Bedrock): the AWS Budgets budget and the Cost
   * Anomaly Detection monitor watch this amount, since they see only what AWS bills. Required when
   * the client uses Bedrock and other providers; refused when it uses no Bedrock model.
   * @default - `monthlyUsd` when every model is on Bedrock
   */
  readonly awsBilledMonthlyUsd?: number;
  /**
   * Monthly budget per agent id; together at most `monthlyUsd`.
   * @default - no per-agent budgets
   */
  readonly perAgentMonthlyUsd?: { [agentId: string]: number };
}

/** The Secrets Manager secret that holds a PagerDuty Events API v2 integration key. */
export interface PagerDutyService {
  /** Name of the secret (never the key itself). */
  readonly integrationKeySecretName: string;
}

/** PagerDuty services per severity. */
export interface PagerDutyConfig {
  /**
   * Events API v2 endpoint (EU service regions use https://events.eu.pagerduty.com/v2/enqueue).
   * @default https://events.pagerduty.com/v2/enqueue
   */
  readonly eventsApiUrl?: string;
  /** @default - P1 is not sent to PagerDuty */
  readonly p1?: PagerDutyService;
  /** @default - P2 is not sent to PagerDuty */
  readonly p2?: PagerDutyService;
  /** @default - P3 is not sent to PagerDuty */
  readonly p3?: PagerDutyService;
}

/** A Slack channel reached through AWS Chatbot (the workspace is authorised once in the console). */
export interface SlackConfig {
  /** Slack workspace id (T…). */
  readonly workspaceId: string;
  /** Slack channel id (C… or G…). */
  readonly channelId: string;
}

/** Email recipients per severity. */
export interface SeverityEmails {
  /** @default - none */
  readonly p1?: string[];
  /** @default - none */
  readonly p2?: string[];
  /** @default - none */
  readonly p3?: string[];
}

/** Where alerts go. */
export interface EscalationConfig {
  /** @default - no PagerDuty delivery */
  readonly pagerDuty?: PagerDutyConfig;
  /** @default - no Slack delivery */
  readonly slack?: SlackConfig;
  /** @default - no email delivery */
  readonly emails?: SeverityEmails;
}

/** The monthly governance report. */
export interface ReportConfig {
  /** Email addresses that receive the report's summary (through an SNS topic: each confirms once). */
  readonly recipients: string[];
  /**
   * Day of the month the report for the previous month is produced (1 to 28).
   * @default 1
   */
  readonly dayOfMonth?: number;
  /**
   * Hour of that day (0 to 23) the report is produced, in `timeZone`.
   * @default 8
   */
  readonly hour?: number;
  /**
   * IANA time zone of `dayOfMonth` and `hour` (`Europe/Paris`); the schedule follows its daylight saving time.
   * @default UTC
   */
  readonly timeZone?: string;
  /**
   * Also produce the quarterly architecture review (the previous quarter's three months), on
   * `dayOfMonth` and `hour` of January, April, July and October.
   * @default true
   */
  readonly quarterlyReview?: boolean;
  /**
   * Also send the HTML report itself by email through Amazon SES, from this address; the address
   * or its domain must be a verified SES identity of the account and region.
   * @default - no HTML email; the summary names where the report lies
   */
  readonly sesFromAddress?: string;
  /**
   * Days the report files are kept in the bucket (older versions 30 days).
   * @default 730
   */
  readonly retentionDays?: number;
}

/** A period the spend anomaly models must not learn from (a known launch). */
export interface ExcludedTimeRange {
  /** ISO 8601 start, UTC. */
  readonly start: string;
  /** ISO 8601 end, UTC. */
  readonly end: string;
}

/** How token spend is watched. */
export interface GovernanceConfig {
  /**
   * Width of the anomaly band in standard deviations (higher: fewer, surer alarms).
   * @default 3
   */
  readonly anomalyBandStdDevs?: number;
  /**
   * Hours above the band, out of the last `anomalyEvaluationHours`, before a spend anomaly alarms.
   * @default 3
   */
  readonly anomalyDatapointsToAlarm?: number;
  /** @default 4 */
  readonly anomalyEvaluationHours?: number;
  /** @default - none */
  readonly excludedTimeRanges?: ExcludedTimeRange[];
  /**
   * P1 when an hour's spend passes this multiple of the budgeted hourly rate.
   * @default 5
   */
  readonly spendRateMultiplier?: number;
  /**
   * Alarm when one tenant's share of the hour's spend passes this percentage.
   * @default 50
   */
  readonly maxTenantSharePercent?: number;
  /**
   * Create an AWS Cost Anomaly Detection monitor on Bedrock. Accounts have few monitors: set false
   * where the account already has one.
   * @default true
   */
  readonly costAnomalyMonitor?: boolean;
  /**
   * Total impact, USD, above which a cost anomaly is delivered (P2).
   * @default 100
   */
  readonly costAnomalyThresholdUsd?: number;
}

/** A cdk-nag compliance rule pack a client opts into (`compliance:`), beside AwsSolutions and Serverless. */
export enum CompliancePack {
  /** NIST 800-53 rev 5 (cdk-nag `NIST80053R5Checks`). */
  NIST_800_53_R5 = 'nist-800-53-r5',
  /** HIPAA Security (cdk-nag `HIPAASecurityChecks`). */
  HIPAA_SECURITY = 'hipaa-security',
  /** PCI DSS 3.2.1 (cdk-nag `PCIDSS321Checks`). */
  PCI_DSS_3_2_1 = 'pci-dss-3.2.1',
}

/**
 * One client's configuration: what the YAML files in `clients/` hold, and what the `AiOps`
 * facade is built from.
 */
export interface ClientConfig {
  /** Lowercase id (letters, digits, hyphens); names the stack and prefixes resource names. */
  readonly clientId: string;
  /** Client name as shown on dashboards and in reports. */
  readonly displayName: string;
  /**
   * AWS account to deploy into.
   * @default - environment-agnostic stack
   */
  readonly account?: string;
  /**
   * AWS region to deploy into.
   * @default - environment-agnostic stack
   */
  readonly region?: string;
  readonly slaTier: SlaTier;
  /** @default OperatingPosture.PRIMARY */
  readonly posture?: OperatingPosture;
  /**
   * CloudWatch namespace of the client's telemetry.
   * @default TelemetryContract.DEFAULT_NAMESPACE
   */
  readonly metricNamespace?: string;
  readonly agents: AgentConfig[];
  readonly models: ModelConfig[];
  readonly budgets: BudgetConfig;
  readonly escalation: EscalationConfig;
  /**
   * Spend anomaly, runaway and budget detection settings.
   * @default - the defaults of each setting
   */
  readonly governance?: GovernanceConfig;
  /**
   * Model calls a month across all agents, for the monitoring-cost estimate (log ingestion, matched events).
   * @default 1000000
   */
  readonly expectedMonthlyCalls?: number;
  /**
   * Evaluation records a month (verdicts, scores, feedback), for the monitoring-cost estimate's
   * log ingestion.
   * @default - the minimum evidence the accuracy SLOs need: per evaluator, `minScoredCalls` per window
   */
  readonly expectedMonthlyEvaluations?: number;
  /**
   * The monthly governance report.
   * @default - no report
   */
  readonly reports?: ReportConfig;
  /**
   * Negotiated prices, applied on top of the price catalog.
   * @default - list prices
   */
  readonly priceOverrides?: PriceOverride[];
  /**
   * Where the generated runbooks (`npm run runbooks`) are published; alarm descriptions link to
   * `<runbookBaseUrl>/<alarm name>.md` unless a route or agent names its own runbook.
   * @default - the library's runbook section for each alarm kind
   */
  readonly runbookBaseUrl?: string;
  /**
   * Compliance rule packs checked at synthesis for this client's stack, each at zero
   * unacknowledged findings (see docs/compliance.md).
   * @default - AwsSolutions and Serverless only
   */
  readonly compliance?: CompliancePack[];
}

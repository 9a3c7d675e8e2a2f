/*
 * The registry of alarm kinds: one entry per kind holds everything about it (default severity,
 * the route override that replaces it, whether it pages, what the runbook advises, which query
 * the runbook opens with). Adding a kind is adding an entry. No aws-cdk-lib here: the governance
 * report function reads alarm history back into kinds and severities with these tables.
 */
import { Severity, SeverityOverrides } from '../config/types';
import { ModelProvider } from '../pricing/price-catalog';

/** The kinds of alarm the library creates; each has a runbook section of the same name. */
export enum SloAlarmKind {
  LATENCY_P50 = 'latency-p50',
  LATENCY_P95 = 'latency-p95',
  LATENCY_P99 = 'latency-p99',
  MODEL_ERROR_RATE = 'model-error-rate',
  APP_ERROR_RATE = 'app-error-rate',
  THROTTLE_RATE = 'throttle-rate',
  /** A route's error and throttle alarms as one page, suppressed while a cause upstream pages. */
  ROUTE_FAILING = 'route-failing',
  RETRIEVAL_STALENESS = 'retrieval-staleness',
  PROMPT_CACHE_HIT_RATE = 'prompt-cache-hit-rate',
  AGENT_DOWN = 'agent-down',
  /** Half or more of all the client's calls failing: the metric under production-down. */
  PRODUCTION_FAILURE_RATE = 'production-failure-rate',
  PRODUCTION_DOWN = 'production-down',
  /** One model failing, whatever agent calls it (telemetry, and AWS/Bedrock for Bedrock models). */
  MODEL_OUTAGE = 'model-outage',
  /** One or more models of a provider failing: the one page for "the provider is failing". */
  PROVIDER_OUTAGE = 'provider-outage',
  /** Holds back the pages of lower levels while a cause upstream is in ALARM; never pages. */
  OUTAGE_SUPPRESSOR = 'outage-suppressor',
  /** Alerts the PagerDuty path could not deliver (the dead-letter queue's depth). */
  UNDELIVERED_ALERTS = 'undelivered-alerts',
  /** Hourly spend above its anomaly band (per agent, per model, in total). */
  SPEND_ANOMALY = 'spend-anomaly',
  /** Prompt-cache hit rate below its anomaly band. */
  CACHE_HIT_ANOMALY = 'prompt-cache-hit-anomaly',
  /** An hour's spend above a multiple of the budgeted hourly rate. */
  SPEND_RATE = 'spend-rate',
  /** A day's spend above 1.5x the daily share of the monthly budget. */
  BUDGET_BURN_WARNING = 'budget-burn-warning',
  /** A day's spend above 3x the daily share of the monthly budget. */
  BUDGET_BURN = 'budget-burn',
  SESSION_STEPS = 'session-steps',
  SESSION_TOOL_CALLS = 'session-tool-calls',
  SESSION_TOKENS = 'session-tokens',
  SESSION_COST = 'session-cost',
  /** One tenant making most of an hour's spend. */
  TENANT_SHARE = 'tenant-share',
  /** An evaluator's pass rate is, with 95% confidence, below its objective. */
  ACCURACY_PASS_RATE = 'accuracy-pass-rate',
  /** An evaluator's mean score is, with 95% confidence, below its objective. */
  ACCURACY_MEAN_SCORE = 'accuracy-mean-score',
  /** An evaluator of an accuracy SLO recorded nothing for a day (or its window, when longer). */
  ACCURACY_NO_SCORES = 'accuracy-no-scores',
  /** A run of the monthly governance report failed: no report was produced. */
  GOVERNANCE_REPORT_FAILED = 'governance-report-failed',
  /** A model still called within the warning window of the end of life its vendor announced. */
  MODEL_END_OF_LIFE = 'model-end-of-life',
  /** A route's model rollout was rolled back automatically: its gates saw a regression on the candidate. */
  ROLLOUT_ROLLED_BACK = 'rollout-rolled-back',
  /** The gate of a route's rollout (its SLO, spend and accuracy alarms as one): AppConfig's monitor; never pages. */
  ROLLOUT_GATE = 'rollout-gate',
}

/** Which telemetry a kind's runbook queries first. */
export enum RunbookQuery {
  /** Call records, filtered to the alarm's agent, route or model, by outcome and model. */
  CALLS = 'call-records',
  /** Failing call records, by agent, route and error. */
  FAILURES = 'failed-calls',
  /** Evaluation records, by evaluator, version, model and variant. */
  EVALUATIONS = 'evaluation-records',
  /** Call records by agent and tenant, cost first. */
  SPEND = 'spend-by-tenant',
  /** Session records by agent and tenant. */
  SESSIONS = 'session-records',
  /** Nothing in the telemetry tells: the runbook points elsewhere. */
  NONE = 'no-query',
}

/** One step of a runbook's mitigation. */
export interface Mitigation {
  readonly text: string;
  /** Only for alarms on these providers' models. @default - whatever the provider */
  readonly providers?: ModelProvider[];
}

/** Everything about one alarm kind. */
export interface AlarmKindDefinition {
  /** Severity by the SLA table; a route override or the alarm's own setting may replace it. */
  readonly severity: Severity;
  /** The route override that replaces the default. @default - none */
  readonly override?: keyof SeverityOverrides;
  /**
   * False for alarms that only feed composites and dashboards: they have no actions (a route's
   * error, throttle and latency alarms page through the route's composite; a p50 alarm raised
   * above P3 by an override does too).
   */
  readonly pages: boolean;
  readonly query: RunbookQuery;
  readonly mitigations: Mitigation[];
}

const BEDROCK = [ModelProvider.AWS_BEDROCK];

/**
 * Severities by the service's SLA table: production down or data-loss risk is P1; degraded
 * performance and partial outage P2; minor defects (and cost drift that hurts no user) P3.
 */
export const ALARM_KINDS: Record<SloAlarmKind, AlarmKindDefinition> = {
  [SloAlarmKind.LATENCY_P50]: {
    severity: Severity.P3,
    override: 'latencyP50',
    pages: true,
    query: RunbookQuery.CALLS,
    mitigations: [
      { text: 'Check the provider\'s status page and the per-model latency on the overview.' },
      { text: 'Compare with AWS/Bedrock InvocationLatency of the model: a slow provider shows there too.', providers: BEDROCK },
      { text: 'Move the route to a faster model behind its model flag if the provider is slow.' },
      { text: 'Shorten prompts or outputs that grew with the last deploy.' },
    ],
  },
  [SloAlarmKind.LATENCY_P95]: {
    severity: Severity.P2,
    override: 'latencyP95',
    pages: false,
    query: RunbookQuery.CALLS,
    mitigations: [
      { text: 'Look for retries after throttling (throttle rate) and cold starts of the agent\'s function.' },
      { text: 'Check the model/provider status.' },
      { text: 'Fail over to a cross-region inference profile.', providers: BEDROCK },
    ],
  },
  [SloAlarmKind.LATENCY_P99]: {
    severity: Severity.P2,
    override: 'latencyP99',
    pages: false,
    query: RunbookQuery.CALLS,
    mitigations: [
      { text: 'Calls close to the agent\'s own timeout are being cut off: raise the timeout or cap output tokens.' },
      { text: 'Check the model/provider status.' },
    ],
  },
  [SloAlarmKind.MODEL_ERROR_RATE]: {
    severity: Severity.P2,
    override: 'errorRate',
    pages: false,
    query: RunbookQuery.FAILURES,
    mitigations: [
      { text: 'One model only, on a route with a rollout: roll the route back to its baseline variant with the rollout\'s RollbackCommand stack output (aws appconfig start-deployment; docs/rollouts.md).' },
      { text: 'Provider server errors: fail over to another region or model.' },
    ],
  },
  [SloAlarmKind.APP_ERROR_RATE]: {
    severity: Severity.P2,
    override: 'errorRate',
    pages: false,
    query: RunbookQuery.FAILURES,
    mitigations: [
      { text: 'Roll back the last deploy of the owning service.' },
      { text: 'Find the failing requests by requestId in the service\'s own logs.' },
    ],
  },
  [SloAlarmKind.THROTTLE_RATE]: {
    severity: Severity.P2,
    override: 'throttleRate',
    pages: false,
    query: RunbookQuery.FAILURES,
    mitigations: [
      { text: 'Compare usage with the provider\'s tokens-per-minute and requests-per-minute quotas; request an increase.' },
      { text: 'Use cross-region inference profiles.', providers: BEDROCK },
      { text: 'Add retries with backoff and jitter; rate-limit the top tenant.' },
    ],
  },
  [SloAlarmKind.ROUTE_FAILING]: {
    severity: Severity.P2,
    override: 'errorRate',
    pages: true,
    query: RunbookQuery.FAILURES,
    mitigations: [
      { text: 'The query above splits the failures by outcome and model: one model failing points at the provider, application errors at the last deploy.' },
      { text: 'Roll back the last deploy of the owning service, or the route\'s variant flag (the rollout\'s RollbackCommand stack output).' },
      { text: 'Provider server errors or throttles: fail over to a cross-region inference profile.', providers: BEDROCK },
    ],
  },
  [SloAlarmKind.RETRIEVAL_STALENESS]: {
    severity: Severity.P3,
    pages: true,
    query: RunbookQuery.NONE,
    mitigations: [{ text: 'Re-run the ingestion job that refreshes the index; check why its schedule stopped.' }],
  },
  [SloAlarmKind.PROMPT_CACHE_HIT_RATE]: {
    severity: Severity.P3,
    pages: true,
    query: RunbookQuery.CALLS,
    mitigations: [
      { text: 'A changed system prompt, tool list or message order breaks the cached prefix: restore the stable prefix.' },
      { text: 'Check prompt-version and model-flag changes at the time the rate fell.' },
    ],
  },
  [SloAlarmKind.AGENT_DOWN]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.FAILURES,
    mitigations: [{ text: 'Every route of the agent fails: roll back its last deploy or model change first.' }],
  },
  [SloAlarmKind.PRODUCTION_FAILURE_RATE]: {
    severity: Severity.P1,
    pages: false,
    query: RunbookQuery.FAILURES,
    mitigations: [{ text: 'Feeds production-down: see that runbook.' }],
  },
  [SloAlarmKind.PRODUCTION_DOWN]: {
    severity: Severity.P1,
    pages: true,
    query: RunbookQuery.FAILURES,
    mitigations: [
      { text: 'Half the client\'s calls fail while no provider is failing: look for what the agents share (credentials, network, a shared deploy).' },
      { text: 'The query above names the failing agents; their owners are on the overview dashboard.' },
    ],
  },
  [SloAlarmKind.MODEL_OUTAGE]: {
    severity: Severity.P1,
    pages: false,
    query: RunbookQuery.FAILURES,
    mitigations: [{ text: 'Feeds the provider-outage page: see that runbook.' }],
  },
  [SloAlarmKind.PROVIDER_OUTAGE]: {
    severity: Severity.P1,
    pages: true,
    query: RunbookQuery.FAILURES,
    mitigations: [
      { text: 'Check the provider\'s status page; the agents and routes listed in the page are the ones affected.' },
      { text: 'Fail over to a cross-region inference profile or another region, and check the account\'s Service Quotas for throttles.', providers: BEDROCK },
      { text: 'Switch the affected routes to another provider\'s model behind their model flags if the outage lasts.' },
      { text: 'Route and agent pages stay quiet while this alarm is in ALARM, and for 10 minutes after it clears.' },
    ],
  },
  [SloAlarmKind.OUTAGE_SUPPRESSOR]: {
    severity: Severity.P3,
    pages: false,
    query: RunbookQuery.NONE,
    mitigations: [{ text: 'Never pages: it holds back lower-level pages while a cause upstream is in ALARM.' }],
  },
  [SloAlarmKind.UNDELIVERED_ALERTS]: {
    severity: Severity.P1,
    pages: true,
    query: RunbookQuery.NONE,
    mitigations: [
      { text: 'Read the queued notifications and page by hand for any P1 or P2.' },
      { text: 'Fix the integration key secret, the endpoint or wait out PagerDuty\'s incident; redrive the queue.' },
    ],
  },
  [SloAlarmKind.SPEND_ANOMALY]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.SPEND,
    mitigations: [
      { text: 'Check recent deploys and prompt-version changes of the agent.' },
      { text: 'Check model-flag changes (a more expensive model).' },
      { text: 'The query above ranks agents and tenants by cost: one tenant\'s traffic may have tripled.' },
    ],
  },
  [SloAlarmKind.CACHE_HIT_ANOMALY]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.CALLS,
    mitigations: [
      { text: 'A changed system prompt, tool list or message order breaks the cached prefix: restore it.' },
      { text: 'Check prompt-version and model-flag changes at the time the rate fell.' },
    ],
  },
  [SloAlarmKind.SPEND_RATE]: {
    severity: Severity.P1,
    pages: true,
    query: RunbookQuery.SPEND,
    mitigations: [
      { text: 'The query above ranks agents and tenants by cost: rate-limit or disable the driver.' },
      { text: 'Look for a runaway agent: steps and tool calls per session.' },
    ],
  },
  [SloAlarmKind.BUDGET_BURN_WARNING]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.SPEND,
    mitigations: [{ text: 'Compare the day\'s spend by agent, model and tenant with the week before; decide whether the budget or the traffic is wrong.' }],
  },
  [SloAlarmKind.BUDGET_BURN]: {
    severity: Severity.P1,
    pages: true,
    query: RunbookQuery.SPEND,
    mitigations: [{ text: 'At this rate the month\'s budget is gone in ten days: find the driver (agent, model, tenant) and throttle it.' }],
  },
  [SloAlarmKind.SESSION_STEPS]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.SESSIONS,
    mitigations: [{ text: 'An agent loops: cap steps per session in the agent, check tool errors that make it retry.' }],
  },
  [SloAlarmKind.SESSION_TOOL_CALLS]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.SESSIONS,
    mitigations: [{ text: 'An agent calls tools in a loop: check the tool\'s errors and the agent\'s stop condition.' }],
  },
  [SloAlarmKind.SESSION_TOKENS]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.SESSIONS,
    mitigations: [{ text: 'Sessions grow their context without bound: trim history, summarise, cap tokens per session.' }],
  },
  [SloAlarmKind.SESSION_COST]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.SESSIONS,
    mitigations: [{ text: 'Find the session by its id in the telemetry logs; stop it and cap the agent\'s spend per session.' }],
  },
  [SloAlarmKind.TENANT_SHARE]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.SPEND,
    mitigations: [{ text: 'The query above names the tenant; check for abuse or a runaway integration; rate-limit it.' }],
  },
  [SloAlarmKind.ACCURACY_PASS_RATE]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.EVALUATIONS,
    mitigations: [
      { text: 'Split the failing verdicts by model, variant and evaluatorVersion (query above): a new model, prompt or tool since the drop is the usual cause; roll it back behind its flag (the rollout\'s RollbackCommand stack output).' },
      { text: 'A new evaluatorVersion at the time of the drop means the judge changed, not the agent: re-run the calibration audit set before acting on the agent.' },
    ],
  },
  [SloAlarmKind.ACCURACY_MEAN_SCORE]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.EVALUATIONS,
    mitigations: [
      { text: 'Split the scores by model, variant and evaluatorVersion (query above); roll back the model, prompt or tool change that preceded the drop.' },
      { text: 'A changed judge rubric (new evaluatorVersion) shifts scores: re-calibrate it against the human-labelled audit set.' },
    ],
  },
  [SloAlarmKind.ACCURACY_NO_SCORES]: {
    severity: Severity.P3,
    pages: true,
    query: RunbookQuery.EVALUATIONS,
    mitigations: [
      { text: 'The evaluator stopped: check the judge Lambda\'s errors and throttles, the sampling rule, or the code path that calls recordEvaluation.' },
      { text: 'For AgentCore Evaluations, check the online evaluation configuration is ENABLED and its metric names match the config.' },
    ],
  },
  [SloAlarmKind.GOVERNANCE_REPORT_FAILED]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.NONE,
    mitigations: [
      { text: 'Read the report function\'s last ERROR line: the bucket, key, topic or SES identity it could not use, or a timeout.' },
      { text: 'Fix it and invoke the function with {"period": "YYYY-MM"}; add "force": true to notify again.' },
    ],
  },
  [SloAlarmKind.MODEL_END_OF_LIFE]: {
    severity: Severity.P3,
    pages: true,
    query: RunbookQuery.CALLS,
    mitigations: [
      { text: 'The alarm names the retirement date and the suggested successor with its list prices; the query above shows the calls still made to the model (add `by agent, route` to its stats to see who makes them).' },
      { text: 'Move each route as a governed rollout: make the successor the route\'s candidate variant, run it in shadow and compare it with `npx cdk-ai-ops compare` (docs/rollouts.md), then let the staged 10/50/100 plan carry it, before the retirement date.' },
      { text: 'Calls after the retirement date fail: if a route cannot move in time, roll it to another model already in production behind its flag.' },
      { text: 'Bedrock and Vertex AI retire models on their own schedules: check the host\'s lifecycle page for the model as the client calls it.' },
    ],
  },
  [SloAlarmKind.ROLLOUT_ROLLED_BACK]: {
    severity: Severity.P2,
    pages: true,
    query: RunbookQuery.CALLS,
    mitigations: [
      { text: 'The flag already serves the baseline only: users are safe. Open the route\'s rollout state machine (cdk-ai-ops-<client>-<agent>-<route>-rollout) and its failed execution: the error names the gate that was in ALARM, the change event lists each alarm and its reason.' },
      { text: 'Split the calls by variant (query above) to confirm the candidate caused it; run `npx cdk-ai-ops compare` on shadow pairs before retrying.' },
      { text: 'Retry only with a fixed candidate: change the candidate in the client config (a new variant id), deploy, and start the plan again with the rollout\'s StartCommand stack output.' },
    ],
  },
  [SloAlarmKind.ROLLOUT_GATE]: {
    severity: Severity.P3,
    pages: false,
    query: RunbookQuery.NONE,
    mitigations: [{ text: 'Never pages: AppConfig rolls the route\'s flag back while it is in ALARM, and the rollout state machine reads it after each bake; its children page on their own.' }],
  },
};

/** Default severity of each kind (the registry's, as a table). */
export const DEFAULT_SEVERITIES = Object.fromEntries(
  Object.entries(ALARM_KINDS).map(([kind, def]) => [kind, def.severity]),
) as Record<SloAlarmKind, Severity>;

/** Which route override replaces which default. */
export const OVERRIDE_OF = Object.fromEntries(
  Object.entries(ALARM_KINDS).flatMap(([kind, def]) => (def.override ? [[kind, def.override]] : [])),
) as Partial<Record<SloAlarmKind, keyof SeverityOverrides>>;

/** The severity of a kind on a route: the route's override, else the kind's default. */
export function severityOfKind(kind: SloAlarmKind, overrides?: SeverityOverrides): Severity {
  const override = ALARM_KINDS[kind].override;
  return (override && overrides?.[override]) || ALARM_KINDS[kind].severity;
}

/** The most urgent of some severities (P1 before P2 before P3). */
export function mostUrgent(severities: Severity[]): Severity {
  return [Severity.P1, Severity.P2, Severity.P3].find((s) => severities.includes(s)) ?? Severity.P3;
}

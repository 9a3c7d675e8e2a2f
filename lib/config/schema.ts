import { z } from 'zod';
import { ACCURACY_DEFAULTS, DEFAULT_EXPECTED_MONTHLY_CALLS, GOVERNANCE_DEFAULTS as G, PAGERDUTY_EVENTS_URL, REPORT_DEFAULTS, ROLLOUT_DEFAULTS as R, SLO_DEFAULTS } from './defaults';
import { CompliancePack, OperatingPosture, Severity, SlaTier } from './types';
import { ModelProvider } from '../pricing/price-catalog';

/*
 * The structural schema of a client config. Messages given to `.regex()` and `.refine()` read as
 * "expected <message>" in validation errors. Cross-field rules (references between agents,
 * models and budgets; the price catalog) live in ./semantics.ts.
 */

const ID = /^[a-z][a-z0-9-]{0,62}$/;
/** Longest runbook URL accepted: with the alarm name and the metadata line it must fit an alarm description. */
const URL_MAX = 300;
const ID_TEXT = 'an id of lowercase letters, digits and hyphens, starting with a letter (at most 63 characters)';

const id = () => z.string().regex(ID, ID_TEXT);
// Control characters, line and paragraph separators: single-line fields end up in alarm
// descriptions, dashboard titles and message headers, where a line break forges a new line.
const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;
const singleLine = () => z.string().regex(SINGLE_LINE, 'one line of text without control characters');
const text = (description: string) => singleLine().trim().min(1).max(256).describe(description);
const httpsUrl = () => z.url({ protocol: /^https$/, error: 'an https:// URL' })
  .max(URL_MAX, `an https:// URL of at most ${URL_MAX} characters (alarm descriptions link it within CloudWatch's 1,024)`);
const email = () => z.email({ error: 'an email address' });
const positiveUsd = (description: string) => z.number().positive().max(100_000_000).describe(description);
const milliseconds = (description: string) => z.number().int().positive().max(900_000).describe(description);
const severity = () => z.enum(Severity);
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
const isIanaTimeZone = (value: string) => TIME_ZONES.has(value);
const isoDay = () => z.iso.date({ error: 'a date written YYYY-MM-DD' });

const latencySlo = z.strictObject({
  p50Ms: milliseconds('Median latency objective, ms to last token.'),
  p95Ms: milliseconds('95th percentile latency objective, ms.'),
  p99Ms: milliseconds('99th percentile latency objective, ms.'),
});

const severityOverrides = z.strictObject({
  latencyP50: severity().optional(),
  latencyP95: severity().optional(),
  latencyP99: severity().optional(),
  errorRate: severity().optional(),
  throttleRate: severity().optional(),
}).describe('Severities replacing the SLA table defaults for this route\'s alarms.');

const EVALUATOR_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const DIMENSION_NAME = /^[A-Za-z0-9._:/#-]{1,255}$/;

const accuracyEvaluator = z.strictObject({
  id: z.string().regex(EVALUATOR_ID, 'an evaluator id of letters, digits and . _ : - (at most 100 characters), as the telemetry helper writes it')
    .describe('Evaluator id, as recordEvaluation writes it (or the AgentCore evaluator\'s dimension value).'),
  minPassRatePercent: z.number().gt(0).lt(100).optional()
    .describe('Lowest acceptable share of passing verdicts, percent.'),
  minMeanScore: z.number().gt(0).lt(1).optional()
    .describe('Lowest acceptable mean score, between 0 and 1.'),
}).refine((e) => e.minPassRatePercent !== undefined || e.minMeanScore !== undefined, {
  message: 'minPassRatePercent or minMeanScore (an evaluator with neither sets no objective)',
});

const agentCoreEvaluations = z.strictObject({
  namespace: z.string().regex(/^[A-Za-z0-9._/#:-]{1,255}$/, 'a CloudWatch namespace (letters, digits and . _ / # : -)')
    .describe('Namespace AgentCore Evaluations publishes its scores in, as the CloudWatch console shows it.'),
  metricName: z.string().regex(/^[\x20-\x7e]{1,255}$/, 'a CloudWatch metric name (1 to 255 printable ASCII characters)')
    .describe('Metric carrying one score (0 to 1) per evaluation.'),
  evaluatorDimension: z.string().regex(DIMENSION_NAME, 'a CloudWatch dimension name')
    .describe('Dimension whose value is the evaluator (each evaluators[].id).'),
  dimensions: z.record(z.string().regex(DIMENSION_NAME, 'a CloudWatch dimension name'), z.string().regex(/^[\x20-\x7e]{1,1024}$/, 'a dimension value (printable ASCII)'))
    .optional().describe('Further dimensions selecting this route\'s online evaluation configuration.'),
}).describe('Read the evaluators\' scores from AgentCore Evaluations\' CloudWatch metrics instead of the telemetry helper\'s records.');

const accuracySlo = z.strictObject({
  evaluators: z.array(accuracyEvaluator).min(1).describe('Objectives per evaluator.'),
  windowHours: z.number().int().min(1).max(168).optional()
    .describe(`Hours of evaluations each alarm datapoint pools (default ${ACCURACY_DEFAULTS.windowHours}).`),
  minScoredCalls: z.number().int().min(1).max(1_000_000).optional()
    .describe(`Verdicts (or scores) a window needs before the alarm may decide; fewer is not enough evidence (default ${ACCURACY_DEFAULTS.minScoredCalls}).`),
  severity: severity().optional().describe(`Severity of the accuracy-drift alarms (default ${ACCURACY_DEFAULTS.severity}; the no-scores alarm is P3).`),
  agentCore: agentCoreEvaluations.optional(),
}).describe('Accuracy objectives: alarms when the evaluations show, with 95% confidence, a pass rate or mean score below the objective.');

const VARIANT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const rolloutParameters = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().max(1_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
}).describe('Inference parameters the variant fixes (unset: the provider\'s defaults).');
const rolloutVariant = (description: string) => z.strictObject({
  id: z.string().regex(VARIANT_ID, 'a variant id of letters, digits and . _ : - (at most 64 characters)')
    .describe('Stable id of the bundle, recorded with every call it serves (the telemetry variant field).'),
  model: singleLine().min(1).max(256).describe('Model id as sent to the provider; one of the agent\'s models.'),
  promptVersion: singleLine().trim().min(1).max(64).describe('Version of the prompt the agent uses with this variant.'),
  parameters: rolloutParameters.optional(),
}).describe(description);

const rollout = z.strictObject({
  baseline: rolloutVariant('The variant that serves today, and the rollback target while the candidate rolls out.'),
  candidate: rolloutVariant('The variant rolled out through the stage plan (none: the flag serves the baseline only).').optional(),
  stages: z.array(z.strictObject({
    percent: z.number().int().min(1).max(100).describe('Percent of keys the candidate serves in this stage.'),
    bakeHours: z.number().int().min(1).max(720).describe('Hours the stage bakes, gates watched, before the next.'),
  })).min(1).max(10).optional()
    .describe(`The candidate's stage plan, percents rising to 100 (default ${R.stages.map((st) => `${st.percent}% for ${st.bakeHours} h`).join(', ')}).`),
  shadowPercent: z.number().min(0).max(100).optional()
    .describe(`Percent of baseline-served requests that also call the candidate in the background (default ${R.shadowPercent}).`),
  nonInferiorityMarginPoints: z.number().gt(0).lt(100).optional()
    .describe(`Non-inferiority margin of cdk-ai-ops compare --route, accuracy points (default ${R.nonInferiorityMarginPoints}).`),
  minCallsPerStage: z.number().int().min(1).max(100_000_000).optional()
    .describe(`Calls the route must serve during a bake for the gates to count; fewer pauses the plan (default ${R.minCallsPerStage}).`),
  previous: rolloutVariant(`The variant the last promotion replaced: the rollback target, kept ${R.keepPreviousDays} days after promotedOn.`).optional(),
  promotedOn: isoDay().optional().describe(`UTC day the candidate became the baseline; previous stays until ${R.keepPreviousDays} days later.`),
}).describe('A governed rollout of a new variant on this route: AppConfig flag, staged plan, gates, automatic rollback.');

const route = z.strictObject({
  id: id().describe('Route id, as the telemetry helper writes it.'),
  description: text('What the route does.').optional(),
  slo: z.strictObject({
    latency: latencySlo,
    errorRatePercent: z.number().min(0).max(100).describe('Highest acceptable model-error rate, and apart application-error rate, percent of calls.'),
    throttleRatePercent: z.number().min(0).max(100).optional().describe(`Highest acceptable throttle rate, percent of calls (default ${SLO_DEFAULTS.throttleRatePercent}).`),
    severityOverrides: severityOverrides.optional(),
    accuracy: accuracySlo.optional(),
  }),
  runbookUrl: httpsUrl().optional().describe('Runbook for this route\'s alarms (default: the agent\'s).'),
  rollout: rollout.optional(),
});

const agent = z.strictObject({
  id: id().describe('Agent id, as the telemetry helper writes it.'),
  displayName: text('Name shown on dashboards.').optional(),
  owner: z.strictObject({
    team: text('Team paged for this agent.'),
    service: text('Lambda function or service that runs the agent.'),
  }),
  logGroups: z.array(
    z.string().regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'a CloudWatch log group name (letters, digits and . - _ / #)'),
  ).min(1).describe('Log groups where the agent\'s telemetry lands.'),
  routes: z.array(route).min(1),
  models: z.array(singleLine().min(1).max(256)).min(1).optional().describe('Model ids this agent calls (subset of models; default all).'),
  runbookUrl: httpsUrl().optional().describe('Runbook for the agent\'s alarms.'),
  clientCritical: z.boolean().optional()
    .describe('The client\'s product stops when this agent stops: its agent-down page is P1 instead of P2 (default false).'),
  promptCacheHitRateFloorPercent: z.number().gt(0).max(100).optional()
    .describe('Lowest acceptable prompt-cache hit rate, percent (alarm, P3).'),
  retrieval: z.strictObject({
    maxIndexAgeHours: z.number().positive().max(8760).describe('Hours after which the index counts as stale.'),
  }).optional().describe('The agent records retrievals.'),
  recordsSessions: z.boolean().optional().describe('The agent records agent sessions.'),
  sessionLimits: z.strictObject({
    maxStepsPerSession: z.number().int().positive().optional(),
    maxToolCallsPerSession: z.number().int().positive().optional(),
    maxTokensPerSession: z.number().int().positive().optional(),
    maxSessionCostUsd: z.number().positive().optional(),
  }).optional().describe('Runaway-agent limits per session (the agent must record sessions).'),
});

const tokenPrices = z.strictObject({
  input: z.number().min(0),
  output: z.number().min(0),
  cacheRead: z.number().min(0).optional(),
  cacheWrite5m: z.number().min(0).optional(),
  cacheWrite1h: z.number().min(0).optional(),
}).describe('US dollars per million tokens.');

const priceOverride = z.strictObject({
  modelId: singleLine().min(1).max(256).describe('Model id, any spelling (Bedrock id, dated snapshot).'),
  discountPercent: z.number().gt(0).lt(100).optional().describe('Percent off every catalog price of the model.'),
  prices: tokenPrices.optional().describe('Prices replacing the catalog\'s (for an unlisted or privately priced model).'),
  effectiveFrom: isoDay().optional().describe('First UTC day the override applies (default: always).'),
}).refine((o) => o.discountPercent !== undefined || o.prices !== undefined, {
  message: 'discountPercent or prices (a price override with neither changes nothing)',
});

const pagerDutyService = z.strictObject({
  integrationKeySecretName: z.string().regex(
    /^[A-Za-z0-9/_+=.@-]{1,512}$/,
    'a Secrets Manager secret name (letters, digits and / _ + = . @ -)',
  ),
});

export const clientConfigSchema = z.strictObject({
  clientId: z.string().regex(
    /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/,
    'a lowercase id of 3 to 40 letters, digits and hyphens, starting with a letter',
  ).describe('Names the stack and prefixes resource names.'),
  displayName: text('Client name on dashboards and reports.'),
  account: z.string({ error: 'a 12-digit AWS account id, quoted so YAML keeps it a string ("123456789012")' })
    .regex(/^\d{12}$/, 'a 12-digit AWS account id').optional()
    .describe('AWS account to deploy into (quoted). Omit, with region, for an environment-agnostic stack.'),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1').optional()
    .describe('AWS region to deploy into.'),
  slaTier: z.enum(SlaTier).describe('Contracted support tier: sets response targets and how each severity is delivered.'),
  posture: z.enum(OperatingPosture).optional()
    .describe('primary (default): this stack\'s on-call answers first. escalation: the client\'s team first, PagerDuty for P1 only.'),
  metricNamespace: z.string().regex(
    /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/,
    'a CloudWatch namespace (letters, digits and . _ / # : -, not starting with AWS/)',
  ).optional().describe('CloudWatch namespace of the client\'s telemetry (default CdkAiOps).'),
  agents: z.array(agent).min(1).describe('The client\'s AI agents.'),
  models: z.array(z.strictObject({
    provider: z.enum(ModelProvider).describe('API the model is called through (OpenTelemetry gen_ai.provider.name).'),
    modelId: singleLine().min(1).max(256).describe('Model id as sent to the provider; must be in the price catalog or priced by priceOverrides.'),
  })).min(1).describe('Models the client calls.'),
  budgets: z.strictObject({
    monthlyUsd: positiveUsd('Total monthly budget of the client\'s model spend, all providers, USD: the telemetry\'s burn-rate and spend-rate alarms guard it.'),
    awsBilledMonthlyUsd: positiveUsd('The share of monthlyUsd that AWS bills (Amazon Bedrock), USD: the AWS Budgets budget and the Cost Anomaly Detection monitor watch it. Required when the models mix Amazon Bedrock with other providers; monthlyUsd when every model is on Bedrock.').optional(),
    perAgentMonthlyUsd: z.record(z.string(), positiveUsd('Monthly budget of one agent, USD.')).optional()
      .describe('Monthly budget per agent id, USD; together at most monthlyUsd.'),
  }).describe('Monthly spend limits.'),
  escalation: z.strictObject({
    pagerDuty: z.strictObject({
      eventsApiUrl: httpsUrl().optional().describe(`Events API v2 endpoint (default ${PAGERDUTY_EVENTS_URL}).`),
      p1: pagerDutyService.optional(),
      p2: pagerDutyService.optional(),
      p3: pagerDutyService.optional(),
    }).optional().describe('Secrets Manager secret names of the PagerDuty integration keys, per severity.'),
    slack: z.strictObject({
      workspaceId: z.string().regex(/^T[A-Z0-9]{6,}$/, 'a Slack workspace id (T followed by capitals and digits)'),
      channelId: z.string().regex(/^[CG][A-Z0-9]{6,}$/, 'a Slack channel id (C or G followed by capitals and digits)'),
    }).optional().describe('Slack channel reached through AWS Chatbot.'),
    emails: z.strictObject({
      p1: z.array(email()).optional(),
      p2: z.array(email()).optional(),
      p3: z.array(email()).optional(),
    }).optional().describe('Email recipients per severity.'),
  }).describe('Where alerts go. P1 needs pagerDuty.p1 or emails.p1.'),
  governance: z.strictObject({
    anomalyBandStdDevs: z.number().gt(0).max(10).optional().describe(`Anomaly band width, standard deviations (default ${G.anomalyBandStdDevs}).`),
    anomalyDatapointsToAlarm: z.number().int().min(1).max(24).optional().describe(`Hours above the band before alarming (default ${G.anomalyDatapointsToAlarm}).`),
    anomalyEvaluationHours: z.number().int().min(1).max(24).optional().describe(`Hours evaluated (default ${G.anomalyEvaluationHours}).`),
    excludedTimeRanges: z.array(z.strictObject({ start: z.iso.datetime({ error: 'an ISO 8601 UTC time such as 2026-12-01T00:00:00Z' }), end: z.iso.datetime({ error: 'an ISO 8601 UTC time such as 2026-12-01T00:00:00Z' }) })).max(10).optional()
      .describe('Periods the spend anomaly models must not learn from (at most 10).'),
    spendRateMultiplier: z.number().gt(1).max(100).optional().describe(`P1 when hourly spend passes this multiple of the budgeted hourly rate (default ${G.spendRateMultiplier}).`),
    maxTenantSharePercent: z.number().gt(0).max(100).optional().describe(`Alarm when one tenant makes more than this share of an hour's spend (default ${G.maxTenantSharePercent}).`),
    costAnomalyMonitor: z.boolean().optional().describe(`Create an AWS Cost Anomaly Detection monitor on Bedrock (default ${G.costAnomalyMonitor}).`),
    costAnomalyThresholdUsd: z.number().positive().optional().describe(`Total impact, USD, above which a cost anomaly is delivered (default ${G.costAnomalyThresholdUsd}).`),
  }).optional().describe('How token spend is watched.'),
  expectedMonthlyCalls: z.number().int().positive().max(1e12).optional()
    .describe(`Model calls a month across all agents, for the monitoring-cost estimate (default ${DEFAULT_EXPECTED_MONTHLY_CALLS.toLocaleString('en-US')}).`),
  expectedMonthlyEvaluations: z.number().int().min(0).max(1e12).optional()
    .describe('Evaluation records (verdicts, scores, feedback) a month, for the monitoring-cost estimate (default: the minimum evidence the accuracy SLOs need).'),
  reports: z.strictObject({
    recipients: z.array(email()).min(1).describe('Addresses that receive the report\'s summary (each confirms its SNS subscription once).'),
    dayOfMonth: z.number().int().min(1).max(28).optional().describe(`Day the previous month's report is produced (default ${REPORT_DEFAULTS.dayOfMonth}).`),
    hour: z.number().int().min(0).max(23).optional().describe(`Hour of that day, in timeZone, the report is produced (default ${REPORT_DEFAULTS.hour}).`),
    timeZone: z.string().refine(isIanaTimeZone, 'an IANA time zone such as Europe/Paris or America/New_York (or UTC)').optional()
      .describe(`IANA time zone of dayOfMonth and hour (default ${REPORT_DEFAULTS.timeZone}); the schedule follows its daylight saving time.`),
    quarterlyReview: z.boolean().optional()
      .describe(`Also produce the quarterly architecture review in January, April, July and October (default ${REPORT_DEFAULTS.quarterlyReview}).`),
    sesFromAddress: email().optional()
      .describe('Send the HTML report by email through SES from this address (the address or its domain must be a verified SES identity).'),
    retentionDays: z.number().int().min(30).max(3650).optional().describe(`Days the report files are kept (default ${REPORT_DEFAULTS.retentionDays}).`),
  }).optional().describe('The monthly governance report.'),
  priceOverrides: z.array(priceOverride).optional().describe('Negotiated prices, applied on top of the price catalog.'),
  runbookBaseUrl: httpsUrl().optional().describe('Where the generated runbooks are published; alarms link to <base>/<alarm name>.md.'),
  compliance: z.array(z.enum(CompliancePack))
    .refine((packs) => new Set(packs).size === packs.length, 'each compliance pack once').optional()
    .describe('cdk-nag compliance packs checked at synthesis beside AwsSolutions and Serverless, at zero unacknowledged findings (docs/compliance.md).'),
}).describe('cdk-ai-ops client configuration (one file per client in clients/).');

export type ParsedClientConfig = z.infer<typeof clientConfigSchema>;

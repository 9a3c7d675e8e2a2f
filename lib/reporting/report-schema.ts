/*
 * The governance report's shape: one zod schema, from which the TypeScript types and the
 * published `docs/report.schema.json` both come. `report.json` is an instance of it; `report.md`,
 * `report.html` and the CSV files are renderings of it.
 */
import { z } from 'zod';
import { TelemetryFields } from '../telemetry/contract';

const usd = z.number().describe('US dollars, rounded to the cent');
const count = z.number().int().min(0);
const nullableNumber = z.number().nullable();

const usage = {
  costUsd: usd,
  calls: count,
  inputTokens: count.describe('Uncached input tokens'),
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
};

const change = {
  previousCostUsd: usd.nullable().describe('Cost in the previous period; null when it had no data'),
  changeUsd: usd.nullable(),
  changePercent: nullableNumber.describe('Change against the previous period, percent; null when that was zero or unknown'),
};

export const sectionIds = ['totals', 'breakdowns', 'tenants', 'movement', 'anomalies', 'slo', 'accuracy', 'recommendations', 'coverage', 'reconciliation', 'trends'] as const;
export type SectionId = typeof sectionIds[number];

const section = z.strictObject({
  id: z.enum(sectionIds),
  title: z.string(),
  complete: z.boolean(),
  reasons: z.array(z.string()).describe('Why the section is incomplete (empty when complete)'),
});

const factor = z.enum(['volume', 'tokensPerCall', 'cacheHitRate', 'priceOrModelMix']);

const movementPart = z.strictObject({
  factor,
  usd,
  /** The factor's value in the previous and current period, in its own unit. */
  from: nullableNumber,
  to: nullableNumber,
  /** UTC day the factor shifted, where one day stands out. */
  since: z.string().nullable(),
  text: z.string(),
});

const movement = z.strictObject({
  scope: z.enum([TelemetryFields.AGENT.name, TelemetryFields.ROUTE.name]).describe('Whether the movement is of an agent or of a route'),
  key: z.string().describe('agent, or agent/route'),
  previousCostUsd: usd,
  costUsd: usd,
  changeUsd: usd,
  parts: z.array(movementPart).describe('Sums to changeUsd (to the cent, before rounding)'),
  text: z.string(),
});

const anomaly = z.strictObject({
  kind: z.string(),
  alarmName: z.string(),
  severity: z.string().nullable(),
  agent: z.string().nullable(),
  route: z.string().nullable(),
  start: z.string(),
  end: z.string().nullable(),
  durationMinutes: z.number(),
  costImpactUsd: usd.nullable().describe('Spend during the episode above the same hours\' usual spend; null when not attributable'),
  text: z.string(),
});

const percentile = z.strictObject({ observedMs: z.number().nullable(), sloMs: z.number(), met: z.boolean().nullable() });

const slo = z.strictObject({
  route: z.string().describe('agent/route'),
  calls: count,
  latency: z.strictObject({ p50: percentile, p95: percentile, p99: percentile }),
  modelErrorRatePercent: z.number().nullable(),
  appErrorRatePercent: z.number().nullable(),
  errorSloPercent: z.number(),
  throttleRatePercent: z.number().nullable(),
  throttleSloPercent: z.number(),
  errorBudgetUsedPercent: z.number().nullable().describe('Observed error rate (model + app) over the SLO error rate, percent'),
  met: z.boolean().nullable(),
});

const accuracy = z.strictObject({
  route: z.string(),
  model: z.string(),
  variant: z.string().nullable(),
  evaluator: z.string(),
  verdicts: count,
  passRatePercent: z.number().nullable(),
  passRateLowerBoundPercent: z.number().nullable().describe('Wilson lower bound of the pass rate, one-sided 95%'),
  meanScore: z.number().nullable(),
  barPercent: z.number().nullable().describe('The route\'s minimum pass rate for this evaluator, percent, where configured'),
  barMeanScore: z.number().nullable(),
  meetsBar: z.boolean().nullable(),
});

export const recommendationKinds = ['prompt-caching', 'max-output-tokens', 'retry-tuning', 'model-swap', 'model-end-of-life'] as const;

const recommendation = z.strictObject({
  id: z.string().describe('Stable id: kind and target'),
  kind: z.enum(recommendationKinds),
  target: z.string().describe('agent/route, or a model id'),
  title: z.string(),
  monthlySavingsUsd: usd.describe('Projected savings per month; 0 where the point is risk, not cost'),
  arithmetic: z.string().describe('How the savings were computed, with the numbers'),
  evidence: z.string().describe('What backs the recommendation (e.g. "backed by evaluation", "candidate: needs a shadow evaluation")'),
});

const coverageModel = z.strictObject({
  model: z.string(),
  telemetryCalls: count,
  bedrockInvocations: count.nullable(),
  coveragePercent: z.number().nullable(),
});

const coverage = z.strictObject({
  bedrock: z.array(coverageModel),
  routesInTelemetry: count,
  routesInConfig: count,
  routesWithSlo: count,
  unconfiguredRoutes: z.array(z.string()).describe('agent/route seen in telemetry but absent from the config'),
  silentRoutes: z.array(z.string()).describe('agent/route of the config with no call in the period'),
  alarmsPerRoute: z.number().nullable(),
});

const reconciliation = z.strictObject({
  telemetryBedrockUsd: usd,
  billedBedrockUsd: usd.nullable(),
  gapPercent: z.number().nullable(),
  flagged: z.boolean(),
  likelyCauses: z.array(z.string()),
});

const dailyModel = z.strictObject({ day: z.string(), model: z.string(), costUsd: usd });
const dailyCache = z.strictObject({ day: z.string(), route: z.string(), cacheHitRatePercent: z.number().nullable() });

const trendPoint = z.strictObject({
  period: z.string(),
  costUsd: usd,
  calls: count,
  costPerCallUsd: z.number().nullable(),
  latencyP95Ms: z.number().nullable().describe('Call-weighted mean of the routes\' p95'),
  passRatePercent: z.number().nullable(),
  bedrockCoveragePercent: z.number().nullable(),
});

export const reportSchema = z.strictObject({
  schemaVersion: z.literal('1'),
  clientId: z.string(),
  displayName: z.string(),
  period: z.string().describe('YYYY-MM or YYYY-Qn'),
  periodKind: z.enum(['month', 'quarter']),
  previousPeriod: z.string(),
  generatedAt: z.string(),
  totals: z.strictObject({ ...usage, ...change, failedCostUsd: usd, budgetUsd: usd.nullable(), budgetUsedPercent: z.number().nullable() }),
  byModel: z.array(z.strictObject({ model: z.string(), provider: z.string(), ...usage, ...change, sharePercent: z.number() })),
  byAgent: z.array(z.strictObject({ agent: z.string(), ...usage, ...change, budgetUsd: usd.nullable() })),
  byRoute: z.array(z.strictObject({ route: z.string().describe('agent/route'), agent: z.string(), ...usage, ...change, cacheHitRatePercent: z.number().nullable() })),
  byTenant: z.array(z.strictObject({ tenant: z.string(), ...usage, sharePercent: z.number(), cumulativeSharePercent: z.number() })),
  movement: z.array(movement),
  anomalies: z.array(anomaly),
  slo: z.array(slo),
  accuracy: z.array(accuracy),
  recommendations: z.array(recommendation),
  coverage,
  reconciliation,
  charts: z.strictObject({ dailyByModel: z.array(dailyModel), dailyCacheHitRate: z.array(dailyCache) }),
  trends: z.array(trendPoint).describe('One point per month (quarterly review) or empty'),
  sections: z.array(section),
  queryCost: z.strictObject({ logsInsightsGbScanned: z.number(), apiCalls: z.record(z.string(), count), estimatedUsd: z.number() }).nullable(),
}).describe('cdk-ai-ops governance report (report.json)');

export type GovernanceReportData = z.infer<typeof reportSchema>;
export type ReportSection = z.infer<typeof section>;
export type Recommendation = z.infer<typeof recommendation>;
export type Movement = z.infer<typeof movement>;
export type Anomaly = z.infer<typeof anomaly>;
export type SloAttainment = z.infer<typeof slo>;
export type AccuracyEvidence = z.infer<typeof accuracy>;
export type TrendPoint = z.infer<typeof trendPoint>;

/*
 * A realistic governance report of the example client (clients/example.yaml) for October 2026,
 * for the HTML renderer's tests and the README screenshot. Its breakdowns are sums of its own
 * daily rows, so it is self-consistent; the numbers end to end are the golden test's business.
 *
 * Story: answer/draft-reply's prompt-cache hit rate fell from about 82% to 41% on Oct 12 (a
 * prompt template change), which drives most of the month's increase and two alarms.
 */
import { GovernanceReportData, reportSchema, sectionIds } from '../../lib/reporting/report-schema';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const GPT = 'gpt-5-mini';
const PROVIDER: Record<string, string> = { [SONNET]: 'aws.bedrock', [HAIKU]: 'aws.bedrock', [GPT]: 'openai' };

const DAYS = 31;
// The movement scopes, from the schema (one source for every name).
const [AGENT_SCOPE, ROUTE_SCOPE] = reportSchema.shape.movement.element.shape.scope.options;
const CACHE_DROP_DAY = 12;

/** One (route, model) of the month: what it cost and how it was used, before the daily split. */
interface Line {
  readonly agent: string;
  readonly route: string;
  readonly model: string;
  readonly costUsd: number;
  readonly previousCostUsd: number;
  readonly calls: number;
  readonly inputPerCall: number;
  readonly outputPerCall: number;
  readonly cacheReadPerCall: number;
  readonly cacheWritePerCall: number;
  /** Share of the cost that lands after the cache drop (1/31 a day when flat). */
  readonly afterDropWeight?: number;
}

const LINES: Line[] = [
  { agent: 'triage', route: 'classify-ticket', model: HAIKU, costUsd: 818.4, previousCostUsd: 771.2, calls: 412_300, inputPerCall: 610, outputPerCall: 38, cacheReadPerCall: 1_400, cacheWritePerCall: 12 },
  { agent: 'triage', route: 'detect-language', model: HAIKU, costUsd: 306.15, previousCostUsd: 298.9, calls: 398_120, inputPerCall: 240, outputPerCall: 6, cacheReadPerCall: 0, cacheWritePerCall: 0 },
  { agent: 'answer', route: 'draft-reply', model: SONNET, costUsd: 8_412.6, previousCostUsd: 6_602.35, calls: 171_840, inputPerCall: 2_950, outputPerCall: 410, cacheReadPerCall: 5_300, cacheWritePerCall: 880, afterDropWeight: 1.45 },
  { agent: 'answer', route: 'draft-reply', model: HAIKU, costUsd: 648.3, previousCostUsd: 611.8, calls: 96_410, inputPerCall: 2_800, outputPerCall: 390, cacheReadPerCall: 6_900, cacheWritePerCall: 120 },
  { agent: 'answer', route: 'summarize-thread', model: SONNET, costUsd: 1_894.25, previousCostUsd: 1_702.4, calls: 58_210, inputPerCall: 4_900, outputPerCall: 720, cacheReadPerCall: 2_100, cacheWritePerCall: 300 },
  { agent: 'answer', route: 'summarize-thread', model: HAIKU, costUsd: 236.9, previousCostUsd: 221.75, calls: 31_020, inputPerCall: 4_700, outputPerCall: 690, cacheReadPerCall: 2_300, cacheWritePerCall: 90 },
  { agent: 'retrieval', route: 'rewrite-query', model: GPT, costUsd: 561.35, previousCostUsd: 538.1, calls: 466_900, inputPerCall: 520, outputPerCall: 95, cacheReadPerCall: 640, cacheWritePerCall: 0 },
  { agent: 'retrieval', route: 'rerank', model: GPT, costUsd: 478.8, previousCostUsd: 463.05, calls: 341_700, inputPerCall: 1_900, outputPerCall: 22, cacheReadPerCall: 0, cacheWritePerCall: 0 },
  { agent: 'qa-review', route: 'score-reply', model: SONNET, costUsd: 2_351.45, previousCostUsd: 2_277.6, calls: 168_400, inputPerCall: 1_450, outputPerCall: 150, cacheReadPerCall: 3_200, cacheWritePerCall: 60 },
  { agent: 'qa-review', route: 'flag-escalation', model: GPT, costUsd: 309.7, previousCostUsd: 297.4, calls: 170_050, inputPerCall: 760, outputPerCall: 9, cacheReadPerCall: 1_500, cacheWritePerCall: 0 },
];

const AGENT_BUDGETS: Record<string, number> = { 'triage': 1_500, 'answer': 11_000, 'retrieval': 1_500, 'qa-review': 3_500 };

const cents = (n: number): number => Math.round(n * 100) / 100;
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const pad = (n: number): string => String(n).padStart(2, '0');
const dayOf = (d: number): string => `2026-10-${pad(d)}`;

/** Weekday rhythm: Oct 1 2026 is a Thursday; weekends carry about 60% of a weekday's traffic. */
function dayWeights(afterDropWeight = 1): number[] {
  const raw = Array.from({ length: DAYS }, (_, i) => {
    const weekday = (4 + i) % 7;
    const rhythm = weekday === 0 || weekday === 6 ? 0.6 : 1 + 0.04 * Math.sin(i);
    return rhythm * (i + 1 >= CACHE_DROP_DAY ? afterDropWeight : 1);
  });
  const total = sum(raw);
  return raw.map((w) => w / total);
}

/** Splits `total` over the days to the cent, the last day taking the rounding. */
function split(total: number, weights: number[]): number[] {
  const parts = weights.map((w) => cents(total * w));
  parts[parts.length - 1] = cents(total - sum(parts.slice(0, -1)));
  return parts;
}

function change(costUsd: number, previousCostUsd: number | null) {
  if (previousCostUsd === null) return { previousCostUsd: null, changeUsd: null, changePercent: null };
  return {
    previousCostUsd: cents(previousCostUsd),
    changeUsd: cents(costUsd - previousCostUsd),
    changePercent: previousCostUsd === 0 ? null : Math.round(((costUsd - previousCostUsd) / previousCostUsd) * 1000) / 10,
  };
}

function usageOf(lines: Line[]) {
  return {
    costUsd: cents(sum(lines.map((l) => l.costUsd))),
    calls: sum(lines.map((l) => l.calls)),
    inputTokens: sum(lines.map((l) => l.calls * l.inputPerCall)),
    outputTokens: sum(lines.map((l) => l.calls * l.outputPerCall)),
    cacheReadTokens: sum(lines.map((l) => l.calls * l.cacheReadPerCall)),
    cacheWriteTokens: sum(lines.map((l) => l.calls * l.cacheWritePerCall)),
  };
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];
const byCostDesc = <T extends { costUsd: number }>(a: T, b: T): number => b.costUsd - a.costUsd;

/** Realistic tenant ids of a support product's customers, ranked by spend (Zipf-like). */
const TENANT_NAMES = [
  'northwind-traders', 'contoso-retail', 'globex-eu', 'initech', 'umbrella-health', 'acme-logistics', 'wayne-enterprises',
  'stark-industries', 'tyrell-corp', 'soylent-foods', 'hooli', 'vandelay-imports', 'wonka-industries', 'cyberdyne', 'massive-dynamic',
  'oceanic-airlines', 'gringotts', 'pied-piper', 'aperture-labs', 'blue-sun', 'monarch-solutions', 'prestige-worldwide', 'dunder-mifflin',
  'bluth-company', 'virtucon', 'duff-brewing', 'krusty-krab', 'los-pollos', 'nakatomi', 'sirius-cybernetics',
];

function tenants(totalUsd: number) {
  const ids = [...TENANT_NAMES, ...Array.from({ length: 34 }, (_, i) => `tenant-${String(1040 + i * 7)}`)];
  const weights = ids.map((_, i) => 1 / (i + 1.6) ** 1.15);
  const costs = split(totalUsd, weights.map((w) => w / sum(weights)));
  const total = usageOf(LINES);
  let cumulative = 0;
  return ids.map((tenant, i) => {
    const share = costs[i] / totalUsd;
    cumulative += costs[i];
    return {
      tenant,
      costUsd: costs[i],
      calls: Math.round(total.calls * share),
      inputTokens: Math.round(total.inputTokens * share),
      outputTokens: Math.round(total.outputTokens * share),
      cacheReadTokens: Math.round(total.cacheReadTokens * share),
      cacheWriteTokens: Math.round(total.cacheWriteTokens * share),
      sharePercent: Math.round(share * 1000) / 10,
      cumulativeSharePercent: Math.round((cumulative / totalUsd) * 1000) / 10,
    };
  });
}

/** Daily cache hit rate of a route: steady with a little day-to-day movement; draft-reply drops on the 12th. */
function cacheRate(route: string, day: number): number | null {
  const base: Record<string, number | null> = {
    'triage/classify-ticket': 69,
    'triage/detect-language': null,
    'answer/draft-reply': 82,
    'answer/summarize-thread': 31,
    'retrieval/rewrite-query': 55,
    'retrieval/rerank': null,
    'qa-review/score-reply': 68,
    'qa-review/flag-escalation': 66,
  };
  const b = base[route];
  if (b === null || b === undefined) return null;
  const level = route === 'answer/draft-reply' && day >= CACHE_DROP_DAY ? 41 : b;
  return Math.round((level + 2.5 * Math.sin(day * 1.7 + route.length)) * 10) / 10;
}

const SLO_TARGETS: Record<string, { p50: number; p95: number; p99: number; error: number; throttle: number }> = {
  'triage/classify-ticket': { p50: 800, p95: 2000, p99: 4000, error: 1, throttle: 5 },
  'triage/detect-language': { p50: 400, p95: 1000, p99: 2000, error: 2, throttle: 5 },
  'answer/draft-reply': { p50: 3000, p95: 8000, p99: 15000, error: 1, throttle: 5 },
  'answer/summarize-thread': { p50: 2500, p95: 6000, p99: 12000, error: 2, throttle: 5 },
  'retrieval/rewrite-query': { p50: 600, p95: 1500, p99: 3000, error: 1, throttle: 2 },
  'retrieval/rerank': { p50: 700, p95: 1800, p99: 3500, error: 1, throttle: 5 },
  'qa-review/score-reply': { p50: 2000, p95: 5000, p99: 9000, error: 2, throttle: 5 },
  'qa-review/flag-escalation': { p50: 1000, p95: 2500, p99: 5000, error: 1, throttle: 5 },
};

/** Observed p50/p95/p99 (ms), model and app error rates and throttle rate (percent) per route. */
const SLO_OBSERVED: Record<string, [number, number, number, number, number, number]> = {
  'triage/classify-ticket': [612, 1_480, 2_950, 0.21, 0.05, 0.4],
  'triage/detect-language': [233, 640, 1_210, 0.12, 0.02, 0.3],
  'answer/draft-reply': [2_710, 7_420, 16_300, 0.64, 0.18, 1.1],
  'answer/summarize-thread': [2_130, 5_210, 10_900, 0.45, 0.11, 0.8],
  'retrieval/rewrite-query': [488, 1_640, 2_870, 0.31, 0.09, 2.6],
  'retrieval/rerank': [402, 1_120, 2_240, 0.18, 0.04, 0.2],
  'qa-review/score-reply': [1_540, 3_980, 7_610, 0.38, 0.06, 0.5],
  'qa-review/flag-escalation': [690, 1_720, 3_400, 0.29, 0.03, 0.3],
};

function slo(route: string, calls: number) {
  const t = SLO_TARGETS[route];
  const [p50, p95, p99, modelErr, appErr, throttle] = SLO_OBSERVED[route];
  const pct = (observedMs: number, sloMs: number) => ({ observedMs, sloMs, met: observedMs <= sloMs });
  const errorBudget = Math.round(((modelErr + appErr) / t.error) * 1000) / 10;
  return {
    route,
    calls,
    latency: { p50: pct(p50, t.p50), p95: pct(p95, t.p95), p99: pct(p99, t.p99) },
    modelErrorRatePercent: modelErr,
    appErrorRatePercent: appErr,
    errorSloPercent: t.error,
    throttleRatePercent: throttle,
    throttleSloPercent: t.throttle,
    errorBudgetUsedPercent: errorBudget,
    met: p50 <= t.p50 && p95 <= t.p95 && p99 <= t.p99 && errorBudget <= 100 && throttle <= t.throttle,
  };
}

function buildSample(): GovernanceReportData {
  const routeKey = (l: Line) => `${l.agent}/${l.route}`;
  const daily = LINES.map((l) => split(l.costUsd, dayWeights(l.afterDropWeight)));
  const total = usageOf(LINES);
  const previousTotal = cents(sum(LINES.map((l) => l.previousCostUsd)));
  const failedCostUsd = 184.62;

  const models = unique(LINES.map((l) => l.model));
  const byModel = models.map((model) => {
    const lines = LINES.filter((l) => l.model === model);
    const u = usageOf(lines);
    const sharePercent = Math.round((u.costUsd / total.costUsd) * 1000) / 10;
    return { model, provider: PROVIDER[model], ...u, ...change(u.costUsd, sum(lines.map((l) => l.previousCostUsd))), sharePercent };
  }).sort(byCostDesc);

  const byAgent = unique(LINES.map((l) => l.agent)).map((agent) => {
    const lines = LINES.filter((l) => l.agent === agent);
    const u = usageOf(lines);
    return { agent, ...u, ...change(u.costUsd, sum(lines.map((l) => l.previousCostUsd))), budgetUsd: AGENT_BUDGETS[agent] };
  }).sort(byCostDesc);

  const routes = unique(LINES.map(routeKey));
  const byRoute = routes.map((route) => {
    const lines = LINES.filter((l) => routeKey(l) === route);
    const u = usageOf(lines);
    const rates = Array.from({ length: DAYS }, (_, i) => cacheRate(route, i + 1)).filter((r): r is number => r !== null);
    return {
      route,
      agent: lines[0].agent,
      ...u,
      ...change(u.costUsd, sum(lines.map((l) => l.previousCostUsd))),
      cacheHitRatePercent: rates.length ? Math.round((sum(rates) / rates.length) * 10) / 10 : null,
    };
  }).sort(byCostDesc);

  const dailyByModel = Array.from({ length: DAYS }, (_, i) => models.map((model) => ({
    day: dayOf(i + 1),
    model,
    costUsd: cents(sum(LINES.map((l, j) => (l.model === model ? daily[j][i] : 0)))),
  }))).flat();
  const dailyCacheHitRate = Array.from({ length: DAYS }, (_, i) => routes.map((route) => ({
    day: dayOf(i + 1),
    route,
    cacheHitRatePercent: cacheRate(route, i + 1),
  }))).flat();

  const answer = byAgent.find((a) => a.agent === 'answer')!;
  const draft = byRoute.find((r) => r.route === 'answer/draft-reply')!;
  const bedrockTelemetryUsd = cents(sum(byModel.filter((m) => m.provider === 'aws.bedrock').map((m) => m.costUsd)));
  const billedBedrockUsd = cents(bedrockTelemetryUsd * 1.064);

  const report: GovernanceReportData = {
    schemaVersion: '1',
    clientId: 'example',
    displayName: 'Example Support Co.',
    period: '2026-10',
    periodKind: 'month',
    previousPeriod: '2026-09',
    generatedAt: '2026-11-02T08:00:41.512Z',
    totals: {
      ...total,
      ...change(total.costUsd, previousTotal),
      failedCostUsd,
      budgetUsd: 18_000,
      budgetUsedPercent: Math.round((total.costUsd / 18_000) * 1000) / 10,
    },
    byModel,
    byAgent,
    byRoute,
    byTenant: tenants(total.costUsd),
    movement: [
      {
        scope: AGENT_SCOPE,
        key: 'answer',
        previousCostUsd: answer.previousCostUsd!,
        costUsd: answer.costUsd,
        changeUsd: answer.changeUsd!,
        parts: [
          { factor: 'cacheHitRate', usd: 1_544.2, from: 81.6, to: 52.4, since: '2026-10-12', text: '+$1,544.20 from cache hit rate 81.6% → 52.4% since Oct 12' },
          { factor: 'volume', usd: 318.4, from: 344_900, to: 357_480, since: null, text: '+$318.40 from volume 344,900 → 357,480 calls' },
          { factor: 'tokensPerCall', usd: 127.6, from: 3_712, to: 3_781, since: null, text: '+$127.60 from tokens per call 3,712 → 3,781' },
          { factor: 'priceOrModelMix', usd: cents(answer.changeUsd! - 1_544.2 - 318.4 - 127.6), from: null, to: null, since: null, text: `+$${cents(answer.changeUsd! - 1_544.2 - 318.4 - 127.6).toFixed(2)} from price or model mix` },
        ],
        text: `answer +$${answer.changeUsd!.toLocaleString('en-US', { minimumFractionDigits: 2 })}: +$1,544.20 from cache hit rate 81.6% → 52.4% since Oct 12`,
      },
      {
        scope: ROUTE_SCOPE,
        key: 'answer/draft-reply',
        previousCostUsd: draft.previousCostUsd!,
        costUsd: draft.costUsd,
        changeUsd: draft.changeUsd!,
        parts: [
          { factor: 'cacheHitRate', usd: 1_544.2, from: 82.1, to: 41.3, since: '2026-10-12', text: '+$1,544.20 from cache hit rate 82.1% → 41.3% since Oct 12' },
          { factor: 'volume', usd: 251.9, from: 259_630, to: 268_250, since: null, text: '+$251.90 from volume 259,630 → 268,250 calls' },
          { factor: 'tokensPerCall', usd: cents(draft.changeUsd! - 1_544.2 - 251.9), from: 3_702, to: 3_748, since: null, text: `+$${cents(draft.changeUsd! - 1_544.2 - 251.9).toFixed(2)} from tokens per call 3,702 → 3,748` },
          { factor: 'priceOrModelMix', usd: 0, from: null, to: null, since: null, text: 'no change from price or model mix' },
        ],
        text: `answer/draft-reply +$${draft.changeUsd!.toLocaleString('en-US', { minimumFractionDigits: 2 })}: +$1,544.20 from cache hit rate 82.1% → 41.3% since Oct 12`,
      },
    ],
    anomalies: [
      { kind: 'cache-hit', alarmName: 'example-answer-draft-reply-cache-hit', severity: 'P3', agent: 'answer', route: 'draft-reply', start: '2026-10-12T09:14:00Z', end: '2026-10-13T01:20:00Z', durationMinutes: 966, costImpactUsd: 61.4, text: 'Prompt-cache hit rate of answer/draft-reply fell below its 60% floor after the 2026-10-12 prompt template release' },
      { kind: 'spend-anomaly', alarmName: 'example-answer-spend-anomaly', severity: 'P2', agent: 'answer', route: null, start: '2026-10-12T14:00:00Z', end: '2026-10-12T19:30:00Z', durationMinutes: 330, costImpactUsd: 212.85, text: 'Spend of answer above its anomaly band for 5.5 hours' },
      { kind: 'tenant-share', alarmName: 'example-tenant-share', severity: 'P3', agent: null, route: null, start: '2026-10-21T03:00:00Z', end: '2026-10-21T05:00:00Z', durationMinutes: 120, costImpactUsd: null, text: 'One tenant passed 50% of an hour\'s spend (bulk re-triage run)' },
    ],
    slo: byRoute.map((r) => slo(r.route, r.calls)).sort((a, b) => a.route.localeCompare(b.route)),
    accuracy: [
      { route: 'answer/draft-reply', model: SONNET, variant: 'control', evaluator: 'support-rubric', verdicts: 4_120, passRatePercent: 94.2, passRateLowerBoundPercent: 93.4, meanScore: 0.91, barPercent: 90, barMeanScore: 0.85, meetsBar: true },
      { route: 'answer/draft-reply', model: HAIKU, variant: 'haiku-shadow', evaluator: 'support-rubric', verdicts: 2_310, passRatePercent: 92.1, passRateLowerBoundPercent: 90.9, meanScore: 0.88, barPercent: 90, barMeanScore: 0.85, meetsBar: true },
      { route: 'answer/summarize-thread', model: SONNET, variant: null, evaluator: 'faithfulness', verdicts: 880, passRatePercent: 96.6, passRateLowerBoundPercent: 95.2, meanScore: 0.93, barPercent: 92, barMeanScore: null, meetsBar: true },
      { route: 'qa-review/flag-escalation', model: GPT, variant: null, evaluator: 'human-label-agreement', verdicts: 140, passRatePercent: 87.9, passRateLowerBoundPercent: 81.4, meanScore: null, barPercent: 85, barMeanScore: null, meetsBar: false },
    ],
    recommendations: [
      { id: 'model-swap:answer/draft-reply', kind: 'model-swap', target: 'answer/draft-reply', title: 'Serve answer/draft-reply with Claude Haiku 4.5 instead of Claude Sonnet 4.5', monthlySavingsUsd: 5_608.4, arithmetic: '171,840 calls × ($0.04896 − $0.01632) per call at this month\'s token mix = $5,608.40 a month', evidence: 'backed by evaluation: support-rubric pass rate 92.1% (95% lower bound 90.9%) over 2,310 verdicts meets the 90% bar' },
      { id: 'prompt-caching:answer/draft-reply', kind: 'prompt-caching', target: 'answer/draft-reply', title: 'Restore prompt caching on answer/draft-reply (hit rate 41% since Oct 12, 82% before)', monthlySavingsUsd: 2_316.3, arithmetic: '5,300 repeated prompt tokens per call × 268,250 calls × (82% − 41%) × ($3.00 − $0.30) per million tokens = $2,316.30 a month', evidence: 'the same system prompt prefix repeats on 97% of calls; the cache prefix changed in the Oct 12 template release' },
      { id: 'max-output-tokens:answer/summarize-thread', kind: 'max-output-tokens', target: 'answer/summarize-thread', title: 'Cap answer/summarize-thread output at 1,200 tokens (p95 1,050, max 8,192)', monthlySavingsUsd: 214.8, arithmetic: '0.6% of calls run past 1,200 output tokens, averaging 4,900 tokens; capping them saves 3,700 × 349 calls × $15.00 per million × 11 = $214.80 a month', evidence: 'output-token percentiles of the month (p50 610, p95 1,050, p99 2,400)' },
      { id: 'retry-tuning:retrieval/rewrite-query', kind: 'retry-tuning', target: 'retrieval/rewrite-query', title: 'Back off retries on retrieval/rewrite-query (throttle rate 2.6%, SLO 2%)', monthlySavingsUsd: 37.9, arithmetic: '12,140 retried calls × $0.00312 per call = $37.90 a month', evidence: 'throttles cluster at 14:00–16:00 UTC; retries fire within 100 ms' },
      { id: 'model-swap:answer/summarize-thread', kind: 'model-swap', target: 'answer/summarize-thread', title: 'Try Claude Haiku 4.5 on answer/summarize-thread', monthlySavingsUsd: 1_262.8, arithmetic: '58,210 calls × ($0.03254 − $0.01085) per call = $1,262.80 a month', evidence: 'candidate: needs a shadow evaluation (no faithfulness verdicts recorded for Haiku 4.5 on this route)' },
    ],
    coverage: {
      bedrock: [
        { model: SONNET, telemetryCalls: byModel.find((m) => m.model === SONNET)!.calls, bedrockInvocations: 400_950, coveragePercent: 99.1 },
        { model: HAIKU, telemetryCalls: byModel.find((m) => m.model === HAIKU)!.calls, bedrockInvocations: 962_410, coveragePercent: 97.4 },
      ],
      routesInTelemetry: 8,
      routesInConfig: 8,
      routesWithSlo: 8,
      unconfiguredRoutes: [],
      silentRoutes: [],
      alarmsPerRoute: 7.5,
    },
    reconciliation: {
      telemetryBedrockUsd: bedrockTelemetryUsd,
      billedBedrockUsd,
      gapPercent: Math.round(((billedBedrockUsd - bedrockTelemetryUsd) / billedBedrockUsd) * 1000) / 10,
      flagged: true,
      likelyCauses: [
        'uninstrumented calls: telemetry saw 97.4% of Claude Haiku 4.5 invocations',
        'a missing cache-write price: 198 million cache-write tokens were priced at the input rate',
      ],
    },
    charts: { dailyByModel, dailyCacheHitRate },
    trends: [],
    sections: sectionIds.filter((id) => id !== 'trends').map((id) => ({ id, title: SECTION_TITLES[id], complete: true, reasons: [] })),
    queryCost: {
      logsInsightsGbScanned: 3.42,
      apiCalls: { 'logs:StartQuery': 14, 'logs:GetQueryResults': 61, 'cloudwatch:GetMetricData': 3, 'cloudwatch:DescribeAlarmHistory': 2, 'ce:GetCostAndUsage': 1 },
      estimatedUsd: 0.02,
    },
  };
  return reportSchema.parse(report);
}

export const SECTION_TITLES: Record<typeof sectionIds[number], string> = {
  totals: 'Totals',
  breakdowns: 'Spend by model, agent and route',
  tenants: 'Spend by tenant',
  movement: 'Why spend moved',
  anomalies: 'Anomalies',
  slo: 'SLO attainment',
  accuracy: 'Accuracy evidence',
  recommendations: 'Recommendations',
  coverage: 'Coverage',
  reconciliation: 'Billed vs recorded Bedrock spend',
  trends: 'Quarterly trends',
};

/** October 2026 of the example client: every section complete, the cache regression on draft-reply. */
export function sampleReport(): GovernanceReportData {
  return buildSample();
}

/** The same data as a quarterly review (2026-Q3), with three months of trends. */
export function sampleQuarterlyReport(): GovernanceReportData {
  const month = buildSample();
  return reportSchema.parse({
    ...month,
    period: '2026-Q3',
    periodKind: 'quarter',
    previousPeriod: '2026-Q2',
    trends: [
      { period: '2026-07', costUsd: 12_904.1, calls: 2_180_400, costPerCallUsd: 0.00592, latencyP95Ms: 2_960, passRatePercent: 93.1, bedrockCoveragePercent: 95.2 },
      { period: '2026-08', costUsd: 13_422.75, calls: 2_251_900, costPerCallUsd: 0.00596, latencyP95Ms: 2_910, passRatePercent: 93.6, bedrockCoveragePercent: 97.9 },
      { period: '2026-09', costUsd: 13_784.55, calls: 2_289_730, costPerCallUsd: 0.00602, latencyP95Ms: 3_020, passRatePercent: null, bedrockCoveragePercent: 98.1 },
    ],
    sections: sectionIds.map((id) => ({ id, title: SECTION_TITLES[id], complete: true, reasons: [] })),
  });
}

/**
 * A first month with nothing in it: no previous period, no spend, no tenants, no charts' data,
 * and the sources that failed marking their sections incomplete.
 */
export function emptyReport(): GovernanceReportData {
  const zero = { costUsd: 0, calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const incomplete: Partial<Record<typeof sectionIds[number], string[]>> = {
    tenants: ['Logs Insights query for tenant sums was throttled after 5 retries (ThrottlingException)'],
    reconciliation: ['Cost Explorer GetCostAndUsage failed: AccessDeniedException'],
  };
  return reportSchema.parse({
    schemaVersion: '1',
    clientId: 'example',
    displayName: 'Example Support Co.',
    period: '2026-10',
    periodKind: 'month',
    previousPeriod: '2026-09',
    generatedAt: '2026-11-02T08:00:00.000Z',
    totals: { ...zero, previousCostUsd: null, changeUsd: null, changePercent: null, failedCostUsd: 0, budgetUsd: null, budgetUsedPercent: null },
    byModel: [],
    byAgent: [],
    byRoute: [],
    byTenant: [],
    movement: [],
    anomalies: [],
    slo: [],
    accuracy: [],
    recommendations: [],
    coverage: {
      bedrock: [], routesInTelemetry: 0, routesInConfig: 8, routesWithSlo: 8, unconfiguredRoutes: [], silentRoutes: [], alarmsPerRoute: null,
    },
    reconciliation: { telemetryBedrockUsd: 0, billedBedrockUsd: null, gapPercent: null, flagged: false, likelyCauses: [] },
    charts: { dailyByModel: [], dailyCacheHitRate: [] },
    trends: [],
    sections: sectionIds.filter((id) => id !== 'trends').map((id) => ({ id, title: SECTION_TITLES[id], complete: !incomplete[id], reasons: incomplete[id] ?? [] })),
    queryCost: null,
  });
}

/*
 * The report's pure core: the aggregates of a period (and of the one before) in, the report out.
 * No I/O, no clock: `generatedAt` is an input, so the same aggregates always give the same report.
 */
import { AlarmEpisode, emptyUsage, PeriodAggregates, ReportSource, UsageSums } from './aggregates';
import { decompose, FactorPart, mixedPrices } from './decompose';
import { apportionCents, cents, DailyPoint, median, percent, shiftDay, wilsonLowerBound } from './numbers';
import { daysOf, previousPeriod } from './period';
import { recommend } from './recommend';
import {
  AccuracyEvidence, Anomaly, GovernanceReportData, Movement, ReportSection, SectionId, SloAttainment, TrendPoint,
} from './report-schema';
import { accuracyBarsOf, ConfigRoutes, configRoutes } from './routes';
import { cacheHitRate, compareText, PeriodViews, routeKey, Sums } from './views';
import { SloAlarmKind } from '../common/alarm-kinds';
import { SLO_DEFAULTS } from '../config/defaults';
import { ClientConfig } from '../config/types';
import { PriceCatalog } from '../pricing/price-catalog';
import { TelemetryFields } from '../telemetry/contract';

/** What `buildReport` reads. */
export interface ReportInput {
  /** The client's config: SLOs, budgets, accuracy bars. Without it those sections say so. */
  readonly config?: ClientConfig;
  /** Prices, with the client's overrides applied. */
  readonly catalog: PriceCatalog;
  readonly current: PeriodAggregates;
  /** The period before, for month-over-month change and why spend moved. */
  readonly previous?: PeriodAggregates;
  /** For a quarter: its three months, for the trends of the architecture review. */
  readonly months?: PeriodAggregates[];
  readonly generatedAt: Date;
}

/** Spend changes below this many dollars are not explained line by line. */
const MIN_EXPLAINED_CHANGE_USD = 1;
/** A factor shift smaller than this is not dated ("since Oct 12"): percentage points, or a relative share for volume. */
const MIN_DATED_SHIFT = { cacheHitRate: 10, volume: 0.2 };
/** Reconciliation gap above which the report flags the difference between billed and recorded Bedrock spend. */
const RECONCILIATION_GAP_PERCENT = 5;
/** Alarm kinds that are spend or usage anomalies (the rest are SLO incidents). */
export const ANOMALY_KINDS: ReadonlySet<string> = new Set<SloAlarmKind>([
  SloAlarmKind.SPEND_ANOMALY, SloAlarmKind.CACHE_HIT_ANOMALY, SloAlarmKind.PROMPT_CACHE_HIT_RATE, SloAlarmKind.SPEND_RATE,
  SloAlarmKind.BUDGET_BURN_WARNING, SloAlarmKind.BUDGET_BURN, SloAlarmKind.SESSION_STEPS, SloAlarmKind.SESSION_TOOL_CALLS,
  SloAlarmKind.SESSION_TOKENS, SloAlarmKind.SESSION_COST, SloAlarmKind.TENANT_SHARE,
]);
const SECTION_TITLES: Record<SectionId, string> = {
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

/** The sources each section is computed from. */
const SECTION_SOURCES: Record<SectionId, ReportSource[]> = {
  totals: [ReportSource.USAGE],
  breakdowns: [ReportSource.USAGE],
  tenants: [ReportSource.TENANTS],
  movement: [ReportSource.USAGE],
  anomalies: [ReportSource.ALARMS],
  slo: [ReportSource.USAGE, ReportSource.DISTRIBUTIONS],
  accuracy: [ReportSource.EVALUATIONS],
  recommendations: [ReportSource.USAGE, ReportSource.DISTRIBUTIONS, ReportSource.EVALUATIONS],
  coverage: [ReportSource.USAGE, ReportSource.BEDROCK_METRICS],
  reconciliation: [ReportSource.USAGE, ReportSource.BILLING],
  trends: [ReportSource.USAGE],
};

/** The report of one period. */
export function buildReport(input: ReportInput): GovernanceReportData {
  const { current, config } = input;
  const now = new PeriodViews(current);
  const before = input.previous ? new PeriodViews(input.previous) : undefined;
  const months = current.period.kind === 'quarter' ? current.period.days / 30.4375 : 1;
  const routes = configRoutes(config);
  const extraReasons = new Map<SectionId, string[]>();
  const note = (id: SectionId, reason: string) => extraReasons.set(id, [...(extraReasons.get(id) ?? []), reason]);

  if (!before || input.previous!.daily.length === 0) {
    note('movement', `no telemetry for the previous period (${previousPeriod(current.period).id}): changes cannot be computed`);
  }
  if (!config) {
    for (const id of ['slo', 'accuracy'] as SectionId[]) note(id, 'no client config was given, so objectives and accuracy bars are unknown');
  }

  const totalCents = cents(now.total.costUsd);
  const budgetUsd = config ? config.budgets.monthlyUsd * Math.round(months) : null;
  const prev = (map: Map<string, UsageSums> | undefined, key: string) => map?.get(key);

  const byModel = sortedByCost([...now.byModel.entries()]).map(([model, s]) => ({
    model,
    provider: s.provider,
    ...usage(s),
    ...change(s, prev(before?.byModel, model), before),
    sharePercent: percent(s.costUsd, now.total.costUsd) ?? 0,
  }));
  const byAgent = sortedByCost([...now.byAgent.entries()]).map(([agent, s]) => ({
    agent,
    ...usage(s),
    ...change(s, prev(before?.byAgent, agent), before),
    budgetUsd: config?.budgets.perAgentMonthlyUsd?.[agent] ?? null,
  }));
  const byRoute = sortedByCost([...now.byRoute.entries()]).map(([route, s]) => ({
    route,
    agent: s.agent,
    ...usage(s),
    ...change(s, prev(before?.byRoute, route), before),
    cacheHitRatePercent: pct(cacheHitRate(s)),
  }));
  for (const rows of [byModel, byAgent, byRoute]) apportion(rows, now.total.costUsd);

  const tenantRows = [...current.tenants].sort((a, b) => b.costUsd - a.costUsd || compareText(a.tenant, b.tenant));
  const tenantTotal = tenantRows.reduce((s, t) => s + t.costUsd, 0);
  const tenantCalls = tenantRows.reduce((s, t) => s + t.calls, 0);
  const tenantsMatch = Math.abs(tenantTotal - now.total.costUsd) < 0.005 && tenantCalls === now.total.calls;
  if (current.sources[ReportSource.TENANTS].complete && !tenantsMatch) {
    note('tenants', `tenant sums (${tenantCalls} calls, $${cents(tenantTotal)}) differ from the period's totals `
      + `(${now.total.calls} calls, $${totalCents}): shares are of the tenant sums`);
  }
  const tenantCents = apportionCents(tenantRows.map((t) => t.costUsd), tenantsMatch ? now.total.costUsd : tenantTotal);
  let cumulative = 0;
  const byTenant = tenantRows.map((t, i) => {
    cumulative += t.costUsd;
    return {
      tenant: t.tenant,
      ...usage(t),
      costUsd: tenantCents[i],
      sharePercent: percent(t.costUsd, tenantTotal) ?? 0,
      cumulativeSharePercent: percent(cumulative, tenantTotal) ?? 0,
    };
  });

  const movement = before ? explainMovement(now, before, input.catalog, new Date(input.previous!.period.start)) : [];
  const anomalies = (current.alarms ?? []).filter((a) => ANOMALY_KINDS.has(a.kind)).map((a) => describeAnomaly(a, now, current.period.end));
  const slo = config ? sloAttainment(now, current, routes) : [];
  const accuracy = accuracyEvidence(current, routes);
  const recommendations = recommend({ now, current, catalog: input.catalog, config, routes, generatedAt: input.generatedAt, months });
  const coverage = coverageOf(now, current, routes);
  const reconciliation = reconcile(now, current, input.catalog, coverage.bedrock);

  const sections = sectionStatus(current, input.months, extraReasons);
  return {
    schemaVersion: '1',
    clientId: config?.clientId ?? 'unconfigured',
    displayName: config?.displayName ?? 'Unconfigured client',
    period: current.period.id,
    periodKind: current.period.kind,
    previousPeriod: previousPeriod(current.period).id,
    generatedAt: input.generatedAt.toISOString(),
    totals: {
      ...usage(now.total),
      costUsd: totalCents,
      ...change(now.total, before?.total, before),
      failedCostUsd: cents(now.total.failedCostUsd),
      budgetUsd,
      budgetUsedPercent: budgetUsd ? percent(now.total.costUsd, budgetUsd) : null,
    },
    byModel,
    byAgent,
    byRoute,
    byTenant,
    movement,
    anomalies,
    slo,
    accuracy,
    recommendations,
    coverage,
    reconciliation,
    charts: charts(now, current),
    trends: current.period.kind === 'quarter' ? trends(input.months ?? []) : [],
    sections,
    queryCost: current.queryCost ? { ...current.queryCost, estimatedUsd: Math.round(current.queryCost.estimatedUsd * 10_000) / 10_000 } : null,
  };
}

/** The usage columns; the cost stays exact until `apportion` rounds a whole breakdown. */
function usage(s: UsageSums) {
  return {
    costUsd: s.costUsd,
    calls: s.calls,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    cacheReadTokens: s.cacheReadTokens,
    cacheWriteTokens: s.cacheWriteTokens,
  };
}

function change(s: UsageSums, previous: UsageSums | undefined, before: PeriodViews | undefined) {
  if (!before) return { previousCostUsd: null, changeUsd: null, changePercent: null };
  const was = previous?.costUsd ?? 0;
  return { previousCostUsd: cents(was), changeUsd: cents(s.costUsd - was), changePercent: was > 0 ? percent(s.costUsd - was, was) : null };
}

function sortedByCost<T extends UsageSums>(entries: Array<[string, T]>): Array<[string, T]> {
  return entries.sort((a, b) => b[1].costUsd - a[1].costUsd || compareText(a[0], b[0]));
}

/** Rounds a breakdown's exact costs to cents that add up to the total's cents. */
function apportion(rows: Array<{ costUsd: number }>, totalUsd: number): void {
  const fixed = apportionCents(rows.map((r) => r.costUsd), totalUsd);
  rows.forEach((r, i) => { r.costUsd = fixed[i]; });
}

function pct(ratio: number | null): number | null {
  return ratio === null ? null : Math.round(ratio * 1000) / 10;
}

const FACTOR_WORDS: Record<FactorPart['factor'], string> = {
  volume: 'volume',
  tokensPerCall: 'tokens per call',
  cacheHitRate: 'cache hit rate',
  priceOrModelMix: 'price or model mix',
};

function explainMovement(now: PeriodViews, before: PeriodViews, catalog: PriceCatalog, priceDate: Date): Movement[] {
  const routeParts = new Map<string, FactorPart[]>();
  const keys = new Set([...now.byRoute.keys(), ...before.byRoute.keys()]);
  const movements: Movement[] = [];
  for (const key of keys) {
    const [was, is] = [before.byRoute.get(key) ?? emptyUsage(), now.byRoute.get(key) ?? emptyUsage()];
    const prices = mixedPrices(before.modelsOfRoute(key).length ? before.modelsOfRoute(key) : now.modelsOfRoute(key), catalog, priceDate);
    const parts = decompose(was, is, prices);
    routeParts.set(key, parts);
    const days = daysOfBoth(before.routeDays.get(key), now.routeDays.get(key));
    movements.push(movementOf(TelemetryFields.ROUTE.name, key, was, is, parts, days, now));
  }
  const agents = new Set([...now.byAgent.keys(), ...before.byAgent.keys()]);
  for (const agent of agents) {
    const [was, is] = [before.byAgent.get(agent) ?? emptyUsage(), now.byAgent.get(agent) ?? emptyUsage()];
    const ofAgent = [...routeParts.entries()].filter(([key]) => key.startsWith(`${agent}/`)).map(([, parts]) => parts);
    const agentShape = decompose(was, is, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    // An agent's parts are the sums of its routes' parts; from/to describe the agent as a whole.
    const parts = agentShape.map((p, i) => ({ ...p, usd: ofAgent.reduce((s, route) => s + route[i].usd, 0) }));
    const days = daysOfBoth(before.agentDays.get(agent), now.agentDays.get(agent));
    movements.push(movementOf(TelemetryFields.AGENT.name, agent, was, is, parts, days, now));
  }
  return movements
    .filter((m) => Math.abs(m.changeUsd) >= MIN_EXPLAINED_CHANGE_USD)
    .sort((a, b) => Math.abs(b.changeUsd) - Math.abs(a.changeUsd) || compareText(a.key, b.key));
}

/** The days of a key in the previous and this period, in order. */
function daysOfBoth(before: Map<string, Sums> | undefined, now: Map<string, Sums> | undefined): Array<[string, Sums]> {
  return [...(before ?? new Map()).entries(), ...(now ?? new Map()).entries()].sort(([a], [b]) => compareText(a, b));
}

function movementOf(
  scope: Movement['scope'], key: string, was: UsageSums, is: UsageSums, parts: FactorPart[], days: Array<[string, Sums]>, now: PeriodViews,
): Movement {
  const inPeriod = (day: string | undefined) => (day && day >= now.aggregates.period.start.slice(0, 10) ? day : null);
  const cacheSeries: DailyPoint[] = days.map(([day, s]) => ({ day, value: (cacheHitRate(s) ?? 0) * 100, weight: s.calls }));
  const meanCalls = days.length ? days.reduce((s, [, d]) => s + d.calls, 0) / days.length : 0;
  const volumeSeries: DailyPoint[] = days.map(([day, s]) => ({ day, value: s.calls, weight: 1 }));
  const since: Record<FactorPart['factor'], string | null> = {
    volume: inPeriod(shiftDay(volumeSeries, MIN_DATED_SHIFT.volume * meanCalls)),
    tokensPerCall: null,
    cacheHitRate: inPeriod(shiftDay(cacheSeries, MIN_DATED_SHIFT.cacheHitRate)),
    priceOrModelMix: null,
  };
  const changeUsd = is.costUsd - was.costUsd;
  const withText = parts.map((p) => ({
    factor: p.factor,
    usd: cents(p.usd),
    from: round(p.from),
    to: round(p.to),
    since: since[p.factor],
    text: partText(p, since[p.factor]),
  }));
  const told = [...withText]
    .filter((p) => Math.abs(p.usd) >= 0.01 && Math.abs(p.usd) >= Math.abs(changeUsd) * 0.05)
    .sort((a, b) => Math.abs(b.usd) - Math.abs(a.usd));
  return {
    scope,
    key,
    previousCostUsd: cents(was.costUsd),
    costUsd: cents(is.costUsd),
    changeUsd: cents(changeUsd),
    parts: withText,
    text: `${key} ${signedUsd(changeUsd)}${told.length ? `: ${told.map((p) => p.text).join('; ')}` : ''}`,
  };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

function partText(p: FactorPart, since: string | null): string {
  const words = FACTOR_WORDS[p.factor];
  const when = since ? ` since ${since}` : '';
  const fmt = (v: number | null) => (v === null ? 'n/a' : Math.round(v).toLocaleString('en-US'));
  switch (p.factor) {
    case 'volume': return `${signedUsd(p.usd)} from ${words} ${fmt(p.from)} → ${fmt(p.to)} calls${when}`;
    case 'tokensPerCall': return `${signedUsd(p.usd)} from ${words} ${fmt(p.from)} → ${fmt(p.to)}`;
    case 'cacheHitRate': return `${signedUsd(p.usd)} from ${words} ${fmt(p.from)}% → ${fmt(p.to)}%${when}`;
    case 'priceOrModelMix': return `${signedUsd(p.usd)} from ${words} ($${(p.from ?? 0).toFixed(4)} → $${(p.to ?? 0).toFixed(4)} a call)`;
  }
}

/** `+$1,234.56` or `-$12.00`. */
export function signedUsd(usd: number): string {
  const c = cents(usd);
  return `${c < 0 ? '-' : '+'}$${Math.abs(c).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function describeAnomaly(a: AlarmEpisode, now: PeriodViews, periodEnd: string): Anomaly {
  const start = Date.parse(a.start);
  const end = Date.parse(a.end ?? periodEnd);
  const durationMinutes = Math.max(0, Math.round((end - start) / 60_000));
  const days = a.agent ? now.agentDays.get(a.agent) : now.totalDays;
  let costImpactUsd: number | null = null;
  if (days && days.size > 0) {
    // Spend on the episode's days above the period's median day, in proportion to the hours in ALARM.
    const usual = median([...days.values()].map((d) => d.costUsd));
    let impact = 0;
    for (const [day, s] of days) {
      const dayStart = Date.parse(`${day}T00:00:00Z`);
      const overlap = Math.max(0, Math.min(end, dayStart + 86_400_000) - Math.max(start, dayStart)) / 86_400_000;
      impact += overlap * Math.max(0, s.costUsd - usual);
    }
    costImpactUsd = cents(impact);
  }
  const scope = [a.agent, a.route].filter(Boolean).join('/') || 'client-wide';
  const hours = durationMinutes >= 120 ? `${Math.round(durationMinutes / 6) / 10} h` : `${durationMinutes} min`;
  return {
    kind: a.kind,
    alarmName: a.alarmName,
    severity: a.severity ?? null,
    agent: a.agent ?? null,
    route: a.route ?? null,
    start: a.start,
    end: a.end ?? null,
    durationMinutes,
    costImpactUsd,
    text: `${a.kind} (${scope}) from ${a.start.slice(0, 16).replace('T', ' ')} UTC for ${hours}`
      + `${a.end ? '' : ' (still in alarm at the period\'s end)'}${costImpactUsd ? `, ${signedUsd(costImpactUsd)} above a usual day` : ''}`,
  };
}

function sloAttainment(now: PeriodViews, current: PeriodAggregates, routes: ConfigRoutes): SloAttainment[] {
  const rows: SloAttainment[] = [];
  for (const [key, { route }] of routes) {
    const s = now.byRoute.get(key);
    const d = current.distributions.find((x) => routeKey(x.agent, x.route) === key);
    const calls = s?.calls ?? 0;
    const slo = route.slo;
    const p = (observed: number | undefined, sloMs: number) => ({
      observedMs: observed ?? null, sloMs, met: observed === undefined ? null : observed <= sloMs,
    });
    const modelErr = s && calls ? (s.modelErrors / calls) * 100 : null;
    const appErr = s && calls ? (s.appErrors / calls) * 100 : null;
    const throttle = s && calls ? (s.throttles / calls) * 100 : null;
    const throttleSlo = slo.throttleRatePercent ?? SLO_DEFAULTS.throttleRatePercent;
    const latency = {
      p50: p(d?.latencyP50Ms, slo.latency.p50Ms), p95: p(d?.latencyP95Ms, slo.latency.p95Ms), p99: p(d?.latencyP99Ms, slo.latency.p99Ms),
    };
    const errorBudget = modelErr === null || appErr === null ? null : Math.round(((modelErr + appErr) / slo.errorRatePercent) * 1000) / 10;
    const checks = [latency.p50.met, latency.p95.met, latency.p99.met,
      modelErr === null ? null : modelErr <= slo.errorRatePercent, appErr === null ? null : appErr <= slo.errorRatePercent,
      throttle === null ? null : throttle <= throttleSlo];
    rows.push({
      route: key,
      calls,
      latency,
      modelErrorRatePercent: round2(modelErr),
      appErrorRatePercent: round2(appErr),
      errorSloPercent: slo.errorRatePercent,
      throttleRatePercent: round2(throttle),
      throttleSloPercent: throttleSlo,
      errorBudgetUsedPercent: errorBudget,
      met: checks.some((c) => c === null) ? null : checks.every(Boolean),
    });
  }
  return rows;
}

function round2(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

/** Accuracy per route, model, variant and evaluator, against the route's bar. */
export function accuracyEvidence(current: PeriodAggregates, routes: ConfigRoutes): AccuracyEvidence[] {
  return current.evaluations.map((e) => {
    const key = routeKey(e.agent, e.route);
    const { bars, minScoredCalls } = accuracyBarsOf(routes.get(key)?.route);
    const bar = bars.find((b) => b.id === e.evaluator);
    const passRate = e.weightedVerdicts > 0 ? e.weightedPasses / e.weightedVerdicts : null;
    const lower = passRate === null ? null : wilsonLowerBound(passRate, e.verdicts);
    const mean = e.weightedScoreWeight > 0 ? e.weightedScoreSum / e.weightedScoreWeight : null;
    const enough = e.verdicts + e.scores >= minScoredCalls;
    let meets: boolean | null = null;
    if (bar && enough) {
      const checks: boolean[] = [];
      if (bar.minPassRatePercent !== undefined && lower !== null) checks.push(lower * 100 >= bar.minPassRatePercent);
      if (bar.minMeanScore !== undefined && mean !== null) checks.push(mean >= bar.minMeanScore);
      meets = checks.length ? checks.every(Boolean) : null;
    }
    return {
      route: key,
      model: e.model,
      variant: e.variant ?? null,
      evaluator: e.evaluator,
      verdicts: e.verdicts,
      passRatePercent: pct(passRate),
      passRateLowerBoundPercent: pct(lower),
      meanScore: mean === null ? null : Math.round(mean * 1000) / 1000,
      barPercent: bar?.minPassRatePercent ?? null,
      barMeanScore: bar?.minMeanScore ?? null,
      meetsBar: meets,
    };
  }).sort((a, b) => compareText(a.route, b.route) || compareText(a.model, b.model)
    || compareText(a.evaluator, b.evaluator) || compareText(a.variant ?? '', b.variant ?? ''));
}

function coverageOf(now: PeriodViews, current: PeriodAggregates, routes: ConfigRoutes): GovernanceReportData['coverage'] {
  const invocations = new Map((current.bedrockInvocations ?? []).map((b) => [b.model, b.invocations]));
  const bedrock = [...now.byModel.entries()].filter(([, s]) => s.provider === 'aws.bedrock').map(([model, s]) => {
    const billed = current.bedrockInvocations ? invocations.get(model) ?? 0 : null;
    return { model, telemetryCalls: s.calls, bedrockInvocations: billed, coveragePercent: billed ? percent(s.calls, billed) : null };
  });
  // Models Bedrock served that the telemetry never saw: entirely uninstrumented.
  for (const [model, count] of invocations) {
    if (!now.byModel.has(model) && count > 0) bedrock.push({ model, telemetryCalls: 0, bedrockInvocations: count, coveragePercent: 0 });
  }
  const seen = [...now.byRoute.keys()];
  return {
    bedrock: bedrock.sort((a, b) => compareText(a.model, b.model)),
    routesInTelemetry: seen.length,
    routesInConfig: routes.size,
    routesWithSlo: [...routes.values()].filter((r) => r.route.slo !== undefined).length,
    unconfiguredRoutes: routes.size ? seen.filter((k) => !routes.has(k)).sort() : [],
    silentRoutes: [...routes.keys()].filter((k) => !now.byRoute.has(k)).sort(),
    alarmsPerRoute: current.alarmNames && routes.size
      ? Math.round((current.alarmNames.filter((name) => [...routes.keys()].some((k) => name.includes(`-${k.replace('/', '-')}-`))).length
        / routes.size) * 10) / 10
      : null,
  };
}

function reconcile(
  now: PeriodViews, current: PeriodAggregates, catalog: PriceCatalog, coverage: GovernanceReportData['coverage']['bedrock'],
): GovernanceReportData['reconciliation'] {
  const telemetry = [...now.byModel.values()].filter((s) => s.provider === 'aws.bedrock').reduce((s, m) => s + m.costUsd, 0);
  const billed = current.billed?.bedrockUsd;
  if (billed === undefined) {
    return { telemetryBedrockUsd: cents(telemetry), billedBedrockUsd: null, gapPercent: null, flagged: false, likelyCauses: [] };
  }
  const gap = billed > 0 ? ((billed - telemetry) / billed) * 100 : telemetry > 0 ? -100 : 0;
  const flagged = Math.abs(gap) > RECONCILIATION_GAP_PERCENT;
  const causes: string[] = [];
  if (flagged && gap > 0) {
    const uncovered = coverage.filter((c) => c.coveragePercent !== null && c.coveragePercent < 99);
    for (const c of uncovered) {
      causes.push(`uninstrumented calls: ${c.model} shows ${c.telemetryCalls.toLocaleString('en-US')} recorded calls `
        + `against ${c.bedrockInvocations!.toLocaleString('en-US')} Bedrock invocations`);
    }
    for (const [model, s] of now.byModel) {
      if (s.provider !== 'aws.bedrock') continue;
      const price = catalog.latest(model);
      if (!price) {
        causes.push(`unpriced model: ${model} has no catalog price, so its calls were recorded at $0`);
      } else if (s.cacheWriteTokens > 0 && price.prices.cacheWrite5m === undefined) {
        causes.push(`missing cache-write price: ${model} wrote ${s.cacheWriteTokens.toLocaleString('en-US')} cache tokens priced as plain input`);
      } else if (Date.parse(price.effectiveFrom) < Date.parse(current.period.start) - 365 * 86_400_000) {
        causes.push(`stale price: ${model}'s catalog price dates from ${price.effectiveFrom}; check it against the current price list`);
      }
    }
    if (causes.length === 0) {
      causes.push('calls billed to this account that the telemetry helper does not see (other applications, or agents not yet instrumented)');
    }
  } else if (flagged) {
    causes.push('recorded cost above the bill: a negotiated discount missing from priceOverrides, or telemetry from calls billed to another account');
  }
  return {
    telemetryBedrockUsd: cents(telemetry), billedBedrockUsd: cents(billed), gapPercent: Math.round(gap * 10) / 10, flagged, likelyCauses: causes,
  };
}

function charts(now: PeriodViews, current: PeriodAggregates): GovernanceReportData['charts'] {
  const days = daysOf(current.period);
  const dailyByModel = [...now.modelDays.keys()].sort().flatMap((model) => days.map((day) => ({
    day, model, costUsd: cents(now.modelDays.get(model)!.get(day)?.costUsd ?? 0),
  })));
  const dailyCacheHitRate = [...now.routeDays.keys()].sort().flatMap((route) => days.map((day) => {
    const s = now.routeDays.get(route)!.get(day);
    return { day, route, cacheHitRatePercent: s ? pct(cacheHitRate(s)) : null };
  }));
  return { dailyByModel, dailyCacheHitRate };
}

function trends(months: PeriodAggregates[]): TrendPoint[] {
  return months.map((m) => {
    const v = new PeriodViews(m);
    const weighted = m.distributions.reduce((s, d) => s + d.latencyP95Ms * d.calls, 0);
    const distCalls = m.distributions.reduce((s, d) => s + d.calls, 0);
    const verdicts = m.evaluations.reduce((s, e) => s + e.weightedVerdicts, 0);
    const passes = m.evaluations.reduce((s, e) => s + e.weightedPasses, 0);
    const bedrockCalls = [...v.byModel.values()].filter((s) => s.provider === 'aws.bedrock').reduce((s, x) => s + x.calls, 0);
    const invocations = (m.bedrockInvocations ?? []).reduce((s, b) => s + b.invocations, 0);
    return {
      period: m.period.id,
      costUsd: cents(v.total.costUsd),
      calls: v.total.calls,
      costPerCallUsd: v.total.calls ? Math.round((v.total.costUsd / v.total.calls) * 1e6) / 1e6 : null,
      latencyP95Ms: distCalls ? Math.round(weighted / distCalls) : null,
      passRatePercent: verdicts ? percent(passes, verdicts) : null,
      bedrockCoveragePercent: m.bedrockInvocations && invocations ? percent(bedrockCalls, invocations) : null,
    };
  });
}

function sectionStatus(current: PeriodAggregates, months: PeriodAggregates[] | undefined, extra: Map<SectionId, string[]>): ReportSection[] {
  const ids = (Object.keys(SECTION_TITLES) as SectionId[]).filter((id) => id !== 'trends' || current.period.kind === 'quarter');
  return ids.map((id) => {
    const reasons = SECTION_SOURCES[id].flatMap((source) => {
      const status = current.sources[source];
      return status.complete ? [] : [status.reason ?? `${source} data is missing`];
    });
    if (id === 'trends' && (months?.length ?? 0) < 3) reasons.push(`only ${months?.length ?? 0} of the quarter's 3 months have data`);
    reasons.push(...(extra.get(id) ?? []));
    return { id, title: SECTION_TITLES[id], complete: reasons.length === 0, reasons: [...new Set(reasons)] };
  });
}

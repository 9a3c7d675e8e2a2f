/*
 * The report's Logs Insights queries and the reading of their rows: pure, no SDK. Field names
 * come from the telemetry contract; every query selects one record type and bounds time exactly
 * (StartQuery's own bounds are whole seconds, inclusive at both ends).
 */
import { DailyUsage, EvaluationSums, RouteDistribution, TenantUsage, UsageSums } from '../../lib/reporting/aggregates';
import { RecordType, TelemetryFields as F, TelemetryMetrics as M } from '../../lib/telemetry/contract';

/** Logs Insights limits (CloudWatch Logs quotas). */
export const LOGS_INSIGHTS = {
  /** Log groups one StartQuery may name. */
  MAX_LOG_GROUPS: 50,
  /** Rows one query returns: a result this long may have been cut. */
  MAX_ROWS: 10_000,
} as const;

/** The record type and fields of evaluation records (`recordEvaluation`), from the contract. */
export const EVALUATION = {
  RECORD_TYPE: RecordType.EVALUATION,
  VARIANT: F.VARIANT.name,
  EVALUATOR: F.EVALUATOR.name,
  SAMPLE_WEIGHT: F.SAMPLE_WEIGHT.name,
  PASSED: M.EVALUATION_PASSED.name,
  SCORE: M.EVALUATION_SCORE.name,
} as const;

/** The key of a missing agent, route, model or tenant: the same word the local command uses, so both paths report alike. */
export const UNKNOWN = 'unknown';

/** The tenant key of calls recorded without a tenant, so the tenants still sum to the total. */
export const NO_TENANT = UNKNOWN;

/** One Logs Insights result row, field name to value. */
export type Row = Record<string, string>;

/** A time range in epoch milliseconds, start inclusive, end exclusive. */
export interface TimeSlice {
  readonly startMs: number;
  readonly endMs: number;
}

const USAGE_STATS = [
  'count(*) as calls',
  `sum(${M.COST_USD.name}) as costUsd`,
  `sum(${M.INPUT_TOKENS.name}) as inputTokens`,
  `sum(${M.OUTPUT_TOKENS.name}) as outputTokens`,
  `sum(${M.CACHE_READ_TOKENS.name}) as cacheReadTokens`,
  `sum(${M.CACHE_WRITE_TOKENS.name}) as cacheWriteTokens`,
  `sum(${M.MODEL_ERRORS.name}) as modelErrors`,
  `sum(${M.APP_ERRORS.name}) as appErrors`,
  `sum(${M.THROTTLES.name}) as throttles`,
  'sum(failedCost) as failedCostUsd',
].join(', ');

// A call that did not end ok has exactly one of the three counters at 1, so this is its cost.
const FAILED_COST = `${M.COST_USD.name} * (${M.MODEL_ERRORS.name} + ${M.APP_ERRORS.name} + ${M.THROTTLES.name}) as failedCost`;

function quote(value: string): string {
  return JSON.stringify(value);
}

function callFilter(slice: TimeSlice, recordType: RecordType = RecordType.AI_CALL): string {
  return `filter ${F.RECORD_TYPE.name} = ${quote(recordType)} and toMillis(@timestamp) >= ${slice.startMs} and toMillis(@timestamp) < ${slice.endMs}`;
}

/** Calls, tokens, errors and cost per UTC day, agent, route, model and provider. */
export function usageQuery(slice: TimeSlice): string {
  return [
    callFilter(slice),
    `| fields datefloor(@timestamp, 1d) as day, ${FAILED_COST}`,
    `| stats ${USAGE_STATS} by day, ${F.AGENT.name}, ${F.ROUTE.name}, ${F.MODEL.name}, ${F.PROVIDER.name}`,
    `| limit ${LOGS_INSIGHTS.MAX_ROWS}`,
  ].join('\n');
}

/** Calls and cost of the slice in one row: what the per-tenant parts must add up to. */
export function totalsQuery(slice: TimeSlice): string {
  return [callFilter(slice), `| stats count(*) as calls, sum(${M.COST_USD.name}) as costUsd`].join('\n');
}

/**
 * A set of tenant ids Logs Insights can select with one regular expression: those starting with
 * `prefix` and continuing with a character whose code is in [lo, hi] (codes 0x20 to 0x7e; 0x7f
 * stands for every other character), plus `prefix` itself when `exact`. The root (empty prefix,
 * the whole range, exact) holds every tenant.
 */
export interface TenantRange {
  readonly prefix: string;
  readonly lo: number;
  readonly hi: number;
  readonly exact: boolean;
}

const FIRST = 0x20;
/** Stands for every character outside printable ASCII. */
const OTHER = 0x7f;

export const ALL_TENANTS: TenantRange = { prefix: '', lo: FIRST, hi: OTHER, exact: true };

function hex(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/** A prefix (printable ASCII only: ranges never extend past OTHER) as a regular expression. */
function escapeRegex(s: string): string {
  return [...s].map((c) => (/[A-Za-z0-9]/.test(c) ? c : hex(c.charCodeAt(0)))).join('');
}

function charClass(lo: number, hi: number): string {
  if (lo > hi) return '';
  const printableHi = Math.min(hi, 0x7e);
  const parts: string[] = [];
  if (lo <= printableHi) parts.push(lo === printableHi ? hex(lo) : `${hex(lo)}-${hex(printableHi)}`);
  const printable = parts.length ? `[${parts[0]}]` : '';
  const other = hi >= OTHER ? `[^${hex(FIRST)}-${hex(0x7e)}]` : '';
  return [printable, other].filter(Boolean).join('|');
}

/** The regular expression selecting the tenants of a range (without slashes). */
export function tenantRangeRegex(range: TenantRange): string {
  const alternatives = [charClass(range.lo, range.hi), range.exact ? '$' : ''].filter(Boolean).join('|');
  return `^${escapeRegex(range.prefix)}(${alternatives})`;
}

/** Whether a tenant id belongs to a range (the same rule as the regular expression). */
export function inTenantRange(tenant: string, range: TenantRange): boolean {
  if (!tenant.startsWith(range.prefix)) return false;
  const rest = tenant.slice(range.prefix.length);
  if (rest.length === 0) return range.exact;
  const code = rest.codePointAt(0)!;
  const bucket = code >= FIRST && code <= 0x7e ? code : OTHER;
  return bucket >= range.lo && bucket <= range.hi;
}

/**
 * Disjoint, non-empty ranges whose union is `range`, or undefined when it cannot be split (only
 * characters outside printable ASCII follow its prefix). A range of one character c becomes the
 * prefix alone (when `exact`) and the range of prefix+c.
 */
export function splitTenantRange(range: TenantRange): TenantRange[] | undefined {
  if (range.lo < range.hi) {
    const mid = Math.floor((range.lo + range.hi) / 2);
    return [
      { prefix: range.prefix, lo: range.lo, hi: mid, exact: range.exact },
      { prefix: range.prefix, lo: mid + 1, hi: range.hi, exact: false },
    ];
  }
  if (range.lo === OTHER) return undefined;
  const longer: TenantRange = { prefix: range.prefix + String.fromCharCode(range.lo), lo: FIRST, hi: OTHER, exact: true };
  return range.exact ? [{ prefix: range.prefix, lo: 1, hi: 0, exact: true }, longer] : [longer];
}

/** Per-tenant sums over a slice, for the tenants of one range (or the calls without a tenant). */
export function tenantsQuery(slice: TimeSlice, range: TenantRange | 'none'): string {
  const which = range === 'none'
    ? ` and not ispresent(${F.TENANT.name})`
    : range === ALL_TENANTS ? '' : ` and ${F.TENANT.name} =~ /${tenantRangeRegex(range)}/`;
  return [
    callFilter(slice) + which,
    `| fields ${FAILED_COST}`,
    `| stats ${USAGE_STATS} by ${F.TENANT.name}`,
    `| limit ${LOGS_INSIGHTS.MAX_ROWS}`,
  ].join('\n');
}

/** True percentiles of latency and output tokens per route over the slice, for some agents. */
export function distributionsQuery(slice: TimeSlice, agents: string[]): string {
  const pct = (field: string, alias: string) => [50, 95, 99].map((p) => `pct(${field}, ${p}) as ${alias}P${p}${alias === 'latency' ? 'Ms' : ''}`);
  return [
    `${callFilter(slice)} and ${F.AGENT.name} in [${agents.map(quote).join(', ')}]`,
    `| stats count(*) as calls, ${[...pct(M.LATENCY_MS.name, 'latency'), ...pct(M.OUTPUT_TOKENS.name, M.OUTPUT_TOKENS.name)].join(', ')}, max(${M.OUTPUT_TOKENS.name}) as outputTokensMax by ${F.AGENT.name}, ${F.ROUTE.name}`,
    `| limit ${LOGS_INSIGHTS.MAX_ROWS}`,
  ].join('\n');
}

/**
 * Verdict and score sums of evaluation records. A record without `sampleWeight` weighs 1: rows
 * are grouped by whether it is present, and the weighted sums of unweighted rows are their counts.
 * `x * 0 + 1` is 1 where `x` is present and null (not summed) where it is not.
 */
export function evaluationsQuery(slice: TimeSlice): string {
  const E = EVALUATION;
  return [
    callFilter(slice, E.RECORD_TYPE),
    `| fields ispresent(${E.SAMPLE_WEIGHT}) as weighted`,
    `| stats count(${E.PASSED}) as verdicts, count(${E.SCORE}) as scores, sum(${E.PASSED}) as passes, sum(${E.SCORE}) as scoreSum, `
      + `sum(${E.SAMPLE_WEIGHT} * (${E.PASSED} * 0 + 1)) as weightedVerdicts, sum(${E.SAMPLE_WEIGHT} * ${E.PASSED}) as weightedPasses, `
      + `sum(${E.SAMPLE_WEIGHT} * ${E.SCORE}) as weightedScoreSum, sum(${E.SAMPLE_WEIGHT} * (${E.SCORE} * 0 + 1)) as weightedScoreWeight `
      + `by ${F.AGENT.name}, ${F.ROUTE.name}, ${F.MODEL.name}, ${E.VARIANT}, ${E.EVALUATOR}, weighted`,
    `| limit ${LOGS_INSIGHTS.MAX_ROWS}`,
  ].join('\n');
}

function num(row: Row, field: string): number {
  const value = Number(row[field]);
  return Number.isFinite(value) ? value : 0;
}

function usageOf(row: Row): UsageSums {
  return {
    calls: num(row, M.CALLS.name),
    costUsd: num(row, M.COST_USD.name),
    inputTokens: num(row, M.INPUT_TOKENS.name),
    outputTokens: num(row, M.OUTPUT_TOKENS.name),
    cacheReadTokens: num(row, M.CACHE_READ_TOKENS.name),
    cacheWriteTokens: num(row, M.CACHE_WRITE_TOKENS.name),
    modelErrors: num(row, M.MODEL_ERRORS.name),
    appErrors: num(row, M.APP_ERRORS.name),
    throttles: num(row, M.THROTTLES.name),
    failedCostUsd: num(row, 'failedCostUsd'),
  };
}

/** A usage row; `day` comes back as `2026-10-01 00:00:00.000`. */
export function dailyUsageOf(row: Row): DailyUsage {
  return {
    day: (row.day ?? '').slice(0, 10),
    agent: row[F.AGENT.name] || UNKNOWN,
    route: row[F.ROUTE.name] || UNKNOWN,
    model: row[F.MODEL.name] || UNKNOWN,
    provider: row[F.PROVIDER.name] || UNKNOWN,
    ...usageOf(row),
  };
}

export function tenantUsageOf(row: Row): TenantUsage {
  return { tenant: row[F.TENANT.name] || NO_TENANT, ...usageOf(row) };
}

export function distributionOf(row: Row): RouteDistribution {
  return {
    agent: row[F.AGENT.name] || UNKNOWN,
    route: row[F.ROUTE.name] || UNKNOWN,
    calls: num(row, M.CALLS.name),
    latencyP50Ms: num(row, 'latencyP50Ms'),
    latencyP95Ms: num(row, 'latencyP95Ms'),
    latencyP99Ms: num(row, 'latencyP99Ms'),
    outputTokensP50: num(row, 'outputTokensP50'),
    outputTokensP95: num(row, 'outputTokensP95'),
    outputTokensP99: num(row, 'outputTokensP99'),
    outputTokensMax: num(row, 'outputTokensMax'),
  };
}

export function evaluationOf(row: Row): EvaluationSums {
  const weighted = row.weighted === '1' || row.weighted === 'true';
  const E = EVALUATION;
  return {
    agent: row[F.AGENT.name] || UNKNOWN,
    route: row[F.ROUTE.name] || UNKNOWN,
    model: row[F.MODEL.name] || UNKNOWN,
    ...(row[E.VARIANT] ? { variant: row[E.VARIANT] } : {}),
    evaluator: row[E.EVALUATOR] || UNKNOWN,
    verdicts: num(row, 'verdicts'),
    weightedVerdicts: weighted ? num(row, 'weightedVerdicts') : num(row, 'verdicts'),
    weightedPasses: weighted ? num(row, 'weightedPasses') : num(row, 'passes'),
    scores: num(row, 'scores'),
    weightedScoreSum: weighted ? num(row, 'weightedScoreSum') : num(row, 'scoreSum'),
    weightedScoreWeight: weighted ? num(row, 'weightedScoreWeight') : num(row, 'scores'),
  };
}

/** Sums evaluation rows of the same (agent, route, model, variant, evaluator). */
export function mergeEvaluations(rows: EvaluationSums[]): EvaluationSums[] {
  const byKey = new Map<string, EvaluationSums>();
  for (const row of rows) {
    const key = JSON.stringify([row.agent, row.route, row.model, row.variant ?? null, row.evaluator]);
    const seen = byKey.get(key);
    byKey.set(key, seen ? {
      ...seen,
      verdicts: seen.verdicts + row.verdicts,
      weightedVerdicts: seen.weightedVerdicts + row.weightedVerdicts,
      weightedPasses: seen.weightedPasses + row.weightedPasses,
      scores: seen.scores + row.scores,
      weightedScoreSum: seen.weightedScoreSum + row.weightedScoreSum,
      weightedScoreWeight: seen.weightedScoreWeight + row.weightedScoreWeight,
    } : row);
  }
  return [...byKey.values()];
}

/**
 * Groups log groups into queries of at most 50, keeping each agent's groups together so a
 * route's percentiles come from one query. An agent with more than 50 groups gets several
 * queries of its own (its percentiles are then reported incomplete).
 */
export function logGroupBatches(agents: { id: string; logGroups: string[] }[]): { agents: string[]; logGroups: string[] }[] {
  const batches: { agents: string[]; logGroups: string[] }[] = [];
  const placed = new Set<string>();
  for (const agent of agents) {
    const groups = [...new Set(agent.logGroups)];
    const fresh = groups.filter((g) => !placed.has(g));
    const target = batches.find((b) => new Set([...b.logGroups, ...fresh]).size <= LOGS_INSIGHTS.MAX_LOG_GROUPS
      && groups.every((g) => b.logGroups.includes(g) || !placed.has(g)));
    if (target && groups.length <= LOGS_INSIGHTS.MAX_LOG_GROUPS) {
      target.agents.push(agent.id);
      for (const g of fresh) target.logGroups.push(g);
    } else {
      for (let i = 0; i < fresh.length; i += LOGS_INSIGHTS.MAX_LOG_GROUPS) {
        batches.push({ agents: [agent.id], logGroups: fresh.slice(i, i + LOGS_INSIGHTS.MAX_LOG_GROUPS) });
      }
    }
    for (const g of fresh) placed.add(g);
  }
  return batches;
}

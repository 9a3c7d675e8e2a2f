/*
 * The local command's data source: EMF lines exported from CloudWatch Logs, summed in one
 * streaming pass into the same `PeriodAggregates` the Lambda gathers with Logs Insights. Lines
 * of the period before go to a second accumulator (month-over-month change), and a quarter's
 * lines also to their month's. Nothing is dropped silently: every line that is not summed is
 * counted by reason.
 */
import {
  DailyUsage, emptyUsage, UsageSums, EvaluationSums, PeriodAggregates, ReportPeriod, ReportSource, RouteDistribution, SourceStatus, TenantUsage,
} from './aggregates';
import { RecordType, TelemetryFields, TelemetryMetrics } from '../telemetry/contract';

const F = TelemetryFields;
const M = TelemetryMetrics;
const DAY_MS = 86_400_000;

/** Why a line was not summed. */
export enum SkipReason {
  NOT_JSON = 'not JSON',
  NOT_A_RECORD = 'not a telemetry record',
  NO_TIMESTAMP = 'no _aws.Timestamp',
  OUTSIDE_PERIODS = 'outside the period and the one before',
  /** A number field that was not a finite number >= 0; the line is summed with 0 in its place. */
  REPAIRED_NUMBER = 'a number field repaired to 0',
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A growable array of doubles: 1,000,000 latencies cost 8 MB, not 1,000,000 boxed numbers. */
class Values {
  private data = new Float64Array(1024);
  private size = 0;
  public push(v: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = v;
  }
  /** Sorted copy of the values. */
  public sorted(): Float64Array {
    return this.data.slice(0, this.size).sort();
  }
}

/** Nearest-rank percentile of sorted values (what "p95" means in an SLO). */
export function nearestRank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The summed values of one call line, read once however many periods it counts in. */
interface CallValues {
  cost: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  modelErrors: number;
  appErrors: number;
  throttles: number;
  latency: number;
}

function addCallValues(s: Mutable<UsageSums>, v: CallValues, failedCost: number): void {
  s.calls += 1;
  s.costUsd += v.cost;
  s.inputTokens += v.input;
  s.outputTokens += v.output;
  s.cacheReadTokens += v.cacheRead;
  s.cacheWriteTokens += v.cacheWrite;
  s.modelErrors += v.modelErrors;
  s.appErrors += v.appErrors;
  s.throttles += v.throttles;
  s.failedCostUsd += failedCost;
}

/** One route's days (by day number, then model and provider) and its distributions. */
interface RouteAccumulator {
  readonly agent: string;
  readonly route: string;
  readonly latency: Values;
  readonly output: Values;
  readonly days: Map<number, Map<string, Mutable<DailyUsage>>>;
}

/** Sums of one period. */
class PeriodAccumulator {
  private readonly routes = new Map<string, RouteAccumulator>();
  private readonly tenants = new Map<string, Mutable<TenantUsage>>();
  private readonly evaluations = new Map<string, Mutable<EvaluationSums>>();

  public constructor(public readonly period: ReportPeriod) {}

  public addCall(r: Record<string, unknown>, dayIndex: number, v: CallValues): void {
    const agent = text(r[F.AGENT.name]);
    const route = text(r[F.ROUTE.name]);
    const routeKey = `${agent}\u0000${route}`;
    let acc = this.routes.get(routeKey);
    if (!acc) {
      acc = { agent, route, latency: new Values(), output: new Values(), days: new Map() };
      this.routes.set(routeKey, acc);
    }
    let models = acc.days.get(dayIndex);
    if (!models) {
      models = new Map();
      acc.days.set(dayIndex, models);
    }
    const model = text(r[F.MODEL.name]);
    const provider = text(r[F.PROVIDER.name]);
    const modelKey = `${model}\u0000${provider}`;
    let d = models.get(modelKey);
    if (!d) {
      d = { ...emptyUsage(), day: dayName(dayIndex), agent, route, model, provider };
      models.set(modelKey, d);
    }
    const tenant = text(r[F.TENANT.name]);
    let tu = this.tenants.get(tenant);
    if (!tu) {
      tu = { ...emptyUsage(), tenant };
      this.tenants.set(tenant, tu);
    }
    const failedCost = v.modelErrors + v.appErrors + v.throttles > 0 ? v.cost : 0;
    addCallValues(d, v, failedCost);
    addCallValues(tu, v, failedCost);
    acc.latency.push(v.latency);
    acc.output.push(v.output);
  }

  public addEvaluation(r: Record<string, unknown>): void {
    const agent = text(r[F.AGENT.name]);
    const route = text(r[F.ROUTE.name]);
    const model = text(r[F.MODEL.name]);
    const variant = typeof r[F.VARIANT.name] === 'string' ? r[F.VARIANT.name] as string : undefined;
    const evaluator = text(r[F.EVALUATOR.name]);
    const key = `${agent}\u0000${route}\u0000${model}\u0000${variant ?? ''}\u0000${evaluator}`;
    let e = this.evaluations.get(key);
    if (!e) {
      e = {
        agent,
        route,
        model,
        variant,
        evaluator,
        verdicts: 0,
        weightedVerdicts: 0,
        weightedPasses: 0,
        scores: 0,
        weightedScoreSum: 0,
        weightedScoreWeight: 0,
      };
      this.evaluations.set(key, e);
    }
    const sampleWeight = r[F.SAMPLE_WEIGHT.name];
    const weight = finite(sampleWeight) && (sampleWeight as number) > 0 ? (sampleWeight as number) : 1;
    const passed = r[M.EVALUATION_PASSED.name];
    if (passed === 0 || passed === 1) {
      e.verdicts += 1;
      e.weightedVerdicts += weight;
      e.weightedPasses += weight * passed;
    }
    const score = r[M.EVALUATION_SCORE.name];
    if (finite(score) && (score as number) >= 0 && (score as number) <= 1) {
      e.scores += 1;
      e.weightedScoreSum += weight * (score as number);
      e.weightedScoreWeight += weight;
    }
  }

  public aggregates(sources: Record<ReportSource, SourceStatus>): PeriodAggregates {
    const distributions: RouteDistribution[] = [...this.routes.values()].map((r) => {
      const latency = r.latency.sorted();
      const output = r.output.sorted();
      return {
        agent: r.agent,
        route: r.route,
        calls: latency.length,
        latencyP50Ms: nearestRank(latency, 50),
        latencyP95Ms: nearestRank(latency, 95),
        latencyP99Ms: nearestRank(latency, 99),
        outputTokensP50: nearestRank(output, 50),
        outputTokensP95: nearestRank(output, 95),
        outputTokensP99: nearestRank(output, 99),
        outputTokensMax: output.length ? output[output.length - 1] : 0,
      };
    });
    return {
      period: this.period,
      daily: [...this.routes.values()].flatMap((r) => [...r.days.values()].flatMap((models) => [...models.values()])),
      tenants: [...this.tenants.values()],
      distributions,
      evaluations: [...this.evaluations.values()],
      sources,
    };
  }
}

const dayNames = new Map<number, string>();
/** `YYYY-MM-DD` of a day number (days since the epoch), cached: every line asks. */
function dayName(dayIndex: number): string {
  let name = dayNames.get(dayIndex);
  if (name === undefined) {
    name = new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
    dayNames.set(dayIndex, name);
  }
  return name;
}

/** A summed number: absent is 0; anything but a finite number >= 0 is 0 and marks the line repaired. */
function amount(value: unknown, state: { repaired: boolean }): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY) return value;
  state.repaired = true;
  return 0;
}

function text(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : 'unknown';
}

function finite(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The aggregates of a report period, the one before, and (for a quarter) its months. */
export interface LocalAggregates {
  readonly current: PeriodAggregates;
  readonly previous: PeriodAggregates;
  /** A quarter's three months; empty for a month. */
  readonly months: PeriodAggregates[];
  /** Lines read; of them, call and evaluation records summed; the rest skipped, by reason (repairs counted apart). */
  readonly lines: number;
  readonly summed: { readonly calls: number; readonly evaluations: number };
  readonly skipped: Partial<Record<SkipReason, number>>;
}

/** Offline sources: what exported log lines cannot tell. */
const OFFLINE: Record<ReportSource, SourceStatus> = {
  [ReportSource.USAGE]: { complete: true },
  [ReportSource.TENANTS]: { complete: true },
  [ReportSource.DISTRIBUTIONS]: { complete: true },
  [ReportSource.EVALUATIONS]: { complete: true },
  [ReportSource.ALARMS]: {
    complete: false,
    reason: 'alarm history is not part of exported telemetry (pass --alarm-history with the output of aws cloudwatch describe-alarm-history)',
  },
  [ReportSource.BILLING]: { complete: false, reason: 'Cost Explorer is not read by the local command: billed spend is not reconciled' },
  [ReportSource.BEDROCK_METRICS]: {
    complete: false,
    reason: 'AWS/Bedrock metrics are not read by the local command: coverage of Bedrock calls is unknown',
  },
};

/** Sums EMF lines, one `add` per line, into the periods' aggregates. */
export class EmfAggregator {
  private readonly current: PeriodAccumulator;
  private readonly previous: PeriodAccumulator;
  private readonly months: PeriodAccumulator[];
  private readonly ranges: Array<{ start: number; end: number; acc: PeriodAccumulator }>;
  private readonly monthRanges: Array<{ start: number; end: number; acc: PeriodAccumulator }>;
  private lines = 0;
  private readonly summed = { calls: 0, evaluations: 0 };
  private readonly skipped: Partial<Record<SkipReason, number>> = {};

  public constructor(current: ReportPeriod, previous: ReportPeriod, months: ReportPeriod[] = []) {
    const range = (acc: PeriodAccumulator) => ({ start: Date.parse(acc.period.start), end: Date.parse(acc.period.end), acc });
    this.current = new PeriodAccumulator(current);
    this.previous = new PeriodAccumulator(previous);
    this.months = months.map((m) => new PeriodAccumulator(m));
    this.ranges = [range(this.current), range(this.previous)];
    this.monthRanges = this.months.map(range);
  }

  /** Sums one line: an EMF JSON object, optionally preceded by a CloudWatch export timestamp. */
  public add(line: string): void {
    this.lines++;
    const brace = line.indexOf('{');
    if (brace < 0) return this.skip(SkipReason.NOT_JSON);
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(brace === 0 ? line : line.slice(brace));
    } catch {
      return this.skip(SkipReason.NOT_JSON);
    }
    if (r === null || typeof r !== 'object') return this.skip(SkipReason.NOT_JSON);
    const type = r[F.RECORD_TYPE.name];
    if (type !== RecordType.AI_CALL && type !== RecordType.EVALUATION) return this.skip(SkipReason.NOT_A_RECORD);
    const t = (r._aws as { Timestamp?: unknown } | undefined)?.Timestamp;
    if (!finite(t)) return this.skip(SkipReason.NO_TIMESTAMP);
    const at = t as number;
    const target = this.ranges.find((b) => at >= b.start && at < b.end)?.acc;
    if (!target) return this.skip(SkipReason.OUTSIDE_PERIODS);
    // A quarter's line also counts in its month.
    const month = target === this.current ? this.monthRanges.find((b) => at >= b.start && at < b.end)?.acc : undefined;
    const accs = month ? [target, month] : [target];
    if (type === RecordType.EVALUATION) {
      for (const acc of accs) acc.addEvaluation(r);
      this.summed.evaluations++;
      return;
    }
    const state = { repaired: false };
    const values: CallValues = {
      cost: amount(r[M.COST_USD.name], state),
      input: amount(r[M.INPUT_TOKENS.name], state),
      output: amount(r[M.OUTPUT_TOKENS.name], state),
      cacheRead: amount(r[M.CACHE_READ_TOKENS.name], state),
      cacheWrite: amount(r[M.CACHE_WRITE_TOKENS.name], state),
      modelErrors: amount(r[M.MODEL_ERRORS.name], state),
      appErrors: amount(r[M.APP_ERRORS.name], state),
      throttles: amount(r[M.THROTTLES.name], state),
      latency: amount(r[M.LATENCY_MS.name], state),
    };
    const dayIndex = Math.floor(at / DAY_MS);
    for (const acc of accs) acc.addCall(r, dayIndex, values);
    if (state.repaired) this.skipped[SkipReason.REPAIRED_NUMBER] = (this.skipped[SkipReason.REPAIRED_NUMBER] ?? 0) + 1;
    this.summed.calls++;
  }

  public result(): LocalAggregates {
    return {
      current: this.current.aggregates(OFFLINE),
      previous: this.previous.aggregates(OFFLINE),
      months: this.months.map((m) => m.aggregates(OFFLINE)),
      lines: this.lines,
      summed: { ...this.summed },
      skipped: { ...this.skipped },
    };
  }

  private skip(reason: SkipReason): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }
}

/*
 * The governance report function's pure parts: what an invocation asks for, where the files go,
 * retry delays, and what the run's own queries cost (alarm history into episodes is in
 * lib/reporting/alarm-history.ts, which the local command shares).
 */
import { ReportListPrices } from '../../lib/pricing/monitoring-cost';
import { QueryCost, ReportPeriod } from '../../lib/reporting/aggregates';
import { lastFullMonth, monthsOf, parsePeriod, previousPeriod, ReportPeriodError } from '../../lib/reporting/period';

/** Thrown for an invocation event the function cannot act on. */
export class InvalidReportEvent extends Error {}

/** What one invocation produces. */
export interface ReportRequest {
  readonly period: ReportPeriod;
  readonly previous: ReportPeriod;
  /** The three months of a quarter; empty for a month. */
  readonly months: ReportPeriod[];
  /** Notify even when this period was already notified. */
  readonly force: boolean;
}

const EVENT_KEYS = ['period', 'quarter', 'force'];

/**
 * `{}` (the monthly schedule: the last full month before `now`), `{ "period": "2026-10" }`,
 * `{ "quarter": "2026-Q4" }`, `{ "quarter": "last" }` (the quarterly schedule: the last full
 * quarter before `now`), each with an optional `"force": true`. Anything else is refused
 * with the reason; a period that has not ended yet is refused too (its report would be partial).
 */
export function parseReportEvent(event: unknown, now: Date): ReportRequest {
  const usage = 'expected {} (the last full month), {"period":"YYYY-MM"}, {"quarter":"YYYY-Qn"} or {"quarter":"last"}, with an optional "force": true';
  if (event === null || event === undefined) event = {};
  if (typeof event !== 'object' || Array.isArray(event)) throw new InvalidReportEvent(`invalid event ${JSON.stringify(event)}: ${usage}`);
  const fields = event as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !EVENT_KEYS.includes(key));
  if (unknown.length > 0) throw new InvalidReportEvent(`invalid event: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; ${usage}`);
  if (fields.force !== undefined && typeof fields.force !== 'boolean') throw new InvalidReportEvent(`invalid event: "force" must be true or false; ${usage}`);
  if (fields.period !== undefined && fields.quarter !== undefined) throw new InvalidReportEvent(`invalid event: give "period" or "quarter", not both; ${usage}`);
  let period: ReportPeriod;
  try {
    if (fields.quarter === 'last') {
      period = previousPeriod(parsePeriod(`${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`));
    } else if (fields.quarter !== undefined) {
      if (typeof fields.quarter !== 'string' || !/^\d{4}-Q[1-4]$/.test(fields.quarter)) throw new ReportPeriodError(`"quarter" ${JSON.stringify(fields.quarter)} is not a quarter such as 2026-Q4`);
      period = parsePeriod(fields.quarter);
    } else if (fields.period !== undefined) {
      if (typeof fields.period !== 'string' || !/^\d{4}-\d{2}$/.test(fields.period)) throw new ReportPeriodError(`"period" ${JSON.stringify(fields.period)} is not a month such as 2026-10 (use "quarter" for 2026-Q4)`);
      period = parsePeriod(fields.period);
    } else {
      period = lastFullMonth(now);
    }
  } catch (error) {
    throw new InvalidReportEvent(`invalid event: ${(error as Error).message}`);
  }
  if (Date.parse(period.end) > now.getTime()) {
    throw new InvalidReportEvent(`invalid event: ${period.id} ends ${period.end}, after now (${now.toISOString()}): only a finished period can be reported`);
  }
  return { period, previous: previousPeriod(period), months: period.kind === 'quarter' ? monthsOf(period) : [], force: fields.force === true };
}

/** Where a period's files are written: the same keys on every rerun. */
export function reportKey(periodId: string, name: string): string {
  return `reports/${periodId}/${name}`;
}

/** The object whose presence says the period was notified. */
export function notifiedMarkerKey(periodId: string): string {
  return reportKey(periodId, '.notified');
}

/** Full jitter: a random delay below min(cap, base x 2^attempt). */
export function backoffMs(attempt: number, random: () => number, baseMs = 500, capMs = 20_000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/** Errors AWS APIs answer for rate and concurrency limits: worth a retry after a pause. */
const RETRYABLE = new Set([
  'ThrottlingException', 'Throttling', 'LimitExceededException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'ServiceUnavailableException', 'ServiceUnavailable', 'InternalServerError',
]);

export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown } | undefined;
  return Boolean(e && (RETRYABLE.has(e.name ?? '') || e.$retryable));
}

/** An error as a client reads it: the service's code and message, no stack. */
export function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string } | undefined;
  if (!e) return 'unknown error';
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message ?? ''}`.trim() : e.message ?? String(error);
}

/** Counts what one period's gathering asked of AWS. */
export class QueryMeter {
  private readonly calls = new Map<string, number>();
  private bytes = 0;
  private metrics = 0;

  public call(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
  }

  public scanned(bytes: number): void {
    this.bytes += bytes;
  }

  public metricsRequested(count: number): void {
    this.metrics += count;
  }

  public count(operation: string): number {
    return this.calls.get(operation) ?? 0;
  }

  public cost(): QueryCost {
    const gb = this.bytes / 1e9;
    const P = ReportListPrices;
    const usd = gb * P.LOGS_INSIGHTS_USD_PER_GB_SCANNED
      + (this.metrics / 1000) * P.METRIC_DATA_USD_PER_1000_METRICS
      + this.count('ce:GetCostAndUsage') * P.COST_EXPLORER_USD_PER_REQUEST;
    return {
      logsInsightsGbScanned: Math.round(gb * 1e6) / 1e6,
      apiCalls: Object.fromEntries([...this.calls.entries()].sort(([a], [b]) => a.localeCompare(b))),
      estimatedUsd: Math.round(usd * 1e4) / 1e4,
    };
  }
}

/** The two sums every split result is checked on. */
export interface CallsAndCost {
  readonly calls: number;
  readonly costUsd: number;
}

/** Whether parts add up to a total: calls exactly, cost to the cent. */
export function sumsMatch(parts: CallsAndCost[], total: CallsAndCost): boolean {
  const calls = parts.reduce((sum, p) => sum + p.calls, 0);
  const cost = parts.reduce((sum, p) => sum + p.costUsd, 0);
  return calls === total.calls && Math.abs(cost - total.costUsd) < 0.005;
}


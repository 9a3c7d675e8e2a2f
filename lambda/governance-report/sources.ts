/*
 * The report's data sources, as thin adapters over injected SDK v3 clients: Logs Insights over the
 * client's telemetry log groups, AWS/Bedrock Invocations by GetMetricData, alarm history, and
 * Cost Explorer. Each source that fails (after retries) is marked incomplete with the reason, and
 * the others go on; nothing becomes a silent zero.
 */
import {
  CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, HistoryItemType, MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetQueryResultsCommand, QueryStatus, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { backoffMs, describeError, isRetryable, QueryMeter, sumsMatch } from './core';
import {
  ALL_TENANTS, dailyUsageOf, distributionOf, distributionsQuery, evaluationOf, evaluationsQuery, LOGS_INSIGHTS, logGroupBatches,
  mergeEvaluations, Row, splitTenantRange, TenantRange, tenantRangeRegex, tenantsQuery, tenantUsageOf, TimeSlice, totalsQuery, usageQuery,
} from './queries';
import { ClientConfig } from '../../lib/config/types';
import { ModelProvider } from '../../lib/pricing/price-catalog';
import {
  addUsage, AlarmEpisode, BedrockInvocations, BilledSpend, DailyUsage, EvaluationSums, PeriodAggregates, ReportPeriod,
  ReportSource, RouteDistribution, SourceStatus, TenantUsage, UsageSums,
} from '../../lib/reporting/aggregates';
import { AlarmRecord, AlarmStateChange, alarmEpisodes } from '../../lib/reporting/alarm-history';

/** The SDK clients the sources call (anything with `send`: real clients or mocks). */
export interface SourceClients {
  readonly logs: Pick<CloudWatchLogsClient, 'send'>;
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
  readonly costExplorer: Pick<CostExplorerClient, 'send'>;
}

/** Time, randomness and limits, injected so tests run instantly and deterministically. */
export interface SourceOptions {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => Date;
  /** Epoch ms after which no query is waited for (the function's own timeout, less a margin). */
  readonly deadlineMs: number;
  /**
   * Attempts of one throttled call before its source is given up.
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Logs Insights queries of one period before its remaining sources are given up: the bound on
   * what a report can scan (each query scans the period's telemetry once).
   * @default 200
   */
  readonly maxQueries?: number;
  /**
   * Queries running at once (the account allows 100 concurrent Logs Insights queries, shared with its users).
   * @default 4
   */
  readonly concurrency?: number;
}

/** A source failed in a way the client can read in the report. */
class SourceError extends Error {}

const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_MAX_QUERIES = 200;
const DEFAULT_CONCURRENCY = 4;
/** GetMetricData takes at most 500 queries a call. */
const METRIC_QUERIES_PER_CALL = 500;
const DAY_MS = 86_400_000;
/** CloudWatch keeps alarm history for 30 days. */
const ALARM_HISTORY_DAYS = 30;
const BEDROCK_SERVICE = 'Amazon Bedrock';

/** A semaphore: at most `limit` tasks at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** One period's gathering: its meter, retries and query runner. */
class Gatherer {
  public readonly meter = new QueryMeter();
  private readonly maxAttempts: number;
  private readonly maxQueries: number;
  private readonly slot: <T>(task: () => Promise<T>) => Promise<T>;
  private queries = 0;

  public constructor(private readonly clients: SourceClients, private readonly options: SourceOptions) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.maxQueries = options.maxQueries ?? DEFAULT_MAX_QUERIES;
    this.slot = limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  public now(): Date {
    return this.options.now();
  }

  /** One API call, retried with backoff and full jitter while it is throttled. */
  public async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.meter.call(operation);
      try {
        return await send();
      } catch (error) {
        if (!isRetryable(error)) throw new SourceError(`${operation} failed: ${describeError(error)}`);
        if (attempt + 1 >= this.maxAttempts) {
          throw new SourceError(`${operation} was still throttled after ${this.maxAttempts} attempts with backoff (${describeError(error)}); rerun the report later`);
        }
        await this.options.sleep(backoffMs(attempt, this.options.random));
      }
    }
  }

  /** Runs one Logs Insights query to completion and returns its rows. */
  public async query(logGroupNames: string[], slice: TimeSlice, queryString: string): Promise<Row[]> {
    if (++this.queries > this.maxQueries) {
      throw new SourceError(`the report's bound of ${this.maxQueries} Logs Insights queries per period was reached; raise it only knowing each query scans the month's telemetry`);
    }
    return this.slot(async () => {
      const started = await this.call('logs:StartQuery', () => this.clients.logs.send(new StartQueryCommand({
        logGroupNames,
        // Whole seconds covering the slice; the query's own filter bounds it to the millisecond.
        startTime: Math.floor(slice.startMs / 1000),
        endTime: Math.ceil(slice.endMs / 1000),
        queryString,
        limit: LOGS_INSIGHTS.MAX_ROWS,
      })));
      const queryId = started.queryId!;
      for (let poll = 0; ; poll++) {
        if (this.now().getTime() > this.options.deadlineMs) {
          await this.call('logs:StopQuery', () => this.clients.logs.send(new StopQueryCommand({ queryId }))).catch(() => undefined);
          throw new SourceError('a Logs Insights query did not finish before the report function\'s timeout');
        }
        const result = await this.call('logs:GetQueryResults', () => this.clients.logs.send(new GetQueryResultsCommand({ queryId })));
        const status = result.status;
        if (status === QueryStatus.Complete) {
          this.meter.scanned(result.statistics?.bytesScanned ?? 0);
          return (result.results ?? []).map((fields) => Object.fromEntries(fields
            .filter((f) => f.field !== undefined && f.field !== '@ptr')
            .map((f) => [f.field!, f.value ?? ''])));
        }
        if (status !== QueryStatus.Running && status !== QueryStatus.Scheduled) {
          this.meter.scanned(result.statistics?.bytesScanned ?? 0);
          throw new SourceError(`a Logs Insights query ended ${status ?? 'without a status'}`);
        }
        // Polls back off from 0.5 s to 10 s: short queries return fast, long ones cost few calls.
        await this.options.sleep(Math.min(10_000, 500 * 1.5 ** poll));
      }
    });
  }
}

function usageKey(row: DailyUsage): string {
  return JSON.stringify([row.day, row.agent, row.route, row.model, row.provider]);
}

/** Adds rows of the same key (the same slice read from disjoint log groups or time ranges). */
function mergeUsage<T extends UsageSums>(rows: T[], keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const seen = byKey.get(keyOf(row));
    if (seen) addUsage(seen as { -readonly [K in keyof UsageSums]: number }, row);
    else byKey.set(keyOf(row), { ...row });
  }
  return [...byKey.values()];
}

function sliceOf(period: ReportPeriod): TimeSlice {
  return { startMs: Date.parse(period.start), endMs: Date.parse(period.end) };
}

/** Halves a slice on a UTC day boundary, or undefined for a single day. */
function halveByDay(slice: TimeSlice): [TimeSlice, TimeSlice] | undefined {
  const days = Math.round((slice.endMs - slice.startMs) / DAY_MS);
  if (days < 2) return undefined;
  const mid = slice.startMs + Math.floor(days / 2) * DAY_MS;
  return [{ startMs: slice.startMs, endMs: mid }, { startMs: mid, endMs: slice.endMs }];
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Rows of an additive query, the slice halved by days until each part returns fewer than 10,000 rows. */
async function splitByTime(g: Gatherer, logGroups: string[], slice: TimeSlice, build: (s: TimeSlice) => string, what: string): Promise<Row[]> {
  const rows = await g.query(logGroups, slice, build(slice));
  if (rows.length < LOGS_INSIGHTS.MAX_ROWS) return rows;
  const halves = halveByDay(slice);
  if (!halves) throw new SourceError(`${what} of ${dayOf(slice.startMs)} alone has 10,000 rows or more (Logs Insights' limit per query); not truncated, left out`);
  return [...await splitByTime(g, logGroups, halves[0], build, what), ...await splitByTime(g, logGroups, halves[1], build, what)];
}

/** Every tenant's sums: the tenant ranges split until each part returns fewer than 10,000 rows. */
async function tenantsOfRange(g: Gatherer, logGroups: string[], slice: TimeSlice, range: TenantRange): Promise<TenantUsage[]> {
  const rows = await g.query(logGroups, slice, tenantsQuery(slice, range));
  if (rows.length < LOGS_INSIGHTS.MAX_ROWS) return rows.map(tenantUsageOf);
  const parts = splitTenantRange(range);
  if (!parts) throw new SourceError(`10,000 or more tenant ids match /${tenantRangeRegex(range)}/ and differ only in characters outside printable ASCII; tenants not truncated, left out`);
  const results = await Promise.all(parts.map((part) => tenantsOfRange(g, logGroups, slice, part)));
  return results.flat();
}

/**
 * Every tenant's sums. Unsplit, calls without a tenant come back as one row without the field;
 * once split, the ranges (regular expressions on the field) skip them, so they are queried apart.
 */
async function allTenants(g: Gatherer, logGroups: string[], slice: TimeSlice): Promise<TenantUsage[]> {
  const rows = await g.query(logGroups, slice, tenantsQuery(slice, ALL_TENANTS));
  if (rows.length < LOGS_INSIGHTS.MAX_ROWS) return rows.map(tenantUsageOf);
  const [withTenant, without] = await Promise.all([
    Promise.all(splitTenantRange(ALL_TENANTS)!.map((part) => tenantsOfRange(g, logGroups, slice, part))),
    g.query(logGroups, slice, tenantsQuery(slice, 'none')),
  ]);
  return [...withTenant.flat(), ...without.map(tenantUsageOf)];
}

interface Totals {
  readonly calls: number;
  readonly costUsd: number;
}

function failed(error: unknown): SourceStatus {
  return { complete: false, reason: error instanceof SourceError ? error.message : describeError(error) };
}

function formatTotals(t: Totals): string {
  return `${t.calls.toLocaleString('en-US')} calls / $${t.costUsd.toFixed(2)}`;
}

/** Every source: what the reported period needs. */
export const ALL_SOURCES: ReadonlySet<ReportSource> = new Set(Object.values(ReportSource));

/** The sources the period before needs: its daily usage, for month-over-month change and why spend moved. */
export const PREVIOUS_PERIOD_SOURCES: ReadonlySet<ReportSource> = new Set([ReportSource.USAGE]);

/** The sources a quarter's months need for the trends: cost, calls, p95, pass rate, Bedrock coverage. */
export const TREND_SOURCES: ReadonlySet<ReportSource> = new Set([
  ReportSource.USAGE, ReportSource.DISTRIBUTIONS, ReportSource.EVALUATIONS, ReportSource.BEDROCK_METRICS,
]);

const NOT_NEEDED: SourceStatus = { complete: false, reason: 'not read: this period\'s report does not use it' };

/** Runs `read` when the source is needed; otherwise nothing is queried and nothing is paid for. */
function ifNeeded<T>(needs: ReadonlySet<ReportSource>, source: ReportSource, read: () => Promise<T>, none: T): Promise<T> {
  return needs.has(source) ? read() : Promise.resolve(none);
}

/** Usage, tenants, distributions and evaluations from Logs Insights (those `needs` names). */
async function fromLogsInsights(g: Gatherer, config: ClientConfig, period: ReportPeriod, needs: ReadonlySet<ReportSource>) {
  const slice = sliceOf(period);
  const batches = logGroupBatches(config.agents);
  const sources: Partial<Record<ReportSource, SourceStatus>> = {};

  const totalsPromise = Promise.all(batches.map((b) => g.query(b.logGroups, slice, totalsQuery(slice))))
    .then((results) => results.flat().reduce<Totals>((sum, row) => ({
      calls: sum.calls + Number(row.calls ?? 0),
      costUsd: sum.costUsd + Number(row.costUsd ?? 0),
    }), { calls: 0, costUsd: 0 }));

  const usagePromise = Promise.all(batches.map((b) => splitByTime(g, b.logGroups, slice, usageQuery, 'the usage by agent, route, model and provider')))
    .then((results) => mergeUsage(results.flat().map(dailyUsageOf), usageKey));

  const tenantsPromise = ifNeeded(needs, ReportSource.TENANTS, () => Promise.all(batches.map((b) => allTenants(g, b.logGroups, slice)))
    .then((results) => mergeUsage(results.flat(), (row) => row.tenant)), []);

  const agentBatches = new Map<string, number>();
  batches.forEach((b) => {
    for (const agent of config.agents) {
      if (agent.logGroups.some((group) => b.logGroups.includes(group))) agentBatches.set(agent.id, (agentBatches.get(agent.id) ?? 0) + 1);
    }
  });
  const spread = config.agents.filter((a) => (agentBatches.get(a.id) ?? 0) > 1).map((a) => a.id);
  const distributionsPromise = ifNeeded(needs, ReportSource.DISTRIBUTIONS, () => Promise.all(batches.map(async (b) => {
    const agents = b.agents.filter((a) => !spread.includes(a));
    return agents.length === 0 ? [] : distributionsOf(g, b.logGroups, slice, agents);
  })).then((results) => results.flat()), []);

  const evaluationsPromise = ifNeeded(needs, ReportSource.EVALUATIONS, () => Promise.all(
    batches.map((b) => splitByTime(g, b.logGroups, slice, evaluationsQuery, 'the evaluation sums')),
  ).then((results) => mergeEvaluations(results.flat().map(evaluationOf))), []);

  const [totals, usage, tenants, distributions, evaluations] = await Promise.allSettled([
    totalsPromise, usagePromise, tenantsPromise, distributionsPromise, evaluationsPromise,
  ]);

  let daily: DailyUsage[] = [];
  if (usage.status === 'fulfilled') {
    daily = usage.value;
    sources[ReportSource.USAGE] = { complete: true };
    if (totals.status === 'fulfilled' && !sumsMatch(daily, totals.value)) {
      sources[ReportSource.USAGE] = { complete: false, reason: `the usage rows add up to ${formatTotals(sumOf(daily))} but the period's totals are ${formatTotals(totals.value)}` };
    }
  } else {
    sources[ReportSource.USAGE] = failed(usage.reason);
  }

  let tenantRows: TenantUsage[] = [];
  if (tenants.status === 'fulfilled') {
    tenantRows = tenants.value;
    if (totals.status !== 'fulfilled') {
      sources[ReportSource.TENANTS] = { complete: false, reason: `the tenants could not be checked against the period's totals: ${failed(totals.reason).reason}` };
    } else if (!sumsMatch(tenantRows, totals.value)) {
      sources[ReportSource.TENANTS] = { complete: false, reason: `the ${tenantRows.length.toLocaleString('en-US')} tenants add up to ${formatTotals(sumOf(tenantRows))} but the period's totals are ${formatTotals(totals.value)}` };
    } else {
      sources[ReportSource.TENANTS] = { complete: true };
    }
  } else {
    sources[ReportSource.TENANTS] = failed(tenants.reason);
  }

  let routeDistributions: RouteDistribution[] = [];
  if (distributions.status === 'fulfilled') {
    routeDistributions = distributions.value;
    sources[ReportSource.DISTRIBUTIONS] = spread.length === 0 ? { complete: true } : {
      complete: false,
      reason: `no true percentiles for agent${spread.length > 1 ? 's' : ''} ${spread.join(', ')}: ${spread.length > 1 ? 'their' : 'its'} log groups do not fit in one query of at most ${LOGS_INSIGHTS.MAX_LOG_GROUPS} log groups`,
    };
  } else {
    sources[ReportSource.DISTRIBUTIONS] = failed(distributions.reason);
  }

  let evaluationSums: EvaluationSums[] = [];
  if (evaluations.status === 'fulfilled') {
    evaluationSums = evaluations.value;
    sources[ReportSource.EVALUATIONS] = { complete: true };
  } else {
    sources[ReportSource.EVALUATIONS] = failed(evaluations.reason);
  }
  for (const source of [ReportSource.TENANTS, ReportSource.DISTRIBUTIONS, ReportSource.EVALUATIONS]) {
    if (!needs.has(source)) sources[source] = NOT_NEEDED;
  }
  return { daily, tenants: tenantRows, distributions: routeDistributions, evaluations: evaluationSums, sources };
}

function sumOf(rows: UsageSums[]): Totals {
  return rows.reduce<Totals>((sum, row) => ({ calls: sum.calls + row.calls, costUsd: sum.costUsd + row.costUsd }), { calls: 0, costUsd: 0 });
}

/** Percentiles per route for some agents; halves the agent list if a query overflows. */
async function distributionsOf(g: Gatherer, logGroups: string[], slice: TimeSlice, agents: string[]): Promise<RouteDistribution[]> {
  const rows = await g.query(logGroups, slice, distributionsQuery(slice, agents));
  if (rows.length < LOGS_INSIGHTS.MAX_ROWS) return rows.map(distributionOf);
  if (agents.length === 1) throw new SourceError(`agent ${agents[0]} has 10,000 routes or more in its telemetry; percentiles left out`);
  const mid = Math.ceil(agents.length / 2);
  return [...await distributionsOf(g, logGroups, slice, agents.slice(0, mid)), ...await distributionsOf(g, logGroups, slice, agents.slice(mid))];
}

/** Calls AWS/Bedrock counted per configured Bedrock model over the period. */
async function bedrockInvocations(g: Gatherer, clients: SourceClients, config: ClientConfig, period: ReportPeriod): Promise<BedrockInvocations[]> {
  const models = [...new Set(config.models.filter((m) => m.provider === ModelProvider.AWS_BEDROCK).map((m) => m.modelId))];
  const totals = new Map<string, number>(models.map((m) => [m, 0]));
  for (let i = 0; i < models.length; i += METRIC_QUERIES_PER_CALL) {
    const batch = models.slice(i, i + METRIC_QUERIES_PER_CALL);
    const queries: MetricDataQuery[] = batch.map((model, j) => ({
      Id: `m${i + j}`,
      ReturnData: true,
      MetricStat: {
        Metric: { Namespace: 'AWS/Bedrock', MetricName: 'Invocations', Dimensions: [{ Name: 'ModelId', Value: model }] },
        // Daily sums: within GetMetricData's datapoint limit and the 455 days of hourly data.
        Period: 86_400,
        Stat: 'Sum',
      },
    }));
    let NextToken: string | undefined;
    do {
      g.meter.metricsRequested(queries.length);
      const page = await g.call('cloudwatch:GetMetricData', () => clients.cloudwatch.send(new GetMetricDataCommand({
        MetricDataQueries: queries, StartTime: new Date(period.start), EndTime: new Date(period.end), NextToken,
      })));
      for (const result of page.MetricDataResults ?? []) {
        const model = models[Number(result.Id!.slice(1))];
        totals.set(model, (totals.get(model) ?? 0) + (result.Values ?? []).reduce((sum, v) => sum + v, 0));
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return models.map((model) => ({ model, invocations: totals.get(model) ?? 0 }));
}

/** The client's alarms (named `<client>-...`) and their state changes since the period's start. */
async function alarmHistory(g: Gatherer, clients: SourceClients, config: ClientConfig, period: ReportPeriod): Promise<AlarmEpisode[]> {
  const records: { alarmName: string; description?: string; state: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await g.call('cloudwatch:DescribeAlarms', () => clients.cloudwatch.send(new DescribeAlarmsCommand({
      AlarmNamePrefix: `${config.clientId}-`, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken,
    })));
    for (const alarm of [...page.MetricAlarms ?? [], ...page.CompositeAlarms ?? []]) {
      records.push({ alarmName: alarm.AlarmName!, description: alarm.AlarmDescription, state: alarm.StateValue ?? 'OK' });
    }
    NextToken = page.NextToken;
  } while (NextToken);

  const histories = await Promise.all(records.map(async (record): Promise<AlarmRecord> => {
    const changes: AlarmStateChange[] = [];
    let next: string | undefined;
    do {
      const page = await g.call('cloudwatch:DescribeAlarmHistory', () => clients.cloudwatch.send(new DescribeAlarmHistoryCommand({
        AlarmName: record.alarmName,
        HistoryItemType: HistoryItemType.StateUpdate,
        StartDate: new Date(period.start),
        EndDate: g.now(),
        NextToken: next,
      })));
      for (const item of page.AlarmHistoryItems ?? []) {
        const data = JSON.parse(item.HistoryData ?? '{}');
        changes.push({ at: item.Timestamp!, oldState: data.oldState?.stateValue ?? '', newState: data.newState?.stateValue ?? '' });
      }
      next = page.NextToken;
    } while (next);
    return { ...record, changes };
  }));
  return histories.flatMap((record) => alarmEpisodes(record, period, config.clientId, config.agents));
}

/** What Cost Explorer billed for Amazon Bedrock over the period. */
async function billedBedrock(g: Gatherer, clients: SourceClients, period: ReportPeriod): Promise<BilledSpend> {
  let bedrockUsd = 0;
  let NextPageToken: string | undefined;
  do {
    const page = await g.call('ce:GetCostAndUsage', () => clients.costExplorer.send(new GetCostAndUsageCommand({
      TimePeriod: { Start: period.start.slice(0, 10), End: period.end.slice(0, 10) },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'SERVICE', Values: [BEDROCK_SERVICE] } },
      NextPageToken,
    })));
    for (const result of page.ResultsByTime ?? []) bedrockUsd += Number(result.Total?.UnblendedCost?.Amount ?? 0);
    NextPageToken = page.NextPageToken;
  } while (NextPageToken);
  return { bedrockUsd };
}

/**
 * What the report reads about one period, each source complete or marked with its reason. Only
 * the sources in `needs` are queried (usage always is): the period before needs its usage alone.
 */
export async function gatherPeriod(
  clients: SourceClients, options: SourceOptions, config: ClientConfig, period: ReportPeriod, needs: ReadonlySet<ReportSource> = ALL_SOURCES,
): Promise<PeriodAggregates> {
  const g = new Gatherer(clients, options);
  const [logs, invocations, alarms, billed] = await Promise.allSettled([
    fromLogsInsights(g, config, period, needs),
    ifNeeded(needs, ReportSource.BEDROCK_METRICS, () => bedrockInvocations(g, clients, config, period), undefined),
    ifNeeded(needs, ReportSource.ALARMS, () => alarmHistory(g, clients, config, period), undefined),
    ifNeeded(needs, ReportSource.BILLING, () => billedBedrock(g, clients, period), undefined),
  ]);
  const logsResult = logs.status === 'fulfilled' ? logs.value : undefined;
  const logsFailure = logs.status === 'rejected' ? failed(logs.reason) : undefined;

  const historyFrom = options.now().getTime() - ALARM_HISTORY_DAYS * DAY_MS;
  const alarmStatus: SourceStatus = !needs.has(ReportSource.ALARMS)
    ? NOT_NEEDED
    : alarms.status === 'rejected'
      ? failed(alarms.reason)
      : Date.parse(period.start) < historyFrom
        ? { complete: false, reason: `CloudWatch keeps alarm history for ${ALARM_HISTORY_DAYS} days: episodes before ${new Date(historyFrom).toISOString().slice(0, 16)}Z are missing` }
        : { complete: true };
  const statusOf = (source: ReportSource, result: PromiseSettledResult<unknown>): SourceStatus =>
    (!needs.has(source) ? NOT_NEEDED : result.status === 'fulfilled' ? { complete: true } : failed(result.reason));
  const value = <T>(result: PromiseSettledResult<T | undefined>): T | undefined => (result.status === 'fulfilled' ? result.value : undefined);
  const [alarmEpisodesRead, billedRead, invocationsRead] = [value(alarms), value(billed), value(invocations)];

  const sources = {
    [ReportSource.USAGE]: logsResult?.sources[ReportSource.USAGE] ?? logsFailure!,
    [ReportSource.TENANTS]: logsResult?.sources[ReportSource.TENANTS] ?? logsFailure!,
    [ReportSource.DISTRIBUTIONS]: logsResult?.sources[ReportSource.DISTRIBUTIONS] ?? logsFailure!,
    [ReportSource.EVALUATIONS]: logsResult?.sources[ReportSource.EVALUATIONS] ?? logsFailure!,
    [ReportSource.ALARMS]: alarmStatus,
    [ReportSource.BILLING]: statusOf(ReportSource.BILLING, billed),
    [ReportSource.BEDROCK_METRICS]: statusOf(ReportSource.BEDROCK_METRICS, invocations),
  };
  return {
    period,
    daily: logsResult?.daily ?? [],
    tenants: logsResult?.tenants ?? [],
    distributions: logsResult?.distributions ?? [],
    evaluations: logsResult?.evaluations ?? [],
    ...(alarmEpisodesRead ? { alarms: alarmEpisodesRead } : {}),
    ...(billedRead ? { billed: billedRead } : {}),
    ...(invocationsRead ? { bedrockInvocations: invocationsRead } : {}),
    sources,
    queryCost: g.meter.cost(),
  };
}

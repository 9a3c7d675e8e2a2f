/*
 * A stand-in for Logs Insights behind aws-sdk-client-mock: it runs the report's query shapes
 * (lambda/governance-report/queries.ts) over in-memory records the way the service does, and
 * enforces its limits: at most 50 log groups a query and at most 10,000 rows a result. It reads
 * the query text, so a query the report changes without teaching this stand-in fails loudly.
 */
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { TelemetryMetrics as M } from '../../lib/telemetry/contract';

/** One telemetry line as the report reads it; `at` is epoch ms. */
export interface FakeRecord {
  readonly logGroup: string;
  readonly at: number;
  readonly [field: string]: string | number | undefined;
}

export const BYTES_PER_RECORD = 1150;

interface FakeQuery {
  readonly rows: Record<string, string>[];
  readonly bytesScanned: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sum = (records: FakeRecord[], field: string) => records.reduce((s, r) => s + (typeof r[field] === 'number' ? r[field] as number : 0), 0);

function usageColumns(records: FakeRecord[]): Record<string, string> {
  const failed = records.filter((r) => r.outcome !== 'ok');
  return {
    calls: String(records.length),
    costUsd: String(sum(records, M.COST_USD.name)),
    inputTokens: String(sum(records, M.INPUT_TOKENS.name)),
    outputTokens: String(sum(records, M.OUTPUT_TOKENS.name)),
    cacheReadTokens: String(sum(records, M.CACHE_READ_TOKENS.name)),
    cacheWriteTokens: String(sum(records, M.CACHE_WRITE_TOKENS.name)),
    modelErrors: String(sum(records, M.MODEL_ERRORS.name)),
    appErrors: String(sum(records, M.APP_ERRORS.name)),
    throttles: String(sum(records, M.THROTTLES.name)),
    failedCostUsd: String(sum(failed, M.COST_USD.name)),
  };
}

function groupBy(records: FakeRecord[], keys: string[]): Map<string, FakeRecord[]> {
  const groups = new Map<string, FakeRecord[]>();
  for (const r of records) {
    const key = JSON.stringify(keys.map((k) => (k === 'day' ? new Date(r.at).toISOString().slice(0, 10) : r[k] ?? null)));
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return groups;
}

function keyed(key: string, names: string[]): Record<string, string> {
  const values = JSON.parse(key) as (string | number | null)[];
  const row: Record<string, string> = {};
  names.forEach((name, i) => {
    if (values[i] === null) return;
    row[name] = name === 'day' ? `${values[i]} 00:00:00.000` : String(values[i]);
  });
  return row;
}

/** Runs one of the report's queries over the records. */
export function runQuery(records: FakeRecord[], queryString: string): Record<string, string>[] {
  const recordType = /recordType = "([^"]+)"/.exec(queryString)?.[1];
  const from = Number(/toMillis\(@timestamp\) >= (\d+)/.exec(queryString)?.[1]);
  const to = Number(/toMillis\(@timestamp\) < (\d+)/.exec(queryString)?.[1]);
  if (!recordType || !Number.isFinite(from) || !Number.isFinite(to)) throw new Error(`fake Logs Insights: no record type or time bounds in\n${queryString}`);
  const tenantRegex = /tenant =~ \/(.*)\/\n/.exec(queryString)?.[1];
  const agents = /agent in \[([^\]]*)\]/.exec(queryString)?.[1];
  const agentList = agents === undefined ? undefined : JSON.parse(`[${agents}]`) as string[];
  const matcher = tenantRegex === undefined ? undefined : new RegExp(tenantRegex);
  const selected = records.filter((r) => r.recordType === recordType && r.at >= from && r.at < to
    && (!queryString.includes('not ispresent(tenant)') || r.tenant === undefined)
    && (matcher === undefined || (r.tenant !== undefined && matcher.test(String(r.tenant))))
    && (agentList === undefined || agentList.includes(String(r.agent))));
  const by = /\bby ([^\n]+)/.exec(queryString)?.[1]?.split(',').map((s) => s.trim());

  if (!by) return [{ calls: String(selected.length), costUsd: String(sum(selected, M.COST_USD.name)) }];
  const groups = groupBy(selected, by);
  if (by.join() === 'day,agent,route,model,provider' || by.join() === 'tenant') {
    return [...groups].map(([key, group]) => ({ ...keyed(key, by), ...usageColumns(group) }));
  }
  if (by.join() === 'agent,route') {
    return [...groups].map(([key, group]) => {
      const latency = group.map((r) => Number(r.latencyMs));
      const output = group.map((r) => Number(r.outputTokens));
      return {
        ...keyed(key, by),
        calls: String(group.length),
        latencyP50Ms: String(percentile(latency, 50)),
        latencyP95Ms: String(percentile(latency, 95)),
        latencyP99Ms: String(percentile(latency, 99)),
        outputTokensP50: String(percentile(output, 50)),
        outputTokensP95: String(percentile(output, 95)),
        outputTokensP99: String(percentile(output, 99)),
        outputTokensMax: String(Math.max(...output)),
      };
    });
  }
  if (by.join() === 'agent,route,model,variant,evaluator,weighted') {
    const withWeight = groupBy(selected.map((r) => ({ ...r, weighted: r.sampleWeight === undefined ? 0 : 1 })), by);
    return [...withWeight].map(([key, group]) => {
      const verdicts = group.filter((r) => r.evaluationPassed !== undefined);
      const scores = group.filter((r) => r.evaluationScore !== undefined);
      const w = (r: FakeRecord) => Number(r.sampleWeight);
      return {
        ...keyed(key, by),
        verdicts: String(verdicts.length),
        scores: String(scores.length),
        passes: String(sum(verdicts, M.EVALUATION_PASSED.name)),
        scoreSum: String(sum(scores, M.EVALUATION_SCORE.name)),
        weightedVerdicts: String(verdicts.reduce((s, r) => s + (w(r) || 0), 0)),
        weightedPasses: String(verdicts.reduce((s, r) => s + (w(r) || 0) * Number(r.evaluationPassed), 0)),
        weightedScoreSum: String(scores.reduce((s, r) => s + (w(r) || 0) * Number(r.evaluationScore), 0)),
        weightedScoreWeight: String(scores.reduce((s, r) => s + (w(r) || 0), 0)),
      };
    });
  }
  throw new Error(`fake Logs Insights: unknown grouping "by ${by.join(', ')}"`);
}

/** Logs Insights over `records`, answering StartQuery / GetQueryResults through aws-sdk-client-mock. */
export class FakeLogsInsights {
  public readonly client = new CloudWatchLogsClient({ region: 'us-east-1' });
  public readonly mock: AwsStub<any, any, any>;
  /** Every query started, with the rows it returned before the cap. */
  public readonly started: { queryString: string; logGroupNames: string[]; rowsBeforeCap: number }[] = [];
  /** GetQueryResults answers `Running` this many times before `Complete`. */
  public runningPolls = 1;
  private readonly queries = new Map<string, FakeQuery & { polls: number }>();

  public constructor(private readonly records: FakeRecord[]) {
    this.mock = mockClient(this.client);
    this.mock.on(StartQueryCommand).callsFake((input) => {
      if (input.logGroupNames.length > 50) throw Object.assign(new Error('at most 50 log groups'), { name: 'InvalidParameterException' });
      const inGroups = this.records.filter((r) => input.logGroupNames.includes(r.logGroup)
        && r.at >= input.startTime * 1000 && r.at < (input.endTime + 1) * 1000);
      const rows = runQuery(inGroups, input.queryString);
      const queryId = `q${this.started.length}`;
      this.started.push({ queryString: input.queryString, logGroupNames: input.logGroupNames, rowsBeforeCap: rows.length });
      const rowsReturned = rows.slice(0, Math.min(10_000, input.limit ?? 1000));
      this.queries.set(queryId, { rows: rowsReturned, bytesScanned: inGroups.length * BYTES_PER_RECORD, polls: 0 });
      return { queryId };
    });
    this.mock.on(GetQueryResultsCommand).callsFake((input) => {
      const query = this.queries.get(input.queryId)!;
      if (query.polls++ < this.runningPolls) return { status: 'Running' };
      return {
        status: 'Complete',
        statistics: { bytesScanned: query.bytesScanned, recordsMatched: query.rows.length, recordsScanned: 0 },
        results: query.rows.map((row) => [{ field: '@ptr', value: 'x' }, ...Object.entries(row).map(([field, value]) => ({ field, value }))]),
      };
    });
    this.mock.on(StopQueryCommand).resolves({ success: true });
  }
}

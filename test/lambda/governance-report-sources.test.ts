import {
  CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand, HistoryItemType,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ALL_TENANTS, inTenantRange, logGroupBatches, NO_TENANT, splitTenantRange, TenantRange, tenantRangeRegex,
} from '../../lambda/governance-report/queries';
import { gatherPeriod, PREVIOUS_PERIOD_SOURCES, SourceClients, SourceOptions } from '../../lambda/governance-report/sources';
import { ClientConfig } from '../../lib/config/types';
import { ModelProvider } from '../../lib/pricing';
import { ReportSource } from '../../lib/reporting/aggregates';
import { alarmEpisodes, parseAlarmName } from '../../lib/reporting/alarm-history';
import { parsePeriod } from '../../lib/reporting/period';
import { exampleConfig } from '../support/example';
import { BYTES_PER_RECORD, FakeLogsInsights, FakeRecord } from '../support/fake-logs-insights';

const OCTOBER = parsePeriod('2026-10');
const OCT_START = Date.parse(OCTOBER.start);
const HOUR = 3_600_000;

/** A deterministic pseudo-random sequence (Park-Miller), so generated data and failures reproduce. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

function call(overrides: Partial<FakeRecord> & { at: number }): FakeRecord {
  return {
    logGroup: '/aws/lambda/support-triage-fn',
    recordType: 'ai_call',
    agent: 'triage',
    route: 'classify-ticket',
    model: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    provider: 'aws.bedrock',
    tenant: 't-1',
    outcome: 'ok',
    costUsd: 0.001,
    inputTokens: 100,
    outputTokens: 20,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    modelErrors: 0,
    appErrors: 0,
    throttles: 0,
    latencyMs: 500,
    ...overrides,
  } as FakeRecord;
}

interface Harness {
  readonly clients: SourceClients;
  readonly options: SourceOptions;
  readonly logs: FakeLogsInsights;
  readonly cloudwatch: ReturnType<typeof mockClient>;
  readonly costExplorer: ReturnType<typeof mockClient>;
  readonly sleeps: number[];
}

function harness(records: FakeRecord[]): Harness {
  const logs = new FakeLogsInsights(records);
  const cloudwatchClient = new CloudWatchClient({ region: 'us-east-1' });
  const cloudwatch = mockClient(cloudwatchClient);
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  const ceClient = new CostExplorerClient({ region: 'us-east-1' });
  const costExplorer = mockClient(ceClient);
  costExplorer.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ Total: { UnblendedCost: { Amount: '10.5', Unit: 'USD' } } }] });
  const sleeps: number[] = [];
  return {
    clients: { logs: logs.client, cloudwatch: cloudwatchClient, costExplorer: ceClient },
    options: {
      sleep: async (ms) => { sleeps.push(ms); },
      random: seeded(7),
      now: () => new Date('2026-11-02T08:00:00Z'),
      deadlineMs: Date.parse('2026-11-02T08:14:00Z'),
    },
    logs,
    cloudwatch,
    costExplorer,
    sleeps,
  };
}

const cents = (usd: number) => Math.round(usd * 100);

describe('Logs Insights sources', () => {
  test('usage per day, agent, route, model and provider, with failed-call cost, totals checked', async () => {
    // GIVEN three calls on two days, one throttled, and one call of November (outside the period)
    const records = [
      call({ at: OCT_START + HOUR, costUsd: 0.25 }),
      call({ at: OCT_START + 2 * HOUR, costUsd: 0.5, outcome: 'throttled', throttles: 1 }),
      call({ at: OCT_START + 26 * HOUR, costUsd: 1, tenant: 't-2' }),
      call({ at: Date.parse(OCTOBER.end), costUsd: 100 }),
    ];
    const h = harness(records);
    // WHEN
    const aggregates = await gatherPeriod(h.clients, h.options, exampleConfig(), OCTOBER);
    // THEN
    expect(aggregates.sources[ReportSource.USAGE]).toEqual({ complete: true });
    expect(aggregates.daily).toEqual([
      expect.objectContaining({ day: '2026-10-01', agent: 'triage', route: 'classify-ticket', provider: 'aws.bedrock', calls: 2, costUsd: 0.75, throttles: 1, failedCostUsd: 0.5 }),
      expect.objectContaining({ day: '2026-10-02', calls: 1, costUsd: 1, failedCostUsd: 0 }),
    ]);
    expect(aggregates.tenants).toEqual(expect.arrayContaining([
      expect.objectContaining({ tenant: 't-1', calls: 2, costUsd: 0.75 }),
      expect.objectContaining({ tenant: 't-2', calls: 1, costUsd: 1 }),
    ]));
    expect(aggregates.sources[ReportSource.TENANTS]).toEqual({ complete: true });
    // Bytes scanned are summed from each query's statistics.
    // (StartQuery's whole-second bounds take in the boundary record too: it is scanned, and filtered out.)
    const triageQueries = h.logs.started.filter((q) => q.logGroupNames.includes('/aws/lambda/support-triage-fn')).length;
    expect(aggregates.queryCost!.logsInsightsGbScanned).toBeCloseTo((triageQueries * 4 * BYTES_PER_RECORD) / 1e9, 9);
    expect(aggregates.queryCost!.apiCalls['logs:StartQuery']).toBe(h.logs.started.length);
  });

  test('true percentiles per route and evaluation sums with sample weights (1 when absent)', async () => {
    const latencies = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    const records: FakeRecord[] = [
      ...latencies.map((latencyMs, i) => call({ at: OCT_START + i * 1000, latencyMs, outputTokens: i + 1 })),
      { logGroup: '/aws/lambda/support-qa-fn', at: OCT_START + 5, recordType: 'evaluation', agent: 'answer', route: 'draft-reply', model: 'gpt-5-mini', evaluator: 'rubric', evaluationPassed: 1, evaluationScore: 0.8 },
      { logGroup: '/aws/lambda/support-qa-fn', at: OCT_START + 6, recordType: 'evaluation', agent: 'answer', route: 'draft-reply', model: 'gpt-5-mini', evaluator: 'rubric', evaluationPassed: 0, sampleWeight: 4 },
    ];
    const h = harness(records);
    const aggregates = await gatherPeriod(h.clients, h.options, exampleConfig(), OCTOBER);
    expect(aggregates.distributions).toEqual([{
      agent: 'triage',
      route: 'classify-ticket',
      calls: 100,
      latencyP50Ms: 500,
      latencyP95Ms: 950,
      latencyP99Ms: 990,
      outputTokensP50: 50,
      outputTokensP95: 95,
      outputTokensP99: 99,
      outputTokensMax: 100,
    }]);
    expect(aggregates.evaluations).toEqual([{
      agent: 'answer',
      route: 'draft-reply',
      model: 'gpt-5-mini',
      evaluator: 'rubric',
      verdicts: 2,
      weightedVerdicts: 5,
      weightedPasses: 1,
      scores: 1,
      weightedScoreSum: 0.8,
      weightedScoreWeight: 1,
    }]);
  });

  test('50,000 tenants stay complete under the 10,000-row cap and sum to the total to the cent', async () => {
    // GIVEN 50,000 tenants with ids of every shape, 2 calls each, and calls without a tenant
    const random = seeded(42);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@ ';
    const tenants = new Set<string>();
    while (tenants.size < 50_000) {
      const length = 1 + Math.floor(random() * 12);
      tenants.add(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    }
    tenants.add('tenant-ü'); // outside printable ASCII
    const records: FakeRecord[] = [];
    let i = 0;
    for (const tenant of tenants) {
      for (let k = 0; k < 2; k++) records.push(call({ at: OCT_START + (i++ % (30 * 24)) * HOUR, tenant, costUsd: Math.round(random() * 1e6) / 1e6 }));
    }
    records.push(call({ at: OCT_START + 5, tenant: undefined, costUsd: 0.333333 }));
    const h = harness(records);
    // WHEN
    const aggregates = await gatherPeriod(h.clients, h.options, exampleConfig(), OCTOBER);
    // THEN every tenant is there once, with its exact sums, and nothing was cut
    expect(aggregates.sources[ReportSource.TENANTS]).toEqual({ complete: true });
    expect(aggregates.tenants).toHaveLength(tenants.size + 1);
    expect(new Set(aggregates.tenants.map((t) => t.tenant)).size).toBe(tenants.size + 1);
    expect(aggregates.tenants.find((t) => t.tenant === NO_TENANT)).toEqual(expect.objectContaining({ calls: 1, costUsd: 0.333333 }));
    const expectedCost = records.reduce((s, r) => s + Number(r.costUsd), 0);
    expect(cents(aggregates.tenants.reduce((s, t) => s + t.costUsd, 0))).toBe(cents(expectedCost));
    expect(aggregates.tenants.reduce((s, t) => s + t.calls, 0)).toBe(records.length);
    const tenantQueries = h.logs.started.filter((q) => q.queryString.includes('by tenant'));
    // Overflowing queries were split, not trusted: every range whose result was cut was queried again in parts.
    expect(tenantQueries.filter((q) => q.rowsBeforeCap >= 10_000).length).toBeGreaterThan(0);
    expect(tenantQueries.length).toBeLessThan(40);
    expect(aggregates.queryCost!.apiCalls['logs:StartQuery']).toBe(h.logs.started.length);
  });

  test('usage of a big client is split by days when a month has 10,000 rows or more', async () => {
    // GIVEN 400 (route, model) pairs calling every day of October: 12,400 daily rows
    const records: FakeRecord[] = [];
    for (let day = 0; day < 31; day++) {
      for (let pair = 0; pair < 400; pair++) records.push(call({ at: OCT_START + day * 24 * HOUR + pair, route: `r${pair % 40}`, model: `m${Math.floor(pair / 40)}`, costUsd: 0.01 }));
    }
    const h = harness(records);
    const aggregates = await gatherPeriod(h.clients, h.options, exampleConfig(), OCTOBER);
    expect(aggregates.sources[ReportSource.USAGE]).toEqual({ complete: true });
    expect(aggregates.daily).toHaveLength(12_400);
    expect(aggregates.daily.reduce((s, r) => s + r.calls, 0)).toBe(12_400);
    expect(h.logs.started.filter((q) => q.queryString.includes('by day')).length).toBeGreaterThan(1);
  });

  test('throttling is retried with backoff and jitter', async () => {
    const h = harness([call({ at: OCT_START + HOUR })]);
    let throttled = 0;
    const original = (h.logs.client as any).send.bind(h.logs.client);
    (h.logs.client as any).send = async (command: unknown) => {
      if (command instanceof StartQueryCommand && throttled < 3) {
        throttled++;
        throw Object.assign(new Error('Rate exceeded'), { name: throttled % 2 ? 'ThrottlingException' : 'LimitExceededException' });
      }
      return original(command);
    };
    const aggregates = await gatherPeriod(h.clients, h.options, exampleConfig(), OCTOBER);
    expect(aggregates.sources[ReportSource.USAGE]).toEqual({ complete: true });
    expect(aggregates.daily[0].calls).toBe(1);
    // Three backoffs for the throttled starts, each below its cap (500 ms x 2^attempt), plus the polls.
    expect(aggregates.queryCost!.apiCalls['logs:StartQuery']).toBe(h.logs.started.length + 3);
    expect(h.sleeps.filter((ms) => ms < 500).length).toBeGreaterThanOrEqual(1);
  });

  test('a Logs Insights query throttled forever and a failing Cost Explorer call leave incomplete sources with reasons, no crash', async () => {
    // GIVEN
    const logsClient = new CloudWatchLogsClient({ region: 'us-east-1' });
    mockClient(logsClient).on(StartQueryCommand).rejects(Object.assign(new Error('Account concurrent query limit reached'), { name: 'LimitExceededException' }));
    const h = harness([]);
    h.costExplorer.on(GetCostAndUsageCommand).rejects(Object.assign(new Error('User is not authorized to perform ce:GetCostAndUsage'), { name: 'AccessDeniedException' }));
    // WHEN
    const aggregates = await gatherPeriod({ ...h.clients, logs: logsClient }, h.options, exampleConfig(), OCTOBER);
    // THEN
    for (const source of [ReportSource.USAGE, ReportSource.TENANTS, ReportSource.DISTRIBUTIONS, ReportSource.EVALUATIONS]) {
      expect(aggregates.sources[source]).toEqual({ complete: false, reason: expect.stringMatching(/^logs:StartQuery was still throttled after 8 attempts with backoff \(LimitExceededException: Account concurrent query limit reached\); rerun the report later$/) });
    }
    expect(aggregates.sources[ReportSource.BILLING]).toEqual({ complete: false, reason: 'ce:GetCostAndUsage failed: AccessDeniedException: User is not authorized to perform ce:GetCostAndUsage' });
    expect(aggregates.billed).toBeUndefined();
    expect(aggregates.sources[ReportSource.BEDROCK_METRICS]).toEqual({ complete: true });
    expect(aggregates.daily).toEqual([]);
  });
});

describe('GetMetricData and Cost Explorer', () => {
  test('Invocations per Bedrock model: 500 queries a call, NextToken pages summed', async () => {
    const config: ClientConfig = {
      ...exampleConfig(),
      models: Array.from({ length: 600 }, (_, i) => ({ provider: ModelProvider.AWS_BEDROCK, modelId: `model-${i}` })),
    };
    const h = harness([]);
    h.cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
      const first = !input.NextToken;
      return {
        MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({ Id: q.Id, Values: first ? [1, 2] : [3] })),
        NextToken: first ? 'page-2' : undefined,
      };
    });
    const aggregates = await gatherPeriod(h.clients, h.options, config, OCTOBER);
    const calls = h.cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricDataQueries!.length)).toEqual([500, 500, 100, 100]);
    expect(aggregates.bedrockInvocations).toHaveLength(600);
    expect(aggregates.bedrockInvocations!.every((b) => b.invocations === 6)).toBe(true);
    expect(calls[0].args[0].input.MetricDataQueries![0].MetricStat!.Metric).toEqual({ Namespace: 'AWS/Bedrock', MetricName: 'Invocations', Dimensions: [{ Name: 'ModelId', Value: 'model-0' }] });
    // 1,200 metrics requested at $0.01 per 1,000.
    expect(aggregates.queryCost!.apiCalls['cloudwatch:GetMetricData']).toBe(4);
  });

  test('billed Bedrock spend over every page, one request priced at $0.01 each', async () => {
    const h = harness([]);
    h.costExplorer.on(GetCostAndUsageCommand)
      .resolvesOnce({ ResultsByTime: [{ Total: { UnblendedCost: { Amount: '1200.10', Unit: 'USD' } } }], NextPageToken: 'next' })
      .resolvesOnce({ ResultsByTime: [{ Total: { UnblendedCost: { Amount: '34.55', Unit: 'USD' } } }] });
    const aggregates = await gatherPeriod(h.clients, h.options, exampleConfig(), OCTOBER);
    expect(aggregates.billed!.bedrockUsd).toBeCloseTo(1234.65, 6);
    expect(h.costExplorer.commandCalls(GetCostAndUsageCommand)[0].args[0].input).toEqual(expect.objectContaining({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Metrics: ['UnblendedCost'],
      Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Bedrock'] } },
    }));
    expect(aggregates.queryCost!.apiCalls['ce:GetCostAndUsage']).toBe(2);
    expect(aggregates.queryCost!.estimatedUsd).toBeGreaterThanOrEqual(0.02);
  });
});

describe('alarm history', () => {
  const change = (at: string, oldState: string, newState: string) => ({
    Timestamp: new Date(at),
    HistoryItemType: HistoryItemType.StateUpdate,
    HistoryData: JSON.stringify({ oldState: { stateValue: oldState }, newState: { stateValue: newState } }),
  });

  test('episodes from paginated history, clipped to the period, with kind, severity, agent and route', async () => {
    const h = harness([]);
    const opts = { ...h.options, now: () => new Date('2026-11-20T00:00:00Z') };
    h.cloudwatch.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'example-answer-draft-reply-latency-p99', AlarmDescription: '[P1] p99 latency ...', StateValue: 'OK' }], NextToken: 'n' })
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'example-answer-budget-burn-warning', StateValue: 'ALARM' }], CompositeAlarms: [] });
    h.cloudwatch.on(DescribeAlarmHistoryCommand, { AlarmName: 'example-answer-draft-reply-latency-p99' })
      .resolvesOnce({ AlarmHistoryItems: [change('2026-10-12T10:00:00Z', 'OK', 'ALARM')], NextToken: 'n' })
      .resolvesOnce({ AlarmHistoryItems: [change('2026-10-12T11:30:00Z', 'ALARM', 'OK')] });
    h.cloudwatch.on(DescribeAlarmHistoryCommand, { AlarmName: 'example-answer-budget-burn-warning' })
      .resolves({ AlarmHistoryItems: [change('2026-10-31T20:00:00Z', 'OK', 'ALARM')] });
    const aggregates = await gatherPeriod(h.clients, opts, exampleConfig(), OCTOBER);
    expect(aggregates.alarms).toEqual([
      { alarmName: 'example-answer-draft-reply-latency-p99', kind: 'latency-p99', severity: 'P1', agent: 'answer', route: 'draft-reply', start: '2026-10-12T10:00:00.000Z', end: '2026-10-12T11:30:00.000Z' },
      { alarmName: 'example-answer-budget-burn-warning', kind: 'budget-burn-warning', severity: 'P2', agent: 'answer', start: '2026-10-31T20:00:00.000Z' },
    ]);
    expect(h.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNamePrefix).toBe('example-');
    // Run on Nov 20, the history reaches back to Oct 21: the source says so rather than claiming all of October.
    expect(aggregates.sources[ReportSource.ALARMS]).toEqual({ complete: false, reason: expect.stringContaining('CloudWatch keeps alarm history for 30 days: episodes before 2026-10-21T00:00Z are missing') });
  });

  test('an alarm in ALARM when the period starts opens its episode at the start; route overrides set severity without a description', () => {
    const config = exampleConfig();
    const episodes = alarmEpisodes({
      alarmName: 'example-answer-draft-reply-latency-p99',
      state: 'OK',
      changes: [{ at: new Date('2026-10-03T00:00:00Z'), oldState: 'ALARM', newState: 'OK' }],
    }, OCTOBER, 'example', config.agents);
    expect(episodes).toEqual([{ alarmName: 'example-answer-draft-reply-latency-p99', kind: 'latency-p99', severity: 'P1', agent: 'answer', route: 'draft-reply', start: OCTOBER.start, end: '2026-10-03T00:00:00.000Z' }]);
    expect(parseAlarmName('example-total-spend-anomaly', 'example', config.agents)).toEqual({ kind: 'spend-anomaly' });
    expect(parseAlarmName('example-governance-report-failed', 'example', config.agents)).toEqual({ kind: 'governance-report-failed' });
  });
});

describe('tenant ranges', () => {
  test('split ranges partition every tenant id exactly, and the regular expression agrees with the rule', () => {
    // A seeded property check: random ids (printable ASCII and beyond) against random split trees.
    const random = seeded(3);
    const chars = ' !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~éü中';
    const ids = Array.from({ length: 1000 }, () => Array.from({ length: Math.floor(random() * 5) }, () => chars[Math.floor(random() * chars.length)]).join(''));
    let leaves: TenantRange[] = [ALL_TENANTS];
    for (let round = 0; round < 10; round++) {
      leaves = leaves.flatMap((leaf) => (random() < 0.6 ? splitTenantRange(leaf) ?? [leaf] : [leaf]));
    }
    const regexes = leaves.map((leaf) => new RegExp(tenantRangeRegex(leaf)));
    for (const id of ids) {
      expect(leaves.filter((leaf) => inTenantRange(id, leaf))).toHaveLength(1);
      const disagreeing = leaves.filter((leaf, i) => regexes[i].test(id) !== inTenantRange(id, leaf));
      expect(disagreeing).toEqual([]);
    }
  });

  test('log groups are batched by at most 50, each agent kept whole where it fits', () => {
    const agents = [
      { id: 'a', logGroups: Array.from({ length: 30 }, (_, i) => `/a/${i}`) },
      { id: 'b', logGroups: Array.from({ length: 30 }, (_, i) => `/b/${i}`) },
      { id: 'c', logGroups: ['/a/0', '/c/0'] },
      { id: 'big', logGroups: Array.from({ length: 120 }, (_, i) => `/big/${i}`) },
    ];
    const batches = logGroupBatches(agents);
    expect(batches.every((b) => b.logGroups.length <= 50)).toBe(true);
    expect(batches.map((b) => b.agents)).toEqual([['a', 'c'], ['b'], ['big'], ['big'], ['big']]);
    expect(new Set(batches.flatMap((b) => b.logGroups)).size).toBe(60 + 1 + 120);
    expect(batches.flatMap((b) => b.logGroups)).toHaveLength(181);
  });
});

describe('reading only what a period is used for', () => {
  test('the period before: its usage alone (totals and usage queries), nothing from CloudWatch or Cost Explorer', async () => {
    // GIVEN a month of calls
    const h = harness([call({ at: OCT_START + HOUR }), call({ at: OCT_START + 30 * HOUR, tenant: 't-2' })]);
    // WHEN the period is read as the previous one
    const aggregates = await gatherPeriod(h.clients, h.options, exampleConfig(), OCTOBER, PREVIOUS_PERIOD_SOURCES);
    // THEN its usage is there, and nothing else was queried or paid for
    expect(aggregates.daily.reduce((s, d) => s + d.calls, 0)).toBe(2);
    expect(aggregates.sources[ReportSource.USAGE]).toEqual({ complete: true });
    expect(h.logs.started).toHaveLength(2);
    expect(h.cloudwatch.calls()).toHaveLength(0);
    expect(h.costExplorer.calls()).toHaveLength(0);
    expect(aggregates.sources[ReportSource.BILLING]).toEqual({ complete: false, reason: 'not read: this period\'s report does not use it' });
    expect(aggregates.tenants).toEqual([]);
  });
});

/*
 * Golden test: two synthetic months of the example client's telemetry, written by the real
 * helper, through the local command. Every total must match the lines' own costs to the cent, and
 * the built-in change (draft-reply: +20% calls a day, cache hit rate 80% -> 40% from Oct 12) must
 * be attributed to volume and cache hit rate by the documented arithmetic.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import Ajv2020 from 'ajv/dist/2020';
import { mockClient } from 'aws-sdk-client-mock';
import { gatherPeriod, PREVIOUS_PERIOD_SOURCES } from '../../lambda/governance-report/sources';
import { main } from '../../lib/cli/main';
import { PriceCatalog } from '../../lib/pricing/price-catalog';
import { buildReport } from '../../lib/reporting/core';
import { REPORT_SCHEMA_FILE, reportJsonSchema } from '../../lib/reporting/json-schema';
import { parsePeriod } from '../../lib/reporting/period';
import { GovernanceReportData, reportSchema } from '../../lib/reporting/report-schema';
import { TelemetryFields } from '../../lib/telemetry/contract';
import { exampleConfig, PROJECT_ROOT } from '../support/example';
import { FakeLogsInsights, FakeRecord } from '../support/fake-logs-insights';
import { DRAFT_REPLY, HAIKU, JUDGE, SCHEMA_CHECK, SONNET, syntheticTelemetry } from '../support/report-telemetry';

/** Exact sums of the October lines, in picodollars (BigInt), by key. */
interface Expected {
  total: bigint;
  calls: number;
  byModel: Map<string, bigint>;
  byAgent: Map<string, bigint>;
  byRoute: Map<string, bigint>;
  byTenant: Map<string, bigint>;
}

const PICO = 1e12;
const toPico = (usd: number) => BigInt(Math.round(usd * PICO));
/** Picodollars as dollars (exact enough: the totals here stay far below 2^53 picodollars... as a double). */
const usd = (pico: bigint) => Number(pico) / PICO;

let dir: string;
let report: GovernanceReportData;
let expected: Expected;
let stdout = '';
let stderr = '';

beforeAll(async () => {
  // About 60,000 lines: written by the real helper, then read back by the command.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-golden-'));
  const logFile = path.join(dir, 'telemetry.jsonl');
  const lines: string[] = [];
  syntheticTelemetry((line) => lines.push(line));
  fs.writeFileSync(logFile, lines.join('\n') + '\n');

  expected = { total: 0n, calls: 0, byModel: new Map(), byAgent: new Map(), byRoute: new Map(), byTenant: new Map() };
  const add = (map: Map<string, bigint>, key: string, v: bigint) => map.set(key, (map.get(key) ?? 0n) + v);
  for (const line of lines) {
    const r = JSON.parse(line);
    if (r.recordType !== 'ai_call' || r._aws.Timestamp < Date.UTC(2026, 9, 1)) continue;
    const cost = toPico(r.costUsd);
    expected.total += cost;
    expected.calls++;
    add(expected.byModel, r.model, cost);
    add(expected.byAgent, r.agent, cost);
    add(expected.byRoute, `${r.agent}/${r.route}`, cost);
    add(expected.byTenant, r.tenant, cost);
  }

  const code = await main(
    ['report', '--logs', logFile, '--period', '2026-10', '--client', 'example', '--clients-dir', path.join(PROJECT_ROOT, 'clients'), '--out', path.join(dir, 'out')],
    { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } },
  );
  expect(code).toBe(0);
  report = reportSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')));
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Each row is within a cent of its exact value (rows are apportioned so they add up to the total). */
function expectWithinACent(rows: Array<{ costUsd: number }>, keyOf: (row: any) => string, exact: Map<string, bigint>): void {
  expect(rows.map(keyOf).sort()).toEqual([...exact.keys()].sort());
  for (const row of rows) {
    expect(Math.abs(row.costUsd - usd(exact.get(keyOf(row))!))).toBeLessThan(0.01);
  }
  const sumCents = rows.reduce((s, r) => s + Math.round(r.costUsd * 100), 0);
  expect(sumCents).toBe(Math.round(usd(expected.total) * 100));
}

test('the command says what it wrote and what it could not read', () => {
  expect(stdout).toMatch(/^2026-10: \$[\d.]+ over \d+ calls; wrote report\.html, report\.md, report\.json, .*by-tenant\.csv/);
  expect(stdout).toContain('(incomplete: anomalies, coverage, reconciliation)');
  expect(stderr).toMatch(/read \d+ lines/);
});

test('totals match the lines to the cent', () => {
  expect(report.totals.costUsd).toBe(Math.round(usd(expected.total) * 100) / 100);
  expect(report.totals.calls).toBe(expected.calls);
});

test('by model, agent, route and tenant: every key, each within a cent, adding up to the total', () => {
  expectWithinACent(report.byModel, (r) => r.model, expected.byModel);
  expectWithinACent(report.byAgent, (r) => r.agent, expected.byAgent);
  expectWithinACent(report.byRoute, (r) => r.route, expected.byRoute);
  expectWithinACent(report.byTenant, (r) => r.tenant, expected.byTenant);
});

test('the per-tenant CSV holds every tenant and sums to the total to the cent', () => {
  const rows = fs.readFileSync(path.join(dir, 'out', 'by-tenant.csv'), 'utf8').trim().split('\r\n');
  expect(rows[0]).toBe('tenant,costUsd,calls,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,sharePercent,cumulativeSharePercent');
  expect(rows.length - 1).toBe(expected.byTenant.size);
  const cents = rows.slice(1).reduce((s, row) => s + Math.round(Number(row.split(',')[1]) * 100), 0);
  expect(cents).toBe(Math.round(report.totals.costUsd * 100));
});

test('why spend moved: draft-reply +20% volume and a halved cache hit rate, each attributed by hand arithmetic', () => {
  // Per call: September 2,000 input + 8,000 cache read + 400 output at Sonnet 4.5 ($3 / $0.30 / $15 per M) = $0.0144.
  const perCallBefore = (2000 * 3 + 8000 * 0.3 + 400 * 15) / 1e6;
  const n0 = DRAFT_REPLY.septemberCallsPerDay * 30;
  const n1 = DRAFT_REPLY.octoberCallsPerDay * 31;
  // October: 11 days at 80% hits, 20 days at 40%.
  const h1 = (11 * 0.8 + 20 * 0.4) / 31;
  const volume = (n1 - n0) * perCallBefore;
  const cache = n1 * DRAFT_REPLY.prompt * (0.8 - h1) * (3 - 0.3) / 1e6;

  const move = report.movement.find((m) => m.scope === TelemetryFields.ROUTE.name && m.key === 'answer/draft-reply')!;
  const part = (factor: string) => move.parts.find((p) => p.factor === factor)!;
  expect(part('volume').usd).toBeCloseTo(volume, 2);
  expect(part('cacheHitRate').usd).toBeCloseTo(cache, 2);
  expect(part('tokensPerCall').usd).toBeCloseTo(0, 2);
  expect(part('priceOrModelMix').usd).toBeCloseTo(0, 2);
  expect(move.changeUsd).toBeCloseTo(volume + cache, 2);
  expect(part('cacheHitRate').from).toBe(80);
  expect(part('cacheHitRate').to).toBeCloseTo(h1 * 100, 1);
  expect(part('cacheHitRate').since).toBe(DRAFT_REPLY.changeDay);
  expect(move.text).toMatch(/^answer\/draft-reply \+\$72\.58: \+\$51\.84 from cache hit rate 80% → 54% since 2026-10-12; \+\$20\.74 from volume 6,000 → 7,440 calls/);
  // Movement is sorted by size: the constructed change leads.
  expect(report.movement[0].key).toBe('answer');
  expect(report.movement[1].key).toBe('answer/draft-reply');
});

test('an agent\'s parts are its routes\' parts; steady routes moved by less than a dollar and are not listed', () => {
  const perCallBefore = (2000 * 3 + 8000 * 0.3 + 400 * 15) / 1e6;
  const draftVolume = (DRAFT_REPLY.octoberCallsPerDay * 31 - DRAFT_REPLY.septemberCallsPerDay * 30) * perCallBefore;
  // summarize-thread: 50 calls more in October's extra day, at 4,000 input + 300 output tokens of Haiku 4.5 ($1 / $5 per M).
  const summarizeVolume = 50 * (4000 * 1 + 300 * 5) / 1e6;
  const answer = report.movement.find((m) => m.scope === TelemetryFields.AGENT.name && m.key === 'answer')!;
  expect(answer.parts.find((p) => p.factor === 'volume')!.usd).toBeCloseTo(draftVolume + summarizeVolume, 2);
  expect(answer.parts.reduce((s, p) => s + p.usd, 0)).toBeCloseTo(answer.changeUsd, 2);
  expect(report.movement.map((m) => m.key).sort()).toEqual(['answer', 'answer/draft-reply']);
});

test('SLO attainment reads the config and the month\'s true percentiles', () => {
  const draft = report.slo.find((s) => s.route === 'answer/draft-reply')!;
  expect(draft.calls).toBe(DRAFT_REPLY.octoberCallsPerDay * 31);
  expect(draft.latency.p95.sloMs).toBe(8000);
  // Latency is uniform in [0.5, 1.5) x 4,000 ms: p95 near 5,800.
  expect(draft.latency.p95.observedMs).toBeGreaterThan(5600);
  expect(draft.latency.p95.observedMs).toBeLessThan(6000);
  expect(draft.latency.p95.met).toBe(true);
  const rewrite = report.slo.find((s) => s.route === 'retrieval/rewrite-query')!;
  // Every 50th call throttled: 2% against a 2% SLO.
  expect(rewrite.throttleRatePercent).toBeCloseTo(100 / 50, 1);
});

test('offline runs mark what they cannot know, and say why', () => {
  const incomplete = Object.fromEntries(report.sections.filter((s) => !s.complete).map((s) => [s.id, s.reasons.join(' ')]));
  expect(Object.keys(incomplete).sort()).toEqual(['anomalies', 'coverage', 'reconciliation']);
  expect(incomplete.reconciliation).toMatch(/Cost Explorer/);
  expect(report.reconciliation.billedBedrockUsd).toBeNull();
});

describe('docs/report.schema.json', () => {
  const published = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, REPORT_SCHEMA_FILE), 'utf8'));

  test('is the schema the report is built to (regenerate with `npx projen schema`)', () => {
    expect(published).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  test('validates report.json without this library\'s code, and holds the fields tools rely on', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(published);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
    expect({ valid: validate(json), errors: validate.errors }).toEqual({ valid: true, errors: null });
    for (const key of ['period', 'clientId', 'byModel', 'byAgent', 'byRoute', 'byTenant', 'anomalies', 'recommendations', 'sections']) expect(json).toHaveProperty(key);
    expect(json.byRoute[0]).toEqual(expect.objectContaining({ route: 'answer/draft-reply', costUsd: expect.any(Number), calls: expect.any(Number), inputTokens: expect.any(Number), outputTokens: expect.any(Number), cacheReadTokens: expect.any(Number), cacheWriteTokens: expect.any(Number) }));
    delete json.totals.costUsd;
    expect(validate(json)).toBe(false);
  });
});

test('the model swap on draft-reply is backed by its recorded accuracy: Haiku clears both of the route\'s bars', () => {
  const swap = report.recommendations.find((r) => r.id === `model-swap:answer/draft-reply:${SONNET}`)!;
  expect(swap.evidence).toMatch(new RegExp(`^backed by evaluation: ${JUDGE}: pass rate 97\\.1% .* >= 90% bar over 620 scored calls; `
    + `${JUDGE}: mean score 0\\.883 >= 0\\.8 bar over 620 scored calls; ${SCHEMA_CHECK}: pass rate 99\\.7% .* >= 98% bar over 620 scored calls$`));
  // 602 passes at 0.9 and 18 failures at 0.3 over 620 verdicts: a mean of 0.883. Haiku 4.5 costs a third of Sonnet 4.5 for every token kind.
  expect(swap.monthlySavingsUsd).toBeCloseTo((usd(expected.byRoute.get('answer/draft-reply')!) * 2) / 3, 2);
  const judged = report.accuracy.filter((a) => a.route === 'answer/draft-reply' && a.evaluator === JUDGE);
  expect(judged.map((a) => [a.model, a.verdicts, a.meetsBar])).toEqual([[HAIKU, 620, true], [SONNET, 620, true]]);
});

describe('the same month through the Lambda\'s data sources (Logs Insights stand-in) and core', () => {
  let lambdaReport: GovernanceReportData;

  beforeAll(async () => {
    const config = exampleConfig();
    const logGroupOf = new Map(config.agents.map((a) => [a.id, a.logGroups[0]]));
    const records: FakeRecord[] = fs.readFileSync(path.join(dir, 'telemetry.jsonl'), 'utf8').trim().split('\n').map((line) => {
      const r = JSON.parse(line);
      return { ...r, logGroup: logGroupOf.get(r.agent)!, at: r._aws.Timestamp };
    });
    const logs = new FakeLogsInsights(records);
    const cloudwatchClient = new CloudWatchClient({ region: 'us-east-1' });
    const cloudwatch = mockClient(cloudwatchClient);
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const costExplorerClient = new CostExplorerClient({ region: 'us-east-1' });
    mockClient(costExplorerClient).on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ Total: { UnblendedCost: { Amount: '0', Unit: 'USD' } } }] });
    const clients = { logs: logs.client, cloudwatch: cloudwatchClient, costExplorer: costExplorerClient };
    const options = { sleep: async () => undefined, random: () => 0.5, now: () => new Date('2026-11-02T08:00:00Z'), deadlineMs: Date.parse('2026-11-02T08:14:00Z') };
    const current = await gatherPeriod(clients, options, config, parsePeriod('2026-10'));
    const previous = await gatherPeriod(clients, options, config, parsePeriod('2026-09'), PREVIOUS_PERIOD_SOURCES);
    lambdaReport = buildReport({ config, catalog: PriceCatalog.builtIn().withOverrides(config.priceOverrides ?? []), current, previous, generatedAt: new Date('2026-11-02T08:00:00Z') });
  }, 120_000);

  test('every total by model, agent, route and tenant is the local command\'s, to the cent', () => {
    expect(lambdaReport.totals.costUsd).toBe(report.totals.costUsd);
    expect(lambdaReport.totals.calls).toBe(expected.calls);
    const byKey = (rows: Array<{ costUsd: number; calls: number }>, key: (r: any) => string) =>
      Object.fromEntries(rows.map((r) => [key(r), [r.costUsd, r.calls]]));
    expect(byKey(lambdaReport.byModel, (r) => r.model)).toEqual(byKey(report.byModel, (r) => r.model));
    expect(byKey(lambdaReport.byAgent, (r) => r.agent)).toEqual(byKey(report.byAgent, (r) => r.agent));
    expect(byKey(lambdaReport.byRoute, (r) => r.route)).toEqual(byKey(report.byRoute, (r) => r.route));
    expect(byKey(lambdaReport.byTenant, (r) => r.tenant)).toEqual(byKey(report.byTenant, (r) => r.tenant));
  });

  test('the constructed change and the backed model swap read the same', () => {
    const move = (r: GovernanceReportData) => r.movement.find((m) => m.key === 'answer/draft-reply')!.text;
    expect(move(lambdaReport)).toBe(move(report));
    const swap = (r: GovernanceReportData) => r.recommendations.find((x) => x.id === `model-swap:answer/draft-reply:${SONNET}`)!;
    expect(swap(lambdaReport)).toEqual(swap(report));
    expect(lambdaReport.sections.filter((s) => ['totals', 'breakdowns', 'tenants', 'movement', 'accuracy'].includes(s.id)).every((s) => s.complete)).toBe(true);
  });
});

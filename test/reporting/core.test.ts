import { AccuracySlo, ClientConfig } from '../../lib/config';
import { BUILT_IN_PRICES } from '../../lib/pricing/catalog';
import { END_OF_LIFE_WARNING_DAYS } from '../../lib/pricing/end-of-life';
import { PriceCatalog } from '../../lib/pricing/price-catalog';
import { DailyUsage, emptyUsage, EvaluationSums, PeriodAggregates, ReportSource, SourceStatus } from '../../lib/reporting/aggregates';
import { buildReport } from '../../lib/reporting/core';
import { parsePeriod } from '../../lib/reporting/period';
import { reportSchema } from '../../lib/reporting/report-schema';
import { exampleConfig } from '../support/example';
import { HAIKU, SONNET } from '../support/report-telemetry';

const OCTOBER = parsePeriod('2026-10');
const SEPTEMBER = parsePeriod('2026-09');
const COMPLETE = Object.fromEntries(Object.values(ReportSource).map((s) => [s, { complete: true }])) as Record<ReportSource, SourceStatus>;
const catalog = PriceCatalog.builtIn();

/** A day of one route on one model: so many calls of so many uncached, cache-read and output tokens, priced by the catalog. */
function day(dayId: string, agent: string, route: string, model: string, calls: number, input: number, output: number, cacheRead = 0): DailyUsage {
  const usage = { modelId: model, timestamp: new Date(dayId), inputTokens: input, outputTokens: output, cacheReadTokens: cacheRead };
  const cost = catalog.costOf(usage).costUsd * calls;
  return {
    ...emptyUsage(),
    day: dayId,
    agent,
    route,
    model,
    provider: model.startsWith('gpt') ? 'openai' : 'aws.bedrock',
    calls,
    costUsd: cost,
    inputTokens: input * calls,
    outputTokens: output * calls,
    cacheReadTokens: cacheRead * calls,
  };
}

function aggregates(period = OCTOBER, overrides: Partial<PeriodAggregates> = {}): PeriodAggregates {
  const dayId = period.start.slice(0, 10);
  return {
    period,
    daily: [day(dayId, 'answer', 'draft-reply', SONNET, 1000, 2000, 400, 8000), day(dayId, 'triage', 'classify-ticket', HAIKU, 500, 1500, 50)],
    tenants: [{ ...emptyUsage(), tenant: 'acme', calls: 1500, costUsd: 0 }],
    distributions: [],
    evaluations: [],
    sources: COMPLETE,
    ...overrides,
  };
}

function withTenantsMatching(a: PeriodAggregates): PeriodAggregates {
  const cost = a.daily.reduce((s, d) => s + d.costUsd, 0);
  const calls = a.daily.reduce((s, d) => s + d.calls, 0);
  return {
    ...a,
    tenants: [{ ...emptyUsage(), tenant: 'acme', calls, costUsd: cost * 0.75 }, { ...emptyUsage(), tenant: 'zeta', calls: 0, costUsd: cost * 0.25 }],
  };
}

const generatedAt = new Date('2026-11-02T08:00:00Z');

test('every report validates against the published schema', () => {
  const current = withTenantsMatching(aggregates());
  const report = buildReport({ config: exampleConfig(), catalog, current, previous: aggregates(SEPTEMBER), generatedAt });
  expect(() => reportSchema.parse(report)).not.toThrow();
  expect(report.sections.every((s) => s.complete)).toBe(true);
});

test('partial data: each failed source marks its sections incomplete with the reason, and the rest is still computed', () => {
  const sources = {
    ...COMPLETE,
    [ReportSource.BILLING]: { complete: false, reason: 'Cost Explorer: AccessDeniedException (the role lacks ce:GetCostAndUsage)' },
    [ReportSource.TENANTS]: { complete: false, reason: 'Logs Insights: throttled after 6 attempts' },
  };
  const report = buildReport({ config: exampleConfig(), catalog, current: aggregates(OCTOBER, { sources, tenants: [] }), generatedAt });
  const byId = Object.fromEntries(report.sections.map((s) => [s.id, s]));
  expect(byId.reconciliation).toMatchObject({
    complete: false, reasons: ['Cost Explorer: AccessDeniedException (the role lacks ce:GetCostAndUsage)'],
  });
  expect(byId.tenants).toMatchObject({ complete: false, reasons: ['Logs Insights: throttled after 6 attempts'] });
  expect(byId.movement.complete).toBe(false);
  expect(byId.movement.reasons[0]).toMatch(/no telemetry for the previous period \(2026-09\)/);
  expect(byId.totals.complete).toBe(true);
  expect(report.totals.calls).toBe(1500);
  expect(report.reconciliation.billedBedrockUsd).toBeNull();
  expect(report.byTenant).toEqual([]);
});

test('tenant sums that do not match the totals are reported, never silently scaled', () => {
  const report = buildReport({ config: exampleConfig(), catalog, current: aggregates(), generatedAt });
  const tenants = report.sections.find((s) => s.id === 'tenants')!;
  expect(tenants.complete).toBe(false);
  expect(tenants.reasons[0]).toMatch(/tenant sums \(1500 calls, \$0\) differ from the period's totals/);
});

test('reconciliation: a gap above 5% is flagged with the likely cause', () => {
  const current = aggregates(OCTOBER, {
    billed: { bedrockUsd: 100 },
    bedrockInvocations: [{ model: SONNET, invocations: 2000 }, { model: HAIKU, invocations: 500 }],
  });
  const report = buildReport({ config: exampleConfig(), catalog, current, generatedAt });
  expect(report.reconciliation.flagged).toBe(true);
  expect(report.reconciliation.likelyCauses[0]).toMatch(
    /uninstrumented calls: us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 shows 1,000 recorded calls against 2,000 Bedrock invocations/,
  );
  expect(report.coverage.bedrock.find((b) => b.model === SONNET))
    .toMatchObject({ telemetryCalls: 1000, bedrockInvocations: 2000, coveragePercent: 50 });
});

test('anomalies: spend alarms of the month with duration and cost impact; SLO alarms are not anomalies', () => {
  const daily = [...Array(10).keys()]
    .map((i) => day(`2026-10-${String(i + 1).padStart(2, '0')}`, 'answer', 'draft-reply', SONNET, i === 4 ? 3000 : 1000, 2000, 400));
  const current = aggregates(OCTOBER, {
    daily,
    alarms: [
      {
        alarmName: 'example-answer-spend-anomaly',
        kind: 'spend-anomaly',
        severity: 'P2',
        agent: 'answer',
        start: '2026-10-05T00:00:00Z',
        end: '2026-10-05T12:00:00Z',
      },
      {
        alarmName: 'example-answer-draft-reply-latency-p95',
        kind: 'latency-p95',
        severity: 'P2',
        agent: 'answer',
        route: 'draft-reply',
        start: '2026-10-06T00:00:00Z',
        end: '2026-10-06T01:00:00Z',
      },
    ],
  });
  const report = buildReport({ config: exampleConfig(), catalog, current, generatedAt });
  expect(report.anomalies).toHaveLength(1);
  const perCall = daily[0].costUsd / 1000;
  // Half of the extra 2,000 calls' spend falls in the 12 hours in ALARM.
  expect(report.anomalies[0]).toMatchObject({
    kind: 'spend-anomaly', durationMinutes: 720, costImpactUsd: Math.round(0.5 * 2000 * perCall * 100) / 100,
  });
  expect(report.anomalies[0].text).toMatch(/^spend-anomaly \(answer\) from 2026-10-05 00:00 UTC for 12 h/);
});

/** The example with draft-reply's accuracy SLO replaced (or removed). */
function withDraftReplyAccuracy(accuracy: AccuracySlo | undefined): ClientConfig {
  const config = exampleConfig();
  return {
    ...config,
    agents: config.agents.map((a) => (a.id !== 'answer' ? a : {
      ...a,
      routes: a.routes.map((r) => (r.id !== 'draft-reply' ? r : { ...r, slo: { ...r.slo, accuracy } })),
    })),
  };
}

const accuracyConfig = (minPassRatePercent: number) => withDraftReplyAccuracy({
  evaluators: [{ id: 'rubric-judge', minPassRatePercent }], minScoredCalls: 100,
});

const haikuEvidence = (verdicts: number, passes: number): EvaluationSums => ({
  agent: 'answer',
  route: 'draft-reply',
  model: HAIKU,
  evaluator: 'rubric-judge',
  verdicts,
  weightedVerdicts: verdicts,
  weightedPasses: passes,
  scores: 0,
  weightedScoreSum: 0,
  weightedScoreWeight: 0,
});

describe('model swaps', () => {
  const swapOf = (config: ClientConfig, evaluations: EvaluationSums[]) => buildReport({
    config, catalog, current: aggregates(OCTOBER, { evaluations }), generatedAt,
  })
    .recommendations.find((r) => r.id === `model-swap:answer/draft-reply:${SONNET}`)!;

  test('backed by evaluation when the cheaper model\'s lower bound clears the route\'s bar', () => {
    const swap = swapOf(accuracyConfig(90), [haikuEvidence(620, 602)]);
    expect(swap.evidence).toMatch(
      /^backed by evaluation: rubric-judge: pass rate 97\.1% \(one-sided 95% lower bound 95\.8%\) >= 90% bar over 620 scored calls/,
    );
    // Haiku 4.5 costs a third of Sonnet 4.5 for every token kind.
    const sonnetCost = aggregates().daily[0].costUsd;
    expect(swap.monthlySavingsUsd).toBeCloseTo((sonnetCost * 2) / 3, 2);
    expect(swap.arithmetic).toMatch(
      /1,000 calls a month on us\.anthropic\.claude-sonnet-4-5-20250929-v1:0 cost \$[\d.]+ at its prices; the same tokens at Claude Haiku 4\.5's prices/,
    );
  });

  test('a candidate needing a shadow evaluation when the evidence is short, below the bar, or the route has no bar', () => {
    expect(swapOf(accuracyConfig(90), [haikuEvidence(50, 50)]).evidence)
      .toMatch(/^candidate: needs a shadow evaluation: rubric-judge: 50 scored calls of claude-haiku-4-5, fewer than the 100 needed/);
    expect(swapOf(accuracyConfig(99), [haikuEvidence(620, 602)]).evidence)
      .toMatch(/^candidate: needs a shadow evaluation: rubric-judge: pass rate 97\.1% \(one-sided 95% lower bound 95\.8%\) < 99% bar/);
    expect(swapOf(withDraftReplyAccuracy(undefined), [haikuEvidence(620, 602)]).evidence)
      .toBe('candidate: needs a shadow evaluation (the route has no accuracy bar in its config)');
  });
});

describe('models in use near their end of life', () => {
  /** The built-in catalog with Haiku 4.5 retiring on `date`, and a successor where given. */
  const haikuRetiring = (date: string, successor?: string) => new PriceCatalog(BUILT_IN_PRICES.map((p) => (p.modelId === 'claude-haiku-4-5'
    ? { ...p, deprecationDate: date, deprecationNote: `Retires ${date} (https://example.com/deprecations).`, successor }
    : p)));
  const endOfLifeIn = (retiring: PriceCatalog) => buildReport({ config: exampleConfig(), catalog: retiring, current: aggregates(), generatedAt })
    .recommendations.filter((r) => r.kind === 'model-end-of-life');

  test('are named with the suggested successor and what the same tokens would cost on it', () => {
    const [eol, ...rest] = endOfLifeIn(haikuRetiring('2026-12-15', 'claude-sonnet-4-6'));
    expect(rest).toEqual([]);
    expect(eol).toMatchObject({ id: `model-end-of-life:${HAIKU}`, target: HAIKU, monthlySavingsUsd: 0 });
    expect(eol.title).toBe(`Claude Haiku 4.5 (${HAIKU}) reaches its end of life in 43 days (2026-12-15): move to Claude Sonnet 4.6 (claude-sonnet-4-6)`);
    // 500 calls x (1,500 input, 50 output): 750,000 x $1 + 25,000 x $5 = $0.875 on Haiku; x $3 and x $15 = $2.625 on Sonnet 4.6
    expect(eol.arithmetic).toBe('500 calls a month depend on it; suggested successor Claude Sonnet 4.6 (claude-sonnet-4-6: $3/M input, $15/M output'
      + ' against $1/M and $5/M): the same tokens would cost $1.75 a month more');
    expect(eol.evidence).toMatch(/^price catalog: Retires 2026-12-15 \(https:\/\/example.com\/deprecations\)\.; listed within 60 days of the date/);
  });

  test(`use the alarm's window, ${END_OF_LIFE_WARNING_DAYS} days, and no other`, () => {
    // generated 2026-11-02T08:00Z: 2027-01-01T00:00Z is 59.7 days away, 2027-01-02T00:00Z 60.7
    expect(endOfLifeIn(haikuRetiring('2027-01-01', 'claude-sonnet-4-6'))).toHaveLength(1);
    expect(endOfLifeIn(haikuRetiring('2027-01-02', 'claude-sonnet-4-6'))).toHaveLength(0);
  });

  test('a past date is still reported; without a successor in the catalog the report says so', () => {
    const [eol] = endOfLifeIn(haikuRetiring('2026-10-30'));
    expect(eol.title).toBe(`Claude Haiku 4.5 (${HAIKU}) reached its end of life on 2026-10-30`);
    expect(eol.arithmetic).toMatch(/the price catalog suggests no successor/);
  });

  test('a model whose retirement is announced is never suggested as a swap target', () => {
    const swaps = (c: PriceCatalog) => buildReport({ config: exampleConfig(), catalog: c, current: aggregates(), generatedAt })
      .recommendations.filter((r) => r.kind === 'model-swap').map((r) => r.title).join('\n');
    expect(swaps(catalog)).toMatch(/with Claude Haiku 4\.5/);
    expect(swaps(haikuRetiring('2027-06-01'))).not.toMatch(/Haiku/);
  });
});

test('output caps and retries: long tails and failed spend, with the arithmetic', () => {
  const failing = { ...day('2026-10-01', 'triage', 'classify-ticket', HAIKU, 5000, 1500, 50), modelErrors: 400, throttles: 100 };
  const current = aggregates(OCTOBER, {
    daily: [aggregates().daily[0], { ...failing, failedCostUsd: failing.costUsd / 2 }],
    distributions: [{
      agent: 'answer',
      route: 'draft-reply',
      calls: 10_000,
      latencyP50Ms: 1,
      latencyP95Ms: 1,
      latencyP99Ms: 1,
      outputTokensP50: 300,
      outputTokensP95: 800,
      outputTokensP99: 4000,
      outputTokensMax: 16000,
    }],
  });
  const report = buildReport({ config: exampleConfig(), catalog, current, generatedAt });
  const cap = report.recommendations.find((r) => r.kind === 'max-output-tokens')!;
  // At least 1% of 10,000 calls x (4,000 - 1,200) tokens x $15/M.
  expect(cap.monthlySavingsUsd).toBeCloseTo(0.01 * 10_000 * (4000 - 1200) * 15e-6, 2);
  expect(cap.title).toBe('Cap answer/draft-reply\'s output at about 1,200 tokens (its p99 is 5.0x its p95)');
  const retry = report.recommendations.find((r) => r.kind === 'retry-tuning')!;
  expect(retry.monthlySavingsUsd).toBeCloseTo(failing.costUsd / 2, 2);
  expect(retry.arithmetic).toMatch(/^500 failed calls a month \(400 model errors, 0 application errors, 100 throttles\) spent \$4\.38/);
});

test('a quarter: trends per month, budgets for three months', () => {
  const q = parsePeriod('2026-Q4');
  const months = ['2026-10', '2026-11', '2026-12'].map((m) => aggregates(parsePeriod(m)));
  const current = aggregates(q, { daily: months.flatMap((m) => m.daily) });
  const report = buildReport({ config: exampleConfig(), catalog, current, months, generatedAt });
  expect(report.periodKind).toBe('quarter');
  expect(report.previousPeriod).toBe('2026-Q3');
  expect(report.trends.map((t) => t.period)).toEqual(['2026-10', '2026-11', '2026-12']);
  expect(report.trends[0].costPerCallUsd).toBeCloseTo(report.totals.costUsd / 3 / 1500, 5);
  expect(report.totals.budgetUsd).toBe(18000 * 3);
  expect(report.sections.find((s) => s.id === 'trends')!.complete).toBe(true);
});

test('without a config: objectives unknown, said so; breakdowns still complete', () => {
  const report = buildReport({ catalog, current: withTenantsMatching(aggregates()), generatedAt });
  expect(report.clientId).toBe('unconfigured');
  expect(report.slo).toEqual([]);
  expect(report.sections.find((s) => s.id === 'slo')!.reasons).toEqual(['no client config was given, so objectives and accuracy bars are unknown']);
  expect(report.sections.find((s) => s.id === 'breakdowns')!.complete).toBe(true);
});

import * as fc from 'fast-check';
import { EmfAggregator, nearestRank, SkipReason } from '../../lib/reporting/emf-aggregator';
import { parsePeriod, previousPeriod } from '../../lib/reporting/period';

const OCTOBER = parsePeriod('2026-10');
const at = (iso: string) => Date.parse(iso);

function call(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    _aws: { Timestamp: at('2026-10-05T10:00:00Z'), CloudWatchMetrics: [] },
    recordType: 'ai_call',
    agent: 'answer',
    route: 'draft-reply',
    model: 'm',
    provider: 'aws.bedrock',
    tenant: 't1',
    calls: 1,
    inputTokens: 100,
    outputTokens: 10,
    cacheReadTokens: 5,
    cacheWriteTokens: 0,
    costUsd: 0.01,
    latencyMs: 100,
    modelErrors: 0,
    appErrors: 0,
    throttles: 0,
    ...overrides,
  });
}

test('sums calls into day, tenant and route distributions; lines of the month before go to the previous period', () => {
  const agg = new EmfAggregator(OCTOBER, previousPeriod(OCTOBER));
  agg.add(call());
  agg.add(call({ tenant: 't2', latencyMs: 300, modelErrors: 1, outcome: 'model_error' }));
  agg.add(`2026-09-30T23:59:59.000Z ${call({ _aws: { Timestamp: at('2026-09-30T23:59:59Z') } })}`);
  const { current, previous, lines, skipped } = agg.result();
  expect(lines).toBe(3);
  expect(skipped).toEqual({});
  expect(current.daily).toHaveLength(1);
  expect(current.daily[0]).toMatchObject({ day: '2026-10-05', calls: 2, costUsd: 0.02, modelErrors: 1, failedCostUsd: 0.01, inputTokens: 200 });
  expect(current.tenants.map((t) => t.tenant).sort()).toEqual(['t1', 't2']);
  expect(current.distributions[0]).toMatchObject({ calls: 2, latencyP50Ms: 100, latencyP99Ms: 300 });
  expect(previous.daily[0].day).toBe('2026-09-30');
});

test('evaluation lines: verdicts and scores, weighted', () => {
  const agg = new EmfAggregator(OCTOBER, previousPeriod(OCTOBER));
  const evaluation = (o: Record<string, unknown>) => JSON.stringify({
    _aws: { Timestamp: at('2026-10-05T10:00:00Z') }, recordType: 'evaluation', agent: 'a', route: 'r', model: 'm', evaluator: 'judge', ...o,
  });
  agg.add(evaluation({ evaluationPassed: 1, sampleWeight: 3 }));
  agg.add(evaluation({ evaluationPassed: 0 }));
  agg.add(evaluation({ evaluationScore: 0.5, sampleWeight: 2 }));
  agg.add(evaluation({ evaluationScore: 7 }));
  expect(agg.result().current.evaluations).toEqual([{
    agent: 'a',
    route: 'r',
    model: 'm',
    variant: undefined,
    evaluator: 'judge',
    verdicts: 2,
    weightedVerdicts: 4,
    weightedPasses: 3,
    scores: 1,
    weightedScoreSum: 1,
    weightedScoreWeight: 2,
  }]);
});

test('every line not summed is counted by reason; bad numbers are summed as 0 and counted', () => {
  const agg = new EmfAggregator(OCTOBER, previousPeriod(OCTOBER));
  for (const line of ['START RequestId: abc', '{not json', 'null', '{"recordType":"retrieval"}', '{"recordType":"ai_call"}',
    call({ _aws: { Timestamp: at('2026-07-01T00:00:00Z') } }), call({ costUsd: -5 }), call({ inputTokens: 'many' })]) agg.add(line);
  const { skipped, current } = agg.result();
  expect(skipped).toEqual({
    [SkipReason.NOT_JSON]: 3,
    [SkipReason.NOT_A_RECORD]: 1,
    [SkipReason.NO_TIMESTAMP]: 1,
    [SkipReason.OUTSIDE_PERIODS]: 1,
    [SkipReason.REPAIRED_NUMBER]: 2,
  });
  expect(current.daily[0]).toMatchObject({ calls: 2, costUsd: 0.01, inputTokens: 100 });
});

test('a quarter\'s lines also count in their month', () => {
  const q = parsePeriod('2026-Q4');
  const agg = new EmfAggregator(q, previousPeriod(q), [parsePeriod('2026-10'), parsePeriod('2026-11'), parsePeriod('2026-12')]);
  agg.add(call());
  agg.add(call({ _aws: { Timestamp: at('2026-12-31T23:00:00Z') } }));
  const { current, months } = agg.result();
  expect(current.daily.reduce((s, d) => s + d.calls, 0)).toBe(2);
  expect(months.map((m) => m.daily.reduce((s, d) => s + d.calls, 0))).toEqual([1, 0, 1]);
});

test('no input line makes the aggregator throw, and every line is accounted for', () => {
  fc.assert(fc.property(fc.array(fc.oneof(
    fc.string(),
    fc.json(),
    fc.record({
      recordType: fc.constantFrom('ai_call', 'evaluation'),
      _aws: fc.record({ Timestamp: fc.oneof(fc.integer(), fc.double(), fc.constant(at('2026-10-05T00:00:00Z'))) }),
      costUsd: fc.anything(),
      agent: fc.anything(),
      tenant: fc.anything(),
      latencyMs: fc.anything(),
      evaluationPassed: fc.anything(),
      sampleWeight: fc.anything(),
    }).map((o) => JSON.stringify(o)),
  ), { maxLength: 50 }), (lines) => {
    const agg = new EmfAggregator(OCTOBER, previousPeriod(OCTOBER));
    for (const line of lines) agg.add(line);
    const result = agg.result();
    const skipped = Object.entries(result.skipped)
      .filter(([reason]) => reason !== SkipReason.REPAIRED_NUMBER)
      .reduce((sum, [, n]) => sum + (n ?? 0), 0);
    // Every line is summed (a call or an evaluation) or skipped with a reason: none vanishes.
    expect(result.summed.calls + result.summed.evaluations + skipped).toBe(lines.length);
    expect(result.lines).toBe(lines.length);
    expect([...result.current.daily, ...result.previous.daily].reduce((sum, d) => sum + d.calls, 0)).toBe(result.summed.calls);
    for (const d of result.current.daily) expect(Number.isFinite(d.costUsd) && d.costUsd >= 0).toBe(true);
  }));
});

test('nearestRank: the smallest value with at least p% of values at or below it', () => {
  const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(nearestRank(sorted, 50)).toBe(5);
  expect(nearestRank(sorted, 95)).toBe(10);
  expect(nearestRank(new Float64Array(0), 50)).toBe(0);
});

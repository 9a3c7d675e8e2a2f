import * as fc from 'fast-check';
import { ROLLOUT_DEFAULTS } from '../../lib/config/defaults';
import { compareResults, CompareSettings, renderBrief } from '../../lib/rollout/compare/brief';
import { CompareInputError, pairResults, parseResults } from '../../lib/rollout/compare/parse';

interface Table { readonly both: number; readonly b: number; readonly c: number; readonly neither: number }

/** JSONL for both sides with the given 2×2 table of one pass/fail evaluator; `extra` adds fields per pair and side. */
function fixture(table: Table, extra: (i: number, side: 'baseline' | 'candidate') => object = () => ({})) {
  const cells: Array<[boolean, boolean]> = [
    ...Array(table.both).fill([true, true]), ...Array(table.b).fill([true, false]),
    ...Array(table.c).fill([false, true]), ...Array(table.neither).fill([false, false]),
  ];
  const line = (i: number, side: 'baseline' | 'candidate', pass: boolean) => JSON.stringify({ id: `r${i}`, scores: { correct: pass }, ...extra(i, side) });
  return {
    baseline: cells.map(([base], i) => line(i, 'baseline', base)).join('\n'),
    candidate: cells.map(([, cand], i) => line(i, 'candidate', cand)).join('\n'),
  };
}

function compare(texts: { baseline: string; candidate: string }, settings: Partial<CompareSettings> = {}) {
  const baseline = parseResults(texts.baseline, 'base.jsonl');
  const candidate = parseResults(texts.candidate, 'cand.jsonl');
  const marginPoints = ROLLOUT_DEFAULTS.nonInferiorityMarginPoints;
  return compareResults(baseline, candidate, pairResults(baseline, candidate), { marginPoints, ...settings });
}

describe('verdicts on fixture sets, computed by hand', () => {
  test('go: 1,000 pairs, b = 20, c = 30', () => {
    // Pass rates: baseline (900 + 20)/1000 = 92.0%, candidate (900 + 30)/1000 = 93.0%, Δ = +1.0 point.
    // McNemar (50 discordant ≥ 25): χ² = (|20 − 30| − 1)²/50 = 1.62, p = erfc(√0.81) = erfc(0.9) = 0.203092.
    // Agresti–Min: ñ = 1002, b̃ = 20.5, c̃ = 30.5, d = 10/1002 = 0.0099800, se = √(51 − 100/1002)/1002 = 0.0071202,
    // ±1.959964·se = ±0.0139553 → [−0.0039753, 0.0239354]; −0.40 > −2 points: non-inferior → go.
    const result = compare(fixture({ both: 900, b: 20, c: 30, neither: 50 }));
    const [check] = result.accuracy;
    expect(check).toMatchObject({ id: 'correct', kind: 'pass rate', pairs: 1000, baseline: 0.92, candidate: 0.93, discordant: { b: 20, c: 30 }, verdict: 'non-inferior' });
    expect(check.difference).toBeCloseTo(0.01, 12);
    expect(check.test.method).toBe('McNemar χ²');
    expect(check.test.pValue).toBeCloseTo(0.203092, 6);
    expect(check.interval.low).toBeCloseTo(-0.0039753, 6);
    expect(check.interval.high).toBeCloseTo(0.0239354, 6);
    expect(check.pairsNeeded).toBeUndefined();
    expect(result.decision).toBe('go');
  });

  test('no-go: 500 pairs, b = 60, c = 10', () => {
    // Δ = (10 − 60)/500 = −10.0 points. χ² = (50 − 1)²/70 = 34.3, p = erfc(√17.15) = 4.7238e−9.
    // ñ = 502, b̃ = 60.5, c̃ = 10.5, d = −50/502 = −0.0996016, se = √(71 − 2500/502)/502 = 0.0161858,
    // ±0.0317236 → [−0.1313252, −0.0678780]: the whole interval is below −2 points → inferior → no-go.
    const result = compare(fixture({ both: 400, b: 60, c: 10, neither: 30 }));
    const [check] = result.accuracy;
    expect(check.verdict).toBe('inferior');
    expect(check.test.pValue).toBeCloseTo(4.7238e-9, 12);
    expect(check.interval.low).toBeCloseTo(-0.1313252, 6);
    expect(check.interval.high).toBeCloseTo(-0.0678780, 6);
    expect(result.decision).toBe('no-go');
    expect(result.reasons).toEqual(['correct pass rate -10.0 points (95% CI -13.1 to -6.8): worse than the -2-point margin.']);
  });

  test('inconclusive: 200 pairs, b = c = 10, margin 3 points → need ~870 pairs', () => {
    // Exact binomial (20 discordant < 25): p = 2·P(X ≤ 10), X ~ Bin(20, ½) = 2·0.5880985 → capped at 1.
    // ñ = 202, b̃ = c̃ = 10.5, d = 0, se = √21/202 = 0.0226860, ±0.0444638 → [−0.0444638, 0.0444638]:
    // it crosses −3 points. ψ = 20/200 = 0.10, δ = 0.03: N = [1.959964·√0.1 + 0.841621·√(0.1 − 0.0009)]²/0.0009
    // = [0.619795 + 0.264886]²/0.0009 = 869.74 → 870.
    const result = compare(fixture({ both: 170, b: 10, c: 10, neither: 10 }), { marginPoints: 3 });
    const [check] = result.accuracy;
    expect(check.test).toEqual({ method: 'exact binomial', pValue: 1 });
    expect(check.interval.low).toBeCloseTo(-0.0444638, 6);
    expect(check.verdict).toBe('inconclusive');
    expect(check.pairsNeeded).toBe(870);
    expect(result.decision).toBe('inconclusive');
    expect(result.reasons[0]).toBe('Inconclusive: need ~870 pairs (have 200).');
  });

  test('scores: a paired bootstrap of the mean difference', () => {
    // Every pair's score moves from 0.80 to 0.75: mean Δ = −5 points, every resample too → interval [−5, −5] → inferior.
    const texts = {
      baseline: Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `r${i}`, scores: { helpful: 0.8 } })).join('\n'),
      candidate: Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `r${i}`, scores: { helpful: 0.75 } })).join('\n'),
    };
    const result = compare(texts);
    expect(result.accuracy[0]).toMatchObject({ id: 'helpful', kind: 'mean score', pairs: 30, verdict: 'inferior' });
    expect(result.accuracy[0].difference).toBeCloseTo(-0.05, 12);
    expect(result.accuracy[0].interval.high).toBeCloseTo(-0.05, 12);
    expect(result.decision).toBe('no-go');
  });

  test('the route\'s objectives: only its evaluators decide; a latency objective missed is a no-go', () => {
    // "correct" regresses badly but is not the route's evaluator; "other" is, and has no scores.
    const texts = fixture({ both: 400, b: 60, c: 10, neither: 30 }, (i, side) => ({ latencyMs: side === 'baseline' ? 100 : 900 + i }));
    const result = compare(texts, { objectiveEvaluators: ['other'], latencyObjectiveMs: { p50: 500, p95: 2000, p99: 4000 } });
    expect(result.accuracy[0].decides).toBe(false);
    expect(result.decision).toBe('no-go');
    // Candidate latencies 900..1399: p50 is the 250th smallest = 1149 ms > 500 ms; p95 (475th) = 1374 < 2000.
    expect(result.reasons).toEqual([
      'other (an accuracy objective of the route) has no paired scores.',
      'Latency p50 1149 ms is above the route\'s objective of 500 ms (baseline 100 ms).',
    ]);
  });

  test('no quality facts at all is inconclusive, never go', () => {
    const result = compare({ baseline: JSON.stringify({ id: 'a', latencyMs: 5 }), candidate: JSON.stringify({ id: 'a', latencyMs: 6 }) });
    expect(result.decision).toBe('inconclusive');
    expect(result.reasons).toEqual(['No evaluator verdicts, scores or format facts in the pairs: nothing to judge quality by.']);
  });

  test('a verdict on one side and a score on the other: the pair is skipped and counted', () => {
    const result = compare({
      baseline: '{"id":"a","scores":{"x":true}}\n{"id":"b","scores":{"x":true}}',
      candidate: '{"id":"a","scores":{"x":true}}\n{"id":"b","scores":{"x":0.5}}',
    });
    expect(result.accuracy[0]).toMatchObject({ id: 'x', kind: 'pass rate', pairs: 1, mismatched: 1 });
    expect(renderBrief(result)).toContain('- x: 1 pairs skipped (a verdict where the evaluator\'s other pairs have scores, or the reverse).');
  });

  test('files that share no id are an input error naming the candidate file', () => {
    expect(() => compare({ baseline: '{"id":"a"}', candidate: '{"id":"b"}' })).toThrow(CompareInputError);
    expect(() => compare({ baseline: '{"id":"a"}', candidate: '{"id":"b"}' })).toThrow('cand.jsonl $.id: none of its 1 ids appears in base.jsonl');
  });
});

describe('the brief renders', () => {
  // 10 pairs, all passing on both sides. Latency: baseline 100, 200, … 1000 ms; candidate 50 ms slower each.
  // Nearest rank: p50 = 5th value (500 → 550), p95 = p99 = 10th (1000 → 1050). Cost $0.001 → $0.0015 per call:
  // at 1,000,000 calls a month $1,000.00 → $1,500.00, Δ $500.00 (+50.0%). JSON valid: baseline 10/10, candidate 9/10
  // (b = 1, c = 0: exact p = 2·P(X ≤ 0), X ~ Bin(1, ½) = 1).
  const texts = fixture({ both: 10, b: 0, c: 0, neither: 0 }, (i, side) => ({
    latencyMs: (i + 1) * 100 + (side === 'candidate' ? 50 : 0),
    costUsd: side === 'baseline' ? 0.001 : 0.0015,
    inputTokens: 1000,
    outputTokens: side === 'baseline' ? 200 : 300,
    format: { jsonValid: !(side === 'candidate' && i === 0), length: side === 'baseline' ? 400 : 500 },
  }));
  const brief = renderBrief(compare({ baseline: texts.baseline + '\nnot json\n{"id":"lonely"}', candidate: texts.candidate }, { monthlyCalls: 1_000_000, route: 'answer/draft-reply' }));
  const lines = brief.split('\n');

  test('title, verdict, reasons, and the sections in order', () => {
    expect(lines[0]).toBe('# Regression brief: answer/draft-reply');
    expect(lines[2]).toBe('**Verdict: INCONCLUSIVE**');
    expect(lines[4]).toMatch(/^- Inconclusive: need ~\d+ pairs \(have 10\)\.$/);
    const headings = lines.filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## Inputs', '## Accuracy', '## Output format', '## Latency', '## Cost']);
  });

  test('every table has a header, a separator of the same width, and rows of that width', () => {
    let checked = 0;
    lines.forEach((line, i) => {
      if (!line.startsWith('|') || lines[i - 1]?.startsWith('|')) return;
      const width = line.split('|').length;
      expect(lines[i + 1]).toMatch(/^\|(---\|)+$/);
      expect(lines[i + 1].split('|').length).toBe(width);
      for (let j = i + 2; lines[j]?.startsWith('|'); j++) expect(lines[j].split('|').length).toBe(width);
      checked++;
    });
    expect(checked).toBe(5);
  });

  test('inputs: malformed and unpaired lines are counted and named', () => {
    expect(brief).toContain('| Malformed lines (skipped) | 1 | 0 |');
    expect(brief).toContain('| Without a partner (unpaired) | 1 | 0 |');
    expect(brief).toContain('Pairs compared: 10.');
    expect(brief).toContain('- `base.jsonl:11` $: expected one JSON object per line, found text that is not JSON');
  });

  test('accuracy, format, latency and cost rows', () => {
    expect(brief).toContain('| correct | pass rate | 10 | 100.0% | 100.0% | 0.0 |');
    expect(brief).toContain('| JSON valid | pass rate | 10 | 100.0% | 90.0% | -10.0 |');
    expect(brief).toContain('exact binomial (b=1, c=0) | 1.00 |');
    expect(brief).toContain('Mean output length: 400 → 500 characters (+25.0%, 10 pairs).');
    expect(brief).toContain('| p50 | 500 | 550 | +50 | +10.0% | - |');
    expect(brief).toContain('| p95 | 1000 | 1050 | +50 | +5.0% | - |');
    expect(brief).toContain('| p99 | 1000 | 1050 | +50 | +5.0% | - |');
    expect(brief).toContain('| Cost per call | $0.001000 | $0.001500 | $0.000500 | +50.0% |');
    expect(brief).toContain('| Output tokens per call | 200 | 300 | +100 | +50.0% |');
    expect(brief).toContain('| Monthly cost at 1000000 calls | $1000.00 | $1500.00 | $500.00 | +50.0% |');
  });
});

describe('any paired results render', () => {
  const side = fc.record({
    scores: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 4 }), fc.oneof(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true })), { maxKeys: 3 },
    ),
    latencyMs: fc.nat({ max: 60_000 }),
    costUsd: fc.double({ min: 0, max: 1, noNaN: true }),
    format: fc.record({ jsonValid: fc.boolean(), refusal: fc.boolean(), length: fc.nat({ max: 10_000 }) }, { requiredKeys: [] }),
  }, { requiredKeys: [] });

  test('a verdict, the five sections, and tables whose rows keep their width', () => {
    const pairsOf = fc.array(fc.tuple(side, side), { minLength: 1, maxLength: 40 });
    fc.assert(fc.property(pairsOf, fc.double({ min: 0.1, max: 20, noNaN: true }), (pairs, marginPoints) => {
      const texts = {
        baseline: pairs.map(([base], i) => JSON.stringify({ id: `r${i}`, ...base })).join('\n'),
        candidate: pairs.map(([, cand], i) => JSON.stringify({ id: `r${i}`, ...cand })).join('\n'),
      };
      const result = compare(texts, { marginPoints, resamples: 200 });
      expect(['go', 'no-go', 'inconclusive']).toContain(result.decision);
      expect(result.reasons.length).toBeGreaterThan(0);
      const lines = renderBrief(result).split('\n');
      expect(lines[2]).toBe(`**Verdict: ${result.decision.toUpperCase()}**`);
      expect(lines.filter((l) => l.startsWith('## '))).toEqual(['## Inputs', '## Accuracy', '## Output format', '## Latency', '## Cost']);
      const cells = (line: string) => line.split(/(?<!\\)\|/).length;
      lines.forEach((line, i) => {
        if (line.startsWith('|') && lines[i + 1]?.startsWith('|')) expect(cells(lines[i + 1])).toBe(cells(line));
      });
    }), { numRuns: 150 });
  });
});

/*
 * The regression brief: from paired results to a go / no-go / inconclusive verdict with its
 * reasons, and the Markdown that carries it. Pure: data in, text out (the bootstrap is seeded).
 */
import { CompareInputError, Pair, Pairing, ParsedResults, ResultRecord } from './parse';
import {
  ALPHA, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, Interval, mcNemar, pairedBootstrap, pairedProportionInterval, PairedTest,
  pairsNeeded, pairsNeededForMean, percentile,
} from './stats';


export interface CompareSettings {
  /** Non-inferiority margin, percentage points of pass rate (or of mean score × 100). */
  readonly marginPoints: number;
  /** Calls per month the cost projection is made for; none: no projection. */
  readonly monthlyCalls?: number;
  /** `agent/route` the comparison is for, shown in the title. */
  readonly route?: string;
  /** The route's accuracy evaluators: only these decide; others are informational. Absent: all decide. */
  readonly objectiveEvaluators?: readonly string[];
  /** The route's latency objectives, ms: a candidate percentile above its objective and above the baseline's is a no-go. */
  readonly latencyObjectiveMs?: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly resamples?: number;
  readonly seed?: number;
}

export type CheckVerdict = 'non-inferior' | 'inferior' | 'inconclusive';
export type Decision = 'go' | 'no-go' | 'inconclusive';

/** One quality or format check, compared pair by pair. */
export interface CheckResult {
  readonly id: string;
  readonly kind: 'pass rate' | 'mean score';
  readonly pairs: number;
  /** Baseline pass rate or mean score, 0 to 1. */
  readonly baseline: number;
  readonly candidate: number;
  /** Candidate − baseline, 0 to 1 scale. */
  readonly difference: number;
  readonly interval: Interval;
  readonly test: PairedTest;
  /** Discordant pairs (pass rates only): baseline passes and candidate fails (b), the reverse (c). */
  readonly discordant?: { readonly b: number; readonly c: number };
  readonly verdict: CheckVerdict;
  /** Pairs needed to decide at the margin, when more than there are. */
  readonly pairsNeeded?: number;
  readonly decides: boolean;
  /** Pairs skipped because a side's kind (verdict or score) is not the evaluator's (the kind of its first pair). */
  readonly mismatched: number;
}

export interface PercentileRow {
  readonly percentile: 'p50' | 'p95' | 'p99';
  readonly baseline: number;
  readonly candidate: number;
  readonly objective?: number;
}

export interface Comparison {
  readonly settings: CompareSettings;
  readonly baseline: ParsedResults;
  readonly candidate: ParsedResults;
  readonly pairing: Pairing;
  readonly accuracy: readonly CheckResult[];
  readonly format: readonly CheckResult[];
  readonly length?: { readonly pairs: number; readonly baseline: number; readonly candidate: number };
  readonly latency?: { readonly pairs: number; readonly rows: readonly PercentileRow[] };
  readonly cost?: {
    readonly pairs: number;
    readonly baselinePerCall: number;
    readonly candidatePerCall: number;
    readonly baselineTokens: { readonly input: number; readonly output: number };
    readonly candidateTokens: { readonly input: number; readonly output: number };
  };
  readonly decision: Decision;
  readonly reasons: readonly string[];
}

const FORMAT_CHECKS: ReadonlyArray<{ id: string; pass: (r: ResultRecord) => boolean | undefined }> = [
  { id: 'JSON valid', pass: (r) => r.format?.jsonValid },
  { id: 'schema conformant', pass: (r) => r.format?.schemaValid },
  { id: 'not refused', pass: (r) => (r.format?.refusal === undefined ? undefined : !r.format.refusal) },
];

/** Decides one check from its interval: above −margin is non-inferior, wholly below is inferior. */
function judge(interval: Interval, margin: number): CheckVerdict {
  if (interval.low > -margin) return 'non-inferior';
  if (interval.high < -margin) return 'inferior';
  return 'inconclusive';
}

function passRateCheck(
  id: string, verdicts: ReadonlyArray<readonly [boolean, boolean]>, margin: number, decides: boolean, mismatched: number,
): CheckResult {
  let both = 0;
  let b = 0;
  let c = 0;
  let baselinePasses = 0;
  let candidatePasses = 0;
  for (const [base, cand] of verdicts) {
    if (base) baselinePasses++;
    if (cand) candidatePasses++;
    if (base && cand) both++;
    else if (base) b++;
    else if (cand) c++;
  }
  const n = verdicts.length;
  const interval = pairedProportionInterval({ n, both, b, c });
  const verdict = judge(interval, margin);
  const needed = verdict === 'inconclusive' ? pairsNeeded((b + c) / n, margin) : undefined;
  return {
    id,
    kind: 'pass rate',
    pairs: n,
    baseline: baselinePasses / n,
    candidate: candidatePasses / n,
    difference: (c - b) / n,
    interval,
    test: mcNemar(b, c),
    discordant: { b, c },
    verdict,
    decides,
    mismatched,
    pairsNeeded: needed !== undefined && needed > n ? needed : undefined,
  };
}

function meanScoreCheck(
  id: string, scores: ReadonlyArray<readonly [number, number]>, settings: CompareSettings, margin: number, decides: boolean, mismatched: number,
): CheckResult {
  const n = scores.length;
  const boot = pairedBootstrap(scores.map(([base, cand]) => cand - base), settings.resamples ?? BOOTSTRAP_RESAMPLES, settings.seed ?? BOOTSTRAP_SEED);
  const verdict = judge(boot.interval, margin);
  const needed = verdict === 'inconclusive' ? pairsNeededForMean(boot.sd, margin) : undefined;
  return {
    id,
    kind: 'mean score',
    pairs: n,
    baseline: scores.reduce((s, [base]) => s + base, 0) / n,
    candidate: scores.reduce((s, [, cand]) => s + cand, 0) / n,
    difference: boot.meanDifference,
    interval: boot.interval,
    test: boot.test,
    verdict,
    decides,
    mismatched,
    pairsNeeded: needed !== undefined && needed > n ? needed : undefined,
  };
}

function accuracyChecks(pairs: readonly Pair[], settings: CompareSettings, margin: number): CheckResult[] {
  const byEvaluator = new Map<string, { kind?: 'boolean' | 'number'; verdicts: Array<[boolean, boolean]>; scores: Array<[number, number]>; mismatched: number }>();
  for (const { baseline, candidate } of pairs) {
    for (const [id, base] of Object.entries(baseline.scores ?? {})) {
      const cand = candidate.scores?.[id];
      if (cand === undefined) continue;
      const entry = byEvaluator.get(id) ?? { verdicts: [], scores: [], mismatched: 0 };
      byEvaluator.set(id, entry);
      const kind = typeof base === 'boolean' ? 'boolean' : 'number';
      entry.kind ??= kind;
      if (typeof cand !== typeof base || kind !== entry.kind) entry.mismatched++;
      else if (typeof base === 'boolean') entry.verdicts.push([base, cand as boolean]);
      else entry.scores.push([base, cand as number]);
    }
  }
  const decides = (id: string) => settings.objectiveEvaluators === undefined || settings.objectiveEvaluators.includes(id);
  return [...byEvaluator.entries()]
    .filter(([, e]) => e.verdicts.length + e.scores.length > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, e]) => (e.kind === 'boolean'
      ? passRateCheck(id, e.verdicts, margin, decides(id), e.mismatched)
      : meanScoreCheck(id, e.scores, settings, margin, decides(id), e.mismatched)));
}

/** The values both sides of a pair have, each side sorted. */
function sortedValues(
  pairs: readonly Pair[], pick: (r: ResultRecord) => number | undefined,
): { pairs: number; baseline: Float64Array; candidate: Float64Array } {
  const both = pairs.filter((p) => pick(p.baseline) !== undefined && pick(p.candidate) !== undefined);
  const baseline = Float64Array.from(both, (p) => pick(p.baseline)!).sort();
  const candidate = Float64Array.from(both, (p) => pick(p.candidate)!).sort();
  return { pairs: both.length, baseline, candidate };
}

const mean = (values: Float64Array) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Compares the paired results.
 * @throws CompareInputError when the two files share no id
 */
export function compareResults(baseline: ParsedResults, candidate: ParsedResults, pairing: Pairing, settings: CompareSettings): Comparison {
  if (pairing.pairs.length === 0) {
    throw new CompareInputError(candidate.file, undefined, '$.id', `none of its ${candidate.records.size} ids appears in ${baseline.file} (pairs are matched on id, requestId or pairId)`);
  }
  const margin = settings.marginPoints / 100;
  const { pairs } = pairing;
  const accuracy = accuracyChecks(pairs, settings, margin);
  const format = FORMAT_CHECKS.flatMap(({ id, pass }) => {
    const verdicts = pairs.flatMap((p) => {
      const base = pass(p.baseline);
      const cand = pass(p.candidate);
      return base === undefined || cand === undefined ? [] : [[base, cand] as const];
    });
    return verdicts.length > 0 ? [passRateCheck(id, verdicts, margin, true, 0)] : [];
  });

  const lengths = sortedValues(pairs, (r) => r.format?.length);
  const latencies = sortedValues(pairs, (r) => r.latencyMs);
  const costs = sortedValues(pairs, (r) => r.costUsd);
  const inputTokens = sortedValues(pairs, (r) => r.inputTokens);
  const outputTokens = sortedValues(pairs, (r) => r.outputTokens);
  const tokens = (side: 'baseline' | 'candidate') => ({
    input: inputTokens.pairs === 0 ? 0 : mean(inputTokens[side]),
    output: outputTokens.pairs === 0 ? 0 : mean(outputTokens[side]),
  });
  const objective = settings.latencyObjectiveMs;
  const latency = latencies.pairs === 0 ? undefined : {
    pairs: latencies.pairs,
    rows: ([['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const).map(([name, q]) => ({
      percentile: name, baseline: percentile(latencies.baseline, q), candidate: percentile(latencies.candidate, q), objective: objective?.[name],
    })),
  };

  const reasons: string[] = [];
  let noGo = false;
  let inconclusive = false;
  let needed = 0;
  for (const check of [...accuracy, ...format].filter((c) => c.decides)) {
    const what = `${check.id} ${check.kind} ${points(check.difference)} points (95% CI ${points(check.interval.low)} to ${points(check.interval.high)})`;
    if (check.verdict === 'inferior') {
      noGo = true;
      reasons.push(`${what}: worse than the -${settings.marginPoints}-point margin.`);
    } else if (check.verdict === 'inconclusive') {
      inconclusive = true;
      needed = Math.max(needed, check.pairsNeeded ?? 0);
      reasons.push(`${what}: the interval crosses the -${settings.marginPoints}-point margin`
        + (check.pairsNeeded ? `; need ~${check.pairsNeeded} pairs (have ${check.pairs}).` : '; the difference sits at the margin.'));
    }
  }
  for (const id of settings.objectiveEvaluators ?? []) {
    if (!accuracy.some((c) => c.id === id)) {
      inconclusive = true;
      reasons.push(`${id} (an accuracy objective of the route) has no paired scores.`);
    }
  }
  if (![...accuracy, ...format].some((c) => c.decides) && (settings.objectiveEvaluators ?? []).length === 0) {
    inconclusive = true;
    reasons.push('No evaluator verdicts, scores or format facts in the pairs: nothing to judge quality by.');
  }
  for (const row of latency?.rows ?? []) {
    if (row.objective !== undefined && row.candidate > row.objective && row.candidate > row.baseline) {
      noGo = true;
      reasons.push(`Latency ${row.percentile} ${row.candidate} ms is above the route's objective of ${row.objective} ms (baseline ${row.baseline} ms).`);
    }
  }
  const decision: Decision = noGo ? 'no-go' : inconclusive ? 'inconclusive' : 'go';
  if (decision === 'inconclusive' && needed > 0) reasons.unshift(`Inconclusive: need ~${needed} pairs (have ${pairs.length}).`);
  if (decision === 'go') reasons.push(`Every deciding check is no worse than the -${settings.marginPoints}-point margin at 95% confidence.`);

  return {
    settings,
    baseline,
    candidate,
    pairing,
    accuracy,
    format,
    latency,
    decision,
    reasons,
    length: lengths.pairs === 0 ? undefined : { pairs: lengths.pairs, baseline: mean(lengths.baseline), candidate: mean(lengths.candidate) },
    cost: costs.pairs === 0 ? undefined : {
      pairs: costs.pairs,
      baselinePerCall: mean(costs.baseline),
      candidatePerCall: mean(costs.candidate),
      baselineTokens: tokens('baseline'),
      candidateTokens: tokens('candidate'),
    },
  };
}

/** A 0–1 difference as signed percentage points, one decimal. */
function points(value: number): string {
  const p = Math.round(value * 1000) / 10;
  return `${p > 0 ? '+' : ''}${p.toFixed(1)}`;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function pValue(test: PairedTest): string {
  if (test.pValue < 0.001) return '<0.001';
  return test.pValue >= 0.1 ? test.pValue.toFixed(2) : test.pValue.toFixed(3);
}

function usd(value: number, digits = 6): string {
  return `${value < 0 ? '-' : ''}$${Math.abs(value).toFixed(digits)}`;
}

function signed(value: number, digits = 0): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;
}

function relative(candidate: number, baseline: number): string {
  return baseline === 0 ? 'n/a' : `${signed((candidate / baseline - 1) * 100, 1)}%`;
}

/** Text from the results files made safe for one Markdown line or table cell. */
function inline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(inline).join(' | ')} |`)];
}

function checkRows(checks: readonly CheckResult[]): string[][] {
  return checks.map((c) => [
    c.decides ? c.id : `${c.id} (informational)`,
    c.kind,
    String(c.pairs),
    c.kind === 'pass rate' ? percent(c.baseline) : c.baseline.toFixed(3),
    c.kind === 'pass rate' ? percent(c.candidate) : c.candidate.toFixed(3),
    points(c.difference),
    `${points(c.interval.low)} to ${points(c.interval.high)}`,
    c.discordant ? `${c.test.method} (b=${c.discordant.b}, c=${c.discordant.c})` : c.test.method,
    pValue(c.test),
    c.verdict + (c.pairsNeeded ? ` (need ~${c.pairsNeeded} pairs)` : ''),
  ]);
}

const CHECK_HEADER = ['Check', 'Measure', 'Pairs', 'Baseline', 'Candidate', 'Δ points', '95% CI (points)', 'Test', 'p', 'Verdict'];

/** The brief as Markdown. */
export function renderBrief(comparison: Comparison): string {
  const { settings, baseline, candidate, pairing } = comparison;
  const out: string[] = [];
  out.push(`# Regression brief${settings.route ? `: ${settings.route}` : ''}`, '');
  out.push(`**Verdict: ${comparison.decision.toUpperCase()}**`, '');
  out.push(...comparison.reasons.map((reason) => `- ${inline(reason)}`), '');
  out.push(`Non-inferiority margin: ${settings.marginPoints} points. A check passes when the lower bound of the `
    + `${(1 - ALPHA) * 100}% interval of (candidate − baseline) is above −${settings.marginPoints} points; `
    + 'it fails when the whole interval is below; otherwise more pairs are needed (Connor 1987, α = 0.05, power 0.8). '
    + '"No significant difference" (the p-value) is shown but does not decide.', '');

  out.push('## Inputs', '');
  out.push(...table(['', 'Baseline', 'Candidate'], [
    ['File', `\`${baseline.file}\``, `\`${candidate.file}\``],
    ['Lines read', String(baseline.lines), String(candidate.lines)],
    ['Malformed lines (skipped)', String(baseline.malformed), String(candidate.malformed)],
    ['Duplicate ids (skipped)', String(baseline.duplicates), String(candidate.duplicates)],
    ['Without a partner (unpaired)', String(pairing.baselineOnly), String(pairing.candidateOnly)],
  ]), '');
  out.push(`Pairs compared: ${pairing.pairs.length}.`, '');
  const problems = [
    ...baseline.problems.map((p) => ({ file: baseline.file, ...p })),
    ...candidate.problems.map((p) => ({ file: candidate.file, ...p })),
  ];
  if (problems.length > 0) {
    out.push('Malformed lines (first of each file):', '');
    out.push(...problems.map((p) => `- \`${p.file}:${p.line}\` ${inline(p.field)}: ${inline(p.message)}`), '');
  }

  out.push('## Accuracy', '');
  if (comparison.accuracy.length === 0) out.push('No evaluator scores in the pairs.', '');
  else out.push(...table(CHECK_HEADER, checkRows(comparison.accuracy)), '');
  const mismatched = comparison.accuracy.filter((c) => c.mismatched > 0);
  if (mismatched.length > 0) {
    out.push(...mismatched.map((c) => `- ${inline(c.id)}: ${c.mismatched} pairs skipped (a verdict where the evaluator's other pairs have scores, or the reverse).`), '');
  }

  out.push('## Output format', '');
  if (comparison.format.length === 0 && !comparison.length) out.push('No output format facts in the pairs.', '');
  if (comparison.format.length > 0) out.push(...table(CHECK_HEADER, checkRows(comparison.format)), '');
  if (comparison.length) {
    const l = comparison.length;
    out.push(`Mean output length: ${l.baseline.toFixed(0)} → ${l.candidate.toFixed(0)} characters (${relative(l.candidate, l.baseline)}, ${l.pairs} pairs).`, '');
  }

  out.push('## Latency', '');
  if (!comparison.latency) {out.push('No latency in the pairs.', '');} else {
    out.push(...table(['Percentile', 'Baseline ms', 'Candidate ms', 'Δ ms', 'Δ %', 'Route objective ms'], comparison.latency.rows.map((row) => [
      row.percentile, String(row.baseline), String(row.candidate), signed(row.candidate - row.baseline), relative(row.candidate, row.baseline),
      row.objective === undefined ? '-' : String(row.objective),
    ])), '', `Nearest-rank percentiles over ${comparison.latency.pairs} pairs.`, '');
  }

  out.push('## Cost', '');
  const cost = comparison.cost;
  if (!cost) {out.push('No cost in the pairs.', '');} else {
    const rows = [
      ['Cost per call', usd(cost.baselinePerCall), usd(cost.candidatePerCall), usd(cost.candidatePerCall - cost.baselinePerCall), relative(cost.candidatePerCall, cost.baselinePerCall)],
      ['Input tokens per call', cost.baselineTokens.input.toFixed(0), cost.candidateTokens.input.toFixed(0), signed(cost.candidateTokens.input - cost.baselineTokens.input), relative(cost.candidateTokens.input, cost.baselineTokens.input)],
      ['Output tokens per call', cost.baselineTokens.output.toFixed(0), cost.candidateTokens.output.toFixed(0), signed(cost.candidateTokens.output - cost.baselineTokens.output), relative(cost.candidateTokens.output, cost.baselineTokens.output)],
    ];
    if (settings.monthlyCalls !== undefined) {
      const calls = settings.monthlyCalls;
      rows.push([`Monthly cost at ${calls} calls`, usd(cost.baselinePerCall * calls, 2), usd(cost.candidatePerCall * calls, 2),
        usd((cost.candidatePerCall - cost.baselinePerCall) * calls, 2), relative(cost.candidatePerCall, cost.baselinePerCall)]);
    }
    out.push(...table(['', 'Baseline', 'Candidate', 'Δ', 'Δ %'], rows), '');
    out.push(settings.monthlyCalls === undefined
      ? `Means over ${cost.pairs} pairs. Give --monthly-calls for the projected monthly cost.`
      : `Means over ${cost.pairs} pairs; the monthly projection multiplies the cost per call by ${settings.monthlyCalls} calls.`, '');
  }
  return out.join('\n');
}

import { ACCURACY_CONFIDENCE_Z } from '../quality/settings';

/*
 * Small numeric helpers of the report: cents, apportioning rounded shares so they add up to the
 * rounded total, the Wilson lower bound of a pass rate, and the day a daily series shifted.
 */

/** US dollars rounded to the cent. */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** A ratio as a percentage with one decimal, or null when the denominator is zero. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/**
 * Rounds each value to the cent so that the rounded values add up exactly to `totalUsd` rounded
 * to the cent (largest-remainder apportionment). Rounding 50,000 tenant costs one by one can miss
 * the total by dollars; a breakdown that does not add up is not a breakdown.
 */
export function apportionCents(values: number[], totalUsd: number): number[] {
  const target = Math.round(totalUsd * 100);
  const exact = values.map((v) => v * 100);
  const floors = exact.map(Math.floor);
  let remaining = target - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => ({ i, rest: v - floors[i] })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  const result = [...floors];
  // `remaining` can be negative when the values sum above the target (float noise): take cents
  // back from the smallest remainders first.
  for (let k = 0; remaining > 0 && k < order.length; k++, remaining--) result[order[k].i]++;
  for (let k = order.length - 1; remaining < 0 && k >= 0; k--, remaining++) result[order[k].i]--;
  return result.map((c) => c / 100);
}

/**
 * The Wilson score interval's lower bound of a pass rate (Miller, "Adding Error Bars to Evals"),
 * one-sided at the confidence the accuracy alarms use; 0 when there is no evidence.
 */
export function wilsonLowerBound(passRate: number, n: number, z: number = ACCURACY_CONFIDENCE_Z): number {
  if (n <= 0) return 0;
  const z2 = z * z;
  const centre = passRate + z2 / (2 * n);
  const spread = z * Math.sqrt((passRate * (1 - passRate)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}

/** The median of a list (0 for an empty one). */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One day's value of a series and how much it counts (calls, tokens). */
export interface DailyPoint {
  readonly day: string;
  readonly value: number;
  readonly weight: number;
}

/**
 * The first day of the second segment of the best two-segment fit (least weighted squared error)
 * of a daily series, when the two segments' means differ by at least `minShift`; else undefined.
 * "Cache hit rate 82% → 41% since Oct 12" names that day.
 */
export function shiftDay(series: DailyPoint[], minShift: number): string | undefined {
  const points = series.filter((p) => p.weight > 0);
  if (points.length < 4) return undefined;
  let best: { day: string; sse: number; shift: number } | undefined;
  for (let split = 2; split <= points.length - 2; split++) {
    const [a, b] = [points.slice(0, split), points.slice(split)];
    const [ma, mb] = [weightedMean(a), weightedMean(b)];
    const sse = a.reduce((s, p) => s + p.weight * (p.value - ma) ** 2, 0) + b.reduce((s, p) => s + p.weight * (p.value - mb) ** 2, 0);
    if (!best || sse < best.sse) best = { day: points[split].day, sse, shift: Math.abs(mb - ma) };
  }
  return best && best.shift >= minShift ? best.day : undefined;
}

function weightedMean(points: DailyPoint[]): number {
  const weight = points.reduce((s, p) => s + p.weight, 0);
  return points.reduce((s, p) => s + p.weight * p.value, 0) / weight;
}

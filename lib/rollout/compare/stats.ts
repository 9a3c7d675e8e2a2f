/*
 * The statistics of a paired comparison (baseline and candidate on the same requests), pure and
 * deterministic. Distribution functions are written here rather than taken from a package: the
 * few needed (normal CDF and quantile, binomial tail at p = 1/2) are short, and the candidates on
 * npm (jstat) are unmaintained and untyped. Unit tests hold each against published values.
 */

/** Two-sided significance level of every interval and test (95% intervals). */
export const ALPHA = 0.05;
/** Power the needed sample size is computed for. */
export const POWER = 0.8;
/** Discordant pairs below which McNemar's χ² is replaced by the exact binomial test. */
export const EXACT_BELOW_DISCORDANT = 25;
/** Bootstrap resamples for continuous scores. */
export const BOOTSTRAP_RESAMPLES = 10_000;
/** Seed of the bootstrap's PRNG: the same inputs always give the same brief. */
export const BOOTSTRAP_SEED = 20261129;

/**
 * Complementary error function (Numerical Recipes' Chebyshev fit, `erfcc`): relative error below
 * 1.2e-7 everywhere, ample for p-values printed to three significant digits.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal quantile Φ⁻¹(p), 0 < p < 1 (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
  const b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
  const c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
  const d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** P(X ≤ k) for X ~ Bin(n, ½), summed in log space so large n does not underflow. */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logChoose = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += Math.exp(logChoose - n * Math.LN2);
    logChoose += Math.log(n - i) - Math.log(i + 1);
  }
  return Math.min(1, sum);
}

/** The paired 2×2 table of one pass/fail check. */
export interface PairedCounts {
  /** Pairs. */
  readonly n: number;
  /** Both pass. */
  readonly both: number;
  /** Baseline passes, candidate fails. */
  readonly b: number;
  /** Baseline fails, candidate passes. */
  readonly c: number;
}

export interface PairedTest {
  readonly method: 'exact binomial' | 'McNemar χ²' | 'no discordant pairs' | 'paired bootstrap';
  /** Two-sided p-value of "no difference". */
  readonly pValue: number;
  /** The χ² statistic (McNemar only). */
  readonly statistic?: number;
}

/**
 * McNemar's test on the discordant pairs: χ² = (|b − c| − 1)² / (b + c) with 1 degree of freedom,
 * or with fewer than 25 discordant pairs the exact two-sided binomial test on Bin(b + c, ½).
 */
export function mcNemar(b: number, c: number): PairedTest {
  const discordant = b + c;
  if (discordant === 0) return { method: 'no discordant pairs', pValue: 1 };
  if (discordant < EXACT_BELOW_DISCORDANT) {
    return { method: 'exact binomial', pValue: Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), discordant)) };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / discordant;
  // P(χ²₁ > x) = P(|Z| > √x) = erfc(√(x/2)).
  return { method: 'McNemar χ²', statistic, pValue: erfc(Math.sqrt(statistic / 2)) };
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * 95% interval of the paired difference of pass rates (candidate − baseline), Agresti–Min 2005:
 * half a pair added to each cell of the 2×2 table (n + 2 pairs), then the Wald interval. Unlike the
 * plain Wald interval it never collapses to a point when there are no discordant pairs.
 */
export function pairedProportionInterval(counts: PairedCounts): Interval {
  const n = counts.n + 2;
  const b = counts.b + 0.5;
  const c = counts.c + 0.5;
  const difference = (c - b) / n;
  const se = Math.sqrt(b + c - (c - b) ** 2 / n) / n;
  const z = normalQuantile(1 - ALPHA / 2);
  return { low: Math.max(-1, difference - z * se), high: Math.min(1, difference + z * se) };
}

/**
 * Pairs needed to detect a drop of `delta` in a paired design (Connor 1987), α = 0.05 two-sided,
 * power 0.8: N = [z₁₋α/₂·√ψ + z₁₋β·√(ψ − δ²)]² / δ². ψ (the share of discordant pairs) is at least
 * δ, since a drop of δ needs that many discordant pairs.
 */
export function pairsNeeded(discordantShare: number, delta: number): number {
  const psi = Math.min(1, Math.max(discordantShare, delta));
  const zAlpha = normalQuantile(1 - ALPHA / 2);
  const zBeta = normalQuantile(POWER);
  return Math.ceil((zAlpha * Math.sqrt(psi) + zBeta * Math.sqrt(psi - delta * delta)) ** 2 / (delta * delta));
}

/** Pairs needed to detect a mean drop of `delta` when the paired differences have standard deviation `sd`. */
export function pairsNeededForMean(sd: number, delta: number): number {
  const z = normalQuantile(1 - ALPHA / 2) + normalQuantile(POWER);
  return Math.max(2, Math.ceil((z * sd / delta) ** 2));
}

/**
 * A seeded PRNG, uniform in (0, 1): Park and Miller's minimal standard generator (Lehmer,
 * multiplier 48271 modulo 2³¹ − 1), exact in double arithmetic, ample for resampling.
 */
export function seededRandom(seed: number): () => number {
  const modulus = 2147483647;
  let state = Math.abs(Math.floor(seed)) % modulus || 1;
  return () => {
    state = (state * 48271) % modulus;
    return state / modulus;
  };
}

export interface BootstrapResult {
  readonly meanDifference: number;
  readonly interval: Interval;
  readonly test: PairedTest;
  /** Standard deviation of the paired differences (sample, n − 1). */
  readonly sd: number;
}

/**
 * Paired bootstrap of the mean difference: resample the pairs' differences with replacement,
 * take the 2.5th and 97.5th percentiles (nearest rank) of the resampled means; the two-sided
 * p-value is twice the smaller share of resampled means on either side of zero.
 */
export function pairedBootstrap(differences: readonly number[], resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED): BootstrapResult {
  const n = differences.length;
  if (n === 0) throw new RangeError('pairedBootstrap: no pairs');
  const mean = differences.reduce((sum, d) => sum + d, 0) / n;
  const sd = n > 1 ? Math.sqrt(differences.reduce((sum, d) => sum + (d - mean) ** 2, 0) / (n - 1)) : 0;
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[Math.floor(random() * n)];
    const m = sum / n;
    means[r] = m;
    if (m <= 0) atOrBelow++;
    if (m >= 0) atOrAbove++;
  }
  means.sort();
  const interval = { low: percentile(means, ALPHA / 2), high: percentile(means, 1 - ALPHA / 2) };
  const pValue = sd === 0 && mean === 0 ? 1 : Math.min(1, 2 * Math.min(atOrBelow, atOrAbove) / resamples);
  return { meanDifference: mean, interval, sd, test: { method: 'paired bootstrap', pValue } };
}

/** Nearest-rank percentile of sorted values: the ⌈q·n⌉-th smallest (the smallest for q = 0). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

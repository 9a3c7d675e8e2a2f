import {
  binomialHalfCdf, erfc, mcNemar, normalCdf, normalQuantile, pairedBootstrap, pairedProportionInterval, pairsNeeded, pairsNeededForMean,
  percentile, seededRandom,
} from '../../lib/rollout/compare/stats';

describe('distribution functions against published values', () => {
  test.each([
    // Φ⁻¹ from standard normal tables (Abramowitz & Stegun 26.2), 9 digits.
    [0.975, 1.959963985],
    [0.8, 0.841621234],
    [0.05, -1.644853627],
    [0.001, -3.090232306],
    [0.5, 0],
  ])('normalQuantile(%p) = %p', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });

  test('normalQuantile refuses p outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  test.each([
    [1.96, 0.9750021049],
    [-1, 0.1586552539],
    [0, 0.5],
    [3, 0.9986501020],
  ])('normalCdf(%p) = %p', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 7);
  });

  test('erfc(0.9) = 0.2030917876 (tables)', () => {
    expect(erfc(0.9)).toBeCloseTo(0.2030917876, 7);
    expect(erfc(-0.9)).toBeCloseTo(2 - 0.2030917876, 7);
  });

  test('binomial tail at ½ by counting', () => {
    // P(X ≤ 2), X ~ Bin(10, ½) = (C(10,0) + C(10,1) + C(10,2)) / 2¹⁰ = (1 + 10 + 45) / 1024
    expect(binomialHalfCdf(2, 10)).toBeCloseTo(56 / 1024, 12);
    expect(binomialHalfCdf(-1, 10)).toBe(0);
    expect(binomialHalfCdf(10, 10)).toBe(1);
    // Symmetry at a large n where 2^-n underflows: P(X ≤ 1999) for Bin(4000, ½) = (1 − P(X = 2000)) / 2, and
    // P(X = 2000) ≈ 1/√(π·2000) = 0.0126150 (Stirling), so the tail ≈ 0.4936925.
    expect(binomialHalfCdf(1999, 4000)).toBeCloseTo(0.4936925, 5);
  });
});

describe('McNemar and the exact binomial test', () => {
  test('few discordant pairs: exact two-sided binomial', () => {
    // b = 2, c = 10: 12 discordant < 25, so p = 2·P(X ≤ 2), X ~ Bin(12, ½) = 2·(1 + 12 + 66)/4096 = 158/4096 = 0.0385742
    const test = mcNemar(2, 10);
    expect(test.method).toBe('exact binomial');
    expect(test.pValue).toBeCloseTo(158 / 4096, 10);
  });

  test('many discordant pairs: χ² with continuity correction', () => {
    // b = 30, c = 15: χ² = (|30 − 15| − 1)² / 45 = 196/45 = 4.35556; p = P(χ²₁ > 4.35556) = erfc(√(4.35556/2)) = 0.0368884
    const test = mcNemar(30, 15);
    expect(test.method).toBe('McNemar χ²');
    expect(test.statistic).toBeCloseTo(196 / 45, 10);
    expect(test.pValue).toBeCloseTo(0.0368884, 6);
  });

  test('the switch happens at 25 discordant pairs, and no discordant pair means p = 1', () => {
    expect(mcNemar(12, 12).method).toBe('exact binomial');
    expect(mcNemar(12, 13).method).toBe('McNemar χ²');
    expect(mcNemar(0, 0)).toEqual({ method: 'no discordant pairs', pValue: 1 });
  });
});

describe('the paired interval (Agresti–Min) and the sample size (Connor)', () => {
  test('interval by hand', () => {
    // n = 200, b = 12, c = 8 → add ½ per cell: ñ = 202, b̃ = 12.5, c̃ = 8.5; d = (8.5 − 12.5)/202 = −0.0198020;
    // se = √(21 − 4²/202)/202 = √20.920792/202 = 0.0226432; ±1.959964·se = ±0.0443798 → [−0.0641818, 0.0245779]
    const interval = pairedProportionInterval({ n: 200, both: 150, b: 12, c: 8 });
    expect(interval.low).toBeCloseTo(-0.0641818, 6);
    expect(interval.high).toBeCloseTo(0.0245779, 6);
  });

  test('no discordant pair still gives an interval of honest width', () => {
    // n = 10, b = c = 0: ñ = 12, b̃ = c̃ = ½, d = 0, se = √1/12; ±1.959964/12 = ±0.163330
    const interval = pairedProportionInterval({ n: 10, both: 10, b: 0, c: 0 });
    expect(interval.low).toBeCloseTo(-0.163330, 5);
    expect(interval.high).toBeCloseTo(0.163330, 5);
  });

  test.each([
    // The reference figures (evaluation-stats.md), N = [1.959964·√ψ + 0.841621·√(ψ − δ²)]² / δ², rounded up:
    [0.10, 0.02, 1960], // [0.619795 + 0.265612]² / 0.0004 = 1959.86
    [0.10, 0.03, 870], // [0.619795 + 0.264886]² / 0.0009 = 869.74
    [0.20, 0.03, 1742], // 1741.84
    [0.10, 0.05, 312], // 311.59
  ])('pairsNeeded(ψ = %p, δ = %p) = %p', (psi, delta, n) => {
    expect(pairsNeeded(psi, delta)).toBe(n);
  });

  test('ψ is at least δ: a drop of δ needs that share of discordant pairs', () => {
    expect(pairsNeeded(0, 0.03)).toBe(pairsNeeded(0.03, 0.03));
  });

  test('pairs for a mean: ((1.959964 + 0.841621)·sd/δ)², sd = 0.1, δ = 0.02 → 196.22 → 197', () => {
    expect(pairsNeededForMean(0.1, 0.02)).toBe(197);
  });
});

describe('paired bootstrap', () => {
  test('two pairs with differences 0 and 1: resampled means are 0, ½, 1 with chances ¼, ½, ¼', () => {
    // The 2.5th percentile is 0 and the 97.5th is 1 (each end holds ~25% of the resamples).
    const result = pairedBootstrap([0, 1]);
    expect(result.meanDifference).toBe(0.5);
    expect(result.interval).toEqual({ low: 0, high: 1 });
    // p = 2·min(share ≤ 0, share ≥ 0) = 2·min(~¼, 1) ≈ ½
    expect(result.test.pValue).toBeGreaterThan(0.45);
    expect(result.test.pValue).toBeLessThan(0.55);
  });

  test('every difference −0.05: the interval is the point, p = 0', () => {
    const result = pairedBootstrap(Array(10).fill(-0.05));
    expect(result.interval.low).toBeCloseTo(-0.05, 12);
    expect(result.interval.high).toBeCloseTo(-0.05, 12);
    expect(result.test.pValue).toBe(0);
    expect(result.sd).toBeCloseTo(0, 12);
  });

  test('deterministic for a seed, and close to the normal interval for many pairs', () => {
    const random = seededRandom(7);
    const differences = Array.from({ length: 400 }, () => random() - 0.45);
    const first = pairedBootstrap(differences);
    expect(pairedBootstrap(differences)).toEqual(first);
    expect(pairedBootstrap(differences, 10_000, 1)).not.toEqual(first);
    const { meanDifference, sd, interval } = first;
    const half = 1.959964 * sd / Math.sqrt(400);
    expect(interval.low).toBeCloseTo(meanDifference - half, 2);
    expect(interval.high).toBeCloseTo(meanDifference + half, 2);
  });

  test('nearest-rank percentile', () => {
    const sorted = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    // ⌈0.5·10⌉ = 5th → 50; ⌈0.95·10⌉ = 10th → 100; ⌈0.25·10⌉ = 3rd → 30
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.95)).toBe(100);
    expect(percentile(sorted, 0.25)).toBe(30);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

import { BASELINE, CANDIDATE, flagDocument, SettableFlagSource, TestClock } from './fixtures';
import { bucketOf, parseRouteFlag, VariantRollout } from '../../lib/rollout/runtime';

const KEYS = 100_000;
const keys = Array.from({ length: KEYS }, (_, i) => `tenant-${i}`);

describe('sticky assignment across stages', () => {
  test('every key on the candidate at 10% stays on it at 50% and 100%; shares within 1 point', async () => {
    // GIVEN a rollout reading a flag that moves 10% -> 50% -> 100%
    const source = new SettableFlagSource();
    const clock = new TestClock();
    const rollout = new VariantRollout({ source, clock: clock.read, pollIntervalSeconds: 45, warn: () => undefined });
    const onCandidateAt = async (percent: number): Promise<Set<string>> => {
      source.document = flagDocument(percent);
      clock.now += 46_000;
      await rollout.chooseVariant('support', 'triage', 'prime');
      await rollout.settled();
      const onCandidate = new Set<string>();
      let fromOtherOrigin = 0;
      for (const key of keys) {
        // Plain checks, not expect, in the 100,000-key loop.
        const choice = await rollout.chooseVariant('support', 'triage', key);
        if (choice?.origin !== 'appconfig') fromOtherOrigin++;
        if (choice?.role === 'candidate') onCandidate.add(key);
      }
      expect(fromOtherOrigin).toBe(0);
      return onCandidate;
    };

    // WHEN every key is assigned at each stage
    const at10 = await onCandidateAt(10);
    const at50 = await onCandidateAt(50);
    const at100 = await onCandidateAt(100);

    // THEN the shares hold within one percentage point, and no key leaves the candidate
    expect(Math.abs(at10.size / KEYS - 0.10)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(at50.size / KEYS - 0.50)).toBeLessThanOrEqual(0.01);
    expect(at100.size).toBe(KEYS);
    expect([...at10].filter((key) => !at50.has(key))).toEqual([]);
    expect([...at50].filter((key) => !at100.has(key))).toEqual([]);
  });

  test('the choice carries the variant bundle and what telemetry records', async () => {
    const source = new SettableFlagSource();
    source.document = flagDocument(100);
    const rollout = new VariantRollout({ source, warn: () => undefined });

    const choice = await rollout.chooseVariant('support', 'triage', 'tenant-1');

    expect(choice).toEqual({ variant: CANDIDATE, role: 'candidate', origin: 'appconfig', shadow: undefined, telemetry: { variant: CANDIDATE.id } });
  });

  test('the same key falls elsewhere for another route or another candidate', () => {
    const inA = keys.slice(0, 10_000).filter((key) => bucketOf('support/triage/c1', key) < 0.1);
    const inB = keys.slice(0, 10_000).filter((key) => bucketOf('support/refunds/c1', key) < 0.1);
    const overlap = inA.filter((key) => inB.includes(key)).length;
    // Independent buckets overlap on about 10% of 10%.
    expect(overlap / inA.length).toBeLessThan(0.2);
  });

  test('a disabled flag sends every key to the baseline (kill switch)', async () => {
    const source = new SettableFlagSource();
    source.document = flagDocument(100, 50, false);
    const rollout = new VariantRollout({ source, warn: () => undefined });

    const choices = await Promise.all(keys.slice(0, 1000).map((key) => rollout.chooseVariant('support', 'triage', key)));

    expect(new Set(choices.map((c) => c?.variant.id))).toEqual(new Set([BASELINE.id]));
    expect(choices.every((c) => c?.shadow === undefined)).toBe(true);
  });

  test('the shadow sample follows the flag share and only shadows baseline-served requests', async () => {
    const source = new SettableFlagSource();
    source.document = flagDocument(10, 20);
    const rollout = new VariantRollout({ source, warn: () => undefined });

    const choices = await Promise.all(keys.slice(0, 20_000).map((key, i) => rollout.chooseVariant('support', 'triage', key, { requestId: `req-${i}` })));
    const baselineServed = choices.filter((c) => c?.role === 'baseline');
    const shadowed = baselineServed.filter((c) => c?.shadow?.id === CANDIDATE.id);

    expect(Math.abs(shadowed.length / baselineServed.length - 0.2)).toBeLessThan(0.015);
    expect(choices.filter((c) => c?.role === 'candidate' && c.shadow !== undefined)).toEqual([]);
  });

  test('the flag document is read into variants with their parameters', () => {
    expect(parseRouteFlag(flagDocument(10, 5))).toEqual({
      flag: { baseline: BASELINE, candidate: CANDIDATE, candidatePercent: 10, shadowPercent: 5 },
      problems: [],
    });
  });
});

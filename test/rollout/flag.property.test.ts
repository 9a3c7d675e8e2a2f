import * as fc from 'fast-check';
import { BASELINE, CANDIDATE, flagDocument, SettableFlagSource, TestClock } from './fixtures';
import { featureFlagsDocument, FLAG_ATTRIBUTES, parseRouteFlag, ROLLOUT_FLAG_KEY, routeFlagValues, Variant, VariantRollout } from '../../lib/rollout/runtime';

/** Flag attributes as AppConfig could hold them, each replaced at times by any value at all. */
const oddValue = fc.oneof(fc.anything(), fc.double(), fc.string(), fc.constant(undefined));
const oddFlag = fc.record({
  enabled: fc.oneof(fc.boolean(), oddValue),
  baselineId: fc.oneof(fc.constant(BASELINE.id), oddValue),
  baselineModel: fc.oneof(fc.constant(BASELINE.model), oddValue),
  baselinePromptVersion: fc.oneof(fc.constant('3'), oddValue),
  baselineTemperature: oddValue,
  candidateId: fc.oneof(fc.constant(CANDIDATE.id), oddValue),
  candidateModel: fc.oneof(fc.constant(CANDIDATE.model), oddValue),
  candidatePromptVersion: fc.oneof(fc.constant('3'), oddValue),
  candidateMaxTokens: oddValue,
  [FLAG_ATTRIBUTES.CANDIDATE_PERCENT]: fc.oneof(fc.double(), fc.integer({ min: -10, max: 200 }), oddValue),
  [FLAG_ATTRIBUTES.SHADOW_PERCENT]: fc.oneof(fc.double(), oddValue),
}, { requiredKeys: [] });
const oddDocument = fc.oneof(fc.anything(), oddFlag.map((flag) => ({ [ROLLOUT_FLAG_KEY]: flag })));

describe('odd flag documents', () => {
  test('parsing never throws; a flag it returns is whole, with shares in 0-100', () => {
    fc.assert(fc.property(oddDocument, (document) => {
      const { flag, problems } = parseRouteFlag(document);
      if (!flag) return problems.length > 0;
      const variants = [flag.baseline, ...(flag.candidate ? [flag.candidate] : [])];
      return variants.every((v) => typeof v.id === 'string' && v.id.trim() !== '' && typeof v.model === 'string' && typeof v.promptVersion === 'string'
        && Object.values(v.params).every((p) => typeof p === 'number' && Number.isFinite(p)))
        && flag.candidatePercent >= 0 && flag.candidatePercent <= 100 && flag.shadowPercent >= 0 && flag.shadowPercent <= 100
        && (flag.candidate !== undefined || flag.candidatePercent === 0);
    }), { numRuns: 2000 });
  });

  test('choosing never throws: a good flag, then any document, then odd keys; an unusable document keeps the last good flag', async () => {
    await fc.assert(fc.asyncProperty(oddDocument, fc.oneof(fc.anything(), fc.constant({ toString: '' })), async (document, key) => {
      // GIVEN a rollout that has read a good 100% flag
      const clock = new TestClock();
      const source = new SettableFlagSource();
      source.document = flagDocument(100);
      const rollout = new VariantRollout({ source, clock: clock.read, baselines: { 'support/triage': BASELINE }, warn: () => undefined });
      await rollout.chooseVariant('support', 'triage', 'k');

      // WHEN the next read returns an odd document and a request comes with an odd key
      source.document = document;
      clock.now += 60_000;
      await rollout.chooseVariant('support', 'triage', key as string);
      await rollout.settled();
      const choice = await rollout.chooseVariant('support', 'triage', key as string);

      // THEN there is a choice, and it comes from the new flag if usable, else the cached one
      const usable = parseRouteFlag(document).flag !== undefined;
      return choice !== undefined && (usable ? choice.origin === 'appconfig' : choice.origin === 'cache' && choice.variant.id === CANDIDATE.id);
    }), { numRuns: 300 });
  });

  test('an odd document before any good one: the local baseline', async () => {
    await fc.assert(fc.asyncProperty(oddDocument.filter((d) => parseRouteFlag(d).flag === undefined), async (document) => {
      const source = new SettableFlagSource();
      source.document = document;
      const rollout = new VariantRollout({ source, baselines: { 'support/triage': BASELINE }, warn: () => undefined });
      const choice = await rollout.chooseVariant('support', 'triage', 'tenant-1');
      return choice?.origin === 'local-baseline' && choice.variant === BASELINE;
    }), { numRuns: 200 });
  });
});

describe('the flag ModelRollout deploys is the flag chooseVariant reads', () => {
  const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/);
  const variant: fc.Arbitrary<Variant> = fc.record({
    id: text,
    model: text,
    promptVersion: text,
    params: fc.record({
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      maxTokens: fc.integer({ min: 1, max: 100_000 }),
      topP: fc.double({ min: 0, max: 1, noNaN: true }),
    }, { requiredKeys: [] }),
  });
  const percent = fc.integer({ min: 0, max: 100 });

  test('any state written by routeFlagValues reads back unchanged, without problems', () => {
    const maybe = fc.option(variant, { nil: undefined });
    fc.assert(fc.property(variant, maybe, maybe, percent, percent, (baseline, candidate, previous, candidatePercent, shadowPercent) => {
      const values = routeFlagValues({ baseline, candidate, previous, candidatePercent, shadowPercent });
      const { flag, problems } = parseRouteFlag({ [ROLLOUT_FLAG_KEY]: values });
      expect(problems).toEqual([]);
      expect(flag).toEqual({
        baseline,
        candidate,
        candidatePercent: candidate ? candidatePercent : 0,
        shadowPercent: candidate ? shadowPercent : 0,
        ...(previous ? { previous } : {}),
      });
    }), { numRuns: 500 });
  });

  test('the hosted document declares every attribute it sets, with its type, and bounds the shares', () => {
    const document: any = featureFlagsDocument({ baseline: BASELINE, candidate: CANDIDATE, candidatePercent: 10, shadowPercent: 5 }, 'test');
    const values = document.values[ROLLOUT_FLAG_KEY];
    const attributes = document.flags[ROLLOUT_FLAG_KEY].attributes;
    expect(Object.keys(attributes).sort()).toEqual(Object.keys(values).filter((k) => k !== 'enabled').sort());
    for (const [name, value] of Object.entries(values)) if (name !== 'enabled') expect(attributes[name].constraints.type).toBe(typeof value);
    expect(attributes[FLAG_ATTRIBUTES.CANDIDATE_PERCENT].constraints).toEqual({ type: 'number', minimum: 0, maximum: 100 });
    expect(document.version).toBe('1');
  });
});

import { daysUntilEndOfLife, END_OF_LIFE_WARNING_DAYS, endOfLifeOf, isWithinEndOfLifeWindow, ModelVendor, PriceCatalog } from '../../lib/pricing';

const catalog = PriceCatalog.builtIn();
const on = (day: string) => new Date(`${day}T12:00:00Z`);

describe('PriceCatalog.costOf at list prices', () => {
  test('Claude Sonnet 4.5 on Bedrock: every token kind at its own price, 5-minute cache writes', () => {
    // 1,200 x 3.00 + 350 x 15.00 + 8,000 x 0.30 + 1,500 x 3.75 = 16,875 USD per million
    const cost = catalog.costOf({
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      timestamp: on('2026-03-01'),
      inputTokens: 1_200,
      outputTokens: 350,
      cacheReadTokens: 8_000,
      cacheWriteTokens: 1_500,
    });
    expect(cost.costUsd).toBeCloseTo(0.016875, 12);
    expect(cost.priceVersion).toBe('anthropic/claude-sonnet-4-5@2025-09-29');
    expect(cost.priced).toBe(true);
  });

  test('1-hour cache writes are billed at the 1-hour write price, the rest at the 5-minute one', () => {
    // 3,600 + 5,250 + 2,400 + 500 x 3.75 + 1,000 x 6.00 = 19,125 USD per million
    const cost = catalog.costOf({
      modelId: 'claude-sonnet-4-5',
      timestamp: on('2026-03-01'),
      inputTokens: 1_200,
      outputTokens: 350,
      cacheReadTokens: 8_000,
      cacheWriteTokens: 1_500,
      cacheWrite1hTokens: 1_000,
    });
    expect(cost.costUsd).toBeCloseTo(0.019125, 12);
  });

  test('a request above 200k input tokens moves every token kind to the long-context tier', () => {
    // prompt = 150,000 + 60,000 cache read = 210,000 > 200,000:
    // 150,000 x 6.00 + 2,000 x 22.50 + 60,000 x 0.60 = 981,000 USD per million
    const cost = catalog.costOf({
      modelId: 'claude-sonnet-4-5-20250929',
      timestamp: on('2026-03-01'),
      inputTokens: 150_000,
      outputTokens: 2_000,
      cacheReadTokens: 60_000,
    });
    expect(cost.costUsd).toBeCloseTo(0.981, 12);
    expect(cost.priceVersion).toBe('anthropic/claude-sonnet-4-5@2025-09-29+long-context');
  });

  test('exactly 200k input tokens stays in the standard tier', () => {
    // 200,000 x 3.00 + 1,000 x 15.00 = 615,000 USD per million
    const cost = catalog.costOf({ modelId: 'claude-sonnet-4-5', timestamp: on('2026-03-01'), inputTokens: 200_000, outputTokens: 1_000 });
    expect(cost.costUsd).toBeCloseTo(0.615, 12);
  });

  test('Gemini 2.5 Pro long context, called by its API resource name', () => {
    // 250,000 x 2.50 + 1,000 x 15.00 = 640,000 USD per million
    const cost = catalog.costOf({ modelId: 'models/gemini-2.5-pro', timestamp: on('2026-03-01'), inputTokens: 250_000, outputTokens: 1_000 });
    expect(cost.costUsd).toBeCloseTo(0.64, 12);
  });

  test('Claude Haiku 4.5 by its dated Anthropic API id', () => {
    // 500 x 1.00 + 200 x 5.00 = 1,500 USD per million
    const cost = catalog.costOf({ modelId: 'claude-haiku-4-5-20251001', timestamp: on('2026-03-01'), inputTokens: 500, outputTokens: 200 });
    expect(cost.costUsd).toBeCloseTo(0.0015, 12);
  });

  test('cache writes of a model without a cache-write price are billed as input', () => {
    // GPT-5: 1,000 x 1.25 + 2,000 written to cache x 1.25 (input) + 100 x 10.00 = 4,750 USD per million
    const cost = catalog.costOf({ modelId: 'gpt-5-2025-08-07', timestamp: on('2026-03-01'), inputTokens: 1_000, outputTokens: 100, cacheWriteTokens: 2_000 });
    expect(cost.costUsd).toBeCloseTo(0.00475, 12);
  });
});

describe('PriceCatalog dates', () => {
  test('a model called before its first price is unpriced: cost 0, flagged, never guessed', () => {
    const cost = catalog.costOf({ modelId: 'claude-opus-4-6', timestamp: on('2026-01-01'), inputTokens: 1_000, outputTokens: 1_000 });
    expect(cost).toEqual({ costUsd: 0, priceVersion: 'unpriced', priced: false });
  });

  test('an unknown model is unpriced', () => {
    const cost = catalog.costOf({ modelId: 'claude-9-ultra', timestamp: on('2026-03-01'), inputTokens: 1_000, outputTokens: 1_000 });
    expect(cost.priced).toBe(false);
    expect(cost.costUsd).toBe(0);
  });

  test('a price change is a new dated entry: each call is costed at the price of its own day', () => {
    // GIVEN a model whose price halves on 2026-06-01
    const base = catalog.latest('gpt-5-mini')!;
    const dated = new PriceCatalog([
      base,
      { ...base, effectiveFrom: '2026-06-01', prices: { input: 0.125, output: 1, cacheRead: 0.0125 }, source: 'test: price cut' },
    ]);
    const usage = { modelId: 'gpt-5-mini', inputTokens: 1_000_000, outputTokens: 0 };
    // THEN history keeps the old price and new calls get the new one
    expect(dated.costOf({ ...usage, timestamp: on('2026-05-31') }).costUsd).toBeCloseTo(0.25, 12);
    expect(dated.costOf({ ...usage, timestamp: on('2026-06-01') }).costUsd).toBeCloseTo(0.125, 12);
    expect(dated.costOf({ ...usage, timestamp: on('2026-06-01') }).priceVersion).toBe('openai/gpt-5-mini@2026-06-01');
    expect(dated.latest('gpt-5-mini')?.effectiveFrom).toBe('2026-06-01');
  });
});

describe('client price overrides', () => {
  test('a negotiated discount applies from its effective date on', () => {
    const discounted = catalog.withOverrides([{ modelId: 'gpt-5-mini', discountPercent: 15, effectiveFrom: '2026-01-01' }]);
    // 10,000 x 0.25 + 30,000 x 0.025 + 1,000 x 2.00 = 5,250 USD per million; x 0.85 = 4,462.5
    const usage = { modelId: 'gpt-5-mini', inputTokens: 10_000, outputTokens: 1_000, cacheReadTokens: 30_000 };
    const before = discounted.costOf({ ...usage, timestamp: on('2025-12-31') });
    const after = discounted.costOf({ ...usage, timestamp: on('2026-02-01') });
    expect(before.costUsd).toBeCloseTo(0.00525, 12);
    expect(before.priceVersion).toBe('openai/gpt-5-mini@2025-08-07');
    expect(after.costUsd).toBeCloseTo(0.0044625, 12);
    expect(after.priceVersion).toBe('openai/gpt-5-mini@2025-08-07-15%@2026-01-01');
  });

  test('override prices price a model the catalog does not know', () => {
    const custom = catalog.withOverrides([{ modelId: 'acme-private-llm', prices: { input: 2, output: 4 } }]);
    // 1,000 x 2 + 1,000 x 4 + 500 cache read at the input price = 7,000 USD per million
    const cost = custom.costOf({ modelId: 'acme-private-llm', timestamp: on('2026-03-01'), inputTokens: 1_000, outputTokens: 1_000, cacheReadTokens: 500 });
    expect(cost.costUsd).toBeCloseTo(0.007, 12);
    expect(cost.priceVersion).toBe('client/acme-private-llm@always');
  });
});

describe('the built-in catalog', () => {
  test.each([
    'claude-opus-4-5', 'claude-opus-4-6', 'claude-sonnet-4-5', 'claude-sonnet-4-6', 'claude-haiku-4-5',
    'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite',
  ])('prices %s with a source and a valid effective date', (modelId) => {
    const price = catalog.latest(modelId);
    expect(price).toBeDefined();
    expect(price!.source).toMatch(/https:\/\//);
    expect(price!.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(price!.prices.input).toBeGreaterThan(0);
    expect(price!.prices.output).toBeGreaterThan(price!.prices.input);
  });

  test('Anthropic models carry both cache-write prices; the others bill no cache writes apart', () => {
    for (const price of catalog.prices()) {
      if (price.vendor === ModelVendor.ANTHROPIC) {
        expect(price.prices.cacheWrite5m).toBeCloseTo(price.prices.input * 1.25, 12);
        expect(price.prices.cacheWrite1h).toBeCloseTo(price.prices.input * 2, 12);
      } else {
        expect(price.prices.cacheWrite5m).toBeUndefined();
      }
    }
  });

  test('provider-specific ids resolve to the canonical id', () => {
    expect(PriceCatalog.canonicalModelId('global.anthropic.claude-opus-4-5-20251101-v1:0')).toBe('claude-opus-4-5');
    expect(PriceCatalog.canonicalModelId('eu.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('claude-haiku-4-5');
    expect(PriceCatalog.canonicalModelId('gpt-5-nano-2025-08-07')).toBe('gpt-5-nano');
    expect(PriceCatalog.canonicalModelId('gemini-2.5-flash-lite')).toBe('gemini-2.5-flash-lite');
    expect(PriceCatalog.canonicalModelId('gemini-2.5-flash-preview-05-20')).toBe('gemini-2.5-flash-preview-05-20');
  });

});

describe('end-of-life dates and successors', () => {
  test('every retirement date is a real day and cites where it was read; every successor is a catalog model that does not retire first', () => {
    for (const price of catalog.prices()) {
      if (price.deprecationDate !== undefined) {
        expect({ model: price.modelId, date: new Date(`${price.deprecationDate}T00:00:00Z`).toISOString().slice(0, 10) })
          .toEqual({ model: price.modelId, date: price.deprecationDate });
        expect(price.deprecationNote).toMatch(/https:\/\//);
      }
      if (price.successor !== undefined) {
        const successor = catalog.latest(price.successor);
        expect({ model: price.modelId, successor: successor?.modelId }).toEqual({ model: price.modelId, successor: price.successor });
        expect(successor!.modelId).not.toBe(price.modelId);
        expect(successor!.vendor).toBe(price.vendor);
        if (price.deprecationDate !== undefined && successor!.deprecationDate !== undefined) {
          expect(successor!.deprecationDate > price.deprecationDate).toBe(true);
        }
      }
    }
  });

  test('the announced retirements: the GPT-5 family on 2026-12-11, Gemini 2.5 Pro and Flash on 2026-12-01, Opus 4.5 on 2027-01-22', () => {
    const dates = Object.fromEntries(catalog.modelIds().map((id) => [id, catalog.latest(id)!.deprecationDate ?? null]));
    expect(dates).toEqual({
      'claude-opus-4-5': '2027-01-22',
      'claude-opus-4-6': null,
      'claude-sonnet-4-5': null,
      'claude-sonnet-4-6': null,
      'claude-haiku-4-5': null,
      'gpt-5': '2026-12-11',
      'gpt-5-mini': '2026-12-11',
      'gpt-5-nano': '2026-12-11',
      'gemini-2.5-pro': '2026-12-01',
      'gemini-2.5-flash': '2026-12-01',
      'gemini-2.5-flash-lite': null,
    });
  });

  test('endOfLifeOf resolves the id as the client calls it, with the successor\'s entry; a model without a date has none', () => {
    const eol = endOfLifeOf(catalog, 'global.anthropic.claude-opus-4-5-20251101-v1:0')!;
    expect(eol).toMatchObject({ date: '2027-01-22', epochSeconds: Date.UTC(2027, 0, 22) / 1000 });
    expect(eol.model.modelId).toBe('claude-opus-4-5');
    expect(eol.successor?.modelId).toBe('claude-opus-4-6');
    expect(endOfLifeOf(catalog, 'gpt-5-mini-2025-08-07')).toMatchObject({ date: '2026-12-11', successor: undefined });
    expect(endOfLifeOf(catalog, 'anthropic.claude-haiku-4-5-20251001-v1:0')).toBeUndefined();
    expect(endOfLifeOf(catalog, 'a-model-nobody-priced')).toBeUndefined();
  });

  test(`the window is ${END_OF_LIFE_WARNING_DAYS} days, counted to the retirement day's first second (UTC)`, () => {
    const eol = endOfLifeOf(catalog, 'gpt-5')!;
    const at = (iso: string) => new Date(iso);
    // 2026-12-11T00:00Z minus 60 days is 2026-10-12T00:00Z
    expect(isWithinEndOfLifeWindow(eol, at('2026-10-11T23:59:59Z'))).toBe(false);
    expect(isWithinEndOfLifeWindow(eol, at('2026-10-12T00:00:01Z'))).toBe(true);
    expect(isWithinEndOfLifeWindow(eol, at('2027-03-01T00:00:00Z'))).toBe(true);
    expect(daysUntilEndOfLife(eol, at('2026-11-29T12:00:00Z'))).toBe(12);
    expect(daysUntilEndOfLife(eol, at('2026-12-12T12:00:00Z'))).toBe(-1);
  });
});

import { ModelPrice, ModelVendor } from './types';

const ANTHROPIC_SOURCE = 'Anthropic pricing page (https://docs.anthropic.com/en/docs/about-claude/pricing), read 2026-08; matches LiteLLM model_prices_and_context_window.json and Langfuse default-model-prices.json';
const OPENAI_SOURCE = 'OpenAI API pricing page (https://openai.com/api/pricing/), standard tier, read 2026-08; matches LiteLLM and Langfuse price maps';
const GOOGLE_SOURCE = 'Gemini API pricing page (https://ai.google.dev/gemini-api/docs/pricing), paid tier, text input, read 2026-08; matches LiteLLM and Langfuse price maps';

/**
 * Built-in list prices, USD per million tokens. Append a dated entry when a price changes; never
 * edit a past one, or history recomputed from telemetry stops matching the bills.
 */
export const BUILT_IN_PRICES: ModelPrice[] = [
  {
    vendor: ModelVendor.ANTHROPIC,
    modelId: 'claude-opus-4-5',
    displayName: 'Claude Opus 4.5',
    effectiveFrom: '2025-11-24',
    prices: { input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10 },
    source: ANTHROPIC_SOURCE,
  },
  {
    vendor: ModelVendor.ANTHROPIC,
    modelId: 'claude-opus-4-6',
    displayName: 'Claude Opus 4.6',
    effectiveFrom: '2026-02-05',
    prices: { input: 5, output: 25, cacheRead: 0.5, cacheWrite5m: 6.25, cacheWrite1h: 10 },
    source: `${ANTHROPIC_SOURCE}; standard mode (the "fast" mode is priced higher and is not listed)`,
  },
  {
    vendor: ModelVendor.ANTHROPIC,
    modelId: 'claude-sonnet-4-5',
    displayName: 'Claude Sonnet 4.5',
    effectiveFrom: '2025-09-29',
    prices: { input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6 },
    longContext: {
      aboveInputTokens: 200_000,
      // The 1 h write above 200k is not published apart; Anthropic doubles every input-side
      // price above 200k, so it is 2 x 6.00 here.
      prices: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite5m: 7.5, cacheWrite1h: 12 },
    },
    source: `${ANTHROPIC_SOURCE}; long-context tier from LiteLLM (absent from Langfuse)`,
  },
  {
    vendor: ModelVendor.ANTHROPIC,
    modelId: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6',
    effectiveFrom: '2026-02-17',
    prices: { input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6 },
    source: ANTHROPIC_SOURCE,
  },
  {
    vendor: ModelVendor.ANTHROPIC,
    modelId: 'claude-haiku-4-5',
    displayName: 'Claude Haiku 4.5',
    effectiveFrom: '2025-10-15',
    prices: { input: 1, output: 5, cacheRead: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2 },
    source: ANTHROPIC_SOURCE,
  },
  {
    vendor: ModelVendor.OPENAI,
    modelId: 'gpt-5',
    displayName: 'GPT-5',
    effectiveFrom: '2025-08-07',
    prices: { input: 1.25, output: 10, cacheRead: 0.125 },
    source: `${OPENAI_SOURCE}; flex (0.625 input) and priority (2.50 input) tiers are not listed`,
  },
  {
    vendor: ModelVendor.OPENAI,
    modelId: 'gpt-5-mini',
    displayName: 'GPT-5 mini',
    effectiveFrom: '2025-08-07',
    prices: { input: 0.25, output: 2, cacheRead: 0.025 },
    source: OPENAI_SOURCE,
  },
  {
    vendor: ModelVendor.OPENAI,
    modelId: 'gpt-5-nano',
    displayName: 'GPT-5 nano',
    effectiveFrom: '2025-08-07',
    prices: { input: 0.05, output: 0.4, cacheRead: 0.005 },
    source: OPENAI_SOURCE,
    deprecationNote: 'Marked deprecated by OpenAI; no shutdown date announced.',
  },
  {
    vendor: ModelVendor.GOOGLE,
    modelId: 'gemini-2.5-pro',
    displayName: 'Gemini 2.5 Pro',
    effectiveFrom: '2025-06-17',
    prices: { input: 1.25, output: 10, cacheRead: 0.125 },
    longContext: {
      aboveInputTokens: 200_000,
      prices: { input: 2.5, output: 15, cacheRead: 0.25 },
    },
    source: GOOGLE_SOURCE,
  },
  {
    vendor: ModelVendor.GOOGLE,
    modelId: 'gemini-2.5-flash',
    displayName: 'Gemini 2.5 Flash',
    effectiveFrom: '2025-06-17',
    prices: { input: 0.3, output: 2.5, cacheRead: 0.03 },
    source: `${GOOGLE_SOURCE}; one map lists 0.075 cache read for a preview id, which is not this model`,
  },
  {
    vendor: ModelVendor.GOOGLE,
    modelId: 'gemini-2.5-flash-lite',
    displayName: 'Gemini 2.5 Flash-Lite',
    effectiveFrom: '2025-07-22',
    prices: { input: 0.1, output: 0.4, cacheRead: 0.01 },
    source: GOOGLE_SOURCE,
  },
];

import { ModelPrice, ModelVendor } from './types';

const ANTHROPIC_SOURCE = 'Anthropic pricing page (https://docs.anthropic.com/en/docs/about-claude/pricing), read 2026-08; matches LiteLLM model_prices_and_context_window.json and Langfuse default-model-prices.json';
const OPENAI_SOURCE = 'OpenAI API pricing page (https://openai.com/api/pricing/), standard tier, read 2026-08; matches LiteLLM and Langfuse price maps';
const GOOGLE_SOURCE = 'Gemini API pricing page (https://ai.google.dev/gemini-api/docs/pricing), paid tier, text input, read 2026-08; matches LiteLLM and Langfuse price maps';

/*
 * End-of-life dates are the vendor's own API's (Bedrock and Vertex AI publish their own schedules for
 * the models they host, which can differ): read 2026-11-29 from the pages named in each note. Only a
 * date a vendor announced is written; a model without one gets no date.
 */
const OPENAI_GPT5_SHUTDOWN = 'OpenAI API deprecations page (https://developers.openai.com/api/docs/deprecations), '
  + '"2026-06-11: GPT-5 and o3 model deprecations": shutdown 2026-12-11 for the id and its dated snapshot, notice given 2026-06-11; '
  + 'also summarised with the same date by aideprecations.com (dev.to, 2026). The page\'s recommended replacement is a GPT-6.1 model '
  + '(the copies read name it differently: gpt-6.1-* on the page, gpt-5.6-* in the summary), which this catalog does not price yet: no successor is suggested';
const GEMINI_25_SHUTDOWN = 'Gemini API deprecations (https://ai.google.dev/gemini-api/docs/deprecations): the stored copies of the page list '
  + '2026-06-17 as the earliest shutdown date; the date used, 2026-12-01, is the shutdown the page announced as read 2026-11-10 by '
  + 'aideprecations.com (dev.to, "What to do before Gemini 2.5 Pro and 2.5 Flash are retired on December 1, 2026"), which names '
  + 'gemini-3.8-flash (for Pro) and gemini-3.5-flash-lite (for Flash) as replacements, neither priced in this catalog yet. '
  + 'Vertex AI publishes its own retirement dates (https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions)';

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
    deprecationDate: '2027-01-22',
    deprecationNote: 'Deprecated by Anthropic on 2026-11-23 with 2027-01-22 as its tentative retirement date on the Claude API, per the '
      + 'model status table of https://platform.claude.com/docs/en/about-claude/model-deprecations as quoted by the modelpin 0.5.7 release '
      + 'notes (re-read 2026-11-26), which add that Vertex AI gives the same date; Amazon Bedrock sets its own. Anthropic recommends '
      + 'claude-opus-5-5, not priced in this catalog yet: the suggested successor is claude-opus-4-6 (same list price)',
    successor: 'claude-opus-4-6',
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
    deprecationNote: 'Reported as being retired with claude-sonnet-4-6 as the migration target (aiproductivity.ai, 2026); no retirement '
      + 'date found on https://platform.claude.com/docs/en/about-claude/model-deprecations in the copies read 2026-11-29: no date is set',
    successor: 'claude-sonnet-4-6',
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
    deprecationDate: '2026-12-11',
    deprecationNote: OPENAI_GPT5_SHUTDOWN,
  },
  {
    vendor: ModelVendor.OPENAI,
    modelId: 'gpt-5-mini',
    displayName: 'GPT-5 mini',
    effectiveFrom: '2025-08-07',
    prices: { input: 0.25, output: 2, cacheRead: 0.025 },
    source: OPENAI_SOURCE,
    deprecationDate: '2026-12-11',
    deprecationNote: OPENAI_GPT5_SHUTDOWN,
  },
  {
    vendor: ModelVendor.OPENAI,
    modelId: 'gpt-5-nano',
    displayName: 'GPT-5 nano',
    effectiveFrom: '2025-08-07',
    prices: { input: 0.05, output: 0.4, cacheRead: 0.005 },
    source: OPENAI_SOURCE,
    deprecationDate: '2026-12-11',
    deprecationNote: OPENAI_GPT5_SHUTDOWN,
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
    deprecationDate: '2026-12-01',
    deprecationNote: GEMINI_25_SHUTDOWN,
  },
  {
    vendor: ModelVendor.GOOGLE,
    modelId: 'gemini-2.5-flash',
    displayName: 'Gemini 2.5 Flash',
    effectiveFrom: '2025-06-17',
    prices: { input: 0.3, output: 2.5, cacheRead: 0.03 },
    source: `${GOOGLE_SOURCE}; one map lists 0.075 cache read for a preview id, which is not this model`,
    deprecationDate: '2026-12-01',
    deprecationNote: GEMINI_25_SHUTDOWN,
  },
  {
    vendor: ModelVendor.GOOGLE,
    modelId: 'gemini-2.5-flash-lite',
    displayName: 'Gemini 2.5 Flash-Lite',
    effectiveFrom: '2025-07-22',
    prices: { input: 0.1, output: 0.4, cacheRead: 0.01 },
    source: GOOGLE_SOURCE,
    deprecationNote: 'Sources disagree, so no date is set: stored copies of https://ai.google.dev/gemini-api/docs/deprecations list '
      + '2026-07-22 as the earliest shutdown date, while the page as read 2026-11-10 (aideprecations.com) says the model "is not '
      + 'deprecated and remains available through the API until further notice"',
  },
];

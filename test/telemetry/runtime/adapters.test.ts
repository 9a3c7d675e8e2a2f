import * as fs from 'fs';
import * as path from 'path';
import { PriceCatalog } from '../../../lib/pricing';
import {
  CallOutcome, fromAnthropicMessage, fromBedrockConverse, fromOpenAiChatCompletion, fromOpenAiResponse, outcomeOfError, ProviderUsage,
} from '../../../lib/telemetry/runtime';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8'));
const catalog = PriceCatalog.builtIn();
const costOf = (modelId: string, usage: ProviderUsage) => catalog.costOf({ modelId, timestamp: new Date('2026-03-01T10:00:00Z'), ...usage }).costUsd;

describe('usage adapters on recorded responses', () => {
  test('Bedrock Converse: uncached input apart from cache reads and writes, Bedrock\'s own latency', () => {
    const usage = fromBedrockConverse(fixture('bedrock-converse'));
    expect(usage).toEqual({
      provider: 'aws.bedrock',
      inputTokens: 1843,
      outputTokens: 512,
      cacheReadTokens: 11200,
      cacheWriteTokens: 800,
      latencyMs: 3120,
      requestId: '6f1c9e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    });
    // the three input kinds and the output add up to Bedrock's totalTokens
    expect(usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens).toBe(14355);
    // Sonnet 4.5: 1,843 x 3.00 + 512 x 15.00 + 11,200 x 0.30 + 800 x 3.75 = 19,569 USD per million
    expect(costOf('us.anthropic.claude-sonnet-4-5-20250929-v1:0', usage)).toBeCloseTo(0.019569, 9);
  });

  test('Bedrock ConverseStream: the metadata event that ends the stream', () => {
    const usage = fromBedrockConverse(fixture('bedrock-converse-stream-metadata'));
    expect(usage).toEqual({ provider: 'aws.bedrock', inputTokens: 420, outputTokens: 96, cacheReadTokens: 0, cacheWriteTokens: 0, latencyMs: 880 });
    // Haiku 4.5: 420 x 1.00 + 96 x 5.00 = 900 USD per million
    expect(costOf('anthropic.claude-haiku-4-5-20251001-v1:0', usage)).toBeCloseTo(0.0009, 9);
  });

  test('Anthropic Messages: 5-minute and 1-hour cache writes priced apart', () => {
    const usage = fromAnthropicMessage(fixture('anthropic-message'));
    expect(usage).toEqual({
      provider: 'anthropic',
      inputTokens: 2100,
      outputTokens: 1350,
      cacheReadTokens: 30000,
      cacheWriteTokens: 5000,
      cacheWrite1hTokens: 3000,
      requestId: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    });
    // Opus 4.5: 2,100 x 5 + 1,350 x 25 + 30,000 x 0.50 + 2,000 x 6.25 + 3,000 x 10 = 101,750 USD per million
    expect(costOf('claude-opus-4-5-20251101', usage)).toBeCloseTo(0.10175, 9);
  });

  test('OpenAI Chat Completions: cached tokens taken out of prompt_tokens', () => {
    const usage = fromOpenAiChatCompletion(fixture('openai-chat-completion'));
    expect(usage).toEqual({
      provider: 'openai', inputTokens: 1104, outputTokens: 740, cacheReadTokens: 4096, cacheWriteTokens: 0, requestId: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
    });
    // GPT-5 mini: 1,104 x 0.25 + 4,096 x 0.025 + 740 x 2.00 = 1,858.4 USD per million
    expect(costOf('gpt-5-mini', usage)).toBeCloseTo(0.0018584, 9);
  });

  test('OpenAI Responses: cached tokens taken out of input_tokens', () => {
    const usage = fromOpenAiResponse(fixture('openai-response'));
    expect(usage).toEqual({
      provider: 'openai', inputTokens: 4000, outputTokens: 900, cacheReadTokens: 8000, cacheWriteTokens: 0, requestId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
    });
    // GPT-5: 4,000 x 1.25 + 8,000 x 0.125 + 900 x 10 = 15,000 USD per million
    expect(costOf('gpt-5', usage)).toBeCloseTo(0.015, 9);
  });

  test('responses without usage give zero tokens rather than throwing', () => {
    expect(fromOpenAiChatCompletion({ usage: null })).toEqual({ provider: 'openai', inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
    expect(fromAnthropicMessage({})).toEqual(expect.objectContaining({ inputTokens: 0, cacheWrite1hTokens: 0 }));
    expect(fromBedrockConverse({})).toEqual({ provider: 'aws.bedrock', inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });
});

describe('outcomeOfError', () => {
  test.each([
    [{ name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }, CallOutcome.THROTTLED],
    [{ name: 'RateLimitError', status: 429 }, CallOutcome.THROTTLED],
    [{ name: 'ModelErrorException', $metadata: { httpStatusCode: 424 } }, CallOutcome.MODEL_ERROR],
    [{ name: 'InternalServerException', $metadata: { httpStatusCode: 500 } }, CallOutcome.MODEL_ERROR],
    [{ name: 'OverloadedError', status: 529 }, CallOutcome.MODEL_ERROR],
    [{ name: 'ValidationException', $metadata: { httpStatusCode: 400 } }, CallOutcome.APP_ERROR],
    [new TypeError('cannot read properties of undefined'), CallOutcome.APP_ERROR],
    ['a thrown string', CallOutcome.APP_ERROR],
  ])('%j is %s', (error, outcome) => {
    expect(outcomeOfError(error)).toBe(outcome);
  });
});

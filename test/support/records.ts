import { AiCallInput } from '../../lib/telemetry/runtime';

/** A typical model call with every field set: the docs' example, the benchmark's record. */
export const TYPICAL_CALL: AiCallInput = {
  agent: 'answer',
  route: 'draft-reply',
  tenant: 'tenant-4711',
  provider: 'aws.bedrock',
  model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  inputTokens: 1200,
  outputTokens: 350,
  cacheReadTokens: 8000,
  cacheWriteTokens: 1500,
  latencyMs: 2870,
  timeToFirstTokenMs: 640,
  sessionId: 'c0ffee-42',
  requestId: 'req_01J9',
};

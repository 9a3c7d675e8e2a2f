import { AiCallInput, EvaluationInput, EvaluationSource } from '../../lib/telemetry/runtime';

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
  variant: 'sonnet-4-5@prompt-v7',
};

/** A typical judge verdict on the typical call, every field set. */
export const TYPICAL_EVALUATION: EvaluationInput = {
  agent: 'answer',
  route: 'draft-reply',
  model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  variant: 'sonnet-4-5-prompt-v7',
  tenant: 'tenant-4711',
  evaluator: 'grounded-answer-judge',
  evaluatorVersion: '2026-11-03',
  source: EvaluationSource.JUDGE,
  passed: true,
  score: 0.875,
  requestId: 'req_01J9',
  sessionId: 'c0ffee-42',
  sampleWeight: 20,
};

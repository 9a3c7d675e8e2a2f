/*
 * LLM judge: reads sampled calls from its SQS queue, asks the judge model (Bedrock Converse) to
 * score each against the rubric, and records the verdicts as evaluation records (EMF on stdout,
 * which Lambda turns into the accuracy metrics). Partial batch failures are retried by SQS.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { judgeBatch, JudgeDependencies, JudgeRequest, JudgeSettings, SqsBatch } from './core';
import { JUDGE_ENV } from '../../lib/quality/judge-env';
import { AiTelemetry } from '../../lib/telemetry/runtime/telemetry';

export function settingsFrom(env: Record<string, string | undefined>): JudgeSettings {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: the LlmJudge construct sets it`);
    return value;
  };
  return {
    modelId: required(JUDGE_ENV.MODEL_ID),
    evaluatorId: required(JUDGE_ENV.EVALUATOR_ID),
    evaluatorVersion: required(JUDGE_ENV.EVALUATOR_VERSION),
    rubric: required(JUDGE_ENV.RUBRIC),
    passScore: Number(required(JUDGE_ENV.PASS_SCORE)),
  };
}

const bedrock = new BedrockRuntimeClient({});
const telemetry = new AiTelemetry();

/** The judge model's reply as text. */
export async function converseText(client: Pick<BedrockRuntimeClient, 'send'>, request: JudgeRequest): Promise<string> {
  const response = await client.send(new ConverseCommand(request));
  return (response.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
}

let settings: JudgeSettings | undefined;
const deps: JudgeDependencies = {
  converse: (request) => converseText(bedrock, request),
  recordEvaluation: (evaluation) => telemetry.recordEvaluation(evaluation),
  log: (message) => console.warn(message),
};

// Settings are read at the first invocation, so a missing variable fails the invocation, loudly, with its name.
export const handler = (event: SqsBatch) => {
  settings ??= settingsFrom(process.env);
  return judgeBatch(event, settings, deps);
};

/*
 * The environment the LLM judge's handler reads, shared by the construct that sets it and the
 * handler that reads it. No aws-cdk-lib here: the handler's bundle imports it.
 */

/** Environment variables of the LLM judge function. */
export const JUDGE_ENV = {
  /** Bedrock model id (or inference profile id) of the judge. */
  MODEL_ID: 'JUDGE_MODEL_ID',
  /** The evaluator id its verdicts are recorded under. */
  EVALUATOR_ID: 'JUDGE_EVALUATOR_ID',
  /** The evaluator version (bump it with the rubric). */
  EVALUATOR_VERSION: 'JUDGE_EVALUATOR_VERSION',
  /** The rubric, as the judge's system prompt. */
  RUBRIC: 'JUDGE_RUBRIC',
  /** A score at or above this passes, when the judge gives no verdict of its own. */
  PASS_SCORE: 'JUDGE_PASS_SCORE',
} as const;

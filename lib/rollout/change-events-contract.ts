/*
 * The contract between the rollout's state machine (the caller), the `RolloutChangeEvents`
 * construct and its function: the invoke payload, the environment, and the error names a Step
 * Functions Retry or Catch matches. No aws-cdk-lib here: the function's bundle imports this file.
 */

/** What happened to a rollout's stage. */
export enum RolloutChangeAction {
  /** The first stage was deployed. */
  START = 'start',
  /** Gates green after the bake time: the next stage was deployed. */
  ADVANCE = 'advance',
  /** Gates inconclusive: the stage holds its share until someone decides. */
  PAUSE = 'pause',
  /** A gate alarmed: AppConfig reverted the flag to the baseline. */
  ROLLBACK = 'rollback',
  /** The candidate serves 100%; the baseline stays in the flag as the rollback target. */
  COMPLETE = 'complete',
}

/** One gate's state when the stage changed: the evidence of a rollback or a pause. */
export interface RolloutGateEvidence {
  /** The gate's CloudWatch alarm. */
  readonly alarmName: string;
  /** Its state: ALARM, OK or INSUFFICIENT_DATA. */
  readonly state: string;
  /**
   * The alarm's state reason.
   * @default - none shown
   */
  readonly reason?: string;
}

/**
 * The payload the state machine invokes the change events function with, once per stage change.
 * The function sends one Change Event to each PagerDuty service of the client.
 */
export interface RolloutChangeRequest {
  /** The client id of the config; a request for another client is refused. */
  readonly clientId: string;
  /** The agent's id in the config. */
  readonly agent: string;
  /** The route's id in the config, the one whose flag the rollout changes. */
  readonly route: string;
  /** The rollout's id (the candidate variant's), as the config names it. */
  readonly rolloutId: string;
  readonly action: RolloutChangeAction;
  /** The candidate's share before the change, 0 to 100. */
  readonly fromPercent: number;
  /** The candidate's share after the change, 0 to 100. */
  readonly toPercent: number;
  /**
   * Why, in words (the gate that alarmed, who paused).
   * @default - no reason shown
   */
  readonly reason?: string;
  /**
   * The gates' states when the stage changed.
   * @default - no evidence shown
   */
  readonly evidence?: RolloutGateEvidence[];
  /**
   * The state machine execution, linked from the Change Event (`$$.Execution.Id`).
   * @default - no link
   */
  readonly executionArn?: string;
}

/** Environment variables of the change events function, set by its construct and read by its handler. */
export const CHANGE_EVENTS_ENV = {
  /** JSON: the Secrets Manager names of the integration keys, one per PagerDuty service. */
  KEY_SECRETS: 'INTEGRATION_KEY_SECRETS',
  /** The Change Events endpoint (tests point it at a local server). */
  CHANGE_EVENTS_URL: 'PAGERDUTY_CHANGE_EVENTS_URL',
  CLIENT_ID: 'CLIENT_ID',
} as const;

/**
 * The error names (Lambda's `errorType`) the function fails with, for the state machine's Retry
 * and Catch. Only `RETRYABLE` is worth retrying; none of them should stop a rollout or a rollback:
 * a Change Event informs, it does not gate.
 */
export const CHANGE_EVENT_ERRORS = {
  /** PagerDuty rate limited (429), failed (5xx) or could not be reached, or Secrets Manager failed transiently. */
  RETRYABLE: 'ChangeEventRetryable',
  /** PagerDuty refused the event (4xx), or an integration key secret is missing or empty: fix the config or the secret. */
  REFUSED: 'ChangeEventRefused',
  /** The invoke payload is not a rollout change (the state machine's definition is wrong). */
  MALFORMED: 'MalformedRolloutChange',
} as const;

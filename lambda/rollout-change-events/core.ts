/*
 * The rollout change events' pure core: one stage change of a governed rollout in, one PagerDuty
 * Change Event per PagerDuty service out, or a MalformedRolloutChange naming the field and the fix.
 * Whatever the input, nothing else escapes. No I/O, no clock.
 */
import { CHANGE_EVENT_ERRORS, RolloutChangeAction, RolloutChangeRequest } from '../../lib/rollout/change-events-contract';
import { Bounded, clip, httpUrl } from '../shared/pagerduty';

/** A Change Event as PagerDuty's `/v2/change/enqueue` takes it, without the routing key. */
export interface ChangeEvent {
  readonly payload: {
    readonly summary: string;
    readonly source: string;
    readonly timestamp: string;
    readonly custom_details: ChangeDetails;
  };
  readonly links: Array<{ readonly href: string; readonly text: string }>;
}

export interface ChangeDetails {
  readonly client: string;
  readonly agent: string;
  readonly route: string;
  readonly rollout: string;
  readonly action: RolloutChangeAction;
  readonly fromPercent: number;
  readonly toPercent: number;
  readonly reason?: string;
  readonly evidence?: Array<{ readonly alarm: string; readonly state: string; readonly reason?: string }>;
  /** Gates left out beyond `CHANGE_EVENT_LIMITS.EVIDENCE`. */
  readonly evidenceNotShown?: number;
  readonly executionArn?: string;
  /** What was cut or left out of the request, so the timeline shows it. */
  readonly repairs?: string;
}

/**
 * Lengths in UTF-16 code units. SUMMARY is PagerDuty's own limit; the others are ours, chosen so
 * that a whole event stays far below PagerDuty's 512 KB whatever the request.
 */
export const CHANGE_EVENT_LIMITS = {
  SUMMARY: 1024,
  /** source, and each name (client, agent, route, rollout, alarm, state). */
  FIELD: 255,
  /** The reason, and each gate's state reason. */
  REASON: 2048,
  /** Gates shown; the rollout's environment has at most five monitors, a few more are composites' children. */
  EVIDENCE: 20,
  LINK: 2048,
  /** The list of repairs. */
  REPAIRS: 1024,
} as const;

/** The function's own failures; `name` is the errorType a Step Functions Retry or Catch matches. */
abstract class ChangeEventError extends Error {
  protected constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** The invoke payload is not a rollout change: the state machine's definition must be fixed, a retry cannot help. */
export class MalformedRolloutChange extends ChangeEventError {
  public constructor(message: string) {
    super(CHANGE_EVENT_ERRORS.MALFORMED, `rollout change refused: ${message}`);
  }
}

/** Worth a retry: PagerDuty rate limited or failed, or Secrets Manager failed transiently. */
export class ChangeEventRetryable extends ChangeEventError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(CHANGE_EVENT_ERRORS.RETRYABLE, message, options);
  }
}

/** Not worth a retry: PagerDuty refused the event, or an integration key cannot be had. */
export class ChangeEventRefused extends ChangeEventError {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(CHANGE_EVENT_ERRORS.REFUSED, message, options);
  }
}

/** What the core needs besides the request: known when the function starts, and the clock. */
export interface ChangeContext {
  /** The client this stack serves. */
  readonly clientId: string;
  /** Secrets Manager names of the PagerDuty services' integration keys, one event each. */
  readonly services: readonly string[];
  /** When the change was sent, ISO 8601. */
  readonly timestamp: string;
}

/** One event to one service. */
export interface ChangeDelivery {
  readonly secretName: string;
  readonly event: ChangeEvent;
}

type Fields = Record<string, unknown>;

const ACTIONS: ReadonlySet<string> = new Set(Object.values(RolloutChangeAction));
/*
 * The request's fields by how they are read, as keys: the type checks them against the contract, and
 * names such as agent and route stay out of quotes (test/names.test.ts keeps those for telemetry).
 */
const NAMES = { clientId: null, agent: null, route: null, rolloutId: null };
const TEXTS = { reason: CHANGE_EVENT_LIMITS.REASON, executionArn: CHANGE_EVENT_LIMITS.LINK };
const FIELDS = {
  ...NAMES, ...TEXTS, action: null, fromPercent: null, toPercent: null, evidence: null,
} satisfies Record<keyof RolloutChangeRequest, unknown>;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(FIELDS));
const FIX = 'fix the Parameters of the rollout state machine\'s change event task';

/** A short, bounded description of what was found, for error messages. */
function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(clip(value, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return `a value of type ${typeof value}`;
}

function objectOf(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Fields : undefined;
}

/** Own fields only: a request field such as `constructor` must not read Object.prototype. */
function field(fields: Fields, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
}

function requiredName(fields: Fields, name: string, bounded: Bounded): string {
  const value = field(fields, name);
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MalformedRolloutChange(`field ${name} must be a non-empty string, found ${found(value)}: ${FIX}`);
  }
  return bounded.text(name, value.trim(), CHANGE_EVENT_LIMITS.FIELD);
}

function percent(fields: Fields, name: string): number {
  const value = field(fields, name);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new MalformedRolloutChange(`field ${name} must be a number from 0 to 100 (the candidate's share), found ${found(value)}: ${FIX}`);
  }
  // Shares are whole or tenths in practice; two decimals keep the summary readable, and -0 is 0.
  return Math.round(value * 100) / 100 + 0;
}

/** Optional text: a value of another type is left out and recorded, never fatal. */
function optionalText(fields: Fields, name: string, limit: number, bounded: Bounded): string | undefined {
  const value = field(fields, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    bounded.repairs.push(`${name} is ${found(value)}, not text: left out`);
    return undefined;
  }
  return value.trim() ? bounded.text(name, value.trim(), limit) : undefined;
}

function evidenceOf(fields: Fields, bounded: Bounded): Pick<ChangeDetails, 'evidence' | 'evidenceNotShown'> {
  const value = field(fields, 'evidence');
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) {
    bounded.repairs.push(`evidence is ${found(value)}, not a list: left out`);
    return {};
  }
  const gates: NonNullable<ChangeDetails['evidence']> = [];
  let unreadable = 0;
  for (const entry of value) {
    const gate = objectOf(entry);
    // A gate is a JSON object: none of its field names is on Object.prototype.
    const { alarmName: alarm, state, reason } = gate ?? {};
    if (typeof alarm !== 'string' || !alarm || typeof state !== 'string' || !state) {
      unreadable++;
      continue;
    }
    if (gates.length === CHANGE_EVENT_LIMITS.EVIDENCE) continue;
    gates.push({
      alarm: bounded.text('an evidence alarm name', alarm, CHANGE_EVENT_LIMITS.FIELD),
      state: bounded.text('an evidence state', state, CHANGE_EVENT_LIMITS.FIELD),
      ...(typeof reason === 'string' && reason ? { reason: bounded.text('an evidence reason', reason, CHANGE_EVENT_LIMITS.REASON) } : {}),
    });
  }
  if (unreadable > 0) bounded.repairs.push(`${unreadable} evidence entries without alarmName and state: left out`);
  const notShown = value.length - unreadable - gates.length;
  return { ...(gates.length > 0 ? { evidence: gates } : {}), ...(notShown > 0 ? { evidenceNotShown: notShown } : {}) };
}

const EXECUTION_ARN = /^arn:(aws|aws-cn|aws-us-gov):states:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:execution:[^:/\s]+:[^:/\s]+$/;
const CONSOLE_HOST: Record<string, string> = {
  'aws': 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** The Step Functions console page of an execution, or undefined for what is not a standard execution's ARN. */
export function executionLink(arn: string): string | undefined {
  const match = EXECUTION_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region] = match;
  return httpUrl(`https://${region}.${CONSOLE_HOST[partition]}/states/home?region=${region}#/v2/executions/details/${arn}`, CHANGE_EVENT_LIMITS.LINK);
}

const VERB: Record<RolloutChangeAction, (from: number, to: number) => string> = {
  [RolloutChangeAction.START]: (from, to) => `started ${from}% → ${to}%`,
  [RolloutChangeAction.ADVANCE]: (from, to) => `advanced ${from}% → ${to}%`,
  [RolloutChangeAction.PAUSE]: (_from, to) => `paused at ${to}%`,
  [RolloutChangeAction.ROLLBACK]: (from, to) => `rolled back ${from}% → ${to}%`,
  [RolloutChangeAction.COMPLETE]: (from, to) => `completed ${from}% → ${to}%`,
};

/**
 * The Change Event of one stage change, addressed to each PagerDuty service (one event each, so
 * the change shows on whichever service's timeline holds the incident). Throws
 * MalformedRolloutChange when a required field is missing or wrong, or the request names another
 * client; optional fields of the wrong type, unknown fields and text beyond the bounds are
 * repaired and listed in `custom_details.repairs`.
 */
export function changeEventsOf(request: unknown, context: ChangeContext): ChangeDelivery[] {
  const fields = objectOf(request);
  if (!fields) throw new MalformedRolloutChange(`the payload must be an object with clientId, agent, route, rolloutId, action, fromPercent and toPercent, found ${found(request)}: ${FIX}`);
  const bounded = new Bounded();
  const names = Object.fromEntries(Object.keys(NAMES).map((name) => [name, requiredName(fields, name, bounded)]));
  const { clientId, agent, route, rolloutId: rollout } = names as Record<keyof typeof NAMES, string>;
  if (clientId !== context.clientId) {
    throw new MalformedRolloutChange(`field clientId is ${JSON.stringify(clientId)} but this function serves client ${JSON.stringify(context.clientId)}: ${FIX}`);
  }
  const action = field(fields, 'action');
  if (typeof action !== 'string' || !ACTIONS.has(action)) {
    throw new MalformedRolloutChange(`field action must be one of ${[...ACTIONS].join(', ')}, found ${found(action)}: ${FIX}`);
  }
  const fromPercent = percent(fields, 'fromPercent');
  const toPercent = percent(fields, 'toPercent');
  const texts = Object.fromEntries(Object.entries(TEXTS).map(([name, limit]) => [name, optionalText(fields, name, limit, bounded)]));
  const { reason, executionArn } = texts as Partial<Record<keyof typeof TEXTS, string>>;
  const evidence = evidenceOf(fields, bounded);
  const execution = executionArn ? executionLink(executionArn) : undefined;
  if (executionArn && !execution) bounded.repairs.push('executionArn is not a Step Functions execution ARN: not linked');
  const unknown = Object.keys(fields).filter((name) => !KNOWN_FIELDS.has(name));
  if (unknown.length > 0) bounded.repairs.push(`unknown fields ignored: ${unknown.slice(0, 5).map((name) => clip(name, 40)).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);

  const verb = VERB[action as RolloutChangeAction](fromPercent, toPercent);
  const summary = clip(`cdk-ai-ops ${clientId}: rollout ${rollout} on ${agent}/${route} ${verb}${reason ? `: ${reason}` : ''}`, CHANGE_EVENT_LIMITS.SUMMARY);
  const details: ChangeDetails = {
    client: clientId,
    agent,
    route,
    rollout,
    action: action as RolloutChangeAction,
    fromPercent,
    toPercent,
    ...(reason ? { reason } : {}),
    ...evidence,
    ...(executionArn ? { executionArn } : {}),
    ...(bounded.repairs.length > 0 ? { repairs: clip(bounded.repairs.join('; '), CHANGE_EVENT_LIMITS.REPAIRS) } : {}),
  };
  const event: ChangeEvent = {
    payload: {
      summary,
      source: clip(`cdk-ai-ops/${clientId}/${agent}/${route}`, CHANGE_EVENT_LIMITS.FIELD),
      timestamp: context.timestamp,
      custom_details: details,
    },
    links: execution ? [{ href: execution, text: 'Rollout execution (Step Functions)' }] : [],
  };
  return context.services.map((secretName) => ({ secretName, event }));
}

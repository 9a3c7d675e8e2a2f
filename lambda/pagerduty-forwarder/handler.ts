/*
 * PagerDuty forwarder: subscribed to the severity topics, sends each alarm state change to the
 * Events API v2. A message that cannot be delivered makes the invocation fail; Lambda retries it,
 * then puts it in the dead-letter queue, whose depth pages humans by email.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { decide, ForwarderError, PagerDutyEvent, retryDelayMs, Routing } from './core';
import { PAGERDUTY_EVENTS_URL } from '../../lib/config/defaults';
import { Severity, SlaTier } from '../../lib/config/types';
import { FORWARDER_ENV } from '../../lib/routing/sla';
import { IntegrationKeyDependencies, IntegrationKeys, messageOf, postEvent } from '../shared/pagerduty';

const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

/** PagerDuty did not accept an event after every attempt. */
export class DeliveryFailed extends ForwarderError {}

/** Some records of a multi-record event failed; the others were processed. */
export class RecordsFailed extends ForwarderError {
  public constructor(public readonly failures: ReadonlyArray<{ readonly index: number; readonly error: Error }>, total: number) {
    super(`${failures.length} of ${total} records failed: ${failures.map((f) => `record ${f.index + 1}: ${f.error.message}`).join('; ')}`);
  }
}

export interface ForwarderDependencies extends IntegrationKeyDependencies {
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly env: Record<string, string | undefined>;
  readonly log: (message: string) => void;
}

const SEVERITIES: ReadonlySet<string> = new Set(Object.values(Severity));

/** A `{ key: severity }` environment variable as a map (own keys only, severities checked). */
function severityMap(env: Record<string, string | undefined>, name: string, keysAreSeverities: boolean): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(env[name] ?? '{}');
  } catch {
    throw new ForwarderError(`environment variable ${name} is not JSON (the PagerDutyForwarder construct sets it)`);
  }
  const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : undefined;
  if (!entries || entries.some(([key, value]) => typeof value !== 'string' || !SEVERITIES.has(keysAreSeverities ? key : value))) {
    throw new ForwarderError(`environment variable ${name} is not a map ${keysAreSeverities ? 'from severity to secret name' : 'from topic ARN to severity'}`);
  }
  return new Map(entries as Array<[string, string]>);
}

/** Sends one event, retrying 429 and 5xx with backoff and jitter; throws DeliveryFailed when it cannot. */
async function send(event: PagerDutyEvent, url: string, deps: ForwarderDependencies): Promise<void> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const outcome = await postEvent(deps.fetch, url, event);
    if (outcome.accepted) return;
    lastProblem = outcome.problem;
    if (!outcome.retryable) break;
    if (attempt < MAX_ATTEMPTS) await deps.sleep(retryDelayMs(attempt, deps.random(), BASE_DELAY_MS, MAX_DELAY_MS, outcome.retryAfterSeconds));
  }
  throw new DeliveryFailed(`PagerDuty did not accept the ${event.event_action} for ${event.dedup_key} (${lastProblem})`);
}

/**
 * The handler, with its collaborators injected. Every record ends in one log line: sent, skipped
 * (with why) or failed. SNS invokes Lambda with one record and has no partial batch response, so
 * with several records all are processed and then the invocation fails naming the failed ones; the
 * retry re-sends the others under the same dedup keys, which PagerDuty folds into their alerts.
 */
export function createHandler(deps: ForwarderDependencies) {
  const keys = new IntegrationKeys(deps, (problem) => new ForwarderError(problem.message, { cause: problem.cause }));
  const keySecrets = severityMap(deps.env, FORWARDER_ENV.KEY_SECRETS, true) as Map<Severity, string>;
  const tier = Object.values(SlaTier).find((t) => t === deps.env[FORWARDER_ENV.SLA_TIER]) ?? SlaTier.STANDARD;
  const routing: Routing = {
    topicSeverities: severityMap(deps.env, FORWARDER_ENV.TOPIC_SEVERITIES, false) as Map<string, Severity>,
    paged: new Set(keySecrets.keys()),
    tier,
    clientId: deps.env[FORWARDER_ENV.CLIENT_ID] ?? '',
  };
  const url = deps.env[FORWARDER_ENV.EVENTS_URL] || PAGERDUTY_EVENTS_URL;

  const forward = async (record: unknown): Promise<string> => {
    const decision = decide(record, routing);
    if (decision.outcome === 'skip') return `skipped: ${decision.reason}`;
    const event = { routing_key: await keys.get(keySecrets.get(decision.severity)!), ...decision.event };
    await send(event, url, deps);
    return `sent ${event.event_action} for ${decision.alarmName} (${decision.severity}, dedup key ${event.dedup_key})`;
  };

  return async (event: unknown): Promise<void> => {
    const batch = typeof event === 'object' && event !== null ? (event as { Records?: unknown }).Records : undefined;
    const records = Array.isArray(batch) ? batch : [event];
    if (records.length === 0) {
      deps.log('skipped: the event holds no records');
      return;
    }
    const failures: Array<{ index: number; error: Error }> = [];
    for (const [index, record] of records.entries()) {
      try {
        deps.log(await forward(record));
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new ForwarderError(messageOf(thrown));
        failures.push({ index, error });
        deps.log(`failed${records.length > 1 ? ` record ${index + 1} of ${records.length}` : ''}: ${error.message}`);
      }
    }
    if (failures.length === 1 && records.length === 1) throw failures[0].error;
    if (failures.length > 0) throw new RecordsFailed(failures, records.length);
  };
}

export const handler = createHandler({
  secrets: new SecretsManagerClient({}),
  fetch: globalThis.fetch,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
  env: process.env,
  log: (message) => console.log(message),
});

/*
 * Rollout change events: invoked by the rollout's state machine at each stage change, sends one
 * PagerDuty Change Event (it pages no one; it shows on the service's timeline) to each PagerDuty
 * service of the client. Fails with an error the state machine's Retry matches
 * (ChangeEventRetryable) when a retry may succeed, and with a final one otherwise.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeEventRefused, ChangeEventRetryable, changeEventsOf } from './core';
import { CHANGE_EVENTS_ENV } from '../../lib/rollout/change-events-contract';
import { PAGERDUTY_CHANGE_EVENTS_URL } from '../../lib/routing/sla';
import { IntegrationKeyDependencies, IntegrationKeys, messageOf, postEvent } from '../shared/pagerduty';

/** One POST may take this long; the function's timeout leaves room for a slow secret read and two services. */
export const POST_TIMEOUT_MS = 8000;

/**
 * How long this function instance remembers that a service accepted an event. PagerDuty does not
 * deduplicate Change Events: without it, the state machine's retry after one service failed would
 * show the change twice on the timeline of the service that accepted it.
 */
export const REMEMBER_ACCEPTED_MS = 10 * 60 * 1000;

export interface ChangeEventDependencies extends IntegrationKeyDependencies {
  readonly fetch: typeof fetch;
  readonly env: Record<string, string | undefined>;
  readonly log: (message: string) => void;
}

/** What the state machine gets back. */
export interface ChangeEventResult {
  /** Services that accepted the event. */
  readonly delivered: number;
  readonly summary: string;
}

/** The secret names from the environment; the construct always sets at least one. */
function secretNamesOf(env: Record<string, string | undefined>): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(env[CHANGE_EVENTS_ENV.KEY_SECRETS] ?? '');
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((name) => typeof name !== 'string' || !name)) {
    throw new ChangeEventRefused(`environment variable ${CHANGE_EVENTS_ENV.KEY_SECRETS} is not a non-empty JSON list of secret names (the RolloutChangeEvents construct sets it)`);
  }
  return parsed as string[];
}

/**
 * The handler, with its collaborators injected. Each service is sent its event at once; every
 * outcome is logged (never a key). When some services fail, the invocation fails naming them,
 * retryable if any of them may succeed later. The retry sends only to the services that have not
 * accepted the same event (all but the timestamp) in the last ten minutes, when it reaches the same
 * function instance (it usually does: Step Functions retries within a few minutes); on a fresh instance a
 * service may show the change twice, which is better than a timeline without it.
 */
export function createHandler(deps: ChangeEventDependencies) {
  const clientId = deps.env[CHANGE_EVENTS_ENV.CLIENT_ID] ?? '';
  const url = deps.env[CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL] || PAGERDUTY_CHANGE_EVENTS_URL;
  const keys = new IntegrationKeys(deps, (problem) => problem.retryable
    ? new ChangeEventRetryable(problem.message, { cause: problem.cause })
    : new ChangeEventRefused(problem.message, { cause: problem.cause }));

  const accepted = new Map<string, number>();

  return async (request: unknown): Promise<ChangeEventResult> => {
    let deliveries;
    try {
      // Read per call: a broken environment fails each invocation loudly rather than the module's import.
      const services = secretNamesOf(deps.env);
      deliveries = changeEventsOf(request, { clientId, services, timestamp: new Date(deps.now()).toISOString() });
    } catch (error) {
      deps.log(`failed: ${messageOf(error)}`);
      throw error;
    }
    const summary = deliveries[0].event.payload.summary;
    const now = deps.now();
    for (const [identity, until] of accepted) if (until <= now) accepted.delete(identity);
    const outcomes = await Promise.all(deliveries.map(async ({ secretName, event }) => {
      const identity = JSON.stringify([secretName, { ...event.payload, timestamp: undefined }, event.links]);
      if (accepted.has(identity)) return { secretName, already: true };
      try {
        const outcome = await postEvent(deps.fetch, url, { routing_key: await keys.get(secretName), ...event }, POST_TIMEOUT_MS);
        if (outcome.accepted) {
          accepted.set(identity, now + REMEMBER_ACCEPTED_MS);
          return { secretName };
        }
        const message = `PagerDuty did not accept the change event for the service of secret ${secretName} (${outcome.problem})`;
        return { secretName, error: outcome.retryable ? new ChangeEventRetryable(message) : new ChangeEventRefused(message) };
      } catch (error) {
        const known = error instanceof ChangeEventRetryable || error instanceof ChangeEventRefused;
        return { secretName, error: known ? error : new ChangeEventRetryable(messageOf(error)) };
      }
    }));
    const failures = outcomes.filter((o) => o.error);
    for (const outcome of outcomes) {
      deps.log(outcome.error ? `failed: ${outcome.error.message}`
        : outcome.already ? `not sent again: the service of secret ${outcome.secretName} accepted this change event less than ten minutes ago: ${summary}`
          : `sent change event to the service of secret ${outcome.secretName}: ${summary}`);
    }
    if (failures.length === 0) return { delivered: outcomes.length, summary };
    const message = `${failures.length} of ${outcomes.length} PagerDuty services did not take the change event: ${failures.map((f) => f.error!.message).join('; ')}`;
    throw failures.some((f) => f.error instanceof ChangeEventRetryable) ? new ChangeEventRetryable(message) : new ChangeEventRefused(message);
  };
}

export const handler = createHandler({
  secrets: new SecretsManagerClient({}),
  fetch: globalThis.fetch,
  now: Date.now,
  env: process.env,
  log: (message) => console.log(message),
});

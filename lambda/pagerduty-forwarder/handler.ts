/*
 * PagerDuty forwarder: subscribed to the severity topics, sends each alarm state change to the
 * Events API v2. A message that cannot be delivered makes the invocation fail; Lambda retries it,
 * then puts it in the dead-letter queue, whose depth pages humans by email.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  isRetryable, NotAnAlarmNotification, PagerDutyEvent, parseNotification, retryDelayMs, severityFromDescription, toPagerDutyEvent,
} from './core';
import { Severity, SlaTier } from '../../lib/config/types';
import { FORWARDER_ENV, PAGERDUTY_EVENTS_URL } from '../../lib/routing/sla';

const KEY_CACHE_MS = 5 * 60 * 1000;
const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

export interface ForwarderDependencies {
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly env: Record<string, string | undefined>;
  readonly log: (message: string) => void;
}

/** Reads and caches integration keys; the keys never reach a log line. */
class IntegrationKeys {
  private readonly cache = new Map<string, { key: string; until: number }>();

  public constructor(private readonly deps: ForwarderDependencies) {}

  public async get(secretName: string): Promise<string> {
    const cached = this.cache.get(secretName);
    if (cached && cached.until > this.deps.now()) return cached.key;
    const secret = await this.deps.secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
    const value = (secret.SecretString ?? '').trim();
    // A secret may hold the bare key or JSON with an integration key field.
    const key = value.startsWith('{') ? String(JSON.parse(value).integrationKey ?? JSON.parse(value).routing_key ?? '') : value;
    if (!key) throw new Error(`secret ${secretName} holds no integration key`);
    this.cache.set(secretName, { key, until: this.deps.now() + KEY_CACHE_MS });
    return key;
  }
}

/** Sends one event, retrying 429 and 5xx with backoff and jitter; throws when it cannot. */
async function send(event: PagerDutyEvent, url: string, deps: ForwarderDependencies): Promise<void> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let retryAfter: number | undefined;
    try {
      const response = await deps.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
      if (response.status === 202) return;
      lastProblem = `HTTP ${response.status}`;
      if (!isRetryable(response.status)) break;
      const header = Number(response.headers.get('retry-after'));
      retryAfter = Number.isFinite(header) && header > 0 ? header : undefined;
    } catch (error) {
      lastProblem = `network error: ${(error as Error).message}`;
    }
    if (attempt < MAX_ATTEMPTS) await deps.sleep(retryDelayMs(attempt, deps.random(), BASE_DELAY_MS, MAX_DELAY_MS, retryAfter));
  }
  throw new Error(`PagerDuty did not accept the ${event.event_action} for ${event.dedup_key} (${lastProblem})`);
}

/** The handler, with its collaborators injected. */
export function createHandler(deps: ForwarderDependencies) {
  const keys = new IntegrationKeys(deps);
  const topicSeverities: Record<string, Severity> = JSON.parse(deps.env[FORWARDER_ENV.TOPIC_SEVERITIES] ?? '{}');
  const keySecrets: Partial<Record<Severity, string>> = JSON.parse(deps.env[FORWARDER_ENV.KEY_SECRETS] ?? '{}');
  const url = deps.env[FORWARDER_ENV.EVENTS_URL] || PAGERDUTY_EVENTS_URL;
  const tier = (deps.env[FORWARDER_ENV.SLA_TIER] ?? SlaTier.STANDARD) as SlaTier;
  const clientId = deps.env[FORWARDER_ENV.CLIENT_ID] ?? '';

  return async (event: { Records?: unknown[] } & Record<string, unknown>): Promise<void> => {
    const records = event.Records ?? [event];
    for (const record of records) {
      const notification = parseNotification(record);
      const topicArn = (record as { Sns?: { TopicArn?: string } }).Sns?.TopicArn;
      const severity = (topicArn && topicSeverities[topicArn]) || severityFromDescription(notification.description);
      if (!severity) throw new NotAnAlarmNotification(`no severity for alarm ${notification.alarmName}`);
      const secretName = keySecrets[severity];
      if (!secretName) {
        deps.log(`no PagerDuty service for ${severity}; ${notification.alarmName} is delivered by its other paths`);
        continue;
      }
      const pagerDutyEvent = toPagerDutyEvent(notification, { severity, routingKey: await keys.get(secretName), tier, clientId });
      if (!pagerDutyEvent) continue;
      await send(pagerDutyEvent, url, deps);
      deps.log(`sent ${pagerDutyEvent.event_action} for ${notification.alarmName} (${severity})`);
    }
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

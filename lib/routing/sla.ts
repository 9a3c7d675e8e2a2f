/** Environment variables of the PagerDuty forwarder, set by its construct and read by its handler. */
export const FORWARDER_ENV = {
  /** JSON: topic ARN -> severity. */
  TOPIC_SEVERITIES: 'TOPIC_SEVERITIES',
  /** JSON: severity -> Secrets Manager secret name of the integration key. */
  KEY_SECRETS: 'INTEGRATION_KEY_SECRETS',
  EVENTS_URL: 'PAGERDUTY_EVENTS_URL',
  SLA_TIER: 'SLA_TIER',
  CLIENT_ID: 'CLIENT_ID',
} as const;

/** Environment variables of the P3 digest function. */
export const DIGEST_ENV = {
  /** Alarms whose actions start with this ARN (the P3 topic) are the batched ones. */
  P3_TOPIC_ARN: 'P3_TOPIC_ARN',
  DIGEST_TOPIC_ARN: 'DIGEST_TOPIC_ARN',
  /** A DigestSchedule value: the period runs from the previous scheduled digest. */
  SCHEDULE: 'DIGEST_SCHEDULE',
  CLIENT_ID: 'CLIENT_ID',
} as const;

/** The default Change Events endpoint, beside the default Events API v2 endpoint. */
export const PAGERDUTY_CHANGE_EVENTS_URL = 'https://events.pagerduty.com/v2/change/enqueue';

/**
 * The Change Events endpoint beside a configured Events API v2 endpoint: same host (US or EU
 * service region, or a proxy), `/v2/change/enqueue` in place of its trailing `/v2/enqueue`, or
 * at the root of the host when the path has no such tail.
 */
export function changeEventsUrlOf(eventsApiUrl: string | undefined): string {
  if (eventsApiUrl === undefined) return PAGERDUTY_CHANGE_EVENTS_URL;
  const url = new URL(eventsApiUrl);
  url.pathname = /\/v2\/enqueue\/?$/.test(url.pathname) ? url.pathname.replace(/\/v2\/enqueue\/?$/, '/v2/change/enqueue') : '/v2/change/enqueue';
  url.search = '';
  url.hash = '';
  return url.href;
}

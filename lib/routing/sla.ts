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

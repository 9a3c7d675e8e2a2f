/*
 * The PagerDuty forwarder's pure core: one record of a Lambda event in, one decision out: an Events
 * API v2 event to send, a skip with the reason, or a ForwarderError (the invocation fails, Lambda
 * retries it, then dead-letters it). Whatever the input, nothing else escapes. No I/O, no clock.
 */
import { createHash } from 'crypto';
import { AlarmMetadata, decodeAlarmMetadata } from '../../lib/common/alarm-metadata';
import { DESCRIPTION_LABELS } from '../../lib/common/description';
import { RESPONSE_TARGETS } from '../../lib/common/sla';
import { Severity, SlaTier } from '../../lib/config/types';
import { Bounded, clip, httpUrl, wellFormed } from '../shared/pagerduty';

/** One alarm state change, from either notification format CloudWatch sends. */
export interface AlarmNotification {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly description: string;
  readonly newState: string;
  readonly reason: string;
  readonly stateChangeTime: string;
  readonly region: string;
  readonly accountId: string;
  readonly kind: 'metric' | 'metric-math' | 'anomaly-detection' | 'composite';
  /** Metric name or expression, where the alarm has one. */
  readonly metric?: string;
  readonly threshold?: string;
  /** The SNS topic it was published on. @default - it came from EventBridge */
  readonly topicArn?: string;
}

export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger' | 'resolve';
  readonly dedup_key: string;
  readonly payload?: {
    readonly summary: string;
    readonly source: string;
    readonly severity: 'critical' | 'error' | 'warning' | 'info';
    readonly timestamp?: string;
    readonly component?: string;
    readonly group?: string;
    readonly class?: string;
    readonly custom_details?: Record<string, string>;
  };
  readonly links?: Array<{ href: string; text: string }>;
  readonly client?: string;
}

/**
 * Lengths in UTF-16 code units. SUMMARY and DEDUP_KEY are the Events API v2's own limits; the others
 * are ours, chosen so that a whole event stays far below PagerDuty's 512 KB whatever the input.
 */
export const PAGERDUTY_LIMITS = {
  SUMMARY: 1024,
  DEDUP_KEY: 255,
  /** source, component, group, class. */
  FIELD: 255,
  /** One custom_details value. */
  DETAIL: 1024,
  /** The state reason, the longest detail. */
  REASON: 2048,
  LINK: 2048,
} as const;

const PAGERDUTY_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning'> = {
  [Severity.P1]: 'critical',
  [Severity.P2]: 'error',
  [Severity.P3]: 'warning',
};

/** The forwarder's own failures: each one fails the invocation on purpose, so Lambda retries it. */
export class ForwarderError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A message that is not a CloudWatch alarm notification: it goes to the dead-letter queue. */
export class NotAnAlarmNotification extends ForwarderError {}

/** An alarm whose severity cannot be told: it is not skipped (it may be a P1) but dead-lettered. */
export class NoSeverity extends ForwarderError {}

type Fields = Record<string, unknown>;

function objectOf(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Fields : undefined;
}

function listOf(value: unknown): Fields[] {
  return Array.isArray(value) ? value.map(objectOf).filter((v): v is Fields => v !== undefined) : [];
}

/** Text of a primitive; anything else (objects, null-prototype objects, symbols) is no text. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : '';
}

function describeTrigger(trigger: unknown): Pick<AlarmNotification, 'kind' | 'metric' | 'threshold'> {
  const t = objectOf(trigger);
  if (!t) return { kind: 'composite' };
  const metrics = listOf(t.Metrics);
  const band = metrics.find((m) => textOf(m.Expression).startsWith('ANOMALY_DETECTION_BAND'));
  if (band || t.ThresholdMetricId) {
    return { kind: 'anomaly-detection', metric: textOf(band?.Expression), threshold: `outside the band ${textOf(band?.Expression)}` };
  }
  const threshold = `${textOf(t.ComparisonOperator)} ${textOf(t.Threshold)}`.trim();
  if (metrics.length > 0) {
    const returned = metrics.find((m) => m.ReturnData !== false && textOf(m.Expression)) ?? metrics.find((m) => textOf(m.Expression));
    return { kind: 'metric-math', metric: textOf(returned?.Expression) || textOf(returned?.Label), threshold };
  }
  return { kind: 'metric', metric: `${textOf(t.Namespace)}/${textOf(t.MetricName)}`, threshold };
}

/**
 * Parses the SNS notification CloudWatch sends (the Sns.Message JSON of a record) or the
 * EventBridge "CloudWatch Alarm State Change" event, for metric, metric-math, anomaly-detection
 * and composite alarms alike. Throws NotAnAlarmNotification for anything without an alarm name
 * and a state.
 */
export function parseNotification(input: unknown): AlarmNotification {
  const record = objectOf(input);
  const sns = objectOf(record?.Sns);
  if (sns && sns.Message !== undefined) {
    if (typeof sns.Message !== 'string') throw new NotAnAlarmNotification('the SNS message is not text');
    let parsed: unknown;
    try {
      parsed = JSON.parse(sns.Message);
    } catch {
      throw new NotAnAlarmNotification('the SNS message is not JSON');
    }
    const message = objectOf(parsed);
    const alarmName = message && typeof message.AlarmName === 'string' ? message.AlarmName : '';
    const newState = textOf(message?.NewStateValue);
    if (!message || !alarmName || !newState) {
      throw new NotAnAlarmNotification('the SNS message is not a CloudWatch alarm notification (no AlarmName or NewStateValue)');
    }
    const region = textOf(message.Region);
    const accountId = textOf(message.AWSAccountId);
    const alarmRule = textOf(message.AlarmRule);
    const topicArn = textOf(sns.TopicArn);
    return {
      alarmName,
      alarmArn: textOf(message.AlarmArn) || `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarmName}`,
      description: textOf(message.AlarmDescription),
      newState,
      reason: textOf(message.NewStateReason),
      stateChangeTime: textOf(message.StateChangeTime),
      region,
      accountId,
      ...(alarmRule ? { kind: 'composite' as const, metric: alarmRule } : describeTrigger(message.Trigger)),
      ...(topicArn ? { topicArn } : {}),
    };
  }
  if (record?.['detail-type'] === 'CloudWatch Alarm State Change') {
    const detail = objectOf(record.detail) ?? {};
    const state = objectOf(detail.state) ?? {};
    const configuration = objectOf(detail.configuration) ?? {};
    const alarmName = typeof detail.alarmName === 'string' ? detail.alarmName : '';
    const newState = textOf(state.value);
    if (!alarmName || !newState) {
      throw new NotAnAlarmNotification('the EventBridge event is not a CloudWatch alarm state change (no detail.alarmName or detail.state.value)');
    }
    const region = textOf(record.region);
    const accountId = textOf(record.account);
    const metrics = listOf(configuration.metrics);
    const alarmRule = textOf(configuration.alarmRule);
    const band = metrics.find((m) => textOf(m.expression).startsWith('ANOMALY_DETECTION_BAND'));
    const single = metrics.length === 1 ? objectOf(objectOf(metrics[0].metricStat)?.metric) : undefined;
    const resource = Array.isArray(record.resources) ? record.resources.map(textOf).find((r) => r.startsWith('arn:')) : undefined;
    return {
      alarmName,
      // Without `resources`, the alarm's own identity: alarm names are unique per account and region.
      alarmArn: resource ?? `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarmName}`,
      description: textOf(configuration.description),
      newState,
      reason: textOf(state.reason),
      stateChangeTime: textOf(state.timestamp) || textOf(record.time),
      region,
      accountId,
      kind: alarmRule ? 'composite' : band ? 'anomaly-detection' : single ? 'metric' : 'metric-math',
      metric: alarmRule ? alarmRule
        : band ? textOf(band.expression)
          : single ? `${textOf(single.namespace)}/${textOf(single.name)}` : textOf(metrics.find((m) => textOf(m.expression))?.expression),
    };
  }
  throw new NotAnAlarmNotification('neither an SNS record nor a CloudWatch Alarm State Change event');
}

/** The severity a description starts with (`[P2] ...`), for alarms written before the metadata line. */
export function severityFromDescription(description: string): Severity | undefined {
  const match = /^\s*\[(P[123])\]/.exec(description);
  return match ? (match[1] as Severity) : undefined;
}

/**
 * A dedup key of at most 255 characters: long identities keep their start and end in a
 * deterministic hash of the whole.
 */
export function boundedDedupKey(identity: string): string {
  const key = wellFormed(identity);
  if (key.length <= PAGERDUTY_LIMITS.DEDUP_KEY) return key;
  const suffix = `#${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  const head = clip(key, PAGERDUTY_LIMITS.DEDUP_KEY - suffix.length + 1).slice(0, -1);
  return head + suffix;
}

/**
 * The cause's key when the alarm carries metadata (a repeat of the same cause appends to the open
 * incident), else the alarm's own. An OK computes the same key as its ALARM, so it resolves it.
 */
export function dedupKeyOf(notification: Pick<AlarmNotification, 'alarmArn'>, metadata: AlarmMetadata | undefined, clientId: string): string {
  return boundedDedupKey(metadata ? `cdk-ai-ops/${clientId}/${metadata.cause}` : `cdk-ai-ops/${notification.alarmArn}`);
}

/** The datapoint CloudWatch quotes in its state reason ("... [5.3 (27/11/26 06:00:00)] ..."). */
function observedValue(reason: string): string | undefined {
  // The head only: the pattern backtracks quadratically over a long run of digits.
  return /\[([-\d.eE+]+) \(/.exec(reason.slice(0, 1024))?.[1];
}

const LATEST_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An ISO 8601 timestamp PagerDuty accepts, or undefined for anything that is not a date. */
function isoTimestamp(value: string): string | undefined {
  if (value.length > 64 || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms <= LATEST_DATE ? new Date(ms).toISOString() : undefined;
}

/** Bounded text, and the links of a description, noting each repair so the incident shows what was cut. */
class DescriptionBounded extends Bounded {
  /** The link of the only `label: ` line; none when there is none, several, or it is not an http(s) URL. */
  public link(lines: string[], label: string): string | undefined {
    const values = lines.filter((l) => l.startsWith(`${label}: `)).map((l) => l.slice(label.length + 2).trim());
    if (values.length === 0) return undefined;
    if (values.length > 1) {
      this.repairs.push(`${values.length} ${label} lines: none linked`);
      return undefined;
    }
    const url = httpUrl(values[0], PAGERDUTY_LIMITS.LINK);
    if (!url) this.repairs.push(`${label} is not an http(s) URL: not linked`);
    return url;
  }
}

export interface Routing {
  /** Severity of each severity topic, by topic ARN. */
  readonly topicSeverities: ReadonlyMap<string, Severity>;
  /** Severities with a PagerDuty service. */
  readonly paged: ReadonlySet<Severity>;
  readonly tier: SlaTier;
  readonly clientId: string;
}

export type Decision =
  | { readonly outcome: 'send'; readonly alarmName: string; readonly severity: Severity; readonly event: Omit<PagerDutyEvent, 'routing_key'> }
  | { readonly outcome: 'skip'; readonly reason: string };

/**
 * What to do with one record: ALARM triggers, OK resolves the same dedup key, other states are
 * skipped, as is a severity without a PagerDuty service (email and Slack deliver it). Throws a
 * ForwarderError for what is not an alarm notification or has no severity.
 */
export function decide(record: unknown, routing: Routing): Decision {
  const notification = parseNotification(record);
  const name = clip(notification.alarmName, PAGERDUTY_LIMITS.FIELD);
  const state = notification.newState;
  if (state !== 'ALARM' && state !== 'OK') {
    return {
      outcome: 'skip',
      reason: state === 'INSUFFICIENT_DATA'
        ? `${name} is INSUFFICIENT_DATA: pages no one (each alarm's TreatMissingData decides whether missing data breaches)`
        : `${name} is in state ${JSON.stringify(clip(state, 64))}, neither ALARM nor OK`,
    };
  }
  const metadata = decodeAlarmMetadata(notification.description);
  // A map, not an object: a topic ARN such as `constructor` must not read Object.prototype.
  const fromTopic = notification.topicArn !== undefined ? routing.topicSeverities.get(notification.topicArn) : undefined;
  const severity = fromTopic ?? metadata?.severity ?? severityFromDescription(notification.description);
  if (!severity) {
    throw new NoSeverity(`no severity for alarm ${name}: it came through no severity topic and its description has no metadata line or [P1]-[P3] prefix`);
  }
  if (!routing.paged.has(severity)) {
    return { outcome: 'skip', reason: `no PagerDuty service for ${severity}; ${name} is delivered by its other paths` };
  }
  const dedupKey = dedupKeyOf(notification, metadata, routing.clientId);
  if (state === 'OK') return { outcome: 'send', alarmName: name, severity, event: { event_action: 'resolve', dedup_key: dedupKey } };

  const bounded = new DescriptionBounded();
  const lines = notification.description.split('\n').map((l) => l.replace(/\r$/, ''));
  // Links only from the prose above the metadata line.
  const prose = metadata ? lines.slice(0, -1) : lines;
  const headline = prose[0]?.trim() ? prose[0].trim().replace(/^\[P[123]\]\s*/, `[${severity}] `) : `[${severity}] in ALARM`;
  const runbook = bounded.link(prose, DESCRIPTION_LABELS.RUNBOOK);
  const dashboard = bounded.link(prose, DESCRIPTION_LABELS.DASHBOARD);
  const timestamp = isoTimestamp(notification.stateChangeTime);
  if (!timestamp && notification.stateChangeTime) bounded.repairs.push('the state change time is not a date: omitted');
  const details: Record<string, string | undefined> = {
    alarm: notification.alarmName,
    alarmType: notification.kind,
    kind: metadata?.kind,
    cause: metadata?.cause,
    affects: metadata?.affects?.join(', '),
    owner: metadata?.owner,
    metric: notification.metric,
    threshold: notification.threshold,
    observed: observedValue(notification.reason),
    severity,
    tier: routing.tier,
    responseTarget: RESPONSE_TARGETS[routing.tier][severity],
    runbook,
    dashboard,
  };
  const customDetails: Record<string, string> = {};
  for (const [field, value] of Object.entries(details)) {
    if (value) customDetails[field] = bounded.text(field, value, PAGERDUTY_LIMITS.DETAIL);
  }
  if (notification.reason) customDetails.reason = bounded.text('the state reason', notification.reason, PAGERDUTY_LIMITS.REASON);
  const summary = bounded.text('summary', `${notification.alarmName}: ${headline}`, PAGERDUTY_LIMITS.SUMMARY);
  // The SNS format names the region in words; the ARN has its code.
  const source = bounded.text('source', `aws:${notification.alarmArn.split(':')[3] || notification.region}:${notification.accountId}`, PAGERDUTY_LIMITS.FIELD);
  const group = routing.clientId ? clip(routing.clientId, PAGERDUTY_LIMITS.FIELD) : undefined;
  const eventClass = clip(metadata?.kind ?? notification.kind, PAGERDUTY_LIMITS.FIELD);
  if (bounded.repairs.length > 0) customDetails.repairs = clip(bounded.repairs.join('; '), PAGERDUTY_LIMITS.DETAIL);
  return {
    outcome: 'send',
    alarmName: name,
    severity,
    event: {
      event_action: 'trigger',
      dedup_key: dedupKey,
      payload: {
        summary,
        source,
        severity: PAGERDUTY_SEVERITY[severity],
        ...(timestamp ? { timestamp } : {}),
        component: name,
        ...(group ? { group } : {}),
        class: eventClass,
        custom_details: customDetails,
      },
      links: [
        ...(dashboard ? [{ href: dashboard, text: 'Dashboard' }] : []),
        ...(runbook ? [{ href: runbook, text: 'Runbook' }] : []),
      ],
      client: 'cdk-ai-ops',
    },
  };
}

/**
 * Milliseconds to wait before attempt `attempt` (1-based retry count): exponential backoff with
 * full jitter, at least what a Retry-After header asks. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, random: number, baseMs: number, capMs: number, retryAfterSeconds?: number): number {
  const backoff = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return Math.max(Math.floor(random * backoff), (retryAfterSeconds ?? 0) * 1000);
}

/*
 * The PagerDuty forwarder's pure core: CloudWatch alarm notifications in, PagerDuty Events API v2
 * events out. No I/O, no clock.
 */
import { DESCRIPTION_LABELS } from '../../lib/alarms/description';
import { Severity, SlaTier } from '../../lib/config/types';
import { RESPONSE_TARGETS } from '../../lib/routing/sla';

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

/** Events API v2 limits. */
const SUMMARY_LIMIT = 1024;
const DEDUP_KEY_LIMIT = 255;

const PAGERDUTY_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning'> = {
  [Severity.P1]: 'critical',
  [Severity.P2]: 'error',
  [Severity.P3]: 'warning',
};

/** Thrown for a message that is not a CloudWatch alarm notification: it goes to the dead-letter queue. */
export class NotAnAlarmNotification extends Error {}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function describeTrigger(trigger: any): Pick<AlarmNotification, 'kind' | 'metric' | 'threshold'> {
  if (!trigger) return { kind: 'composite' };
  const metrics: any[] = Array.isArray(trigger.Metrics) ? trigger.Metrics : [];
  const band = metrics.find((m) => typeof m.Expression === 'string' && m.Expression.startsWith('ANOMALY_DETECTION_BAND'));
  if (band || trigger.ThresholdMetricId) {
    return { kind: 'anomaly-detection', metric: text(band?.Expression), threshold: `outside the band ${text(band?.Expression)}` };
  }
  const threshold = `${text(trigger.ComparisonOperator)} ${text(trigger.Threshold)}`.trim();
  if (metrics.length > 0) {
    const returned = metrics.find((m) => m.ReturnData !== false && m.Expression) ?? metrics.find((m) => m.Expression);
    return { kind: 'metric-math', metric: text(returned?.Expression ?? returned?.Label), threshold };
  }
  return { kind: 'metric', metric: `${text(trigger.Namespace)}/${text(trigger.MetricName)}`, threshold };
}

/**
 * Parses the SNS notification CloudWatch sends (the Sns.Message JSON of a record) or the
 * EventBridge "CloudWatch Alarm State Change" event, for metric, metric-math, anomaly-detection
 * and composite alarms alike.
 */
export function parseNotification(input: unknown): AlarmNotification {
  const record = input as any;
  if (record?.Sns?.Message !== undefined) {
    let message: any;
    try {
      message = JSON.parse(record.Sns.Message);
    } catch {
      throw new NotAnAlarmNotification('the SNS message is not JSON');
    }
    if (!message?.AlarmName || !message?.NewStateValue) throw new NotAnAlarmNotification('the SNS message is not a CloudWatch alarm notification');
    return {
      alarmName: message.AlarmName,
      alarmArn: text(message.AlarmArn) || `arn:aws:cloudwatch:${text(message.Region)}:${text(message.AWSAccountId)}:alarm:${message.AlarmName}`,
      description: text(message.AlarmDescription),
      newState: message.NewStateValue,
      reason: text(message.NewStateReason),
      stateChangeTime: text(message.StateChangeTime),
      region: text(message.Region),
      accountId: text(message.AWSAccountId),
      ...(message.AlarmRule ? { kind: 'composite' as const, metric: text(message.AlarmRule) } : describeTrigger(message.Trigger)),
    };
  }
  if (record?.['detail-type'] === 'CloudWatch Alarm State Change') {
    const detail = record.detail ?? {};
    const configuration = detail.configuration ?? {};
    const metrics: any[] = configuration.metrics ?? [];
    const composite = configuration.alarmRule !== undefined;
    const band = metrics.find((m) => text(m.expression).startsWith('ANOMALY_DETECTION_BAND'));
    const single = metrics.length === 1 ? metrics[0].metricStat?.metric : undefined;
    return {
      alarmName: text(detail.alarmName),
      alarmArn: text(record.resources?.[0]),
      description: text(configuration.description),
      newState: text(detail.state?.value),
      reason: text(detail.state?.reason),
      stateChangeTime: text(detail.state?.timestamp ?? record.time),
      region: text(record.region),
      accountId: text(record.account),
      kind: composite ? 'composite' : band ? 'anomaly-detection' : single ? 'metric' : 'metric-math',
      metric: composite ? text(configuration.alarmRule)
        : band ? text(band.expression)
          : single ? `${text(single.namespace)}/${text(single.name)}` : text(metrics.find((m) => m.expression)?.expression),
    };
  }
  throw new NotAnAlarmNotification('neither an SNS record nor a CloudWatch Alarm State Change event');
}

/** The line of an alarm description that starts with `label: `, as this library writes them. */
function descriptionLine(description: string, label: string): string | undefined {
  const line = description.split('\n').find((l) => l.startsWith(`${label}: `));
  return line?.slice(label.length + 2).trim();
}

/** The datapoint CloudWatch quotes in its state reason ("... [5.3 (27/11/26 06:00:00)] ..."). */
function observedValue(reason: string): string | undefined {
  return /\[([-\d.eE+]+) \(/.exec(reason)?.[1];
}

/** The severity a description starts with (`[P2] ...`), for events that did not come through a severity topic. */
export function severityFromDescription(description: string): Severity | undefined {
  const match = /^\[(P[123])\]/.exec(description.trim());
  return match ? (match[1] as Severity) : undefined;
}

/** A dedup key unique to the alarm, reused by its OK so recoveries close their incidents. */
export function dedupKeyOf(alarmArn: string): string {
  const key = `cdk-ai-ops/${alarmArn}`;
  if (key.length <= DEDUP_KEY_LIMIT) return key;
  let hash = 7;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) % 2147483647;
  const suffix = `#${hash.toString(36)}`;
  return key.slice(0, DEDUP_KEY_LIMIT - suffix.length) + suffix;
}

export interface EventContext {
  readonly severity: Severity;
  readonly routingKey: string;
  readonly tier: SlaTier;
  readonly clientId: string;
}

/**
 * The Events API v2 event for a state change: ALARM triggers, OK resolves the same dedup key,
 * anything else (INSUFFICIENT_DATA) sends nothing.
 */
export function toPagerDutyEvent(notification: AlarmNotification, context: EventContext): PagerDutyEvent | undefined {
  const dedupKey = dedupKeyOf(notification.alarmArn);
  if (notification.newState === 'OK') {
    return { routing_key: context.routingKey, event_action: 'resolve', dedup_key: dedupKey };
  }
  if (notification.newState !== 'ALARM') return undefined;

  const description = notification.description;
  const headline = description.split('\n')[0] || notification.alarmName;
  const summary = `${notification.alarmName}: ${headline.replace(/^\[P[123]\]\s*/, `[${context.severity}] `)}`;
  const runbook = descriptionLine(description, DESCRIPTION_LABELS.RUNBOOK);
  const dashboard = descriptionLine(description, DESCRIPTION_LABELS.DASHBOARD);
  const details: Record<string, string | undefined> = {
    alarm: notification.alarmName,
    kind: notification.kind,
    metric: notification.metric,
    threshold: notification.threshold,
    observed: observedValue(notification.reason),
    reason: notification.reason,
    owner: descriptionLine(description, DESCRIPTION_LABELS.OWNER),
    severity: context.severity,
    tier: context.tier,
    responseTarget: RESPONSE_TARGETS[context.tier][context.severity],
    runbook,
  };
  return {
    routing_key: context.routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: summary.length <= SUMMARY_LIMIT ? summary : summary.slice(0, SUMMARY_LIMIT - 3) + '...',
      // The SNS format names the region in words; the ARN has its code.
      source: `aws:${notification.alarmArn.split(':')[3] || notification.region}:${notification.accountId}`,
      severity: PAGERDUTY_SEVERITY[context.severity],
      ...(notification.stateChangeTime ? { timestamp: new Date(notification.stateChangeTime).toISOString() } : {}),
      component: notification.alarmName,
      group: context.clientId,
      class: notification.kind,
      custom_details: Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>,
    },
    links: [
      ...(dashboard ? [{ href: dashboard, text: 'Dashboard' }] : []),
      ...(runbook ? [{ href: runbook, text: 'Runbook' }] : []),
    ],
    client: 'cdk-ai-ops',
  };
}

/** Should a response be retried? 429 (rate limited) and 5xx are; anything else is final. */
export function isRetryable(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Milliseconds to wait before attempt `attempt` (1-based retry count): exponential backoff with
 * full jitter, at least what a Retry-After header asks. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, random: number, baseMs: number, capMs: number, retryAfterSeconds?: number): number {
  const backoff = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  return Math.max(Math.floor(random * backoff), (retryAfterSeconds ?? 0) * 1000);
}

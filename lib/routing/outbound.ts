/*
 * What leaves the client's account on the alert and report paths, field by field: the one list
 * the audit pack prints. Each list sits beside the sender it describes; tests build real messages
 * with the senders' cores and hold the lists equal to them.
 */

/** One field of a message that leaves the account. */
export interface OutboundField {
  /** Its path in the message (`payload.summary`, `links[].href`), or its part (subject, body). */
  readonly field: string;
  /** What it holds. */
  readonly content: string;
}

/** One kind of message sent outside the account, and what it carries. */
export interface OutboundMessage {
  /** Stable id of the flow. */
  readonly id: string;
  readonly title: string;
  /** Where it goes (the service, outside the account). */
  readonly destination: string;
  /** What sends it and over what transport. */
  readonly transport: string;
  readonly fields: OutboundField[];
  /** What it never holds. */
  readonly neverSent: string[];
}

/** Never in any message of the alert path: alarms are built from metric names and the config only. */
const ALERT_NEVER_SENT = [
  'prompts, model outputs or any part of a conversation',
  'tenant ids or user ids (they never become metric dimensions, so no alarm can name one)',
  'telemetry log lines',
  'secrets (integration keys are read from Secrets Manager and never logged)',
];

/**
 * PagerDuty Change Events the rollout change events function (lambda/rollout-change-events)
 * sends for each stage change of a governed rollout: they page no one and show on the timeline.
 */
export const PAGERDUTY_CHANGE_EVENTS: OutboundMessage = {
  id: 'pagerduty-change-events',
  title: 'PagerDuty Change Events (rollout stages)',
  destination: 'PagerDuty Change Events API (HTTPS POST to /v2/change/enqueue beside the configured events URL)',
  transport: 'the RolloutChangeEvents Lambda function, invoked by each route\'s rollout state machine',
  fields: [
    { field: 'routing_key', content: 'the integration key of each paged PagerDuty service, read from Secrets Manager: PagerDuty\'s own credential, sent to PagerDuty only' },
    { field: 'payload.summary', content: 'the client id, the rollout (candidate variant id), agent/route and the stage change (e.g. advanced 10% → 50%) with its reason' },
    { field: 'payload.source', content: '`cdk-ai-ops/<client id>`' },
    { field: 'payload.timestamp', content: 'when the change event was built' },
    { field: 'payload.custom_details.client', content: 'the client id' },
    { field: 'payload.custom_details.agent', content: 'the agent id of the config' },
    { field: 'payload.custom_details.route', content: 'the route id of the config' },
    { field: 'payload.custom_details.rollout', content: 'the candidate variant id of the config' },
    { field: 'payload.custom_details.action', content: 'start, advance, pause, rollback or complete' },
    { field: 'payload.custom_details.fromPercent', content: 'the candidate\'s share before the change' },
    { field: 'payload.custom_details.toPercent', content: 'the candidate\'s share after the change' },
    { field: 'payload.custom_details.reason', content: 'why (e.g. the gate alarm in ALARM), when given' },
    { field: 'payload.custom_details.evidence[].alarm', content: 'a gate alarm\'s name, when evidence is given' },
    { field: 'payload.custom_details.evidence[].state', content: 'that alarm\'s state (ALARM, OK, INSUFFICIENT_DATA)' },
    { field: 'payload.custom_details.evidence[].reason', content: 'that alarm\'s CloudWatch state reason (its threshold and datapoints)' },
    { field: 'payload.custom_details.evidenceNotShown', content: 'how many gates were left out beyond the limit' },
    { field: 'payload.custom_details.executionArn', content: 'the state machine execution\'s ARN' },
    { field: 'payload.custom_details.repairs', content: 'what was cut or left out of the request' },
    { field: 'links[].href', content: 'the execution in the Step Functions console' },
    { field: 'links[].text', content: 'the link\'s label' },
  ],
  neverSent: ALERT_NEVER_SENT,
};

/**
 * PagerDuty Events API v2 events the PagerDuty forwarder (lambda/pagerduty-forwarder) sends: a
 * trigger for ALARM, a resolve (routing_key, event_action, dedup_key only) for OK.
 */
export const PAGERDUTY_EVENTS: OutboundMessage = {
  id: 'pagerduty-events',
  title: 'PagerDuty incidents (Events API v2)',
  destination: 'PagerDuty Events API v2 (HTTPS POST to the configured events URL)',
  transport: 'the PagerDutyForwarder Lambda function, subscribed to the paged severity topics',
  fields: [
    { field: 'routing_key', content: 'the integration key of the severity\'s PagerDuty service, read from Secrets Manager: PagerDuty\'s own credential, sent to PagerDuty only' },
    { field: 'event_action', content: '`trigger` when the alarm goes into ALARM, `resolve` when it returns to OK' },
    { field: 'dedup_key', content: '`cdk-ai-ops/<client id>/<alarm cause>` (or `cdk-ai-ops/<alarm ARN>`), hashed beyond 255 characters' },
    { field: 'payload.summary', content: 'the alarm name and the first line of its description, with the severity' },
    { field: 'payload.source', content: '`aws:<region>:<account id>`' },
    { field: 'payload.severity', content: 'critical (P1), error (P2) or warning (P3)' },
    { field: 'payload.timestamp', content: 'when the alarm changed state' },
    { field: 'payload.component', content: 'the alarm name' },
    { field: 'payload.group', content: 'the client id' },
    { field: 'payload.class', content: 'the alarm kind (e.g. latency-p95), or the alarm type' },
    { field: 'payload.custom_details.alarm', content: 'the alarm name' },
    { field: 'payload.custom_details.alarmType', content: 'metric, metric-math, anomaly-detection or composite' },
    { field: 'payload.custom_details.kind', content: 'the alarm kind from the alarm\'s metadata line' },
    { field: 'payload.custom_details.cause', content: 'the cause (dedup identity) from the metadata line: agent, route or model ids of the config' },
    { field: 'payload.custom_details.affects', content: 'the agents or routes affected, from the metadata line' },
    { field: 'payload.custom_details.owner', content: 'the owning team from the config' },
    { field: 'payload.custom_details.metric', content: 'the metric name or metric-math expression' },
    { field: 'payload.custom_details.threshold', content: 'the comparison and threshold' },
    { field: 'payload.custom_details.observed', content: 'the datapoint CloudWatch quotes in its state reason' },
    { field: 'payload.custom_details.severity', content: 'P1, P2 or P3' },
    { field: 'payload.custom_details.tier', content: 'the client\'s SLA tier' },
    { field: 'payload.custom_details.responseTarget', content: 'the response target of the tier and severity' },
    { field: 'payload.custom_details.runbook', content: 'the runbook URL of the alarm' },
    { field: 'payload.custom_details.dashboard', content: 'the CloudWatch console URL of the dashboard' },
    { field: 'payload.custom_details.reason', content: 'CloudWatch\'s state reason (the datapoints that breached)' },
    { field: 'payload.custom_details.repairs', content: 'what the forwarder cut or left out to stay within PagerDuty\'s limits' },
    { field: 'links[].href', content: 'the dashboard and runbook URLs' },
    { field: 'links[].text', content: '`Dashboard` or `Runbook`' },
    { field: 'client', content: '`cdk-ai-ops`' },
  ],
  neverSent: ALERT_NEVER_SENT,
};

/** Fields of the CloudWatch alarm notification SNS delivers (AWS's format; the library sets the name and description). */
const ALARM_NOTIFICATION_FIELDS: OutboundField[] = [
  { field: 'AlarmName', content: 'the alarm name: `<client id>-<agent>-<route>-<kind>` and the like, from the config\'s ids' },
  { field: 'AlarmDescription', content: 'what broke, the condition, the owner, the runbook and dashboard URLs, and the alarm\'s metadata line' },
  { field: 'AWSAccountId, Region, AlarmArn', content: 'where the alarm lives' },
  { field: 'NewStateValue, OldStateValue, NewStateReason, StateChangeTime', content: 'the state change and CloudWatch\'s reason (the datapoints that breached)' },
  { field: 'Trigger', content: 'the metric name, namespace, dimensions (agent, route, model ids), statistic, period, threshold and comparison' },
];

/** CloudWatch alarm notifications mailed by SNS email subscriptions of the severity and dead-letter topics. */
export const ALARM_EMAILS: OutboundMessage = {
  id: 'alarm-emails',
  title: 'Alarm emails',
  destination: 'the email addresses of the config (escalation.emails)',
  transport: 'Amazon SNS email subscriptions of the severity and undelivered-alert topics',
  fields: [
    ...ALARM_NOTIFICATION_FIELDS,
    { field: 'AWS Budgets and Cost Anomaly Detection notifications', content: 'on the topics they publish to: the budget name, limit, threshold and actual spend; the anomaly\'s service and cost impact' },
  ],
  neverSent: ALERT_NEVER_SENT,
};

/** What AWS Chatbot posts to the client's Slack channel. */
export const SLACK_NOTIFICATIONS: OutboundMessage = {
  id: 'slack',
  title: 'Slack notifications',
  destination: 'the Slack workspace and channel of the config (escalation.slack)',
  transport: 'AWS Chatbot, subscribed to the immediate severity topics, the digest and the undelivered-alert topic',
  fields: [
    ...ALARM_NOTIFICATION_FIELDS,
    { field: 'P3 digest', content: 'the digest message (see the P3 digest flow)' },
  ],
  neverSent: [...ALERT_NEVER_SENT, 'anything on request: the channel\'s role is held to ReadOnlyAccess by a guardrail policy'],
};

/** The P3 digest (lambda/p3-digest), published to the digest topic and mailed by SNS. */
export const P3_DIGEST: OutboundMessage = {
  id: 'p3-digest',
  title: 'P3 digest emails',
  destination: 'the P3 addresses of the config (escalation.emails.p3), and Slack when configured',
  transport: 'the P3Digest Lambda function publishes to the digest topic; SNS email subscriptions deliver it',
  fields: [
    { field: 'subject', content: '`[P3] <client id>: <n> alarms fired, <period>`' },
    { field: 'message', content: 'per P3 alarm that went into ALARM in the period: its name, how often, first and last seen' },
  ],
  neverSent: ALERT_NEVER_SENT,
};

const REPORT_NEVER_SENT = [
  'prompts, model outputs or any part of a conversation',
  'secrets',
  'telemetry log lines (the report holds aggregates computed from them)',
];

/** The governance report's notification (lambda/governance-report), published to the report topic and mailed by SNS. */
export const REPORT_NOTIFICATION: OutboundMessage = {
  id: 'report-notification',
  title: 'Governance report notification emails',
  destination: 'the report recipients of the config (reports.recipients)',
  transport: 'the governance report Lambda function publishes to the report topic; SNS email subscriptions deliver it',
  fields: [
    { field: 'subject', content: '`AI spend report <period>: <display name>` (or `Quarterly architecture review ...`)' },
    { field: 'message', content: 'spend and model calls of the period and the change, budget use, the three biggest route moves, top anomalies and recommendations, incomplete sections, and where the full report lies (S3 URI, console URL)' },
  ],
  neverSent: [...REPORT_NEVER_SENT, 'tenant ids (the summary names routes, not tenants)'],
};

/** The governance report mailed through Amazon SES when the config names a sender. */
export const REPORT_SES_EMAIL: OutboundMessage = {
  id: 'report-ses-email',
  title: 'Governance report emails (Amazon SES)',
  destination: 'the report recipients of the config (reports.recipients), from reports.sesFromAddress',
  transport: 'the governance report Lambda function calls SES SendEmail',
  fields: [
    { field: 'Subject', content: 'as the notification\'s subject' },
    { field: 'Body.Text', content: 'the notification\'s text' },
    { field: 'Body.Html', content: 'the whole HTML report: spend by model, agent, route and top tenant (tenant ids as the telemetry records them), SLO attainment, anomalies, recommendations, accuracy evidence' },
  ],
  neverSent: REPORT_NEVER_SENT,
};

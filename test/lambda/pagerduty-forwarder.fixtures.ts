/* Alarms, topics and the environment the PagerDuty forwarder tests share: one alarm of each kind, as synthesized. */
import { Severity, SlaTier } from '../../lib/config';
import { FORWARDER_ENV } from '../../lib/routing/sla';
import { SynthesizedAlarm } from '../support/alarm-notifications';

export const P1_TOPIC = 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p1';
export const P2_TOPIC = 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p2';
export const P1_KEY = 'a'.repeat(32);
export const P2_KEY = 'b'.repeat(32);

/** The forwarder's environment as deployed for the example: P1 and P2 topics and key secrets, the events URL of a stand-in. */
export function forwarderEnv(eventsUrl: string, slaTier: SlaTier): Record<string, string> {
  return {
    [FORWARDER_ENV.TOPIC_SEVERITIES]: JSON.stringify({ [P1_TOPIC]: Severity.P1, [P2_TOPIC]: Severity.P2 }),
    [FORWARDER_ENV.KEY_SECRETS]: JSON.stringify({ P1: 'example/pagerduty-p1', P2: 'example/pagerduty-p2' }),
    [FORWARDER_ENV.EVENTS_URL]: eventsUrl,
    [FORWARDER_ENV.SLA_TIER]: slaTier,
    [FORWARDER_ENV.CLIENT_ID]: 'example',
  };
}

export const description = [
  '[P2] p95 latency of route answer/draft-reply is above its SLO.',
  'Fires when: p95 latency > 8000 ms in 3 of 3 five-minute periods.',
  'Owner: team support-ai, service support-answer-fn.',
  'Runbook: https://runbooks.example.com/support/answer',
  'Dashboard: https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/example-ai-ops-agent-answer',
].join('\n');
export const latencyAlarm: SynthesizedAlarm = {
  name: 'example-answer-draft-reply-latency-p95',
  description,
  composite: false,
  properties: {
    Threshold: 8000,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    TreatMissingData: 'notBreaching',
    Metrics: [
      { Id: 'expr_1', Expression: 'IF(callsSum_1 >= 20, value_1, 0)', Label: 'p95 latency (ms)' },
      { Id: 'value_1', MetricStat: { Metric: { MetricName: 'latency', Namespace: 'CdkAiOps', Dimensions: [] }, Period: 300, Stat: 'p95' }, ReturnData: false },
    ],
  },
};
export const staleAlarm: SynthesizedAlarm = {
  name: 'example-retrieval-retrieval-staleness',
  description: description.replace('[P2]', '[P3]'),
  composite: false,
  properties: { MetricName: 'indexAge', Namespace: 'CdkAiOps', Statistic: 'Maximum', Period: 900, Threshold: 24, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 2 },
};
export const compositeAlarm: SynthesizedAlarm = {
  name: 'example-production-down', description: description.replace('[P2]', '[P1]'), composite: true, properties: { AlarmRule: '(ALARM("example-answer-agent-down"))' },
};
export const anomalyAlarm: SynthesizedAlarm = {
  name: 'example-spend-anomaly',
  description,
  composite: false,
  properties: { ComparisonOperator: 'GreaterThanUpperThreshold', ThresholdMetricId: 'band', Metrics: [{ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)' }, { Id: 'm1', MetricStat: { Metric: { MetricName: 'cost', Namespace: 'CdkAiOps' }, Period: 3600, Stat: 'Sum' } }] },
};

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  dedupKeyOf, NotAnAlarmNotification, parseNotification, retryDelayMs, toPagerDutyEvent,
} from '../../lambda/pagerduty-forwarder/core';
import { createHandler } from '../../lambda/pagerduty-forwarder/handler';
import { Severity, SlaTier } from '../../lib/config';
import { FORWARDER_ENV } from '../../lib/routing/sla';
import { alarmArnOf, eventBridgeEvent, snsMessage, snsRecord, SynthesizedAlarm } from '../support/alarm-notifications';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in';

const P1_TOPIC = 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p1';
const P2_TOPIC = 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p2';
const P1_KEY = 'a'.repeat(32);
const P2_KEY = 'b'.repeat(32);

const description = [
  '[P2] p95 latency of route answer/draft-reply is above its SLO.',
  'Fires when: p95 latency > 8000 ms in 3 of 3 five-minute periods.',
  'Owner: team support-ai, service support-answer-fn.',
  'Runbook: https://runbooks.example.com/support/answer',
  'Dashboard: https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/example-ai-ops-agent-answer',
].join('\n');
const latencyAlarm: SynthesizedAlarm = {
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
const staleAlarm: SynthesizedAlarm = {
  name: 'example-retrieval-retrieval-staleness',
  description: description.replace('[P2]', '[P3]'),
  composite: false,
  properties: { MetricName: 'indexAge', Namespace: 'CdkAiOps', Statistic: 'Maximum', Period: 900, Threshold: 24, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 2 },
};
const compositeAlarm: SynthesizedAlarm = {
  name: 'example-production-down', description: description.replace('[P2]', '[P1]'), composite: true, properties: { AlarmRule: '(ALARM("example-answer-agent-down"))' },
};
const anomalyAlarm: SynthesizedAlarm = {
  name: 'example-spend-anomaly',
  description,
  composite: false,
  properties: { ComparisonOperator: 'GreaterThanUpperThreshold', ThresholdMetricId: 'band', Metrics: [{ Id: 'band', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)' }, { Id: 'm1', MetricStat: { Metric: { MetricName: 'cost', Namespace: 'CdkAiOps' }, Period: 3600, Stat: 'Sum' } }] },
};

describe('parseNotification', () => {
  test.each([
    ['a metric alarm', staleAlarm, 'metric', 'CdkAiOps/indexAge'],
    ['a metric-math alarm', latencyAlarm, 'metric-math', 'IF(callsSum_1 >= 20, value_1, 0)'],
    ['a composite alarm', compositeAlarm, 'composite', '(ALARM("example-answer-agent-down"))'],
    ['an anomaly-detection alarm', anomalyAlarm, 'anomaly-detection', 'ANOMALY_DETECTION_BAND(m1, 2)'],
  ])('reads %s from SNS and from EventBridge alike', (_name, alarm, kind, metric) => {
    const fromSns = parseNotification(snsRecord(snsMessage(alarm, 'ALARM', 'OK'), P2_TOPIC));
    const fromEvents = parseNotification(eventBridgeEvent(alarm, 'ALARM'));
    for (const parsed of [fromSns, fromEvents]) {
      expect(parsed).toEqual(expect.objectContaining({ alarmName: alarm.name, alarmArn: alarmArnOf(alarm.name), newState: 'ALARM', kind, metric }));
    }
  });

  test('refuses what is not an alarm notification (it goes to the dead-letter queue)', () => {
    expect(() => parseNotification({ Sns: { Message: 'hello' } })).toThrow(NotAnAlarmNotification);
    expect(() => parseNotification({ detail: {} })).toThrow(NotAnAlarmNotification);
  });
});

describe('toPagerDutyEvent', () => {
  const context = { severity: Severity.P2, routingKey: P2_KEY, tier: SlaTier.STANDARD, clientId: 'example' };

  test('ALARM triggers with the severity, details, links and a dedup key from the alarm ARN', () => {
    const event = toPagerDutyEvent(parseNotification(snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)), context)!;
    expect(event).toEqual(expect.objectContaining({ routing_key: P2_KEY, event_action: 'trigger', dedup_key: `cdk-ai-ops/${alarmArnOf(latencyAlarm.name)}` }));
    expect(event.payload).toEqual(expect.objectContaining({
      summary: 'example-answer-draft-reply-latency-p95: [P2] p95 latency of route answer/draft-reply is above its SLO.',
      severity: 'error',
      source: 'aws:us-east-1:111122223333',
      timestamp: '2026-11-27T06:00:00.000Z',
      group: 'example',
    }));
    expect(event.payload!.custom_details).toEqual(expect.objectContaining({
      metric: 'IF(callsSum_1 >= 20, value_1, 0)',
      threshold: 'GreaterThanThreshold 8000',
      observed: '9120.5',
      owner: 'team support-ai, service support-answer-fn.',
      tier: 'standard',
      responseTarget: 'next business day',
      runbook: 'https://runbooks.example.com/support/answer',
    }));
    expect(event.links).toEqual([
      { href: expect.stringContaining('#dashboards/dashboard/example-ai-ops-agent-answer'), text: 'Dashboard' },
      { href: 'https://runbooks.example.com/support/answer', text: 'Runbook' },
    ]);
  });

  test('OK resolves the same dedup key; INSUFFICIENT_DATA sends nothing', () => {
    const trigger = toPagerDutyEvent(parseNotification(snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)), context)!;
    const resolve = toPagerDutyEvent(parseNotification(snsRecord(snsMessage(latencyAlarm, 'OK', 'ALARM'), P2_TOPIC)), context)!;
    expect(resolve).toEqual({ routing_key: P2_KEY, event_action: 'resolve', dedup_key: trigger.dedup_key });
    const insufficient = { ...parseNotification(snsRecord(snsMessage(latencyAlarm, 'OK', 'ALARM'), P2_TOPIC)), newState: 'INSUFFICIENT_DATA' };
    expect(toPagerDutyEvent(insufficient, context)).toBeUndefined();
  });

  test('P1 is critical, P3 a warning; the summary stays within 1,024 characters; long ARNs still give one dedup key', () => {
    const notification = parseNotification(snsRecord(snsMessage({ ...latencyAlarm, description: `[P1] ${'x'.repeat(3000)}` }, 'ALARM', 'OK'), P1_TOPIC));
    const critical = toPagerDutyEvent(notification, { ...context, severity: Severity.P1 })!;
    expect(critical.payload!.severity).toBe('critical');
    expect(critical.payload!.summary.length).toBe(1024);
    expect(toPagerDutyEvent(notification, { ...context, severity: Severity.P3 })!.payload!.severity).toBe('warning');
    const long = dedupKeyOf(`arn:aws:cloudwatch:us-east-1:111122223333:alarm:${'y'.repeat(300)}`);
    expect(long.length).toBe(255);
    expect(dedupKeyOf(`arn:aws:cloudwatch:us-east-1:111122223333:alarm:${'y'.repeat(300)}`)).toBe(long);
  });

  test('retry delays: exponential with full jitter, capped, never below Retry-After', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, 0.999, 500, 8000))).toEqual([499, 999, 1998, 3996, 7992, 7992]);
    expect(retryDelayMs(3, 0, 500, 8000)).toBe(0);
    expect(retryDelayMs(1, 0.5, 500, 8000, 30)).toBe(30_000);
  });
});

describe('the forwarder handler against a local Events API v2 stand-in', () => {
  const standIn = new PagerDutyStandIn();
  const secrets = mockClient(SecretsManagerClient);
  const logs: string[] = [];
  const delays: number[] = [];
  let url: string;

  beforeAll(async () => { url = await standIn.start(); });
  afterAll(async () => standIn.stop());
  beforeEach(() => {
    standIn.reset();
    secrets.reset();
    logs.length = 0;
    delays.length = 0;
    secrets.on(GetSecretValueCommand, { SecretId: 'example/pagerduty-p1' }).resolves({ SecretString: P1_KEY });
    secrets.on(GetSecretValueCommand, { SecretId: 'example/pagerduty-p2' }).resolves({ SecretString: JSON.stringify({ integrationKey: P2_KEY }) });
  });

  const handler = () => createHandler({
    secrets: new SecretsManagerClient({}),
    fetch: globalThis.fetch,
    sleep: async (ms) => { delays.push(ms); },
    random: () => 0.5,
    now: () => 0,
    env: {
      [FORWARDER_ENV.TOPIC_SEVERITIES]: JSON.stringify({ [P1_TOPIC]: Severity.P1, [P2_TOPIC]: Severity.P2 }),
      [FORWARDER_ENV.KEY_SECRETS]: JSON.stringify({ P1: 'example/pagerduty-p1', P2: 'example/pagerduty-p2' }),
      [FORWARDER_ENV.EVENTS_URL]: url,
      [FORWARDER_ENV.SLA_TIER]: SlaTier.ENTERPRISE,
      [FORWARDER_ENV.CLIENT_ID]: 'example',
    },
    log: (message) => logs.push(message),
  });

  test('sends a trigger and its resolve, each valid against the contract; the key is read once and never logged', async () => {
    const forward = handler();
    await forward({ Records: [snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)] });
    await forward({ Records: [snsRecord(snsMessage(latencyAlarm, 'OK', 'ALARM'), P2_TOPIC)] });
    expect(standIn.received.map((r) => [r.status, r.body.event_action, r.problems])).toEqual([[202, 'trigger', []], [202, 'resolve', []]]);
    expect(standIn.received[0].body.payload.custom_details.responseTarget).toBe('4 hours');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(logs.join('\n')).not.toContain(P2_KEY);
  });

  test('429 three times, then 202: delivered after backing off', async () => {
    standIn.respondWith([429, 429, 429, 202]);
    await handler()({ Records: [snsRecord(snsMessage(compositeAlarm, 'ALARM', 'OK'), P1_TOPIC)] });
    expect(standIn.received.map((r) => r.status)).toEqual([429, 429, 429, 202]);
    expect(standIn.received[3].body.payload.severity).toBe('critical');
    expect(delays).toEqual([250, 500, 1000]);
  });

  test('500 forever: the invocation fails after its attempts, so Lambda retries it and then dead-letters it', async () => {
    standIn.respondWith([500], { repeatLast: true });
    await expect(handler()({ Records: [snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)] }))
      .rejects.toThrow(/PagerDuty did not accept the trigger for cdk-ai-ops\/arn:aws:cloudwatch:.* \(HTTP 500\)/);
    expect(standIn.received).toHaveLength(6);
  });

  test('a 400 is final: no retry, and the message fails to the dead-letter queue', async () => {
    standIn.respondWith([400]);
    await expect(handler()({ Records: [snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)] })).rejects.toThrow(/HTTP 400/);
    expect(standIn.received).toHaveLength(1);
  });

  test('an EventBridge event is routed by the severity its description names', async () => {
    await handler()(eventBridgeEvent(compositeAlarm, 'ALARM') as any);
    expect(standIn.received.map((r) => [r.body.routing_key, r.body.payload.severity])).toEqual([[P1_KEY, 'critical']]);
  });

  test('a severity without a PagerDuty service sends nothing (its other paths deliver it)', async () => {
    await handler()({ Records: [snsRecord(snsMessage(staleAlarm, 'ALARM', 'OK'), 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p3')] });
    expect(standIn.received).toEqual([]);
    expect(logs).toEqual(['no PagerDuty service for P3; example-retrieval-retrieval-staleness is delivered by its other paths']);
  });
});

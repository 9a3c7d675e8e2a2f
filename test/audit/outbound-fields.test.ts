/*
 * The audit pack's lists of outbound fields (lib/routing/outbound.ts) held equal to what the
 * senders really send: the PagerDuty forwarder's handler posting to a local PagerDuty stand-in
 * over HTTP, the P3 digest's handler publishing to SNS (aws-sdk-client-mock).
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler as createDigestHandler } from '../../lambda/p3-digest/handler';
import { createHandler } from '../../lambda/pagerduty-forwarder/handler';
import { changeEventsOf } from '../../lambda/rollout-change-events/core';
import { encodeAlarmMetadata } from '../../lib/common/alarm-metadata';
import { Severity, SlaTier } from '../../lib/config';
import { DigestSchedule } from '../../lib/routing/delivery-plan';
import { P3_DIGEST, PAGERDUTY_CHANGE_EVENTS, PAGERDUTY_EVENTS } from '../../lib/routing/outbound';
import { DIGEST_ENV } from '../../lib/routing/sla';
import { forwarderEnv, latencyAlarm, P1_KEY, P2_TOPIC } from '../lambda/pagerduty-forwarder.fixtures';
import { snsMessage, snsRecord } from '../support/alarm-notifications';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in';

/** Every leaf path of a JSON value: `a.b`, arrays as `a[].b`. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => leafPaths(item, `${prefix}[]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

describe('PagerDuty Events API fields', () => {
  const standIn = new PagerDutyStandIn();
  const secrets = mockClient(SecretsManagerClient);
  let url: string;

  beforeAll(async () => { url = await standIn.start(); });
  afterAll(async () => {
    await standIn.stop();
    secrets.restore();
  });

  test('GIVEN an alarm with every detail WHEN it fires and resolves THEN the fields sent are exactly the audit pack\'s list', async () => {
    // GIVEN: a metadata line with owner and affects, runbook and dashboard links, a state reason long enough to be cut (a repair)
    secrets.on(GetSecretValueCommand).resolves({ SecretString: P1_KEY });
    const metadata = encodeAlarmMetadata({ severity: Severity.P2, kind: 'latency-p95', cause: 'example/answer/draft-reply/latency-p95', owner: 'team support-ai', affects: ['answer/draft-reply'] });
    const alarm = { ...latencyAlarm, description: `${latencyAlarm.description}\n${metadata}` };
    const firing: any = snsMessage(alarm, 'ALARM', 'OK');
    firing.NewStateReason = `Threshold Crossed: 1 datapoint [9120.5 (27/11/26 06:00:00)] was greater than the threshold (8000.0). ${'x'.repeat(3000)}`;
    const forward = createHandler({
      secrets: new SecretsManagerClient({}),
      fetch: globalThis.fetch,
      sleep: async () => undefined,
      random: () => 0.5,
      now: () => 0,
      env: forwarderEnv(url, SlaTier.STANDARD),
      log: () => undefined,
    });

    // WHEN
    await forward({ Records: [snsRecord(firing, P2_TOPIC)] });
    await forward({ Records: [snsRecord(snsMessage(alarm, 'OK', 'ALARM'), P2_TOPIC)] });

    // THEN: the trigger carries every listed field and no other; the resolve a subset of them
    const [trigger, resolve] = standIn.received.map((r) => r.body);
    const listed = PAGERDUTY_EVENTS.fields.map((f) => f.field);
    expect([...new Set(leafPaths(trigger))].sort()).toEqual([...listed].sort());
    expect(leafPaths(resolve).sort()).toEqual(['dedup_key', 'event_action', 'routing_key']);
    expect(listed).toEqual(expect.arrayContaining(leafPaths(resolve)));
  });
});

describe('PagerDuty Change Events fields', () => {
  test('GIVEN stage changes with and without evidence WHEN the core builds their events THEN they carry exactly the listed fields (plus the routing key the handler adds)', () => {
    const context = { clientId: 'example', services: ['example/pagerduty-p1'], timestamp: '2026-11-29T17:00:00.000Z' };
    const base = { clientId: 'example', agent: 'answer', route: 'draft-reply', rolloutId: 'sonnet46-p7', fromPercent: 10, toPercent: 50 };
    const evidence = Array.from({ length: 30 }, (_, i) => ({ alarmName: `example-answer-draft-reply-gate-${i}`, state: 'ALARM', reason: 'Threshold Crossed' }));
    const events = [
      { ...base, action: 'advance' },
      { ...base, action: 'rollback', toPercent: 0, reason: 'gate in ALARM', evidence, executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:m:e', surplus: 'dropped' },
    ].flatMap((request) => changeEventsOf(request, context).map((delivery) => delivery.event));
    const sent = new Set(['routing_key', ...events.flatMap((event) => leafPaths(event))]);
    expect([...sent].sort()).toEqual(PAGERDUTY_CHANGE_EVENTS.fields.map((f) => f.field).sort());
  });
});

describe('P3 digest fields', () => {
  test('GIVEN a P3 alarm that fired WHEN the digest runs THEN it publishes exactly the listed parts (and the topic)', async () => {
    // GIVEN
    const cloudwatch = mockClient(CloudWatchClient);
    const sns = mockClient(SNSClient);
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'example-retrieval-staleness' }] });
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [{ Timestamp: new Date('2026-11-27T06:00:00Z'), HistoryData: JSON.stringify({ newState: { stateValue: 'ALARM' } }) }],
    });
    sns.on(PublishCommand).resolves({});
    const digest = createDigestHandler({
      cloudwatch: new CloudWatchClient({}),
      sns: new SNSClient({}),
      now: () => new Date('2026-11-30T09:00:00Z'),
      env: { [DIGEST_ENV.P3_TOPIC_ARN]: 'arn:p3', [DIGEST_ENV.DIGEST_TOPIC_ARN]: 'arn:digest', [DIGEST_ENV.SCHEDULE]: DigestSchedule.WEEKLY, [DIGEST_ENV.CLIENT_ID]: 'example' },
    });

    // WHEN
    await digest();

    // THEN
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(Object.keys(input).filter((k) => k !== 'TopicArn').map((k) => k.toLowerCase()).sort()).toEqual(P3_DIGEST.fields.map((f) => f.field).sort());
    cloudwatch.restore();
    sns.restore();
  });
});

import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { buildDigest, periodStart } from '../../lambda/p3-digest/core';
import { createHandler } from '../../lambda/p3-digest/handler';
import { DigestSchedule } from '../../lib/routing/delivery-plan';
import { DIGEST_ENV } from '../../lib/routing/sla';

const at = (iso: string) => new Date(iso);

describe('periodStart', () => {
  test('weekly: the past seven days', () => {
    expect(periodStart(at('2026-11-30T09:00:00Z'), DigestSchedule.WEEKLY)).toEqual(at('2026-11-23T09:00:00Z'));
  });

  test.each([
    ['Monday covers the weekend from Friday', '2026-11-30T09:00:05Z', '2026-11-27T09:00:00Z'],
    ['Wednesday covers from Monday', '2026-12-02T09:00:05Z', '2026-11-30T09:00:00Z'],
    ['Friday covers from Wednesday', '2026-12-04T09:00:05Z', '2026-12-02T09:00:00Z'],
  ])('every two business days: %s', (_name, now, start) => {
    expect(periodStart(at(now), DigestSchedule.EVERY_TWO_BUSINESS_DAYS)).toEqual(at(start));
  });
});

describe('buildDigest', () => {
  test('counts each alarm\'s ALARM transitions in the period, with first and last seen', () => {
    const digest = buildDigest('example', [
      { alarmName: 'example-triage-classify-ticket-latency-p50', timestamp: at('2026-11-24T10:00:00Z'), newState: 'ALARM' },
      { alarmName: 'example-triage-classify-ticket-latency-p50', timestamp: at('2026-11-24T11:00:00Z'), newState: 'OK' },
      { alarmName: 'example-triage-classify-ticket-latency-p50', timestamp: at('2026-11-26T08:00:00Z'), newState: 'ALARM' },
      { alarmName: 'example-retrieval-retrieval-staleness', timestamp: at('2026-11-25T00:00:00Z'), newState: 'ALARM' },
      { alarmName: 'example-answer-prompt-cache-hit-rate', timestamp: at('2026-11-20T00:00:00Z'), newState: 'ALARM' }, // before the period
    ], at('2026-11-23T09:00:00Z'), at('2026-11-30T09:00:00Z'));
    expect(digest.entries).toEqual([
      { alarmName: 'example-triage-classify-ticket-latency-p50', count: 2, firstSeen: at('2026-11-24T10:00:00Z'), lastSeen: at('2026-11-26T08:00:00Z') },
      { alarmName: 'example-retrieval-retrieval-staleness', count: 1, firstSeen: at('2026-11-25T00:00:00Z'), lastSeen: at('2026-11-25T00:00:00Z') },
    ]);
    expect(digest.subject).toBe('[P3] example: 2 alarms fired, 2026-11-23T09:00Z to 2026-11-30T09:00Z');
    expect(digest.message).toContain('- example-triage-classify-ticket-latency-p50: 2 times, first 2026-11-24T10:00:00.000Z, last 2026-11-26T08:00:00.000Z');
  });

  test('a quiet period still sends a digest, so a missing one means the batch is broken', () => {
    expect(buildDigest('example', [], at('2026-11-23T09:00:00Z'), at('2026-11-30T09:00:00Z')).message)
      .toBe('No P3 alarm of example went into ALARM from 2026-11-23T09:00Z to 2026-11-30T09:00Z.');
  });
});

describe('the digest handler', () => {
  const cloudwatch = mockClient(CloudWatchClient);
  const sns = mockClient(SNSClient);
  beforeEach(() => { cloudwatch.reset(); sns.reset(); });

  test('reads the P3 alarms (actions to the P3 topic) and their history, page by page, and publishes one digest', async () => {
    cloudwatch.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'example-a-latency-p50' }], NextToken: 'page-2' })
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'example-b-retrieval-staleness' }] });
    const history = (name: string, iso: string, state: string) => ({
      AlarmName: name,
      Timestamp: at(iso),
      HistoryItemType: 'StateUpdate' as const,
      HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'OK' }, newState: { stateValue: state } }),
    });
    cloudwatch.on(DescribeAlarmHistoryCommand, { AlarmName: 'example-a-latency-p50' })
      .resolvesOnce({ AlarmHistoryItems: [history('example-a-latency-p50', '2026-11-24T10:00:00Z', 'ALARM')], NextToken: 'more' })
      .resolvesOnce({ AlarmHistoryItems: [history('example-a-latency-p50', '2026-11-25T10:00:00Z', 'ALARM')] });
    cloudwatch.on(DescribeAlarmHistoryCommand, { AlarmName: 'example-b-retrieval-staleness' }).resolves({ AlarmHistoryItems: [] });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    const digest = await createHandler({
      cloudwatch: new CloudWatchClient({}),
      sns: new SNSClient({}),
      now: () => at('2026-11-30T09:00:00Z'),
      env: {
        [DIGEST_ENV.P3_TOPIC_ARN]: 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p3',
        [DIGEST_ENV.DIGEST_TOPIC_ARN]: 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p3-digest',
        [DIGEST_ENV.SCHEDULE]: DigestSchedule.WEEKLY,
        [DIGEST_ENV.CLIENT_ID]: 'example',
      },
    })();

    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual(expect.objectContaining({
      ActionPrefix: 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p3',
    }));
    expect(cloudwatch.commandCalls(DescribeAlarmHistoryCommand)[0].args[0].input).toEqual(expect.objectContaining({
      HistoryItemType: 'StateUpdate', StartDate: at('2026-11-23T09:00:00Z'), EndDate: at('2026-11-30T09:00:00Z'),
    }));
    expect(digest.entries).toEqual([expect.objectContaining({ alarmName: 'example-a-latency-p50', count: 2 })]);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p3-digest', Subject: digest.subject, Message: digest.message,
    });
  });
});

/*
 * P3 digest: on schedule, reads the state changes of the P3 alarms (those whose actions go to the
 * P3 topic) from CloudWatch alarm history, and publishes one digest to the digest topic, which
 * mails it and posts it to Slack. Nothing is stored in between.
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, HistoryItemType } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AlarmTransition, buildDigest, Digest, periodStart } from './core';
import { DigestSchedule } from '../../lib/routing/delivery-plan';
import { DIGEST_ENV } from '../../lib/routing/sla';

export interface DigestDependencies {
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
  readonly sns: Pick<SNSClient, 'send'>;
  readonly now: () => Date;
  readonly env: Record<string, string | undefined>;
}

async function p3AlarmNames(deps: DigestDependencies, p3TopicArn: string): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await deps.cloudwatch.send(new DescribeAlarmsCommand({ ActionPrefix: p3TopicArn, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken }));
    names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName!), ...(page.CompositeAlarms ?? []).map((a) => a.AlarmName!));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

async function transitionsOf(deps: DigestDependencies, alarmName: string, from: Date, to: Date): Promise<AlarmTransition[]> {
  const transitions: AlarmTransition[] = [];
  let NextToken: string | undefined;
  do {
    const page = await deps.cloudwatch.send(new DescribeAlarmHistoryCommand({
      AlarmName: alarmName, HistoryItemType: HistoryItemType.StateUpdate, StartDate: from, EndDate: to, NextToken,
    }));
    for (const item of page.AlarmHistoryItems ?? []) {
      const data = JSON.parse(item.HistoryData ?? '{}');
      transitions.push({ alarmName, timestamp: item.Timestamp!, newState: data.newState?.stateValue ?? '' });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return transitions;
}

export function createHandler(deps: DigestDependencies) {
  return async (): Promise<Digest> => {
    const to = deps.now();
    const schedule = (deps.env[DIGEST_ENV.SCHEDULE] ?? DigestSchedule.WEEKLY) as DigestSchedule;
    const from = periodStart(to, schedule);
    const names = await p3AlarmNames(deps, deps.env[DIGEST_ENV.P3_TOPIC_ARN]!);
    const transitions = (await Promise.all(names.map((name) => transitionsOf(deps, name, from, to)))).flat();
    const digest = buildDigest(deps.env[DIGEST_ENV.CLIENT_ID] ?? '', transitions, from, to);
    await deps.sns.send(new PublishCommand({ TopicArn: deps.env[DIGEST_ENV.DIGEST_TOPIC_ARN], Subject: digest.subject, Message: digest.message }));
    return digest;
  };
}

export const handler = createHandler({ cloudwatch: new CloudWatchClient({}), sns: new SNSClient({}), now: () => new Date(), env: process.env });

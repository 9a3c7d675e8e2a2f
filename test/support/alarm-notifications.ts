/** The notifications CloudWatch sends for an alarm, in both formats, built from an alarm's synthesized properties. */

export interface SynthesizedAlarm {
  readonly name: string;
  readonly description: string;
  /** `AWS::CloudWatch::Alarm` or `AWS::CloudWatch::CompositeAlarm` properties. */
  readonly properties: any;
  readonly composite: boolean;
}

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';

export function alarmArnOf(name: string): string {
  return `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
}

/** The Sns.Message CloudWatch publishes on a state change. */
export function snsMessage(alarm: SynthesizedAlarm, newState: 'ALARM' | 'OK', oldState: string): object {
  const base = {
    AlarmName: alarm.name,
    AlarmDescription: alarm.description,
    AWSAccountId: ACCOUNT,
    AlarmConfigurationUpdatedTimestamp: '2026-11-27T06:00:00.000+0000',
    NewStateValue: newState,
    NewStateReason: newState === 'ALARM'
      ? 'Threshold Crossed: 3 out of the last 3 datapoints [9120.5 (27/11/26 05:55:00), 9050.0 (27/11/26 05:50:00)] were greater than the threshold (8000.0) (minimum 3 datapoints for OK -> ALARM transition).'
      : 'Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [NonBreaching].',
    StateChangeTime: '2026-11-27T06:00:00.000+0000',
    Region: 'US East (N. Virginia)',
    AlarmArn: alarmArnOf(alarm.name),
    OldStateValue: oldState,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
  };
  if (alarm.composite) return { ...base, AlarmRule: alarm.properties.AlarmRule, TriggeringChildren: [] };
  const p = alarm.properties;
  if (p.Metrics) {
    return {
      ...base,
      Trigger: {
        Period: 300,
        EvaluationPeriods: p.EvaluationPeriods,
        DatapointsToAlarm: p.DatapointsToAlarm,
        ComparisonOperator: p.ComparisonOperator,
        Threshold: p.Threshold,
        TreatMissingData: p.TreatMissingData,
        EvaluateLowSampleCountPercentile: '',
        Metrics: p.Metrics.map((m: any) => (m.Expression
          ? { Expression: m.Expression, Id: m.Id, Label: m.Label, ReturnData: m.ReturnData ?? true }
          : {
            Id: m.Id,
            MetricStat: {
              Metric: {
                Dimensions: (m.MetricStat.Metric.Dimensions ?? []).map((d: any) => ({ value: d.Value, name: d.Name })),
                MetricName: m.MetricStat.Metric.MetricName,
                Namespace: m.MetricStat.Metric.Namespace,
              },
              Period: m.MetricStat.Period,
              Stat: m.MetricStat.Stat,
            },
            ReturnData: false,
          })),
      },
    };
  }
  return {
    ...base,
    Trigger: {
      MetricName: p.MetricName,
      Namespace: p.Namespace,
      StatisticType: 'Statistic',
      Statistic: String(p.Statistic ?? '').toUpperCase(),
      Unit: null,
      Dimensions: (p.Dimensions ?? []).map((d: any) => ({ value: d.Value, name: d.Name })),
      Period: p.Period,
      EvaluationPeriods: p.EvaluationPeriods,
      ComparisonOperator: p.ComparisonOperator,
      Threshold: p.Threshold,
      TreatMissingData: p.TreatMissingData,
    },
  };
}

/** An SNS-to-Lambda record carrying the message, as published on `topicArn`. */
export function snsRecord(message: object, topicArn: string): object {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: `${topicArn}:6f1c9e2a-0000-4000-8000-000000000000`,
    Sns: {
      Type: 'Notification',
      MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
      TopicArn: topicArn,
      Subject: null,
      Message: JSON.stringify(message),
      Timestamp: '2026-11-27T06:00:01.000Z',
      SignatureVersion: '1',
      Signature: 'EXAMPLE',
      MessageAttributes: {},
    },
  };
}

/** The EventBridge "CloudWatch Alarm State Change" event for the same change. */
export function eventBridgeEvent(alarm: SynthesizedAlarm, newState: 'ALARM' | 'OK'): object {
  const p = alarm.properties;
  return {
    'version': '0',
    'id': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    'source': 'aws.cloudwatch',
    'account': ACCOUNT,
    'time': '2026-11-27T06:00:00Z',
    'region': REGION,
    'resources': [alarmArnOf(alarm.name)],
    'detail': {
      alarmName: alarm.name,
      state: { value: newState, reason: 'Threshold Crossed', timestamp: '2026-11-27T06:00:00.000+0000' },
      previousState: { value: newState === 'ALARM' ? 'OK' : 'ALARM', reason: '', timestamp: '2026-11-27T05:00:00.000+0000' },
      configuration: alarm.composite
        ? { alarmRule: p.AlarmRule, description: alarm.description }
        : {
          description: alarm.description,
          metrics: (p.Metrics ?? [{ Id: 'm1', MetricStat: { Metric: { MetricName: p.MetricName, Namespace: p.Namespace }, Stat: p.Statistic, Period: p.Period } }])
            .map((m: any) => (m.Expression
              ? { id: m.Id, expression: m.Expression, returnData: true }
              : {
                id: m.Id,
                metricStat: {
                  metric: { name: m.MetricStat.Metric.MetricName, namespace: m.MetricStat.Metric.Namespace },
                  period: m.MetricStat.Period,
                  stat: m.MetricStat.Stat,
                },
                returnData: false,
              })),
        },
    },
  };
}

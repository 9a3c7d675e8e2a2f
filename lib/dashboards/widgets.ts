import { Aws } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DashboardLimits } from './limits';
import { chunked } from './pages';
import { SloAlarm } from '../common/alarm-factory';

/** An alarm-status widget over alarms named rather than referenced (they may live in nested stacks). */
export class AlarmStatusByNameWidget extends cloudwatch.ConcreteWidget {
  /** Widgets of at most 100 alarms each, titled `<title> (i/n)` when split. */
  public static forAlarms(title: string, alarmNames: string[], width = 24): AlarmStatusByNameWidget[] {
    const chunks = chunked(alarmNames, DashboardLimits.ALARMS_PER_ALARM_WIDGET);
    return chunks.map((names, i) => new AlarmStatusByNameWidget(chunks.length > 1 ? `${title} (${i + 1}/${chunks.length})` : title, names, width));
  }

  private constructor(private readonly title: string, private readonly alarmNames: string[], width: number) {
    super(width, Math.min(12, 2 + Math.ceil(alarmNames.length / 4)));
  }

  public toJson(): any[] {
    return [{
      type: 'alarm',
      width: this.width,
      height: this.height,
      x: this.x,
      y: this.y,
      properties: {
        title: this.title,
        alarms: this.alarmNames.map((name) => `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${name}`),
        sortBy: 'stateUpdatedTimestamp',
        states: [],
      },
    }];
  }
}

/** A Contributor Insights graph: the top contributors of a rule (aws-cdk-lib has no such widget). */
export class ContributorInsightsWidget extends cloudwatch.ConcreteWidget {
  public constructor(private readonly title: string, private readonly ruleName: string, width = 12, height = 6) {
    super(width, height);
  }

  public toJson(): any[] {
    return [{
      type: 'metric',
      width: this.width,
      height: this.height,
      x: this.x,
      y: this.y,
      properties: {
        title: this.title,
        insightRule: { maxContributorCount: 10, orderBy: 'Sum', ruleName: this.ruleName },
        legend: { position: 'right' },
        region: Aws.REGION,
        view: 'timeSeries',
        stacked: false,
        period: 3600,
      },
    }];
  }
}

/** The threshold an alarm fires at, from the alarm itself (its annotation), for the graph it watches. */
export function thresholdOf(alarm: SloAlarm): number | undefined {
  return alarm.alarm instanceof cloudwatch.Alarm ? alarm.alarm.toAnnotation().value : undefined;
}

import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { describeAlarm } from './description';
import { AiOpsNames } from './names';
import { DEFAULT_SEVERITIES, SloAlarm, SloAlarmKind } from './slo-alarms';
import { Severity } from '../config/types';
import { IAlarmRouter } from '../routing/router';

/** Properties of `ProductionDownAlarm`. */
export interface ProductionDownAlarmProps {
  readonly clientId: string;
  /** The names of the agents' "agent down" composites. */
  readonly agentDownAlarmNames: string[];
  readonly router: IAlarmRouter;
  /** Link to the overview dashboard, for the description. */
  readonly dashboardUrl: string;
  /**
   * Where generated runbooks are published.
   * @default - the library's runbook section
   */
  readonly runbookBaseUrl?: string;
}

/**
 * The client's P1: "production is down" when every route of any one agent fails together. It
 * names the agents' composites, so it can live in another stack than they do.
 */
export class ProductionDownAlarm extends Construct {
  public readonly alarm: SloAlarm;

  public constructor(scope: Construct, id: string, props: ProductionDownAlarmProps) {
    super(scope, id);
    const severity = DEFAULT_SEVERITIES[SloAlarmKind.PRODUCTION_DOWN];
    const alarmName = AiOpsNames.alarm(props.clientId, SloAlarmKind.PRODUCTION_DOWN);
    const what = `production is down for client ${props.clientId}: every route of at least one agent is failing at once`;
    const condition = 'any agent-down composite is in ALARM (all of that agent\'s routes have their model-error or application-error alarm in ALARM)';
    const runbookUrl = AiOpsNames.runbookUrl(SloAlarmKind.PRODUCTION_DOWN, alarmName, props.runbookBaseUrl);
    const composite = new cloudwatch.CompositeAlarm(this, 'Resource', {
      compositeAlarmName: alarmName,
      alarmRule: cloudwatch.AlarmRule.anyOf(...props.agentDownAlarmNames.map((name) => cloudwatch.AlarmRule.fromString(`ALARM("${name}")`))),
      alarmDescription: describeAlarm({
        severity,
        what: `${what[0].toUpperCase()}${what.slice(1)}`,
        condition,
        owner: 'the on-call of the client; each agent\'s owner is named in its agent-down alarm',
        runbookUrl,
        dashboardUrl: props.dashboardUrl,
      }),
    });
    props.router.route(composite, Severity.P1);
    this.alarm = { alarm: composite, alarmName, kind: SloAlarmKind.PRODUCTION_DOWN, severity, what, condition, runbookUrl };
  }
}

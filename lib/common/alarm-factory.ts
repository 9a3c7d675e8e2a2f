import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ALARM_KINDS, SloAlarmKind } from './alarm-kinds';
import { AlarmMetadata } from './alarm-metadata';
import { IAlarmRouter } from './alarm-router';
import { describeAlarm, oneLine } from './description';
import { AiOpsNames } from './names';
import { acknowledgeAlarmWithoutActions } from '../compliance/acknowledgements';
import { Severity } from '../config/types';

/** One alarm with what routing, dashboards, runbooks and tests need to know about it. */
export interface SloAlarm {
  readonly alarm: cloudwatch.AlarmBase;
  readonly alarmName: string;
  readonly kind: SloAlarmKind;
  readonly severity: Severity;
  /** @default - not an agent's alarm */
  readonly agent?: string;
  /** @default - not a route's alarm */
  readonly route?: string;
  /** What it means when it fires, in one sentence. */
  readonly what: string;
  /** When it fires: threshold, periods, guard. */
  readonly condition: string;
  /** The runbook its description links to. */
  readonly runbookUrl: string;
  /** Its actions page (or mail, or wait for the digest); false when it only feeds composites and dashboards. */
  readonly pages: boolean;
  /** The structured line of its description (cause, owner, affects). */
  readonly metadata: AlarmMetadata;
  /** The Logs Insights filter of what it watches, for its runbook. @default - the agent and route */
  readonly modelId?: string;
}

/** Properties of `AlarmFactory`. */
export interface AlarmFactoryProps {
  readonly clientId: string;
  /** Delivers each paging alarm by severity. */
  readonly router: IAlarmRouter;
  /**
   * Where generated runbooks are published: descriptions link to `<base>/<alarm name>.md`.
   * @default - the library's runbook section for each alarm kind
   */
  readonly runbookBaseUrl?: string;
}

/** What every alarm of the factory has. */
export interface AiOpsAlarmProps {
  readonly kind: SloAlarmKind;
  /** The agent it belongs to (names the alarm). @default - a client-wide alarm */
  readonly agentId?: string;
  /** The route within the agent (names the alarm). @default - an agent-level or client-wide alarm */
  readonly routeId?: string;
  /** What within the route, or which model or provider, it watches (names the alarm). @default - nothing more */
  readonly qualifier?: string;
  /** @default - the kind's default severity */
  readonly severity?: Severity;
  /** What it means when it fires, one sentence without its final period. */
  readonly what: string;
  /** When it fires: threshold, periods, guard. */
  readonly condition: string;
  /** Who owns it (team and service, or the client's on-call). */
  readonly owner: string;
  /** @default - the generated runbook of the alarm (or the library's section of its kind) */
  readonly runbookUrl?: string;
  /** @default - no dashboard line */
  readonly dashboardUrl?: string;
  /**
   * What failed, stable across repeats: the forwarder's dedup key. Unique among paging alarms.
   * @default - `<client>/<agent>/<route>/<qualifier>/<kind>` (the parts it has)
   */
  readonly cause?: string;
  /** Agents and routes the failure reaches (`agent/route`). @default - none listed */
  readonly affects?: string[];
  /** @default - the kind's registry entry says */
  readonly pages?: boolean;
  /**
   * False when the caller wires the actions itself (the dead-letter alarm, which must not be
   * delivered through the forwarder whose failures it reports).
   * @default true
   */
  readonly routeActions?: boolean;
  /** The model it watches, for its runbook's query. @default - none */
  readonly modelId?: string;
}

/** A threshold alarm on a metric or metric-math expression. */
export interface MetricAlarmProps extends AiOpsAlarmProps {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** An alarm on the anomaly band CloudWatch learns for a metric. */
export interface AnomalyAlarmProps extends AiOpsAlarmProps {
  readonly metric: cloudwatch.IMetric;
  readonly stdDevs: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** Holds back a composite's actions while a cause upstream is in ALARM. */
export interface AlarmSuppression {
  /** Name of the suppressor alarm (a name, not a reference: it may live in another stack). */
  readonly suppressorName: string;
  /** How long the composite waits, after entering ALARM, for the suppressor to enter ALARM before acting. */
  readonly waitPeriod: Duration;
  /** How long suppression lasts after the suppressor leaves ALARM. */
  readonly extensionPeriod: Duration;
}

/** A composite alarm over other alarms, by name. */
export interface CompositeAlarmProps extends AiOpsAlarmProps {
  readonly rule: cloudwatch.IAlarmRule;
  /** @default - never suppressed */
  readonly suppression?: AlarmSuppression;
}

/**
 * The one place alarms are built: every alarm of the library gets its name from its kind and
 * subject, a description in the one format with the metadata line last, and its actions from the
 * router by severity (when its kind pages). Alarms, composites and anomaly alarms alike.
 */
export class AlarmFactory {
  /** `ALARM("name")` of each name, any of them. */
  public static anyInAlarm(alarmNames: string[]): cloudwatch.IAlarmRule {
    return cloudwatch.AlarmRule.anyOf(...alarmNames.map(AlarmFactory.inAlarm));
  }

  /** `ALARM("name")` of each name, all of them. */
  public static allInAlarm(alarmNames: string[]): cloudwatch.IAlarmRule {
    return cloudwatch.AlarmRule.allOf(...alarmNames.map(AlarmFactory.inAlarm));
  }

  /** `ALARM("name")`: by name, so a rule refers across stacks without references. */
  public static inAlarm(alarmName: string): cloudwatch.IAlarmRule {
    return cloudwatch.AlarmRule.fromString(`ALARM("${alarmName}")`);
  }

  public readonly clientId: string;
  public readonly router: IAlarmRouter;
  public readonly runbookBaseUrl?: string;

  public constructor(props: AlarmFactoryProps) {
    this.clientId = props.clientId;
    this.router = props.router;
    this.runbookBaseUrl = props.runbookBaseUrl;
  }

  /** The name an alarm of these props gets. */
  public alarmName(props: AiOpsAlarmProps): string {
    return AiOpsNames.alarm(this.clientId, props.kind, props.agentId, props.routeId, props.qualifier);
  }

  /** A threshold alarm. */
  public addAlarm(scope: Construct, id: string, props: MetricAlarmProps): SloAlarm {
    return this.build(props, (alarmName, alarmDescription) => new cloudwatch.Alarm(scope, id, {
      alarmName,
      alarmDescription,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: props.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm,
      treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }

  /** An anomaly-band alarm. */
  public addAnomalyAlarm(scope: Construct, id: string, props: AnomalyAlarmProps): SloAlarm {
    return this.build(props, (alarmName, alarmDescription) => new cloudwatch.AnomalyDetectionAlarm(scope, id, {
      alarmName,
      alarmDescription,
      metric: props.metric,
      stdDevs: props.stdDevs,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: props.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm,
      treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }

  /** A composite alarm, optionally suppressed by an alarm upstream. */
  public addCompositeAlarm(scope: Construct, id: string, props: CompositeAlarmProps): SloAlarm {
    return this.build(props, (alarmName, alarmDescription) => {
      const composite = new cloudwatch.CompositeAlarm(scope, id, { compositeAlarmName: alarmName, alarmDescription, alarmRule: props.rule });
      if (props.suppression) {
        // The suppressor by name: it lives in the root stack while most composites live in nested ones.
        const cfn = composite.node.defaultChild as cloudwatch.CfnCompositeAlarm;
        cfn.actionsSuppressor = props.suppression.suppressorName;
        cfn.actionsSuppressorWaitPeriod = props.suppression.waitPeriod.toSeconds();
        cfn.actionsSuppressorExtensionPeriod = props.suppression.extensionPeriod.toSeconds();
      }
      return composite;
    });
  }

  private build(props: AiOpsAlarmProps, create: (alarmName: string, description: string) => cloudwatch.AlarmBase): SloAlarm {
    const definition = ALARM_KINDS[props.kind];
    const severity = props.severity ?? definition.severity;
    const pages = props.pages ?? definition.pages;
    const alarmName = this.alarmName(props);
    const runbookUrl = props.runbookUrl ?? AiOpsNames.runbookUrl(props.kind, alarmName, this.runbookBaseUrl);
    const what = oneLine(props.what);
    const condition = oneLine(props.condition);
    const metadata: AlarmMetadata = {
      severity,
      kind: props.kind,
      cause: props.cause ?? [this.clientId, props.agentId, props.routeId, props.qualifier, props.kind].filter((p) => p !== undefined).join('/'),
      owner: oneLine(props.owner),
      ...(props.affects && props.affects.length > 0 ? { affects: props.affects } : {}),
    };
    const alarm = create(alarmName, describeAlarm({
      severity,
      what: `${what[0].toUpperCase()}${what.slice(1)}`,
      condition,
      owner: props.owner,
      runbookUrl,
      dashboardUrl: props.dashboardUrl,
      metadata,
    }));
    if (pages && props.routeActions !== false) this.router.route(alarm, severity);
    if (!pages && alarm instanceof cloudwatch.Alarm) {
      acknowledgeAlarmWithoutActions(alarm, `This ${props.kind} alarm never acts on its own: it feeds a composite alarm (route failing, `
        + 'provider outage or production down) that carries the actions, so a failure pages once, and is held back while a cause upstream pages.');
    }
    return {
      alarm,
      alarmName,
      kind: props.kind,
      severity,
      agent: props.agentId,
      route: props.routeId,
      what,
      condition,
      runbookUrl,
      pages,
      metadata,
      modelId: props.modelId,
    };
  }
}

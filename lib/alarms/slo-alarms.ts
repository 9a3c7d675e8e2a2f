import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { describeAlarm } from './description';
import { DEFAULT_SEVERITIES, DEFAULT_THROTTLE_RATE_PERCENT, OVERRIDE_OF, SloAlarmKind } from './kinds';
import { AiOpsNames } from './names';
import { AgentConfig, RouteConfig, Severity } from '../config/types';
import { AccuracyObjective, evaluatorCount, evaluatorDimensions, evaluatorScores } from '../quality/evaluator-series';
import { ACCURACY_CONFIDENCE_Z, accuracySettings } from '../quality/settings';
import { IAlarmRouter } from '../routing/router';
import { TelemetryMetrics } from '../telemetry/contract';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

// The kinds and their severities live apart, without aws-cdk-lib, for the report function's bundle.
export { DEFAULT_SEVERITIES, SloAlarmKind } from './kinds';

const M = TelemetryMetrics;


/** One alarm with what routing, dashboards and tests need to know about it. */
export interface SloAlarm {
  readonly alarm: cloudwatch.AlarmBase;
  readonly alarmName: string;
  readonly kind: SloAlarmKind;
  readonly severity: Severity;
  /** @default - an agent-level alarm */
  readonly route?: string;
  /** What it means when it fires, in one sentence. */
  readonly what: string;
  /** When it fires: threshold, periods, guard. */
  readonly condition: string;
  /** The runbook its description links to. */
  readonly runbookUrl: string;
}

/** Properties of `SloAlarms`. */
export interface SloAlarmsProps {
  readonly clientId: string;
  readonly agent: AgentConfig;
  readonly metrics: TelemetryMetricFactory;
  /** Delivers each alarm by severity. */
  readonly router: IAlarmRouter;
  /** Link to the agent's dashboard, for alarm descriptions. */
  readonly dashboardUrl: string;
  /**
   * Periods with fewer calls than this count as healthy for latency and rate alarms.
   * @default 20
   */
  readonly minimumCallsPerPeriod?: number;
  /**
   * Where generated runbooks are published: descriptions link to `<base>/<alarm name>.md`.
   * @default - the library's runbook section for each alarm kind
   */
  readonly runbookBaseUrl?: string;
}

interface AlarmSpec {
  readonly kind: SloAlarmKind;
  readonly route?: RouteConfig;
  /** Names what within the route the alarm watches (an evaluator). */
  readonly qualifier?: string;
  /** Replaces the kind's default and the route's overrides. */
  readonly severity?: Severity;
  /** @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly what: string;
  readonly condition: string;
}

/**
 * The SLO alarms of one agent, from its routes' objectives: latency p50/p95/p99, model-error,
 * application-error and throttle rates per route (each guarded by a minimum call count), accuracy
 * drift and no-scores alarms per evaluator of a route's accuracy SLO, index staleness and a
 * prompt-cache hit-rate floor where configured, and an "agent down" composite that fires when
 * every route of the agent fails together. Missing data (no traffic) is healthy, except for
 * accuracy: a thin window keeps the drift alarm's state, and no evaluations at all is an alarm.
 */
export class SloAlarms extends Construct {
  /** Every alarm, in creation order. */
  public readonly alarms: SloAlarm[] = [];
  /** ALARM when every route of the agent is failing (model or application errors) at once. */
  public readonly agentDown: SloAlarm;

  private readonly props: SloAlarmsProps;
  private readonly minimumCalls: number;

  public constructor(scope: Construct, id: string, props: SloAlarmsProps) {
    super(scope, id);
    this.props = props;
    this.minimumCalls = props.minimumCallsPerPeriod ?? 20;
    const { agent, metrics } = props;
    const routeFailures: cloudwatch.IAlarmRule[] = [];

    for (const route of agent.routes) {
      const dims = { agent: agent.id, route: route.id };
      const { latency } = route.slo;
      const guardText = `periods with fewer than ${this.minimumCalls} calls count as healthy`;
      const latencyAlarm = (kind: SloAlarmKind, statistic: string, thresholdMs: number) => this.add({
        kind,
        route,
        metric: metrics.guarded(metrics.metric(M.LATENCY_MS, dims, statistic), dims, this.minimumCalls, 0, `${statistic} latency (ms)`),
        threshold: thresholdMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        what: `${statistic} latency of route ${agent.id}/${route.id} is above its SLO`,
        condition: `${statistic} latency > ${thresholdMs} ms in 3 of 3 five-minute periods (${guardText})`,
      });
      latencyAlarm(SloAlarmKind.LATENCY_P50, 'p50', latency.p50Ms);
      latencyAlarm(SloAlarmKind.LATENCY_P95, 'p95', latency.p95Ms);
      latencyAlarm(SloAlarmKind.LATENCY_P99, 'p99', latency.p99Ms);

      const rateAlarm = (kind: SloAlarmKind, counter: typeof M.MODEL_ERRORS, percent: number, what: string) => this.add({
        kind,
        route,
        metric: metrics.guarded(metrics.ratePercent(counter, dims), dims, this.minimumCalls, 0, `${what} (% of calls)`),
        threshold: percent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        what: `${what} of route ${agent.id}/${route.id} is above its SLO`,
        condition: `${what} > ${percent}% of calls in 2 of 3 five-minute periods (${guardText})`,
      });
      const modelErrors = rateAlarm(SloAlarmKind.MODEL_ERROR_RATE, M.MODEL_ERRORS, route.slo.errorRatePercent, 'model-error rate');
      const appErrors = rateAlarm(SloAlarmKind.APP_ERROR_RATE, M.APP_ERRORS, route.slo.errorRatePercent, 'application-error rate');
      rateAlarm(SloAlarmKind.THROTTLE_RATE, M.THROTTLES, route.slo.throttleRatePercent ?? DEFAULT_THROTTLE_RATE_PERCENT, 'throttle rate');
      routeFailures.push(cloudwatch.AlarmRule.anyOf(
        cloudwatch.AlarmRule.fromAlarm(modelErrors.alarm, cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(appErrors.alarm, cloudwatch.AlarmState.ALARM),
      ));
      this.addAccuracyAlarms(route);
    }

    if (agent.retrieval) {
      const maxHours = agent.retrieval.maxIndexAgeHours;
      this.add({
        kind: SloAlarmKind.RETRIEVAL_STALENESS,
        metric: metrics.metric(M.RETRIEVAL_INDEX_AGE_HOURS, { agent: agent.id }, cloudwatch.Stats.MAXIMUM, { period: Duration.minutes(15), label: 'index age (hours)' }),
        threshold: maxHours,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        what: `the retrieval index of agent ${agent.id} is stale`,
        condition: `index age > ${maxHours} h in 2 of 2 fifteen-minute periods (no retrievals count as healthy)`,
      });
    }

    if (agent.promptCacheHitRateFloorPercent !== undefined) {
      const floor = agent.promptCacheHitRateFloorPercent;
      const dims = { agent: agent.id };
      const hourly = new TelemetryMetricFactory(metrics.namespace, Duration.hours(1));
      this.add({
        kind: SloAlarmKind.PROMPT_CACHE_HIT_RATE,
        metric: hourly.guarded(hourly.cacheHitRatePercent(dims), dims, this.minimumCalls, 100, 'prompt-cache hit rate (%)'),
        threshold: floor,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        what: `the prompt-cache hit rate of agent ${agent.id} is below its floor`,
        condition: `cache reads < ${floor}% of all input tokens in 3 of 3 one-hour periods (hours with fewer than ${this.minimumCalls} calls count as healthy)`,
      });
    }

    const agentDownName = AiOpsNames.alarm(props.clientId, SloAlarmKind.AGENT_DOWN, agent.id);
    const downWhat = `every route of agent ${agent.id} is failing at once`;
    const downCondition = `the model-error or application-error alarm of each of its ${agent.routes.length} routes is in ALARM`;
    const downRunbook = this.runbookOf(SloAlarmKind.AGENT_DOWN, agentDownName);
    const agentDown = new cloudwatch.CompositeAlarm(this, 'AgentDown', {
      compositeAlarmName: agentDownName,
      alarmRule: cloudwatch.AlarmRule.allOf(...routeFailures),
      alarmDescription: this.description(Severity.P1, downWhat, downCondition, downRunbook),
    });
    // No actions of its own: the client's "production down" composite pages for it.
    this.agentDown = {
      alarm: agentDown,
      alarmName: agentDownName,
      kind: SloAlarmKind.AGENT_DOWN,
      severity: Severity.P1,
      what: downWhat,
      condition: downCondition,
      runbookUrl: downRunbook,
    };
  }

  /**
   * Per evaluator of the route's accuracy SLO: a drift alarm per objective, on the upper 95%
   * bound of the pass rate or mean score over the window (Wilson; a window with less evidence
   * than the minimum keeps the alarm's state), and a P3 when the evaluator recorded nothing.
   */
  private addAccuracyAlarms(route: RouteConfig): void {
    const accuracy = route.slo.accuracy;
    if (!accuracy) return;
    const { agent, metrics } = this.props;
    const settings = accuracySettings(accuracy);
    const window = Duration.hours(settings.windowHours);
    const source = accuracy.agentCore ? `AgentCore Evaluations metric ${accuracy.agentCore.namespace}/${accuracy.agentCore.metricName}` : 'recordEvaluation';
    for (const evaluator of accuracy.evaluators) {
      const dims = evaluatorDimensions(agent.id, route, evaluator.id);
      const objectives: Array<[SloAlarmKind, AccuracyObjective, number | undefined, string]> = [
        [SloAlarmKind.ACCURACY_PASS_RATE, AccuracyObjective.PASS_RATE, evaluator.minPassRatePercent, 'pass rate'],
        [SloAlarmKind.ACCURACY_MEAN_SCORE, AccuracyObjective.MEAN_SCORE, evaluator.minMeanScore === undefined ? undefined : evaluator.minMeanScore * 100, 'mean score'],
      ];
      for (const [kind, objective, percent, what] of objectives) {
        if (percent === undefined) continue;
        const threshold = Number(percent.toPrecision(10));
        const scores = evaluatorScores(metrics, agent.id, route, evaluator.id, objective, window);
        this.add({
          kind,
          route,
          qualifier: evaluator.id,
          severity: settings.severity,
          metric: metrics.passRateUpperBoundPercent(scores, objective === AccuracyObjective.PASS_RATE ? 'passRate' : 'meanScore', dims, settings.minScoredCalls, ACCURACY_CONFIDENCE_Z, {
            period: window, label: `${what} of ${evaluator.id}, upper 95% bound (%)`,
          }),
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          datapointsToAlarm: 1,
          treatMissingData: cloudwatch.TreatMissingData.IGNORE,
          what: `the ${what} of route ${agent.id}/${route.id} under evaluator ${evaluator.id} is below its objective`,
          condition: `even the upper 95% confidence bound (Wilson) of the ${what} over ${settings.windowHours} h is < ${threshold}%; `
            + `a window with fewer than ${settings.minScoredCalls} evaluations is not enough evidence and keeps the alarm's state (source: ${source})`,
        });
      }
      const noScoresHours = settings.noScoresHours;
      this.add({
        kind: SloAlarmKind.ACCURACY_NO_SCORES,
        route,
        qualifier: evaluator.id,
        metric: evaluatorCount(metrics, agent.id, route, evaluator.id, Duration.hours(noScoresHours)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        what: `evaluator ${evaluator.id} of route ${agent.id}/${route.id} recorded no evaluations: the accuracy SLO is blind`,
        condition: `no evaluation at all in ${noScoresHours} h (source: ${source})`,
      });
    }
  }

  private add(spec: AlarmSpec): SloAlarm {
    const { agent, clientId, router } = this.props;
    const severity = spec.severity ?? this.severityOf(spec.kind, spec.route);
    const alarmName = AiOpsNames.alarm(clientId, spec.kind, agent.id, spec.route?.id, spec.qualifier);
    const id = [spec.route?.id, spec.qualifier, spec.kind].filter((part) => part !== undefined).join('-');
    const runbookUrl = this.runbookOf(spec.kind, alarmName, spec.route);
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparisonOperator,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: this.description(severity, spec.what, spec.condition, runbookUrl),
    });
    router.route(alarm, severity);
    const created: SloAlarm = {
      alarm, alarmName, kind: spec.kind, severity, route: spec.route?.id, what: spec.what, condition: spec.condition, runbookUrl,
    };
    this.alarms.push(created);
    return created;
  }

  private severityOf(kind: SloAlarmKind, route?: RouteConfig): Severity {
    const override = OVERRIDE_OF[kind];
    return (override && route?.slo.severityOverrides?.[override]) || DEFAULT_SEVERITIES[kind];
  }

  /** The route's or agent's own runbook, else the generated one, else the library's section for the kind. */
  private runbookOf(kind: SloAlarmKind, alarmName: string, route?: RouteConfig): string {
    const { agent, runbookBaseUrl } = this.props;
    return route?.runbookUrl ?? agent.runbookUrl ?? AiOpsNames.runbookUrl(kind, alarmName, runbookBaseUrl);
  }

  private description(severity: Severity, what: string, condition: string, runbookUrl: string): string {
    const { agent, dashboardUrl } = this.props;
    return describeAlarm({ severity, what, condition, owner: `team ${agent.owner.team}, service ${agent.owner.service}`, runbookUrl, dashboardUrl });
  }
}

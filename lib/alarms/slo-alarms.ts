import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { OUTAGE_SUPPRESSION } from './suppression';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { severityOfKind, SloAlarmKind } from '../common/alarm-kinds';
import { SLO_DEFAULTS } from '../config/defaults';
import { AgentConfig, RouteConfig, Severity } from '../config/types';
import { AccuracyObjective, evaluatorCount, evaluatorDimensions, evaluatorScores } from '../quality/evaluator-series';
import { ACCURACY_CONFIDENCE_Z, accuracySettings } from '../quality/settings';
import { TelemetryMetrics } from '../telemetry/contract';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

const M = TelemetryMetrics;

/** Periods with fewer calls count as healthy for latency and the cache-hit floor, where a few calls say nothing. */
export const DEFAULT_MINIMUM_CALLS_PER_PERIOD = 20;
/**
 * Error and throttle rates: one-minute datapoints, ALARM when FAILING_MINUTES of the last
 * WINDOW_MINUTES breach. A total outage of a route carrying one call a minute breaches every minute
 * and alarms after 4 minutes; one random failure breaches one minute and never alarms; a healthy
 * busy route must exceed its SLO in four separate minutes out of five.
 */
export const FAILING_MINUTES = 4;
export const WINDOW_MINUTES = 5;

/** Properties of `SloAlarms`. */
export interface SloAlarmsProps {
  /** Builds, names, describes and routes every alarm. */
  readonly factory: AlarmFactory;
  readonly agent: AgentConfig;
  readonly metrics: TelemetryMetricFactory;
  /** Link to the agent's dashboard, for alarm descriptions. */
  readonly dashboardUrl: string;
  /**
   * Periods with fewer calls than this count as healthy for the latency alarms and the
   * prompt-cache floor (error and throttle rates need failures instead, see `FAILING_MINUTES`).
   * @default 20
   */
  readonly minimumCallsPerPeriod?: number;
  /**
   * The alarm that holds back the agent-down page: production down, or an outage of a provider
   * the agent calls (see `RootCauseAlarms.agentSuppressorName`).
   * @default - the agent-down page is never suppressed
   */
  readonly upstreamSuppressorName?: string;
}

/**
 * The SLO alarms of one agent, from its routes' objectives: latency p50/p95/p99, model-error,
 * application-error and throttle rates per route, accuracy drift and no-scores alarms per evaluator
 * of a route's accuracy SLO, index staleness and a prompt-cache hit-rate floor where configured.
 *
 * Pages: a route's error, throttle and p95/p99 latency alarms page through one "route failing"
 * composite per severity, suppressed while the agent is down or a cause upstream pages; the
 * "agent down" composite (every route failing at once) pages, P1 for a client-critical agent,
 * suppressed while production is down or a provider the agent calls is failing.
 */
export class SloAlarms extends Construct {
  /** Every alarm, in creation order. */
  public readonly alarms: SloAlarm[] = [];
  /** ALARM when every route of the agent is failing (errors or throttles) at once. */
  public readonly agentDown: SloAlarm;
  /** ALARM while the agent is down or a cause upstream is: holds back the route pages. */
  public readonly routeSuppressor: SloAlarm;

  private readonly props: SloAlarmsProps;
  private readonly owner: string;

  public constructor(scope: Construct, id: string, props: SloAlarmsProps) {
    super(scope, id);
    this.props = props;
    const { agent, metrics, factory } = props;
    this.owner = `team ${agent.owner.team}, service ${agent.owner.service}`;
    const minimumCalls = props.minimumCallsPerPeriod ?? DEFAULT_MINIMUM_CALLS_PER_PERIOD;
    const perMinute = new TelemetryMetricFactory(metrics.namespace, Duration.minutes(1));
    const routeErrorAlarms: SloAlarm[][] = [];
    const routeComposites: Array<{ route: RouteConfig; severity: Severity; children: SloAlarm[] }> = [];

    for (const route of agent.routes) {
      const dims = { agent: agent.id, route: route.id };
      const { latency } = route.slo;
      const guardText = `periods with fewer than ${minimumCalls} calls count as healthy`;
      // A P3 latency alarm (p50 by default) goes to the digest on its own; the others page through the route's composite.
      const latencyAlarm = (kind: SloAlarmKind, statistic: string, thresholdMs: number) => this.add({
        kind,
        route,
        pages: severityOfKind(kind, route.slo.severityOverrides) === Severity.P3,
        metric: metrics.guarded(metrics.metric(M.LATENCY_MS, dims, statistic), dims, minimumCalls, 0, `${statistic} latency (ms)`),
        threshold: thresholdMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        what: `${statistic} latency of route ${agent.id}/${route.id} is above its SLO`,
        condition: `${statistic} latency > ${thresholdMs} ms in 3 of 3 five-minute periods (${guardText})`,
      });
      const p50 = latencyAlarm(SloAlarmKind.LATENCY_P50, 'p50', latency.p50Ms);
      const p95 = latencyAlarm(SloAlarmKind.LATENCY_P95, 'p95', latency.p95Ms);
      const p99 = latencyAlarm(SloAlarmKind.LATENCY_P99, 'p99', latency.p99Ms);

      const rateAlarm = (kind: SloAlarmKind, counter: typeof M.MODEL_ERRORS, percent: number, what: string) => this.add({
        kind,
        route,
        metric: perMinute.ratePercent(counter, dims, { label: `${what} (% of calls)` }),
        threshold: percent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: WINDOW_MINUTES,
        datapointsToAlarm: FAILING_MINUTES,
        what: `${what} of route ${agent.id}/${route.id} is above its SLO`,
        condition: `${what} > ${percent}% of calls in ${FAILING_MINUTES} of ${WINDOW_MINUTES} one-minute periods `
          + `(minutes without calls count as healthy; one failure alone never alarms, a total outage at one call a minute alarms in ${FAILING_MINUTES} minutes)`,
      });
      const modelErrors = rateAlarm(SloAlarmKind.MODEL_ERROR_RATE, M.MODEL_ERRORS, route.slo.errorRatePercent, 'model-error rate');
      const appErrors = rateAlarm(SloAlarmKind.APP_ERROR_RATE, M.APP_ERRORS, route.slo.errorRatePercent, 'application-error rate');
      const throttles = rateAlarm(SloAlarmKind.THROTTLE_RATE, M.THROTTLES, route.slo.throttleRatePercent ?? SLO_DEFAULTS.throttleRatePercent, 'throttle rate');
      routeErrorAlarms.push([modelErrors, appErrors, throttles]);

      // The route's pages, one composite per severity.
      const paging = [modelErrors, appErrors, throttles, p50, p95, p99].filter((a) => !a.pages);
      for (const severity of [Severity.P1, Severity.P2, Severity.P3]) {
        const children = paging.filter((a) => a.severity === severity);
        if (children.length > 0) routeComposites.push({ route, severity, children });
      }
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
        metric: hourly.guarded(hourly.cacheHitRatePercent(dims), dims, minimumCalls, 100, 'prompt-cache hit rate (%)'),
        threshold: floor,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        what: `the prompt-cache hit rate of agent ${agent.id} is below its floor`,
        condition: `cache reads < ${floor}% of all input tokens in 3 of 3 one-hour periods (hours with fewer than ${minimumCalls} calls count as healthy)`,
      });
    }

    const routes = agent.routes.length;
    this.agentDown = factory.addCompositeAlarm(this, 'AgentDown', {
      kind: SloAlarmKind.AGENT_DOWN,
      agentId: agent.id,
      severity: agent.clientCritical ? Severity.P1 : undefined,
      pages: true,
      rule: cloudwatch.AlarmRule.allOf(...routeErrorAlarms.map((alarms) => AlarmFactory.anyInAlarm(alarms.map((a) => a.alarmName)))),
      what: `every route of agent ${agent.id} is failing at once`,
      condition: `the model-error, application-error or throttle alarm of each of its ${routes} route${routes === 1 ? '' : 's'} is in ALARM`
        + (props.upstreamSuppressorName ? '; held back while production is down or a provider it calls is failing' : ''),
      owner: this.owner,
      runbookUrl: agent.runbookUrl,
      dashboardUrl: props.dashboardUrl,
      affects: agent.routes.map((r) => `${agent.id}/${r.id}`),
      suppression: props.upstreamSuppressorName ? { suppressorName: props.upstreamSuppressorName, ...OUTAGE_SUPPRESSION } : undefined,
    });

    // Route pages wait while the agent is down or a cause upstream pages: one ALARM of either suppresses them.
    this.routeSuppressor = factory.addCompositeAlarm(this, 'RouteSuppressor', {
      kind: SloAlarmKind.OUTAGE_SUPPRESSOR,
      agentId: agent.id,
      rule: AlarmFactory.anyInAlarm([this.agentDown.alarmName, ...(props.upstreamSuppressorName ? [props.upstreamSuppressorName] : [])]),
      what: `agent ${agent.id} is down, or a cause upstream of it pages: its route pages are held back`,
      condition: `agent-down is in ALARM${props.upstreamSuppressorName ? ` or ${props.upstreamSuppressorName} is` : ''}`,
      owner: this.owner,
      runbookUrl: agent.runbookUrl,
      dashboardUrl: props.dashboardUrl,
    });
    // A rule names its alarms: they must exist first.
    this.agentDown.alarm.node.addDependency(...routeErrorAlarms.flat().map((a) => a.alarm));
    this.routeSuppressor.alarm.node.addDependency(this.agentDown.alarm);

    for (const { route, severity, children } of routeComposites) {
      const split = routeComposites.filter((c) => c.route === route).length > 1;
      const composite = factory.addCompositeAlarm(this, split ? `${route.id}-${severity}-route-failing` : `${route.id}-route-failing`, {
        kind: SloAlarmKind.ROUTE_FAILING,
        agentId: agent.id,
        routeId: route.id,
        qualifier: split ? severity.toLowerCase() : undefined,
        severity,
        rule: AlarmFactory.anyInAlarm(children.map((c) => c.alarmName)),
        what: `route ${agent.id}/${route.id} is failing or slow`,
        condition: `any of its ${children.map((c) => c.kind).join(', ')} alarms is in ALARM; held back while agent ${agent.id} is down `
          + `or a cause upstream pages (wait ${OUTAGE_SUPPRESSION.waitPeriod.toSeconds()} s, extension ${OUTAGE_SUPPRESSION.extensionPeriod.toSeconds()} s)`,
        owner: this.owner,
        runbookUrl: route.runbookUrl ?? agent.runbookUrl,
        dashboardUrl: props.dashboardUrl,
        affects: [`${agent.id}/${route.id}`],
        suppression: { suppressorName: this.routeSuppressor.alarmName, ...OUTAGE_SUPPRESSION },
      });
      composite.alarm.node.addDependency(this.routeSuppressor.alarm, ...children.map((c) => c.alarm));
      this.alarms.push(composite);
    }
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

  /** One threshold alarm of the agent; it pages on its own when its kind does, unless told (route alarms page through composites). */
  private add(spec: {
    kind: SloAlarmKind;
    pages?: boolean;
    route?: RouteConfig;
    qualifier?: string;
    severity?: Severity;
    treatMissingData?: cloudwatch.TreatMissingData;
    metric: cloudwatch.IMetric;
    threshold: number;
    comparisonOperator: cloudwatch.ComparisonOperator;
    evaluationPeriods: number;
    datapointsToAlarm: number;
    what: string;
    condition: string;
  }): SloAlarm {
    const { agent, factory, dashboardUrl } = this.props;
    const id = [spec.route?.id, spec.qualifier, spec.kind].filter((part) => part !== undefined).join('-');
    const created = factory.addAlarm(this, id, {
      ...spec,
      agentId: agent.id,
      routeId: spec.route?.id,
      severity: spec.severity ?? severityOfKind(spec.kind, spec.route?.slo.severityOverrides),
      pages: spec.pages,
      owner: this.owner,
      runbookUrl: spec.route?.runbookUrl ?? agent.runbookUrl,
      dashboardUrl,
    });
    this.alarms.push(created);
    return created;
  }
}

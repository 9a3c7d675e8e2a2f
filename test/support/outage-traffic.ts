/*
 * Minute-by-minute traffic of one client, served as the alarms read it: every route carries the
 * same number of calls a minute, split evenly over its agent's models (expected values, so
 * fractions of a call appear), every call healthy at a steady latency, except where a failure
 * says otherwise. The AWS/Bedrock metrics of the Bedrock models follow the same calls.
 */
import { ClientConfig } from '../../lib/config';
import { MetricQuery, MetricSource } from '../../lib/governance/backtest';
import { ModelProvider } from '../../lib/pricing';
import { BedrockMetrics, MetricDefinition, TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';

const M = TelemetryMetrics;
const F = TelemetryFields;
const MINUTE = 60_000;

/** Calls failing from `from` (inclusive) to `to` (exclusive), where `matches` says. */
export interface Failure {
  readonly from: number;
  readonly to: number;
  /** The counter the failing calls add to: model errors, application errors or throttles. */
  readonly outcome: MetricDefinition;
  readonly matches: (call: { agent: string; route: string; model: string; provider: ModelProvider }) => boolean;
  /** Share of the matching calls that fail. @default 1 */
  readonly share?: number;
}

interface Slice {
  readonly agent: string;
  readonly route: string;
  readonly model: string;
  readonly provider: ModelProvider;
  readonly calls: number;
}

/** Latency every call takes, ms: far below every SLO of the example and the generated client. */
const LATENCY_MS = 300;

export class OutageTraffic implements MetricSource {
  private readonly slices: Slice[];
  private readonly failures: Failure[] = [];
  /** Single failed calls: [route key, minute start]. */
  private readonly strays = new Set<string>();
  private readonly matchingCache = new Map<string, Slice[]>();
  private readonly modelsPerRoute = new Map<string, number>();

  public constructor(config: ClientConfig, private readonly namespace: string, callsPerMinutePerRoute: number) {
    const providerOf = new Map(config.models.map((m) => [m.modelId, m.provider]));
    this.slices = config.agents.flatMap((agent) => {
      const models = agent.models ?? [...providerOf.keys()];
      return agent.routes.flatMap((route) => models.map((model) => ({
        agent: agent.id, route: route.id, model, provider: providerOf.get(model)!, calls: callsPerMinutePerRoute / models.length,
      })));
    });
    for (const slice of this.slices) this.modelsPerRoute.set(`${slice.agent}/${slice.route}`, (this.modelsPerRoute.get(`${slice.agent}/${slice.route}`) ?? 0) + 1);
  }

  public fail(failure: Failure): this {
    this.failures.push(failure);
    return this;
  }

  /** One call of the route fails with a model error in the minute starting at `minute` (a random failure). */
  public strayFailure(agent: string, route: string, minute: number): this {
    this.strays.add(`${agent}/${route}@${minute}`);
    return this;
  }

  public value(query: MetricQuery, periodStart: number): number | undefined {
    const minutes = Math.round(query.periodSeconds / 60);
    if (query.namespace === BedrockMetrics.NAMESPACE) return this.bedrock(query, periodStart, minutes);
    if (query.namespace !== this.namespace) return undefined;
    const matching = this.matching(query.dimensions);
    if (matching.length === 0) return undefined;
    let calls = 0;
    let failed = 0;
    for (let m = 0; m < minutes; m++) {
      const minute = periodStart + m * MINUTE;
      for (const slice of matching) {
        calls += slice.calls;
        failed += this.failed(slice, minute, query.metricName);
      }
    }
    if (calls === 0) return undefined;
    if (query.metricName === M.CALLS.name) return calls;
    if (query.metricName === M.LATENCY_MS.name) return LATENCY_MS;
    if ([M.MODEL_ERRORS.name, M.APP_ERRORS.name, M.THROTTLES.name].includes(query.metricName)) return failed;
    return undefined;
  }

  public insightRule(): number | undefined {
    return undefined;
  }

  private failed(slice: Slice, minute: number, metricName: string): number {
    let share = 0;
    for (const failure of this.failures) {
      const active = failure.outcome.name === metricName && minute >= failure.from && minute < failure.to;
      if (active && failure.matches(slice)) share = Math.max(share, failure.share ?? 1);
    }
    const stray = metricName === M.MODEL_ERRORS.name && this.strays.has(`${slice.agent}/${slice.route}@${minute}`) ? 1 / this.modelsOf(slice) : 0;
    return Math.min(slice.calls, slice.calls * share + stray);
  }

  private modelsOf(slice: Slice): number {
    return this.modelsPerRoute.get(`${slice.agent}/${slice.route}`)!;
  }

  private matching(d: Record<string, string>): Slice[] {
    const key = JSON.stringify(Object.entries(d).sort());
    let found = this.matchingCache.get(key);
    if (!found) {
      found = Object.keys(d).some((k) => ![F.AGENT.name, F.ROUTE.name, F.MODEL.name].includes(k)) ? [] : this.slices.filter((s) =>
        (d[F.AGENT.name] === undefined || d[F.AGENT.name] === s.agent)
        && (d[F.ROUTE.name] === undefined || d[F.ROUTE.name] === s.route)
        && (d[F.MODEL.name] === undefined || d[F.MODEL.name] === s.model));
      this.matchingCache.set(key, found);
    }
    return found;
  }

  private bedrock(query: MetricQuery, periodStart: number, minutes: number): number | undefined {
    const slices = this.matching({ [F.MODEL.name]: query.dimensions[BedrockMetrics.DIMENSION] })
      .filter((s) => s.provider === ModelProvider.AWS_BEDROCK);
    if (slices.length === 0) return undefined;
    let invocations = 0;
    let serverErrors = 0;
    let throttles = 0;
    for (let m = 0; m < minutes; m++) {
      const minute = periodStart + m * MINUTE;
      for (const slice of slices) {
        const throttled = this.failed(slice, minute, M.THROTTLES.name);
        invocations += slice.calls - throttled;
        serverErrors += this.failed(slice, minute, M.MODEL_ERRORS.name);
        throttles += throttled;
      }
    }
    if (query.metricName === BedrockMetrics.INVOCATIONS) return invocations;
    if (query.metricName === BedrockMetrics.SERVER_ERRORS) return serverErrors;
    if (query.metricName === BedrockMetrics.THROTTLES) return throttles;
    return undefined;
  }
}

/*
 * A synthetic month of evaluation records, hour by hour, served as the accuracy alarms read them:
 * per (agent, route, evaluator), the verdicts, the passes, and the scores, spread over the day
 * with the traffic's rhythm.
 */
import { MetricQuery, MetricSource } from '../../lib/governance/backtest';
import { TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';

const M = TelemetryMetrics;
const F = TelemetryFields;
const HOUR = 3600 * 1000;

/** What one evaluator of one route recorded in one hour. */
export interface EvaluatorHour {
  verdicts: number;
  passes: number;
  scores: number;
  scoreSum: number;
}

export interface EvaluationHour {
  readonly start: number;
  /** By `<agent>/<route>/<evaluator>`. */
  readonly evaluators: Record<string, EvaluatorHour>;
}

/** A steady evaluator: its daily volume and the rates it runs at. */
export interface EvaluatorProfile {
  readonly agent: string;
  readonly route: string;
  readonly evaluator: string;
  readonly perDay: number;
  readonly passRate: number;
  /** @default - no scores */
  readonly meanScore?: number;
}

const keyOf = (agent: string, route: string, evaluator: string) => `${agent}/${route}/${evaluator}`;

/** The share of a day's traffic in each UTC hour: quiet nights, busy afternoons (sums to 1). */
const RHYTHM = (() => {
  const raw = Array.from({ length: 24 }, (_, h) => 0.6 + 0.8 * Math.sin((Math.PI * h) / 24) ** 2);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / sum);
})();

/** The month: counts by cumulative rounding, so any window's pass rate is the profile's within one verdict. */
export function evaluationMonth(start: number, days: number, profiles: EvaluatorProfile[]): EvaluationHour[] {
  const hours: EvaluationHour[] = Array.from({ length: days * 24 }, (_, h) => ({ start: start + h * HOUR, evaluators: {} }));
  for (const profile of profiles) {
    let verdicts = 0;
    let passes = 0;
    hours.forEach((hour, h) => {
      const target = Math.round(profile.perDay * (Math.floor(h / 24) + RHYTHM.slice(0, (h % 24) + 1).reduce((a, b) => a + b, 0)));
      const n = target - verdicts;
      const passed = Math.round(profile.passRate * target) - passes;
      verdicts += n;
      passes += passed;
      hour.evaluators[keyOf(profile.agent, profile.route, profile.evaluator)] = {
        verdicts: n,
        passes: passed,
        scores: profile.meanScore === undefined ? 0 : n,
        scoreSum: profile.meanScore === undefined ? 0 : n * profile.meanScore,
      };
    });
  }
  return hours;
}

/** A month drawn verdict by verdict at the profile's pass rate from a seeded generator: sampling noise included. */
export function noisyEvaluationMonth(start: number, days: number, profile: EvaluatorProfile, seed: number): EvaluationHour[] {
  // Park and Miller's minimal standard generator: small, seeded, no bitwise arithmetic.
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  const random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const month = evaluationMonth(start, days, [profile]);
  const key = keyOf(profile.agent, profile.route, profile.evaluator);
  for (const hour of month) {
    const counts = hour.evaluators[key];
    counts.passes = 0;
    for (let i = 0; i < counts.verdicts; i++) if (random() < profile.passRate) counts.passes++;
  }
  return month;
}

/** From `from` for `hours`, the evaluator's verdicts pass at `passRate` instead. */
export function accuracyDrop(month: EvaluationHour[], profile: EvaluatorProfile, passRate: number, from: number, hours: number): void {
  const key = keyOf(profile.agent, profile.route, profile.evaluator);
  let verdicts = 0;
  let passes = 0;
  for (const hour of month.filter((h) => h.start >= from && h.start < from + hours * HOUR)) {
    const counts = hour.evaluators[key];
    verdicts += counts.verdicts;
    counts.passes = Math.round(passRate * verdicts) - passes;
    passes += counts.passes;
  }
}

/** From `from` for `hours`, the evaluator records nothing (the judge stopped). */
export function evaluatorStops(month: EvaluationHour[], profile: EvaluatorProfile, from: number, hours: number): void {
  const key = keyOf(profile.agent, profile.route, profile.evaluator);
  for (const hour of month.filter((h) => h.start >= from && h.start < from + hours * HOUR)) delete hour.evaluators[key];
}

/** Serves the month's datapoints as CloudWatch would, for the accuracy alarms' own queries. */
export function evaluationSourceOf(month: EvaluationHour[], namespace: string): MetricSource {
  return {
    value(query: MetricQuery, periodStart: number) {
      if (query.namespace !== namespace) throw new Error(`namespace ${query.namespace}`);
      const key = keyOf(query.dimensions[F.AGENT.name], query.dimensions[F.ROUTE.name], query.dimensions[F.EVALUATOR.name]);
      const hours = month.filter((h) => h.start >= periodStart && h.start < periodStart + query.periodSeconds * 1000 && h.evaluators[key]);
      const sum = (f: (e: EvaluatorHour) => number) => hours.reduce((total, h) => total + f(h.evaluators[key]), 0);
      const served: Record<string, Record<string, () => number>> = {
        [M.EVALUATION_PASSED.name]: { SampleCount: () => sum((e) => e.verdicts), Average: () => sum((e) => e.passes) / sum((e) => e.verdicts) },
        [M.EVALUATION_SCORE.name]: { SampleCount: () => sum((e) => e.scores), Average: () => sum((e) => e.scoreSum) / sum((e) => e.scores) },
        [M.EVALUATION_COUNT.name]: { Sum: () => sum((e) => Math.max(e.verdicts, e.scores)) },
      };
      const statistic = served[query.metricName]?.[query.stat];
      if (!statistic) throw new Error(`${query.metricName} ${query.stat} is not served by the synthetic evaluations`);
      // CloudWatch has no datapoint for a period in which nothing was recorded.
      const counts: Record<string, number> = {
        [M.EVALUATION_PASSED.name]: sum((e) => e.verdicts),
        [M.EVALUATION_SCORE.name]: sum((e) => e.scores),
        [M.EVALUATION_COUNT.name]: sum((e) => Math.max(e.verdicts, e.scores)),
      };
      const count = counts[query.metricName];
      return count === 0 ? undefined : statistic();
    },
    insightRule() {
      throw new Error('the accuracy alarms read no Contributor Insights rule');
    },
  };
}

import { ACCURACY_DEFAULTS } from '../config/defaults';
import { AccuracySlo, ClientConfig, Severity } from '../config/types';

/**
 * z of a one-sided 95% confidence bound: a drift alarm fires only when the evaluations show, at
 * that confidence, that the pass rate (or mean score) is below its objective.
 */
export const ACCURACY_CONFIDENCE_Z = 1.645;

/** A route's accuracy SLO with its defaults applied. */
export interface AccuracySettings {
  readonly windowHours: number;
  readonly minScoredCalls: number;
  readonly severity: Severity;
  /** Hours without any evaluation before the no-scores alarm fires: a day, or the window when longer. */
  readonly noScoresHours: number;
}

/** The settings of an accuracy SLO, defaults applied. */
export function accuracySettings(slo: AccuracySlo): AccuracySettings {
  const windowHours = slo.windowHours ?? ACCURACY_DEFAULTS.windowHours;
  return {
    windowHours,
    minScoredCalls: slo.minScoredCalls ?? ACCURACY_DEFAULTS.minScoredCalls,
    severity: slo.severity ?? ACCURACY_DEFAULTS.severity,
    noScoresHours: Math.max(ACCURACY_DEFAULTS.noScoresHours, windowHours),
  };
}

/**
 * The Wilson score interval's lower bound of a failure share q out of n (at z), in [0, 1]: the
 * share of failing verdicts that the evidence shows at least, at one-sided 95% confidence.
 * Equal to 1 minus the Wilson upper bound of the pass rate. The alarms compute the same formula
 * in metric math; this is its reference.
 */
export function wilsonLowerBound(q: number, n: number, z: number = ACCURACY_CONFIDENCE_Z): number {
  const z2 = z * z;
  return (q + z2 / (2 * n) - z * Math.sqrt((q * (1 - q)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/** Average hours in a month. */
const HOURS_PER_MONTH = 730;

/**
 * The evaluations a month the client's accuracy SLOs need at least: for every evaluator, its
 * route's minimum evidence once per window. The cost estimate's default when the config does not
 * give `expectedMonthlyEvaluations` (AgentCore-sourced routes write no evaluation lines).
 */
export function minimumMonthlyEvaluations(config: ClientConfig): number {
  let total = 0;
  for (const route of config.agents.flatMap((agent) => agent.routes)) {
    const accuracy = route.slo.accuracy;
    if (!accuracy || accuracy.agentCore) continue;
    const settings = accuracySettings(accuracy);
    total += accuracy.evaluators.length * settings.minScoredCalls * (HOURS_PER_MONTH / settings.windowHours);
  }
  return Math.ceil(total);
}

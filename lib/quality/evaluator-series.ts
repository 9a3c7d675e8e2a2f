import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { RouteConfig } from '../config/types';
import { TelemetryMetrics } from '../telemetry/contract';
import { SeriesDimensions, TelemetryMetricFactory } from '../telemetry/metric-factory';

const M = TelemetryMetrics;

/** What an evaluator's objective is measured on. */
export enum AccuracyObjective {
  /** Share of passing verdicts (the evaluation records' verdicts). */
  PASS_RATE = 'pass-rate',
  /** Mean score (the evaluation records' scores, or AgentCore Evaluations' score metric). */
  MEAN_SCORE = 'mean-score',
}

/**
 * Where one evaluator of a route is read: its verdicts or scores from the telemetry helper's
 * records, or its scores from AgentCore Evaluations where the route's SLO points there. Average
 * is the rate or mean, SampleCount the evidence.
 */
export function evaluatorScores(
  metrics: TelemetryMetricFactory, agentId: string, route: RouteConfig, evaluator: string, objective: AccuracyObjective, period: Duration,
): cloudwatch.Metric {
  const agentCore = route.slo.accuracy?.agentCore;
  if (agentCore) {
    return new cloudwatch.Metric({
      namespace: agentCore.namespace,
      metricName: agentCore.metricName,
      dimensionsMap: { ...agentCore.dimensions, [agentCore.evaluatorDimension]: evaluator },
      statistic: cloudwatch.Stats.AVERAGE,
      period,
    });
  }
  const definition = objective === AccuracyObjective.PASS_RATE ? M.EVALUATION_PASSED : M.EVALUATION_SCORE;
  return metrics.metric(definition, evaluatorDimensions(agentId, route, evaluator), cloudwatch.Stats.AVERAGE, { period });
}

/** How many evaluations an evaluator of a route recorded in each period (for the no-scores alarm and graphs). */
export function evaluatorCount(
  metrics: TelemetryMetricFactory, agentId: string, route: RouteConfig, evaluator: string, period: Duration,
): cloudwatch.Metric {
  if (route.slo.accuracy?.agentCore) {
    const scores = evaluatorScores(metrics, agentId, route, evaluator, AccuracyObjective.MEAN_SCORE, period);
    return scores.with({ statistic: cloudwatch.Stats.SAMPLE_COUNT });
  }
  return metrics.metric(M.EVALUATION_COUNT, evaluatorDimensions(agentId, route, evaluator), cloudwatch.Stats.SUM, { period });
}

/** The series dimensions of one evaluator of one route. */
export function evaluatorDimensions(agentId: string, route: RouteConfig, evaluator: string): SeriesDimensions {
  return { agent: agentId, route: route.id, evaluator };
}

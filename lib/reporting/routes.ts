/*
 * The client config as the report reads it: routes by `agent/route`, and their accuracy bars.
 */
import { routeKey } from './views';
import { AgentConfig, ClientConfig, RouteConfig } from '../config/types';

/** Scored calls below which accuracy evidence does not decide, when the route names no minimum. */
export const DEFAULT_MIN_SCORED_CALLS = 30;

export type ConfigRoutes = Map<string, { agent: AgentConfig; route: RouteConfig }>;

/** The config's routes by `agent/route`, with their agent. */
export function configRoutes(config: ClientConfig | undefined): ConfigRoutes {
  const map = new Map<string, { agent: AgentConfig; route: RouteConfig }>();
  for (const agent of config?.agents ?? []) for (const route of agent.routes) map.set(routeKey(agent.id, route.id), { agent, route });
  return map;
}

/** An accuracy bar of a route: the minimum pass rate and/or mean score of one evaluator. */
export interface AccuracyBar {
  readonly id: string;
  readonly minPassRatePercent?: number;
  readonly minMeanScore?: number;
}

/** The route's accuracy bars and the evidence needed before they decide. */
export function accuracyBarsOf(route: RouteConfig | undefined): { bars: AccuracyBar[]; minScoredCalls: number } {
  const accuracy = (route?.slo as { accuracy?: { evaluators?: AccuracyBar[]; minScoredCalls?: number } } | undefined)?.accuracy;
  return { bars: accuracy?.evaluators ?? [], minScoredCalls: accuracy?.minScoredCalls ?? DEFAULT_MIN_SCORED_CALLS };
}


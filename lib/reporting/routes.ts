/*
 * The client config as the report reads it: routes by agent/route, and their accuracy bars.
 */
import { routeKey } from './views';
import { ACCURACY_DEFAULTS } from '../config/defaults';
import { AccuracyEvaluator, AgentConfig, ClientConfig, RouteConfig } from '../config/types';
import { accuracySettings } from '../quality/settings';

export type ConfigRoutes = Map<string, { agent: AgentConfig; route: RouteConfig }>;

/** The config's routes by `agent/route`, with their agent. */
export function configRoutes(config: ClientConfig | undefined): ConfigRoutes {
  const map = new Map<string, { agent: AgentConfig; route: RouteConfig }>();
  for (const agent of config?.agents ?? []) for (const route of agent.routes) map.set(routeKey(agent.id, route.id), { agent, route });
  return map;
}

/** The route's accuracy bars (one per evaluator) and the evidence they need before they decide. */
export function accuracyBarsOf(route: RouteConfig | undefined): { bars: AccuracyEvaluator[]; minScoredCalls: number } {
  const accuracy = route?.slo.accuracy;
  const minScoredCalls = accuracy ? accuracySettings(accuracy).minScoredCalls : ACCURACY_DEFAULTS.minScoredCalls;
  return { bars: accuracy?.evaluators ?? [], minScoredCalls };
}

import { AgentConfig, ClientConfig } from './types';
import { CardinalityShape } from '../telemetry/contract';

/** What a client config implies for the telemetry contract's custom-metric formula. */
export class ClientCardinality {
  /**
   * The shape of a client: agents, routes, models (as the agents send them), the (agent, model)
   * pairs in use, the agents that record sessions and retrievals, and the evaluators of the
   * routes' accuracy SLOs that the telemetry helper records (per route, and per model of the
   * agent). Tool pairs, rejection reasons and evaluators outside the SLOs are not known from the
   * config and count as 0.
   */
  public static of(config: ClientConfig): CardinalityShape {
    const models = [...new Set(config.models.map((m) => m.modelId))];
    return {
      agents: config.agents.length,
      routes: config.agents.reduce((sum, agent) => sum + agent.routes.length, 0),
      models: models.length,
      agentModelPairs: config.agents.reduce((sum, agent) => sum + (agent.models ?? models).length, 0),
      sessionAgents: config.agents.filter((agent) => agent.recordsSessions).length,
      retrievalAgents: config.agents.filter((agent) => agent.retrieval).length,
      routeEvaluators: config.agents.reduce((sum, agent) => sum + recordedEvaluators(agent).length, 0),
      agentModelEvaluators: config.agents.reduce((sum, agent) => sum + (agent.models ?? models).length * new Set(recordedEvaluators(agent)).size, 0),
    };
  }
}

/** The evaluator ids, one per (route, evaluator), of the agent's accuracy SLOs read from the telemetry (not AgentCore). */
function recordedEvaluators(agent: AgentConfig): string[] {
  return agent.routes.flatMap((route) => (route.slo.accuracy && !route.slo.accuracy.agentCore ? route.slo.accuracy.evaluators.map((e) => e.id) : []));
}

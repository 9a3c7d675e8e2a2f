import { ClientConfig } from './types';
import { CardinalityShape } from '../telemetry/contract';

/** What a client config implies for the telemetry contract's custom-metric formula. */
export class ClientCardinality {
  /**
   * The shape of a client: agents, routes, models (as the agents send them), the (agent, model)
   * pairs in use, and the agents that record sessions and retrievals. Tool pairs and rejection
   * reasons are not known from the config and count as 0.
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
    };
  }
}

import { ClientConfig, ClientConfigLoader } from '../../lib/config';

/**
 * A large client built in code and validated like a YAML file: `agents` agents of `routesPerAgent`
 * routes each, calling `models` Bedrock and OpenAI models; every third agent records sessions and
 * every fourth retrievals.
 */
export function generatedClient(agents = 40, routesPerAgent = 5): ClientConfig {
  const models = [
    { provider: 'aws.bedrock', modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' },
    { provider: 'aws.bedrock', modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0' },
    { provider: 'openai', modelId: 'gpt-5-mini' },
  ];
  return ClientConfigLoader.fromObject({
    clientId: 'bigco',
    displayName: 'Big Co.',
    slaTier: 'enterprise',
    expectedMonthlyCalls: 50_000_000,
    agents: Array.from({ length: agents }, (_, a) => ({
      id: `agent-${a + 1}`,
      owner: { team: `team-${(a % 7) + 1}`, service: `agent-${a + 1}-fn` },
      logGroups: [`/aws/lambda/bigco-agent-${a + 1}-fn`],
      models: [models[a % 3].modelId, models[(a + 1) % 3].modelId],
      recordsSessions: a % 3 === 0,
      ...(a % 4 === 0 ? { retrieval: { maxIndexAgeHours: 12 } } : {}),
      ...(a % 5 === 0 ? { promptCacheHitRateFloorPercent: 50 } : {}),
      routes: Array.from({ length: routesPerAgent }, (_r, r) => ({
        id: `route-${r + 1}`,
        slo: { latency: { p50Ms: 1000, p95Ms: 3000, p99Ms: 6000 }, errorRatePercent: 1 },
      })),
    })),
    models,
    budgets: { monthlyUsd: 250_000, awsBilledMonthlyUsd: 160_000 },
    escalation: {
      pagerDuty: { p1: { integrationKeySecretName: 'bigco/pagerduty-p1' }, p2: { integrationKeySecretName: 'bigco/pagerduty-p2' } },
      emails: { p1: ['oncall@bigco.example'], p3: ['ai-platform@bigco.example'] },
    },
  }, 'generated bigco client');
}

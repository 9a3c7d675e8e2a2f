import { SloAlarm } from '../common/alarm-factory';
import { ALARM_KINDS, RunbookQuery, SloAlarmKind } from '../common/alarm-kinds';
import { AiOpsNames } from '../common/names';
import { RESPONSE_TARGETS } from '../common/sla';
import { AgentConfig, ClientConfig } from '../config/types';
import { ModelProvider } from '../pricing/price-catalog';
import { CallOutcome, RecordType, TelemetryFields, TelemetryMetrics } from '../telemetry/contract';

/** The providers an alarm concerns: a provider outage's own, a model's, else its agent's models', else every model's. */
function providersOfAlarm(alarm: SloAlarm, config: ClientConfig, agent?: AgentConfig): ModelProvider[] {
  const providerPrefix = `${config.clientId}/provider/`;
  if (alarm.metadata.cause.startsWith(providerPrefix)) return [alarm.metadata.cause.slice(providerPrefix.length) as ModelProvider];
  const models = alarm.modelId ? [alarm.modelId] : agent?.models ?? config.models.map((m) => m.modelId);
  return [...new Set(config.models.filter((m) => models.includes(m.modelId)).map((m) => m.provider))];
}

/** Who answers an alarm of this severity, from the config's escalation section. */
function responders(config: ClientConfig, severity: string): string {
  const key = severity.toLowerCase() as 'p1' | 'p2' | 'p3';
  const pagerDuty = config.escalation.pagerDuty?.[key]?.integrationKeySecretName;
  const emails = config.escalation.emails?.[key] ?? [];
  const parts = [
    ...(pagerDuty ? [`the PagerDuty service whose key is in secret \`${pagerDuty}\``] : []),
    ...(emails.length > 0 ? [emails.join(', ')] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : 'the P3 digest\'s readers';
}

function consoleUrl(region: string | undefined, fragment: string): string {
  return `https://console.aws.amazon.com/cloudwatch/home${region ? `?region=${region}` : ''}#${fragment}`;
}

/** The Markdown runbook of one alarm: what fired, owner, first checks, mitigation, rollback. */
export function renderRunbook(alarm: SloAlarm, config: ClientConfig): string {
  const { clientId, region } = config;
  const agent = config.agents.find((a) => a.id === alarm.agent);
  const providers = providersOfAlarm(alarm, config, agent);
  const dashboard = agent ? AiOpsNames.agentDashboard(clientId, agent.id) : AiOpsNames.overviewDashboard(clientId);
  // The affected agents' log groups for a client-wide alarm that names them, else every agent's.
  const affectedAgents = config.agents.filter((a) => alarm.metadata.affects?.some((entry) => entry === a.id || entry.startsWith(`${a.id}/`)));
  const scopeAgents = agent ? [agent] : affectedAgents.length > 0 ? affectedAgents : config.agents;
  const logGroups = [...new Set(scopeAgents.flatMap((a) => a.logGroups))];
  const F = TelemetryFields;
  const M = TelemetryMetrics;
  const definition = ALARM_KINDS[alarm.kind];
  const kindQuery = definition.query;
  const recordType = kindQuery === RunbookQuery.EVALUATIONS ? RecordType.EVALUATION
    : kindQuery === RunbookQuery.SESSIONS ? RecordType.AGENT_SESSION : RecordType.AI_CALL;
  // Filtered to what fired: its agent and route, its model (a model alarm), the models of its provider (a provider outage).
  const models = alarm.modelId ? [alarm.modelId] : [];
  const filters = [
    `${F.RECORD_TYPE.name} = "${recordType}"`,
    agent ? `${F.AGENT.name} = "${agent.id}"` : undefined,
    alarm.route ? `${F.ROUTE.name} = "${alarm.route}"` : undefined,
    models.length > 0 ? `${F.MODEL.name} = "${models[0]}"` : undefined,
    alarm.kind === SloAlarmKind.PROVIDER_OUTAGE ? `${F.PROVIDER.name} in [${providers.map((p) => `"${p}"`).join(', ')}]` : undefined,
    kindQuery === RunbookQuery.FAILURES ? `${F.OUTCOME.name} != "${CallOutcome.OK}"` : undefined,
  ].filter(Boolean).join(' and ');
  const fieldList = (fields: Array<{ name: string }>) => fields.map((f) => f.name).join(', ');
  const queries: Record<RunbookQuery, string[]> = {
    [RunbookQuery.EVALUATIONS]: [
      `fields @timestamp, ${fieldList([F.MODEL, F.VARIANT, F.EVALUATOR, F.EVALUATOR_VERSION, M.EVALUATION_PASSED, M.EVALUATION_SCORE, F.REQUEST_ID])}`,
      `| filter ${filters}`,
      `| stats count() as n, avg(${M.EVALUATION_PASSED.name}) as passRate, avg(${M.EVALUATION_SCORE.name}) as meanScore`
        + ` by ${F.EVALUATOR.name}, ${F.EVALUATOR_VERSION.name}, ${F.MODEL.name}, ${F.VARIANT.name}, bin(1h)`,
    ],
    [RunbookQuery.CALLS]: [
      `fields @timestamp, ${fieldList([F.ROUTE, F.MODEL, F.OUTCOME, M.LATENCY_MS, M.COST_USD, F.REQUEST_ID])}`,
      `| filter ${filters}`,
      `| stats count() as n, avg(${M.LATENCY_MS.name}) as avgLatency, pct(${M.LATENCY_MS.name}, 95) as p95 by ${F.OUTCOME.name}, ${F.MODEL.name}, bin(5m)`,
    ],
    [RunbookQuery.FAILURES]: [
      `fields @timestamp, ${fieldList([F.AGENT, F.ROUTE, F.MODEL, F.PROVIDER, F.OUTCOME, F.REQUEST_ID])}`,
      `| filter ${filters}`,
      `| stats count() as failures by ${F.AGENT.name}, ${F.ROUTE.name}, ${F.MODEL.name}, ${F.OUTCOME.name}, bin(1m)`,
    ],
    [RunbookQuery.SPEND]: [
      `fields @timestamp, ${fieldList([F.AGENT, F.TENANT, F.MODEL, M.COST_USD])}`,
      `| filter ${filters}`,
      `| stats sum(${M.COST_USD.name}) as cost, count() as calls by ${F.AGENT.name}, ${F.TENANT.name}`,
      '| sort cost desc',
      '| limit 20',
    ],
    [RunbookQuery.SESSIONS]: [
      `fields @timestamp, ${fieldList([F.AGENT, F.TENANT, F.SESSION_ID, M.SESSION_STEPS, M.SESSION_TOOL_CALLS, M.SESSION_TOKENS, M.SESSION_COST_USD])}`,
      `| filter ${filters}`,
      `| sort ${M.SESSION_COST_USD.name} desc`,
      '| limit 20',
    ],
    [RunbookQuery.NONE]: [],
  };
  const query = queries[kindQuery].join('\n');
  const mitigations = definition.mitigations.filter((m) => !m.providers || m.providers.some((p) => providers.includes(p)));
  const owners = agent
    ? [`Team **${agent.owner.team}**, service \`${agent.owner.service}\`${alarm.route ? `, route \`${alarm.route}\`` : ''}.`]
    : [
      `The on-call of ${config.displayName}: ${responders(config, alarm.severity)}.`,
      ...(scopeAgents.length > 0 ? ['', 'Owners of the agents it concerns:', '', ...scopeAgents.map((a) => `- ${a.id}: team **${a.owner.team}**, service \`${a.owner.service}\``)] : []),
    ];
  return [
    `# ${alarm.alarmName}`,
    '',
    `**${alarm.severity}** for ${config.displayName} (tier ${config.slaTier}: respond within ${RESPONSE_TARGETS[config.slaTier][alarm.severity]}).`,
    '',
    '## What fired',
    '',
    `${alarm.what[0].toUpperCase()}${alarm.what.slice(1)}.`,
    '',
    `It fires when ${alarm.condition}.`,
    '',
    '## Owner',
    '',
    ...owners,
    '',
    '## First checks',
    '',
    `1. The dashboard: [${dashboard}](${consoleUrl(region, `dashboards/dashboard/${dashboard}`)}).`,
    ...(query ? [
      `2. The telemetry logs (Logs Insights over ${logGroups.map((g) => `\`${g}\``).join(', ')}):`,
      '',
      '   ```',
      ...query.split('\n').map((line) => `   ${line}`),
      '   ```',
      '',
    ] : ['2. The telemetry does not show this; the mitigation below names where to look.', '']),
    '3. Recent deploys of the owning service and model-flag changes (rollouts) around the time it fired.',
    `4. The alarm's history: [${alarm.alarmName}](${consoleUrl(region, `alarmsV2:alarm/${alarm.alarmName}`)}).`,
    '',
    '## Mitigation',
    '',
    ...mitigations.map((step) => `- ${step.text}`),
    '',
    '## Rollback',
    '',
    'Roll back the last deploy of the owning service. On a route with a model rollout, serve its baseline variant again within minutes: stop a running plan '
      + '(`aws stepfunctions stop-execution`), then run the rollout\'s `RollbackCommand` stack output (`aws appconfig start-deployment ... --configuration-version '
      + '<baseline-only version>`); after a promotion, `UndoPromotionCommand` serves the previous variant (kept 30 days after `promotedOn`). See docs/rollouts.md.',
    `The alarm returns to OK by itself when the condition clears; the page resolves with it. General guidance: ${AiOpsNames.defaultRunbookUrl(alarm.kind)}`,
    '',
  ].join('\n');
}

import { AiOpsNames } from './names';
import { SloAlarm, SloAlarmKind } from './slo-alarms';
import { AgentConfig, SlaTier } from '../config/types';
import { RESPONSE_TARGETS } from '../routing/sla';
import { RecordType, TelemetryFields, TelemetryMetrics } from '../telemetry/contract';

/** What a generated runbook needs to know besides the alarm. */
export interface RunbookContext {
  readonly clientId: string;
  readonly displayName: string;
  readonly tier: SlaTier;
  /** Console region for links. @default - the console's default region */
  readonly region?: string;
  /** The agent the alarm belongs to, for agent and route alarms. */
  readonly agent?: AgentConfig;
  /** The agents' telemetry log groups, for the Logs Insights query. */
  readonly logGroups: string[];
}

/** Mitigations by alarm kind: what usually fixes it. */
const MITIGATIONS: Record<SloAlarmKind, string[]> = {
  [SloAlarmKind.LATENCY_P50]: ['Check the provider\'s status page and the Bedrock latency on the overview.', 'Move the route to a faster model behind its model flag if the provider is slow.', 'Shorten prompts or outputs that grew with the last deploy.'],
  [SloAlarmKind.LATENCY_P95]: ['Look for retries after throttling (throttle rate) and cold starts of the agent\'s function.', 'Check the model/provider status; fail over to a cross-region inference profile.'],
  [SloAlarmKind.LATENCY_P99]: ['Calls close to the agent\'s own timeout are being cut off: raise the timeout or cap output tokens.', 'Check the model/provider status.'],
  [SloAlarmKind.MODEL_ERROR_RATE]: ['Provider server errors: fail over to another region or model.', 'One model only: roll its model flag back to the previous model.'],
  [SloAlarmKind.APP_ERROR_RATE]: ['Roll back the last deploy of the owning service.', 'Find the failing requests by requestId in the service\'s own logs.'],
  [SloAlarmKind.THROTTLE_RATE]: ['Compare usage with the account\'s tokens-per-minute and requests-per-minute quotas; request an increase.', 'Use cross-region inference profiles; add retries with backoff and jitter; rate-limit the top tenant.'],
  [SloAlarmKind.RETRIEVAL_STALENESS]: ['Re-run the ingestion job that refreshes the index; check why its schedule stopped.'],
  [SloAlarmKind.PROMPT_CACHE_HIT_RATE]: ['A changed system prompt, tool list or message order breaks the cached prefix: restore the stable prefix.', 'Check prompt-version and model-flag changes at the time the rate fell.'],
  [SloAlarmKind.AGENT_DOWN]: ['Every route of the agent fails: roll back its last deploy or model change first.'],
  [SloAlarmKind.PRODUCTION_DOWN]: ['Page the owner named in the agent-down alarm; roll back the agent\'s last deploy or model change.'],
  [SloAlarmKind.SPEND_ANOMALY]: ['Check recent deploys and prompt-version changes of the agent.', 'Check model-flag changes (a more expensive model).', 'Look at the top tenants by cost on the overview: one tenant\'s traffic may have tripled.'],
  [SloAlarmKind.CACHE_HIT_ANOMALY]: ['A changed system prompt, tool list or message order breaks the cached prefix: restore it.', 'Check prompt-version and model-flag changes at the time the rate fell.'],
  [SloAlarmKind.SPEND_RATE]: ['Find the agent or tenant driving the spend (overview: spend by agent, top tenants); rate-limit or disable it.', 'Look for a runaway agent: steps and tool calls per session.'],
  [SloAlarmKind.BUDGET_BURN_WARNING]: ['Compare the day\'s spend by agent, model and tenant with the week before; decide whether the budget or the traffic is wrong.'],
  [SloAlarmKind.BUDGET_BURN]: ['At this rate the month\'s budget is gone in ten days: find the driver (agent, model, tenant) and throttle it.'],
  [SloAlarmKind.SESSION_STEPS]: ['An agent loops: cap steps per session in the agent, check tool errors that make it retry.'],
  [SloAlarmKind.SESSION_TOOL_CALLS]: ['An agent calls tools in a loop: check the tool\'s errors and the agent\'s stop condition.'],
  [SloAlarmKind.SESSION_TOKENS]: ['Sessions grow their context without bound: trim history, summarise, cap tokens per session.'],
  [SloAlarmKind.SESSION_COST]: ['Find the session by its id in the telemetry logs; stop it and cap the agent\'s spend per session.'],
  [SloAlarmKind.TENANT_SHARE]: ['Find the tenant on the overview\'s top tenants; check for abuse or a runaway integration; rate-limit it.'],
  [SloAlarmKind.GOVERNANCE_REPORT_FAILED]: ['Read the report function\'s last ERROR line: the bucket, key, topic or SES identity it could not use, or a timeout.', 'Fix it and invoke the function with {"period": "YYYY-MM"}; add "force": true to notify again.'],
  [SloAlarmKind.UNDELIVERED_ALERTS]: ['Read the queued notifications and page by hand for any P1 or P2.', 'Fix the integration key secret, the endpoint or wait out PagerDuty\'s incident; redrive the queue.'],
  [SloAlarmKind.ACCURACY_PASS_RATE]: [
    'Split the failing verdicts by model, variant and evaluatorVersion (query above): a new model, prompt or tool since the drop is the usual cause; roll it back behind its flag.',
    'A new evaluatorVersion at the time of the drop means the judge changed, not the agent: re-run the calibration audit set before acting on the agent.',
  ],
  [SloAlarmKind.ACCURACY_MEAN_SCORE]: [
    'Split the scores by model, variant and evaluatorVersion (query above); roll back the model, prompt or tool change that preceded the drop.',
    'A changed judge rubric (new evaluatorVersion) shifts scores: re-calibrate it against the human-labelled audit set.',
  ],
  [SloAlarmKind.ACCURACY_NO_SCORES]: [
    'The evaluator stopped: check the judge Lambda\'s errors and throttles, the sampling rule, or the code path that calls recordEvaluation.',
    'For AgentCore Evaluations, check the online evaluation configuration is ENABLED and its metric names match the config.',
  ],
};

const ACCURACY_KINDS = new Set([SloAlarmKind.ACCURACY_PASS_RATE, SloAlarmKind.ACCURACY_MEAN_SCORE, SloAlarmKind.ACCURACY_NO_SCORES]);

function consoleUrl(region: string | undefined, fragment: string): string {
  return `https://console.aws.amazon.com/cloudwatch/home${region ? `?region=${region}` : ''}#${fragment}`;
}

/** The Markdown runbook of one alarm: what fired, owner, first checks, mitigation, rollback. */
export function renderRunbook(alarm: SloAlarm, context: RunbookContext): string {
  const { agent, clientId, region } = context;
  const dashboard = agent ? AiOpsNames.agentDashboard(clientId, agent.id) : AiOpsNames.overviewDashboard(clientId);
  const logGroups = agent ? agent.logGroups : context.logGroups;
  const F = TelemetryFields;
  const M = TelemetryMetrics;
  const accuracy = ACCURACY_KINDS.has(alarm.kind);
  const filters = [
    `${F.RECORD_TYPE.name} = "${accuracy ? RecordType.EVALUATION : RecordType.AI_CALL}"`,
    agent ? `${F.AGENT.name} = "${agent.id}"` : undefined,
    alarm.route ? `${F.ROUTE.name} = "${alarm.route}"` : undefined,
  ].filter(Boolean).join(' and ');
  const query = accuracy ? [
    `fields @timestamp, ${[F.MODEL, F.VARIANT, F.EVALUATOR, F.EVALUATOR_VERSION, M.EVALUATION_PASSED, M.EVALUATION_SCORE, F.REQUEST_ID].map((f) => f.name).join(', ')}`,
    `| filter ${filters}`,
    `| stats count() as n, avg(${M.EVALUATION_PASSED.name}) as passRate, avg(${M.EVALUATION_SCORE.name}) as meanScore`
      + ` by ${F.EVALUATOR.name}, ${F.EVALUATOR_VERSION.name}, ${F.MODEL.name}, ${F.VARIANT.name}, bin(1h)`,
  ].join('\n') : [
    `fields @timestamp, ${[F.ROUTE, F.MODEL, F.OUTCOME, M.LATENCY_MS, M.COST_USD, F.REQUEST_ID].map((f) => f.name).join(', ')}`,
    `| filter ${filters}`,
    `| stats count() as n, avg(${M.LATENCY_MS.name}) as avgLatency, sum(${M.COST_USD.name}) as cost by ${F.OUTCOME.name}, ${F.MODEL.name}, bin(5m)`,
  ].join('\n');
  return [
    `# ${alarm.alarmName}`,
    '',
    `**${alarm.severity}** for ${context.displayName} (tier ${context.tier}: respond within ${RESPONSE_TARGETS[context.tier][alarm.severity]}).`,
    '',
    '## What fired',
    '',
    `${alarm.what[0].toUpperCase()}${alarm.what.slice(1)}.`,
    '',
    `It fires when ${alarm.condition}.`,
    '',
    '## Owner',
    '',
    agent ? `Team **${agent.owner.team}**, service \`${agent.owner.service}\`${alarm.route ? `, route \`${alarm.route}\`` : ''}.` : 'The on-call of the client.',
    '',
    '## First checks',
    '',
    `1. The dashboard: [${dashboard}](${consoleUrl(region, `dashboards/dashboard/${dashboard}`)}).`,
    `2. The telemetry logs (Logs Insights over ${logGroups.map((g) => `\`${g}\``).join(', ')}):`,
    '',
    '   ```',
    ...query.split('\n').map((line) => `   ${line}`),
    '   ```',
    '',
    '3. Recent deploys of the owning service and model-flag changes (rollouts) around the time it fired.',
    `4. The alarm's history: [${alarm.alarmName}](${consoleUrl(region, `alarmsV2:alarm/${alarm.alarmName}`)}).`,
    '',
    '## Mitigation',
    '',
    ...MITIGATIONS[alarm.kind].map((step) => `- ${step}`),
    '',
    '## Rollback',
    '',
    'Roll back the last deploy of the owning service, or set the route\'s model flag back to the previous model (kept 30 days).',
    `The alarm returns to OK by itself when the condition clears; the page resolves with it. General guidance: ${AiOpsNames.defaultRunbookUrl(alarm.kind)}`,
    '',
  ].join('\n');
}

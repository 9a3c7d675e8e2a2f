import type { Problem } from './semantics';
import { AgentConfig, ClientConfig, RouteConfig } from './types';

/*
 * The AWS limits the config's text reaches, checked when the config loads so a config that passes
 * never fails at deployment. The bounds are conservative: they count the longest text the alarm
 * factory and the dashboards can build from the config, not the text of one particular alarm.
 */

/** The AWS limits config values flow into. */
export const AWS_LIMITS = {
  /** CloudWatch PutMetricAlarm AlarmDescription. */
  alarmDescription: 1024,
  /** CloudWatch PutMetricAlarm AlarmName. */
  alarmName: 255,
  /** CloudWatch PutDashboard DashboardName. */
  dashboardName: 255,
} as const;

/** Longest alarm kind suffix (`prompt-cache-hit-anomaly` is 24); a test holds every kind to it. */
export const MAX_ALARM_KIND_LENGTH = 32;
/** Longest fixed wording of an alarm's "what" sentence, without the ids it names. */
export const MAX_ALARM_WHAT_WORDING = 120;
/** The library's runbook section URL, the fallback when no runbook URL is configured. */
const DEFAULT_RUNBOOK_LENGTH = 'https://github.com/cdk-ai-ops/cdk-ai-ops/blob/main/docs/runbooks.md#'.length + MAX_ALARM_KIND_LENGTH;
/** `https://console.aws.amazon.com/cloudwatch/home?region=<region>#dashboards/dashboard/`, longest region. */
const DASHBOARD_URL_PREFIX = 'https://console.aws.amazon.com/cloudwatch/home?region='.length + 'ap-southeast-99'.length + '#dashboards/dashboard/'.length;
/** `-<page>` of a continuation dashboard. */
const DASHBOARD_PAGE_SUFFIX = 3;
/**
 * The description's fixed text: `[P1] ` and the final period, `Fires when: ...` (the condition is
 * shortened first), `Owner: team , service .`, `Runbook: `, `Dashboard: ` and four line breaks.
 */
const DESCRIPTION_FIXED = '[P1] .'.length + 'Fires when: ....'.length + 'Owner: team , service .'.length + 'Runbook: '.length + 'Dashboard: '.length + 4;

/** The longest agent dashboard name of an agent (continuation pages included). */
export function longestDashboardName(clientId: string, agentId: string): number {
  return `${clientId}-ai-ops-agent-${agentId}`.length + DASHBOARD_PAGE_SUFFIX;
}

function longestAlarmName(clientId: string, agent: AgentConfig, route?: RouteConfig): number {
  const evaluator = Math.max(0, ...(route?.slo.accuracy?.evaluators ?? []).map((e) => e.id.length + 1));
  return clientId.length + 1 + agent.id.length + 1 + (route ? route.id.length + 1 : 0) + evaluator + MAX_ALARM_KIND_LENGTH;
}

/** Upper bound of the description of any alarm the library builds for an agent or one of its routes. */
export function longestAlarmDescription(config: Pick<ClientConfig, 'clientId' | 'runbookBaseUrl'>, agent: AgentConfig, route?: RouteConfig): number {
  const evaluator = Math.max(0, ...(route?.slo.accuracy?.evaluators ?? []).map((e) => e.id.length));
  const what = MAX_ALARM_WHAT_WORDING + config.clientId.length + agent.id.length + (route?.id.length ?? 0) + evaluator;
  const configured = route?.runbookUrl ?? agent.runbookUrl;
  const runbook = configured?.length
    ?? (config.runbookBaseUrl ? config.runbookBaseUrl.replace(/\/+$/, '').length + 1 + longestAlarmName(config.clientId, agent, route) + '.md'.length : DEFAULT_RUNBOOK_LENGTH);
  const dashboard = DASHBOARD_URL_PREFIX + longestDashboardName(config.clientId, agent.id);
  return DESCRIPTION_FIXED + what + agent.owner.team.length + agent.owner.service.length + runbook + dashboard;
}

/** Alarm names, alarm descriptions and dashboard names the config would make longer than AWS accepts. */
export function awsLimitProblems(config: Partial<ClientConfig>): Problem[] {
  if (config.clientId === undefined || !config.agents) return [];
  const clientId = config.clientId;
  const problems: Problem[] = [];
  const description = (path: PropertyKey[], length: number, runbook: string) => problems.push({
    path,
    expected: `alarm descriptions within CloudWatch's ${AWS_LIMITS.alarmDescription} characters: shorten ${runbook}, owner.team and owner.service, or the ids`,
    found: `descriptions of up to ${length} characters`,
  });
  config.agents.forEach((agent, a) => {
    const dashboard = longestDashboardName(clientId, agent.id);
    if (dashboard > AWS_LIMITS.dashboardName) {
      problems.push({ path: ['agents', a, 'id'], expected: `a dashboard name within ${AWS_LIMITS.dashboardName} characters`, found: `${dashboard} characters` });
    }
    const agentLength = longestAlarmDescription({ clientId, runbookBaseUrl: config.runbookBaseUrl }, agent);
    if (agentLength > AWS_LIMITS.alarmDescription) description(['agents', a], agentLength, agent.runbookUrl ? 'runbookUrl' : 'runbookBaseUrl');
    agent.routes.forEach((route, r) => {
      const name = longestAlarmName(clientId, agent, route);
      if (name > AWS_LIMITS.alarmName) {
        problems.push({ path: ['agents', a, 'routes', r, 'id'], expected: `alarm names within CloudWatch's ${AWS_LIMITS.alarmName} characters: shorter client, agent, route or evaluator ids`, found: `names of up to ${name} characters` });
      }
      const length = longestAlarmDescription({ clientId, runbookBaseUrl: config.runbookBaseUrl }, agent, route);
      if (length > AWS_LIMITS.alarmDescription && length > agentLength) {
        description(['agents', a, 'routes', r], length, route.runbookUrl ? 'runbookUrl' : agent.runbookUrl ? 'the agent\'s runbookUrl' : 'runbookBaseUrl');
      }
    });
  });
  return problems;
}

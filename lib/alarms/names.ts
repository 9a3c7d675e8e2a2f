import { Aws } from 'aws-cdk-lib';

const RUNBOOKS = 'https://github.com/cdk-ai-ops/cdk-ai-ops/blob/main/docs/runbooks.md';

/**
 * The physical names of what the library creates. Alarm and dashboard names are deterministic, so
 * composite alarms, dashboards and runbooks refer to them across stacks without references, and
 * an on-call engineer can guess them.
 */
export class AiOpsNames {
  /**
   * `<client>-<agent>[-<route>][-<qualifier>]-<kind>`, or `<client>-<kind>` for client-wide alarms;
   * the qualifier names what within a route is watched (an evaluator).
   */
  public static alarm(clientId: string, kind: string, agentId?: string, routeId?: string, qualifier?: string): string {
    return [clientId, agentId, routeId, qualifier, kind].filter((part) => part !== undefined).join('-');
  }

  /** The client's overview dashboard; continuation pages get `-2`, `-3`, ... */
  public static overviewDashboard(clientId: string): string {
    return `${clientId}-ai-ops-overview`;
  }

  /** An agent's dashboard; continuation pages get `-2`, `-3`, ... */
  public static agentDashboard(clientId: string, agentId: string): string {
    return `${clientId}-ai-ops-agent-${agentId}`;
  }

  /** The console link of a dashboard, in the stack's region. */
  public static dashboardUrl(dashboardName: string): string {
    return `https://console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${dashboardName}`;
  }

  /** The generated runbook of an alarm when a base URL is set, else the library's section for its kind. */
  public static runbookUrl(kind: string, alarmName: string, runbookBaseUrl?: string): string {
    return runbookBaseUrl ? `${runbookBaseUrl.replace(/\/+$/, '')}/${alarmName}.md` : AiOpsNames.defaultRunbookUrl(kind);
  }

  /** The library's runbook section for an alarm kind. */
  public static defaultRunbookUrl(kind: string): string {
    return `${RUNBOOKS}#${kind}`;
  }
}

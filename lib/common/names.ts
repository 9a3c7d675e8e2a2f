import { Aws } from 'aws-cdk-lib';

const RUNBOOKS = 'https://github.com/cdk-ai-ops/cdk-ai-ops/blob/main/docs/runbooks.md';

/** A short stable hash of a text, base 36. */
function stableHash(text: string): string {
  let hash = 7;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) % 2147483647;
  return hash.toString(36);
}

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

  /**
   * A model id or provider as a name part (lowercase letters, digits, hyphens), from the id itself,
   * never from its position in the config: reordering models renames nothing. An id that had to
   * change (`us.anthropic...v1:0`) gets a short hash of the original, so two ids never share a name.
   */
  public static slug(id: string): string {
    const slug = id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'x';
    return slug === id ? slug : `${slug}-${stableHash(id)}`;
  }

  /** A provider (a closed set of values such as `aws.bedrock`) as a name part: `aws-bedrock`. */
  public static providerPart(provider: string): string {
    return provider.toLowerCase().replace(/[^a-z0-9]+/g, '-');
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

  /** The index of the generated runbooks when a base URL is set, else the library's runbook guide. */
  public static runbookIndexUrl(runbookBaseUrl?: string): string {
    return runbookBaseUrl ? `${runbookBaseUrl.replace(/\/+$/, '')}/README.md` : RUNBOOKS;
  }

  /** The library's runbook section for an alarm kind. */
  public static defaultRunbookUrl(kind: string): string {
    return `${RUNBOOKS}#${kind}`;
  }
}

/*
 * The one format of every alarm description: what an on-call engineer reads first, and what the
 * PagerDuty forwarder reads back (owner, runbook and dashboard lines). No aws-cdk-lib here: the
 * forwarder's bundle imports the labels.
 */

/** The labels of the description's lines. */
export const DESCRIPTION_LABELS = {
  FIRES_WHEN: 'Fires when',
  OWNER: 'Owner',
  RUNBOOK: 'Runbook',
  DASHBOARD: 'Dashboard',
} as const;

/** CloudWatch's limit on an alarm description. */
const DESCRIPTION_LIMIT = 1024;

export interface AlarmDescriptionParts {
  /** `P1`, `P2` or `P3`. */
  readonly severity: string;
  /** What it means when it fires, one sentence without its final period. */
  readonly what: string;
  /** When it fires: threshold, periods, guard. */
  readonly condition: string;
  /** Who owns it, without the final period. */
  readonly owner: string;
  readonly runbookUrl: string;
  /** @default - no dashboard line */
  readonly dashboardUrl?: string;
}

/**
 * One screen: severity and what fired, the threshold, the owner, the runbook and the dashboard.
 * Above CloudWatch's 1,024 characters the condition is shortened, never the links (they may hold
 * tokens that must stay whole).
 */
export function describeAlarm(parts: AlarmDescriptionParts): string {
  const L = DESCRIPTION_LABELS;
  const render = (condition: string) => [
    `[${parts.severity}] ${parts.what}.`,
    `${L.FIRES_WHEN}: ${condition}.`,
    `${L.OWNER}: ${parts.owner}.`,
    `${L.RUNBOOK}: ${parts.runbookUrl}`,
    ...(parts.dashboardUrl ? [`${L.DASHBOARD}: ${parts.dashboardUrl}`] : []),
  ].join('\n');
  const text = render(parts.condition);
  const overflow = text.length - DESCRIPTION_LIMIT;
  return overflow <= 0 ? text : render(parts.condition.slice(0, Math.max(0, parts.condition.length - overflow - 3)) + '...');
}

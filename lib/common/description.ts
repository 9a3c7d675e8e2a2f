/*
 * The one format of every alarm description: what an on-call engineer reads first, then the
 * structured metadata line the PagerDuty forwarder reads. No aws-cdk-lib here: the forwarder's
 * bundle imports the labels.
 */
import { AlarmMetadata, encodeAlarmMetadata } from './alarm-metadata';

/** The labels of the description's lines. */
export const DESCRIPTION_LABELS = {
  FIRES_WHEN: 'Fires when',
  OWNER: 'Owner',
  RUNBOOK: 'Runbook',
  DASHBOARD: 'Dashboard',
} as const;

/** CloudWatch's limit on an alarm description. */
export const DESCRIPTION_LIMIT = 1024;

/** Entries of `affects` kept in the metadata line; the rest are counted in a last `+N more` entry. */
export const AFFECTS_LIMIT = 12;
/** Characters of an owner kept in the Owner line and in the metadata line (config allows 2 x 256). */
const OWNER_LIMIT = 160;
/** Characters of one `affects` entry kept (agent and route ids are at most 63 each). */
const AFFECTS_ENTRY_LIMIT = 128;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything that may start a line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Config text on one line: every run of control characters (newlines included) becomes one space.
 * The only place text from a config enters an alarm description, so no value can add a line
 * (a second `Runbook:` the forwarder would send to PagerDuty).
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').trim();
}

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
  /** The structured line for the forwarder, always the last. @default - none */
  readonly metadata?: AlarmMetadata;
}

function shorten(text: string, by: number): string {
  return by <= 0 ? text : text.slice(0, Math.max(0, text.length - by - 3)) + '...';
}

/** The metadata with `affects` bounded: at most AFFECTS_LIMIT entries, the rest counted. */
export function boundedMetadata(metadata: AlarmMetadata): AlarmMetadata {
  const all = (metadata.affects ?? []).map((entry) => entry.slice(0, AFFECTS_ENTRY_LIMIT));
  const affects = all.length <= AFFECTS_LIMIT ? all : [...all.slice(0, AFFECTS_LIMIT - 1), `+${all.length - AFFECTS_LIMIT + 1} more`];
  return {
    ...metadata,
    ...(metadata.owner !== undefined ? { owner: oneLine(metadata.owner).slice(0, OWNER_LIMIT) } : {}),
    ...(affects.length > 0 ? { affects } : {}),
  };
}

/**
 * One screen: severity and what fired, the threshold, the owner, the runbook, the dashboard, and
 * the metadata line last. Every part is put on one line first. Above CloudWatch's 1,024
 * characters the condition is shortened, then what fired; the links and the metadata line are
 * never cut (links may hold tokens that must stay whole). If they alone do not fit, the dashboard
 * line goes (the runbook links it); if even that is too long, the error names the alarm.
 */
export function describeAlarm(parts: AlarmDescriptionParts): string {
  const L = DESCRIPTION_LABELS;
  const what = oneLine(parts.what);
  const condition = oneLine(parts.condition);
  const owner = shorten(oneLine(parts.owner), oneLine(parts.owner).length - OWNER_LIMIT);
  const runbookUrl = oneLine(parts.runbookUrl);
  const dashboardUrl = parts.dashboardUrl ? oneLine(parts.dashboardUrl) : undefined;
  const metadata = parts.metadata ? encodeAlarmMetadata(boundedMetadata(parts.metadata)) : undefined;
  const render = (w: string, c: string, dashboard: boolean) => [
    `[${parts.severity}] ${w}.`,
    `${L.FIRES_WHEN}: ${c}.`,
    `${L.OWNER}: ${owner}.`,
    `${L.RUNBOOK}: ${runbookUrl}`,
    ...(dashboard && dashboardUrl ? [`${L.DASHBOARD}: ${dashboardUrl}`] : []),
    ...(metadata ? [metadata] : []),
  ].join('\n');
  for (const dashboard of [true, false]) {
    let text = render(what, condition, dashboard);
    let overflow = text.length - DESCRIPTION_LIMIT;
    if (overflow <= 0) return text;
    // The condition down to a few characters first, then what fired.
    const conditionCut = Math.min(overflow, Math.max(0, condition.length - 20));
    const shortCondition = shorten(condition, conditionCut);
    text = render(what, shortCondition, dashboard);
    overflow = text.length - DESCRIPTION_LIMIT;
    if (overflow <= 0) return text;
    text = render(shorten(what, Math.min(overflow, Math.max(0, what.length - 20))), shortCondition, dashboard);
    if (text.length <= DESCRIPTION_LIMIT) return text;
  }
  throw new Error(`The description of the alarm "${what}" cannot fit CloudWatch's ${DESCRIPTION_LIMIT} characters: its runbook link `
    + `(${runbookUrl.length} characters) and metadata line are too long; use a shorter runbookBaseUrl or runbookUrl`);
}

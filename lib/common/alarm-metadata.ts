/*
 * What the PagerDuty forwarder needs to know about an alarm, as structured data: one JSON line at
 * the end of the alarm's description, the only text CloudWatch puts in both notification formats
 * (SNS and EventBridge). The alarm factory writes it; the forwarder reads it back and never parses
 * the description's prose. No aws-cdk-lib here: the forwarder's bundle imports this module.
 */
import { Severity } from '../config/types';

/** The line's prefix; a description holds at most one such line, its last. */
export const ALARM_METADATA_PREFIX = 'cdk-ai-ops: ';

/** The version of the line's format; a reader refuses any other. */
export const ALARM_METADATA_VERSION = 1;

export interface AlarmMetadata {
  /** The severity the alarm is routed at. */
  readonly severity: Severity;
  /** The alarm kind (a registry key, e.g. `latency-p95`). */
  readonly kind: string;
  /**
   * What failed, stable across repeats of the same failure (e.g. `model/bedrock/anthropic.claude-sonnet-4-5`,
   * `agent/support-bot`): PagerDuty's dedup key is derived from it, so a repeat appends to the open incident.
   */
  readonly cause: string;
  /** @default - no owner is named */
  readonly owner?: string;
  /** Agents and routes the failure reaches (`agent/route`), for root-cause alarms. @default - none listed */
  readonly affects?: string[];
}

const SEVERITIES: ReadonlySet<string> = new Set(Object.values(Severity));

/** The metadata line. JSON escapes every control character, so no value can add a line. */
export function encodeAlarmMetadata(metadata: AlarmMetadata): string {
  return ALARM_METADATA_PREFIX + JSON.stringify({
    v: ALARM_METADATA_VERSION,
    severity: metadata.severity,
    kind: metadata.kind,
    cause: metadata.cause,
    ...(metadata.owner !== undefined ? { owner: metadata.owner } : {}),
    ...(metadata.affects !== undefined && metadata.affects.length > 0 ? { affects: metadata.affects } : {}),
  });
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The metadata of a description, or undefined when it has none or it is malformed (an alarm this
 * library did not create, a hand-edited description). Never throws, whatever the input.
 */
export function decodeAlarmMetadata(description: unknown): AlarmMetadata | undefined {
  if (typeof description !== 'string') return undefined;
  // The last line, not the last prefix: a value that contains the prefix must not hide the line.
  const text = description.trimEnd();
  const start = text.lastIndexOf('\n') + 1;
  if (!text.startsWith(ALARM_METADATA_PREFIX, start)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start + ALARM_METADATA_PREFIX.length));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const severity = stringField(record.severity);
  const kind = stringField(record.kind);
  const cause = stringField(record.cause);
  if (record.v !== ALARM_METADATA_VERSION || !severity || !SEVERITIES.has(severity) || !kind || !cause) return undefined;
  const owner = stringField(record.owner);
  const affects = Array.isArray(record.affects) ? record.affects.filter((a): a is string => typeof a === 'string' && a.length > 0) : [];
  return {
    severity: severity as Severity,
    kind,
    cause,
    ...(owner ? { owner } : {}),
    ...(affects.length > 0 ? { affects } : {}),
  };
}

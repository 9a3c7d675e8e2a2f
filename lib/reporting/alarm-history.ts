/*
 * Alarm history into the report's alarm episodes: shared by the report function (DescribeAlarms
 * and DescribeAlarmHistory) and the local command (`--alarm-history`, the same API's JSON output).
 */
import { AlarmEpisode, ReportPeriod } from './aggregates';
import { DEFAULT_SEVERITIES, OVERRIDE_OF, SloAlarmKind } from '../common/alarm-kinds';
import { AgentConfig } from '../config/types';

/** One state change of an alarm, from its history. */
export interface AlarmStateChange {
  readonly at: Date;
  readonly oldState: string;
  readonly newState: string;
}

/** An alarm as DescribeAlarms describes it, with its history since the period's start. */
export interface AlarmRecord {
  readonly alarmName: string;
  readonly description?: string;
  /** Its state now. */
  readonly state: string;
  readonly changes: AlarmStateChange[];
}

// Longest first, so `budget-burn-warning` is not read as `budget-burn`.
const KINDS_BY_LENGTH = Object.values(SloAlarmKind).sort((a, b) => b.length - a.length);

/** Kind, agent and route of an alarm named `<client>-[<agent>-[<route>-]]<kind>`, as far as the config tells. */
export function parseAlarmName(alarmName: string, clientId: string, agents: AgentConfig[]): { kind: string; agent?: string; route?: string } {
  const rest = alarmName.startsWith(`${clientId}-`) ? alarmName.slice(clientId.length + 1) : alarmName;
  const kind = KINDS_BY_LENGTH.find((k) => rest === k || rest.endsWith(`-${k}`));
  if (!kind) return { kind: 'unknown' };
  const middle = rest.slice(0, Math.max(0, rest.length - kind.length - 1));
  for (const agent of agents) {
    if (middle === agent.id) return { kind, agent: agent.id };
    const route = agent.routes.find((r) => middle === `${agent.id}-${r.id}`);
    if (route) return { kind, agent: agent.id, route: route.id };
  }
  return { kind };
}

/** The severity the alarm was deployed with: its description's `[Pn]`, else the defaults and route overrides. */
export function severityOf(record: AlarmRecord, parsed: { kind: string; agent?: string; route?: string }, agents: AgentConfig[]): string | undefined {
  const fromDescription = /^\[(P[123])\]/.exec(record.description ?? '');
  if (fromDescription) return fromDescription[1];
  const kind = parsed.kind as SloAlarmKind;
  if (!(kind in DEFAULT_SEVERITIES)) return undefined;
  const override = OVERRIDE_OF[kind];
  const route = agents.find((a) => a.id === parsed.agent)?.routes.find((r) => r.id === parsed.route);
  return (override && route?.slo.severityOverrides?.[override]) || DEFAULT_SEVERITIES[kind];
}

/**
 * The ALARM episodes of a period: each entry into ALARM until the next change out of it, clipped
 * to the period. The state at the period's start is the first change's old state (or, without a
 * change since then, the alarm's state now).
 */
export function alarmEpisodes(record: AlarmRecord, period: ReportPeriod, clientId: string, agents: AgentConfig[]): AlarmEpisode[] {
  const start = Date.parse(period.start);
  const end = Date.parse(period.end);
  const changes = [...record.changes].sort((a, b) => a.at.getTime() - b.at.getTime());
  const parsed = parseAlarmName(record.alarmName, clientId, agents);
  const severity = severityOf(record, parsed, agents);
  const base = {
    alarmName: record.alarmName,
    kind: parsed.kind,
    ...(severity ? { severity } : {}),
    ...(parsed.agent ? { agent: parsed.agent } : {}),
    ...(parsed.route ? { route: parsed.route } : {}),
  };
  const episodes: AlarmEpisode[] = [];
  let inAlarmSince: number | undefined = (changes.length > 0 ? changes[0].oldState : record.state) === 'ALARM' ? start : undefined;
  for (const change of changes) {
    const at = change.at.getTime();
    if (at >= end) break;
    if (change.newState === 'ALARM' && inAlarmSince === undefined) {
      inAlarmSince = Math.max(at, start);
    } else if (change.newState !== 'ALARM' && inAlarmSince !== undefined) {
      if (at > start) episodes.push({ ...base, start: new Date(inAlarmSince).toISOString(), end: new Date(at).toISOString() });
      inAlarmSince = undefined;
    }
  }
  if (inAlarmSince !== undefined) episodes.push({ ...base, start: new Date(inAlarmSince).toISOString() });
  return episodes;
}

/** One item of DescribeAlarmHistory's output (`aws cloudwatch describe-alarm-history --output json`). */
export interface AlarmHistoryItem {
  readonly AlarmName?: string;
  readonly Timestamp?: string | Date;
  readonly HistoryItemType?: string;
  readonly HistoryData?: string;
}

/** Why an alarm-history file cannot be read. */
export class AlarmHistoryError extends Error {}

/**
 * The state changes of each alarm in DescribeAlarmHistory items (StateUpdate items only; others
 * are skipped). An item whose data cannot be read is an error naming it: a silently dropped
 * change would shorten or hide an incident.
 */
export function alarmRecordsFromHistory(items: AlarmHistoryItem[], clientId: string): AlarmRecord[] {
  const byName = new Map<string, AlarmStateChange[]>();
  items.forEach((item, i) => {
    if (item.HistoryItemType !== undefined && item.HistoryItemType !== 'StateUpdate') return;
    if (!item.AlarmName?.startsWith(`${clientId}-`)) return;
    let data: { oldState?: { stateValue?: string }; newState?: { stateValue?: string } };
    try {
      data = JSON.parse(item.HistoryData ?? '');
    } catch {
      throw new AlarmHistoryError(`AlarmHistoryItems[${i}] (${item.AlarmName}): HistoryData is not the JSON DescribeAlarmHistory writes`);
    }
    const at = item.Timestamp instanceof Date ? item.Timestamp : new Date(item.Timestamp ?? '');
    if (Number.isNaN(at.getTime()) || !data.oldState?.stateValue || !data.newState?.stateValue) {
      throw new AlarmHistoryError(`AlarmHistoryItems[${i}] (${item.AlarmName}): needs a Timestamp and HistoryData with oldState and newState`);
    }
    const changes = byName.get(item.AlarmName) ?? [];
    changes.push({ at, oldState: data.oldState.stateValue, newState: data.newState.stateValue });
    byName.set(item.AlarmName, changes);
  });
  // The state now is the last change's: history is all a file holds.
  return [...byName.entries()].map(([alarmName, changes]) => {
    const last = [...changes].sort((a, b) => a.at.getTime() - b.at.getTime()).pop()!;
    return { alarmName, state: last.newState, changes };
  });
}

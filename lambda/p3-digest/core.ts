/*
 * The P3 digest's pure core: alarm history in, one digest out. The period runs from the previous
 * scheduled digest to this one, so consecutive digests neither overlap nor leave gaps.
 */
import { DigestSchedule } from '../../lib/routing/delivery-plan';

const DAY_MS = 24 * 3600 * 1000;
const DIGEST_HOUR_UTC = 9;
/** getUTCDay() of the days the every-two-business-days digest runs: Monday, Wednesday, Friday. */
const TWO_BUSINESS_DAY_RUNS = [1, 3, 5];

/** One state change read from CloudWatch alarm history. */
export interface AlarmTransition {
  readonly alarmName: string;
  readonly timestamp: Date;
  readonly newState: string;
}

export interface DigestEntry {
  readonly alarmName: string;
  /** Times the alarm went into ALARM in the period. */
  readonly count: number;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
}

export interface Digest {
  readonly subject: string;
  readonly message: string;
  readonly entries: DigestEntry[];
}

/** When the period of the digest running at `now` starts: the previous scheduled run. */
export function periodStart(now: Date, schedule: DigestSchedule): Date {
  if (schedule === DigestSchedule.WEEKLY) return new Date(now.getTime() - 7 * DAY_MS);
  for (let daysBack = 1; daysBack <= 7; daysBack++) {
    const day = new Date(now.getTime() - daysBack * DAY_MS);
    if (TWO_BUSINESS_DAY_RUNS.includes(day.getUTCDay())) {
      return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), DIGEST_HOUR_UTC));
    }
  }
  throw new Error('unreachable: a run day falls in every week');
}

/** The digest of a period: each alarm that went into ALARM, how often, first and last seen. */
export function buildDigest(clientId: string, transitions: AlarmTransition[], from: Date, to: Date): Digest {
  const byAlarm = new Map<string, DigestEntry>();
  for (const t of transitions) {
    if (t.newState !== 'ALARM' || t.timestamp < from || t.timestamp >= to) continue;
    const entry = byAlarm.get(t.alarmName);
    byAlarm.set(t.alarmName, entry
      ? {
        alarmName: t.alarmName,
        count: entry.count + 1,
        firstSeen: t.timestamp < entry.firstSeen ? t.timestamp : entry.firstSeen,
        lastSeen: t.timestamp > entry.lastSeen ? t.timestamp : entry.lastSeen,
      }
      : { alarmName: t.alarmName, count: 1, firstSeen: t.timestamp, lastSeen: t.timestamp });
  }
  const entries = [...byAlarm.values()].sort((a, b) => b.count - a.count || a.alarmName.localeCompare(b.alarmName));
  const period = `${from.toISOString().slice(0, 16)}Z to ${to.toISOString().slice(0, 16)}Z`;
  const subject = `[P3] ${clientId}: ${entries.length} alarm${entries.length === 1 ? '' : 's'} fired, ${period}`.slice(0, 100);
  const message = entries.length === 0
    ? `No P3 alarm of ${clientId} went into ALARM from ${period}.`
    : [
      `P3 digest of ${clientId}, ${period}: minor issues, handled in the batch.`,
      '',
      ...entries.map((e) => `- ${e.alarmName}: ${e.count} time${e.count === 1 ? '' : 's'}, first ${e.firstSeen.toISOString()}, last ${e.lastSeen.toISOString()}`),
    ].join('\n');
  return { subject, message, entries };
}

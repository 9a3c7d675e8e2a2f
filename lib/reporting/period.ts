import { ReportPeriod } from './aggregates';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** Thrown for a period id that is neither `YYYY-MM` nor `YYYY-Qn`. */
export class ReportPeriodError extends Error {}

function utc(year: number, monthIndex: number): Date {
  return new Date(Date.UTC(year, monthIndex, 1));
}

function period(kind: ReportPeriod['kind'], id: string, start: Date, end: Date): ReportPeriod {
  return { kind, id, start: start.toISOString(), end: end.toISOString(), days: Math.round((end.getTime() - start.getTime()) / 86_400_000) };
}

function monthId(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `2026-10` (a month) or `2026-Q4` (a quarter). */
export function parsePeriod(id: string): ReportPeriod {
  const month = MONTH.exec(id);
  if (month) {
    const [year, index] = [Number(month[1]), Number(month[2]) - 1];
    return period('month', id, utc(year, index), utc(year, index + 1));
  }
  const quarter = QUARTER.exec(id);
  if (quarter) {
    const [year, index] = [Number(quarter[1]), (Number(quarter[2]) - 1) * 3];
    return period('quarter', id, utc(year, index), utc(year, index + 3));
  }
  throw new ReportPeriodError(`"${id}" is not a period: use a month such as 2026-10 or a quarter such as 2026-Q4`);
}

/** The period of the same kind just before `p`. */
export function previousPeriod(p: ReportPeriod): ReportPeriod {
  const start = new Date(p.start);
  if (p.kind === 'month') return parsePeriod(monthId(utc(start.getUTCFullYear(), start.getUTCMonth() - 1)));
  const prior = utc(start.getUTCFullYear(), start.getUTCMonth() - 3);
  return parsePeriod(`${prior.getUTCFullYear()}-Q${prior.getUTCMonth() / 3 + 1}`);
}

/** The months of a period (one for a month, three for a quarter), in order. */
export function monthsOf(p: ReportPeriod): ReportPeriod[] {
  if (p.kind === 'month') return [p];
  const start = new Date(p.start);
  return [0, 1, 2].map((i) => parsePeriod(monthId(utc(start.getUTCFullYear(), start.getUTCMonth() + i))));
}

/** The month before the one containing `now`: what a scheduled run reports on. */
export function lastFullMonth(now: Date): ReportPeriod {
  return parsePeriod(monthId(utc(now.getUTCFullYear(), now.getUTCMonth() - 1)));
}

/** The UTC days of a period, `YYYY-MM-DD`, in order. */
export function daysOf(p: ReportPeriod): string[] {
  const days: string[] = [];
  for (let t = Date.parse(p.start); t < Date.parse(p.end); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

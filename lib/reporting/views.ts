/*
 * The breakdowns of one period, summed from its daily (day, agent, route, model) rows: by model,
 * agent, route, route and model, and per day.
 */
import { addUsage, DailyUsage, emptyUsage, PeriodAggregates, UsageSums } from './aggregates';

export type Sums = ReturnType<typeof emptyUsage>;

/** `agent/route`, the route's key everywhere in the report. */
export function routeKey(agent: string, route: string): string {
  return `${agent}/${route}`;
}

export interface RouteModelSums extends Sums {
  readonly agent: string;
  readonly route: string;
  readonly model: string;
  readonly provider: string;
}

/** Sums of one period, by every key the report uses. */
export class PeriodViews {
  public readonly total: Sums = emptyUsage();
  public readonly byModel = new Map<string, Sums & { provider: string }>();
  public readonly byAgent = new Map<string, Sums>();
  public readonly byRoute = new Map<string, Sums & { agent: string; route: string }>();
  public readonly byRouteModel = new Map<string, RouteModelSums>();
  /** route key -> day -> sums. */
  public readonly routeDays = new Map<string, Map<string, Sums>>();
  /** agent -> day -> sums. */
  public readonly agentDays = new Map<string, Map<string, Sums>>();
  /** model -> day -> sums. */
  public readonly modelDays = new Map<string, Map<string, Sums>>();
  public readonly totalDays = new Map<string, Sums>();

  public constructor(public readonly aggregates: PeriodAggregates) {
    for (const row of aggregates.daily) this.add(row);
  }

  /** The route's models, most expensive first. */
  public modelsOfRoute(key: string): RouteModelSums[] {
    return [...this.byRouteModel.values()].filter((r) => routeKey(r.agent, r.route) === key).sort((a, b) => b.costUsd - a.costUsd);
  }

  private add(row: DailyUsage): void {
    addUsage(this.total, row);
    addUsage(entry(this.byModel, row.model, () => ({ ...emptyUsage(), provider: row.provider })), row);
    addUsage(entry(this.byAgent, row.agent, emptyUsage), row);
    const key = routeKey(row.agent, row.route);
    addUsage(entry(this.byRoute, key, () => ({ ...emptyUsage(), agent: row.agent, route: row.route })), row);
    addUsage(entry(this.byRouteModel, `${key}\u0000${row.model}`, () => ({
      ...emptyUsage(), agent: row.agent, route: row.route, model: row.model, provider: row.provider,
    })), row);
    addUsage(entry(entry(this.routeDays, key, () => new Map()), row.day, emptyUsage), row);
    addUsage(entry(entry(this.agentDays, row.agent, () => new Map()), row.day, emptyUsage), row);
    addUsage(entry(entry(this.modelDays, row.model, () => new Map()), row.day, emptyUsage), row);
    addUsage(entry(this.totalDays, row.day, emptyUsage), row);
  }
}

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** Input-side tokens: uncached input, cache reads and cache writes (what was sent). */
export function promptTokens(s: UsageSums): number {
  return s.inputTokens + s.cacheReadTokens + s.cacheWriteTokens;
}

/** Cache reads over everything sent, 0 to 1, or null when nothing was sent. */
export function cacheHitRate(s: UsageSums): number | null {
  const prompt = promptTokens(s);
  return prompt === 0 ? null : s.cacheReadTokens / prompt;
}

/** Code-unit order: deterministic, and far cheaper than `localeCompare` when 50,000 tenants tie on cost. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

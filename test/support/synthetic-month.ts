/*
 * A synthetic month of one client's telemetry, hour by hour, served as the alarms read it:
 * steady traffic with a daily rhythm, then the incidents a test asks for.
 */
import { MetricQuery, MetricSource } from '../../lib/governance/backtest';
import { TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';

const M = TelemetryMetrics;
const HOUR = 3600 * 1000;

export interface AgentHour {
  calls: number;
  costUsd: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  sessionSteps: number[];
  sessionToolCalls: number[];
  sessionTokens: number[];
  sessionCostUsd: number[];
}

export interface Hour {
  readonly start: number;
  readonly agents: Record<string, AgentHour>;
  /** Cost by tenant in the hour. */
  readonly tenants: Record<string, number>;
}

interface AgentProfile {
  readonly callsPerHour: number;
  readonly costPerCall: number;
  readonly sessionsPerHour: number;
}

const PROFILES: Record<string, AgentProfile> = {
  'triage': { callsPerHour: 400, costPerCall: 0.005, sessionsPerHour: 0 },
  'answer': { callsPerHour: 300, costPerCall: 0.05, sessionsPerHour: 60 },
  'retrieval': { callsPerHour: 500, costPerCall: 0.004, sessionsPerHour: 0 },
  'qa-review': { callsPerHour: 240, costPerCall: 0.02, sessionsPerHour: 0 },
};
const TENANTS = Array.from({ length: 40 }, (_, i) => `tenant-${i + 1}`);
const TENANT_WEIGHTS = TENANTS.map((_, i) => 1 / (i + 3));
const TENANT_WEIGHT_SUM = TENANT_WEIGHTS.reduce((a, b) => a + b, 0);

/** Deterministic noise in [0, 1). */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/** A steady hour: a daily rhythm (quiet nights, busy afternoons), cache hit rate about 84%. */
function steadyHour(start: number): Hour {
  const hourOfDay = new Date(start).getUTCHours();
  const rhythm = 0.6 + 0.8 * Math.sin((Math.PI * hourOfDay) / 24) ** 2;
  const agents: Record<string, AgentHour> = {};
  let total = 0;
  for (const [agent, profile] of Object.entries(PROFILES)) {
    const calls = Math.round(profile.callsPerHour * rhythm * (0.9 + 0.2 * noise(start / HOUR + agent.length)));
    const sessions = Math.round(profile.sessionsPerHour * rhythm);
    agents[agent] = {
      calls,
      costUsd: calls * profile.costPerCall,
      inputTokens: calls * 1000,
      cacheReadTokens: calls * 8000,
      cacheWriteTokens: calls * 500,
      sessionSteps: Array.from({ length: sessions }, (_, i) => 4 + Math.floor(5 * noise(start + i))),
      sessionToolCalls: Array.from({ length: sessions }, (_, i) => 3 + Math.floor(8 * noise(start + i + 0.5))),
      sessionTokens: Array.from({ length: sessions }, (_, i) => 40_000 + Math.floor(50_000 * noise(start + i + 0.25))),
      sessionCostUsd: Array.from({ length: sessions }, (_, i) => 0.1 + 1.1 * noise(start + i + 0.75)),
    };
    total += agents[agent].costUsd;
  }
  const tenants = Object.fromEntries(TENANTS.map((tenant, i) => [tenant, (total * TENANT_WEIGHTS[i]) / TENANT_WEIGHT_SUM]));
  return { start, agents, tenants };
}

/** The steady month starting at `start` (UTC midnight), `days` long. */
export function steadyMonth(start: number, days: number): Hour[] {
  return Array.from({ length: days * 24 }, (_, h) => steadyHour(start + h * HOUR));
}

/** From `from` for `hours`, the agent's prompt cache misses: cache reads become uncached input, costing 2.5x. */
export function cacheCollapse(month: Hour[], agent: string, from: number, hours: number): void {
  for (const hour of month.filter((h) => h.start >= from && h.start < from + hours * HOUR)) {
    const a = hour.agents[agent];
    const extra = a.costUsd * 1.5;
    a.inputTokens += a.cacheReadTokens - a.calls * 300;
    a.cacheReadTokens = a.calls * 300;
    a.costUsd += extra;
    spreadOverTenants(hour, extra);
  }
}

/** From `from` for `hours`, one tenant's sessions of the agent loop: many steps, tool calls, tokens, dollars. */
export function runawayAgent(month: Hour[], agent: string, tenant: string, from: number, hours: number): void {
  for (const hour of month.filter((h) => h.start >= from && h.start < from + hours * HOUR)) {
    const a = hour.agents[agent];
    const runaway = 20;
    a.sessionSteps.push(...Array(runaway).fill(40));
    a.sessionToolCalls.push(...Array(runaway).fill(60));
    a.sessionTokens.push(...Array(runaway).fill(600_000));
    a.sessionCostUsd.push(...Array(runaway).fill(6));
    a.costUsd += runaway * 6;
    a.calls += runaway * 40;
    hour.tenants[tenant] = (hour.tenants[tenant] ?? 0) + runaway * 6;
  }
}

function spreadOverTenants(hour: Hour, usd: number): void {
  const total = Object.values(hour.tenants).reduce((a, b) => a + b, 0);
  for (const tenant of Object.keys(hour.tenants)) hour.tenants[tenant] += (usd * hour.tenants[tenant]) / total;
}

function statOf(values: number[], stat: string): number | undefined {
  if (values.length === 0) return undefined;
  if (stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'Maximum') return Math.max(...values);
  if (stat === 'Average') return values.reduce((a, b) => a + b, 0) / values.length;
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(stat);
  if (percentile) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((Number(percentile[1]) / 100) * sorted.length) - 1)];
  }
  throw new Error(`statistic ${stat} is not served by the synthetic month`);
}

/** Serves the month's datapoints as CloudWatch would, for the alarms' own queries. */
export function sourceOf(month: Hour[], namespace: string): MetricSource {
  const hoursOf = (periodStart: number, periodSeconds: number) =>
    month.filter((h) => h.start >= periodStart && h.start < periodStart + periodSeconds * 1000);
  const perHour: Record<string, (a: AgentHour) => number> = {
    [M.CALLS.name]: (a) => a.calls,
    [M.COST_USD.name]: (a) => a.costUsd,
    [M.INPUT_TOKENS.name]: (a) => a.inputTokens,
    [M.CACHE_READ_TOKENS.name]: (a) => a.cacheReadTokens,
    [M.CACHE_WRITE_TOKENS.name]: (a) => a.cacheWriteTokens,
  };
  const samples: Record<string, (a: AgentHour) => number[]> = {
    [M.SESSION_STEPS.name]: (a) => a.sessionSteps,
    [M.SESSION_TOOL_CALLS.name]: (a) => a.sessionToolCalls,
    [M.SESSION_TOKENS.name]: (a) => a.sessionTokens,
    [M.SESSION_COST_USD.name]: (a) => a.sessionCostUsd,
  };
  return {
    value(query: MetricQuery, periodStart: number) {
      if (query.namespace !== namespace) throw new Error(`namespace ${query.namespace}`);
      const agentId = query.dimensions[TelemetryFields.AGENT.name];
      const hours = hoursOf(periodStart, query.periodSeconds);
      const agentsOf = (hour: Hour) => (agentId ? [hour.agents[agentId]] : Object.values(hour.agents));
      if (perHour[query.metricName]) {
        if (query.stat !== 'Sum') throw new Error(`${query.metricName}: only Sum is served`);
        const values = hours.flatMap((h) => agentsOf(h).map(perHour[query.metricName]));
        return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
      }
      if (samples[query.metricName]) return statOf(hours.flatMap((h) => agentsOf(h).flatMap(samples[query.metricName])), query.stat);
      throw new Error(`metric ${query.metricName} is not served by the synthetic month`);
    },
    insightRule(_rule: string, metric: string, periodStart: number, periodSeconds: number) {
      const costs = new Map<string, number>();
      for (const hour of hoursOf(periodStart, periodSeconds)) {
        for (const [tenant, usd] of Object.entries(hour.tenants)) costs.set(tenant, (costs.get(tenant) ?? 0) + usd);
      }
      if (costs.size === 0) return undefined;
      if (metric === 'Sum') return [...costs.values()].reduce((a, b) => a + b, 0);
      if (metric === 'MaxContributorValue') return Math.max(...costs.values());
      throw new Error(`insight metric ${metric}`);
    },
  };
}

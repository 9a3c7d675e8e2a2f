/*
 * Two months of the example client's telemetry (September and October 2026), written by the real
 * runtime helper, with a change built in: answer/draft-reply gets 20% more calls a day in October
 * and, from October 12, half its prompt-cache hit rate (80% -> 40%). Every other route is steady.
 * Deterministic: the same options give the same lines.
 */
import { TelemetryContract } from '../../lib/telemetry/contract';
import { AiTelemetry, serializeEmf } from '../../lib/telemetry/runtime';

export const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
export const GPT5_MINI = 'gpt-5-mini';
/** The evaluators of draft-reply's accuracy SLO in clients/example.yaml. */
export const JUDGE = 'grounded-answer-judge';
export const SCHEMA_CHECK = 'reply-schema';

/** One route's steady traffic: calls a day and the tokens of every call. */
interface RouteTraffic {
  readonly agent: string;
  readonly route: string;
  readonly model: string;
  readonly provider: string;
  readonly callsPerDay: number;
  readonly prompt: number;
  readonly output: number;
  readonly latencyMs: number;
  /** Every n-th call is throttled (no tokens). */
  readonly throttleEvery?: number;
}

export const STEADY_ROUTES: RouteTraffic[] = [
  { agent: 'triage', route: 'classify-ticket', model: HAIKU, provider: 'aws.bedrock', callsPerDay: 100, prompt: 1500, output: 50, latencyMs: 600 },
  { agent: 'triage', route: 'detect-language', model: HAIKU, provider: 'aws.bedrock', callsPerDay: 100, prompt: 300, output: 5, latencyMs: 300 },
  { agent: 'answer', route: 'summarize-thread', model: HAIKU, provider: 'aws.bedrock', callsPerDay: 50, prompt: 4000, output: 300, latencyMs: 2000 },
  { agent: 'retrieval', route: 'rewrite-query', model: GPT5_MINI, provider: 'openai', callsPerDay: 150, prompt: 800, output: 60, latencyMs: 500, throttleEvery: 50 },
  { agent: 'retrieval', route: 'rerank', model: GPT5_MINI, provider: 'openai', callsPerDay: 150, prompt: 2000, output: 20, latencyMs: 600 },
  { agent: 'qa-review', route: 'score-reply', model: SONNET, provider: 'aws.bedrock', callsPerDay: 60, prompt: 3000, output: 200, latencyMs: 1800 },
  { agent: 'qa-review', route: 'flag-escalation', model: GPT5_MINI, provider: 'openai', callsPerDay: 60, prompt: 1500, output: 10, latencyMs: 800 },
];

/** The route with the built-in change. */
export const DRAFT_REPLY = {
  agent: 'answer',
  route: 'draft-reply',
  model: SONNET,
  provider: 'aws.bedrock',
  septemberCallsPerDay: 200,
  octoberCallsPerDay: 240,
  prompt: 10_000,
  output: 400,
  latencyMs: 4000,
  hitRateBefore: 0.8,
  hitRateAfter: 0.4,
  changeDay: '2026-10-12',
};

export interface SyntheticOptions {
  /** Multiplies every route's calls a day. @default 1 */
  readonly scale?: number;
  /** Distinct tenants. @default 400 */
  readonly tenants?: number;
  /** First day written. @default 2026-09-01 (September is the previous month of the report). */
  readonly from?: string;
  /** Also write evaluation lines (draft-reply's two evaluators on Sonnet and on a Haiku shadow). @default true */
  readonly evaluations?: boolean;
}

/** A small generator (Park-Miller, arithmetic only): deterministic, so golden numbers never move. */
function random(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const DAY = 86_400_000;
/** Evaluations a day, per evaluator, for each of the two models on draft-reply. */
export const EVALUATIONS_PER_DAY = 20;
const NOVEMBER = Date.UTC(2026, 10, 1);

/**
 * Calls `onLine` with every line, in time order within each day. Returns the number of lines.
 */
export function syntheticTelemetry(onLine: (line: string) => void, options: SyntheticOptions = {}): number {
  const scale = options.scale ?? 1;
  const tenants = options.tenants ?? 400;
  const rand = random(42);
  let lines = 0;
  const namespace = TelemetryContract.DEFAULT_NAMESPACE;
  const first = Date.parse(`${options.from ?? '2026-09-01'}T00:00:00Z`);
  let now = first;
  const telemetry = new AiTelemetry({
    clock: () => now,
    warn: () => undefined,
    write: (line) => {
      lines++;
      onLine(serializeEmf(line, namespace));
    },
  });
  const evaluationCount: Record<string, number> = {};
  // Tenants follow a Pareto-like spread: low ids call far more often.
  const tenantOf = () => `tenant-${Math.floor(tenants * rand() ** 3)}`;

  for (let day = first; day < NOVEMBER; day += DAY) {
    const dayId = new Date(day).toISOString().slice(0, 10);
    const october = dayId >= '2026-10-01';
    const traffic = [...STEADY_ROUTES.map((r) => ({ ...r, hit: 0 })), {
      ...DRAFT_REPLY,
      callsPerDay: october ? DRAFT_REPLY.octoberCallsPerDay : DRAFT_REPLY.septemberCallsPerDay,
      hit: dayId >= DRAFT_REPLY.changeDay ? DRAFT_REPLY.hitRateAfter : DRAFT_REPLY.hitRateBefore,
      throttleEvery: undefined,
    }];
    for (const r of traffic) {
      const calls = Math.round(r.callsPerDay * scale);
      for (let i = 0; i < calls; i++) {
        const timestamp = day + Math.floor((i * DAY) / calls);
        now = timestamp + 1000;
        const throttled = r.throttleEvery !== undefined && i % r.throttleEvery === 0;
        const cacheRead = Math.round(r.prompt * r.hit);
        telemetry.recordAiCall({
          agent: r.agent,
          route: r.route,
          model: r.model,
          provider: r.provider,
          tenant: tenantOf(),
          inputTokens: throttled ? 0 : r.prompt - cacheRead,
          cacheReadTokens: throttled ? 0 : cacheRead,
          outputTokens: throttled ? 0 : r.output,
          latencyMs: Math.round(r.latencyMs * (0.5 + rand())),
          outcome: throttled ? 'throttled' : 'ok',
          timestamp,
        });
      }
    }
    if (options.evaluations ?? true) {
      // Both evaluators of draft-reply's accuracy SLO, on Sonnet (serving) and a Haiku shadow: the
      // judge fails one verdict in 50 on Sonnet and one in 33 on Haiku; the schema check one in 400.
      for (const [model, judgeFailEvery] of [[SONNET, 50], [HAIKU, 33]] as const) {
        for (let i = 0; i < EVALUATIONS_PER_DAY; i++) {
          now = day + i * 3_600_000;
          const n = (evaluationCount[model] = (evaluationCount[model] ?? 0) + 1);
          const call = { agent: DRAFT_REPLY.agent, route: DRAFT_REPLY.route, model, tenant: tenantOf(), evaluatorVersion: '1' };
          telemetry.recordEvaluation({ ...call, evaluator: JUDGE, source: 'judge', passed: n % judgeFailEvery !== 0, score: n % judgeFailEvery !== 0 ? 0.9 : 0.3 });
          telemetry.recordEvaluation({ ...call, evaluator: SCHEMA_CHECK, source: 'assertion', passed: n % 400 !== 0 });
        }
      }
    }
  }
  return lines;
}

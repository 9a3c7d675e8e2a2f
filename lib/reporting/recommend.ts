/*
 * Recommendations with the arithmetic shown: prompt caching, max output tokens, retries, model
 * swaps (backed by accuracy evidence or marked as needing a shadow evaluation) and models
 * reaching their end of life. Every saving is per month, at today's prices.
 */
import { PeriodAggregates, UsageSums } from './aggregates';
import { KindPrices, kindPricesAt, mixedPrices } from './decompose';
import { cents, wilsonLowerBound } from './numbers';
import { Recommendation } from './report-schema';
import { accuracyBarsOf, ConfigRoutes } from './routes';
import { cacheHitRate, compareText, PeriodViews, promptTokens, routeKey } from './views';
import { ClientConfig } from '../config/types';
import { daysUntilEndOfLife, END_OF_LIFE_WARNING_DAYS, endOfLifeOf, isWithinEndOfLifeWindow } from '../pricing/end-of-life';
import { PriceCatalog } from '../pricing/price-catalog';
import { ModelPrice } from '../pricing/types';

export interface RecommendInput {
  readonly now: PeriodViews;
  readonly current: PeriodAggregates;
  readonly catalog: PriceCatalog;
  readonly config?: ClientConfig;
  readonly routes: ConfigRoutes;
  readonly generatedAt: Date;
  /** Months in the period (1, or about 3 for a quarter): savings are per month. */
  readonly months: number;
}

/** Recommendations below this saving a month are not worth a client's attention. */
const MIN_MONTHLY_SAVINGS_USD = 1;
/** Hit rate assumed reachable where the agent sets no cache floor. */
const DEFAULT_TARGET_CACHE_HIT_RATE = 0.5;
/** Providers cache prompts of at least this many tokens (Anthropic's minimum for most models). */
const MIN_CACHEABLE_PROMPT_TOKENS = 1024;
/** A route's output is long-tailed when its p99 is at least this multiple of its p95. */
const LONG_TAIL_RATIO = 2;
const MIN_LONG_TAIL_TOKENS = 1000;
/** Suggested output cap, as a multiple of p95. */
const OUTPUT_CAP_OF_P95 = 1.5;
/** Failed calls' share of a route's spend above which retries deserve a look. */
const FAILED_SHARE = 0.02;

const usd = (v: number) => `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const perM = (perToken: number) => `$${(perToken * 1e6).toLocaleString('en-US', { maximumFractionDigits: 4 })}/M`;
const n = (v: number) => Math.round(v).toLocaleString('en-US');

export function recommend(input: RecommendInput): Recommendation[] {
  const out = [
    ...promptCaching(input), ...outputCaps(input), ...retries(input), ...modelSwaps(input),
  ].filter((r) => r.monthlySavingsUsd >= MIN_MONTHLY_SAVINGS_USD);
  return [...out, ...endOfLife(input)].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || compareText(a.id, b.id));
}

function promptCaching({ now, catalog, routes, generatedAt, months }: RecommendInput): Recommendation[] {
  const recs: Recommendation[] = [];
  for (const [key, s] of now.byRoute) {
    const prices = mixedPrices(now.modelsOfRoute(key), catalog, generatedAt);
    const hit = cacheHitRate(s) ?? 0;
    const perCall = s.calls ? promptTokens(s) / s.calls : 0;
    const floor = routes.get(key)?.agent.promptCacheHitRateFloorPercent;
    const target = floor !== undefined ? floor / 100 : DEFAULT_TARGET_CACHE_HIT_RATE;
    if (prices.cacheRead >= prices.input * 0.5 || perCall < MIN_CACHEABLE_PROMPT_TOKENS || hit >= target) continue;
    const saved = ((target - hit) * promptTokens(s) * (prices.input - prices.cacheRead)) / months;
    const best = bestDailyHitRate(now, key);
    const repeats = [
      ...(s.cacheWriteTokens > 0 ? [`the route wrote ${n(s.cacheWriteTokens)} cache tokens this period`] : []),
      ...(best >= target ? [`it reached ${pct(best)} on its best day`] : []),
    ];
    const evidence = repeats.length
      ? `prompts repeat: ${repeats.join(' and ')}`
      : 'unverified: the route reads nothing like the target from the cache yet; '
        + 'the shared prefix (system prompt, tool definitions) must be marked cacheable';
    recs.push({
      id: `prompt-caching:${key}`,
      kind: 'prompt-caching',
      target: key,
      title: `Raise ${key}'s prompt-cache hit rate from ${pct(hit)} to ${pct(target)}`,
      monthlySavingsUsd: cents(saved),
      arithmetic: `(${pct(target)} - ${pct(hit)}) x ${n(promptTokens(s) / months)} input-side tokens a month`
        + ` x (${perM(prices.input)} input - ${perM(prices.cacheRead)} cache read) = ${usd(saved)} a month;`
        + ` ${n(perCall)} tokens a call are above the ${MIN_CACHEABLE_PROMPT_TOKENS}-token caching minimum; cache writes not counted`,
      evidence,
    });
  }
  return recs;
}

function bestDailyHitRate(now: PeriodViews, key: string): number {
  let best = 0;
  for (const s of now.routeDays.get(key)?.values() ?? []) if (s.calls >= 10) best = Math.max(best, cacheHitRate(s) ?? 0);
  return best;
}

function outputCaps({ now, current, catalog, generatedAt, months }: RecommendInput): Recommendation[] {
  const recs: Recommendation[] = [];
  for (const d of current.distributions) {
    const key = routeKey(d.agent, d.route);
    if (d.outputTokensP99 < MIN_LONG_TAIL_TOKENS || d.outputTokensP99 < LONG_TAIL_RATIO * d.outputTokensP95) continue;
    const cap = Math.ceil(d.outputTokensP95 * OUTPUT_CAP_OF_P95);
    const prices = mixedPrices(now.modelsOfRoute(key), catalog, generatedAt);
    // Every call above p99 carries at least p99 tokens, so capping at `cap` trims at least p99 - cap from each.
    const saved = (0.01 * d.calls * (d.outputTokensP99 - cap) * prices.output) / months;
    recs.push({
      id: `max-output-tokens:${key}`,
      kind: 'max-output-tokens',
      target: key,
      title: `Cap ${key}'s output at about ${n(cap)} tokens (its p99 is ${(d.outputTokensP99 / d.outputTokensP95).toFixed(1)}x its p95)`,
      monthlySavingsUsd: cents(saved),
      arithmetic: `at least 1% of ${n(d.calls / months)} calls a month x (${n(d.outputTokensP99)} p99 - ${n(cap)} cap) tokens`
        + ` x ${perM(prices.output)} output = ${usd(saved)} a month (a lower bound: the longest answer was ${n(d.outputTokensMax)} tokens)`,
      evidence: `output tokens p50 ${n(d.outputTokensP50)}, p95 ${n(d.outputTokensP95)}, p99 ${n(d.outputTokensP99)},`
        + ` max ${n(d.outputTokensMax)}; check the longest answers before capping`,
    });
  }
  return recs;
}

function retries({ now, months }: RecommendInput): Recommendation[] {
  const recs: Recommendation[] = [];
  for (const [key, s] of now.byRoute) {
    if (s.costUsd === 0 || s.failedCostUsd / s.costUsd < FAILED_SHARE) continue;
    const failed = s.modelErrors + s.appErrors + s.throttles;
    const saved = s.failedCostUsd / months;
    recs.push({
      id: `retry-tuning:${key}`,
      kind: 'retry-tuning',
      target: key,
      title: `Stop paying for ${key}'s failed calls (${((s.failedCostUsd / s.costUsd) * 100).toFixed(1)}% of its spend)`,
      monthlySavingsUsd: cents(saved),
      arithmetic: `${n(failed / months)} failed calls a month (${n(s.modelErrors / months)} model errors,`
        + ` ${n(s.appErrors / months)} application errors, ${n(s.throttles / months)} throttles) spent ${usd(saved)};`
        + ' failing fast, capping retries and backing off on throttles saves up to that',
      evidence: 'recorded cost of calls whose outcome was not ok',
    });
  }
  return recs;
}

/** The newest price entry of each model in the catalog. */
function latestPrices(catalog: PriceCatalog): ModelPrice[] {
  return catalog.modelIds().map((id) => catalog.latest(id)!).filter(Boolean);
}

function costAt(s: UsageSums, p: KindPrices): number {
  return s.inputTokens * p.input + s.outputTokens * p.output + s.cacheReadTokens * p.cacheRead + s.cacheWriteTokens * p.cacheWrite;
}

function modelSwaps({ now, current, catalog, routes, generatedAt, months }: RecommendInput): Recommendation[] {
  const recs: Recommendation[] = [];
  for (const [key, { route }] of routes.size ? routes : new Map([...now.byRoute.keys()].map((k) => [k, { route: undefined }] as const))) {
    for (const used of now.modelsOfRoute(key)) {
      const price = catalog.latest(used.model);
      const ownPrices = kindPricesAt(catalog, used.model, generatedAt);
      if (!price || !ownPrices) continue;
      // Both sides at today's prices for the same tokens, so only the price differs.
      const currentCost = costAt(used, ownPrices);
      const candidates = latestPrices(catalog)
        // A model whose retirement is announced is never a swap target, however far off the date.
        .filter((c) => c.vendor === price.vendor && c.modelId !== price.modelId && c.deprecationDate === undefined)
        .filter((c) => PriceCatalog.providersOf(c.vendor).includes(used.provider as never))
        .map((c) => {
          const prices = kindPricesAt(catalog, c.modelId, generatedAt)!;
          const projected = costAt(used, prices);
          return { c, projected, saved: (currentCost - projected) / months, evidence: swapEvidence(current, key, route, c.modelId) };
        })
        .filter((x) => x.saved > 0 && x.saved >= 0.05 * (currentCost / months));
      // Prefer what the evidence backs; otherwise the closest cheaper model (the smallest saving is the smallest step down).
      const backed = candidates.filter((x) => x.evidence.backed).sort((a, b) => b.saved - a.saved)[0];
      const choice = backed ?? candidates.sort((a, b) => a.saved - b.saved)[0];
      if (!choice) continue;
      // Name the candidate by the id the client already calls it with, where it does.
      const shownId = now.byModel.has(choice.c.modelId)
        ? choice.c.modelId
        : [...now.byModel.keys()].find((m) => PriceCatalog.canonicalModelId(m) === choice.c.modelId) ?? choice.c.modelId;
      const candidatePrices = kindPricesAt(catalog, choice.c.modelId, generatedAt)!;
      recs.push({
        id: `model-swap:${key}:${used.model}`,
        kind: 'model-swap',
        target: key,
        title: `Serve ${key} with ${choice.c.displayName} (${shownId}) instead of ${price.displayName}`,
        monthlySavingsUsd: cents(choice.saved),
        arithmetic: `${n(used.calls / months)} calls a month on ${used.model} cost ${usd(currentCost / months)} at its prices;`
          + ` the same tokens at ${choice.c.displayName}'s prices (${perM(candidatePrices.input)} input, ${perM(candidatePrices.output)} output)`
          + ` cost ${usd(choice.projected / months)}: ${usd(choice.saved)} a month`,
        evidence: choice.evidence.text,
      });
    }
  }
  return recs;
}

/** Whether the route's recorded accuracy of `candidate` meets every bar of the route. */
function swapEvidence(
  current: PeriodAggregates, key: string, route: Parameters<typeof accuracyBarsOf>[0], candidate: string,
): { backed: boolean; text: string } {
  const { bars, minScoredCalls } = accuracyBarsOf(route);
  if (bars.length === 0) return { backed: false, text: 'candidate: needs a shadow evaluation (the route has no accuracy bar in its config)' };
  const rows = current.evaluations.filter((e) => routeKey(e.agent, e.route) === key && PriceCatalog.canonicalModelId(e.model) === candidate);
  const findings: string[] = [];
  let backed = true;
  for (const bar of bars) {
    const of = rows.filter((e) => e.evaluator === bar.id);
    const verdicts = of.reduce((s, e) => s + e.verdicts, 0);
    const wv = of.reduce((s, e) => s + e.weightedVerdicts, 0);
    const wp = of.reduce((s, e) => s + e.weightedPasses, 0);
    const scores = of.reduce((s, e) => s + e.scores, 0);
    const ws = of.reduce((s, e) => s + e.weightedScoreSum, 0);
    const ww = of.reduce((s, e) => s + e.weightedScoreWeight, 0);
    if (verdicts + scores < minScoredCalls) {
      backed = false;
      findings.push(`${bar.id}: ${verdicts + scores} scored calls of ${candidate}, fewer than the ${minScoredCalls} needed`);
      continue;
    }
    if (bar.minPassRatePercent !== undefined) {
      const rate = wv ? wp / wv : 0;
      const lower = wilsonLowerBound(rate, verdicts) * 100;
      const ok = lower >= bar.minPassRatePercent;
      backed &&= ok;
      findings.push(`${bar.id}: pass rate ${(rate * 100).toFixed(1)}% (one-sided 95% lower bound ${lower.toFixed(1)}%)`
        + ` ${ok ? '>=' : '<'} ${bar.minPassRatePercent}% bar over ${verdicts} scored calls`);
    }
    if (bar.minMeanScore !== undefined) {
      const mean = ww ? ws / ww : 0;
      const ok = mean >= bar.minMeanScore;
      backed &&= ok;
      findings.push(`${bar.id}: mean score ${mean.toFixed(3)} ${ok ? '>=' : '<'} ${bar.minMeanScore} bar over ${scores} scored calls`);
    }
  }
  return { backed, text: `${backed ? 'backed by evaluation' : 'candidate: needs a shadow evaluation'}: ${findings.join('; ')}` };
}

function endOfLife({ now, catalog, generatedAt, months }: RecommendInput): Recommendation[] {
  const recs: Recommendation[] = [];
  for (const [model, used] of now.byModel) {
    const eol = endOfLifeOf(catalog, model);
    if (!eol || !isWithinEndOfLifeWindow(eol, generatedAt)) continue;
    const { model: price, successor } = eol;
    const days = daysUntilEndOfLife(eol, generatedAt);
    const ownPrices = kindPricesAt(catalog, model, generatedAt);
    const successorPrices = successor ? kindPricesAt(catalog, successor.modelId, generatedAt) : undefined;
    let move = '; the price catalog suggests no successor (the vendor\'s recommendation, in the note below, is not priced in it yet)';
    if (successor && ownPrices && successorPrices) {
      // The period's own tokens at both models' prices of today: only the price differs.
      const delta = (costAt(used, successorPrices) - costAt(used, ownPrices)) / months;
      move = `; suggested successor ${successor.displayName} (${successor.modelId}: ${perM(successorPrices.input)} input,`
        + ` ${perM(successorPrices.output)} output against ${perM(ownPrices.input)} and ${perM(ownPrices.output)}):`
        + ` the same tokens would cost ${delta === 0 ? 'the same' : `${usd(Math.abs(delta))} a month ${delta > 0 ? 'more' : 'less'}`}`;
    }
    recs.push({
      id: `model-end-of-life:${model}`,
      kind: 'model-end-of-life',
      target: model,
      title: `${price.displayName} (${model}) ${days >= 0 ? `reaches its end of life in ${days} days (${eol.date})` : `reached its end of life on ${eol.date}`}`
        + (successor ? `: move to ${successor.displayName} (${successor.modelId})` : ''),
      monthlySavingsUsd: 0,
      arithmetic: `${n(used.calls / months)} calls a month depend on it${move}`,
      evidence: `price catalog: ${price.deprecationNote ?? `retirement date ${eol.date}`}; listed within ${END_OF_LIFE_WARNING_DAYS} days of the date`
        + ' (the model-end-of-life alarm uses the same window); roll the successor out as a governed rollout, shadow first, before the date',
    });
  }
  return recs;
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/*
 * Why spend moved: a route's change in cost split into volume, tokens per call, cache hit rate,
 * and price or model mix, by sequential substitution at the previous period's prices:
 *
 *   volume         = (N1 - N0) * C0/N0
 *   tokensPerCall  = N1 * ((s1 - s0) * u(h0, w0) + (o1 - o0) * p_out)
 *   cacheHitRate   = N1 * s1 * (u(h1, w1) - u(h0, w0))
 *   priceOrModelMix = the rest: (C1 - C0) - the three above
 *
 * N calls, s input-side tokens per call (uncached + cache read + cache write), o output tokens
 * per call, h and w the shares of cache reads and cache writes in s, u(h, w) the price of one
 * input-side token at that mix: (1 - h - w) p_in + h p_read + w p_write. The parts add up to the
 * change exactly; interactions fall on the later factor (e.g. more calls at a lower hit rate
 * count under the hit rate). Prices are the previous period's, mixed over the route's models by
 * token kind, so a swap to another model lands in the last part.
 */
import { UsageSums } from './aggregates';
import { cacheHitRate, promptTokens, RouteModelSums } from './views';
import { PriceCatalog } from '../pricing/price-catalog';

/** USD per token of each kind. */
export interface KindPrices {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

export type MovementFactor = 'volume' | 'tokensPerCall' | 'cacheHitRate' | 'priceOrModelMix';

export interface FactorPart {
  readonly factor: MovementFactor;
  readonly usd: number;
  readonly from: number | null;
  readonly to: number | null;
}

/** A model's price of one token of each kind on a date, client overrides applied; undefined when unpriced. */
export function kindPricesAt(catalog: PriceCatalog, modelId: string, at: Date): KindPrices | undefined {
  const none = { modelId, timestamp: at, inputTokens: 0, outputTokens: 0 };
  const input = catalog.costOf({ ...none, inputTokens: 1 });
  if (!input.priced) return undefined;
  return {
    input: input.costUsd,
    output: catalog.costOf({ ...none, outputTokens: 1 }).costUsd,
    cacheRead: catalog.costOf({ ...none, cacheReadTokens: 1 }).costUsd,
    cacheWrite: catalog.costOf({ ...none, cacheWriteTokens: 1 }).costUsd,
  };
}

/** The route's price per token kind, mixed over its models by each kind's tokens (by calls where a kind has none). */
export function mixedPrices(models: RouteModelSums[], catalog: PriceCatalog, at: Date): KindPrices {
  const priced = models
    .map((m) => ({ m, p: kindPricesAt(catalog, m.model, at) }))
    .filter((x): x is { m: RouteModelSums; p: KindPrices } => x.p !== undefined);
  const mix = (kind: keyof KindPrices, tokens: (s: UsageSums) => number): number => {
    const weight = priced.reduce((s, x) => s + tokens(x.m), 0);
    if (weight > 0) return priced.reduce((s, x) => s + tokens(x.m) * x.p[kind], 0) / weight;
    const calls = priced.reduce((s, x) => s + x.m.calls, 0);
    return calls > 0 ? priced.reduce((s, x) => s + x.m.calls * x.p[kind], 0) / calls : 0;
  };
  return {
    input: mix('input', (s) => s.inputTokens),
    output: mix('output', (s) => s.outputTokens),
    cacheRead: mix('cacheRead', (s) => s.cacheReadTokens),
    cacheWrite: mix('cacheWrite', (s) => s.cacheWriteTokens),
  };
}

interface Shape {
  readonly calls: number;
  /** Input-side tokens per call. */
  readonly prompt: number;
  readonly output: number;
  readonly hit: number;
  readonly write: number;
}

function shapeOf(s: UsageSums): Shape {
  const prompt = promptTokens(s);
  return {
    calls: s.calls,
    prompt: s.calls ? prompt / s.calls : 0,
    output: s.calls ? s.outputTokens / s.calls : 0,
    hit: prompt ? s.cacheReadTokens / prompt : 0,
    write: prompt ? s.cacheWriteTokens / prompt : 0,
  };
}

function unitPrice(hit: number, write: number, p: KindPrices): number {
  return (1 - hit - write) * p.input + hit * p.cacheRead + write * p.cacheWrite;
}

/** The four parts of a route's (or any slice's) change in cost; they add up to `current.costUsd - previous.costUsd`. */
export function decompose(previous: UsageSums, current: UsageSums, prices: KindPrices): FactorPart[] {
  const [a, b] = [shapeOf(previous), shapeOf(current)];
  const change = current.costUsd - previous.costUsd;
  const perCall0 = a.calls ? previous.costUsd / a.calls : 0;
  // A route that is new, or gone, moved by volume alone.
  if (a.calls === 0 || b.calls === 0) {
    return [
      { factor: 'volume', usd: change, from: a.calls, to: b.calls },
      { factor: 'tokensPerCall', usd: 0, from: null, to: null },
      { factor: 'cacheHitRate', usd: 0, from: rate(previous), to: rate(current) },
      { factor: 'priceOrModelMix', usd: 0, from: null, to: null },
    ];
  }
  const volume = (b.calls - a.calls) * perCall0;
  const tokens = b.calls * ((b.prompt - a.prompt) * unitPrice(a.hit, a.write, prices) + (b.output - a.output) * prices.output);
  const cache = b.calls * b.prompt * (unitPrice(b.hit, b.write, prices) - unitPrice(a.hit, a.write, prices));
  return [
    { factor: 'volume', usd: volume, from: a.calls, to: b.calls },
    { factor: 'tokensPerCall', usd: tokens, from: a.prompt + a.output, to: b.prompt + b.output },
    { factor: 'cacheHitRate', usd: cache, from: rate(previous), to: rate(current) },
    { factor: 'priceOrModelMix', usd: change - volume - tokens - cache, from: perCall0, to: current.costUsd / b.calls },
  ];
}

function rate(s: UsageSums): number | null {
  const r = cacheHitRate(s);
  return r === null ? null : r * 100;
}

import { appendFileSync, mkdirSync } from 'fs';
import { join } from 'path';
import { Variant, VariantChoice, VariantRole } from './types';
import { PriceCatalog } from '../../pricing/price-catalog';

/** What the caller reads off one model call's result. */
export interface CallMeasure {
  /** Uncached input tokens. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
  /** The call's cost when the caller has it (e.g. from the telemetry record); default: priced from the catalog. */
  readonly costUsd?: number;
  /** What the evaluators score and the output facts describe: the text, or the parsed object. */
  readonly output?: unknown;
  /** More facts about the output for the comparison (e.g. `refusal`, `schemaValid`). */
  readonly facts?: { readonly [name: string]: number | boolean | string };
}

/** Scores one output: a verdict (boolean) or a score between 0 and 1. May be async; a failure is recorded as no score. */
export type ShadowEvaluator = (output: unknown) => number | boolean | Promise<number | boolean>;

/** One side of a shadow pair: one JSON line. Lines of the same request share `pairId`. */
export interface ShadowLine {
  readonly pairId: string;
  readonly role: VariantRole;
  readonly variant: string;
  readonly model: string;
  readonly promptVersion: string;
  readonly agent: string;
  readonly route: string;
  /** ISO 8601, when the call started. */
  readonly timestamp: string;
  readonly outcome: 'ok' | 'error';
  readonly latencyMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** False when neither the caller nor the price catalog priced the call (cost 0). */
  readonly priced: boolean;
  /** By evaluator id. An evaluator that failed is absent. */
  readonly scores: { readonly [evaluator: string]: number | boolean };
  /**
   * The output's format facts, as `cdk-ai-ops compare` reads them: `length` (characters of the
   * output as text), `jsonValid` (the text parses as JSON), and the caller's facts (`schemaValid`, `refusal`).
   */
  readonly format: { readonly [fact: string]: number | boolean | string };
}

/** Today's extra spend on shadow calls. In one process by default; share one across instances for a fleet-wide cap. */
export interface SpendLedger {
  /** Reserves `usd` on `day` if that keeps the day within `capUsd`; false refuses the shadow call. */
  reserve(day: string, usd: number, capUsd: number): boolean;
  /** Replaces a reservation with what the call really cost. */
  settle(day: string, reservedUsd: number, actualUsd: number): void;
  /** Spent and reserved on `day`. */
  committed(day: string): number;
}

/** A ledger in this process's memory: a day's entry starts at 0 and older days are forgotten. */
export class InMemorySpendLedger implements SpendLedger {
  private day = '';
  private total = 0;

  public reserve(day: string, usd: number, capUsd: number): boolean {
    this.roll(day);
    if (this.total >= capUsd || this.total + usd > capUsd) return false;
    this.total += usd;
    return true;
  }

  public settle(day: string, reservedUsd: number, actualUsd: number): void {
    if (day !== this.day) return;
    this.total += actualUsd - reservedUsd;
  }

  public committed(day: string): number {
    this.roll(day);
    return this.total;
  }

  private roll(day: string): void {
    if (day !== this.day) {
      this.day = day;
      this.total = 0;
    }
  }
}

export interface ShadowRunnerOptions {
  /** Extra spend allowed on shadow calls per UTC day, in US dollars. */
  readonly dailyBudgetUsd: number;
  /** Receives each line (e.g. `jsonLinesFileSink(dir)`). A failing sink is warned about, never thrown. */
  readonly sink: (line: ShadowLine) => void;
  /** Evaluators run on both outputs, by evaluator id (the accuracy SLO's `evaluators[].id`). Default: none. */
  readonly evaluators?: { readonly [evaluator: string]: ShadowEvaluator };
  /** Prices calls the caller did not cost. Default: the built-in catalog. */
  readonly priceCatalog?: PriceCatalog;
  /** Default: an `InMemorySpendLedger`. */
  readonly ledger?: SpendLedger;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
  /** Default `console.warn`. */
  readonly warn?: (message: string) => void;
}

/** Which request a shadow pair belongs to. */
/** Makes the call on a variant. */
export type InvokeVariant<T> = (variant: Variant) => Promise<T>;
/** Reads tokens, cost and output off a result. */
export type MeasureResult<T> = (result: T) => CallMeasure;

export interface ShadowRequest {
  readonly agent: string;
  readonly route: string;
  /** Pairs the two lines; the request id of the user's call. */
  readonly requestId: string;
}

interface Side {
  readonly variant: Variant;
  readonly role: VariantRole;
  readonly startedAt: number;
  readonly done: Promise<{ result?: unknown; error?: unknown; endedAt: number }>;
}

/**
 * Runs the user's call on the chosen variant and, when the choice carries a shadow, the candidate too in
 * the background: the user's result is returned (or its error thrown) as soon as it is there, untouched.
 * A shadow call is made only when the day's ledger has room for it, estimated at the dearest shadow call seen.
 */
export class ShadowRunner {
  private readonly catalog: PriceCatalog;
  private readonly ledger: SpendLedger;
  private readonly clock: () => number;
  private readonly warnFn: (message: string) => void;
  private readonly inFlight = new Set<Promise<void>>();
  private dearestShadowUsd = 0;
  private skippedForBudget = 0;

  public constructor(private readonly options: ShadowRunnerOptions) {
    this.catalog = options.priceCatalog ?? PriceCatalog.builtIn();
    this.ledger = options.ledger ?? new InMemorySpendLedger();
    this.clock = options.clock ?? Date.now;
    this.warnFn = options.warn ?? ((message) => console.warn(message));
  }

  /** Calls `invoke(choice.variant)` for the user; shadows the candidate when the choice says so and the budget allows. */
  public async run<T>(choice: VariantChoice, request: ShadowRequest, invoke: InvokeVariant<T>, measure: MeasureResult<T>): Promise<T> {
    const primary = this.start(choice.variant, choice.role, invoke);
    if (choice.shadow) {
      this.shadow(choice.shadow, primary, request, invoke, measure);
    }
    const outcome = await primary.done;
    if ('error' in outcome) throw outcome.error;
    return outcome.result as T;
  }

  /** Resolves when every shadow pair under way is written (call it after the response is sent, e.g. before a Lambda handler returns). */
  public async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Shadow calls refused since the start because the day's budget had no room. */
  public get budgetRefusals(): number {
    return this.skippedForBudget;
  }

  private shadow<T>(candidate: Variant, primary: Side, request: ShadowRequest, invoke: InvokeVariant<T>, measure: MeasureResult<T>): void {
    const day = new Date(this.clock()).toISOString().slice(0, 10);
    const estimate = this.dearestShadowUsd;
    // Until one shadow call has cost something there is no estimate: one at a time, so the cap is not overrun by a burst.
    const unknownCostInFlight = estimate === 0 && this.inFlight.size > 0;
    if (unknownCostInFlight || !this.ledger.reserve(day, estimate, this.options.dailyBudgetUsd)) {
      this.skippedForBudget++;
      return;
    }
    const work = new Promise<void>((resolve) => {
      // The candidate starts on the next turn of the event loop, after the user's call is under way.
      setImmediate(() => {
        const shadow = this.start(candidate, 'candidate', invoke);
        this.record(primary, shadow, request, measure, day, estimate).catch((error) => this.warn(`cdk-ai-ops shadow: recording pair ${request.requestId} failed: ${describe(error)}`)).finally(resolve);
      });
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private start<T>(variant: Variant, role: VariantRole, invoke: InvokeVariant<T>): Side {
    const startedAt = this.clock();
    const done = (async () => {
      try {
        const result = await invoke(variant);
        return { result, endedAt: this.clock() };
      } catch (error) {
        return { error, endedAt: this.clock() };
      }
    })();
    return { variant, role, startedAt, done };
  }

  private async record<T>(
    primary: Side, shadow: Side, request: ShadowRequest, measure: MeasureResult<T>, day: string, reservedUsd: number,
  ): Promise<void> {
    const lines = await Promise.all([primary, shadow].map((side) => this.lineOf(side, request, measure)));
    const shadowCost = lines[1].costUsd;
    this.ledger.settle(day, reservedUsd, shadowCost);
    this.dearestShadowUsd = Math.max(this.dearestShadowUsd, shadowCost);
    for (const line of lines) {
      try {
        this.options.sink(line);
      } catch (error) {
        this.warn(`cdk-ai-ops shadow: the sink refused a line of pair ${request.requestId}: ${describe(error)}`);
      }
    }
  }

  private async lineOf<T>(side: Side, request: ShadowRequest, measure: MeasureResult<T>): Promise<ShadowLine> {
    const outcome = await side.done;
    let measured: CallMeasure | undefined;
    if (!('error' in outcome)) {
      try {
        measured = measure(outcome.result as T);
      } catch (error) {
        this.warn(`cdk-ai-ops shadow: measuring the ${side.role} result of ${request.requestId} failed: ${describe(error)}`);
      }
    }
    const inputTokens = finiteOrZero(measured?.inputTokens);
    const outputTokens = finiteOrZero(measured?.outputTokens);
    const cost = this.costOf(side, measured, inputTokens, outputTokens);
    return {
      pairId: request.requestId,
      role: side.role,
      variant: side.variant.id,
      model: side.variant.model,
      promptVersion: side.variant.promptVersion,
      agent: request.agent,
      route: request.route,
      timestamp: new Date(side.startedAt).toISOString(),
      outcome: measured ? 'ok' : 'error',
      latencyMs: Math.max(0, outcome.endedAt - side.startedAt),
      inputTokens,
      outputTokens,
      costUsd: cost.costUsd,
      priced: cost.priced,
      scores: measured ? await this.score(measured.output) : {},
      format: measured ? { ...(measured.facts ?? {}), ...formatFacts(measured.output) } : {},
    };
  }

  private costOf(side: Side, measured: CallMeasure | undefined, inputTokens: number, outputTokens: number): { costUsd: number; priced: boolean } {
    if (!measured) return { costUsd: 0, priced: false };
    if (typeof measured.costUsd === 'number' && Number.isFinite(measured.costUsd) && measured.costUsd >= 0) {
      return { costUsd: measured.costUsd, priced: true };
    }
    const cost = this.catalog.costOf({
      modelId: side.variant.model,
      timestamp: new Date(side.startedAt),
      inputTokens,
      outputTokens,
      cacheReadTokens: finiteOrZero(measured.cacheReadTokens),
      cacheWriteTokens: finiteOrZero(measured.cacheWriteTokens),
    });
    return { costUsd: cost.costUsd, priced: cost.priced };
  }

  private async score(output: unknown): Promise<{ [evaluator: string]: number | boolean }> {
    const scores: { [evaluator: string]: number | boolean } = {};
    for (const [id, evaluate] of Object.entries(this.options.evaluators ?? {})) {
      try {
        const value = await evaluate(output);
        if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) scores[id] = value;
      } catch (error) {
        this.warn(`cdk-ai-ops shadow: evaluator ${id} failed: ${describe(error)}`);
      }
    }
    return scores;
  }

  private warn(message: string): void {
    try {
      this.warnFn(message);
    } catch {
      // A failing logger must not fail the background work.
    }
  }
}

/**
 * A sink appending each line to `<directory>/baseline.jsonl` or `<directory>/candidate.jsonl`: the two files
 * `cdk-ai-ops compare --baseline --candidate` reads.
 */
export function jsonLinesFileSink(directory: string): (line: ShadowLine) => void {
  mkdirSync(directory, { recursive: true });
  return (line) => appendFileSync(join(directory, `${line.role}.jsonl`), `${JSON.stringify(line)}\n`);
}

function formatFacts(output: unknown): { length: number; jsonValid: boolean } {
  if (typeof output !== 'string') {
    let text: string | undefined;
    try {
      text = JSON.stringify(output);
    } catch {
      text = undefined;
    }
    return { length: text?.length ?? 0, jsonValid: text !== undefined && output !== undefined };
  }
  let jsonValid = true;
  try {
    JSON.parse(output);
  } catch {
    jsonValid = false;
  }
  return { length: output.length, jsonValid };
}

function finiteOrZero(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

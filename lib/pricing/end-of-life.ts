import { PriceCatalog } from './price-catalog';
import { ModelPrice } from './types';

/**
 * A model in use this many days or fewer before its end of life raises the `model-end-of-life` P3
 * alarm and appears in the monthly report: the one window both read.
 */
export const END_OF_LIFE_WARNING_DAYS = 60;

const DAY_MS = 86_400_000;

/** A model's announced end of life, as the alarm and the report read it. */
export interface ModelEndOfLife {
  /** The catalog entry of the retiring model (its newest price). */
  readonly model: ModelPrice;
  /** The retirement day, YYYY-MM-DD (UTC). */
  readonly date: string;
  /** The retirement day's first second, epoch seconds: what the alarm's metric math counts down to. */
  readonly epochSeconds: number;
  /**
   * The catalog's suggested successor, when it names one the catalog prices.
   * @default - none suggested
   */
  readonly successor?: ModelPrice;
}

/**
 * The end of life of a model id as the client calls it (Bedrock ids and dated snapshots resolve like
 * prices do), or undefined for a model the catalog does not know or whose vendor announced no date.
 */
export function endOfLifeOf(catalog: PriceCatalog, modelId: string): ModelEndOfLife | undefined {
  const model = catalog.latest(modelId);
  if (model?.deprecationDate === undefined) return undefined;
  const successor = model.successor === undefined ? undefined : catalog.latest(model.successor);
  return { model, date: model.deprecationDate, epochSeconds: Date.parse(model.deprecationDate) / 1000, successor };
}

/** Whole days from `at` to the end of life (negative once it has passed), rounded up as the report states them. */
export function daysUntilEndOfLife(endOfLife: ModelEndOfLife, at: Date): number {
  return Math.ceil((endOfLife.epochSeconds * 1000 - at.getTime()) / DAY_MS);
}

/** Whether the end of life is within the warning window of `at` (or already past). */
export function isWithinEndOfLifeWindow(endOfLife: ModelEndOfLife, at: Date): boolean {
  return endOfLife.epochSeconds * 1000 - at.getTime() < END_OF_LIFE_WARNING_DAYS * DAY_MS;
}

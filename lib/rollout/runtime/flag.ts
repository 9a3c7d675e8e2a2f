import { createHash } from 'crypto';
import { InferenceParams, Variant } from './types';

/**
 * The flag key inside each route's AppConfig feature-flag profile. AppConfig returns a feature-flag
 * profile as `{ "<flag key>": { "enabled": bool, "<attribute>": value, ... } }`, and attribute values
 * are scalars or arrays, never objects: so each variant is a set of prefixed attributes.
 */
export const ROLLOUT_FLAG_KEY = 'variant';

/** Attribute names of the route flag (written by the rollout's deployments, read here). */
export const FLAG_ATTRIBUTES = {
  /** Percent (0-100) of keys the candidate serves. */
  CANDIDATE_PERCENT: 'candidatePercent',
  /** Percent (0-100) of baseline-served requests that also call the candidate in the background. */
  SHADOW_PERCENT: 'shadowPercent',
} as const;

/** Per-variant attributes, each prefixed with `baseline` or `candidate` (e.g. `candidateModel`). */
const VARIANT_ATTRIBUTES = { id: 'Id', model: 'Model', promptVersion: 'PromptVersion' } as const;
const PARAM_ATTRIBUTES: { readonly [K in keyof InferenceParams]-?: string } = { temperature: 'Temperature', maxTokens: 'MaxTokens', topP: 'TopP' };

/** The AppConfig configuration profile that holds one route's flag. Dots never occur in config ids. */
export function routeProfileName(agent: string, route: string): string {
  return `${agent}.${route}`;
}

/**
 * The AppConfig environment of one route's rollout, named like its profile. Each route has its own: an
 * environment's monitors roll back every deployment in it, so one route's gate never reverts another's flag.
 */
export function routeEnvironmentName(agent: string, route: string): string {
  return routeProfileName(agent, route);
}

/** The AppConfig application that holds a client's rollouts (the value of `$CDK_AI_OPS_APPCONFIG_APPLICATION`). */
export function rolloutApplicationName(clientId: string): string {
  return `cdk-ai-ops-${clientId}`;
}

/** A route's flag, read and repaired. */
export interface RouteFlag {
  readonly baseline: Variant;
  /** Absent when the flag names no complete candidate. */
  readonly candidate?: Variant;
  /** 0-100; 0 when the flag is disabled or has no candidate. */
  readonly candidatePercent: number;
  /** 0-100; 0 when the flag is disabled or has no candidate. */
  readonly shadowPercent: number;
  /** The variant the last promotion replaced, kept as the rollback target (never served by the flag itself). */
  readonly previous?: Variant;
}

/** What one deployment of a route's flag says. */
export interface RouteFlagState {
  readonly baseline: Variant;
  readonly candidate?: Variant;
  /** 0-100. */
  readonly candidatePercent: number;
  /** 0-100. */
  readonly shadowPercent: number;
  readonly previous?: Variant;
}

type FlagValue = string | number | boolean;

/** The flag's attribute values for one state: what `parseRouteFlag` reads back. */
export function routeFlagValues(state: RouteFlagState): Record<string, FlagValue> {
  const values: Record<string, FlagValue> = { enabled: true };
  const sides: Array<[VariantPrefix, Variant | undefined]> = [['baseline', state.baseline], ['candidate', state.candidate], ['previous', state.previous]];
  for (const [prefix, variant] of sides) {
    if (!variant) continue;
    values[prefix + VARIANT_ATTRIBUTES.id] = variant.id;
    values[prefix + VARIANT_ATTRIBUTES.model] = variant.model;
    values[prefix + VARIANT_ATTRIBUTES.promptVersion] = variant.promptVersion;
    for (const [param, suffix] of Object.entries(PARAM_ATTRIBUTES) as [keyof InferenceParams, string][]) {
      const value = variant.params[param];
      if (value !== undefined) values[prefix + suffix] = value;
    }
  }
  // The shares only with a candidate: `candidatePercent` alone would read as an incomplete candidate.
  if (state.candidate) {
    values[FLAG_ATTRIBUTES.CANDIDATE_PERCENT] = state.candidatePercent;
    values[FLAG_ATTRIBUTES.SHADOW_PERCENT] = state.shadowPercent;
  }
  return values;
}

/**
 * A route's flag as AppConfig hosts it (content type `application/json` of an `AWS.AppConfig.FeatureFlags`
 * profile): the flag's definition with a type constraint per attribute, and its values.
 */
export function featureFlagsDocument(state: RouteFlagState, description: string): object {
  const values = routeFlagValues(state);
  const attributes: Record<string, { constraints: { type: string; minimum?: number; maximum?: number } }> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name === 'enabled') continue;
    const percent = name === FLAG_ATTRIBUTES.CANDIDATE_PERCENT || name === FLAG_ATTRIBUTES.SHADOW_PERCENT;
    attributes[name] = { constraints: { type: typeof value, ...(percent ? { minimum: 0, maximum: 100 } : {}) } };
  }
  return {
    version: '1',
    flags: { [ROLLOUT_FLAG_KEY]: { name: ROLLOUT_FLAG_KEY, description, attributes } },
    values: { [ROLLOUT_FLAG_KEY]: values },
  };
}

/** A flag document read: the flag, or why none could be used, and what was repaired. */
export interface ParsedFlag {
  readonly flag?: RouteFlag;
  /** Why the document was unusable (no flag) or what was repaired in it. */
  readonly problems: string[];
}

/**
 * Reads a route's flag from an AppConfig feature-flag document of any shape. Never throws: a document
 * without a complete baseline yields no flag; a bad candidate or share is dropped to 0 with a problem.
 * `enabled: false` is the kill switch: everything to the baseline.
 */
export function parseRouteFlag(document: unknown): ParsedFlag {
  const problems: string[] = [];
  const flag = isRecord(document) ? document[ROLLOUT_FLAG_KEY] : undefined;
  if (!isRecord(flag)) {
    return { problems: [`no "${ROLLOUT_FLAG_KEY}" flag object in the document`] };
  }
  const baseline = readVariant(flag, 'baseline', problems);
  if (!baseline) {
    return { problems };
  }
  const candidate = hasAny(flag, 'candidate') ? readVariant(flag, 'candidate', problems) : undefined;
  const previous = hasAny(flag, 'previous') ? readVariant(flag, 'previous', problems) : undefined;
  const enabled = flag.enabled === true;
  const active = enabled && candidate !== undefined;
  return {
    flag: {
      baseline,
      candidate,
      candidatePercent: active ? readPercent(flag, FLAG_ATTRIBUTES.CANDIDATE_PERCENT, problems) : 0,
      shadowPercent: active ? readPercent(flag, FLAG_ATTRIBUTES.SHADOW_PERCENT, problems) : 0,
      ...(previous ? { previous } : {}),
    },
    problems,
  };
}

/**
 * Where a key falls in [0, 1) for one rollout: a hash of the route, the candidate and the key. A key is on
 * the candidate when its bucket is below the candidate's share, so raising the share (10% -> 50% -> 100%)
 * only ever adds keys; a new candidate reshuffles the buckets.
 */
export function bucketOf(salt: string, key: string): number {
  const digest = createHash('sha256').update(salt).update('\u0000').update(key).digest();
  // 48 bits: exact in a double, far finer than any share.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** The hash salt of a rollout: its route and its candidate. */
export function assignmentSalt(agent: string, route: string, candidateId: string): string {
  return `${agent}/${route}/${candidateId}`;
}

type VariantPrefix = 'baseline' | 'candidate' | 'previous';

function readVariant(flag: Record<string, unknown>, prefix: VariantPrefix, problems: string[]): Variant | undefined {
  const text = (suffix: string): string | undefined => {
    const value = flag[prefix + suffix];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const id = text(VARIANT_ATTRIBUTES.id);
  const model = text(VARIANT_ATTRIBUTES.model);
  const promptVersion = text(VARIANT_ATTRIBUTES.promptVersion);
  if (id === undefined || model === undefined || promptVersion === undefined) {
    const missing = Object.entries(VARIANT_ATTRIBUTES).filter(([, suffix]) => text(suffix) === undefined).map(([, suffix]) => prefix + suffix);
    problems.push(`${prefix} variant ignored: ${missing.join(', ')} missing or not a non-empty string`);
    return undefined;
  }
  const params: { -readonly [K in keyof InferenceParams]: number } = {};
  for (const [param, suffix] of Object.entries(PARAM_ATTRIBUTES) as [keyof InferenceParams, string][]) {
    const value = flag[prefix + suffix];
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      params[param] = value;
    } else {
      problems.push(`${prefix}${suffix} ignored: not a finite number >= 0`);
    }
  }
  return { id, model, promptVersion, params };
}

function readPercent(flag: Record<string, unknown>, name: string, problems: string[]): number {
  const value = flag[name];
  if (value === undefined) return 0;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    problems.push(`${name} read as 0: not a number`);
    return 0;
  }
  if (value < 0 || value > 100) {
    problems.push(`${name} clamped to 0-100`);
  }
  return Math.min(100, Math.max(0, value));
}

function hasAny(flag: Record<string, unknown>, prefix: string): boolean {
  return Object.keys(flag).some((name) => name.startsWith(prefix));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

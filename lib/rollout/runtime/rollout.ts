import { assignmentSalt, bucketOf, parseRouteFlag, RouteFlag } from './flag';
import { DEFAULT_POLL_INTERVAL_SECONDS, ExtensionFlagSource, FlagSource } from './sources';
import { FlagOrigin, Variant, VariantChoice, VariantRole } from './types';

/** Environment variables the default rollout reads (set by the deployment on the agent's function). */
export const ROLLOUT_ENV = {
  /** AppConfig application of the client's rollouts. */
  APPLICATION: 'CDK_AI_OPS_APPCONFIG_APPLICATION',
  /** AppConfig environment for every route; unset (the default): each route's own `<agent>.<route>` environment. */
  ENVIRONMENT: 'CDK_AI_OPS_APPCONFIG_ENVIRONMENT',
} as const;

const DEFAULT_FIRST_READ_TIMEOUT_MS = 1000;
const DEFAULT_READ_TIMEOUT_MS = 10_000;

export interface VariantRolloutOptions {
  /**
   * Where flags are read. Default: the AppConfig Agent extension on localhost:2772, in the application named by
   * `$CDK_AI_OPS_APPCONFIG_APPLICATION`, each route in its own `<agent>.<route>` environment (or the one
   * environment `$CDK_AI_OPS_APPCONFIG_ENVIRONMENT` names); without the application, no flag is read and every
   * route gets its local baseline.
   */
  readonly source?: FlagSource;
  /**
   * The variant each route serves until a flag was ever read, keyed `<agent>/<route>` (`routeKey`).
   * Default: none (a route with neither a flag nor a baseline gets no choice: `undefined`).
   */
  readonly baselines?: { readonly [route: string]: Variant };
  /** Reread a route's flag at most this often (longer when AppConfig asks). Default 45 s. */
  readonly pollIntervalSeconds?: number;
  /** How long the first request of a route waits for the first read before using the baseline. Default 1000 ms. */
  readonly firstReadTimeoutMs?: number;
  /** A read still unanswered after this long counts as failed, so a hung call never stops later reads. Default 10,000 ms. */
  readonly readTimeoutMs?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
  /** Draws the shadow sample of requests without a request id. Default `Math.random`. */
  readonly random?: () => number;
  /** Where warnings go (once per route and kind). Default `console.warn`. */
  readonly warn?: (message: string) => void;
}

/** Counts since the rollout was created, for the caller's own telemetry and for tests. */
export interface RolloutStats {
  reads: number;
  readFailures: number;
  /** Documents without a usable flag (the previous flag kept serving). */
  unusableDocuments: number;
  /** Values repaired in otherwise usable documents (a bad share read as 0, a bad parameter dropped). */
  repairs: number;
  /** Choices made from the last known flag while the latest read failed or was unusable. */
  servedFromCache: number;
  /** Choices made from the local baseline because no flag was ever read. */
  servedLocalBaseline: number;
  /** Choices impossible: no flag and no local baseline for the route. */
  noVariant: number;
}

/** Options of one choice. */
export interface ChooseOptions {
  /** The request's id: decides the shadow sample deterministically (default: a random draw). */
  readonly requestId?: string;
}

interface RouteState {
  flag?: RouteFlag;
  /** False after a failed or unusable read, until a good one. */
  fresh: boolean;
  nextReadAt: number;
  reading?: Promise<void>;
  firstRead?: Promise<void>;
}

/** The `baselines` key of a route. */
export function routeKey(agent: string, route: string): string {
  return `${agent}/${route}`;
}

/**
 * Chooses the variant that serves each request from the route's AppConfig flag, read at most once per poll
 * interval and cached: a key stays on the candidate as its share grows. It never throws and never waits on
 * AppConfig except for a route's first read (bounded by `firstReadTimeoutMs`).
 */
export class VariantRollout {
  private readonly source?: FlagSource;
  private readonly baselines: ReadonlyMap<string, Variant>;
  private readonly pollMs: number;
  private readonly firstReadTimeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly warnFn: (message: string) => void;
  private readonly routes = new Map<string, RouteState>();
  private readonly warned = new Set<string>();
  private readonly counts: RolloutStats = {
    reads: 0, readFailures: 0, unusableDocuments: 0, repairs: 0, servedFromCache: 0, servedLocalBaseline: 0, noVariant: 0,
  };

  public constructor(options: VariantRolloutOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.warnFn = options.warn ?? ((message) => console.warn(message));
    this.baselines = new Map(Object.entries(options.baselines ?? {}));
    this.pollMs = (options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
    this.firstReadTimeoutMs = options.firstReadTimeoutMs ?? DEFAULT_FIRST_READ_TIMEOUT_MS;
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.source = options.source ?? sourceFromEnvironment();
    if (!this.source) {
      this.warnOnce('no-source', `cdk-ai-ops rollout: no flag source (set ${ROLLOUT_ENV.APPLICATION}, or pass a source): every route serves its local baseline`);
    }
  }

  /**
   * The variant for one request of an agent's route. `key` is what stays sticky (a tenant or session id).
   * Returns `undefined` only when the route has neither a flag nor a local baseline.
   */
  public async chooseVariant(agent: string, route: string, key: string, options: ChooseOptions = {}): Promise<VariantChoice | undefined> {
    try {
      const state = this.stateOf(agent, route);
      if (this.clock() >= state.nextReadAt) {
        this.read(state, agent, route);
      }
      if (state.flag === undefined && state.firstRead) {
        await withTimeout(state.firstRead, this.firstReadTimeoutMs);
      }
      return this.decide(state, agent, route, textOf(key), options.requestId);
    } catch (error) {
      this.warnOnce(`choose:${routeKey(agent, route)}`, `cdk-ai-ops rollout: choosing a variant for ${routeKey(agent, route)} failed (${describe(error)}); serving the local baseline`);
      const baseline = this.baselines.get(routeKey(String(agent), String(route)));
      return baseline ? choice(baseline, 'baseline', 'local-baseline') : undefined;
    }
  }

  /** A copy of the counts so far. */
  public stats(): RolloutStats {
    return { ...this.counts };
  }

  /** Resolves when no read is under way (tests; a handler that wants fresh flags before it returns). */
  public async settled(): Promise<void> {
    await Promise.all([...this.routes.values()].map((state) => state.reading));
  }

  private decide(state: RouteState, agent: string, route: string, key: string, requestId?: string): VariantChoice | undefined {
    const flag = state.flag;
    if (!flag) {
      const baseline = this.baselines.get(routeKey(agent, route));
      if (!baseline) {
        this.counts.noVariant++;
        this.warnOnce(`none:${routeKey(agent, route)}`, `cdk-ai-ops rollout: ${routeKey(agent, route)} has no flag yet and no local baseline; pass baselines['${routeKey(agent, route)}']`);
        return undefined;
      }
      this.counts.servedLocalBaseline++;
      return choice(baseline, 'baseline', 'local-baseline');
    }
    const origin: FlagOrigin = state.fresh ? 'appconfig' : 'cache';
    if (!state.fresh) this.counts.servedFromCache++;
    const candidate = flag.candidate;
    if (!candidate) return choice(flag.baseline, 'baseline', origin);
    const salt = assignmentSalt(agent, route, candidate.id);
    if (bucketOf(salt, key) < flag.candidatePercent / 100) {
      return choice(candidate, 'candidate', origin);
    }
    const draw = requestId === undefined ? this.random() : bucketOf(`shadow/${salt}`, requestId);
    return choice(flag.baseline, 'baseline', origin, draw < flag.shadowPercent / 100 ? candidate : undefined);
  }

  private read(state: RouteState, agent: string, route: string): void {
    if (!this.source || state.reading) return;
    const source = this.source;
    this.counts.reads++;
    state.nextReadAt = this.clock() + this.pollMs;
    state.reading = (async () => {
      try {
        const result = await withDeadline(source.fetch(agent, route), this.readTimeoutMs);
        state.nextReadAt = this.clock() + Math.max(this.pollMs, (result.nextPollSeconds ?? 0) * 1000);
        if (result.unchanged) {
          state.fresh = state.flag !== undefined;
          return;
        }
        const parsed = parseRouteFlag(result.document);
        if (parsed.flag) {
          state.flag = parsed.flag;
          state.fresh = true;
          this.counts.repairs += parsed.problems.length;
        } else {
          state.fresh = false;
          this.counts.unusableDocuments++;
        }
        if (parsed.problems.length > 0) {
          this.warnOnce(`doc:${routeKey(agent, route)}`, `cdk-ai-ops rollout: the flag of ${routeKey(agent, route)} ${parsed.flag ? 'was repaired' : 'is unusable, the last known flag keeps serving'}: ${parsed.problems.join('; ')}`);
        }
      } catch (error) {
        state.fresh = false;
        this.counts.readFailures++;
        this.warnOnce(`read:${routeKey(agent, route)}`, `cdk-ai-ops rollout: reading the flag of ${routeKey(agent, route)} failed (${describe(error)}); serving the last known flag, else the local baseline`);
      } finally {
        state.reading = undefined;
      }
    })();
    state.firstRead ??= state.reading;
  }

  private stateOf(agent: string, route: string): RouteState {
    const id = routeKey(agent, route);
    let state = this.routes.get(id);
    if (!state) {
      state = { fresh: false, nextReadAt: Number.NEGATIVE_INFINITY };
      this.routes.set(id, state);
    }
    return state;
  }

  private warnOnce(id: string, message: string): void {
    if (this.warned.has(id)) return;
    this.warned.add(id);
    try {
      this.warnFn(message);
    } catch {
      // A failing logger must not fail the request.
    }
  }
}

let defaultRollout: VariantRollout | undefined;

/** Sets up the rollout `chooseVariant` uses (call once at module scope, with the routes' local baselines). */
export function configureRollout(options: VariantRolloutOptions): VariantRollout {
  defaultRollout = new VariantRollout(options);
  return defaultRollout;
}

/** `VariantRollout.chooseVariant` on the rollout set by `configureRollout` (else one from the environment). */
export function chooseVariant(agent: string, route: string, key: string, options: ChooseOptions = {}): Promise<VariantChoice | undefined> {
  defaultRollout ??= new VariantRollout();
  return defaultRollout.chooseVariant(agent, route, key, options);
}

function choice(variant: Variant, role: VariantRole, origin: FlagOrigin, shadow?: Variant): VariantChoice {
  return { variant, role, origin, shadow, telemetry: { variant: variant.id } };
}

function sourceFromEnvironment(): FlagSource | undefined {
  const application = process.env[ROLLOUT_ENV.APPLICATION];
  const environment = process.env[ROLLOUT_ENV.ENVIRONMENT] || undefined;
  return application ? new ExtensionFlagSource({ application, environment }) : undefined;
}

async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The key as text; a key that cannot be read as text (an object without a usable toString) hashes as ''. */
function textOf(key: unknown): string {
  if (typeof key === 'string') return key;
  try {
    return String(key);
  } catch {
    return '';
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { get } from 'http';
import { routeEnvironmentName, routeProfileName } from './flag';

/** What one read of a route's flag returned. */
export interface FlagFetch {
  /** The parsed JSON document; absent when `unchanged`. */
  readonly document?: unknown;
  /** True when the source has nothing newer than what it returned before. */
  readonly unchanged?: boolean;
  /** The source's own wait before the next read (AppConfig's `NextPollIntervalInSeconds`). */
  readonly nextPollSeconds?: number;
}

/** Reads routes' flags. A read that fails throws; the rollout keeps serving what it had. */
export interface FlagSource {
  fetch(agent: string, route: string): Promise<FlagFetch>;
}

/** Where a route's flag lives in AppConfig. */
export interface AppConfigLocation {
  /** AppConfig application name or id. */
  readonly application: string;
  /**
   * AppConfig environment name or id, the same for every route. Default: each route's own environment,
   * named `<agent>.<route>` (`routeEnvironmentName`), as `ModelRollout` deploys them.
   */
  readonly environment?: string;
  /** The configuration profile of a route. Default: `<agent>.<route>` (`routeProfileName`). */
  readonly profile?: (agent: string, route: string) => string;
}

/** The AppConfig Agent Lambda extension's local endpoint. */
export const APPCONFIG_EXTENSION_URL = 'http://localhost:2772';
const DEFAULT_EXTENSION_TIMEOUT_MS = 1000;

export interface ExtensionFlagSourceOptions extends AppConfigLocation {
  /** Default: the extension's `http://localhost:2772`. */
  readonly baseUrl?: string;
  /** Give up on one read after this long. Default 1000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Reads flags from the AppConfig Agent (the Lambda extension layer, or the agent on ECS/EC2), which polls
 * AppConfig itself and caches per execution environment.
 */
export class ExtensionFlagSource implements FlagSource {
  public constructor(private readonly options: ExtensionFlagSourceOptions) {}

  public async fetch(agent: string, route: string): Promise<FlagFetch> {
    const { application } = this.options;
    const environment = this.options.environment ?? routeEnvironmentName(agent, route);
    const profile = (this.options.profile ?? routeProfileName)(agent, route);
    const [app, env, config] = [application, environment, profile].map(encodeURIComponent);
    const url = `${this.options.baseUrl ?? APPCONFIG_EXTENSION_URL}/applications/${app}/environments/${env}/configurations/${config}`;
    const body = await httpGet(url, this.options.timeoutMs ?? DEFAULT_EXTENSION_TIMEOUT_MS);
    return { document: JSON.parse(body) };
  }
}

/** The part of the AWS SDK's `AppConfigData` client (`@aws-sdk/client-appconfigdata`) the rollout uses. */
export interface AppConfigDataLike {
  startConfigurationSession(input: {
    ApplicationIdentifier: string;
    EnvironmentIdentifier: string;
    ConfigurationProfileIdentifier: string;
    RequiredMinimumPollIntervalInSeconds?: number;
  }): Promise<{ InitialConfigurationToken?: string }>;
  getLatestConfiguration(input: { ConfigurationToken: string }): Promise<{
    NextPollConfigurationToken?: string;
    NextPollIntervalInSeconds?: number;
    Configuration?: Uint8Array;
  }>;
}

/** AppConfig's floor for `RequiredMinimumPollIntervalInSeconds`. */
const APPCONFIGDATA_MIN_POLL_SECONDS = 15;

export interface AppConfigDataFlagSourceOptions extends AppConfigLocation {
  /** `new AppConfigData({})` from `@aws-sdk/client-appconfigdata`, built once at module scope. */
  readonly client: AppConfigDataLike;
  /** Sent as `RequiredMinimumPollIntervalInSeconds` (AppConfig's floor is 15). Default 45. */
  readonly pollIntervalSeconds?: number;
}

/**
 * Reads flags with the `appconfigdata` API: one configuration session per route, each token used once;
 * an empty configuration means "unchanged". A failed read drops the session, so the next read starts a new one.
 */
export class AppConfigDataFlagSource implements FlagSource {
  private readonly tokens = new Map<string, string>();

  public constructor(private readonly options: AppConfigDataFlagSourceOptions) {}

  public async fetch(agent: string, route: string): Promise<FlagFetch> {
    const profile = (this.options.profile ?? routeProfileName)(agent, route);
    try {
      let token = this.tokens.get(profile);
      if (token === undefined) {
        const session = await this.options.client.startConfigurationSession({
          ApplicationIdentifier: this.options.application,
          EnvironmentIdentifier: this.options.environment ?? routeEnvironmentName(agent, route),
          ConfigurationProfileIdentifier: profile,
          RequiredMinimumPollIntervalInSeconds: Math.max(
            APPCONFIGDATA_MIN_POLL_SECONDS, Math.round(this.options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS)),
        });
        token = requireToken(session.InitialConfigurationToken, 'StartConfigurationSession');
      }
      this.tokens.delete(profile);
      const latest = await this.options.client.getLatestConfiguration({ ConfigurationToken: token });
      this.tokens.set(profile, requireToken(latest.NextPollConfigurationToken, 'GetLatestConfiguration'));
      const nextPollSeconds = latest.NextPollIntervalInSeconds;
      if (!latest.Configuration || latest.Configuration.length === 0) {
        return { unchanged: true, nextPollSeconds };
      }
      return { document: JSON.parse(new TextDecoder().decode(latest.Configuration)), nextPollSeconds };
    } catch (error) {
      this.tokens.delete(profile);
      throw error;
    }
  }
}

/** How often the rollout rereads a route's flag; the AppConfig Agent's own default poll interval. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 45;

function requireToken(token: string | undefined, operation: string): string {
  if (!token) throw new Error(`AppConfig ${operation} returned no configuration token`);
  return token;
}

function httpGet(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode === 200) resolve(body);
        else reject(new Error(`AppConfig agent answered ${response.statusCode} for ${url}: ${body.slice(0, 200)}`));
      });
    });
    request.on('timeout', () => request.destroy(new Error(`AppConfig agent did not answer within ${timeoutMs} ms (${url})`)));
    request.on('error', reject);
  });
}

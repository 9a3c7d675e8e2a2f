/*
 * What the functions that talk to PagerDuty share (the alarm forwarder and the rollout change
 * events): text bounded between code points with each cut recorded, integration keys read from
 * Secrets Manager and cached (never logged), and one POST to the Events API v2 with its outcome.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` with every lone surrogate replaced (U+FFFD): PagerDuty refuses JSON that carries one. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * `value` with every lone surrogate replaced (U+FFFD) and at most `limit` UTF-16 code units, cut
 * between code points and marked with an ellipsis.
 */
export function clip(value: string, limit: number): string {
  const head = value.length > limit ? value.slice(0, limit + 1) : value;
  const whole = wellFormed(head);
  if (whole.length <= limit) return whole;
  const end = /[\uD800-\uDBFF]/.test(whole[limit - 2]) ? limit - 2 : limit - 1;
  return whole.slice(0, end) + '…';
}

/** Text bounded to a limit, noting each cut so the event shows what was cut. */
export class Bounded {
  public readonly repairs: string[] = [];

  public text(field: string, value: string, limit: number): string {
    const bounded = clip(value, limit);
    if (bounded.length < value.length) this.repairs.push(`${field} cut from ${value.length} characters`);
    return bounded;
  }
}

/** The URL as PagerDuty links it, or undefined for anything but an http(s) URL of at most `limit` characters. */
export function httpUrl(value: string, limit: number): string | undefined {
  if (value.length > limit) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.href.length <= limit ? url.href : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Should a response be retried? 429 (rate limited) and 5xx are; anything else is final. */
export function isRetryable(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Secrets Manager errors that a retry cannot cure: the secret is missing, not readable, or not decryptable. */
const FINAL_SECRET_ERRORS: ReadonlySet<string> = new Set([
  'ResourceNotFoundException', 'AccessDeniedException', 'DecryptionFailure', 'InvalidParameterException', 'InvalidRequestException',
]);

/** Why an integration key could not be had; `retryable` when a later attempt may succeed. */
export interface KeyProblem {
  readonly message: string;
  readonly retryable: boolean;
  readonly cause?: unknown;
}

export interface IntegrationKeyDependencies {
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly now: () => number;
}

const KEY_CACHE_MS = 5 * 60 * 1000;

/**
 * Reads and caches integration keys for five minutes; the keys never reach a log line or an error.
 * A secret holds the bare key or JSON with `integrationKey` (or `routing_key`). Failures become the
 * caller's own error through `fail`, so each function keeps the error types its retries depend on.
 */
export class IntegrationKeys {
  private readonly cache = new Map<string, { key: string; until: number }>();

  public constructor(private readonly deps: IntegrationKeyDependencies, private readonly fail: (problem: KeyProblem) => Error) {}

  public async get(secretName: string): Promise<string> {
    const cached = this.cache.get(secretName);
    if (cached && cached.until > this.deps.now()) return cached.key;
    let value: string;
    try {
      value = ((await this.deps.secrets.send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString ?? '').trim();
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      throw this.fail({ message: `could not read the integration key from secret ${secretName}: ${messageOf(error)}`, retryable: !FINAL_SECRET_ERRORS.has(name), cause: error });
    }
    let key = value;
    if (value.startsWith('{')) {
      try {
        const fields = JSON.parse(value);
        key = typeof fields.integrationKey === 'string' ? fields.integrationKey : typeof fields.routing_key === 'string' ? fields.routing_key : '';
      } catch {
        key = '';
      }
    }
    if (!key) throw this.fail({ message: `secret ${secretName} holds no integration key (the key itself, or JSON with integrationKey)`, retryable: false });
    this.cache.set(secretName, { key, until: this.deps.now() + KEY_CACHE_MS });
    return key;
  }
}

/** The outcome of one POST: accepted (HTTP 202), or why not and whether a retry may succeed. */
export type PostOutcome =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly retryable: boolean; readonly problem: string; readonly retryAfterSeconds?: number };

/** PagerDuty's own words on a refused event (`message` and `errors`), bounded; never the request, which holds the key. */
async function refusalOf(response: Response): Promise<string> {
  try {
    const body = await response.json() as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(body.errors) ? body.errors.filter((e): e is string => typeof e === 'string') : [];
    const words = [typeof body.message === 'string' ? body.message : '', ...errors].filter(Boolean).join('; ');
    return words ? `: ${clip(words, 512)}` : '';
  } catch {
    return '';
  }
}

/**
 * One POST of an event as JSON. Network failures and timeouts (`timeoutMs`, when given) are
 * retryable like 429 and 5xx; a Retry-After header is passed on.
 */
export async function postEvent(fetchFn: typeof fetch, url: string, event: object, timeoutMs?: number): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      ...(timeoutMs !== undefined ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    });
  } catch (error) {
    return { accepted: false, retryable: true, problem: `network error: ${messageOf(error)}` };
  }
  if (response.status === 202) return { accepted: true };
  if (isRetryable(response.status)) {
    const header = Number(response.headers.get('retry-after'));
    return {
      accepted: false,
      retryable: true,
      problem: `HTTP ${response.status}`,
      ...(Number.isFinite(header) && header > 0 ? { retryAfterSeconds: header } : {}),
    };
  }
  return { accepted: false, retryable: false, problem: `HTTP ${response.status}${await refusalOf(response)}` };
}

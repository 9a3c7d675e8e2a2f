import * as http from 'http';
import { AddressInfo } from 'net';

/** One request the stand-in received, with the contract problems found in it. */
export interface ReceivedEvent {
  readonly path: string;
  readonly body: any;
  readonly problems: string[];
  readonly status: number;
}

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
/** PagerDuty refuses events above 512 KB. */
const EVENT_BYTES = 512 * 1024;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]) : [];
}

const bounded = (value: unknown, limit: number) => value === undefined || (typeof value === 'string' && value.length <= limit);

function isHttpUrl(href: unknown): boolean {
  if (typeof href !== 'string' || href.length > 2048) return false;
  try {
    return ['http:', 'https:'].includes(new URL(href).protocol);
  } catch {
    return false;
  }
}

/**
 * What is wrong with an Events API v2 event: PagerDuty's own limits (summary, dedup key, size,
 * severities, ISO timestamps) and this library's bounds on the fields PagerDuty leaves open.
 */
export function eventProblems(body: any): string[] {
  const problems: string[] = [];
  if (typeof body?.routing_key !== 'string' || body.routing_key.length !== 32) problems.push('routing_key must be a 32-character integration key');
  if (!ACTIONS.includes(body?.event_action)) problems.push(`event_action ${body?.event_action}`);
  if (body?.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length === 0 || body.dedup_key.length > 255)) problems.push('dedup_key empty or above 255 characters');
  if (body?.event_action !== 'trigger' && !body?.dedup_key) problems.push(`${body?.event_action} without dedup_key`);
  if (strings(body).some((s) => LONE_SURROGATE.test(s))) problems.push('a lone UTF-16 surrogate');
  if (Buffer.byteLength(JSON.stringify(body) ?? '') > EVENT_BYTES) problems.push('event above 512 KB');
  if (body?.event_action === 'trigger') {
    const payload = body.payload ?? {};
    if (typeof payload.summary !== 'string' || payload.summary.length === 0 || payload.summary.length > 1024) problems.push('payload.summary missing or above 1,024 characters');
    if (typeof payload.source !== 'string' || payload.source.length === 0 || payload.source.length > 255) problems.push('payload.source missing or above 255 characters');
    if (!SEVERITIES.includes(payload.severity)) problems.push(`payload.severity ${payload.severity}`);
    if (payload.timestamp !== undefined && !(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(payload.timestamp) && Number.isFinite(Date.parse(payload.timestamp)))) {
      problems.push('payload.timestamp is not ISO 8601');
    }
    for (const field of ['component', 'group', 'class']) if (!bounded(payload[field], 255)) problems.push(`payload.${field} above 255 characters`);
    const details = payload.custom_details ?? {};
    if (typeof details !== 'object' || Array.isArray(details)) problems.push('payload.custom_details is not an object');
    for (const [key, value] of Object.entries(details)) if (!bounded(value, 2048)) problems.push(`custom_details.${key} above 2,048 characters`);
    if (body.links !== undefined && !Array.isArray(body.links)) problems.push('links is not a list');
    for (const link of body.links ?? []) if (!isHttpUrl(link?.href) || typeof link?.text !== 'string') problems.push(`link ${String(link?.href).slice(0, 80)}`);
  }
  return problems;
}

/**
 * What is wrong with a Change Event: PagerDuty's own limits (routing key, summary, size, links) and
 * this library's bounds on the fields PagerDuty leaves open. A change event has no action, severity
 * or dedup key.
 */
export function changeEventProblems(body: any): string[] {
  const problems: string[] = [];
  if (typeof body?.routing_key !== 'string' || body.routing_key.length !== 32) problems.push('routing_key must be a 32-character integration key');
  for (const field of ['event_action', 'dedup_key']) if (body?.[field] !== undefined) problems.push(`${field} is not a Change Event field`);
  if (strings(body).some((s) => LONE_SURROGATE.test(s))) problems.push('a lone UTF-16 surrogate');
  if (Buffer.byteLength(JSON.stringify(body) ?? '') > EVENT_BYTES) problems.push('event above 512 KB');
  const payload = body?.payload ?? {};
  if (typeof payload.summary !== 'string' || payload.summary.length === 0 || payload.summary.length > 1024) problems.push('payload.summary missing or above 1,024 characters');
  if (!bounded(payload.source, 255)) problems.push('payload.source above 255 characters');
  if (payload.timestamp !== undefined && !(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(payload.timestamp) && Number.isFinite(Date.parse(payload.timestamp)))) {
    problems.push('payload.timestamp is not ISO 8601');
  }
  if (payload.custom_details !== undefined && (typeof payload.custom_details !== 'object' || Array.isArray(payload.custom_details))) problems.push('payload.custom_details is not an object');
  if (strings(payload.custom_details).some((s) => s.length > 2048)) problems.push('a custom_details text above 2,048 characters');
  if (body?.links !== undefined && !Array.isArray(body.links)) problems.push('links is not a list');
  for (const link of Array.isArray(body?.links) ? body.links : []) if (!isHttpUrl(link?.href) || typeof link?.text !== 'string') problems.push(`link ${String(link?.href).slice(0, 80)}`);
  return problems;
}

/** The path of the Change Events endpoint; every other path is the alert endpoint. */
const CHANGE_PATH = '/v2/change/enqueue';

/** Checks a request against the Events API v2 contract of its endpoint. */
function problemsOf(body: any, contentType: string | undefined, path: string | undefined): string[] {
  return [
    ...(contentType !== 'application/json' ? [`content-type ${contentType}`] : []),
    ...(path === CHANGE_PATH ? changeEventProblems(body) : eventProblems(body)),
  ];
}

/**
 * A local stand-in for the PagerDuty Events API v2 (alerts, and Change Events on
 * /v2/change/enqueue): validates every request against the contract of its endpoint and answers with scripted statuses (202 once the script runs out, or the last status
 * forever when `repeatLast` is set).
 */
export class PagerDutyStandIn {
  public readonly received: ReceivedEvent[] = [];
  private server?: http.Server;
  private script: number[] = [];
  private repeatLast = false;

  public async start(): Promise<string> {
    this.server = http.createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => { text += chunk; });
      request.on('end', () => {
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const problems = body === undefined ? ['body is not JSON'] : problemsOf(body, request.headers['content-type'], request.url);
        const scripted = this.script.length > 1 || !this.repeatLast ? this.script.shift() : this.script[0];
        const status = problems.length > 0 ? 400 : scripted ?? 202;
        this.received.push({ path: request.url ?? '', body, problems, status });
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status === 202
          ? { status: 'success', message: 'Event processed', dedup_key: body.dedup_key }
          : { status: 'error', message: status === 429 ? 'Rate limited' : 'Error', errors: problems }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2/enqueue`;
  }

  /** The Change Events endpoint, once started. */
  public get changeEventsUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${CHANGE_PATH}`;
  }

  /** The statuses of the next requests, in order. */
  public respondWith(statuses: number[], options: { repeatLast?: boolean } = {}): void {
    this.script = [...statuses];
    this.repeatLast = options.repeatLast ?? false;
  }

  public reset(): void {
    this.received.length = 0;
    this.script = [];
    this.repeatLast = false;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

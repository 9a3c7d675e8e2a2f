import * as http from 'http';
import { AddressInfo } from 'net';

/** One request the stand-in received, with the contract problems found in it. */
export interface ReceivedEvent {
  readonly body: any;
  readonly problems: string[];
  readonly status: number;
}

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** Checks a request body against the Events API v2 contract. */
function problemsOf(body: any, contentType: string | undefined): string[] {
  const problems: string[] = [];
  if (contentType !== 'application/json') problems.push(`content-type ${contentType}`);
  if (typeof body?.routing_key !== 'string' || body.routing_key.length !== 32) problems.push('routing_key must be a 32-character integration key');
  if (!ACTIONS.includes(body?.event_action)) problems.push(`event_action ${body?.event_action}`);
  if (body?.dedup_key !== undefined && (typeof body.dedup_key !== 'string' || body.dedup_key.length > 255)) problems.push('dedup_key above 255 characters');
  if (body?.event_action !== 'trigger' && !body?.dedup_key) problems.push(`${body?.event_action} without dedup_key`);
  if (body?.event_action === 'trigger') {
    const payload = body.payload ?? {};
    if (typeof payload.summary !== 'string' || payload.summary.length === 0 || payload.summary.length > 1024) problems.push('payload.summary missing or above 1,024 characters');
    if (typeof payload.source !== 'string' || payload.source.length === 0) problems.push('payload.source missing');
    if (!SEVERITIES.includes(payload.severity)) problems.push(`payload.severity ${payload.severity}`);
    if (payload.timestamp !== undefined && Number.isNaN(Date.parse(payload.timestamp))) problems.push('payload.timestamp is not ISO 8601');
    for (const link of body.links ?? []) if (!/^https?:\/\//.test(link.href)) problems.push(`link ${link.href}`);
  }
  return problems;
}

/**
 * A local stand-in for the PagerDuty Events API v2: validates every request against the
 * contract and answers with scripted statuses (202 once the script runs out, or the last status
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
        const problems = body === undefined ? ['body is not JSON'] : problemsOf(body, request.headers['content-type']);
        const scripted = this.script.length > 1 || !this.repeatLast ? this.script.shift() : this.script[0];
        const status = problems.length > 0 ? 400 : scripted ?? 202;
        this.received.push({ body, problems, status });
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status === 202
          ? { status: 'success', message: 'Event processed', dedup_key: body.dedup_key }
          : { status: 'error', message: status === 429 ? 'Rate limited' : 'Error', errors: problems }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2/enqueue`;
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

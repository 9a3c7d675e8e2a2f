import { inspect } from 'util';
import * as fc from 'fast-check';
import { anomalyAlarm, compositeAlarm, latencyAlarm, P1_TOPIC, P2_TOPIC, staleAlarm } from './pagerduty-forwarder.fixtures';
import { decide, ForwarderError, NoSeverity, NotAnAlarmNotification, Routing } from '../../lambda/pagerduty-forwarder/core';
import { createHandler, DeliveryFailed, RecordsFailed } from '../../lambda/pagerduty-forwarder/handler';
import { decodeAlarmMetadata, encodeAlarmMetadata } from '../../lib/common/alarm-metadata';
import { Severity, SlaTier } from '../../lib/config';
import { FORWARDER_ENV } from '../../lib/routing/sla';
import { eventBridgeEvent, snsMessage, snsRecord, SynthesizedAlarm } from '../support/alarm-notifications';
import { eventProblems } from '../support/pagerduty-stand-in';

/*
 * The forwarder as a fuzzer tries it: notifications in both formats, valid ones mutated and plain
 * junk, through the real handler with a fetch stand-in. Each record must end in exactly one of
 * three outcomes, judged here by an oracle written from the contract, not from the forwarder:
 *   sent     only a deliverable notification (a state of ALARM or OK with a paged severity), as a valid event;
 *   skipped  only another state, or a severity without a PagerDuty service, with the reason logged;
 *   failed   only with the forwarder's own errors: not a notification, no severity, PagerDuty refusing.
 */
const P3_TOPIC = 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p3';
const KEYS: Record<string, string> = { 'example/pagerduty-p1': '1'.repeat(32), 'example/pagerduty-p2': '2'.repeat(32) };
const KEY_OF: Record<string, string> = { P1: '1'.repeat(32), P2: '2'.repeat(32) };
const TOPICS: Record<string, Severity> = { [P1_TOPIC]: Severity.P1, [P2_TOPIC]: Severity.P2 };
const PAGED = new Set<string>([Severity.P1, Severity.P2]);
const ATTEMPTS = 6;
/** The forwarder's own bound on an event, the sum of its field limits serialized at worst (6 bytes a character). */
const EVENT_BYTES = 128 * 1024;
const PAGERDUTY_SEVERITY: Record<string, string> = { P1: 'critical', P2: 'error' };

type Outcome = 'sent' | 'skipped' | 'failed';

// ---------------------------------------------------------------- the oracle

const objectOf = (v: unknown): Record<string, unknown> | undefined =>
  (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined);
const textOf = (v: unknown): string =>
  (typeof v === 'string' ? v : ['number', 'boolean', 'bigint'].includes(typeof v) ? String(v) : '');

interface Expected {
  /** An alarm notification: it has an alarm name and a state. */
  readonly notification: boolean;
  readonly state?: string;
  readonly severity?: string;
}

/** What the contract says about one record. */
function expectationOf(record: unknown): Expected {
  const r = objectOf(record);
  const sns = objectOf(r?.Sns);
  let name: unknown;
  let state: string;
  let description: string;
  let topic: string | undefined;
  if (sns && sns.Message !== undefined) {
    let message: Record<string, unknown> | undefined;
    try {
      message = typeof sns.Message === 'string' ? objectOf(JSON.parse(sns.Message)) : undefined;
    } catch {
      message = undefined;
    }
    name = message?.AlarmName;
    state = textOf(message?.NewStateValue);
    description = textOf(message?.AlarmDescription);
    topic = textOf(sns.TopicArn);
  } else if (r?.['detail-type'] === 'CloudWatch Alarm State Change') {
    const detail = objectOf(r.detail);
    name = detail?.alarmName;
    state = textOf(objectOf(detail?.state)?.value);
    description = textOf(objectOf(detail?.configuration)?.description);
  } else {
    return { notification: false };
  }
  if (typeof name !== 'string' || name === '' || state === '') return { notification: false };
  const severity = (topic !== undefined && Object.prototype.hasOwnProperty.call(TOPICS, topic) ? TOPICS[topic] : undefined)
    ?? decodeAlarmMetadata(description)?.severity
    ?? /^\s*\[(P[123])\]/.exec(description)?.[1];
  return { notification: true, state, severity };
}

const deliverable = (e: Expected) => e.notification && (e.state === 'ALARM' || e.state === 'OK') && PAGED.has(e.severity ?? '');

// ---------------------------------------------------------------- the generators

const BASES: SynthesizedAlarm[] = [latencyAlarm, staleAlarm, compositeAlarm, anomalyAlarm];
/** Strings a fuzzer tries: any code point (lone surrogates included), long ones, and the shapes that broke things. */
const oddString = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', 'constructor', 'toString', '__proto__', 'ALARM', 'OK', 'INSUFFICIENT_DATA', '\ud83d', 'not a date', '2026-13-45T99:99:99Z', '\n', '[P1] x') },
);
/** Long strings, rarer: past every limit, cut next to a surrogate pair, control characters that JSON inflates sixfold. */
const longString = fc.constantFrom('\u{1F525}'.repeat(700), `x${'\u{1F525}'.repeat(700)}`, 'y'.repeat(5000), `${'\u0001'.repeat(3000)}\ud800`);
/** The 600 KB state reason of the issue, rarer still. */
const hugeReason = `[${'9'.repeat(600 * 1024)}`;
const withLong = (weight: number) => fc.oneof({ weight, arbitrary: oddString }, { weight: 1, arbitrary: longString });
const oddValue = fc.oneof(
  { weight: 4, arbitrary: oddString },
  { weight: 3, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) },
  { weight: 2, arbitrary: fc.constantFrom(null, [null], {}, [], 0, NaN, true, { value: 'ALARM' }) },
);
const url = fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'not a url', `https://x.example/${'p'.repeat(3000)}`, 'http://\ud800.example'), oddString);
const proseLine = fc.oneof(
  fc.tuple(fc.constantFrom('Runbook', 'Dashboard', 'Owner', 'Fires when'), url).map(([label, value]) => `${label}: ${value}`),
  oddString,
);
const metadataLine = fc.oneof(
  fc.record({
    severity: fc.constantFrom(Severity.P1, Severity.P2, Severity.P3),
    kind: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
    cause: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), fc.constant('c'.repeat(400))),
    owner: fc.option(withLong(8), { nil: undefined }),
    affects: fc.option(fc.array(oddString, { maxLength: 4 }), { nil: undefined }),
  }).map((m) => encodeAlarmMetadata(m)),
  // Broken lines: another version, cut short, a severity from the prototype.
  fc.constantFrom('cdk-ai-ops: {"v":2,"severity":"P1","kind":"k","cause":"c"}', 'cdk-ai-ops: {"v":1,"severity":"P1"', 'cdk-ai-ops: {"v":1,"severity":"toString","kind":"k","cause":"c"}'),
);
const descriptionArb = fc.tuple(
  fc.constantFrom('[P1] ', '[P2] ', '[P3] ', '', '[P4] ', '  [P1]'), withLong(8), fc.array(proseLine, { maxLength: 4 }), fc.option(metadataLine, { nil: undefined }),
).map(([prefix, headline, lines, metadata]) => [`${prefix}${headline}`, ...lines, ...(metadata ? [metadata] : [])].join('\n'));
const stateArb = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('ALARM', 'ALARM', 'OK', 'INSUFFICIENT_DATA') }, { weight: 1, arbitrary: oddValue });
const topicArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(P1_TOPIC, P2_TOPIC, P3_TOPIC, 'arn:aws:sns:us-east-1:111122223333:other') },
  { weight: 2, arbitrary: fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty') },
  { weight: 1, arbitrary: oddValue },
);
const timeArb = fc.oneof(fc.constantFrom('2026-11-27T06:00:00.000+0000', 'not a date', '2026-13-45T99:99:99Z', '+275760-09-13T00:00:00.000Z', ''), oddString);
const nameArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('example-production-down', 'example-answer-draft-reply-latency-p95') }, { weight: 1, arbitrary: withLong(4) });

/** Up to three mutations anywhere in the tree: a value replaced by an odd one, or removed. */
const mutationsArb = fc.array(fc.record({ at: fc.nat(), value: fc.option(oddValue, { nil: undefined }) }), { maxLength: 3 });

function pathsOf(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...path, key], ...pathsOf(child, [...path, key])]);
}

function mutate<T>(tree: T, mutations: Array<{ at: number; value: unknown }>): T {
  for (const { at, value: shared } of mutations) {
    // A copy: a generated value (constants included) is never shared, or made cyclic, by two mutations or two runs.
    const value = structuredClone(shared);
    const paths = pathsOf(tree);
    if (paths.length === 0) break;
    const path = paths[at % paths.length];
    const parent = path.slice(0, -1).reduce((node: any, key) => node[key], tree as any);
    const key = path[path.length - 1];
    if (value === undefined && !Array.isArray(parent)) delete parent[key];
    else parent[key] = value;
  }
  return tree;
}

const alarmArb = fc.record({ base: fc.constantFrom(...BASES), name: nameArb, description: descriptionArb })
  .map(({ base, name, description }): SynthesizedAlarm => ({ ...base, name, description }));

const snsRecordArb = fc.record({
  alarm: alarmArb,
  state: stateArb,
  topic: topicArb,
  time: timeArb,
  reason: fc.option(fc.oneof({ weight: 50, arbitrary: withLong(10) }, { weight: 1, arbitrary: fc.constant(hugeReason) }), { nil: undefined }),
  mutations: mutationsArb,
}).map(({ alarm, state, topic, time, reason, mutations }) => {
  const message: any = { ...snsMessage(alarm, 'ALARM', 'OK'), NewStateValue: state, StateChangeTime: time, ...(reason !== undefined ? { NewStateReason: reason } : {}) };
  const record: any = snsRecord({}, 'x');
  // The message stays an object while mutated, so mutations reach inside it, then is serialized as SNS does.
  const tree = mutate({ ...record, Sns: { ...record.Sns, TopicArn: topic, Message: message } }, mutations);
  const sns = objectOf(tree.Sns);
  if (sns && objectOf(sns.Message)) sns.Message = JSON.stringify(sns.Message);
  return tree as unknown;
});

const eventBridgeArb = fc.record({
  alarm: alarmArb, state: stateArb, time: timeArb, withResources: fc.boolean(), mutations: mutationsArb,
}).map(({ alarm, state, time, withResources, mutations }) => {
  const event: any = eventBridgeEvent(alarm, 'ALARM');
  event.detail.state = { ...event.detail.state, value: state, timestamp: time };
  if (!withResources) delete event.resources;
  return mutate(event, mutations) as unknown;
});

const junkArb = fc.oneof(
  fc.anything(),
  fc.record({ Sns: fc.record({ Message: fc.oneof(fc.json(), oddString, oddValue), TopicArn: topicArb }) }),
  fc.record({ 'detail-type': fc.constant('CloudWatch Alarm State Change'), 'detail': oddValue }),
);

const recordArb = fc.oneof({ weight: 5, arbitrary: snsRecordArb }, { weight: 4, arbitrary: eventBridgeArb }, { weight: 1, arbitrary: junkArb });
/** What Lambda is invoked with: an SNS event (one record, or several), an EventBridge event as is, or junk. */
const invocationArb = fc.oneof(
  { weight: 5, arbitrary: snsRecordArb.map((r) => ({ event: { Records: [r] } as unknown, records: [r] })) },
  { weight: 3, arbitrary: eventBridgeArb.map((e) => ({ event: e, records: [e] })) },
  { weight: 1, arbitrary: fc.array(recordArb, { minLength: 2, maxLength: 3 }).map((rs) => ({ event: { Records: rs } as unknown, records: rs })) },
  {
    weight: 1,
    arbitrary: junkArb.map((j) => ({ event: j, records: Array.isArray(objectOf(j)?.Records) ? objectOf(j)!.Records as unknown[] : [j] })),
  },
);
/** How the PagerDuty stand-in answers every request of one invocation. */
const pagerDutyArb = fc.constantFrom('accepts', 'accepts', 'accepts', 'accepts', 'refuses (400)', 'fails (500)', 'is unreachable');

// ---------------------------------------------------------------- the property

describe('the PagerDuty forwarder, fuzzed', () => {
  test('10,000 notifications: each is sent (valid), skipped (with why) or failed (with the forwarder\'s own error); no page is dropped', async () => {
    const tally = { sent: 0, skipped: 0, failed: 0, deliverable: 0, delivered: 0, invocations: 0 };
    await fc.assert(fc.asyncProperty(invocationArb, pagerDutyArb, async ({ event, records }, pagerDuty) => {
      const logs: string[] = [];
      const bodies: any[] = [];
      const forward = createHandler({
        secrets: { send: async (command: any) => ({ SecretString: KEYS[command.input.SecretId] }) } as any,
        fetch: async (_url, init) => {
          bodies.push(JSON.parse(String(init!.body)));
          if (pagerDuty === 'is unreachable') throw new TypeError('fetch failed');
          return new Response(null, { status: pagerDuty === 'accepts' ? 202 : pagerDuty === 'refuses (400)' ? 400 : 500 });
        },
        sleep: async () => undefined,
        random: () => 0.5,
        now: () => 0,
        env: {
          [FORWARDER_ENV.TOPIC_SEVERITIES]: JSON.stringify(TOPICS),
          [FORWARDER_ENV.KEY_SECRETS]: JSON.stringify({ P1: 'example/pagerduty-p1', P2: 'example/pagerduty-p2' }),
          [FORWARDER_ENV.CLIENT_ID]: 'example',
        },
        log: (message) => logs.push(message),
      });

      let thrown: unknown;
      try {
        await forward(event);
      } catch (error) {
        thrown = error;
      }
      tally.invocations++;

      // Zero internal errors: only the forwarder's own, per record.
      const failures: Error[] = thrown instanceof RecordsFailed ? thrown.failures.map((f) => f.error) : thrown === undefined ? [] : [thrown as Error];
      for (const failure of failures) check(failure instanceof ForwarderError, 'an internal error escaped', failure);

      if (records.length === 0) {
        check(logs.length === 1 && logs[0] === 'skipped: the event holds no records', 'an empty batch is skipped with a log line', logs);
        return;
      }
      // Exactly one outcome per record, in order; the invocation fails if and only if a record did.
      check(logs.length === records.length, 'one log line per record', logs);
      const outcomes = logs.map((line): Outcome => (line.startsWith('sent ') ? 'sent' : line.startsWith('skipped: ') ? 'skipped' : line.startsWith('failed') ? 'failed' : unexpectedLine(line)));
      check((thrown !== undefined) === outcomes.includes('failed'), 'the invocation fails if and only if a record failed', { thrown, logs });
      check(failures.length === outcomes.filter((o) => o === 'failed').length, 'one error per failed record', { failures, logs });

      let failureIndex = 0;
      let bodyIndex = 0;
      records.forEach((record, i) => {
        const expected = expectationOf(record);
        const outcome = outcomes[i];
        const context = { record: i, expected, log: logs[i] };
        tally[outcome]++;
        if (deliverable(expected)) {
          tally.deliverable++;
          if (pagerDuty === 'accepts') {
            // No page is dropped: sent, with its severity, to its service.
            check(outcome === 'sent', 'a deliverable notification is sent', context);
            const body = bodies[bodyIndex++];
            check(body.routing_key === KEY_OF[expected.severity!], 'sent to the service of its severity', { ...context, body });
            check(body.event_action === (expected.state === 'ALARM' ? 'trigger' : 'resolve'), 'ALARM triggers, OK resolves', { ...context, body });
            if (expected.state === 'ALARM') check(body.payload.severity === PAGERDUTY_SEVERITY[expected.severity!], 'sent at its severity', { ...context, body });
            tally.delivered++;
          } else {
            check(outcome === 'failed' && failures[failureIndex++] instanceof DeliveryFailed, 'PagerDuty refusing fails the invocation', context);
            bodyIndex += pagerDuty === 'refuses (400)' ? 1 : ATTEMPTS;
          }
          return;
        }
        // Not deliverable: never sent; skipped only for another state or an unpaged severity; failed only when it cannot be routed.
        check(outcome !== 'sent', 'only deliverable notifications are sent', context);
        if (outcome === 'skipped') {
          const page = expected.state === 'ALARM' || expected.state === 'OK';
          check(expected.notification && (page
            ? expected.severity === Severity.P3 && logs[i].includes('no PagerDuty service for P3')
            : / is INSUFFICIENT_DATA: | is in state .*, neither ALARM nor OK$/s.test(logs[i])), 'skipped only where right, saying why', context);
        } else {
          const failure = failures[failureIndex++];
          check(expected.notification
            ? failure instanceof NoSeverity && ['ALARM', 'OK'].includes(expected.state!) && expected.severity === undefined
            : failure instanceof NotAnAlarmNotification, 'failed only when it cannot be routed, with the error that says why', { ...context, failure });
        }
      });
      check(bodies.length === bodyIndex, 'no request beyond the records\' own', bodies);

      // Every event sent is valid against PagerDuty's limits and bounded far below 512 KB.
      for (const body of bodies) {
        const problems = eventProblems(body);
        check(problems.length === 0, 'a valid Events API v2 event', { problems, body });
        check(Buffer.byteLength(JSON.stringify(body)) <= EVENT_BYTES, 'an event within the forwarder\'s bound', body);
      }
    }), { numRuns: 10_000 });

    // The run reached every outcome often enough to mean something.
    expect(tally.invocations).toBe(10_000);
    expect(tally.delivered).toBeGreaterThan(1500);
    expect(tally.skipped).toBeGreaterThan(1000);
    expect(tally.failed).toBeGreaterThan(1000);
  }, 120_000);
});


describe('dedup keys, fuzzed', () => {
  const routing: Routing = { topicSeverities: new Map(Object.entries(TOPICS)), paged: PAGED as Set<Severity>, tier: SlaTier.STANDARD, clientId: 'example' };
  const keyOf = (record: unknown) => {
    const decision = decide(record, routing);
    return decision.outcome === 'send' ? decision.event.dedup_key : undefined;
  };

  test('an OK resolves the key its ALARM triggered, in either format; with metadata both formats share the cause\'s key', () => {
    fc.assert(fc.property(alarmArb.filter((a) => a.name !== ''), fc.constantFrom(P1_TOPIC, P2_TOPIC), fc.boolean(), (alarm, topic, withResources) => {
      const eventBridge = (state: 'ALARM' | 'OK') => {
        const event: any = eventBridgeEvent(alarm, state);
        if (!withResources) delete event.resources;
        return event;
      };
      const sns = (state: 'ALARM' | 'OK') => snsRecord(snsMessage(alarm, state, state === 'ALARM' ? 'OK' : 'ALARM'), topic);
      const snsKey = keyOf(sns('ALARM'));
      expect(snsKey).toBeDefined();
      expect(snsKey!.length).toBeLessThanOrEqual(255);
      expect(keyOf(sns('OK'))).toBe(snsKey);
      if (expectationOf(eventBridge('ALARM')).severity && PAGED.has(expectationOf(eventBridge('ALARM')).severity!)) {
        const eventKey = keyOf(eventBridge('ALARM'));
        expect(keyOf(eventBridge('OK'))).toBe(eventKey);
        // The test alarms' SNS ARN and EventBridge resources name the same alarm, as CloudWatch's do.
        expect(eventKey).toBe(snsKey);
      }
    }), { numRuns: 500 });
  });
});

function unexpectedLine(line: string): never {
  throw new Error(`a log line that is no outcome: ${line}`);
}

/** A property's check: a plain error (cheaper than expect across 10,000 runs) that fast-check reports with the counterexample. */
function check(ok: boolean, what: string, detail: unknown): void {
  if (!ok) throw new Error(`${what}: ${inspect(detail, { depth: 4, maxStringLength: 300 })}`);
}

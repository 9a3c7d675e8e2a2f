import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { anomalyAlarm, compositeAlarm, forwarderEnv, latencyAlarm, P1_KEY, P1_TOPIC, P2_KEY, P2_TOPIC, staleAlarm } from './pagerduty-forwarder.fixtures';
import {
  decide, Decision, dedupKeyOf, NoSeverity, NotAnAlarmNotification, parseNotification, retryDelayMs, Routing,
} from '../../lambda/pagerduty-forwarder/core';
import { createHandler, ForwarderDependencies, RecordsFailed } from '../../lambda/pagerduty-forwarder/handler';
import { clip } from '../../lambda/shared/pagerduty';
import { AlarmMetadata, encodeAlarmMetadata } from '../../lib/common/alarm-metadata';
import { Severity, SlaTier } from '../../lib/config';
import { FORWARDER_ENV } from '../../lib/routing/sla';
import { alarmArnOf, eventBridgeEvent, snsMessage, snsRecord, SynthesizedAlarm } from '../support/alarm-notifications';
import { eventProblems, PagerDutyStandIn } from '../support/pagerduty-stand-in';

describe('parseNotification', () => {
  test.each([
    ['a metric alarm', staleAlarm, 'metric', 'CdkAiOps/indexAge'],
    ['a metric-math alarm', latencyAlarm, 'metric-math', 'IF(callsSum_1 >= 20, value_1, 0)'],
    ['a composite alarm', compositeAlarm, 'composite', '(ALARM("example-answer-agent-down"))'],
    ['an anomaly-detection alarm', anomalyAlarm, 'anomaly-detection', 'ANOMALY_DETECTION_BAND(m1, 2)'],
  ])('reads %s from SNS and from EventBridge alike', (_name, alarm, kind, metric) => {
    const fromSns = parseNotification(snsRecord(snsMessage(alarm, 'ALARM', 'OK'), P2_TOPIC));
    const fromEvents = parseNotification(eventBridgeEvent(alarm, 'ALARM'));
    for (const parsed of [fromSns, fromEvents]) {
      expect(parsed).toEqual(expect.objectContaining({ alarmName: alarm.name, alarmArn: alarmArnOf(alarm.name), newState: 'ALARM', kind, metric }));
    }
  });

  test('refuses what is not an alarm notification (it goes to the dead-letter queue)', () => {
    expect(() => parseNotification({ Sns: { Message: 'hello' } })).toThrow(NotAnAlarmNotification);
    expect(() => parseNotification({ detail: {} })).toThrow(NotAnAlarmNotification);
  });
});

const routing: Routing = {
  topicSeverities: new Map([[P1_TOPIC, Severity.P1], [P2_TOPIC, Severity.P2]]),
  paged: new Set([Severity.P1, Severity.P2]),
  tier: SlaTier.STANDARD,
  clientId: 'example',
};
const sent = (decision: Decision) => {
  if (decision.outcome !== 'send') throw new Error(`expected a send, got ${JSON.stringify(decision)}`);
  return decision.event;
};
const withMetadata = (alarm: SynthesizedAlarm, metadata: AlarmMetadata): SynthesizedAlarm =>
  ({ ...alarm, description: `${alarm.description}\n${encodeAlarmMetadata(metadata)}` });

describe('decide', () => {
  test('ALARM triggers with the severity, details, links and a dedup key from the alarm ARN', () => {
    const event = sent(decide(snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC), routing));
    expect(event).toEqual(expect.objectContaining({ event_action: 'trigger', dedup_key: `cdk-ai-ops/${alarmArnOf(latencyAlarm.name)}` }));
    expect(event.payload).toEqual(expect.objectContaining({
      summary: 'example-answer-draft-reply-latency-p95: [P2] p95 latency of route answer/draft-reply is above its SLO.',
      severity: 'error',
      source: 'aws:us-east-1:111122223333',
      timestamp: '2026-11-27T06:00:00.000Z',
      group: 'example',
      class: 'metric-math',
    }));
    expect(event.payload!.custom_details).toEqual(expect.objectContaining({
      metric: 'IF(callsSum_1 >= 20, value_1, 0)',
      threshold: 'GreaterThanThreshold 8000',
      observed: '9120.5',
      tier: 'standard',
      responseTarget: 'next business day',
      runbook: 'https://runbooks.example.com/support/answer',
    }));
    // The owner comes from the metadata line only, never from prose.
    expect(event.payload!.custom_details).not.toHaveProperty('owner');
    expect(event.links).toEqual([
      { href: expect.stringContaining('#dashboards/dashboard/example-ai-ops-agent-answer'), text: 'Dashboard' },
      { href: 'https://runbooks.example.com/support/answer', text: 'Runbook' },
    ]);
  });

  test('OK resolves the same dedup key', () => {
    const trigger = sent(decide(snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC), routing));
    const resolve = sent(decide(snsRecord(snsMessage(latencyAlarm, 'OK', 'ALARM'), P2_TOPIC), routing));
    expect(resolve).toEqual({ event_action: 'resolve', dedup_key: trigger.dedup_key });
  });

  test('P1 is critical, P3 a warning; long ARNs still give one bounded, deterministic dedup key', () => {
    const p1 = sent(decide(snsRecord(snsMessage(compositeAlarm, 'ALARM', 'OK'), P1_TOPIC), routing));
    expect(p1.payload!.severity).toBe('critical');
    const p3 = sent(decide(snsRecord(snsMessage(staleAlarm, 'ALARM', 'OK'), 'arn:p3'), { ...routing, paged: new Set([Severity.P3]) }));
    expect(p3.payload!.severity).toBe('warning');
    const arn = `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${'y'.repeat(300)}`;
    const long = dedupKeyOf({ alarmArn: arn }, undefined, 'example');
    expect(long).toHaveLength(255);
    expect(dedupKeyOf({ alarmArn: arn }, undefined, 'example')).toBe(long);
    expect(dedupKeyOf({ alarmArn: `${arn}z` }, undefined, 'example')).not.toBe(long);
  });

  describe('the metadata line', () => {
    const metadata: AlarmMetadata = {
      severity: Severity.P1, kind: 'model-outage', cause: 'model/bedrock/anthropic.claude-sonnet-4-5', owner: 'team platform', affects: ['support/answer', 'triage/route'],
    };

    test('gives severity (without a severity topic), owner, kind, cause, affects, and the dedup key of the cause', () => {
      const event = sent(decide(eventBridgeEvent(withMetadata({ ...latencyAlarm, description: latencyAlarm.description.replace('[P2] ', '') }, metadata), 'ALARM'), routing));
      expect(event.dedup_key).toBe('cdk-ai-ops/example/model/bedrock/anthropic.claude-sonnet-4-5');
      expect(event.payload!.severity).toBe('critical');
      expect(event.payload!.class).toBe('model-outage');
      expect(event.payload!.custom_details).toEqual(expect.objectContaining({
        kind: 'model-outage', cause: metadata.cause, owner: 'team platform', affects: 'support/answer, triage/route', alarmType: 'metric-math',
      }));
      // The summary is the prose's headline, not the metadata line.
      expect(event.payload!.summary).toBe('example-answer-draft-reply-latency-p95: p95 latency of route answer/draft-reply is above its SLO.');
    });

    test('two alarms with one cause share one incident; the OK resolves that key', () => {
      const other = { ...staleAlarm, name: 'example-answer-agent-errors' };
      const first = sent(decide(snsRecord(snsMessage(withMetadata(latencyAlarm, metadata), 'ALARM', 'OK'), P1_TOPIC), routing));
      const second = sent(decide(eventBridgeEvent(withMetadata(other, metadata), 'ALARM'), routing));
      const resolve = sent(decide(snsRecord(snsMessage(withMetadata(latencyAlarm, metadata), 'OK', 'ALARM'), P1_TOPIC), routing));
      expect(second.dedup_key).toBe(first.dedup_key);
      expect(resolve).toEqual({ event_action: 'resolve', dedup_key: first.dedup_key });
    });

    test('a severity topic wins over the metadata; the metadata wins over the [Px] prefix', () => {
      const alarm = withMetadata(latencyAlarm, { ...metadata, severity: Severity.P2 });
      expect(sent(decide(snsRecord(snsMessage(alarm, 'ALARM', 'OK'), P1_TOPIC), routing)).payload!.severity).toBe('critical');
      const p1Prose = { ...alarm, description: alarm.description.replace('[P2]', '[P1]') };
      expect(sent(decide(eventBridgeEvent(p1Prose, 'ALARM'), routing)).payload!.severity).toBe('error');
    });

    test('links come only from the lines above the metadata line, and only as http(s) URLs', () => {
      const alarm = {
        ...latencyAlarm,
        description: `[P1] Down.\nRunbook: javascript:alert(1)\nDashboard: https://console.example.com/d\n${encodeAlarmMetadata(metadata)}`,
      };
      const event = sent(decide(eventBridgeEvent(alarm, 'ALARM'), routing));
      expect(event.links).toEqual([{ href: 'https://console.example.com/d', text: 'Dashboard' }]);
      expect(event.payload!.custom_details!.repairs).toContain('Runbook is not an http(s) URL: not linked');
    });

    test('an owner that contains the metadata prefix does not hide the line (decodeAlarmMetadata reads the last line)', () => {
      const alarm = withMetadata(latencyAlarm, { ...metadata, owner: 'team cdk-ai-ops: platform' });
      expect(sent(decide(eventBridgeEvent(alarm, 'ALARM'), routing)).payload!.custom_details!.owner).toBe('team cdk-ai-ops: platform');
    });
  });
});

test('retry delays: exponential with full jitter, capped, never below Retry-After', () => {
  expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, 0.999, 500, 8000))).toEqual([499, 999, 1998, 3996, 7992, 7992]);
  expect(retryDelayMs(3, 0, 500, 8000)).toBe(0);
  expect(retryDelayMs(1, 0.5, 500, 8000, 30)).toBe(30_000);
});

/** A handler's collaborators with P1 and P2 services and a PagerDuty that accepts everything. */
const inertDependencies: ForwarderDependencies = {
  secrets: { send: async () => ({ SecretString: P1_KEY }) } as any,
  fetch: async () => new Response(null, { status: 202 }),
  sleep: async () => undefined,
  random: () => 0.5,
  now: () => 0,
  env: {
    [FORWARDER_ENV.TOPIC_SEVERITIES]: JSON.stringify({ [P1_TOPIC]: Severity.P1, [P2_TOPIC]: Severity.P2 }),
    [FORWARDER_ENV.KEY_SECRETS]: JSON.stringify({ P1: 'example/pagerduty-p1', P2: 'example/pagerduty-p2' }),
  },
  log: () => undefined,
};

/* One named regression test for each finding of issue 12, item 4. */
describe('issue 12 item 4: the forwarder never fails on odd input', () => {
  const snsWith = (alarm: SynthesizedAlarm, change: (m: any) => void, topic = P2_TOPIC) => {
    const message: any = snsMessage(alarm, 'ALARM', 'OK');
    change(message);
    return snsRecord(message, topic);
  };

  test('a malformed StateChangeTime does not throw RangeError: the event goes out without a timestamp, the repair noted', () => {
    for (const time of ['not a date', '2026-13-45T99:99:99Z', '+275760-09-13T00:00:00.001Z', '9999-12-31T23:59:59.999-23:59']) {
      const event = sent(decide(snsWith(latencyAlarm, (m) => { m.StateChangeTime = time; }), routing));
      expect(event.payload).not.toHaveProperty('timestamp');
      expect(eventProblems({ routing_key: P2_KEY, ...event })).toEqual([]);
    }
    const event = sent(decide(snsWith(latencyAlarm, (m) => { m.StateChangeTime = '2026-13-45T99:99:99Z'; }), routing));
    expect(event.payload!.custom_details!.repairs).toContain('the state change time is not a date: omitted');
  });

  test('Trigger.Metrics: [null] and an EventBridge metrics: {} throw no TypeError', () => {
    expect(sent(decide(snsWith(latencyAlarm, (m) => { m.Trigger.Metrics = [null, 7, 'x']; }), routing)).payload!.class).toBe('metric');
    const event: any = eventBridgeEvent(latencyAlarm, 'ALARM');
    event.detail.configuration.metrics = {};
    expect(sent(decide(event, routing)).payload!.severity).toBe('error');
    const nullish: any = eventBridgeEvent(latencyAlarm, 'ALARM');
    nullish.detail.configuration.metrics = [null, { metricStat: null }];
    expect(sent(decide(nullish, routing)).event_action).toBe('trigger');
  });

  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'a topic ARN %s reads no severity from Object.prototype: the P1 is still paged', (topic) => {
      const event = sent(decide(snsRecord(snsMessage(compositeAlarm, 'ALARM', 'OK'), topic), routing));
      expect(event.payload!.severity).toBe('critical');
    });

  test('INSUFFICIENT_DATA and non-canonical states are skipped with a log line that says why', async () => {
    const logs: string[] = [];
    const forward = createHandler({ ...inertDependencies, log: (m) => logs.push(m) });
    for (const state of ['INSUFFICIENT_DATA', 'alarm', 'ALARM ', 42]) {
      const record = snsWith(latencyAlarm, (m) => { m.NewStateValue = state; });
      await forward({ Records: [record] });
    }
    expect(logs).toEqual([
      'skipped: example-answer-draft-reply-latency-p95 is INSUFFICIENT_DATA: pages no one (each alarm\'s TreatMissingData decides whether missing data breaches)',
      'skipped: example-answer-draft-reply-latency-p95 is in state "alarm", neither ALARM nor OK',
      'skipped: example-answer-draft-reply-latency-p95 is in state "ALARM ", neither ALARM nor OK',
      'skipped: example-answer-draft-reply-latency-p95 is in state "42", neither ALARM nor OK',
    ]);
  });

  test('EventBridge events without resources get the dedup key of account, region and alarm name, not a shared one', () => {
    const keyOf = (alarm: SynthesizedAlarm, state: 'ALARM' | 'OK') => {
      const event: any = eventBridgeEvent(alarm, state);
      delete event.resources;
      return sent(decide(event, routing)).dedup_key;
    };
    expect(keyOf(latencyAlarm, 'ALARM')).toBe(`cdk-ai-ops/${alarmArnOf(latencyAlarm.name)}`);
    expect(keyOf(anomalyAlarm, 'ALARM')).not.toBe(keyOf(latencyAlarm, 'ALARM'));
    expect(keyOf(latencyAlarm, 'OK')).toBe(keyOf(latencyAlarm, 'ALARM'));
  });

  test('summaries and every other field are cut between code points: no lone UTF-16 surrogate', () => {
    const emoji = '\u{1F525}';
    for (const pad of [0, 1, 2, 3]) {
      const alarm = { ...latencyAlarm, name: `${'n'.repeat(pad)}${emoji.repeat(400)}`, description: `[P2] ${emoji.repeat(600)}\ud800` };
      const event = sent(decide(snsRecord(snsMessage(alarm, 'ALARM', 'OK'), P2_TOPIC), routing));
      expect(event.payload!.summary.length).toBeLessThanOrEqual(1024);
      expect(eventProblems({ routing_key: P2_KEY, ...event })).toEqual([]);
    }
    expect(clip(`ab${emoji}`, 3)).toBe('ab…');
    expect(clip('a\udc00b', 10)).toBe('a\ufffdb');
  });

  test('a 600 KB NewStateReason (digits, the worst case for the datapoint pattern) goes out bounded, quickly', () => {
    const started = Date.now();
    const event = sent(decide(snsWith(latencyAlarm, (m) => { m.NewStateReason = `[${'9'.repeat(600 * 1024)}`; }), routing));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(event.payload!.custom_details!.reason).toHaveLength(2048);
    expect(event.payload!.custom_details!.repairs).toContain(`the state reason cut from ${600 * 1024 + 1} characters`);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(16 * 1024);
  });

  test('the worst case, every field long and made of control characters (six bytes each in JSON), stays under 128 KiB', () => {
    const worst = '\u0001'.repeat(20_000);
    const metadata = encodeAlarmMetadata({ severity: Severity.P1, kind: worst, cause: worst, owner: worst, affects: [worst, worst] });
    const alarm = { ...latencyAlarm, name: worst, description: [`[P1] ${worst}`, `Runbook: ${worst}`, worst, metadata].join('\n') };
    const record = snsWith(alarm, (m) => {
      m.NewStateReason = worst;
      m.AlarmArn = worst;
      m.Trigger.ComparisonOperator = worst;
      m.Trigger.Metrics[0].Expression = worst;
    });
    const event = sent(decide(record, { ...routing, clientId: worst }));
    expect(eventProblems({ routing_key: P1_KEY, ...event })).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(128 * 1024);
  });

  test('a line injected into the description (a newline in owner.team) cannot add a link: two Runbook lines link neither', () => {
    const injected = latencyAlarm.description.replace('Owner: team support-ai', 'Owner: team support-ai\nRunbook: https://evil.example.com');
    const event = sent(decide(snsRecord(snsMessage({ ...latencyAlarm, description: injected }, 'ALARM', 'OK'), P2_TOPIC), routing));
    expect(event.links!.map((l) => l.text)).toEqual(['Dashboard']);
    expect(JSON.stringify(event)).not.toContain('evil.example.com');
  });

  test('what cannot be routed fails with a clear error, never a skip: not a notification, no severity', () => {
    expect(() => decide({ Sns: { Message: 'hello' } }, routing)).toThrow(NotAnAlarmNotification);
    expect(() => decide({ Sns: { Message: 7 } }, routing)).toThrow(NotAnAlarmNotification);
    expect(() => decide({ detail: {} }, routing)).toThrow(NotAnAlarmNotification);
    expect(() => decide(null, routing)).toThrow(NotAnAlarmNotification);
    const unknown = { ...latencyAlarm, description: 'No severity here.' };
    expect(() => decide(snsRecord(snsMessage(unknown, 'ALARM', 'OK'), 'arn:aws:sns:us-east-1:111122223333:other'), routing))
      .toThrow(new NoSeverity('no severity for alarm example-answer-draft-reply-latency-p95: it came through no severity topic and its description has no metadata line or [P1]-[P3] prefix'));
  });

  test('a record failing in a batch does not lose the others: all are processed, then the invocation fails naming the failed one', async () => {
    const logs: string[] = [];
    const bodies: any[] = [];
    const forward = createHandler({
      ...inertDependencies,
      fetch: async (_url, init) => { bodies.push(JSON.parse(String(init!.body))); return new Response(null, { status: 202 }); },
      log: (m) => logs.push(m),
    });
    const failure = await forward({
      Records: [snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC), { Sns: { Message: '{' } }, snsRecord(snsMessage(compositeAlarm, 'ALARM', 'OK'), P1_TOPIC)],
    }).catch((e) => e);
    expect(failure).toBeInstanceOf(RecordsFailed);
    expect(failure.message).toBe('1 of 3 records failed: record 2: the SNS message is not JSON');
    expect(failure.failures.map((f: any) => [f.index, f.error.constructor])).toEqual([[1, NotAnAlarmNotification]]);
    expect(bodies.map((b) => b.payload.severity)).toEqual(['error', 'critical']);
    expect(logs.map((l) => l.split(' ')[0])).toEqual(['sent', 'failed', 'sent']);
  });
});

describe('the forwarder handler against a local Events API v2 stand-in', () => {
  const standIn = new PagerDutyStandIn();
  const secrets = mockClient(SecretsManagerClient);
  const logs: string[] = [];
  const delays: number[] = [];
  let url: string;

  beforeAll(async () => { url = await standIn.start(); });
  afterAll(async () => standIn.stop());
  beforeEach(() => {
    standIn.reset();
    secrets.reset();
    logs.length = 0;
    delays.length = 0;
    secrets.on(GetSecretValueCommand, { SecretId: 'example/pagerduty-p1' }).resolves({ SecretString: P1_KEY });
    secrets.on(GetSecretValueCommand, { SecretId: 'example/pagerduty-p2' }).resolves({ SecretString: JSON.stringify({ integrationKey: P2_KEY }) });
  });

  const handler = () => createHandler({
    secrets: new SecretsManagerClient({}),
    fetch: globalThis.fetch,
    sleep: async (ms) => { delays.push(ms); },
    random: () => 0.5,
    now: () => 0,
    env: forwarderEnv(url, SlaTier.ENTERPRISE),
    log: (message) => logs.push(message),
  });

  test('sends a trigger and its resolve, each valid against the contract; the key is read once and never logged', async () => {
    const forward = handler();
    await forward({ Records: [snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)] });
    await forward({ Records: [snsRecord(snsMessage(latencyAlarm, 'OK', 'ALARM'), P2_TOPIC)] });
    expect(standIn.received.map((r) => [r.status, r.body.event_action, r.problems])).toEqual([[202, 'trigger', []], [202, 'resolve', []]]);
    expect(standIn.received[0].body.payload.custom_details.responseTarget).toBe('4 hours');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(logs.join('\n')).not.toContain(P2_KEY);
  });

  test('429 three times, then 202: delivered after backing off', async () => {
    standIn.respondWith([429, 429, 429, 202]);
    await handler()({ Records: [snsRecord(snsMessage(compositeAlarm, 'ALARM', 'OK'), P1_TOPIC)] });
    expect(standIn.received.map((r) => r.status)).toEqual([429, 429, 429, 202]);
    expect(standIn.received[3].body.payload.severity).toBe('critical');
    expect(delays).toEqual([250, 500, 1000]);
  });

  test('500 forever: the invocation fails after its attempts, so Lambda retries it and then dead-letters it', async () => {
    standIn.respondWith([500], { repeatLast: true });
    await expect(handler()({ Records: [snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)] }))
      .rejects.toThrow(/PagerDuty did not accept the trigger for cdk-ai-ops\/arn:aws:cloudwatch:.* \(HTTP 500\)/);
    expect(standIn.received).toHaveLength(6);
  });

  test('a 400 is final: no retry, and the message fails to the dead-letter queue', async () => {
    standIn.respondWith([400]);
    await expect(handler()({ Records: [snsRecord(snsMessage(latencyAlarm, 'ALARM', 'OK'), P2_TOPIC)] })).rejects.toThrow(/HTTP 400/);
    expect(standIn.received).toHaveLength(1);
  });

  test('an EventBridge event is routed by the severity its description names', async () => {
    await handler()(eventBridgeEvent(compositeAlarm, 'ALARM') as any);
    expect(standIn.received.map((r) => [r.body.routing_key, r.body.payload.severity])).toEqual([[P1_KEY, 'critical']]);
  });

  test('a severity without a PagerDuty service sends nothing (its other paths deliver it)', async () => {
    await handler()({ Records: [snsRecord(snsMessage(staleAlarm, 'ALARM', 'OK'), 'arn:aws:sns:us-east-1:111122223333:example-ai-ops-p3')] });
    expect(standIn.received).toEqual([]);
    expect(logs).toEqual(['skipped: no PagerDuty service for P3; example-retrieval-retrieval-staleness is delivered by its other paths']);
  });
});

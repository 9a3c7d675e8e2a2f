import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CHANGE_EVENT_LIMITS, ChangeContext, ChangeEventRefused, ChangeEventRetryable, changeEventsOf, executionLink, MalformedRolloutChange,
} from '../../lambda/rollout-change-events/core';
import { ChangeEventDependencies, createHandler } from '../../lambda/rollout-change-events/handler';
import { CHANGE_EVENT_ERRORS, CHANGE_EVENTS_ENV, RolloutChangeAction } from '../../lib/rollout/change-events-contract';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in';

const P1_SECRET = 'example/pagerduty-p1';
const P2_SECRET = 'example/pagerduty-p2';
const P1_KEY = 'a'.repeat(32);
const P2_KEY = 'b'.repeat(32);
const EXECUTION_ARN = 'arn:aws:states:eu-west-1:111122223333:execution:example-ai-ops-rollout-support-triage:stage-50';
const context: ChangeContext = { clientId: 'example', services: [P1_SECRET, P2_SECRET], timestamp: '2026-11-29T17:00:00.000Z' };

/** A rollback at the 50% stage with the evidence of the gate that alarmed. */
const rollback = {
  clientId: 'example',
  agent: 'support',
  route: 'triage',
  rolloutId: 'claude-4-6',
  action: 'rollback',
  fromPercent: 50,
  toPercent: 0,
  reason: 'gate example-support-triage-latency-p95 in ALARM',
  evidence: [
    { alarmName: 'example-support-triage-latency-p95', state: 'ALARM', reason: 'Threshold Crossed: 3 datapoints [9120.5 (29/11/26 16:55:00)] were greater than the threshold (8000.0).' },
    { alarmName: 'example-support-triage-errors', state: 'OK' },
  ],
  executionArn: EXECUTION_ARN,
};

const only = (request: unknown) => changeEventsOf(request, { ...context, services: [P1_SECRET] })[0].event;

describe('changeEventsOf', () => {
  test('a rollback: summary, source, timestamp, the evidence in custom_details and a link to the execution', () => {
    // WHEN the state machine reports a rollback during the 50% stage
    const deliveries = changeEventsOf(rollback, context);

    // THEN each PagerDuty service gets the same event
    expect(deliveries.map((d) => d.secretName)).toEqual([P1_SECRET, P2_SECRET]);
    expect(deliveries[1].event).toEqual(deliveries[0].event);
    expect(deliveries[0].event).toEqual({
      payload: {
        summary: 'cdk-ai-ops example: rollout claude-4-6 on support/triage rolled back 50% → 0%: gate example-support-triage-latency-p95 in ALARM',
        source: 'cdk-ai-ops/example/support/triage',
        timestamp: '2026-11-29T17:00:00.000Z',
        custom_details: {
          client: 'example',
          agent: 'support',
          route: 'triage',
          rollout: 'claude-4-6',
          action: 'rollback',
          fromPercent: 50,
          toPercent: 0,
          reason: 'gate example-support-triage-latency-p95 in ALARM',
          evidence: [
            { alarm: 'example-support-triage-latency-p95', state: 'ALARM', reason: rollback.evidence[0].reason },
            { alarm: 'example-support-triage-errors', state: 'OK' },
          ],
          executionArn: EXECUTION_ARN,
        },
      },
      links: [{
        href: `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN}`,
        text: 'Rollout execution (Step Functions)',
      }],
    });
  });

  test.each([
    [RolloutChangeAction.START, 0, 10, 'started 0% → 10%'],
    [RolloutChangeAction.ADVANCE, 10, 50, 'advanced 10% → 50%'],
    [RolloutChangeAction.PAUSE, 50, 50, 'paused at 50%'],
    [RolloutChangeAction.ROLLBACK, 10, 0, 'rolled back 10% → 0%'],
    [RolloutChangeAction.COMPLETE, 50, 100, 'completed 50% → 100%'],
  ])('%s %d → %d reads "%s"', (action, fromPercent, toPercent, words) => {
    const event = only({ clientId: 'example', agent: 'support', route: 'triage', rolloutId: 'r1', action, fromPercent, toPercent });
    expect(event.payload.summary).toBe(`cdk-ai-ops example: rollout r1 on support/triage ${words}`);
    expect(event.links).toEqual([]);
    expect(event.payload.custom_details).not.toHaveProperty('repairs');
  });

  test('shares are shown to two decimals', () => {
    const event = only({ ...rollback, action: 'advance', fromPercent: 100 / 3, toPercent: 66.666, reason: undefined });
    expect(event.payload.summary).toMatch(/advanced 33.33% → 66.67%$/);
    expect(event.payload.custom_details).toMatchObject({ fromPercent: 33.33, toPercent: 66.67 });
  });

  test.each([
    ['not an object', 'start', /the payload must be an object .* found the string "start"/],
    ['no agent', { ...rollback, agent: undefined }, /field agent must be a non-empty string, found nothing/],
    ['a blank route', { ...rollback, route: '  ' }, /field route must be a non-empty string/],
    ['an unknown action', { ...rollback, action: 'revert' }, /field action must be one of start, advance, pause, rollback, complete, found the string "revert"/],
    ['a share as text', { ...rollback, toPercent: '50' }, /field toPercent must be a number from 0 to 100 .* found the string "50"/],
    ['a share above 100', { ...rollback, fromPercent: 150 }, /field fromPercent must be a number from 0 to 100 .* found number 150/],
    ['a share that is not a number', { ...rollback, fromPercent: NaN }, /field fromPercent .* found number NaN/],
    ['another client', { ...rollback, clientId: 'acme' }, /field clientId is "acme" but this function serves client "example"/],
  ])('refuses %s, naming the field and the fix', (_name, request, message) => {
    expect(() => changeEventsOf(request, context)).toThrow(MalformedRolloutChange);
    expect(() => changeEventsOf(request, context)).toThrow(message);
    expect(() => changeEventsOf(request, context)).toThrow(/fix the Parameters of the rollout state machine's change event task/);
  });

  test('the error carries the name a Step Functions Catch matches', () => {
    const error = (() => { try { changeEventsOf(null, context); } catch (e) { return e as Error; } return undefined; })();
    expect(error?.name).toBe(CHANGE_EVENT_ERRORS.MALFORMED);
  });

  test('optional fields of the wrong type, unreadable evidence and unknown fields are left out and listed', () => {
    const event = only({
      ...rollback,
      reason: 42,
      evidence: [{ alarmName: 'a', state: 'ALARM', reason: { nested: true } }, { alarmName: 'b' }, 'c', null],
      executionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:not-an-execution',
      excutionArn: EXECUTION_ARN,
    });
    expect(event.payload.custom_details.reason).toBeUndefined();
    expect(event.payload.custom_details.evidence).toEqual([{ alarm: 'a', state: 'ALARM' }]);
    expect(event.links).toEqual([]);
    expect(event.payload.custom_details.repairs).toBe('reason is number 42, not text: left out; 3 evidence entries without alarmName and state: left out; '
      + 'executionArn is not a Step Functions execution ARN: not linked; unknown fields ignored: excutionArn');
    expect(only({ ...rollback, evidence: 'all green' }).payload.custom_details.repairs).toBe('evidence is the string "all green", not a list: left out');
  });

  test('every field is bounded, between code points, and each cut is listed', () => {
    const emoji = '\u{1F680}';
    const event = only({
      ...rollback,
      agent: `a${emoji.repeat(300)}`,
      reason: 'r'.repeat(5000),
      evidence: Array.from({ length: 30 }, (_, i) => ({ alarmName: `alarm-${i}`, state: 'ALARM', reason: 'x'.repeat(3000) })),
    });
    const { summary, source, custom_details: details } = event.payload;
    expect(summary.length).toBeLessThanOrEqual(CHANGE_EVENT_LIMITS.SUMMARY);
    expect(summary.endsWith('…')).toBe(true);
    expect(source.length).toBeLessThanOrEqual(CHANGE_EVENT_LIMITS.FIELD);
    expect(details.agent.length).toBeLessThanOrEqual(CHANGE_EVENT_LIMITS.FIELD);
    expect(details.agent).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(details.reason!.length).toBe(CHANGE_EVENT_LIMITS.REASON);
    expect(details.evidence).toHaveLength(CHANGE_EVENT_LIMITS.EVIDENCE);
    expect(details.evidenceNotShown).toBe(10);
    expect(details.repairs).toMatch(/^agent cut from 601 characters; reason cut from 5000 characters; an evidence reason cut from 3000 characters/);
    expect(details.repairs!.length).toBeLessThanOrEqual(CHANGE_EVENT_LIMITS.REPAIRS);
  });

  test('lone surrogates are replaced, never sent', () => {
    const event = only({ ...rollback, reason: 'half \uD83D of a rocket' });
    expect(event.payload.custom_details.reason).toBe('half \uFFFD of a rocket');
  });
});

describe('executionLink', () => {
  test('links standard executions in each partition to its console', () => {
    expect(executionLink(EXECUTION_ARN)).toBe(`https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${EXECUTION_ARN}`);
    expect(executionLink('arn:aws-cn:states:cn-north-1:111122223333:execution:m:e')).toMatch(/^https:\/\/cn-north-1\.console\.amazonaws\.cn\//);
    expect(executionLink('arn:aws-us-gov:states:us-gov-west-1:111122223333:execution:m:e')).toMatch(/^https:\/\/us-gov-west-1\.console\.amazonaws-us-gov\.com\//);
  });

  test.each([
    'arn:aws:states:eu-west-1:111122223333:stateMachine:m',
    'arn:aws:states:eu-west-1:111122223333:express:m:e:id',
    'arn:aws:states:eu-west-1:1111:execution:m:e',
    'arn:evil:states:eu-west-1:111122223333:execution:m:e',
    'javascript:alert(1)',
  ])('links nothing for %s', (arn) => {
    expect(executionLink(arn)).toBeUndefined();
  });
});

describe('the change events handler against a local PagerDuty stand-in', () => {
  const standIn = new PagerDutyStandIn();
  const secrets = mockClient(SecretsManagerClient);
  const logs: string[] = [];
  let url: string;

  beforeAll(async () => {
    await standIn.start();
    url = standIn.changeEventsUrl;
  });
  afterAll(async () => standIn.stop());
  beforeEach(() => {
    standIn.reset();
    secrets.reset();
    logs.length = 0;
    secrets.on(GetSecretValueCommand, { SecretId: P1_SECRET }).resolves({ SecretString: P1_KEY });
    secrets.on(GetSecretValueCommand, { SecretId: P2_SECRET }).resolves({ SecretString: JSON.stringify({ integrationKey: P2_KEY }) });
  });

  const dependencies = (env: Record<string, string> = {}): ChangeEventDependencies => ({
    secrets: new SecretsManagerClient({}),
    fetch: globalThis.fetch,
    now: () => Date.parse('2026-11-29T17:00:00Z'),
    env: {
      [CHANGE_EVENTS_ENV.KEY_SECRETS]: JSON.stringify([P1_SECRET, P2_SECRET]),
      [CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL]: url,
      [CHANGE_EVENTS_ENV.CLIENT_ID]: 'example',
      ...env,
    },
    log: (message) => logs.push(message),
  });
  const keysIn = (text: string) => text.includes(P1_KEY) || text.includes(P2_KEY);

  test('202: one valid Change Event to each service with its own key; keys read once, never logged', async () => {
    // GIVEN a handler whose keys are cached between invocations
    const send = createHandler(dependencies());

    // WHEN two stage changes are sent
    await expect(send({ ...rollback, action: 'advance', fromPercent: 10, toPercent: 50, reason: undefined, evidence: undefined }))
      .resolves.toEqual({ delivered: 2, summary: 'cdk-ai-ops example: rollout claude-4-6 on support/triage advanced 10% → 50%' });
    await send(rollback);

    // THEN PagerDuty received four valid change events, each service's key on its own
    expect(standIn.received.map((r) => [r.path, r.status, r.problems])).toEqual(Array(4).fill(['/v2/change/enqueue', 202, []]));
    expect(standIn.received.map((r) => r.body.routing_key)).toEqual([P1_KEY, P2_KEY, P1_KEY, P2_KEY]);
    expect(standIn.received[0].body.payload.timestamp).toBe('2026-11-29T17:00:00.000Z');
    expect(standIn.received[2].body.payload.custom_details.evidence).toHaveLength(2);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(logs).toHaveLength(4);
    expect(logs.some(keysIn)).toBe(false);
  });

  test('429: a retryable error for the state machine\'s Retry, naming the service; the retry succeeds', async () => {
    // GIVEN PagerDuty rate limits the first request
    standIn.respondWith([429]);
    const send = createHandler(dependencies({ [CHANGE_EVENTS_ENV.KEY_SECRETS]: JSON.stringify([P1_SECRET]) }));

    // THEN the invocation fails with the error a Retry matches
    const failure = await send(rollback).catch((e) => e);
    expect(failure).toBeInstanceOf(ChangeEventRetryable);
    expect(failure.name).toBe(CHANGE_EVENT_ERRORS.RETRYABLE);
    expect(failure.message).toBe(`1 of 1 PagerDuty services did not take the change event: PagerDuty did not accept the change event for the service of secret ${P1_SECRET} (HTTP 429)`);
    // AND the retry delivers
    await expect(send(rollback)).resolves.toMatchObject({ delivered: 1 });
    expect(standIn.received.map((r) => r.status)).toEqual([429, 202]);
    expect(logs.some(keysIn)).toBe(false);
  });

  test('5xx on one service and 202 on the other: retryable, naming only the failed one', async () => {
    standIn.respondWith([202, 503]);
    const failure = await createHandler(dependencies())(rollback).catch((e) => e);
    expect(failure).toBeInstanceOf(ChangeEventRetryable);
    expect(failure.message).toMatch(/^1 of 2 PagerDuty services did not take the change event: .* \(HTTP 503\)$/);
    expect(logs.filter((l) => l.startsWith('sent'))).toHaveLength(1);
  });

  test('the retry after a partial failure sends only to the service that failed; ten minutes on, the same event is sent again', async () => {
    // GIVEN the P2 key cannot be read the first time
    secrets.on(GetSecretValueCommand, { SecretId: P2_SECRET })
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: P2_KEY });
    let now = Date.parse('2026-11-29T17:00:00Z');
    const send = createHandler({ ...dependencies(), now: () => now });

    // WHEN the first invocation fails for P2 and the state machine retries seconds later
    await expect(send(rollback)).rejects.toBeInstanceOf(ChangeEventRetryable);
    now += 5_000;
    await expect(send(rollback)).resolves.toMatchObject({ delivered: 2 });

    // THEN each service got the change once
    expect(standIn.received.map((r) => r.body.routing_key)).toEqual([P1_KEY, P2_KEY]);
    expect(logs.filter((l) => l.startsWith('not sent again'))).toEqual([expect.stringContaining(`secret ${P1_SECRET} accepted this change event`)]);

    // AND a new stage change, or the same one ten minutes later, is sent
    await send({ ...rollback, reason: 'gate example-support-triage-errors in ALARM' });
    now += 10 * 60 * 1000;
    await send(rollback);
    expect(standIn.received).toHaveLength(6);
  });

  test('400: a final error with PagerDuty\'s own words, no retry', async () => {
    // GIVEN a stand-in that refuses what it is sent
    standIn.respondWith([400]);
    const failure = await createHandler(dependencies({ [CHANGE_EVENTS_ENV.KEY_SECRETS]: JSON.stringify([P1_SECRET]) }))(rollback).catch((e) => e);
    expect(failure).toBeInstanceOf(ChangeEventRefused);
    expect(failure.name).toBe(CHANGE_EVENT_ERRORS.REFUSED);
    expect(failure.message).toMatch(/\(HTTP 400: Error\)$/);
    expect(standIn.received).toHaveLength(1);
  });

  test('an unreachable endpoint is retryable', async () => {
    const closed = new PagerDutyStandIn();
    await closed.start();
    const closedUrl = closed.changeEventsUrl;
    await closed.stop();
    const failure = await createHandler(dependencies({ [CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL]: closedUrl }))(rollback).catch((e) => e);
    expect(failure).toBeInstanceOf(ChangeEventRetryable);
    expect(failure.message).toMatch(/network error/);
  });

  test('a malformed payload is refused before any secret is read or request sent', async () => {
    const failure = await createHandler(dependencies())({ ...rollback, action: 'revert' }).catch((e) => e);
    expect(failure).toBeInstanceOf(MalformedRolloutChange);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(standIn.received).toHaveLength(0);
    expect(logs).toEqual([`failed: ${failure.message}`]);
  });

  test('secrets: a missing one is final, a throttled one retryable, an empty one final; none leaks a key', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: P2_SECRET }).rejects(Object.assign(new Error('Secrets Manager can\'t find the specified secret.'), { name: 'ResourceNotFoundException' }));
    const missing = await createHandler(dependencies())(rollback).catch((e) => e);
    expect(missing).toBeInstanceOf(ChangeEventRefused);
    expect(missing.message).toMatch(/could not read the integration key from secret example\/pagerduty-p2: Secrets Manager can't find/);

    secrets.on(GetSecretValueCommand, { SecretId: P2_SECRET }).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(createHandler(dependencies())(rollback)).rejects.toBeInstanceOf(ChangeEventRetryable);

    secrets.on(GetSecretValueCommand, { SecretId: P2_SECRET }).resolves({ SecretString: '{"other":"x"}' });
    await expect(createHandler(dependencies())(rollback)).rejects.toThrow(/secret example\/pagerduty-p2 holds no integration key/);
    expect(logs.some(keysIn)).toBe(false);
  });

  test('a broken environment fails each invocation loudly, not the import', async () => {
    const send = createHandler(dependencies({ [CHANGE_EVENTS_ENV.KEY_SECRETS]: '[]' }));
    await expect(send(rollback)).rejects.toThrow(/INTEGRATION_KEY_SECRETS is not a non-empty JSON list of secret names/);
  });
});

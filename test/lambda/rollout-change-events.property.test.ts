import * as fc from 'fast-check';
import {
  CHANGE_EVENT_LIMITS, ChangeEventRefused, ChangeEventRetryable, changeEventsOf, MalformedRolloutChange,
} from '../../lambda/rollout-change-events/core';
import { createHandler } from '../../lambda/rollout-change-events/handler';
import { CHANGE_EVENTS_ENV, RolloutChangeAction } from '../../lib/rollout/change-events-contract';
import { changeEventProblems } from '../support/pagerduty-stand-in';

/*
 * The change events core as a fuzzer tries it: requests built from valid ones with fields replaced
 * by odd values, and plain junk. An oracle written from the contract, not from the core, says
 * which requests are rollout changes; each one must give a valid Change Event per service, and
 * every other one a MalformedRolloutChange. Nothing else may escape.
 */
const SERVICES = ['example/pagerduty-p1', 'example/pagerduty-p2'];
const CONTEXT = { clientId: 'example', services: SERVICES, timestamp: '2026-11-29T17:00:00.000Z' };
const ACTIONS: string[] = Object.values(RolloutChangeAction);
const KEY = 'k'.repeat(32);

// ---------------------------------------------------------------- the oracle

const nonBlank = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const share = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100;

/** Is this a rollout change for client `example`, by the contract's required fields? */
function isRolloutChange(request: unknown): boolean {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return false;
  const { clientId, agent, route, rolloutId, action, fromPercent, toPercent } = request as Record<string, unknown>;
  return nonBlank(clientId) && (clientId as string).trim() === 'example'
    && [agent, route, rolloutId].every(nonBlank)
    && ACTIONS.includes(action as string)
    && share(fromPercent) && share(toPercent);
}

// ---------------------------------------------------------------- the generators

/** Strings from anywhere: any code point (lone surrogates too), names that read prototypes, and lengths past every bound. */
const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', 'example', ' example ', 'constructor', '__proto__', 'start', 'ROLLBACK', '\udc00', '50') },
  { weight: 1, arbitrary: fc.constantFrom('\u{1F680}'.repeat(1500), `z${'\u{1F680}'.repeat(1500)}`, 'w'.repeat(9000), '\u0000'.repeat(4000)) },
);
const junk = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) },
  // undefined stands for a missing field.
  { weight: 2, arbitrary: fc.constantFrom(null, undefined, NaN, Infinity, -0, -1, 100.0001, 1e308, [], {}, true, '10') },
);
const percent = fc.oneof({ weight: 9, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) }, { weight: 1, arbitrary: junk });
const arn = fc.oneof(
  fc.constantFrom('arn:aws:states:eu-west-1:111122223333:execution:m:e', 'arn:aws:states:eu-west-1:111122223333:stateMachine:m'),
  fc.string({ unit: 'binary', maxLength: 30 }).map((name) => `arn:aws:states:us-east-1:111122223333:execution:m:${name}`),
  junk,
);
const gate = fc.oneof(
  fc.record({ alarmName: text, state: fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA'), reason: fc.option(text, { nil: undefined }) }, { requiredKeys: ['alarmName', 'state'] }),
  junk,
);
/** The required fields, as keys (test/names.test.ts keeps agent and route out of quotes). */
const REQUIRED = { clientId: null, agent: null, route: null, rolloutId: null, action: null, fromPercent: null, toPercent: null };
const request = fc.record({
  clientId: fc.oneof({ weight: 6, arbitrary: fc.constant('example') }, { weight: 1, arbitrary: junk }),
  agent: fc.oneof({ weight: 2, arbitrary: text }, { weight: 2, arbitrary: fc.constant('support') }, { weight: 1, arbitrary: junk }),
  route: fc.oneof({ weight: 3, arbitrary: fc.constant('triage') }, { weight: 1, arbitrary: text }),
  rolloutId: fc.oneof({ weight: 3, arbitrary: fc.constant('claude-4-6') }, { weight: 1, arbitrary: junk }),
  action: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ACTIONS) }, { weight: 1, arbitrary: junk }),
  fromPercent: percent,
  toPercent: percent,
  reason: fc.oneof(text, junk),
  evidence: fc.oneof({ weight: 3, arbitrary: fc.array(gate, { maxLength: 25 }) }, { weight: 1, arbitrary: junk }),
  executionArn: arn,
  extra: junk,
}, { requiredKeys: Object.keys(REQUIRED) as Array<keyof typeof REQUIRED> });
const anyRequest = fc.oneof({ weight: 5, arbitrary: request }, { weight: 1, arbitrary: junk });

// ---------------------------------------------------------------- the properties

describe('changeEventsOf over arbitrary requests', () => {
  test('a rollout change gives one valid, bounded Change Event per service; anything else a MalformedRolloutChange', () => {
    fc.assert(fc.property(anyRequest, (input) => {
      let deliveries;
      try {
        deliveries = changeEventsOf(input, CONTEXT);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedRolloutChange);
        expect(isRolloutChange(input)).toBe(false);
        return;
      }
      expect(isRolloutChange(input)).toBe(true);
      expect(deliveries.map((d) => d.secretName)).toEqual(SERVICES);
      for (const { event } of deliveries) {
        const body = JSON.parse(JSON.stringify({ routing_key: KEY, ...event }));
        expect(changeEventProblems(body)).toEqual([]);
        expect(body.payload.summary.startsWith('cdk-ai-ops example: rollout ')).toBe(true);
        // Bounded far below PagerDuty's 512 KB whatever came in.
        expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(200 * 1024);
        expect((body.payload.custom_details.evidence ?? []).length).toBeLessThanOrEqual(CHANGE_EVENT_LIMITS.EVIDENCE);
      }
    }), { numRuns: 5_000 });
  });

  test('the handler ends each request with a result or one of its three errors, never another', async () => {
    const send = createHandler({
      secrets: { send: async () => ({ SecretString: KEY }) } as any,
      fetch: async (_url, init) => new Response(null, { status: changeEventProblems(JSON.parse(String(init!.body))).length > 0 ? 400 : 202 }),
      now: () => 0,
      env: { [CHANGE_EVENTS_ENV.KEY_SECRETS]: JSON.stringify(SERVICES), [CHANGE_EVENTS_ENV.CLIENT_ID]: 'example', [CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL]: 'http://stand-in' },
      log: () => undefined,
    });
    await fc.assert(fc.asyncProperty(anyRequest, async (input) => {
      const outcome = await send(input).then((result) => result, (error) => error);
      if (isRolloutChange(input)) {
        // The stand-in answers 400 to an invalid event: a valid request is always delivered.
        expect(outcome).toEqual({ delivered: 2, summary: expect.any(String) });
      } else {
        expect(outcome).toBeInstanceOf(MalformedRolloutChange);
        expect(outcome).not.toBeInstanceOf(ChangeEventRetryable);
        expect(outcome).not.toBeInstanceOf(ChangeEventRefused);
      }
    }), { numRuns: 500 });
  });
});

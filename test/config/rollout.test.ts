import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ClientConfigLoader } from '../../lib/config';
import { ROLLOUT_DEFAULTS } from '../../lib/config/defaults';
import { ClientConfigError } from '../../lib/config/loader';
import { addDays } from '../../lib/config/semantics';

const EXAMPLE_FILE = path.join(__dirname, '..', '..', 'clients', 'example.yaml');
const exampleText = fs.readFileSync(EXAMPLE_FILE, 'utf8');
const TODAY = new Date('2026-12-05T10:00:00Z');

const SONNET45 = { id: 'sonnet45-p7', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', promptVersion: '7' };
const SONNET46 = { id: 'sonnet46-p7', model: 'us.anthropic.claude-sonnet-4-6', promptVersion: '7' };

/** The example with the rollout of answer/draft-reply (agents[1].routes[0]) replaced, as YAML text. */
function withRollout(rollout: unknown): string {
  const config = YAML.parse(exampleText);
  config.agents[1].routes[0].rollout = rollout;
  return YAML.stringify(config);
}

function load(text: string, now: Date = TODAY) {
  return ClientConfigLoader.fromYaml(text, 'clients/example.yaml', undefined, { now });
}

function errorOf(text: string, now: Date = TODAY): ClientConfigError {
  try {
    load(text, now);
  } catch (error) {
    if (error instanceof ClientConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const ROLLOUT_PATH = '$.agents[1].routes[0].rollout';

describe('routes[].rollout', () => {
  test('the example rolls Sonnet 4.6 out on answer/draft-reply with its stage plan', () => {
    const route = load(exampleText).agents[1].routes[0];
    expect(route.rollout).toMatchObject({ baseline: { id: 'sonnet45-p7' }, candidate: { id: 'sonnet46-p7', model: 'us.anthropic.claude-sonnet-4-6' }, minCallsPerStage: 500 });
    expect(route.rollout!.stages!.map((s) => s.percent)).toEqual([10, 50, 100]);
  });

  test('the default plan is 10% -> 50% -> 100% over one to two weeks', () => {
    expect(ROLLOUT_DEFAULTS.stages.map((s) => s.percent)).toEqual([10, 50, 100]);
    const hours = ROLLOUT_DEFAULTS.stages.reduce((sum, s) => sum + s.bakeHours, 0);
    expect(hours).toBeGreaterThanOrEqual(7 * 24);
    expect(hours).toBeLessThanOrEqual(14 * 24);
  });

  test('variant models must be models the agent calls, and variant ids distinct', () => {
    const error = errorOf(withRollout({ baseline: SONNET45, candidate: { ...SONNET46, id: 'sonnet45-p7', model: 'gpt-5-mini' } }));
    expect(error.problems).toEqual([
      expect.objectContaining({ path: `${ROLLOUT_PATH}.candidate`, expected: expect.stringMatching(/^a variant whose model agent 'answer' calls \(us\.anthropic/), found: 'model \'gpt-5-mini\'' }),
      expect.objectContaining({ path: `${ROLLOUT_PATH}.candidate.id`, expected: expect.stringMatching(/other than the baseline's/) }),
    ]);
    expect(error.problems[0].line).toBeGreaterThan(0);
  });

  test('stages rise strictly and end at 100', () => {
    const stages = [{ percent: 50, bakeHours: 24 }, { percent: 20, bakeHours: 24 }];
    const error = errorOf(withRollout({ baseline: SONNET45, candidate: SONNET46, stages }));
    expect(error.problems.map((p) => p.path)).toEqual([`${ROLLOUT_PATH}.stages[1].percent`, `${ROLLOUT_PATH}.stages[1].percent`]);
    expect(error.problems[0].expected).toMatch(/above the previous stage's 50/);
    expect(error.problems[1].expected).toMatch(/^100 in the last stage/);
  });

  test('an unknown key is refused, listing the keys a rollout takes', () => {
    const error = errorOf(withRollout({ baseline: SONNET45, candidate: SONNET46, shadowMaxExtraUsdPerDay: 5 }));
    expect(error.problems).toEqual([expect.objectContaining({ path: `${ROLLOUT_PATH}.shadowMaxExtraUsdPerDay`, expected: expect.stringMatching(/^one of the keys baseline, candidate, stages/) })]);
  });

  test('keys that need a candidate are refused without one; a rollout with neither candidate nor previous changes nothing', () => {
    const error = errorOf(withRollout({ baseline: SONNET45, stages: [{ percent: 100, bakeHours: 24 }] }));
    expect(error.problems.map((p) => [p.path, p.expected])).toEqual([
      [ROLLOUT_PATH, 'a candidate to roll out, or previous after a promotion (a rollout with neither changes nothing: remove it)'],
      [`${ROLLOUT_PATH}.stages`, 'no stages without a candidate: it applies to a candidate\'s rollout (remove the key)'],
    ]);
  });

  describe('the 30-day guard after a promotion', () => {
    const promoted = (promotedOn: string, previous?: object) => withRollout({ baseline: SONNET46, ...(previous ? { previous } : {}), promotedOn });

    test('previous may not go before promotedOn + 30 days; the message says the day it may', () => {
      // GIVEN a promotion on 2026-11-20, and today 2026-12-05
      const error = errorOf(promoted('2026-11-20'));
      // THEN removing previous is refused until 2026-12-20
      expect(error.problems).toEqual([expect.objectContaining({ path: `${ROLLOUT_PATH}.previous`, found: 'no previous' })]);
      expect(error.message).toMatch(/clients\/example\.yaml:\d+:\d+ \$\.agents\[1\]\.routes\[0\]\.rollout\.previous: expected .* keep it until 2026-12-20, found no previous/);
    });

    test('previous stays loadable during the 30 days and is removable on the 30th day, with promotedOn', () => {
      expect(load(promoted('2026-11-20', SONNET45)).agents[1].routes[0].rollout!.previous!.id).toBe('sonnet45-p7');
      const onTheDay = new Date('2026-12-20T00:00:00Z');
      expect(errorOf(promoted('2026-11-20'), onTheDay).problems).toEqual([expect.objectContaining({
        path: `${ROLLOUT_PATH}.promotedOn`, expected: 'no promotedOn once previous is gone (its 30 days ended on 2026-12-20): remove the key',
      })]);
      expect(() => load(withRollout(undefined), onTheDay)).not.toThrow();
    });

    test('the day before the 30 days end, removal is still refused', () => {
      expect(errorOf(promoted('2026-11-20'), new Date('2026-12-19T23:59:59Z')).message).toMatch(/keep it until 2026-12-20/);
    });

    test('previous needs promotedOn, and promotedOn cannot be in the future', () => {
      expect(errorOf(withRollout({ baseline: SONNET46, previous: SONNET45 })).problems.map((p) => p.path)).toEqual([`${ROLLOUT_PATH}.promotedOn`]);
      expect(errorOf(promoted('2026-12-06', SONNET45)).problems).toEqual([expect.objectContaining({ path: `${ROLLOUT_PATH}.promotedOn`, expected: 'a day that has come (today is 2026-12-05 UTC)' })]);
    });

    test('addDays crosses months and years', () => {
      expect([addDays('2026-11-20', 30), addDays('2026-12-15', 30), addDays('2028-02-01', 30)]).toEqual(['2026-12-20', '2027-01-14', '2028-03-02']);
    });
  });

  test('agent and route ids too long together for the AppConfig environment name', () => {
    const config = YAML.parse(exampleText);
    config.agents[1].routes[0].id = 'r'.repeat(60);
    config.agents[1].routes[0].rollout = { baseline: SONNET45, candidate: SONNET46 };
    expect(errorOf(YAML.stringify(config)).problems.map((p) => p.expected)).toContain(
      'agent and route ids of at most 63 characters together (the rollout\'s AppConfig environment is named <agent>.<route>)');
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { ClientConfigLoader, OperatingPosture, SlaTier } from '../../lib/config';
import { ClientConfigError } from '../../lib/config/loader';
import { ModelProvider } from '../../lib/pricing';

const EXAMPLE_FILE = path.join(__dirname, '..', '..', 'clients', 'example.yaml');
const exampleText = fs.readFileSync(EXAMPLE_FILE, 'utf8');

/** The example config with one change applied, as YAML text. */
function exampleWith(change: (config: any) => void): string {
  const config = YAML.parse(exampleText);
  change(config);
  return YAML.stringify(config);
}

/** The error a config text raises; fails the test when it loads. */
function errorOf(text: string, file = 'clients/bad.yaml'): ClientConfigError {
  try {
    ClientConfigLoader.fromYaml(text, file);
  } catch (error) {
    if (error instanceof ClientConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('the example client', () => {
  test('loads into typed props', () => {
    const config = ClientConfigLoader.fromFile(EXAMPLE_FILE);
    expect(config.clientId).toBe('example');
    expect(config.slaTier).toBe(SlaTier.STANDARD);
    expect(config.posture).toBe(OperatingPosture.PRIMARY);
    expect(config.agents).toHaveLength(4);
    expect(config.agents.flatMap((a) => a.routes)).toHaveLength(8);
    const { AWS_BEDROCK, OPENAI } = ModelProvider;
    expect(config.models.map((m) => m.provider)).toEqual([AWS_BEDROCK, AWS_BEDROCK, OPENAI, AWS_BEDROCK]);
    expect(config.agents[0].owner).toEqual({ team: 'support-platform', service: 'support-triage-fn' });
  });
});

describe('accuracy objectives', () => {
  const draftReply = (c: any) => c.agents[1].routes[0].slo.accuracy;

  test('the example\'s two routes load with their evaluators; unset window, evidence and severity stay unset (defaults live with the alarms)', () => {
    const config = ClientConfigLoader.fromFile(EXAMPLE_FILE);
    const withAccuracy = config.agents.flatMap((a) => a.routes.filter((r) => r.slo.accuracy).map((r) => `${a.id}/${r.id}`));
    expect(withAccuracy).toEqual(['answer/draft-reply', 'qa-review/score-reply']);
    expect(config.agents[1].routes[0].slo.accuracy).toEqual({
      evaluators: [{ id: 'grounded-answer-judge', minPassRatePercent: 90, minMeanScore: 0.8 }, { id: 'reply-schema', minPassRatePercent: 98 }],
    });
  });

  test('an evaluator without an objective', () => {
    const error = errorOf(exampleWith((c) => { draftReply(c).evaluators[1] = { id: 'reply-schema' }; }));
    expect(error.problems).toEqual([expect.objectContaining({
      path: '$.agents[1].routes[0].slo.accuracy.evaluators[1]',
      expected: 'minPassRatePercent or minMeanScore (an evaluator with neither sets no objective)',
    })]);
  });

  test('a pass rate of 100% (one failure would be a breach) and a score above 1', () => {
    const error = errorOf(exampleWith((c) => {
      draftReply(c).evaluators[0].minPassRatePercent = 100;
      draftReply(c).evaluators[0].minMeanScore = 8;
    }));
    expect(error.problems.map((p) => p.path)).toEqual([
      '$.agents[1].routes[0].slo.accuracy.evaluators[0].minPassRatePercent',
      '$.agents[1].routes[0].slo.accuracy.evaluators[0].minMeanScore',
    ]);
  });

  test('an evaluator twice on one route', () => {
    const error = errorOf(exampleWith((c) => { draftReply(c).evaluators[1].id = 'grounded-answer-judge'; }));
    expect(error.problems).toEqual([expect.objectContaining({
      path: '$.agents[1].routes[0].slo.accuracy.evaluators[1].id',
      expected: 'an evaluator id used once in route \'draft-reply\'',
    })]);
  });

  test('a pass-rate objective on AgentCore Evaluations, which publishes scores only', () => {
    const error = errorOf(exampleWith((c) => {
      c.agents[3].routes[0].slo.accuracy.agentCore = { namespace: 'Example/AgentCore', metricName: 'Score', evaluatorDimension: 'Evaluator' };
    }));
    expect(error.problems).toEqual([expect.objectContaining({
      path: '$.agents[3].routes[0].slo.accuracy.evaluators[0].minPassRatePercent',
      expected: 'minMeanScore only (AgentCore Evaluations publishes scores, not pass/fail verdicts)',
    })]);
  });

  test('a window longer than a week, an evidence minimum of 0 and an unknown severity', () => {
    const error = errorOf(exampleWith((c) => { Object.assign(draftReply(c), { windowHours: 200, minScoredCalls: 0, severity: 'P4' }); }));
    expect(error.problems.map((p) => p.path)).toEqual([
      '$.agents[1].routes[0].slo.accuracy.windowHours',
      '$.agents[1].routes[0].slo.accuracy.minScoredCalls',
      '$.agents[1].routes[0].slo.accuracy.severity',
    ]);
  });
});

describe('rejected configs name the file, the JSON path, what was expected and what was found', () => {
  test('an unknown key, with its line and a suggestion', () => {
    const error = errorOf([
      'clientId: acme',
      'displayName: Acme',
      'slaTier: standard',
      'agents: []',
      'models: []',
      'budgets: { monthlyUsd: 10 }',
      'escalation: {}',
      'budgetz: 5',
    ].join('\n'));
    expect(error.file).toBe('clients/bad.yaml');
    expect(error.message).toContain('clients/bad.yaml:8:1 $.budgetz: expected one of the keys clientId, displayName');
    expect(error.message).toContain('clients/bad.yaml:4:1 $.agents: expected a list of at least 1, found a list of 0');
    expect(error.message).toContain("found unknown key 'budgetz' (did you mean 'budgets'?)");
  });

  test('an unknown key deep in an agent', () => {
    const error = errorOf(exampleWith((c) => { c.agents[1].routes[0].slo.latencyMs = 5; }));
    expect(error.problems).toEqual([expect.objectContaining({
      path: '$.agents[1].routes[0].slo.latencyMs',
      expected: 'one of the keys latency, errorRatePercent, throttleRatePercent, severityOverrides, accuracy',
    })]);
  });

  test('a missing agent owner', () => {
    const error = errorOf(exampleWith((c) => { delete c.agents[2].owner; }));
    expect(error.problems).toEqual([expect.objectContaining({
      file: 'clients/bad.yaml',
      path: '$.agents[2].owner',
      expected: 'an object',
      found: 'nothing (the key is missing)',
    })]);
    expect(error.problems[0].line).toBeGreaterThan(1);
  });

  test('a missing owner team', () => {
    const error = errorOf(exampleWith((c) => { delete c.agents[0].owner.team; }));
    expect(error.message).toMatch(/\$\.agents\[0\]\.owner\.team: expected a string, found nothing \(the key is missing\)/);
  });

  test('a negative budget', () => {
    const error = errorOf(exampleWith((c) => { c.budgets.monthlyUsd = -100; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.budgets.monthlyUsd', expected: 'a number > 0', found: 'number -100' })]);
  });

  test('a negative per-agent budget', () => {
    const error = errorOf(exampleWith((c) => { c.budgets.perAgentMonthlyUsd.answer = -1; }));
    expect(error.problems[0].path).toBe('$.budgets.perAgentMonthlyUsd.answer');
  });

  test('an unknown model, listing the catalog', () => {
    const error = errorOf(exampleWith((c) => { c.models[2].modelId = 'gpt-9-turbo'; c.agents[2].models = ['gpt-9-turbo']; c.agents[3].models = ['gpt-9-turbo']; c.priceOverrides = []; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.models[2].modelId', found: "'gpt-9-turbo'" })]);
    expect(error.problems[0].expected).toMatch(/a model of the price catalog \(.*gpt-5-mini.*\), or a priceOverrides entry with prices for it/);
  });

  test('an unlisted model priced by a client override is accepted', () => {
    const text = exampleWith((c) => {
      c.models.push({ provider: 'openai', modelId: 'ft:gpt-acme' });
      c.priceOverrides.push({ modelId: 'ft:gpt-acme', prices: { input: 3, output: 12 } });
    });
    expect(ClientConfigLoader.fromYaml(text, 'clients/ok.yaml').models).toHaveLength(5);
  });

  test('a model served by a provider that does not serve it', () => {
    const error = errorOf(exampleWith((c) => { c.models[2].provider = 'aws.bedrock'; }));
    expect(error.problems).toEqual([expect.objectContaining({
      path: '$.models[2].provider',
      expected: 'a provider that serves GPT-5 mini (openai, azure.ai.openai)',
    })]);
  });

  test('an agent that names a model the client does not list', () => {
    const error = errorOf(exampleWith((c) => { c.agents[0].models = ['gemini-2.5-pro']; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.agents[0].models[0]', expected: 'a model id listed under models' })]);
  });

  test('an invalid enum value lists the allowed ones', () => {
    const error = errorOf(exampleWith((c) => { c.slaTier = 'gold'; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.slaTier', expected: 'one of standard, enterprise', found: "'gold'" })]);
  });

  test('an unquoted account id (YAML reads it as a number) tells how to fix it', () => {
    const error = errorOf(exampleText.replace('slaTier: standard', 'account: 123456789012\nslaTier: standard'));
    expect(error.problems[0].path).toBe('$.account');
    expect(error.problems[0].expected).toContain('quoted');
    expect(error.problems[0].found).toBe('number 123456789012');
  });

  test('latency percentiles out of order', () => {
    const error = errorOf(exampleWith((c) => { c.agents[0].routes[1].slo.latency.p95Ms = 100; }));
    expect(error.problems).toEqual([expect.objectContaining({
      path: '$.agents[0].routes[1].slo.latency',
      expected: 'p50Ms <= p95Ms <= p99Ms',
      found: 'p50Ms 400, p95Ms 100, p99Ms 2000',
    })]);
  });

  test('duplicate agent and route ids', () => {
    const error = errorOf(exampleWith((c) => { c.agents[1].id = 'triage'; c.agents[2].routes[1].id = 'rewrite-query'; }));
    expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['$.agents[1].id', '$.agents[2].routes[1].id']));
  });

  test('per-agent budgets that name an unknown agent or exceed the total', () => {
    const error = errorOf(exampleWith((c) => { c.budgets.perAgentMonthlyUsd.ghost = 50_000; }));
    // In line order: the sum is reported at the per-agent key, above the unknown agent.
    expect(error.problems.map((p) => p.path)).toEqual(['$.budgets.perAgentMonthlyUsd', '$.budgets.perAgentMonthlyUsd.ghost']);
    expect(error.problems[0].found).toBe('a sum of 67500');
  });

  test('no way to reach a human for P1', () => {
    const error = errorOf(exampleWith((c) => { delete c.escalation.pagerDuty.p1; delete c.escalation.emails.p1; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.escalation', found: 'neither' })]);
  });

  test('no destination for P2, for the P3 digest, or for the client team in posture escalation', () => {
    const error = errorOf(exampleWith((c) => {
      delete c.escalation.pagerDuty.p2;
      delete c.escalation.slack;
      c.escalation.emails = { p1: ['oncall@example.com'] };
    }));
    expect(error.problems.map((p) => p.expected)).toEqual([
      'a destination for P2: pagerDuty.p2 (a low-urgency service) or at least one address in emails.p2',
      'a destination for the P3 digest: slack or at least one address in emails.p3',
    ]);
    const escalation = errorOf(exampleWith((c) => {
      c.posture = 'escalation';
      delete c.escalation.slack;
      delete c.escalation.emails.p2;
    }));
    expect(escalation.problems.map((p) => p.expected)).toContain('the client team\'s own channel for posture escalation: slack, or addresses in emails.p2');
  });

  test('governance settings that cannot work', () => {
    const error = errorOf(exampleWith((c) => {
      delete c.agents[1].recordsSessions;
      c.governance.anomalyDatapointsToAlarm = 6;
      c.governance.excludedTimeRanges = [{ start: '2026-11-04T00:00:00Z', end: '2026-11-02T00:00:00Z' }];
    }));
    expect(error.problems.map((p) => [p.path, p.expected])).toEqual([
      ['$.agents[1].sessionLimits', 'recordsSessions: true (session limits read the agent\'s session records)'],
      ['$.governance.excludedTimeRanges[0]', 'start before end'],
      ['$.governance.anomalyDatapointsToAlarm', 'at most anomalyEvaluationHours (4)'],
    ]);
  });

  test('a PagerDuty integration key pasted where the secret name belongs', () => {
    const error = errorOf(exampleWith((c) => { c.escalation.pagerDuty.p2.integrationKeySecretName = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'; }));
    expect(error.problems).toEqual([expect.objectContaining({
      path: '$.escalation.pagerDuty.p2.integrationKeySecretName',
      found: 'a value shaped like a PagerDuty integration key',
    })]);
    // The key itself is never echoed back into logs.
    expect(error.message).not.toContain('a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');
  });

  test('format errors: bad email, http runbook, bad Slack ids, bad date', () => {
    const error = errorOf(exampleWith((c) => {
      c.escalation.emails.p1 = ['not-an-email'];
      c.agents[1].runbookUrl = 'http://runbooks.example.com';
      c.escalation.slack.channelId = '#support';
      c.priceOverrides[0].effectiveFrom = '2026-13-01';
    }));
    expect(error.problems.map((p) => [p.path, p.expected])).toEqual(expect.arrayContaining([
      ['$.escalation.emails.p1[0]', 'an email address'],
      ['$.agents[1].runbookUrl', 'an https:// URL'],
      ['$.escalation.slack.channelId', 'a Slack channel id (C or G followed by capitals and digits)'],
      ['$.priceOverrides[0].effectiveFrom', 'a date written YYYY-MM-DD'],
    ]));
  });

  test('a price override that changes nothing', () => {
    const error = errorOf(exampleWith((c) => { delete c.priceOverrides[0].discountPercent; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.priceOverrides[0]', expected: expect.stringContaining('discountPercent or prices') })]);
  });

  test('YAML syntax errors carry their line', () => {
    const error = errorOf('clientId: acme\nclientId: again\n');
    expect(error.problems[0]).toEqual(expect.objectContaining({ line: 2, expected: 'valid YAML', found: 'Map keys must be unique' }));
  });

  test('an empty file', () => {
    expect(errorOf('').problems[0]).toEqual(expect.objectContaining({ path: '$', found: 'an empty document' }));
  });

  test('a missing file', () => {
    const missing = path.join(os.tmpdir(), 'cdk-ai-ops-no-such-client.yaml');
    expect(() => ClientConfigLoader.fromFile(missing)).toThrow(`${missing}: invalid client config, 1 problem:`);
    expect(() => ClientConfigLoader.fromFile(missing)).toThrow('expected a readable YAML file, found no such file');
  });

  test('every problem is reported at once, one per line', () => {
    const error = errorOf(exampleWith((c) => { c.budgets.monthlyUsd = 0; c.slaTier = 'gold'; c.extra = true; }));
    expect(error.problems).toHaveLength(3);
    expect(error.message.split('\n')).toHaveLength(4);
    expect(error.message.split('\n')[0]).toBe('clients/bad.yaml: invalid client config, 3 problems:');
  });
});

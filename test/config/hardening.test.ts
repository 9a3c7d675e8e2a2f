import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { ClientConfigLoader, OperatingPosture } from '../../lib/config';
import { ClientConfigError, CONFIG_FILE_LIMITS } from '../../lib/config/loader';

const EXAMPLE_FILE = path.join(__dirname, '..', '..', 'clients', 'example.yaml');
const exampleText = fs.readFileSync(EXAMPLE_FILE, 'utf8');
const STACK_TRACE_LINE = /^\s+at .+:\d+:\d+\)?$/m;

function exampleWith(change: (config: any) => void): string {
  const config = YAML.parse(exampleText);
  change(config);
  return YAML.stringify(config);
}

function errorOf(load: () => unknown): ClientConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ClientConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const fromText = (text: string) => errorOf(() => ClientConfigLoader.fromYaml(text, 'clients/bad.yaml'));

/** Milliseconds `fn` takes. */
function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe('YAML features a config does not need are refused with file:line:col', () => {
  test('an alias bomb finishes in under a second, naming the first anchor and alias', () => {
    // GIVEN nine levels of nine aliases each (9^9 values once expanded)
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      levels.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    let error: ClientConfigError | undefined;
    // WHEN / THEN
    expect(timed(() => { error = fromText(levels.join('\n')); })).toBeLessThan(1000);
    expect(error!.message).toContain('clients/bad.yaml:1:7 $.a: expected a value without an anchor (YAML anchors and aliases are not accepted), found an anchor &a');
    expect(error!.message).toContain('clients/bad.yaml:2:8 $.b[0]: expected a value written out (YAML aliases are not accepted), found an alias *a');
    expect(error!.problems).toHaveLength(20);
    expect(error!.message).not.toMatch(STACK_TRACE_LINE);
  });

  test('an unresolved alias', () => {
    expect(fromText('clientId: *nowhere\n').problems[0]).toEqual(expect.objectContaining({ line: 1, column: 11, found: 'an alias *nowhere' }));
  });

  test('10,000 levels of nesting, flow and block, finish in under a second with the depth limit', () => {
    const flow = 'clientId: ' + '['.repeat(10_000) + ']'.repeat(10_000);
    const block = Array.from({ length: 10_000 }, () => '- ').join('') + 'x';
    for (const text of [flow, block]) {
      let error: ClientConfigError | undefined;
      expect(timed(() => { error = fromText(text); })).toBeLessThan(1000);
      expect(error!.problems).toHaveLength(1);
      expect(error!.problems[0]).toEqual(expect.objectContaining({ expected: `at most ${CONFIG_FILE_LIMITS.maxDepth} levels of nesting`, line: 1 }));
    }
  });

  test('nesting under the parser\'s limit but deeper than a config goes is refused at the deepest value', () => {
    const error = fromText('clientId: ' + '['.repeat(40) + ']'.repeat(40));
    expect(error.problems).toEqual([expect.objectContaining({ path: expect.stringMatching(/^\$\.clientId(\[0\]){32}$/), line: 1, column: 43 })]);
  });

  test('merge keys and custom tags (!Ref, !!js/function) are refused, not loaded as plain strings', () => {
    const error = fromText(exampleText
      .replace('displayName: Example Support Co.', 'displayName: !Ref ClientName')
      .replace('metricNamespace: CdkAiOps', 'metricNamespace: !!js/function "function () { return 1 }"')
      .replace('governance:\n', 'governance:\n  <<: {anomalyBandStdDevs: 2}\n'));
    expect(error.problems.map((p) => [p.path, p.line, p.found])).toEqual([
      ['$.displayName', 5, 'the tag !Ref'],
      ['$.metricNamespace', 8, 'the tag tag:yaml.org,2002:js/function'],
      ['$.governance', expect.any(Number), "a merge key '<<'"],
    ]);
  });

  test('__proto__ and constructor keys are refused where they are, never silently dropped', () => {
    const error = fromText(exampleText.replace('    triage: 1500\n', '    __proto__: 10\n    constructor: 20\n'));
    expect(error.problems.map((p) => [p.path, p.found])).toEqual([
      ['$.budgets.perAgentMonthlyUsd.__proto__', "the key '__proto__'"],
      ['$.budgets.perAgentMonthlyUsd.constructor', "the key 'constructor'"],
    ]);
    expect(error.problems[0].line).toBe(exampleText.split('\n').indexOf('    triage: 1500') + 1);
  });
});

describe('the bytes of the file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-config-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('Latin-1 bytes are refused at their line, not turned into U+FFFD', () => {
    const file = path.join(tmp, 'latin1.yaml');
    fs.writeFileSync(file, Buffer.from(exampleText.replace('Example Support Co.', 'Exemple Société'), 'latin1'));
    const error = errorOf(() => ClientConfigLoader.fromFile(file));
    expect(error.problems).toEqual([expect.objectContaining({
      line: 5, column: 26, expected: 'UTF-8 text (save the file as UTF-8)', found: expect.stringContaining('not UTF-8'),
    })]);
  });

  test('a file over the size limit is refused before it is parsed', () => {
    const file = path.join(tmp, 'huge.yaml');
    fs.writeFileSync(file, exampleText + '#'.repeat(CONFIG_FILE_LIMITS.maxBytes));
    expect(errorOf(() => ClientConfigLoader.fromFile(file)).problems[0].expected).toBe(`a config file of at most ${CONFIG_FILE_LIMITS.maxBytes} bytes`);
  });

  test('a file with CR-only line breaks loads like its LF twin', () => {
    expect(ClientConfigLoader.fromYaml(exampleText.replace(/\n/g, '\r'), 'clients/mac.yaml')).toEqual(ClientConfigLoader.fromFile(EXAMPLE_FILE));
  });
});

describe('values that would be misread', () => {
  test('a newline, a NUL or a line separator in a single-line field is refused and shown escaped', () => {
    const error = fromText(exampleWith((c) => {
      c.agents[0].owner.team = 'support\nplatform';
      c.displayName = 'Example\u0000Co';
      c.agents[1].routes[0].description = 'Draft\u2028reply';
    }));
    expect(error.problems.map((p) => [p.path, p.expected, p.found])).toEqual([
      ['$.displayName', 'one line of text without control characters', "'Example\\u0000Co'"],
      ['$.agents[0].owner.team', 'one line of text without control characters', "'support\\nplatform'"],
      ['$.agents[1].routes[0].description', 'one line of text without control characters', "'Draft\\u2028reply'"],
    ]);
    expect(error.message.split('\n')).toHaveLength(4);
  });

  test('a YAML 1.1 date is called a date, and types are named in plain English', () => {
    const date = fromText('%YAML 1.1\n---\n' + exampleText.replace('clientId: example', 'clientId: 2026-01-01'));
    expect(date.problems.map((p) => [p.path, p.expected, p.found])).toEqual([['$.clientId', 'a string', 'a date (quote it to keep it text)']]);
    const types = fromText(exampleWith((c) => { c.agents = { triage: 1 }; c.reports = ['finance@example.com']; }));
    expect(types.problems.map((p) => [p.path, p.expected, p.found])).toEqual([
      ['$.agents', 'a list', 'an object'],
      ['$.reports', 'an object', 'a list of 1'],
    ]);
  });

  test('a clientId that is not the file\'s name is reported at its line, with the other problems', () => {
    const error = errorOf(() => ClientConfigLoader.fromYaml(exampleText.replace('slaTier: standard', 'slaTier: gold'), 'clients/acme.yaml', undefined, { expectedClientId: 'acme' }));
    expect(error.problems.map((p) => [p.line, p.path, p.expected])).toEqual([
      [4, '$.clientId', "'acme' (the file's name)"],
      [6, '$.slaTier', 'one of standard, enterprise'],
    ]);
  });

  test('schema and catalog problems come in one run, in line order', () => {
    // GIVEN a schema problem late in the file and a catalog problem early in it
    const error = fromText(exampleWith((c) => {
      c.models[2].modelId = 'gpt-9-turbo';
      c.agents[2].models = ['gpt-9-turbo'];
      c.agents[3].models = ['us.anthropic.claude-sonnet-4-5-20250929-v1:0'];
      c.priceOverrides = undefined;
      c.governance.spendRateMultiplier = 0;
    }));
    // THEN both, sorted by line
    expect(error.problems.map((p) => p.path)).toEqual(['$.models[2].modelId', '$.governance.spendRateMultiplier']);
    expect(error.problems[0].line!).toBeLessThan(error.problems[1].line!);
  });
});

describe('every key has an effect or is refused', () => {
  test('pagerDuty.p3 is refused: P3 never pages', () => {
    const error = fromText(exampleWith((c) => { c.escalation.pagerDuty.p3 = { integrationKeySecretName: 'cdk-ai-ops/example/pagerduty-p3' }; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.escalation.pagerDuty.p3', expected: expect.stringContaining('P3 alarms never page') })]);
  });

  test('pagerDuty.p2 in posture escalation is refused, not dropped', () => {
    const error = fromText(exampleWith((c) => { c.posture = OperatingPosture.ESCALATION; }));
    expect(error.problems).toEqual([expect.objectContaining({ path: '$.escalation.pagerDuty.p2', expected: expect.stringContaining('pages for P1 only') })]);
  });

  test('budgets.awsBilledMonthlyUsd: required with Bedrock and other providers, refused without Bedrock, at most monthlyUsd', () => {
    expect(fromText(exampleWith((c) => { delete c.budgets.awsBilledMonthlyUsd; })).problems)
      .toEqual([expect.objectContaining({ path: '$.budgets', found: 'no awsBilledMonthlyUsd' })]);
    expect(fromText(exampleWith((c) => { c.budgets.awsBilledMonthlyUsd = 20000; })).problems)
      .toEqual([expect.objectContaining({ path: '$.budgets.awsBilledMonthlyUsd', expected: expect.stringContaining('at most monthlyUsd (18000)') })]);
    const openAiOnly = (c: any) => {
      c.models = [{ provider: 'openai', modelId: 'gpt-5-mini' }];
      for (const agent of c.agents) agent.models = ['gpt-5-mini'];
      delete c.agents[1].routes[0].rollout;
    };
    expect(fromText(exampleWith(openAiOnly)).problems)
      .toEqual([expect.objectContaining({ path: '$.budgets.awsBilledMonthlyUsd', expected: expect.stringContaining('no model is on Bedrock') })]);
    expect(ClientConfigLoader.fromYaml(exampleWith((c) => { openAiOnly(c); delete c.budgets.awsBilledMonthlyUsd; }), 'clients/ok.yaml').budgets.awsBilledMonthlyUsd).toBeUndefined();
  });
});

describe('lengths that reach AWS', () => {
  test('a runbook base URL too long for any alarm description is refused, saying why', () => {
    const error = fromText(exampleWith((c) => { c.runbookBaseUrl = `https://runbooks.example.com/${'x'.repeat(600)}`; }));
    expect(error.problems.map((p) => [p.path, p.expected])).toEqual([
      ['$.runbookBaseUrl', "an https:// URL of at most 300 characters (alarm descriptions link it within CloudWatch's 1,024)"],
    ]);
  });

  test('long owner names with a long route runbook URL', () => {
    const error = fromText(exampleWith((c) => {
      c.agents[1].owner = { team: 't'.repeat(250), service: 's'.repeat(250) };
      c.agents[1].routes[1].runbookUrl = `https://runbooks.example.com/${'r'.repeat(250)}`;
    }));
    // The agent's own alarms link its shorter runbookUrl and stay within the limit.
    expect(error.problems.map((p) => p.path)).toEqual(['$.agents[1].routes[1]']);
  });

  test('ids that together make alarm names longer than 255 characters', () => {
    const error = fromText(exampleWith((c) => {
      c.clientId = 'c'.repeat(40);
      c.agents[1].id = 'a'.repeat(63);
      c.agents[1].routes[0].id = 'r'.repeat(63);
      c.agents[1].routes[0].slo.accuracy.evaluators[0].id = 'e'.repeat(100);
      c.budgets.perAgentMonthlyUsd = {};
    }));
    expect(error.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: '$.agents[1].routes[0].id', expected: expect.stringContaining('alarm names within CloudWatch\'s 255 characters') })]));
  });
});

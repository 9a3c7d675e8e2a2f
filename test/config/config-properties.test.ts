import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import * as YAML from 'yaml';
import { SloAlarmKind } from '../../lib/common/alarm-kinds';
import { describeAlarm } from '../../lib/common/description';
import { AiOpsNames } from '../../lib/common/names';
import { ClientConfig, ClientConfigLoader } from '../../lib/config';
import { MAX_ALARM_KIND_LENGTH } from '../../lib/config/limits';
import { ClientConfigError } from '../../lib/config/loader';

/*
 * Fuzzing the loader with mutations of the example client, as an auditor or an attacker would:
 * values replaced by odd ones, keys added and removed, YAML syntax spliced into the text.
 */

const EXAMPLE_FILE = path.join(__dirname, '..', '..', 'clients', 'example.yaml');
const exampleText = fs.readFileSync(EXAMPLE_FILE, 'utf8');
const example = YAML.parse(exampleText);
const FILE = 'clients/fuzzed.yaml';
const STACK_TRACE_LINE = /^\s+at .+:\d+:\d+\)?$/m;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONGEST_REGION = 'ap-southeast-99';

/** Every path to a value of the example, objects and lists included. */
function pathsOf(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return [at, ...value.flatMap((item, i) => pathsOf(item, [...at, i]))];
  if (value !== null && typeof value === 'object') return [at, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
  return [at];
}
const PATHS = pathsOf(example).filter((p) => p.length > 0);

const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', 'a\nb', 'nul\u0000', 'line\u2028sep', '__proto__', 'https://x.example.com/' + 'p'.repeat(900), 'x'.repeat(300), '2026-01-01', 'P4', 'AWS/Bedrock'),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, true, false, 0, -1, 1e12, 2 ** 53),
  fc.array(oddString, { maxLength: 3 }),
  fc.dictionary(oddString, oddString, { maxKeys: 3 }),
);

type Mutation = (config: any) => void;
/** The object or list at `at`, or undefined when an earlier mutation replaced a step of the way. */
function nodeAt(config: any, at: Array<string | number>): any {
  let node = config;
  for (const key of at) {
    node = node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? node[key] : undefined;
  }
  return node !== null && typeof node === 'object' ? node : undefined;
}
function setAt(config: any, at: Array<string | number>, value: unknown) {
  const parent = nodeAt(config, at.slice(0, -1));
  if (parent) parent[at[at.length - 1]] = value;
}
const structural: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...PATHS), oddValue).map(([at, value]): Mutation => (c) => setAt(c, at, value)),
  fc.constantFrom(...PATHS).map((at): Mutation => (c) => {
    const parent = nodeAt(c, at.slice(0, -1));
    if (!parent) return;
    if (Array.isArray(parent)) parent.splice(Number(at[at.length - 1]), 1); else delete parent[at[at.length - 1]];
  }),
  fc.tuple(fc.constantFrom(...PATHS), oddString, oddValue).map(([at, key, value]): Mutation => (c) => {
    const target = nodeAt(c, at);
    if (target && !Array.isArray(target)) Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  }),
);
const YAML_SPLICES = ['&a ', '*a', '*missing', '!Ref X ', '!!js/function "f" ', '<<: {x: 1}\n', '[', ']', '{', '}', ': ', '- ', '\r', '\t', '\u0000', '"', "'", '#', '%YAML 1.1\n---\n', '? ', '|\n', '\ufeff'];
const textual = fc.tuple(fc.nat(exampleText.length), fc.nat(12), fc.oneof(fc.constantFrom(...YAML_SPLICES), fc.string({ maxLength: 6 })))
  .map(([at, cut, insert]) => exampleText.slice(0, at) + insert + exampleText.slice(at + cut));

/** The config text, or the rejection, and nothing else: any other error fails the property. */
function load(text: string): ClientConfig | ClientConfigError {
  try {
    return ClientConfigLoader.fromYaml(text, FILE);
  } catch (error) {
    if (error instanceof ClientConfigError) return error;
    throw error;
  }
}

/** Every string of a loaded config, with where it is. */
function stringsOf(value: unknown, at = '$'): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsOf(v, `${at}.${k}`));
  return [];
}

const KINDS = Object.values(SloAlarmKind) as string[];
const LONGEST_KIND = KINDS.reduce((a, b) => (b.length > a.length ? b : a));

/** What CloudWatch and CloudFormation would refuse in the resources built from an accepted config. */
function awsLimitBreaches(config: ClientConfig): string[] {
  const breaches: string[] = [];
  for (const [at, text] of stringsOf(config)) if (CONTROL.test(text)) breaches.push(`${at} holds a control character`);
  for (const agent of config.agents) {
    const dashboard = AiOpsNames.agentDashboard(config.clientId, agent.id) + '-99';
    if (dashboard.length > 255) breaches.push(`dashboard ${dashboard}`);
    const dashboardUrl = AiOpsNames.dashboardUrl(dashboard).replace(/\$\{Token\[[^\]]+\]\}/, LONGEST_REGION);
    for (const route of agent.routes) {
      for (const evaluator of route.slo.accuracy?.evaluators ?? [{ id: undefined }]) {
        const alarmName = AiOpsNames.alarm(config.clientId, LONGEST_KIND, agent.id, route.id, evaluator.id);
        if (alarmName.length > 255) breaches.push(`alarm name ${alarmName}`);
        const runbookUrl = route.runbookUrl ?? agent.runbookUrl ?? AiOpsNames.runbookUrl(LONGEST_KIND, alarmName, config.runbookBaseUrl);
        const description = describeAlarm({
          severity: 'P1',
          what: `evaluator ${evaluator.id} of route ${agent.id}/${route.id} recorded no evaluations: the accuracy SLO is blind`,
          condition: 'c'.repeat(200),
          owner: `team ${agent.owner.team}, service ${agent.owner.service}`,
          runbookUrl,
          dashboardUrl,
        });
        if (description.length > 1024) breaches.push(`description of ${alarmName}: ${description.length} characters`);
      }
    }
  }
  return breaches;
}

/** Problems with a rejection: no file, no line, a stack trace. */
function rejectionFaults(error: ClientConfigError): string[] {
  const faults = error.problems.filter((p) => p.file !== FILE || !(p.line! >= 1) || !(p.column! >= 1)).map((p) => `unplaced: ${JSON.stringify(p)}`);
  if (STACK_TRACE_LINE.test(error.message)) faults.push('stack trace');
  if (!error.message.startsWith(`${FILE}: invalid client config`)) faults.push(`first line: ${error.message.split('\n')[0]}`);
  return faults;
}

describe('mutations of the example client', () => {
  test('every alarm kind fits the length the config checks assume', () => {
    expect(LONGEST_KIND.length).toBeLessThanOrEqual(MAX_ALARM_KIND_LENGTH);
  });

  test.each([
    ['structural (values, keys)', fc.array(structural, { minLength: 1, maxLength: 3 }).map((changes) => {
      const config = structuredClone(example);
      for (const change of changes) change(config);
      return YAML.stringify(config);
    })],
    ['textual (YAML syntax spliced in)', textual],
  ])('%s: each is accepted within AWS limits, or rejected naming the file and a line, never with an internal error', (_, texts) => {
    fc.assert(fc.property(texts as fc.Arbitrary<string>, (text) => {
      const result = load(text);
      const faults = result instanceof ClientConfigError ? rejectionFaults(result) : awsLimitBreaches(result);
      if (faults.length > 0) throw new Error(`${faults.join('\n')}\n--- config ---\n${text.slice(0, 2000)}`);
    }), { numRuns: 200 });
  });
});

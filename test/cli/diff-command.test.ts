/*
 * `cdk-ai-ops diff` against a git ref and against a previous cdk.out: both sides synthesized,
 * nested stacks compared resource by resource.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffCommand, notableChanges, parseDiffArgs } from '../../lib/cli/diff-command';
import { main } from '../../lib/cli/main';
import { CliUsageError } from '../../lib/cli/options';
import { EXAMPLE_CONFIG_FILE } from '../support/example';

/** A platform repository (git) with clients/acme.yaml, the example under another id, committed. */
function platformRepo(): { root: string; config: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-diff-repo-'));
  fs.mkdirSync(path.join(root, 'clients'));
  const config = path.join(root, 'clients', 'acme.yaml');
  fs.writeFileSync(config, fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8').replace('clientId: example', 'clientId: acme'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'acme');
  return { root, config };
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const edited = text.replace(from, to);
  expect(edited).not.toBe(text);
  fs.writeFileSync(file, edited);
}

describe('cdk-ai-ops diff', () => {
  test('an unchanged config: no differences, exit 0', async () => {
    const { root } = platformRepo();
    let out = '';
    const code = await main(['diff', '-c', 'client=acme', '-c', `clientsDir=${path.join(root, 'clients')}`, '--against', 'HEAD'], { out: (t) => { out += t; }, err: (t) => { out += t; } });
    expect(out).toBe('There were no differences\n');
    expect(code).toBe(0);
  });

  test("one route's p95 SLO: exactly that alarm's Threshold changes, inside its agent's nested stack; exit 1", async () => {
    // GIVEN the p95 SLO of answer/draft-reply raised from 8000 to 9000 ms
    const { root, config } = platformRepo();
    edit(config, 'latency: { p50Ms: 3000, p95Ms: 8000, p99Ms: 15000 }', 'latency: { p50Ms: 3000, p95Ms: 9000, p99Ms: 15000 }');
    // WHEN
    const { comparisons, report } = diffCommand(['-c', 'client=acme', '--against', 'HEAD'], root);
    // THEN the answer agent's nested stack holds the alarm change, and no other nested stack changed
    const nested = comparisons.filter((c) => c.key.includes('/'));
    expect(nested.map((c) => c.label)).toEqual(['acme-ai-ops/AiOps/Agent-answer']);
    const alarms: Array<[string, string[]]> = [];
    nested[0].diff.resources.forEachDifference((_logicalId, change) => {
      if (change.resourceType === 'AWS::CloudWatch::Alarm') alarms.push([change.newValue!.Properties!.AlarmName, Object.keys(change.propertyUpdates).sort()]);
    });
    // (the description states the threshold, so it changes with it)
    expect(alarms).toEqual([['acme-answer-draft-reply-latency-p95', ['AlarmDescription', 'Threshold']]]);
    expect(report).toMatch(/Stack acme-ai-ops\/AiOps\/Agent-answer\n[\s\S]*\[~\] AWS::CloudWatch::Alarm .*draftreplylatencyp95[\s\S]*\[~\] Threshold\n\s+├─ \[-\] 8000\n\s+└─ \[\+\] 9000/);
    expect(notableChanges(comparisons)).toMatchObject({ replaced: [], destroyed: [], created: [], replacedUnderNewIds: [], iamChanged: [] });
    expect(report).toMatch(/0 replaced, 0 destroyed/);
  });

  test("renaming an agent names what is destroyed and created: the old agent's alarms lose their history", () => {
    const { root, config } = platformRepo();
    edit(config, /- id: triage\n/, '- id: ticket-triage\n');
    edit(config, /\n    triage: 1500\n/, '\n    ticket-triage: 1500\n');
    const { comparisons, report } = diffCommand(['-c', 'client=acme', '--against', 'HEAD'], root);
    const notable = notableChanges(comparisons);
    expect(notable.destroyed).toContainEqual(expect.stringMatching(/^acme-ai-ops\/AiOpsAgenttriage[0-9A-F]{8}.* \(AWS::CloudFormation::Stack\)$|^acme-ai-ops\/.*Agenttriage.*NestedStackResource.* \(AWS::CloudFormation::Stack\)$/));
    expect(notable.destroyed).toContainEqual(expect.stringMatching(/Agent-triage\/.*classifyticketlatencyp95.* \(AWS::CloudWatch::Alarm\)$/));
    expect(notable.created).toContainEqual(expect.stringMatching(/Agent-ticket-triage\/.*classifyticketlatencyp95.* \(AWS::CloudWatch::Alarm\)$/));
    expect(report).toMatch(/Destroyed:\n(  .*\n)*  acme-ai-ops\/AiOps\/Agent-triage\/\S+ \(AWS::CloudWatch::Alarm\)/);
    expect(report).toMatch(/\[-\] AWS::CloudWatch::Alarm/);
    expect(notable.replacedUnderNewIds).toContainEqual(expect.stringMatching(/^acme-ai-ops: \d+ AWS::CloudWatch::Alarm$/));
    expect(report).toMatch(/Replaced under new ids \(.*a renamed agent or route: an alarm loses its history.*\):\n(  .*\n)*  acme-ai-ops: \d+ AWS::CloudWatch::Alarm\n/);
  });

  test('against the cdk.out of an earlier synthesis; a changed IAM policy is named', () => {
    // GIVEN an earlier synthesis of every client
    const { root, config } = platformRepo();
    const before = diffCommand(['-c', 'client=all', '--against', 'HEAD'], root);
    expect(before.comparisons).toEqual([]);
    // WHEN a log group is added to an agent (its role may now read it)
    edit(config, '      - /aws/lambda/support-triage-fn\n', '      - /aws/lambda/support-triage-fn\n      - /aws/lambda/support-triage-v2-fn\n');
    const { comparisons, report } = diffCommand(['-c', 'client=all', '--against', before.outdir], root);
    // THEN the report function's role may read the new log group: an IAM change, named
    expect(notableChanges(comparisons).iamChanged).toEqual(['acme/acme-ai-ops']);
    expect(report).toMatch(/IAM Statement Changes/);
    expect(report).toMatch(/support-triage-v2-fn/);
    expect(report).toMatch(/IAM changes \(review the statement tables above\):\n  acme\/acme-ai-ops\n/);
  });

  test('arguments: -c key=value, --against; mistakes are usage errors', () => {
    expect(parseDiffArgs(['-c', 'client=all', '--against', 'main'])).toEqual({ context: { client: 'all' }, against: 'main' });
    expect(parseDiffArgs([])).toEqual({ context: {}, against: 'HEAD' });
    expect(() => parseDiffArgs(['-c', 'client'])).toThrow(CliUsageError);
    expect(() => parseDiffArgs(['-c', 'region=us-east-1'])).toThrow(/unknown context key 'region' \(known: client, clientsDir\)/);
    expect(() => parseDiffArgs(['--against'])).toThrow(/--against needs a git ref or a cdk.out folder/);
    expect(() => parseDiffArgs(['extra'])).toThrow(/unexpected argument 'extra'/);
  });

  test('an unknown ref is a usage error (exit 2), not a stack trace', async () => {
    const { root } = platformRepo();
    let err = '';
    const code = await main(['diff', '-c', 'client=acme', '-c', `clientsDir=${path.join(root, 'clients')}`, '--against', 'no-such-ref'], { out: () => undefined, err: (t) => { err += t; } });
    expect(code).toBe(2);
    expect(err).toMatch(/cdk-ai-ops diff: git rev-parse --verify --quiet no-such-ref\^\{commit\} failed/);
    expect(err).not.toMatch(/^\s+at /m);
  });
});

/*
 * `cdk-ai-ops audit` as a user runs it: the example's pack written where --out says (this is how
 * CI generates the example's audit pack), and every mistake a clear message with exit code 2.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

test.each([
  [['audit', '-c', 'client=all'], 'an audit pack is per client; name one client', 'Usage: cdk-ai-ops audit'],
  [['audit', '--out'], '--out needs a folder', 'Usage: cdk-ai-ops audit'],
  [['audit', '--out', 'a', '--out', 'b'], '--out given twice', 'Usage: cdk-ai-ops audit'],
  [['audit', '--colour', 'x'], 'unexpected argument \'--colour\'', 'Usage: cdk-ai-ops audit'],
  [['audit', '-c', 'region=eu-west-1'], 'unknown context key \'region\'', 'Usage: cdk-ai-ops audit'],
  [['audit', '-c', 'client=nope'], 'clients/nope.yaml', 'clients available: example'],
])('%j: a clear message, exit 2, no stack trace', async (args, message, hint) => {
  const { code, err } = await run(args);
  expect(code).toBe(2);
  expect(err).toContain(message);
  expect(err).toContain(hint);
  expect(err).not.toMatch(/\n\s+at /);
});

test('--help prints the usage', async () => {
  const { code, out } = await run(['audit', '--help']);
  expect(code).toBe(0);
  expect(out).toContain('Usage: cdk-ai-ops audit');
  expect((await run(['--help'])).out).toContain('audit     the audit pack of a client');
});

test('GIVEN the example client WHEN audit runs THEN audit.md, audit.html and audit.json are written to --out and summarized', async () => {
  // GIVEN
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-audit-cli-')), 'pack');
  const tmpBefore = new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('cdk-ai-ops-audit-') && !out.includes(f)));
  const silenced = console.error;
  console.error = () => undefined; // cdk-nag's validation table
  let result: { code: number; out: string; err: string };
  try {
    // WHEN
    result = await run(['audit', '-c', 'client=example', '--out', out]);
  } finally {
    console.error = silenced;
  }
  // THEN
  expect(result.code).toBe(0);
  expect(result.out).toMatch(/^example: \d+ resources, 9 roles, 7 outbound flows, 5 cdk-nag packs \(0 open findings\); wrote audit\.md, audit\.html, audit\.json to /);
  expect(fs.readdirSync(out).sort()).toEqual(['audit.html', 'audit.json', 'audit.md']);
  const md = fs.readFileSync(path.join(out, 'audit.md'), 'utf8');
  expect(md).toMatch(/^# Audit pack: Example Support Co\. \(example\)/);
  for (const heading of ['## Data that leaves the account', '## Who may do what (IAM)', '## Data stores: encryption and retention', '## Rule checks (cdk-nag)', '## Monitoring cost', '## Every resource']) {
    expect(md).toContain(heading);
  }
  expect(fs.readFileSync(path.join(out, 'audit.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  expect(JSON.parse(fs.readFileSync(path.join(out, 'audit.json'), 'utf8')).clientId).toBe('example');
  // The synthesized assembly is not left behind.
  expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('cdk-ai-ops-audit-') && !out.includes(f) && !tmpBefore.has(f))).toEqual([]);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
}, 120_000);

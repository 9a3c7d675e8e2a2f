import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CONFIG_FILE, PROJECT_ROOT } from '../support/example';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

/** Runs bin/app.ts as `cdk synth` would, with the given CDK context. */
function runApp(context: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-app-'));
  const result = spawnSync(TSX, [path.join(PROJECT_ROOT, 'bin', 'app.ts')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
  });
  return { status: result.status, stderr: result.stderr, outdir };
}

/** A clients folder holding one config: the example with `edit` applied to its text. */
function clientsDirWith(client: string, edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-clients-'));
  fs.writeFileSync(path.join(dir, `${client}.yaml`), edit(fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')));
  return dir;
}

const STACK_TRACE_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('the CDK app (bin/app.ts)', () => {
  test('synthesizes the example client by default, into a stack named after it', () => {
    const run = runApp({});
    expect(run.stderr).not.toMatch(/Validation failed/);
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(run.outdir, 'example-ai-ops.template.json'))).toBe(true);
  });

  test('picks clients/<id>.yaml with -c client=<id>', () => {
    const dir = clientsDirWith('acme', (text) => text.replace('clientId: example', 'clientId: acme'));
    const run = runApp({ client: 'acme', clientsDir: dir });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(run.outdir, 'acme-ai-ops.template.json'))).toBe(true);
  });

  test('a bad config exits 1 with the validation messages and no stack trace', () => {
    const dir = clientsDirWith('acme', (text) => text
      .replace('clientId: example', 'clientId: acme')
      .replace('monthlyUsd: 18000', 'monthlyUsd: -18000')
      .replace('      team: search\n', ''));
    const run = runApp({ client: 'acme', clientsDir: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/acme\.yaml: invalid client config, 2 problems:/);
    expect(run.stderr).toMatch(/acme\.yaml:\d+:\d+ \$\.agents\[2\]\.owner\.team: expected a string, found nothing \(the key is missing\)/);
    expect(run.stderr).toMatch(/acme\.yaml:\d+:\d+ \$\.budgets\.monthlyUsd: expected a number > 0, found number -18000/);
    expect(run.stderr).not.toMatch(STACK_TRACE_LINE);
  });

  test('a file whose clientId is not its name is refused', () => {
    const dir = clientsDirWith('acme', (text) => text);
    const run = runApp({ client: 'acme', clientsDir: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\$\.clientId: expected 'acme' \(the file's name\), found 'example'/);
    expect(run.stderr).not.toMatch(STACK_TRACE_LINE);
  });

  test('an unknown client lists the clients there are', () => {
    const run = runApp({ client: 'nobody' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/clients\/nobody\.yaml: invalid client config, 1 problem:/);
    expect(run.stderr).toMatch(/expected a client config file; clients available: example/);
    expect(run.stderr).not.toMatch(STACK_TRACE_LINE);
  });

  test('a client name that is not an id (a path) is refused before any file is read', () => {
    const run = runApp({ client: '../../etc/passwd' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/expected a client id with a file in clients\/ \(example\), found '\.\.\/\.\.\/etc\/passwd'/);
  });
});

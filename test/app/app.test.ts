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

/** `count` clients made from the example, each with its own id, account and region. */
function fleet(count: number): { dir: string; clients: Array<{ id: string; account: string; region: string }> } {
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'eu-central-1'];
  const clients = Array.from({ length: count }, (_, i) => ({ id: `fleet-${String.fromCharCode(97 + i)}`, account: String(100000000000 + i * 1111), region: regions[i % regions.length] }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-fleet-'));
  const example = fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8');
  for (const client of clients) {
    fs.writeFileSync(path.join(dir, `${client.id}.yaml`), example.replace('clientId: example', `clientId: ${client.id}\naccount: "${client.account}"\nregion: ${client.region}`));
  }
  return { dir, clients };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => fs.statSync(path.join(dir, file)).isFile());
}

const STACK_TRACE_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('the CDK app (bin/app.ts)', () => {
  test('synthesizes the example client by default, into a stack named after it', () => {
    const run = runApp({});
    expect(run.stderr).not.toMatch(/Validation failed/);
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(run.outdir, 'example-ai-ops.template.json'))).toBe(true);
    // What the client pays to be watched, and what its AWS budget covers.
    expect(run.stderr).toContain('cdk-ai-ops example: monitoring costs about USD');
    expect(run.stderr).toContain('cdk-ai-ops example: the AWS budget watches USD 15,000 a month of Amazon Bedrock, what AWS bills; the other USD 3,000');
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
    expect(run.stderr).toMatch(/acme\.yaml:4:1 \$\.clientId: expected 'acme' \(the file's name\), found 'example'/);
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
    expect(run.stderr).toMatch(/expected a client id with a file in clients\/ \(example\), or 'all', found '\.\.\/\.\.\/etc\/passwd'/);
  });

  describe('-c client=all', () => {
    // GIVEN five clients, each in its own account and region
    const { dir, clients } = fleet(5);
    // WHEN every client is synthesized in one run
    const run = runApp({ client: 'all', clientsDir: dir });
    const manifest = JSON.parse(fs.readFileSync(path.join(run.outdir, 'manifest.json'), 'utf8'));

    test('synthesizes every client under cdk-nag in one process', () => {
      expect(run.stderr).not.toMatch(/Validation failed/);
      expect(run.status).toBe(0);
      for (const client of clients) expect(run.stderr).toContain(`cdk-ai-ops ${client.id}: monitoring costs about USD`);
    });

    test('one folder per client, holding one stack named as when deployed alone, in the account and region of its config', () => {
      const assemblies = Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'cdk:cloud-assembly').map(([id]) => id).sort();
      expect(assemblies).toEqual(clients.map((c) => `assembly-${c.id}`));
      for (const client of clients) {
        const stage = JSON.parse(fs.readFileSync(path.join(run.outdir, `assembly-${client.id}`, 'manifest.json'), 'utf8'));
        const stacks = Object.values<any>(stage.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
        expect(stacks).toHaveLength(1);
        expect(stacks[0].environment).toBe(`aws://${client.account}/${client.region}`);
        expect(stacks[0].properties.stackName).toBe(`${client.id}-ai-ops`);
        expect(stacks[0].displayName).toBe(`${client.id}/${client.id}-ai-ops`);
      }
    });

    test("nothing of one client is in another client's folder", () => {
      for (const client of clients) {
        const folder = path.join(run.outdir, `assembly-${client.id}`);
        const files = filesUnder(folder);
        // the root template, one nested template per agent (4), the cost report, the stage's own files
        expect(files.filter((f) => f.endsWith('.nested.template.json'))).toHaveLength(4);
        expect(files).toContain(`${client.id}.monitoring-cost.json`);
        const others = clients.filter((c) => c !== client);
        for (const file of files) {
          const text = fs.readFileSync(path.join(folder, file), 'utf8');
          for (const other of others) {
            expect({ file, mentions: text.includes(other.id) || text.includes(other.account) }).toEqual({ file, mentions: false });
          }
        }
        const template = fs.readFileSync(path.join(folder, files.find((f) => f.endsWith('.template.json') && !f.includes('nested'))!), 'utf8');
        expect(template).toContain(`${client.id}-`);
      }
    });
  });

  test('-c client=all with a bad config reports every bad file and builds nothing', () => {
    const { dir } = fleet(3);
    fs.writeFileSync(path.join(dir, 'fleet-b.yaml'), fs.readFileSync(path.join(dir, 'fleet-b.yaml'), 'utf8').replace('monthlyUsd: 18000', 'monthlyUsd: -1'));
    fs.writeFileSync(path.join(dir, 'fleet-c.yaml'), fs.readFileSync(path.join(dir, 'fleet-c.yaml'), 'utf8').replace('clientId: fleet-c', 'clientId: fleet-x'));
    const run = runApp({ client: 'all', clientsDir: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/fleet-b\.yaml:\d+:\d+ \$\.budgets\.monthlyUsd: expected a number > 0/);
    expect(run.stderr).toMatch(/fleet-c\.yaml:\d+:\d+ \$\.clientId: expected 'fleet-c' \(the file's name\), found 'fleet-x'/);
    expect(run.stderr).not.toMatch(STACK_TRACE_LINE);
    expect(fs.existsSync(path.join(run.outdir, 'manifest.json'))).toBe(false);
  });
});

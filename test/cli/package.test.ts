/*
 * The npm package as a platform team installs it: what the tarball holds, and `cdk-ai-ops init`
 * followed by `npm install <tarball>` and `cdk synth`, offline.
 *
 * Offline install: the scaffolded package.json asks for the versions this repo is built with
 * (init copies them from the library's own package.json), so this repo's node_modules satisfies
 * every dependency. It is hard-linked (cp -al: no copy, no network) into the new repository, and
 * `npm install --offline <tarball>` then only unpacks the tarball, whose bundled dependencies are
 * inside it, and prunes what the new repository does not need (unlinking, never writing, the
 * shared files). Needs dist/ compiled (`npx projen test` compiles before jest).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { PROJECT_ROOT } from '../support/example';

interface PackedFile {
  readonly path: string;
}

function npm(args: string[], cwd: string) {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
}

const handlers = fs.readdirSync(path.join(PROJECT_ROOT, 'lambda')).filter((name) => fs.existsSync(path.join(PROJECT_ROOT, 'lambda', name, 'handler.ts')));

describe('the npm package', () => {
  const packed = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], PROJECT_ROOT);
  const files: string[] = (JSON.parse(packed.stdout)[0].files as PackedFile[]).map((f) => f.path);

  test('holds the compiled library, its typings, the testing helpers and the CLI', () => {
    expect(files).toEqual(expect.arrayContaining([
      'dist/index.js', 'dist/index.d.ts', '.jsii', 'API.md',
      'dist/cli/bin.js', 'dist/cli/main.js', 'dist/cli/init-command.js', 'dist/cli/diff-command.js',
      'dist/testing/index.js', 'dist/testing/index.d.ts', 'dist/telemetry/runtime/index.js',
      'dist/facade/ai-ops-app.js', 'dist/pipeline/index.js',
    ]));
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ 'cdk-ai-ops': 'dist/cli/bin.js' });
    expect(fs.readFileSync(path.join(PROJECT_ROOT, 'dist', 'cli', 'bin.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(pkg.exports['./testing']).toEqual({ types: './dist/testing/index.d.ts', default: './dist/testing/index.js' });
  });

  test('holds every bundled handler where the constructs look for it (assets/lambda/<name>/index.js beside dist/)', () => {
    expect(handlers.length).toBeGreaterThan(0);
    for (const name of handlers) expect(files).toContain(`assets/lambda/${name}/index.js`);
    expect(files.filter((f) => f.startsWith('assets/'))).toEqual(handlers.map((name) => `assets/lambda/${name}/index.js`).sort());
  });

  test('holds the JSON Schemas, the init templates and the feature flags init copies', () => {
    expect(files).toEqual(expect.arrayContaining([
      'docs/client-config.schema.json', 'docs/report.schema.json', 'cdk.json',
      'templates/init/bin/app.ts', 'templates/init/clients/example.yaml', 'templates/init/test/clients.test.ts',
      'templates/init/github/workflows/ci.yml', 'templates/init/gitignore',
    ]));
  });

  test('holds nothing from clients/, no sources, tests or build state', () => {
    expect(files.filter((f) => /^(clients|lib|test|bin|projenrc|lambda|cdk\.out|artifacts)\//.test(f))).toEqual([]);
    expect(files).not.toContain('assets/.bundle-state.json');
  });
});

describe('cdk-ai-ops init, then npm install <tarball> and cdk synth, offline', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-init-'));
  const repo = path.join(work, 'acme-platform');
  let initOut = '';

  beforeAll(async () => {
    let out = '';
    const code = await main(['init', repo], { out: (t) => { out += t; }, err: (t) => { out += t; } });
    initOut = out;
    expect(code).toBe(0);
  });

  test('writes a platform repository depending on cdk-ai-ops', () => {
    expect(initOut).toMatch(/wrote \d+ files to .*acme-platform/);
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    const own = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('acme-platform');
    expect(pkg.dependencies).toEqual({ 'cdk-ai-ops': `^${own.version}`, ...own.peerDependencies });
    expect(pkg.devDependencies['aws-cdk']).toBe(own.devDependencies['aws-cdk']);
    expect(fs.readFileSync(path.join(repo, 'bin', 'app.ts'), 'utf8')).toMatch(/import \{ AiOpsApp \} from 'cdk-ai-ops';\n\nAiOpsApp\.run\(\);/);
    const cdkJson = JSON.parse(fs.readFileSync(path.join(repo, 'cdk.json'), 'utf8'));
    expect(cdkJson.app).toBe('npx tsx bin/app.ts');
    expect(cdkJson.context).toEqual(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context);
    expect(fs.readFileSync(path.join(repo, 'test', 'clients.test.ts'), 'utf8')).toContain("from 'cdk-ai-ops/testing'");
    expect(fs.existsSync(path.join(repo, '.github', 'workflows', 'ci.yml'))).toBe(true);
    expect(fs.existsSync(path.join(repo, '.gitignore'))).toBe(true);
  });

  test("the example client is this repo's, with the $schema line pointing into the installed package", () => {
    const scaffolded = fs.readFileSync(path.join(repo, 'clients', 'example.yaml'), 'utf8').split('\n');
    const own = fs.readFileSync(path.join(PROJECT_ROOT, 'clients', 'example.yaml'), 'utf8').split('\n');
    expect(scaffolded[2]).toBe('# yaml-language-server: $schema=../node_modules/cdk-ai-ops/docs/client-config.schema.json');
    expect(scaffolded.slice(3)).toEqual(own.slice(3));
  });

  test('refuses a folder that holds files', async () => {
    let err = '';
    const code = await main(['init', repo], { out: () => undefined, err: (t) => { err += t; } });
    expect(code).toBe(2);
    expect(err).toMatch(/acme-platform is not empty \(.*\): init writes into an empty or new folder/);
  });

  test('installs from the packed tarball and synthesizes the example client under cdk-nag', () => {
    // GIVEN the tarball, and this repo's node_modules hard-linked into the new repository
    const tarball = path.join(work, JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], PROJECT_ROOT).stdout)[0].filename);
    execFileSync('cp', ['-al', path.join(PROJECT_ROOT, 'node_modules'), path.join(repo, 'node_modules')]);
    // WHEN it is installed without the network
    const install = npm(['install', '--offline', '--no-save', '--ignore-scripts', tarball], repo);
    expect(install.stderr).not.toMatch(/ENOTCACHED/);
    expect(install.status).toBe(0);
    expect(fs.existsSync(path.join(repo, 'node_modules', 'cdk-ai-ops', 'assets', 'lambda', 'pagerduty-forwarder', 'index.js'))).toBe(true);
    // THEN cdk synth builds the example client from the installed package, and the CLI runs
    const synth = spawnSync(path.join(repo, 'node_modules', '.bin', 'cdk'), ['synth', '-q', '--no-notices', '-c', 'client=example'], { cwd: repo, encoding: 'utf8' });
    expect(synth.stderr).not.toMatch(/Validation failed|Error/);
    expect(synth.status).toBe(0);
    expect(synth.stderr).toMatch(/cdk-ai-ops example: monitoring costs about USD/);
    const template = JSON.parse(fs.readFileSync(path.join(repo, 'cdk.out', 'example-ai-ops.template.json'), 'utf8'));
    expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length).toBeGreaterThan(0);
    const help = spawnSync(path.join(repo, 'node_modules', '.bin', 'cdk-ai-ops'), ['--help'], { cwd: repo, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/init .*\n.*diff .*\n.*report /);
  });
});

/*
 * `cdk-ai-ops init <dir>`: a platform repository that depends on cdk-ai-ops instead of forking it.
 * The files come from the package's templates/init/ folder; package.json and cdk.json are written
 * here, from this package's own versions and feature flags, so a new repository synthesizes
 * exactly what this library is tested with.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliUsageError, Options } from './options';

export const INIT_USAGE = `Usage: cdk-ai-ops init <folder> [--name <package name>]

Writes a platform repository into <folder> (created if missing; refused if it holds files):
package.json depending on cdk-ai-ops, cdk.json, bin/app.ts (the AiOpsApp builder),
clients/example.yaml, a snapshot test of every client (cdk-ai-ops/testing), a CI workflow.
Then: cd <folder> && npm install && npx cdk synth -c client=example`;

/** The installed package's root (dist/cli/ or lib/cli/ is two levels down). */
export const PACKAGE_ROOT = path.join(__dirname, '..', '..');
const TEMPLATE_DIR = path.join(PACKAGE_ROOT, 'templates', 'init');
/** npm drops `.gitignore` files and dot-folders are easy to lose: the templates name them without the dot. */
const DOTTED = new Set(['gitignore', 'github']);

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly peerDependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
}

/** What `init` wrote. */
export interface InitResult {
  readonly dir: string;
  readonly files: string[];
}

function ownPackage(): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** The platform repository's package.json: its versions are the ones this package is built and tested with. */
export function platformPackageJson(name: string, own: PackageJson = ownPackage()): Record<string, unknown> {
  const dev = (dep: string) => own.devDependencies[dep];
  return {
    name,
    version: '0.0.0',
    private: true,
    scripts: {
      'synth': 'cdk synth -c client=all',
      'test': 'jest',
      'diff': 'cdk-ai-ops diff -c client=all --against main',
      // The templates before the upgrade are the other side: the diff shows what the new version changes.
      'upgrade-ai-ops': 'cdk synth -q -c client=all -o cdk.out.before && npm update cdk-ai-ops && cdk-ai-ops diff -c client=all --against cdk.out.before',
    },
    dependencies: {
      [own.name]: `^${own.version}`,
      ...own.peerDependencies,
    },
    devDependencies: Object.fromEntries(['aws-cdk', 'tsx', 'typescript', 'jest', 'ts-jest', '@types/jest', '@types/node'].map((dep) => [dep, dev(dep)])),
    jest: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: { '^.+\\.ts$': 'ts-jest' },
    },
  };
}

/** cdk.json: the app, and the feature flags of this package's own cdk.json. */
export function platformCdkJson(): Record<string, unknown> {
  const own = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return {
    app: 'npx tsx bin/app.ts',
    watch: { include: ['bin/**', 'clients/**'] },
    context: own.context ?? {},
  };
}

function copyTree(from: string, to: string, written: string[], root: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const target = path.join(to, DOTTED.has(entry.name) && from === TEMPLATE_DIR ? `.${entry.name}` : entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(target, { recursive: true });
      copyTree(path.join(from, entry.name), target, written, root);
    } else {
      fs.copyFileSync(path.join(from, entry.name), target);
      written.push(path.relative(root, target));
    }
  }
}

/** Scaffolds the platform repository. */
export function initCommand(args: string[]): InitResult {
  const [folder, ...rest] = args;
  if (!folder || folder.startsWith('--')) throw new CliUsageError('the folder to write is required');
  const options = new Options(rest, ['name']);
  const dir = path.resolve(folder);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new CliUsageError(`${folder} is a file, not a folder`);
  const present = fs.existsSync(dir) ? fs.readdirSync(dir).filter((entry) => entry !== '.git') : [];
  if (present.length > 0) {
    throw new CliUsageError(`${folder} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}): init writes into an empty or new folder`);
  }
  const name = options.value('name') ?? path.basename(dir).toLowerCase().replace(/[^a-z0-9-._~]/g, '-');
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  copyTree(TEMPLATE_DIR, dir, files, dir);
  const writeJson = (file: string, value: unknown) => {
    fs.writeFileSync(path.join(dir, file), JSON.stringify(value, null, 2) + '\n');
    files.push(file);
  };
  writeJson('package.json', platformPackageJson(name));
  writeJson('cdk.json', platformCdkJson());
  return { dir, files: files.sort() };
}

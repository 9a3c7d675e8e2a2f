/*
 * Bundles every Lambda handler (lambda/<name>/handler.ts) with esbuild into
 * assets/lambda/<name>/index.js. The assets ship in the npm package, so the library synthesizes
 * in a consumer's app without esbuild or Docker, and so do this repo's tests.
 *
 * Skipped when nothing that went into the last bundles changed: the state file records a hash
 * over every input esbuild read (its metafile: the handlers and whatever they import from lib/),
 * the handler list, esbuild's version and this script. `--force` bundles regardless.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildSync, version as esbuildVersion } from 'esbuild';

const LAMBDA_DIR = 'lambda';
const ASSETS_DIR = path.join('assets', 'lambda');
const STATE_FILE = path.join('assets', '.bundle-state.json');

interface BundleState {
  readonly hash: string;
  readonly inputs: string[];
}

const handlers = fs.existsSync(LAMBDA_DIR)
  ? fs.readdirSync(LAMBDA_DIR).filter((name) => fs.existsSync(path.join(LAMBDA_DIR, name, 'handler.ts'))).sort()
  : [];

/** The hash of the inputs as they are now; a missing input (deleted file) changes it. */
function hashOf(inputs: string[]): string {
  const hash = createHash('sha256').update(JSON.stringify({ handlers, esbuildVersion, script: fs.readFileSync(__filename, 'utf8') }));
  for (const input of [...inputs].sort()) {
    hash.update(`\0${input}\0`);
    hash.update(fs.existsSync(input) ? fs.readFileSync(input) : 'missing');
  }
  return hash.digest('hex');
}

function previousState(): BundleState | undefined {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as BundleState;
  } catch {
    return undefined;
  }
}

const previous = previousState();
const upToDate = !process.argv.includes('--force')
  && previous !== undefined
  && handlers.every((name) => fs.existsSync(path.join(ASSETS_DIR, name, 'index.js')))
  && hashOf(previous.inputs) === previous.hash;

if (!upToDate) {
  fs.rmSync(ASSETS_DIR, { recursive: true, force: true });
  fs.rmSync(STATE_FILE, { force: true });
  const inputs = new Set<string>();
  for (const name of handlers) {
    const result = buildSync({
      entryPoints: [path.join(LAMBDA_DIR, name, 'handler.ts')],
      outfile: path.join(ASSETS_DIR, name, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      // No function runs with --enable-source-maps, so an inline map was dead weight: it tripled
      // the report function's bundle (12.5 MB), which is copied and hashed once per client.
      sourcemap: false,
      // The Node.js Lambda runtime provides the AWS SDK v3.
      external: ['@aws-sdk/*'],
      logLevel: 'warning',
      metafile: true,
    });
    for (const input of Object.keys(result.metafile.inputs)) inputs.add(input);
  }
  const state: BundleState = { hash: hashOf([...inputs]), inputs: [...inputs].sort() };
  fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2) + '\n');
}

/*
 * Bundles every Lambda handler (lambda/<name>/handler.ts) with esbuild into
 * assets/lambda/<name>/index.js. The assets ship in the npm package, so the library synthesizes
 * in a consumer's app without esbuild or Docker, and so do this repo's tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

const LAMBDA_DIR = 'lambda';
const ASSETS_DIR = path.join('assets', 'lambda');

const handlers = fs.existsSync(LAMBDA_DIR)
  ? fs.readdirSync(LAMBDA_DIR).filter((name) => fs.existsSync(path.join(LAMBDA_DIR, name, 'handler.ts')))
  : [];

fs.rmSync(ASSETS_DIR, { recursive: true, force: true });
for (const name of handlers) {
  buildSync({
    entryPoints: [path.join(LAMBDA_DIR, name, 'handler.ts')],
    outfile: path.join(ASSETS_DIR, name, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    sourcemap: 'inline',
    // The Node.js Lambda runtime provides the AWS SDK v3.
    external: ['@aws-sdk/*'],
    logLevel: 'warning',
  });
}

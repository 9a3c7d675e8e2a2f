/*
 * `npm run bench:synth` (second part): a fleet of 30 clients synthesized with `cdk synth -c client=all`
 * in one process, against one client alone and against 30 separate `cdk synth -c client=<id>` runs
 * (estimated from a sample of them: every run is one client's, so 30 runs cost 30 times their mean),
 * each through the CDK CLI as a platform engineer runs it (cdk-nag applied, fresh output folder,
 * handlers already bundled). Also the bundle step when nothing changed (its hash check) and when
 * forced. Writes its section of docs/benchmarks.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCHMARKS_DOC, writeBenchSection } from './benchmarks-doc';

const ROOT = path.join(__dirname, '..', '..');
const CLIENTS = 30;
const ONE_CLIENT_RUNS = 3;
const FLEET_RUNS = 2;
/** Separate runs measured; 30 runs are estimated as 30 times their mean. */
const SEPARATE_SAMPLE = 6;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** 30 clients made from the example, each with its own id, account and region. */
function fleetDir(): { dir: string; ids: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
  const example = fs.readFileSync(path.join(ROOT, 'clients', 'example.yaml'), 'utf8');
  const ids = Array.from({ length: CLIENTS }, (_, i) => `client-${String(i + 1).padStart(2, '0')}`);
  ids.forEach((id, i) => fs.writeFileSync(path.join(dir, `${id}.yaml`),
    example.replace('clientId: example', `clientId: ${id}\naccount: "${String(100000000000 + i)}"\nregion: ${REGIONS[i % REGIONS.length]}`)));
  return { dir, ids };
}

/** Wall time of one command, in ms; fails loudly when it fails. */
function timed(command: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return ms;
}

function synth(clientsDir: string, client: string): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-out-'));
  const ms = timed(CDK, ['synth', '-q', '--no-notices', '-o', out, '-c', `client=${client}`, '-c', `clientsDir=${clientsDir}`]);
  fs.rmSync(out, { recursive: true, force: true });
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const { dir, ids } = fleetDir();
// The handlers are bundled (the task's first step); one unmeasured run warms the file cache.
synth(dir, ids[0]);

const bundleUnchanged = median([0, 1, 2].map(() => timed(TSX, ['projenrc/bundle-lambdas.ts'])));
const bundleForced = median([0, 1, 2].map(() => timed(TSX, ['projenrc/bundle-lambdas.ts', '--force'])));
console.log(`bundle step: ${bundleUnchanged.toFixed(0)} ms unchanged, ${bundleForced.toFixed(0)} ms forced`);

const one = Array.from({ length: ONE_CLIENT_RUNS }, () => synth(dir, ids[0]));
console.log(`one client: ${one.map(seconds).join(', ')}`);
const fleet = Array.from({ length: FLEET_RUNS }, () => synth(dir, 'all'));
console.log(`${CLIENTS} clients in one run: ${fleet.map(seconds).join(', ')}`);
const sample = ids.filter((_, i) => i % Math.floor(CLIENTS / SEPARATE_SAMPLE) === 0).slice(0, SEPARATE_SAMPLE).map((id) => synth(dir, id));
const separate = (sample.reduce((sum, ms) => sum + ms, 0) / sample.length) * CLIENTS;
console.log(`${CLIENTS} separate runs (from ${sample.length}: ${sample.map(seconds).join(', ')}): ${seconds(separate)}`);

const oneMs = median(one);
const fleetMs = Math.min(...fleet);
const section = [
  `## A fleet: ${CLIENTS} clients in one synthesis (\`bench:synth\`)`,
  '',
  `Command: \`npm run bench:synth\` (its second part, test/bench/synth-fleet.bench.ts). ${CLIENTS} clients made from the example, each in its own`,
  'account and region, each run through the CDK CLI (`npx cdk synth -q`, a fresh output folder, cdk-nag applied, handlers already bundled),',
  `wall time of the whole command. Median of ${ONE_CLIENT_RUNS} runs for one client (${one.map(seconds).join(', ')}), the faster of ${FLEET_RUNS} for the fleet`,
  `(${fleet.map(seconds).join(', ')}); ${CLIENTS} separate runs are ${CLIENTS} times`,
  `the mean of ${SEPARATE_SAMPLE} of them (${sample.map(seconds).join(', ')}).`,
  `Measured ${new Date().toISOString().slice(0, 10)} on Node.js ${process.versions.node}, ${os.cpus().length} cores, a shared machine.`,
  '',
  '| what | command | wall time | vs one client |',
  '|---|---|---|---|',
  `| one client | \`npx cdk synth -c client=client-01\` | ${seconds(oneMs)} | 1.0x |`,
  `| ${CLIENTS} clients, one run | \`npx cdk synth -c client=all\` | ${seconds(fleetMs)} | ${(fleetMs / oneMs).toFixed(1)}x |`,
  `| ${CLIENTS} clients, ${CLIENTS} runs | \`npx cdk synth -c client=<id>\` × ${CLIENTS} | ${seconds(separate)} | ${(separate / oneMs).toFixed(1)}x |`,
  '',
  `**${CLIENTS} clients in one run: ${(fleetMs / oneMs).toFixed(1)}x one client (target: at most 3x), ${(separate / fleetMs).toFixed(1)}x faster than ${CLIENTS} separate runs.**`,
  '',
  `The bundle step (\`tsx projenrc/bundle-lambdas.ts\`, process start included): ${bundleUnchanged.toFixed(0)} ms when no input of the last bundles changed`,
  `(a hash over esbuild's inputs), ${bundleForced.toFixed(0)} ms when it bundles (\`--force\`). This repo's app runs the check in its own process.`,
];

writeBenchSection('synth-fleet', section);
console.log(`Wrote ${path.relative(ROOT, BENCHMARKS_DOC)}.`);

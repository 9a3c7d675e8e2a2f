/*
 * `npm run bench:telemetry`: the runtime helper's overhead per recorded call against the floor
 * (a bare JSON.stringify + process.stdout.write of the same line), measured in the same run,
 * alternating the two in fresh processes with stdout on /dev/null. Writes docs/benchmarks.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BENCHMARKS_DOC, writeBenchSection } from './benchmarks-doc';

const ROOT = path.join(__dirname, '..', '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const ROUNDS = 3;
const TARGET_MEDIAN_RATIO = 1.5;
const TARGET_P99_RATIO = 2;
// Python is slower per call: a fifth of the calls keeps its runs as long as Node's.
const PYTHON_CALLS = Math.max(10_000, Math.floor(CALLS / 5));
const COMMAND = 'npm run bench:telemetry';

type Variant = 'floor' | 'helper' | 'powertools';
interface Run { variant: string; calls: number; medianUs: number; p99Us: number; heapSamplesBytes: number[]; lineBytes: number }

function run(variant: Variant): Run {
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'result.json');
  const child = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', path.join(__dirname, 'telemetry-worker.ts'), variant, String(CALLS), resultFile], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the ${variant} run failed (exit ${child.status})`);
  return JSON.parse(fs.readFileSync(resultFile, 'utf8'));
}

function runPython(variant: 'floor' | 'helper'): Run {
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'result.json');
  const child = spawnSync('python3', ['bench_telemetry.py', variant, String(PYTHON_CALLS), resultFile], { cwd: path.join(ROOT, 'python'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (child.status !== 0) throw new Error(`the Python ${variant} run failed (exit ${child.status})`);
  return { ...JSON.parse(fs.readFileSync(resultFile, 'utf8')), variant: `python-${variant}`, heapSamplesBytes: [0], lineBytes: 0, calls: PYTHON_CALLS };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs: Run[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of ['floor', 'helper', 'powertools'] as const) {
    const result = run(variant);
    runs.push(result);
    console.log(`${variant}: median ${result.medianUs.toFixed(2)} us, p99 ${result.p99Us.toFixed(2)} us`);
  }
  for (const variant of ['floor', 'helper'] as const) {
    const result = runPython(variant);
    runs.push(result);
    console.log(`python ${variant}: median ${result.medianUs.toFixed(2)} us, p99 ${result.p99Us.toFixed(2)} us`);
  }
}

function summary(variant: string) {
  const mine = runs.filter((r) => r.variant === variant);
  const growth = mine.map((r) => r.heapSamplesBytes[r.heapSamplesBytes.length - 1] - r.heapSamplesBytes[0]);
  return {
    medianUs: median(mine.map((r) => r.medianUs)),
    p99Us: median(mine.map((r) => r.p99Us)),
    heapGrowthKiB: Math.max(...growth) / 1024,
    heapMiB: Math.max(...mine.flatMap((r) => r.heapSamplesBytes)) / 1024 / 1024,
    lineBytes: mine[0].lineBytes,
  };
}
const helper = summary('helper');
const floor = summary('floor');
const powertools = summary('powertools');
const pythonHelper = summary('python-helper');
const pythonFloor = summary('python-floor');
const medianRatio = helper.medianUs / floor.medianUs;
const p99Ratio = helper.p99Us / floor.p99Us;
const row = (name: string, s: ReturnType<typeof summary>) =>
  `| ${name} | ${s.medianUs.toFixed(2)} µs | ${s.p99Us.toFixed(2)} µs | ${(s.medianUs / floor.medianUs).toFixed(2)}x | ${s.heapGrowthKiB.toFixed(0)} KiB | ${s.heapMiB.toFixed(1)} MiB |`;
const verdict = (ratio: number, target: number) => (ratio <= target ? `within the ${target}x target` : `ABOVE the ${target}x target`);
const heapFlat = helper.heapGrowthKiB <= 256;

const section = [
  '## Telemetry helper overhead (`recordAiCall`)',
  '',
  `Command: \`${COMMAND}\` (${CALLS.toLocaleString('en-US')} calls per Node run, ${PYTHON_CALLS.toLocaleString('en-US')} per Python run, ${ROUNDS} alternating runs per variant,`,
  'each in a fresh process with stdout on /dev/null; figures are the median over runs). Floor: `JSON.stringify` +',
  '`process.stdout.write` of the very line the helper writes, measured in the same run.',
  `Targets: median <= ${TARGET_MEDIAN_RATIO}x the floor, p99 <= ${TARGET_P99_RATIO}x the floor, heap flat over the run.`,
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on Node.js ${process.versions.node}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), a shared machine.`,
  '',
  '| variant | median per call | p99 per call | median vs floor | heap growth over the run | peak heap |',
  '|---|---|---|---|---|---|',
  row('**helper** (`recordAiCall`: validate, cost, serialize, write)', helper),
  row('floor (`JSON.stringify` + `process.stdout.write` of the same line)', floor),
  row('Powertools Metrics writing the same line (not used: see below)', powertools),
  '',
  `**Helper vs floor: median ${medianRatio.toFixed(2)}x (${verdict(medianRatio, TARGET_MEDIAN_RATIO)}), p99 ${p99Ratio.toFixed(2)}x (${verdict(p99Ratio, TARGET_P99_RATIO)});**`,
  `**heap growth over ${CALLS.toLocaleString('en-US')} calls ${helper.heapGrowthKiB.toFixed(0)} KiB (${heapFlat ? 'flat' : 'NOT flat'}).** The line is ${helper.lineBytes} bytes.`,
  '',
  'The EMF directive (namespace, dimension names, metric names and units) is the same for every line of one shape;',
  'the helper serializes it once per shape and reuses it, so the per-call work is validating, costing and writing the values.',
  '',
  'Python helper (`record_ai_call`, standard library only) against its own floor (`json.dumps` + `sys.stdout.write` of the same line):',
  '',
  '| variant | median per call | p99 per call | median vs floor |',
  '|---|---|---|---|',
  `| **python helper** | ${pythonHelper.medianUs.toFixed(2)} µs | ${pythonHelper.p99Us.toFixed(2)} µs | ${(pythonHelper.medianUs / pythonFloor.medianUs).toFixed(2)}x |`,
  `| python floor | ${pythonFloor.medianUs.toFixed(2)} µs | ${pythonFloor.p99Us.toFixed(2)} µs | 1.00x |`,
  '',
  'Powertools for AWS Lambda (TypeScript) Metrics alone, writing the already-built line, costs the multiple',
  'of the floor shown above (its per-metric store is invocation-scoped and validated on every add);',
  'that is why the helper serializes EMF itself, with a test holding its output equal to Powertools\' for every',
  'kind of line (test/telemetry/runtime/emf.test.ts).',
  '',
  'Heap growth is the heap after a forced GC at the end of the run minus at its start (the worst run);',
  'the heap is sampled after a forced GC every tenth of the run.',
];

writeBenchSection('telemetry', section);
console.log(`helper/floor: median ${medianRatio.toFixed(2)}x, p99 ${p99Ratio.toFixed(2)}x; heap growth ${helper.heapGrowthKiB.toFixed(0)} KiB; `
  + `python helper/floor: median ${(pythonHelper.medianUs / pythonFloor.medianUs).toFixed(2)}x. Wrote ${path.relative(ROOT, BENCHMARKS_DOC)}.`);

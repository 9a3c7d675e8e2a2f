/*
 * `npm run bench:telemetry`: the runtime helper's overhead per recorded call against the floor
 * (a bare JSON.stringify + process.stdout.write of the same line), measured in the same run,
 * alternating the two in fresh processes with stdout on /dev/null. Writes docs/benchmarks.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const ROUNDS = 3;
const TARGET_RATIO = 3;
const COMMAND = 'npm run bench:telemetry';
const DOC = path.join(ROOT, 'docs', 'benchmarks.md');
const BEGIN = '<!-- BEGIN bench:telemetry -->';
const END = '<!-- END bench:telemetry -->';

interface Run { variant: string; calls: number; medianUs: number; p99Us: number; heapSamplesBytes: number[]; lineBytes: number }

function run(variant: 'helper' | 'floor'): Run {
  const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'result.json');
  const child = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', path.join(__dirname, 'telemetry-worker.ts'), variant, String(CALLS), resultFile], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the ${variant} run failed (exit ${child.status})`);
  return JSON.parse(fs.readFileSync(resultFile, 'utf8'));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const runs: Run[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of ['floor', 'helper'] as const) {
    const result = run(variant);
    runs.push(result);
    console.log(`${variant}: median ${result.medianUs.toFixed(2)} us, p99 ${result.p99Us.toFixed(2)} us`);
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
const medianRatio = helper.medianUs / floor.medianUs;
const p99Ratio = helper.p99Us / floor.p99Us;
const verdict = (ratio: number) => (ratio <= TARGET_RATIO ? 'within' : 'ABOVE');

const section = [
  BEGIN,
  '## Telemetry helper overhead (`recordAiCall`)',
  '',
  `Command: \`${COMMAND}\` (${CALLS.toLocaleString('en-US')} calls per run, ${ROUNDS} alternating runs per variant, each in a fresh`,
  'process with stdout on /dev/null; figures are the median over runs). Floor: `JSON.stringify` +',
  '`process.stdout.write` of the very line the helper writes. Target: within 3x of the floor, no heap growth.',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on Node.js ${process.versions.node}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), a shared machine.`,
  '',
  '| variant | median per call | p99 per call | heap growth over the run | peak heap | line |',
  '|---|---|---|---|---|---|',
  `| helper (\`recordAiCall\`: validate, cost, Powertools EMF, write) | ${helper.medianUs.toFixed(2)} µs | ${helper.p99Us.toFixed(2)} µs | ${helper.heapGrowthKiB.toFixed(0)} KiB | ${helper.heapMiB.toFixed(1)} MiB | ${helper.lineBytes} B |`,
  `| floor (\`JSON.stringify\` + \`process.stdout.write\`) | ${floor.medianUs.toFixed(2)} µs | ${floor.p99Us.toFixed(2)} µs | ${floor.heapGrowthKiB.toFixed(0)} KiB | ${floor.heapMiB.toFixed(1)} MiB | ${floor.lineBytes} B |`,
  `| **ratio** | **${medianRatio.toFixed(2)}x** (${verdict(medianRatio)} target) | **${p99Ratio.toFixed(2)}x** (${verdict(p99Ratio)} target) | | | |`,
  '',
  'Heap growth is the heap after a forced GC at the end of the run minus at its start (the worst run);',
  'the heap is sampled after a forced GC every tenth of the run.',
  END,
].join('\n');

const current = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Benchmarks\n\nFigures measured on the project\'s machines, each with the command that produced it.\n';
const start = current.indexOf(BEGIN);
const next = start >= 0 ? current.slice(0, start) + section + current.slice(current.indexOf(END) + END.length) : `${current.trimEnd()}\n\n${section}\n`;
fs.writeFileSync(DOC, next);
console.log(`helper/floor: median ${medianRatio.toFixed(2)}x, p99 ${p99Ratio.toFixed(2)}x; heap growth ${helper.heapGrowthKiB.toFixed(0)} KiB. Wrote ${path.relative(ROOT, DOC)}.`);

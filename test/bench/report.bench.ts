/*
 * `npm run bench:report`: the local report command over 1,000,000 call records of one month from
 * 50,000 tenants, beside a bare streaming JSON-lines sum of the same file measured in the same
 * run (alternating, each in a fresh process), with each run's peak memory. Writes its section of
 * docs/benchmarks.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { writeBenchSection } from './benchmarks-doc';
import { lambdaApiCalls } from './report-api-calls';
import { DRAFT_REPLY, STEADY_ROUTES, syntheticTelemetry } from '../support/report-telemetry';

const ROUNDS = 3;
const TENANTS = 50_000;
/** Calls of the synthetic October at scale 1. */
const CALLS_AT_SCALE_1 = (STEADY_ROUTES.reduce((sum, r) => sum + r.callsPerDay, 0) + DRAFT_REPLY.octoberCallsPerDay) * 31;
const TARGET_CALLS = 1_000_000;
const ROOT = path.join(__dirname, '..', '..');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
const file = path.join(dir, 'october.jsonl');
const fd = fs.openSync(file, 'w');
let buffer: string[] = [];
const lines = syntheticTelemetry((line) => {
  buffer.push(line);
  if (buffer.length === 10_000) {
    fs.writeSync(fd, buffer.join('\n') + '\n');
    buffer = [];
  }
}, { from: '2026-10-01', scale: TARGET_CALLS / CALLS_AT_SCALE_1, tenants: TENANTS });
fs.writeSync(fd, buffer.join('\n') + '\n');
fs.closeSync(fd);
const megabytes = fs.statSync(file).size / 1e6;
console.log(`wrote ${lines} lines (${megabytes.toFixed(0)} MB) to ${file}`);

// Both variants run as one esbuild bundle, as the published command runs compiled JavaScript
// (not through an on-the-fly TypeScript loader).
const worker = path.join(dir, 'report-worker.js');
buildSync({
  entryPoints: [path.join(__dirname, 'report-worker.ts')], bundle: true, platform: 'node', target: 'node20', outfile: worker, logLevel: 'error',
});

interface Run { ms: number; maxRssMb: number; calls: number }
function measure(variant: string): Run {
  const child = spawnSync(process.execPath, [worker, variant, file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1_048_576 });
  if (child.status !== 0) throw new Error(`${variant} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

const runs: Record<string, Run[]> = { bare: [], command: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of ['bare', 'command']) {
    const run = measure(variant);
    runs[variant].push(run);
    console.log(`${variant}: ${run.ms.toFixed(0)} ms, peak ${run.maxRssMb.toFixed(0)} MB`);
  }
}
fs.rmSync(dir, { recursive: true, force: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bare = median(runs.bare.map((r) => r.ms));
const command = median(runs.command.map((r) => r.ms));
const ratio = command / bare;
const peak = Math.max(...runs.command.map((r) => r.maxRssMb));
const calls = runs.command[0].calls;
const verdict = (ok: boolean) => (ok ? 'within target' : '**above target**');

const generated = new Date().toISOString().slice(0, 10);
const count = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const api = await lambdaApiCalls();
  const section = [
    '## The governance report (`bench:report`)',
    '',
    `Command: \`npm run bench:report\`. One month of synthetic telemetry written by the runtime helper: ${count(calls)} call records`,
    `and ${count(lines - calls)} evaluation records from ${count(TENANTS)} tenants (${megabytes.toFixed(0)} MB of EMF lines).`,
    `${ROUNDS} alternating runs of each variant, each in a fresh process running the same esbuild bundle; medians shown.`,
    `Measured ${generated} on Node.js ${process.versions.node}, ${os.cpus().length} cores, a shared machine.`,
    '',
    '| variant | time | peak memory (max RSS) |',
    '|---|---|---|',
    `| bare streaming JSON-lines sum of the cost (the floor) | ${(bare / 1000).toFixed(2)} s | ${median(runs.bare.map((r) => r.maxRssMb)).toFixed(0)} MB |`,
    `| \`cdk-ai-ops report --period 2026-10 --client example\` (every breakdown and tenant, percentiles, HTML, all files written) | ${(command / 1000).toFixed(2)} s | ${peak.toFixed(0)} MB |`,
    '',
    `The command takes ${ratio.toFixed(2)}x the floor (target 3x: ${verdict(ratio <= 3)});`,
    `its peak memory is ${peak.toFixed(0)} MB (target < 512 MB: ${verdict(peak < 512)}).`,
    '',
    `The report function's API calls for a month of the example client (${api.alarms} alarms), through its data sources against stand-ins`,
    `(a Logs Insights stand-in over the synthetic month at the example's volume, ${api.gbScanned.toFixed(3)} GB scanned; mocked CloudWatch and Cost Explorer):`,
    '',
    '| operation | calls made | fewest possible | why that many |',
    '|---|---|---|---|',
    ...api.counts.map((c) => `| \`${c.operation}\` | ${c.made} | ${c.minimum} | ${c.why} |`),
    '',
    `Calls made: ${api.counts.reduce((s, c) => s + c.made, 0)}; fewest possible: ${api.counts.reduce((s, c) => s + c.minimum, 0)}.`,
  ];

  writeBenchSection('report', section);
  console.log(section.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

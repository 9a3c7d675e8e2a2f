/*
 * One benchmark run, in a process of its own whose stdout is /dev/null: records the same model
 * call N times with the runtime helper (`helper`), writes the same EMF line with a bare
 * JSON.stringify + process.stdout.write (`floor`) or with Powertools Metrics (`powertools`, the
 * library the helper would otherwise use), timing each call, and samples the heap after a forced
 * GC every tenth of the run. Results go to the JSON file named on the command line.
 */
import * as fs from 'fs';
import { AiTelemetry, EmfLine } from '../../lib/telemetry/runtime';
import { powertoolsMetrics, storeLine } from '../support/powertools';
import { TYPICAL_CALL } from '../support/records';

const [variant, callsArg, resultFile] = process.argv.slice(2);
const calls = Number(callsArg);
const WARMUP = 20_000;
const SAMPLES = 10;

const call = TYPICAL_CALL;

// The floor writes exactly the line the helper writes: capture it once.
let captured: EmfLine | undefined;
new AiTelemetry({ write: (line) => { captured ??= line; } }).recordAiCall(call);
let sameLine = '';
{
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => { sameLine = chunk.trim(); return true; }) as typeof process.stdout.write;
  new AiTelemetry().recordAiCall(call);
  process.stdout.write = realWrite;
}
if (!captured || !sameLine) throw new Error('could not capture the helper\'s line');
const record = JSON.parse(sameLine);

const line = captured;
const powertools = powertoolsMetrics('CdkAiOps');
const telemetry = new AiTelemetry();
const operations: Record<string, () => void> = {
  helper: () => telemetry.recordAiCall(call),
  floor: () => { process.stdout.write(JSON.stringify(record) + '\n'); },
  powertools: () => {
    storeLine(powertools, line, Date.now());
    powertools.publishStoredMetrics();
  },
};
const operation = operations[variant];
if (!operation) throw new Error(`unknown variant ${variant}; expected ${Object.keys(operations).join(', ')}`);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

for (let i = 0; i < WARMUP; i++) operation();
const durations = new Float64Array(calls);
const heapSamples: number[] = [];
gc();
heapSamples.push(process.memoryUsage().heapUsed);
const every = Math.floor(calls / SAMPLES);
for (let i = 0; i < calls; i++) {
  const start = process.hrtime.bigint();
  operation();
  durations[i] = Number(process.hrtime.bigint() - start);
  if ((i + 1) % every === 0) {
    gc();
    heapSamples.push(process.memoryUsage().heapUsed);
  }
}
durations.sort();
const quantile = (q: number) => durations[Math.min(calls - 1, Math.floor(q * calls))] / 1000;
fs.writeFileSync(resultFile, JSON.stringify({
  variant,
  calls,
  medianUs: quantile(0.5),
  p99Us: quantile(0.99),
  heapSamplesBytes: heapSamples,
  lineBytes: sameLine.length + 1,
}));

/*
 * One measured run of `bench:report`, in a process of its own so its peak memory is its own:
 * `bare` streams the file and sums costUsd (the floor: read, split, JSON.parse); `command` runs
 * the local report command on it. Prints { ms, maxRssMb, calls } as JSON.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { forEachLine } from '../../lib/cli/lines';
import { main } from '../../lib/cli/main';

async function run(variant: string, file: string): Promise<void> {
  const started = process.hrtime.bigint();
  let calls = 0;
  if (variant === 'bare') {
    let cost = 0;
    await forEachLine(file, (line) => {
      const record = JSON.parse(line);
      if (record.recordType === 'ai_call') {
        cost += record.costUsd;
        calls++;
      }
    });
    if (!(cost > 0)) throw new Error('the bare sum read no cost');
  } else {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-out-'));
    let printed = '';
    const code = await main(['report', '--logs', file, '--period', '2026-10', '--client', 'example', '--clients-dir', path.join(process.cwd(), 'clients'), '--out', out],
      { out: (t) => { printed += t; }, err: () => undefined });
    if (code !== 0) throw new Error(`report exited ${code}`);
    calls = Number(/over (\d+) calls/.exec(printed)![1]);
    fs.rmSync(out, { recursive: true, force: true });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, calls }) + '\n');
}

run(process.argv[2], process.argv[3]).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

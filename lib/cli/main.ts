/*
 * The `cdk-ai-ops` command. Each subcommand is a function of its options; this file only
 * dispatches, prints, and turns user mistakes into a message and exit code 2 (never a stack trace).
 */
import { CliUsageError, Options } from './options';
import { REPORT_USAGE, reportCommand } from './report-command';
import { ClientConfigError } from '../config/loader';
import { ReportPeriodError } from '../reporting/period';

const USAGE = `Usage: cdk-ai-ops <command> [options]

Commands:
  report    the monthly governance report (or quarterly review) from exported telemetry

Run cdk-ai-ops <command> --help for its options.`;

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const REPORT_OPTIONS = ['logs', 'period', 'quarter', 'client', 'clients-dir', 'config', 'out', 'alarm-history'];

/** Runs the command line `args` (without node and the script); resolves to the exit code. */
export async function main(args: string[], io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === '-h') {
    io.out(USAGE + '\n');
    return command ? 0 : 2;
  }
  try {
    switch (command) {
      case 'report': {
        if (rest.includes('--help')) {
          io.out(REPORT_USAGE + '\n');
          return 0;
        }
        const { report, outDir, files, aggregates } = await reportCommand(new Options(rest, REPORT_OPTIONS));
        const skipped = Object.entries(aggregates.skipped).map(([reason, count]) => `${count} ${reason}`);
        io.err(`read ${aggregates.lines} lines: ${aggregates.summed.calls} calls, ${aggregates.summed.evaluations} evaluations${skipped.length ? `; skipped or repaired: ${skipped.join(', ')}` : ''}\n`);
        const incomplete = report.sections.filter((s) => !s.complete).map((s) => s.id);
        io.out(`${report.period}: $${report.totals.costUsd.toFixed(2)} over ${report.totals.calls} calls; wrote ${files.join(', ')} to ${outDir}`
          + `${incomplete.length ? ` (incomplete: ${incomplete.join(', ')})` : ''}\n`);
        return 0;
      }
      default:
        io.err(`cdk-ai-ops: unknown command '${command}'\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof ReportPeriodError) {
      io.err(`cdk-ai-ops ${command}: ${error.message}\n\n${command === 'report' ? REPORT_USAGE : USAGE}\n`);
      return 2;
    }
    if (error instanceof ClientConfigError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

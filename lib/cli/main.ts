/*
 * The `cdk-ai-ops` command. Each subcommand is a function of its options; this file only
 * dispatches, prints, and turns user mistakes into a message and exit code 2 (never a stack trace).
 */
import * as path from 'path';
import { AUDIT_USAGE, auditCommand } from './audit-command';
import { COMPARE_OPTIONS, COMPARE_USAGE, compareCommand } from './compare-command';
import { DIFF_USAGE, diffCommand } from './diff-command';
import { INIT_USAGE, initCommand } from './init-command';
import { CliUsageError, Options } from './options';
import { REPORT_USAGE, reportCommand } from './report-command';
import { ClientConfigError } from '../config/loader';
import { ReportPeriodError } from '../reporting/period';
import { CompareInputError } from '../rollout/compare';

const USAGE = `Usage: cdk-ai-ops <command> [options]

Commands:
  init      scaffold a platform repository (clients/*.yaml, the CDK app, tests, CI) that depends on cdk-ai-ops
  diff      what a change does to each client's stacks, nested stacks included, offline (exit 1 on change)
  report    the monthly governance report (or quarterly review) from exported telemetry
  compare   the regression brief of a candidate variant against the baseline, from paired results
  audit     the audit pack of a client: resources, IAM, data leaving the account, encryption, cdk-nag, cost

Run cdk-ai-ops <command> --help for its options.`;

/** A folder as the user would type it: relative below the current one, else absolute. */
function shownDir(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const USAGES: Record<string, string> = { init: INIT_USAGE, diff: DIFF_USAGE, report: REPORT_USAGE, compare: COMPARE_USAGE, audit: AUDIT_USAGE };

const REPORT_OPTIONS = ['logs', 'period', 'quarter', 'client', 'clients-dir', 'config', 'out', 'alarm-history'];

/** Runs the command line `args` (without node and the script); resolves to the exit code. */
export async function main(args: string[], io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === '-h') {
    io.out(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (USAGES[command] && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(USAGES[command] + '\n');
    return 0;
  }
  try {
    switch (command) {
      case 'init': {
        const { dir, files } = initCommand(rest);
        io.out(`wrote ${files.length} files to ${dir}:\n${files.map((file) => `  ${file}\n`).join('')}`
          + `next: cd ${path.relative(process.cwd(), dir) || '.'} && npm install && npx cdk synth -c client=example\n`);
        return 0;
      }
      case 'diff': {
        const { comparisons, report } = diffCommand(rest);
        io.out(report);
        return comparisons.length > 0 ? 1 : 0;
      }
      case 'report': {
        const { report, outDir, files, aggregates } = await reportCommand(new Options(rest, REPORT_OPTIONS));
        const skipped = Object.entries(aggregates.skipped).map(([reason, count]) => `${count} ${reason}`);
        io.err(`read ${aggregates.lines} lines: ${aggregates.summed.calls} calls, ${aggregates.summed.evaluations} evaluations${skipped.length ? `; skipped or repaired: ${skipped.join(', ')}` : ''}\n`);
        const incomplete = report.sections.filter((s) => !s.complete).map((s) => s.id);
        io.out(`${report.period}: $${report.totals.costUsd.toFixed(2)} over ${report.totals.calls} calls; wrote ${files.join(', ')} to ${outDir}`
          + `${incomplete.length ? ` (incomplete: ${incomplete.join(', ')})` : ''}\n`);
        return 0;
      }
      case 'compare': {
        const { comparison, brief, outFile } = compareCommand(new Options(rest, COMPARE_OPTIONS));
        const { baseline, candidate, pairing } = comparison;
        io.err(`${pairing.pairs.length} pairs; unpaired ${pairing.baselineOnly} baseline, ${pairing.candidateOnly} candidate; `
          + `malformed ${baseline.malformed} baseline, ${candidate.malformed} candidate\n`);
        io.out(outFile ? `${comparison.decision}: wrote the brief to ${outFile}\n` : brief + '\n');
        return comparison.decision === 'go' ? 0 : 1;
      }
      case 'audit': {
        const { model, outDir, files } = auditCommand(rest);
        const open = model.nag.findings.filter((f) => f.compliance !== 'Suppressed').length;
        io.out(`${model.clientId}: ${model.resources.length} resources, ${model.roles.length} roles, ${model.flows.length} outbound flows, `
          + `${model.nag.packs.length} cdk-nag packs (${open} open findings); wrote ${files.join(', ')} to ${shownDir(outDir)}\n`);
        return 0;
      }
      default:
        io.err(`cdk-ai-ops: unknown command '${command}'\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof ReportPeriodError) {
      io.err(`cdk-ai-ops ${command}: ${error.message}\n\n${USAGES[command] ?? USAGE}\n`);
      return 2;
    }
    if (error instanceof CompareInputError) {
      io.err(`cdk-ai-ops ${command}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ClientConfigError) {
      io.err(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

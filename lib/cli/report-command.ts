/*
 * `cdk-ai-ops report`: the monthly governance report (or the quarterly review) from exported
 * telemetry, without AWS. The same core as the scheduled Lambda; only the data source differs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClientConfig } from '../config';
import { forEachLine, logFiles } from './lines';
import { CliUsageError, Options } from './options';
import { ClientConfigLoader } from '../config/loader';
import { PriceCatalog } from '../pricing/price-catalog';
import { buildReport } from '../reporting/core';
import { EmfAggregator, LocalAggregates } from '../reporting/emf-aggregator';
import { monthsOf, parsePeriod, previousPeriod } from '../reporting/period';
import { renderReport } from '../reporting/render';
import { GovernanceReportData } from '../reporting/report-schema';

export const REPORT_USAGE = `Usage: cdk-ai-ops report --logs <file or folder> (--period YYYY-MM | --quarter YYYY-Qn)
                         [--client <id> [--clients-dir <folder>] | --config <file>] [--out <folder>]

Reads CloudWatch EMF lines (JSON lines, optionally gzip, optionally prefixed by an export
timestamp) and writes report.md, report.html, report.json and one CSV per breakdown.
Lines of the period before are used for month-over-month change.`;

/** What the command produced. */
export interface ReportCommandResult {
  readonly report: GovernanceReportData;
  readonly outDir: string;
  readonly files: string[];
  readonly aggregates: LocalAggregates;
}

/** Loads the config the options name: `--config <file>`, or `--client <id>` in `--clients-dir` (default clients/). */
export function configFromOptions(options: Options): ClientConfig | undefined {
  const file = options.value('config');
  const client = options.value('client');
  if (file && client) throw new CliUsageError('give --client or --config, not both');
  if (file) return ClientConfigLoader.fromFile(file);
  if (!client) return undefined;
  const dir = options.value('clients-dir') ?? 'clients';
  const candidate = path.join(dir, `${client}.yaml`);
  if (!fs.existsSync(candidate)) throw new CliUsageError(`--client ${client}: no ${candidate} (use --clients-dir <folder> or --config <file>)`);
  const config = ClientConfigLoader.fromFile(candidate);
  if (config.clientId !== client) throw new CliUsageError(`--client ${client}: ${candidate} has clientId '${config.clientId}'`);
  return config;
}

export async function reportCommand(options: Options, now: Date = new Date()): Promise<ReportCommandResult> {
  const logs = options.required('logs');
  const periodId = options.value('period');
  const quarterId = options.value('quarter');
  if (!periodId === !quarterId) throw new CliUsageError('give exactly one of --period YYYY-MM and --quarter YYYY-Qn');
  const period = parsePeriod((periodId ?? quarterId)!);
  if ((periodId && period.kind !== 'month') || (quarterId && period.kind !== 'quarter')) {
    throw new CliUsageError(periodId ? `--period ${periodId}: a month such as 2026-10 (use --quarter for a quarter)` : `--quarter ${quarterId}: a quarter such as 2026-Q4`);
  }
  if (!fs.existsSync(logs)) throw new CliUsageError(`--logs ${logs}: no such file or folder`);
  const config = configFromOptions(options);

  const aggregator = new EmfAggregator(period, previousPeriod(period), period.kind === 'quarter' ? monthsOf(period) : []);
  for (const file of logFiles(logs)) await forEachLine(file, (line) => aggregator.add(line));
  const aggregates = aggregator.result();

  const catalog = PriceCatalog.builtIn().withOverrides(config?.priceOverrides ?? []);
  const report = buildReport({
    config,
    catalog,
    current: aggregates.current,
    previous: aggregates.previous.daily.length ? aggregates.previous : undefined,
    months: aggregates.months,
    generatedAt: now,
  });
  const outDir = options.value('out') ?? `report-${report.clientId}-${period.id}`;
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const file of await renderReport(report)) {
    fs.writeFileSync(path.join(outDir, file.name), file.body);
    files.push(file.name);
  }
  return { report, outDir, files, aggregates };
}

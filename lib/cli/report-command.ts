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
import { AlarmEpisode, ReportPeriod, ReportSource } from '../reporting/aggregates';
import { AlarmHistoryError, AlarmHistoryItem, alarmEpisodes, alarmRecordsFromHistory } from '../reporting/alarm-history';
import { buildReport } from '../reporting/core';
import { EmfAggregator, LocalAggregates } from '../reporting/emf-aggregator';
import { monthsOf, parsePeriod, previousPeriod } from '../reporting/period';
import { renderReport } from '../reporting/render';
import { GovernanceReportData } from '../reporting/report-schema';

export const REPORT_USAGE = `Usage: cdk-ai-ops report --logs <file or folder> (--period YYYY-MM | --quarter YYYY-Qn)
                         [--client <id> [--clients-dir <folder>] | --config <file>] [--out <folder>]
                         [--alarm-history <file>]

Reads CloudWatch EMF lines (JSON lines, optionally gzip, optionally prefixed by an export
timestamp) and writes report.md, report.html, report.json and one CSV per breakdown.
Lines of the period before are used for month-over-month change. --alarm-history takes the
JSON output of aws cloudwatch describe-alarm-history (StateUpdate items of the period) for the
anomalies section.`;

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

/** The alarm episodes of the period in a DescribeAlarmHistory JSON file. */
function alarmEpisodesFromFile(file: string, config: ClientConfig, period: ReportPeriod): AlarmEpisode[] {
  if (!fs.existsSync(file)) throw new CliUsageError(`--alarm-history ${file}: no such file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new CliUsageError(`--alarm-history ${file}: not JSON (expected the output of aws cloudwatch describe-alarm-history --output json)`);
  }
  const items = Array.isArray(parsed) ? parsed : (parsed as { AlarmHistoryItems?: unknown })?.AlarmHistoryItems;
  if (!Array.isArray(items)) throw new CliUsageError(`--alarm-history ${file}: expected an object with AlarmHistoryItems (a list), as describe-alarm-history writes`);
  try {
    return alarmRecordsFromHistory(items as AlarmHistoryItem[], config.clientId)
      .flatMap((record) => alarmEpisodes(record, period, config.clientId, config.agents));
  } catch (error) {
    if (error instanceof AlarmHistoryError) throw new CliUsageError(`--alarm-history ${file}: ${error.message}`);
    throw error;
  }
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

  const historyFile = options.value('alarm-history');
  if (historyFile && !config) throw new CliUsageError('--alarm-history needs --client or --config: alarm names are read against the config\'s agents and routes');
  const alarms = historyFile ? alarmEpisodesFromFile(historyFile, config!, period) : undefined;

  const aggregator = new EmfAggregator(period, previousPeriod(period), period.kind === 'quarter' ? monthsOf(period) : []);
  for (const file of logFiles(logs)) await forEachLine(file, (line) => aggregator.add(line));
  const aggregates = aggregator.result();
  const current = alarms
    ? { ...aggregates.current, alarms, sources: { ...aggregates.current.sources, [ReportSource.ALARMS]: { complete: true } } }
    : aggregates.current;

  const catalog = PriceCatalog.builtIn().withOverrides(config?.priceOverrides ?? []);
  const report = buildReport({
    config,
    catalog,
    current,
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

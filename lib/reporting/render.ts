/*
 * Renderings of a report: HTML, Markdown, CSV per breakdown, JSON, and the plain-text summary that is
 * sent to the recipients. All of them are functions of the report alone.
 */
import { renderHtml } from './html';
import { GovernanceReportData, reportSchema } from './report-schema';
import { TelemetryFields as F, TelemetryMetrics as M } from '../telemetry/contract';

/** One output file. */
export interface ReportFile {
  readonly name: string;
  readonly contentType: string;
  readonly body: string;
}

/** Rows shown in the text; the CSV files hold every row. */
export const TOP_ROWS = 20;

const money = (v: number | null) => (v === null ? 'n/a' : `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const signed = (v: number | null) => (v === null ? 'n/a' : `${v < 0 ? '-' : '+'}${money(Math.abs(v))}`);
const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);
const int = (v: number) => v.toLocaleString('en-US');

/** Markdown table cell: no pipe or newline from the data can break the table. */
function cell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** The report as Markdown. */
export function renderMarkdown(r: GovernanceReportData): string {
  const out: string[] = [];
  const incomplete = r.sections.filter((s) => !s.complete);
  const mark = (id: string) => {
    const s = r.sections.find((x) => x.id === id);
    return s && !s.complete ? `\n> **Incomplete:** ${s.reasons.map(cell).join('; ')}\n` : '';
  };
  out.push(`# ${r.periodKind === 'quarter' ? 'Quarterly architecture review' : 'Governance report'}: ${cell(r.displayName)}, ${r.period}`);
  out.push(`Client \`${r.clientId}\` · generated ${r.generatedAt} · compared with ${r.previousPeriod}`);
  if (incomplete.length) out.push(`> **${incomplete.length} section(s) incomplete:** ${incomplete.map((s) => s.title).join(', ')}. Each says why below.`);

  const t = r.totals;
  out.push(`## Totals${mark('totals')}`);
  out.push(table(['Spend', 'Change', 'Calls', 'Input', 'Output', 'Cache read', 'Cache write', 'Failed calls cost', 'Budget used'], [[
    money(t.costUsd), `${signed(t.changeUsd)} (${pct(t.changePercent)})`, int(t.calls), int(t.inputTokens), int(t.outputTokens),
    int(t.cacheReadTokens), int(t.cacheWriteTokens), money(t.failedCostUsd), t.budgetUsd === null ? 'n/a' : `${pct(t.budgetUsedPercent)} of ${money(t.budgetUsd)}`,
  ]]));

  out.push(`## Spend by model, agent and route${mark('breakdowns')}`);
  out.push(table(['Model', 'Provider', 'Spend', 'Share', 'Change', 'Calls'], r.byModel.slice(0, TOP_ROWS).map((m) => [m.model, m.provider, money(m.costUsd), pct(m.sharePercent), signed(m.changeUsd), int(m.calls)])));
  out.push(table(['Agent', 'Spend', 'Budget', 'Change', 'Calls'], r.byAgent.slice(0, TOP_ROWS).map((a) => [a.agent, money(a.costUsd), money(a.budgetUsd), signed(a.changeUsd), int(a.calls)])));
  out.push(table(['Route', 'Spend', 'Change', 'Calls', 'Cache hit rate'], r.byRoute.slice(0, TOP_ROWS).map((x) => [x.route, money(x.costUsd), signed(x.changeUsd), int(x.calls), pct(x.cacheHitRatePercent)])));

  out.push(`## Spend by tenant${mark('tenants')}`);
  out.push(`${int(r.byTenant.length)} tenants; the top ${Math.min(TOP_ROWS, r.byTenant.length)} below, all of them in \`by-tenant.csv\`.`);
  out.push(table(['Tenant', 'Spend', 'Share', 'Cumulative', 'Calls'], r.byTenant.slice(0, TOP_ROWS).map((x) => [x.tenant, money(x.costUsd), pct(x.sharePercent), pct(x.cumulativeSharePercent), int(x.calls)])));

  out.push(`## Why spend moved${mark('movement')}`);
  out.push(r.movement.length ? r.movement.slice(0, TOP_ROWS).map((m) => `- ${cell(m.text)}`).join('\n') : 'No agent or route moved by a dollar or more.');

  out.push(`## Anomalies${mark('anomalies')}`);
  out.push(r.anomalies.length ? r.anomalies.map((a) => `- **${a.severity ?? '?'}** ${cell(a.text)}`).join('\n') : 'No spend or usage anomaly alarm fired.');

  out.push(`## SLO attainment${mark('slo')}`);
  out.push(table(['Route', 'Calls', 'P50 / SLO', 'P95 / SLO', 'P99 / SLO', 'Model errors', 'App errors', 'Error SLO', 'Throttles', 'Error budget used', 'Met'], r.slo.map((s) => [
    s.route, int(s.calls),
    ...(['p50', 'p95', 'p99'] as const).map((k) => `${s.latency[k].observedMs ?? 'n/a'} / ${s.latency[k].sloMs} ms`),
    pct(s.modelErrorRatePercent), pct(s.appErrorRatePercent), pct(s.errorSloPercent), `${pct(s.throttleRatePercent)} / ${pct(s.throttleSloPercent)}`,
    pct(s.errorBudgetUsedPercent), s.met === null ? 'unknown' : s.met ? 'yes' : '**no**',
  ])));

  out.push(`## Accuracy evidence${mark('accuracy')}`);
  out.push(r.accuracy.length ? table(['Route', 'Model', 'Variant', 'Evaluator', 'Scored', 'Pass rate', 'Lower bound', 'Mean score', 'Bar', 'Meets'], r.accuracy.map((a) => [
    a.route, a.model, a.variant ?? '', a.evaluator, int(a.verdicts), pct(a.passRatePercent), pct(a.passRateLowerBoundPercent),
    a.meanScore === null ? 'n/a' : String(a.meanScore), a.barPercent !== null ? `${a.barPercent}%` : a.barMeanScore !== null ? String(a.barMeanScore) : 'none',
    a.meetsBar === null ? 'undecided' : a.meetsBar ? 'yes' : '**no**',
  ])) : 'No evaluation was recorded in the period.');

  out.push(`## Recommendations${mark('recommendations')}`);
  out.push(r.recommendations.length ? r.recommendations.map((x, i) => `${i + 1}. **${cell(x.title)}**: ${money(x.monthlySavingsUsd)} a month.\n   - How: ${cell(x.arithmetic)}\n   - Evidence: ${cell(x.evidence)}`).join('\n') : 'Nothing to recommend this period.');

  const c = r.coverage;
  out.push(`## Coverage${mark('coverage')}`);
  out.push(`${c.routesInTelemetry} routes in the telemetry, ${c.routesInConfig} in the config (${c.routesWithSlo} with SLOs)${c.alarmsPerRoute === null ? '' : `, ${c.alarmsPerRoute} alarms per route`}.`
    + `${c.unconfiguredRoutes.length ? ` Not in the config: ${c.unconfiguredRoutes.map(cell).join(', ')}.` : ''}${c.silentRoutes.length ? ` No calls: ${c.silentRoutes.join(', ')}.` : ''}`);
  if (c.bedrock.length) out.push(table(['Bedrock model', 'Recorded calls', 'Bedrock invocations', 'Coverage'], c.bedrock.map((b) => [b.model, int(b.telemetryCalls), b.bedrockInvocations === null ? 'n/a' : int(b.bedrockInvocations), pct(b.coveragePercent)])));

  const k = r.reconciliation;
  out.push(`## Billed vs recorded Bedrock spend${mark('reconciliation')}`);
  out.push(`Recorded by the telemetry ${money(k.telemetryBedrockUsd)}; billed by AWS ${money(k.billedBedrockUsd)}; gap ${pct(k.gapPercent)}.${k.flagged ? ` **Above 5%.** Likely: ${k.likelyCauses.map(cell).join('; ')}.` : ''}`);

  if (r.periodKind === 'quarter') {
    out.push(`## Quarterly trends${mark('trends')}`);
    out.push(table(['Month', 'Spend', 'Calls', 'Cost per call', 'P95 (call-weighted)', 'Pass rate', 'Bedrock coverage'], r.trends.map((p) => [
      p.period, money(p.costUsd), int(p.calls), p.costPerCallUsd === null ? 'n/a' : `$${p.costPerCallUsd}`, p.latencyP95Ms === null ? 'n/a' : `${p.latencyP95Ms} ms`, pct(p.passRatePercent), pct(p.bedrockCoveragePercent),
    ])));
  }
  if (r.queryCost) {
    out.push('## What this report cost');
    out.push(`Logs Insights scanned ${r.queryCost.logsInsightsGbScanned.toFixed(3)} GB; ${Object.entries(r.queryCost.apiCalls).map(([op, n]) => `${op} x${n}`).join(', ')}; about $${r.queryCost.estimatedUsd.toFixed(4)}.`);
  }
  return out.join('\n\n') + '\n';
}

/** One CSV field (RFC 4180), with spreadsheet formulas defused: a tenant id is outside input. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: object[], columns: string[]): string {
  const field = (row: object, column: string) => csvField((row as Record<string, string | number | null>)[column] ?? null);
  return [columns.join(','), ...rows.map((row) => columns.map((c) => field(row, c)).join(','))].join('\r\n') + '\r\n';
}

// The report's usage columns carry the telemetry contract's names.
const USAGE_COLUMNS = [M.COST_USD, M.CALLS, M.INPUT_TOKENS, M.OUTPUT_TOKENS, M.CACHE_READ_TOKENS, M.CACHE_WRITE_TOKENS].map((m) => m.name);
const CHANGE_COLUMNS = ['previousCostUsd', 'changeUsd', 'changePercent'];

/** Every breakdown, every row. */
export function renderCsvFiles(r: GovernanceReportData): ReportFile[] {
  const file = (name: string, body: string): ReportFile => ({ name, contentType: 'text/csv; charset=utf-8', body });
  return [
    file('by-model.csv', csv(r.byModel, [F.MODEL.name, F.PROVIDER.name, ...USAGE_COLUMNS, ...CHANGE_COLUMNS, 'sharePercent'])),
    file('by-agent.csv', csv(r.byAgent, [F.AGENT.name, ...USAGE_COLUMNS, ...CHANGE_COLUMNS, 'budgetUsd'])),
    file('by-route.csv', csv(r.byRoute, [F.ROUTE.name, F.AGENT.name, ...USAGE_COLUMNS, ...CHANGE_COLUMNS, 'cacheHitRatePercent'])),
    file('by-tenant.csv', csv(r.byTenant, [F.TENANT.name, ...USAGE_COLUMNS, 'sharePercent', 'cumulativeSharePercent'])),
    file('recommendations.csv', csv(r.recommendations, ['id', 'kind', 'target', 'title', 'monthlySavingsUsd', 'arithmetic', 'evidence'])),
    file('anomalies.csv', csv(r.anomalies, ['kind', 'alarmName', 'severity', F.AGENT.name, F.ROUTE.name, 'start', 'end', 'durationMinutes', 'costImpactUsd'])),
  ];
}

/** `report.json`, checked against the schema it is published with. */
export function renderJson(r: GovernanceReportData): string {
  return JSON.stringify(reportSchema.parse(r), null, 2) + '\n';
}

/** Where the full report lies. */
export interface ReportLocation {
  readonly s3Uri: string;
  readonly consoleUrl: string;
}

/** The plain-text notification: totals, change, top anomalies, top three recommendations, where the rest is. */
export function summaryText(r: GovernanceReportData, where: ReportLocation): string {
  const t = r.totals;
  const lines = [
    `${r.periodKind === 'quarter' ? 'Quarterly architecture review' : 'AI spend report'} for ${r.displayName} (${r.clientId}), ${r.period}`,
    '',
    `Spend: ${money(t.costUsd)} over ${int(t.calls)} model calls${t.changeUsd === null ? '' : `, ${signed(t.changeUsd)} (${pct(t.changePercent)}) vs ${r.previousPeriod}`}.`,
  ];
  if (t.budgetUsd !== null) lines.push(`Budget: ${pct(t.budgetUsedPercent)} of ${money(t.budgetUsd)} used.`);
  const movers = r.movement.filter((m) => m.scope === F.ROUTE.name).slice(0, 3);
  if (movers.length) lines.push('', 'Biggest moves:', ...movers.map((m) => `- ${m.text}`));
  const anomalies = [...r.anomalies].sort((a, b) => (b.costImpactUsd ?? 0) - (a.costImpactUsd ?? 0)).slice(0, 3);
  lines.push('', anomalies.length ? 'Top anomalies:' : 'No spend anomaly alarm fired.', ...anomalies.map((a) => `- [${a.severity ?? '?'}] ${a.text}`));
  const recs = r.recommendations.filter((x) => x.monthlySavingsUsd > 0).slice(0, 3);
  if (recs.length) lines.push('', 'Top recommendations:', ...recs.map((x) => `- ${x.title}: ${money(x.monthlySavingsUsd)} a month (${x.evidence.split(':')[0]})`));
  const incomplete = r.sections.filter((s) => !s.complete);
  if (incomplete.length) lines.push('', 'Incomplete sections:', ...incomplete.map((s) => `- ${s.title}: ${s.reasons.join('; ')}`));
  lines.push('', `Full report (HTML, Markdown, CSV, JSON): ${where.s3Uri}`, `Console: ${where.consoleUrl}`);
  return lines.join('\n') + '\n';
}

/** Every file of a report: HTML, Markdown, JSON and the CSV files. */
export async function renderReport(r: GovernanceReportData): Promise<ReportFile[]> {
  return [
    { name: 'report.html', contentType: 'text/html; charset=utf-8', body: await renderHtml(r) },
    { name: 'report.md', contentType: 'text/markdown; charset=utf-8', body: renderMarkdown(r) },
    { name: 'report.json', contentType: 'application/json', body: renderJson(r) },
    ...renderCsvFiles(r),
  ];
}

/*
 * `report.html`: the governance report as one self-contained page for a client's finance and
 * engineering people. Inline CSS and inline SVG charts only: no script, no font, no image or
 * stylesheet from anywhere, so it reads the same offline, as an email attachment or printed.
 * Every string from the report is escaped: tenant ids, route and model names are outside input.
 */
import { ChartSpec, chartSpecs, renderChartSvg, TOP_TENANTS } from './charts';
import { escapeHtml } from './escape';
import { GovernanceReportData, ReportSection, SectionId } from './report-schema';

export { escapeHtml };

// Fragments built here are HTML; every string from the report passes through `esc` on its way in.
const esc = escapeHtml;
type Report = GovernanceReportData;

const DASH = '—';

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function usd(n: number | null): string {
  return n === null ? DASH : usdFormat.format(n);
}

function signedUsd(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '−' : '±'}${usdFormat.format(Math.abs(n))}`;
}

function int(n: number | null): string {
  return n === null ? DASH : intFormat.format(n);
}

function pct(n: number | null, digits = 1): string {
  return n === null ? DASH : `${n.toFixed(digits)}%`;
}

function signedPct(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(1)}%`;
}

function ms(n: number | null): string {
  return n === null ? DASH : `${intFormat.format(n)} ms`;
}

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-10` → October 2026; `2026-Q3` → Q3 2026 (July–September); anything else as given. */
export function periodLabel(period: string): string {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (month) return `${MONTHS[Number(month[2]) - 1]} ${month[1]}`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) {
    const first = (Number(quarter[2]) - 1) * 3;
    return `Q${quarter[2]} ${quarter[1]} (${MONTHS[first]}–${MONTHS[first + 2]})`;
  }
  return period;
}

/** An ISO timestamp as `2026-11-02 08:00 UTC`, without the machine's time zone; anything else as given. */
function timestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-10-12T09:14:00Z` → `Oct 12 09:14 UTC`. */
function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${MONTHS[date.getUTCMonth()].slice(0, 3)} ${date.getUTCDate()} ${date.toISOString().slice(11, 16)} UTC`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Change {
  readonly previousCostUsd: number | null;
  readonly changeUsd: number | null;
  readonly changePercent: number | null;
}

/** A change against the previous period, or why there is none. */
function changeText(change: Change, previousPeriod: string): string {
  if (change.previousCostUsd === null || change.changeUsd === null) return `<span class="muted">no data for ${esc(previousPeriod)}</span>`;
  const direction = change.changeUsd > 0 ? 'up' : change.changeUsd < 0 ? 'down' : 'flat';
  const percent = change.changePercent === null ? '' : ` (${signedPct(change.changePercent)})`;
  return `<span class="change ${direction}">${signedUsd(change.changeUsd)}${percent}</span>`;
}

interface Column<T> {
  readonly head: string;
  readonly cell: (row: T) => string;
  readonly numeric?: boolean;
}

/** A table whose cells are already-escaped fragments. */
function table<T>(rows: readonly T[], columns: Column<T>[], caption?: string): string {
  const head = columns.map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${c.head}</th>`).join('');
  const body = rows.map((row) => `<tr>${columns.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${c.cell(row)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table>${caption ? `<caption>${caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function empty(text: string): string {
  return `<p class="empty">${text}</p>`;
}

function code(text: string): string {
  return `<code>${esc(text)}</code>`;
}

function verdict(met: boolean | null, yes = 'Met', no = 'Missed'): string {
  if (met === null) return '<span class="badge unknown">unknown</span>';
  return met ? `<span class="badge ok">✓ ${yes}</span>` : `<span class="badge bad">✗ ${no}</span>`;
}

async function figure(chart: ChartSpec): Promise<string> {
  const body = chart.spec ? await renderChartSvg(chart.id, chart.spec) : empty(esc(chart.empty));
  const state = chart.spec ? 'chart' : 'chart no-data';
  return `<figure class="${state}" id="chart-${chart.id}" data-chart="${chart.id}">
<figcaption><strong>${esc(chart.title)}</strong>${chart.spec ? ` <span class="muted">${esc(chart.caption)}</span>` : ''}</figcaption>
${body}
</figure>`;
}

function sectionOf(report: Report, id: SectionId): ReportSection | undefined {
  return report.sections.find((s) => s.id === id);
}

/** A section's heading: its title in the report, or its id where the report lists no title for it. */
function titleOf(meta: ReportSection | undefined, id: SectionId): string {
  return esc(meta?.title || `${id[0].toUpperCase()}${id.slice(1)}`);
}

/** A section with its heading and, when the report marks it incomplete, a notice with the reasons. */
function section(report: Report, id: SectionId, body: string): string {
  const meta = sectionOf(report, id);
  const incomplete = meta !== undefined && !meta.complete;
  const reasons = meta?.reasons.length ? `<ul>${meta.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '<p>No reason was recorded.</p>';
  const notice = incomplete
    ? `<div class="incomplete-notice" role="note"><strong>Incomplete section.</strong> What it shows may be missing data:${reasons}</div>`
    : '';
  return `<section id="${id}" class="report-section${incomplete ? ' incomplete' : ''}">
<h2>${titleOf(meta, id)}${incomplete ? ' <span class="badge bad">incomplete</span>' : ''}</h2>
${notice}${body}
</section>`;
}

function header(report: Report): string {
  const kind = report.periodKind === 'quarter' ? 'Quarterly architecture review' : 'Monthly governance report';
  const incomplete = report.sections.filter((s) => !s.complete);
  const banner = incomplete.length
    ? `<p class="incomplete-banner" role="note"><strong>${incomplete.length} of ${report.sections.length} sections are incomplete:</strong> ${incomplete.map((s) => `<a href="#${s.id}">${titleOf(s, s.id)}</a>`).join(', ')}. Each says what is missing and why.</p>`
    : '';
  return `<header class="report-header">
<p class="eyebrow">${kind} · AI spend, reliability and quality</p>
<h1>${esc(report.displayName)} <span class="muted">(${esc(report.clientId)})</span></h1>
<dl class="meta">
<div><dt>Period</dt><dd>${esc(periodLabel(report.period))}</dd></div>
<div><dt>Compared with</dt><dd>${esc(periodLabel(report.previousPeriod))}</dd></div>
<div><dt>Generated</dt><dd>${esc(timestamp(report.generatedAt))}</dd></div>
</dl>
${banner}
</header>`;
}

function totals(report: Report): string {
  const t = report.totals;
  const budget = t.budgetUsd === null || t.budgetUsedPercent === null
    ? '<div class="card"><p class="label">Budget used</p><p class="value muted">no budget set</p></div>'
    : `<div class="card"><p class="label">Budget used</p><p class="value${t.budgetUsedPercent > 100 ? ' over' : ''}">${pct(t.budgetUsedPercent)}</p>
<div class="meter${t.budgetUsedPercent > 100 ? ' over' : ''}" role="img" aria-label="${pct(t.budgetUsedPercent)} of the budget"><span style="width:${Math.max(0, Math.min(100, t.budgetUsedPercent)).toFixed(1)}%"></span></div>
<p class="sub">of ${usd(t.budgetUsd)}</p></div>`;
  const body = `<div class="cards">
<div class="card"><p class="label">Spend</p><p class="value">${usd(t.costUsd)}</p><p class="sub">${t.previousCostUsd === null ? changeText(t, report.previousPeriod) : `${changeText(t, report.previousPeriod)} vs ${esc(report.previousPeriod)} (${usd(t.previousCostUsd)})`}</p></div>
<div class="card"><p class="label">Model calls</p><p class="value">${int(t.calls)}</p><p class="sub">${t.calls ? `$${(t.costUsd / t.calls).toFixed(4)} a call on average` : 'no calls recorded'}</p></div>
${budget}
<div class="card"><p class="label">Spent on failed calls</p><p class="value">${usd(t.failedCostUsd)}</p><p class="sub">${t.costUsd ? pct((t.failedCostUsd / t.costUsd) * 100) : pct(0)} of spend, no answer came of it</p></div>
</div>
${table([t], [
  { head: 'Input tokens (uncached)', cell: (r) => int(r.inputTokens), numeric: true },
  { head: 'Output tokens', cell: (r) => int(r.outputTokens), numeric: true },
  { head: 'Cache-read tokens', cell: (r) => int(r.cacheReadTokens), numeric: true },
  { head: 'Cache-write tokens', cell: (r) => int(r.cacheWriteTokens), numeric: true },
])}
${t.costUsd === 0 ? empty('No spend was recorded in this period.') : ''}`;
  return section(report, 'totals', body);
}

type ChartMap = Map<string, string>;

function breakdowns(report: Report, charts: ChartMap): string {
  const prev = report.previousPeriod;
  const models = [...report.byModel].sort((a, b) => b.costUsd - a.costUsd || compareText(a.model, b.model));
  const agents = [...report.byAgent].sort((a, b) => b.costUsd - a.costUsd || compareText(a.agent, b.agent));
  const routes = [...report.byRoute].sort((a, b) => b.costUsd - a.costUsd || compareText(a.route, b.route));
  const body = `${charts.get('daily-spend-by-model')}
<h3>By model</h3>
${models.length ? table(models, [
  { head: 'Model', cell: (m) => code(m.model) },
  { head: 'Provider', cell: (m) => `<span class="nowrap">${esc(m.provider)}</span>` },
  { head: 'Spend', cell: (m) => usd(m.costUsd), numeric: true },
  { head: 'Share', cell: (m) => pct(m.sharePercent), numeric: true },
  { head: `Change vs ${esc(prev)}`, cell: (m) => changeText(m, prev), numeric: true },
  { head: 'Calls', cell: (m) => int(m.calls), numeric: true },
  { head: 'Output tokens', cell: (m) => int(m.outputTokens), numeric: true },
]) : empty('No model recorded a call in this period.')}
${charts.get('spend-by-agent')}
<h3>By agent</h3>
${agents.length ? table(agents, [
  { head: 'Agent', cell: (a) => esc(a.agent) },
  { head: 'Spend', cell: (a) => usd(a.costUsd), numeric: true },
  { head: `Change vs ${esc(prev)}`, cell: (a) => changeText(a, prev), numeric: true },
  { head: 'Budget', cell: (a) => usd(a.budgetUsd), numeric: true },
  { head: 'Budget used', cell: (a) => (a.budgetUsd ? `<span class="${a.costUsd > a.budgetUsd ? 'over' : ''}">${pct((a.costUsd / a.budgetUsd) * 100)}</span>` : DASH), numeric: true },
  { head: 'Calls', cell: (a) => int(a.calls), numeric: true },
]) : empty('No agent recorded a call in this period.')}
<h3>By route</h3>
${routes.length ? table(routes, [
  { head: 'Route', cell: (r) => code(r.route) },
  { head: 'Spend', cell: (r) => usd(r.costUsd), numeric: true },
  { head: `Change vs ${esc(prev)}`, cell: (r) => changeText(r, prev), numeric: true },
  { head: 'Calls', cell: (r) => int(r.calls), numeric: true },
  { head: 'Cost per call', cell: (r) => (r.calls ? `$${(r.costUsd / r.calls).toFixed(5)}` : DASH), numeric: true },
  { head: 'Cache hit rate', cell: (r) => pct(r.cacheHitRatePercent), numeric: true },
]) : empty('No route recorded a call in this period.')}
${charts.get('cache-hit-rate')}`;
  return section(report, 'breakdowns', body);
}

function tenants(report: Report, charts: ChartMap): string {
  const ranked = [...report.byTenant].sort((a, b) => b.costUsd - a.costUsd || compareText(a.tenant, b.tenant));
  const shown = ranked.slice(0, TOP_TENANTS).map((t, i) => ({ ...t, rank: i + 1 }));
  const body = `${charts.get('tenant-pareto')}
${ranked.length ? `${table(shown, [
  { head: '#', cell: (t) => String(t.rank), numeric: true },
  { head: 'Tenant', cell: (t) => code(t.tenant) },
  { head: 'Spend', cell: (t) => usd(t.costUsd), numeric: true },
  { head: 'Share', cell: (t) => pct(t.sharePercent), numeric: true },
  { head: 'Cumulative share', cell: (t) => pct(t.cumulativeSharePercent), numeric: true },
  { head: 'Calls', cell: (t) => int(t.calls), numeric: true },
])}
<p class="note">${ranked.length > shown.length ? `The top ${shown.length} of ${int(ranked.length)} tenants; the per-tenant CSV has every tenant.` : `All ${int(ranked.length)} tenants.`}</p>`
  : empty('No tenant attribution was recorded in this period.')}`;
  return section(report, 'tenants', body);
}

const FACTORS: Record<string, string> = { volume: 'Volume (calls)', tokensPerCall: 'Tokens per call', cacheHitRate: 'Cache hit rate', priceOrModelMix: 'Price or model mix' };
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A movement factor's value in its own unit: calls, tokens per call, percent, or cost per call. */
function factorValue(factor: string, value: number | null): string {
  if (value === null) return DASH;
  if (factor === 'cacheHitRate') return `${decimalFormat.format(value)}%`;
  if (factor === 'priceOrModelMix') return `$${value.toFixed(5)}`;
  return decimalFormat.format(value);
}

function movement(report: Report): string {
  // Agents before routes, then the largest moves first.
  const entries = [...report.movement]
    .sort((a, b) => compareText(a.scope, b.scope) || Math.abs(b.changeUsd) - Math.abs(a.changeUsd) || compareText(a.key, b.key));
  const body = entries.length ? entries.map((m) => `<article class="movement">
<h3>${code(m.key)} <span class="muted">${m.scope}</span> <span class="change ${m.changeUsd > 0 ? 'up' : m.changeUsd < 0 ? 'down' : 'flat'}">${signedUsd(m.changeUsd)}</span></h3>
<p class="lead-text">${esc(m.text)}</p>
<p class="muted">${usd(m.previousCostUsd)} in ${esc(report.previousPeriod)} → ${usd(m.costUsd)} in ${esc(report.period)}</p>
${m.parts.length ? table([...m.parts].sort((a, b) => Math.abs(b.usd) - Math.abs(a.usd) || compareText(a.factor, b.factor)), [
  { head: 'Factor', cell: (p) => esc(FACTORS[p.factor] ?? p.factor) },
  { head: 'Effect', cell: (p) => `<span class="change ${p.usd > 0 ? 'up' : p.usd < 0 ? 'down' : 'flat'}">${signedUsd(p.usd)}</span>`, numeric: true },
  { head: 'From → to', cell: (p) => (p.from === null && p.to === null ? DASH : `${factorValue(p.factor, p.from)} → ${factorValue(p.factor, p.to)}`), numeric: true },
  { head: 'Since', cell: (p) => (p.since === null ? DASH : esc(p.since)) },
  { head: 'Explanation', cell: (p) => esc(p.text) },
]) : ''}
</article>`).join('\n') : empty(report.totals.previousCostUsd === null
    ? `No comparison: ${esc(report.previousPeriod)} has no data.`
    : 'No agent or route moved enough to explain.');
  return section(report, 'movement', body);
}

function anomalies(report: Report): string {
  const rows = [...report.anomalies].sort((a, b) => compareText(a.start, b.start) || compareText(a.alarmName, b.alarmName));
  const body = rows.length ? table(rows, [
    { head: 'Started', cell: (a) => `<span class="nowrap">${esc(shortTime(a.start))}</span>` },
    { head: 'Lasted', cell: (a) => `<span class="nowrap">${duration(a.durationMinutes)}</span>${a.end === null ? ' <span class="badge bad">still in alarm</span>' : ''}` },
    { head: 'Kind', cell: (a) => `${esc(a.kind)}${a.severity === null ? '' : ` <span class="badge sev">${esc(a.severity)}</span>`}` },
    { head: 'Where', cell: (a) => (a.agent === null && a.route === null ? DASH : code([a.agent, a.route].filter((x) => x !== null).join('/'))) },
    { head: 'Cost impact', cell: (a) => usd(a.costImpactUsd), numeric: true },
    { head: 'What happened', cell: (a) => `${esc(a.text)}<br><span class="muted small">${code(a.alarmName)}</span>` },
  ]) : empty('No anomaly alarm fired in this period.');
  return section(report, 'anomalies', body);
}

function slo(report: Report, charts: ChartMap): string {
  const rows = [...report.slo].sort((a, b) => compareText(a.route, b.route));
  const latency = (p: { observedMs: number | null; sloMs: number; met: boolean | null }) =>
    `<span class="${p.met === false ? 'over' : ''}">${ms(p.observedMs)}</span><br><span class="muted small">SLO ${ms(p.sloMs)}</span>`;
  const rate = (observed: number | null, target: number) =>
    `<span class="${observed !== null && observed > target ? 'over' : ''}">${pct(observed, 2)}</span><br><span class="muted small">SLO ${pct(target, 2)}</span>`;
  const body = `${charts.get('slo-attainment')}
${rows.length ? table(rows, [
  { head: 'Route', cell: (s) => code(s.route) },
  { head: 'Calls', cell: (s) => int(s.calls), numeric: true },
  { head: 'p50', cell: (s) => latency(s.latency.p50), numeric: true },
  { head: 'p95', cell: (s) => latency(s.latency.p95), numeric: true },
  { head: 'p99', cell: (s) => latency(s.latency.p99), numeric: true },
  { head: 'Errors', cell: (s) => rate(s.modelErrorRatePercent === null && s.appErrorRatePercent === null ? null : (s.modelErrorRatePercent ?? 0) + (s.appErrorRatePercent ?? 0), s.errorSloPercent), numeric: true },
  { head: 'Throttles', cell: (s) => rate(s.throttleRatePercent, s.throttleSloPercent), numeric: true },
  { head: 'Error budget', cell: (s) => `<span class="${(s.errorBudgetUsedPercent ?? 0) > 100 ? 'over' : ''}">${pct(s.errorBudgetUsedPercent)}</span>`, numeric: true },
  { head: 'SLO', cell: (s) => verdict(s.met) },
]) : empty('No route has SLO data in this period.')}`;
  return section(report, 'slo', body);
}

function recommendations(report: Report): string {
  const rows = [...report.recommendations].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || compareText(a.id, b.id));
  const total = rows.reduce((s, r) => s + r.monthlySavingsUsd, 0);
  const evidenceClass = (evidence: string) => (/^backed by evaluation/i.test(evidence) ? 'ok' : /^candidate/i.test(evidence) ? 'warn' : 'neutral');
  const body = rows.length ? `<p class="note">Each saving is measured against this period's spend on its own; two on the same route do not add up (up to ${usd(total)} a month in all).</p>
<div class="recs">
${rows.map((r) => `<article class="rec">
<p class="rec-kind"><span class="badge neutral">${esc(r.kind)}</span> ${code(r.target)}</p>
<h3>${esc(r.title)}</h3>
<p class="savings">${r.monthlySavingsUsd > 0 ? `${usd(r.monthlySavingsUsd)} <span class="muted">a month</span>` : '<span class="muted">a risk to act on, not a saving</span>'}</p>
<p><strong>Arithmetic.</strong> ${esc(r.arithmetic)}</p>
<p class="evidence ${evidenceClass(r.evidence)}"><strong>Evidence.</strong> ${esc(r.evidence)}</p>
</article>`).join('\n')}
</div>` : empty('No recommendation for this period.');
  return section(report, 'recommendations', body);
}

function accuracy(report: Report): string {
  const rows = [...report.accuracy].sort((a, b) => compareText(a.route, b.route) || compareText(a.evaluator, b.evaluator) || compareText(a.model, b.model) || compareText(a.variant ?? '', b.variant ?? ''));
  const body = rows.length ? table(rows, [
    { head: 'Route', cell: (a) => code(a.route) },
    { head: 'Model', cell: (a) => `${code(a.model)}${a.variant === null ? '' : `<br><span class="muted small">variant ${esc(a.variant)}</span>`}` },
    { head: 'Evaluator', cell: (a) => esc(a.evaluator) },
    { head: 'Verdicts', cell: (a) => int(a.verdicts), numeric: true },
    { head: 'Pass rate', cell: (a) => `${pct(a.passRatePercent)}${a.passRateLowerBoundPercent === null ? '' : `<br><span class="muted small">≥ ${pct(a.passRateLowerBoundPercent)} (95%)</span>`}`, numeric: true },
    { head: 'Mean score', cell: (a) => (a.meanScore === null ? DASH : a.meanScore.toFixed(2)), numeric: true },
    { head: 'Bar', cell: (a) => [a.barPercent === null ? '' : pct(a.barPercent, 0), a.barMeanScore === null ? '' : `score ${a.barMeanScore.toFixed(2)}`].filter(Boolean).join(', ') || DASH, numeric: true },
    { head: 'Meets bar', cell: (a) => verdict(a.meetsBar, 'Meets', 'Below') },
  ]) : empty('No evaluation evidence was recorded in this period.');
  return section(report, 'accuracy', body);
}

function coverage(report: Report): string {
  const c = report.coverage;
  const list = (items: string[], none: string) => (items.length ? `<ul class="inline">${[...items].sort(compareText).map((i) => `<li>${code(i)}</li>`).join('')}</ul>` : `<span class="muted">${none}</span>`);
  const bedrock = [...c.bedrock].sort((a, b) => compareText(a.model, b.model));
  const body = `<dl class="facts">
<div><dt>Routes in telemetry</dt><dd>${int(c.routesInTelemetry)} <span class="muted">of ${int(c.routesInConfig)} configured</span></dd></div>
<div><dt>Routes with an SLO</dt><dd>${int(c.routesWithSlo)}</dd></div>
<div><dt>Alarms per route</dt><dd>${c.alarmsPerRoute === null ? DASH : c.alarmsPerRoute.toFixed(1)}</dd></div>
<div><dt>Seen in telemetry, absent from the config</dt><dd>${list(c.unconfiguredRoutes, 'none')}</dd></div>
<div><dt>Configured, no call this period</dt><dd>${list(c.silentRoutes, 'none')}</dd></div>
</dl>
<h3>Bedrock calls that reached the telemetry</h3>
${bedrock.length ? table(bedrock, [
  { head: 'Model', cell: (m) => code(m.model) },
  { head: 'Telemetry calls', cell: (m) => int(m.telemetryCalls), numeric: true },
  { head: 'Bedrock invocations', cell: (m) => int(m.bedrockInvocations), numeric: true },
  { head: 'Coverage', cell: (m) => `<span class="${m.coveragePercent !== null && m.coveragePercent < 95 ? 'over' : ''}">${pct(m.coveragePercent)}</span>`, numeric: true },
]) : empty('No Bedrock model was invoked in this period.')}`;
  return section(report, 'coverage', body);
}

function reconciliation(report: Report): string {
  const r = report.reconciliation;
  const flag = r.flagged
    ? `<div class="flag" role="note"><strong>Gap above 5%.</strong> Likely causes:${r.likelyCauses.length ? `<ul>${r.likelyCauses.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>` : ' none identified.'}</div>`
    : '';
  const body = `<dl class="facts">
<div><dt>Bedrock spend in telemetry</dt><dd>${usd(r.telemetryBedrockUsd)}</dd></div>
<div><dt>Bedrock spend billed (Cost Explorer)</dt><dd>${r.billedBedrockUsd === null ? '<span class="muted">not available</span>' : usd(r.billedBedrockUsd)}</dd></div>
<div><dt>Gap</dt><dd>${pct(r.gapPercent)}</dd></div>
</dl>
${flag}${!r.flagged && r.gapPercent !== null ? '<p class="note">Telemetry and the bill agree within 5%.</p>' : ''}`;
  return section(report, 'reconciliation', body);
}

function trends(report: Report, charts: ChartMap): string {
  const points = [...report.trends].sort((a, b) => compareText(a.period, b.period));
  const body = `${charts.get('trends') ?? ''}
${points.length ? table(points, [
  { head: 'Month', cell: (p) => esc(periodLabel(p.period)) },
  { head: 'Spend', cell: (p) => usd(p.costUsd), numeric: true },
  { head: 'Calls', cell: (p) => int(p.calls), numeric: true },
  { head: 'Cost per call', cell: (p) => (p.costPerCallUsd === null ? DASH : `$${p.costPerCallUsd.toFixed(5)}`), numeric: true },
  { head: 'p95 latency', cell: (p) => ms(p.latencyP95Ms), numeric: true },
  { head: 'Pass rate', cell: (p) => pct(p.passRatePercent), numeric: true },
  { head: 'Bedrock coverage', cell: (p) => pct(p.bedrockCoveragePercent), numeric: true },
]) : empty('No monthly trend data was recorded for this quarter.')}`;
  return section(report, 'trends', body);
}

function completeness(report: Report): string {
  const rows = report.sections;
  return `<section id="completeness" class="report-section">
<h2>Completeness of this report</h2>
${rows.length ? table(rows, [
  { head: 'Section', cell: (s) => `<a href="#${s.id}">${titleOf(s, s.id)}</a>` },
  { head: 'State', cell: (s) => (s.complete ? '<span class="badge ok">✓ complete</span>' : '<span class="badge bad">incomplete</span>') },
  { head: 'What is missing', cell: (s) => (s.reasons.length ? s.reasons.map(esc).join('<br>') : DASH) },
]) : empty('The report lists no sections.')}
</section>`;
}

function footer(report: Report): string {
  const q = report.queryCost;
  const calls = q ? Object.entries(q.apiCalls).sort(([a], [b]) => compareText(a, b)) : [];
  const total = calls.reduce((s, [, n]) => s + n, 0);
  const cost = q
    ? `This report's own queries scanned ${q.logsInsightsGbScanned.toFixed(2)} GB in CloudWatch Logs Insights and made ${int(total)} API calls (${calls.map(([api, n]) => `${esc(api)} ${int(n)}`).join(', ') || 'none'}), about ${usd(q.estimatedUsd)}.`
    : 'This report was rendered from exported telemetry; it made no AWS query.';
  return `<footer class="report-footer"><p>${cost}</p><p>Produced by cdk-ai-ops from the client's own telemetry, CloudWatch metrics, alarm history and Cost Explorer. All times UTC. Report schema version ${esc(report.schemaVersion)}.</p></footer>`;
}

const CSS = `
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--blue:#2f6fb0;--red:#c62828;--green:#2e7d32;--amber:#b26a00}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1000px;margin:0 auto;padding:24px 28px 40px;background:#fff}
h1{font-size:28px;margin:4px 0 12px;line-height:1.2}
h2{font-size:21px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:20px 0 8px}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:break-word}
.muted{color:var(--muted)}.small{font-size:12px}
.eyebrow{margin:0;color:var(--blue);font-weight:600;text-transform:uppercase;letter-spacing:.06em;font-size:12px}
.meta{display:flex;gap:32px;margin:0;flex-wrap:wrap}.meta dt{color:var(--muted);font-size:12px}.meta dd{margin:0;font-weight:600}
.report-section{margin-top:36px}
.report-section.incomplete{border-left:4px solid var(--red);padding-left:14px}
.incomplete-notice,.incomplete-banner,.flag{background:#fdecea;border:1px solid #f5c2c0;border-radius:6px;padding:10px 14px;margin:0 0 14px}
.incomplete-notice ul,.flag ul{margin:6px 0 0;padding-left:20px}
.incomplete-banner{margin-top:16px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:14px;margin-bottom:14px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card p{margin:0}.card .label{color:var(--muted);font-size:13px}.card .value{font-size:24px;font-weight:700;margin:2px 0}.card .sub{font-size:13px}
.meter{height:8px;background:var(--line);border-radius:4px;overflow:hidden;margin:4px 0}.meter span{display:block;height:100%;background:var(--blue)}.meter.over span{background:var(--red)}
.change.up{color:var(--red)}.change.down{color:var(--green)}.over{color:var(--red);font-weight:600}
.table-wrap{overflow-x:auto;margin:6px 0 10px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{text-align:left;padding:6px 7px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
.nowrap{white-space:nowrap}
th{color:var(--muted);font-weight:600;font-size:12px;border-bottom:2px solid var(--line)}
.num{text-align:right;white-space:nowrap}
figure{margin:18px 0;padding:12px;border:1px solid var(--line);border-radius:8px}
figcaption{margin-bottom:8px;font-size:14px}
figure svg{display:block;max-width:100%;height:auto}
.empty{color:var(--muted);font-style:italic;margin:8px 0}
.note{color:var(--muted);font-size:13px}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;vertical-align:middle}
.badge.ok{background:#e6f4ea;color:var(--green)}.badge.bad{background:#fdecea;color:var(--red)}.badge.unknown,.badge.neutral{background:#eef1f4;color:var(--muted)}.badge.sev{background:#fff4e0;color:var(--amber)}
h2 .badge{font-size:13px}
.movement{border:1px solid var(--line);border-radius:8px;padding:4px 14px 8px;margin:12px 0}.movement h3{margin:10px 0 4px}.lead-text{font-weight:600;margin:4px 0}
.recs{display:grid;grid-template-columns:1fr 1fr;gap:14px}
.rec{border:1px solid var(--line);border-radius:8px;padding:10px 14px}.rec h3{margin:6px 0}.rec p{margin:6px 0;font-size:14px}
.rec-kind{margin:0!important}.savings{font-size:20px!important;font-weight:700;color:var(--green)}
.evidence{padding:6px 10px;border-radius:6px;background:#eef1f4}.evidence.ok{background:#e6f4ea}.evidence.warn{background:#fff4e0}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:10px 24px;margin:0 0 10px}.facts dt{color:var(--muted);font-size:13px}.facts dd{margin:0;font-weight:600}
ul.inline{display:inline;padding:0;margin:0}ul.inline li{display:inline;margin-right:8px}
.report-footer{margin-top:40px;padding-top:12px;border-top:1px solid var(--line);color:var(--muted);font-size:12.5px}
@media (max-width:760px){.cards{grid-template-columns:1fr 1fr}.recs{grid-template-columns:1fr}}
@media print{body{background:#fff}main{padding:0}figure,.rec,.movement,tr{break-inside:avoid}}
`;

/**
 * Renders the report as one self-contained HTML page. Async because Vega renders SVG
 * asynchronously; deterministic given the report (no clock, no time zone, stable ordering).
 */
export async function renderHtml(report: GovernanceReportData): Promise<string> {
  const charts: ChartMap = new Map();
  for (const chart of chartSpecs(report)) charts.set(chart.id, await figure(chart));
  const quarter = report.periodKind === 'quarter' || report.trends.length > 0;
  const title = `${report.displayName}: ${report.periodKind === 'quarter' ? 'quarterly architecture review' : 'governance report'}, ${periodLabel(report.period)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cdk-ai-ops">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${header(report)}
${totals(report)}
${breakdowns(report, charts)}
${tenants(report, charts)}
${slo(report, charts)}
${movement(report)}
${anomalies(report)}
${recommendations(report)}
${accuracy(report)}
${coverage(report)}
${reconciliation(report)}
${quarter ? trends(report, charts) : ''}
${completeness(report)}
${footer(report)}
</main>
</body>
</html>
`;
}

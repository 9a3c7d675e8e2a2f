/*
 * The governance report's charts: Vega-Lite specs built from the report, compiled to Vega and
 * rendered to SVG strings headlessly (no canvas, no DOM, no network). Pure given the report:
 * every domain is ordered explicitly and every date is a UTC day, so the SVG does not depend on
 * the machine's time zone or on how many charts rendered before.
 */
import { parse, View } from 'vega';
import { compile, TopLevelSpec } from 'vega-lite';
import { GovernanceReportData } from './report-schema';

/** The charts of the HTML report, by the id their `<figure>` carries. */
export const chartIds = ['daily-spend-by-model', 'spend-by-agent', 'cache-hit-rate', 'tenant-pareto', 'slo-attainment', 'trends'] as const;
export type ChartId = typeof chartIds[number];

/** How many tenants the Pareto chart and the tenant table show (the per-tenant CSV has them all). */
export const TOP_TENANTS = 20;

/** How many routes a per-route chart draws before it stops being readable (the tables have them all). */
export const MAX_CHART_ROUTES = 10;

/** A chart to draw, or why there is nothing to draw. */
export interface ChartSpec {
  readonly id: ChartId;
  readonly title: string;
  /** What to read in it, one sentence. */
  readonly caption: string;
  /** Null when the report has no data for it; `empty` then says so. */
  readonly spec: TopLevelSpec | null;
  readonly empty: string;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const WIDTH = 900;
const INK = '#1f2933';
const MUTED = '#616e7c';
const SLO_LINE = '#c62828';

const CONFIG: TopLevelSpec['config'] = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: null },
  axis: { labelColor: MUTED, titleColor: MUTED, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e4e7eb', domainColor: '#9aa5b1', tickColor: '#9aa5b1' },
  // Without a canvas Vega estimates text widths generously: label limits are set with that in mind.
  legend: { labelColor: INK, titleColor: MUTED, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 0, symbolType: 'square' },
  range: { category: ['#2f6fb0', '#e8871e', '#3a9a5b', '#d64545', '#6c5fc7', '#2aa1a1', '#b7598f', '#8c6d4f', '#7b8794', '#c9a227'] },
};

const money = '$,.0f';

function byCost<T extends { costUsd: number }>(key: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => b.costUsd - a.costUsd || compareText(key(a), key(b));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** UTC-day x axis: dates like `2026-10-01` parse as UTC midnight; `utc` time units keep them there. */
function dayAxis(days: number) {
  return {
    field: 'day',
    type: 'temporal' as const,
    timeUnit: 'utcyearmonthdate' as const,
    title: null,
    axis: { format: '%b %d', labelAngle: 0, tickCount: days > 45 ? 12 : 10, grid: false },
  };
}

function distinctDays(days: string[]): number {
  return new Set(days).size;
}

function dailySpendByModel(report: GovernanceReportData): ChartSpec {
  const rows = report.charts.dailyByModel;
  const models = [...report.byModel].sort(byCost((m) => m.model)).map((m) => m.model);
  for (const row of [...rows].sort((a, b) => compareText(a.model, b.model))) {
    if (!models.includes(row.model)) models.push(row.model);
  }
  const values = rows.map((row) => ({ day: row.day, series: row.model, usd: row.costUsd, order: models.indexOf(row.model) }));
  const hasSpend = values.some((v) => v.usd !== 0);
  return {
    id: 'daily-spend-by-model',
    title: 'Spend by model, per day',
    caption: 'Each bar is one UTC day of the period, stacked by model.',
    empty: hasSpend || values.length === 0 ? 'No daily spend was recorded in this period.' : 'Spend was zero on every day of the period.',
    spec: hasSpend ? {
      width: WIDTH,
      height: 260,
      data: { values },
      mark: { type: 'bar' },
      encoding: {
        x: dayAxis(distinctDays(values.map((v) => v.day))),
        y: { aggregate: 'sum', field: 'usd', type: 'quantitative', title: 'USD per day', axis: { format: money } },
        color: { field: 'series', type: 'nominal', title: 'Model', scale: { domain: models }, legend: { title: null, orient: 'bottom', direction: 'vertical' } },
        order: { field: 'order', type: 'quantitative', sort: 'descending' },
      },
      config: CONFIG,
    } satisfies TopLevelSpec : null,
  };
}

function spendByAgent(report: GovernanceReportData): ChartSpec {
  const agents = [...report.byAgent].sort(byCost((a) => a.agent));
  const rank = (agent: string) => agents.findIndex((a) => a.agent === agent);
  // The value label sits right of the bar and of both ticks, so a tick never crosses it.
  const bars = agents.map((a) => ({
    name: a.agent,
    rank: rank(a.agent),
    usd: a.costUsd,
    labelAt: Math.max(a.costUsd, a.previousCostUsd ?? 0, a.budgetUsd ?? 0),
  }));
  const marks = agents.flatMap((a) => [
    ...(a.previousCostUsd === null ? [] : [{ name: a.agent, rank: rank(a.agent), usd: a.previousCostUsd, mark: `${report.previousPeriod} (previous)` }]),
    ...(a.budgetUsd === null ? [] : [{ name: a.agent, rank: rank(a.agent), usd: a.budgetUsd, mark: 'Monthly budget' }]),
  ]);
  const y = {
    field: 'name',
    type: 'nominal' as const,
    title: 'Agent',
    sort: { field: 'rank', op: 'min' as const, order: 'ascending' as const },
    axis: { title: null, labelLimit: 320, labelFontSize: 12, labelColor: INK },
  };
  const x = { field: 'usd', type: 'quantitative' as const, title: 'USD', axis: { format: money } };
  const hasSpend = bars.some((b) => b.usd !== 0) || marks.length > 0;
  return {
    id: 'spend-by-agent',
    title: 'Spend by agent',
    caption: 'Bars: this period. Ticks: the previous period and each agent\'s monthly budget, where set.',
    empty: bars.length === 0 ? 'No agent recorded a call in this period.' : 'Every agent\'s spend was zero in this period.',
    spec: bars.length && hasSpend ? {
      width: WIDTH - 240,
      height: { step: 34 },
      layer: [
        { data: { values: bars }, mark: { type: 'bar', color: '#2f6fb0', height: { band: 0.6 } }, encoding: { y, x } },
        { data: { values: bars }, mark: { type: 'text', align: 'left', dx: 6, color: INK, fontSize: 11 }, encoding: { y, x: { ...x, field: 'labelAt' }, text: { field: 'usd', type: 'quantitative', format: '$,.2f' } } },
        ...(marks.length ? [{
          data: { values: marks },
          mark: { type: 'tick' as const, thickness: 3, bandSize: 26 },
          encoding: {
            y,
            x,
            color: {
              field: 'mark',
              type: 'nominal' as const,
              title: null,
              scale: { domain: [`${report.previousPeriod} (previous)`, 'Monthly budget'], range: [INK, SLO_LINE] },
              legend: { orient: 'bottom' as const, direction: 'horizontal' as const },
            },
          },
        }] : []),
      ],
      config: CONFIG,
    } satisfies TopLevelSpec : null,
  };
}

function tenantPareto(report: GovernanceReportData): ChartSpec {
  const ranked = [...report.byTenant].sort((a, b) => a.cumulativeSharePercent - b.cumulativeSharePercent || byCost<typeof a>((t) => t.tenant)(a, b));
  const top = ranked.slice(0, TOP_TENANTS).map((t, rank) => ({ name: t.tenant, rank, usd: t.costUsd, cumulative: t.cumulativeSharePercent }));
  const x = {
    field: 'name',
    type: 'nominal' as const,
    title: 'Tenant',
    sort: { field: 'rank', op: 'min' as const, order: 'ascending' as const },
    axis: { title: null, labelAngle: -40, labelLimit: 220, labelFontSize: 11, labelColor: INK },
  };
  const shown = top.length < ranked.length ? `the top ${top.length} of ${ranked.length} tenants` : `all ${ranked.length} tenants`;
  return {
    id: 'tenant-pareto',
    title: 'Tenants by spend (Pareto)',
    caption: `Bars: each tenant's spend, for ${shown}. Line: the cumulative share of all tenant spend.`,
    empty: 'No tenant attribution was recorded in this period.',
    spec: top.length && top.some((t) => t.usd !== 0) ? {
      width: WIDTH - 60,
      height: 250,
      data: { values: top },
      encoding: { x },
      layer: [
        { mark: { type: 'bar', color: '#2f6fb0' }, encoding: { y: { field: 'usd', type: 'quantitative', title: 'USD', axis: { format: money } } } },
        {
          mark: { type: 'line', color: '#e8871e', strokeWidth: 2, point: { filled: true, size: 30, color: '#e8871e' } },
          encoding: { y: { field: 'cumulative', type: 'quantitative', title: 'Cumulative share %', scale: { domain: [0, 100] }, axis: { orient: 'right', format: '.0f', titleColor: '#b9650f' } } },
        },
      ],
      resolve: { scale: { y: 'independent' } },
      config: CONFIG,
    } satisfies TopLevelSpec : null,
  };
}

function cacheHitRate(report: GovernanceReportData): ChartSpec {
  const measured = report.charts.dailyCacheHitRate.filter((r) => r.cacheHitRatePercent !== null);
  const cached = new Set(measured.map((r) => r.route));
  const uncached = [...new Set(report.charts.dailyCacheHitRate.map((r) => r.route))].filter((r) => !cached.has(r)).sort(compareText);
  // The routes with the most spend, when there are more than a chart can show.
  const spend = new Map(report.byRoute.map((r) => [r.route, r.costUsd]));
  const ranked = [...cached].sort((a, b) => (spend.get(b) ?? 0) - (spend.get(a) ?? 0) || compareText(a, b));
  const routes = ranked.slice(0, MAX_CHART_ROUTES).sort(compareText);
  const values = measured.filter((r) => routes.includes(r.route)).map((r) => ({ day: r.day, series: r.route, rate: r.cacheHitRatePercent }));
  return {
    id: 'cache-hit-rate',
    title: 'Prompt-cache hit rate per route, per day',
    caption: 'Share of prompt tokens read from the cache, per UTC day.'
      + (ranked.length > routes.length ? ` The ${routes.length} routes with the most spend of ${ranked.length}.` : '')
      + (uncached.length ? ` No cache-eligible tokens on ${uncached.join(', ')}.` : ''),
    empty: 'No route recorded cache-eligible prompt tokens in this period.',
    spec: values.length ? {
      width: WIDTH,
      height: 240,
      data: { values },
      mark: { type: 'line', strokeWidth: 2, point: { size: 14 } },
      encoding: {
        x: dayAxis(distinctDays(values.map((v) => v.day))),
        y: { field: 'rate', type: 'quantitative', title: 'Cache hit rate %', scale: { domain: [0, 100] } },
        color: { field: 'series', type: 'nominal', title: 'Route', scale: { domain: routes }, legend: { title: null, orient: 'bottom', direction: 'horizontal', columns: 3 } },
      },
      config: CONFIG,
    } satisfies TopLevelSpec : null,
  };
}

/** Observed value as a percentage of its SLO: 100 is the SLO; above it is a miss. */
function sloRows(slos: GovernanceReportData['slo']) {
  const rows: { series: string; measure: string; percent: number }[] = [];
  const ratio = (observed: number | null, slo: number) => (observed === null || slo <= 0 ? null : (observed / slo) * 100);
  for (const s of [...slos].sort((a, b) => compareText(a.route, b.route))) {
    const measures: [string, number | null][] = [
      ['p50 latency', ratio(s.latency.p50.observedMs, s.latency.p50.sloMs)],
      ['p95 latency', ratio(s.latency.p95.observedMs, s.latency.p95.sloMs)],
      ['p99 latency', ratio(s.latency.p99.observedMs, s.latency.p99.sloMs)],
      ['error rate', s.errorBudgetUsedPercent],
      ['throttle rate', ratio(s.throttleRatePercent, s.throttleSloPercent)],
    ];
    for (const [measure, percent] of measures) {
      if (percent !== null) rows.push({ series: s.route, measure, percent: Math.round(percent * 10) / 10 });
    }
  }
  return rows;
}

function sloAttainment(report: GovernanceReportData): ChartSpec {
  // When there are more routes than a chart can show: those that missed first, then the busiest.
  const missedFirst = (s: GovernanceReportData['slo'][number]) => (s.met === false ? 0 : 1);
  const shown = [...report.slo]
    .sort((a, b) => missedFirst(a) - missedFirst(b) || b.calls - a.calls || compareText(a.route, b.route))
    .slice(0, MAX_CHART_ROUTES);
  const rows = sloRows(shown);
  const routes = [...new Set(rows.map((r) => r.series))];
  const top = Math.max(150, Math.min(300, Math.ceil(Math.max(0, ...rows.map((r) => r.percent)) / 10) * 10 + 10));
  const y = { field: 'series', type: 'nominal' as const, title: 'Route', scale: { domain: routes }, axis: { title: null, labelLimit: 320, labelFontSize: 12, labelColor: INK } };
  return {
    id: 'slo-attainment',
    title: 'SLO attainment per route',
    caption: 'Each bar is the observed value as a percentage of its SLO: past the red line (100%) the route missed it.'
      + (report.slo.length > shown.length ? ` The ${shown.length} of ${report.slo.length} routes that missed or had the most calls.` : '')
      + ` Bars are cut at ${top}%; the table has the figures.`,
    empty: 'No route has observed latency or error rates in this period.',
    spec: rows.length ? {
      width: WIDTH - 300,
      height: routes.length * 64,
      layer: [
        {
          data: { values: rows },
          mark: { type: 'bar', clip: true },
          encoding: {
            y,
            yOffset: { field: 'measure', type: 'nominal', scale: { domain: ['p50 latency', 'p95 latency', 'p99 latency', 'error rate', 'throttle rate'] } },
            x: { field: 'percent', type: 'quantitative', title: '% of SLO', scale: { domain: [0, top], clamp: true }, axis: { format: '.0f' } },
            color: {
              field: 'measure',
              type: 'nominal',
              title: null,
              scale: { domain: ['p50 latency', 'p95 latency', 'p99 latency', 'error rate', 'throttle rate'], range: ['#9fc4e8', '#4f8fcf', '#1f4f82', '#e8871e', '#8c6d4f'] },
              legend: { orient: 'bottom', direction: 'horizontal' },
            },
          },
        },
        { data: { values: [{ slo: 100 }] }, mark: { type: 'rule', color: SLO_LINE, strokeWidth: 2, strokeDash: [4, 3] }, encoding: { x: { field: 'slo', type: 'quantitative' } } },
      ],
      config: CONFIG,
    } satisfies TopLevelSpec : null,
  };
}

function trends(report: GovernanceReportData): ChartSpec {
  const points = [...report.trends].sort((a, b) => compareText(a.period, b.period)).map((p) => ({
    period: p.period,
    spend: p.costUsd,
    perCall: p.costPerCallUsd,
    p95: p.latencyP95Ms,
    passRate: p.passRatePercent,
    coverage: p.bedrockCoveragePercent,
  }));
  // Amounts start at zero; percentages zoom in, where a point of movement matters.
  const panels: [keyof typeof points[number], string, string, boolean][] = [
    ['spend', 'Spend (USD)', money, true],
    ['perCall', 'Cost per call (USD)', '$.5f', true],
    ['p95', 'p95 latency (ms, call-weighted)', ',.0f', true],
    ['passRate', 'Evaluation pass rate %', '.1f', false],
    ['coverage', 'Bedrock coverage %', '.1f', false],
  ];
  const present = panels.filter(([field]) => points.some((p) => p[field] !== null));
  return {
    id: 'trends',
    title: 'Trends over the quarter',
    caption: 'One point per month of the quarter.',
    empty: 'No monthly trend data was recorded for this quarter.',
    spec: points.length && present.length ? {
      data: { values: points },
      columns: 3,
      concat: present.map(([field, title, format, zero]) => ({
        width: 250,
        height: 140,
        title: { text: title, fontSize: 12, fontWeight: 'normal', color: INK, anchor: 'start' },
        mark: { type: 'line', strokeWidth: 2, color: '#2f6fb0', point: { size: 40 } },
        encoding: {
          x: { field: 'period', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
          y: { field, type: 'quantitative', title: null, axis: { format }, scale: { zero } },
        },
      })),
      config: CONFIG,
    } satisfies TopLevelSpec : null,
  };
}

/** The report's charts, in the order the HTML shows them; trends only for a quarterly review. */
export function chartSpecs(report: GovernanceReportData): ChartSpec[] {
  const charts = [dailySpendByModel(report), spendByAgent(report), cacheHitRate(report), tenantPareto(report), sloAttainment(report)];
  return report.periodKind === 'quarter' ? [...charts, trends(report)] : charts;
}

/**
 * Vega numbers clip paths and gradients from process-wide counters: renumber them per chart, in
 * order of appearance, so the SVG is the same whatever rendered before and ids stay unique when
 * several charts share one page.
 */
function scopeIds(svg: string, chartId: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  const renamed = new Map(ids.map((id, i) => [id, `${chartId}-def${i + 1}`]));
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, attr: string, id: string) => `${attr}${renamed.get(id) ?? id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (renamed.has(id) ? `url(#${renamed.get(id)})` : whole))
    .replace(/(href=")#([^"]+)"/g, (whole, attr: string, id: string) => (renamed.has(id) ? `${attr}#${renamed.get(id)}"` : whole));
}

/** Compiles a Vega-Lite spec and renders it to an SVG string, without a browser or canvas. */
export async function renderChartSvg(chartId: string, spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return scopeIds(await view.toSVG(), chartId);
  } finally {
    view.finalize();
  }
}

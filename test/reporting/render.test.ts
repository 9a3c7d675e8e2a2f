import * as fc from 'fast-check';
import { PriceCatalog } from '../../lib/pricing/price-catalog';
import { emptyUsage, PeriodAggregates, ReportSource, SourceStatus } from '../../lib/reporting/aggregates';
import { buildReport } from '../../lib/reporting/core';
import { renderHtml } from '../../lib/reporting/html';
import { parsePeriod } from '../../lib/reporting/period';
import { renderCsvFiles, renderMarkdown, summaryText } from '../../lib/reporting/render';
import { exampleConfig } from '../support/example';

const COMPLETE = Object.fromEntries(Object.values(ReportSource).map((s) => [s, { complete: true }])) as Record<ReportSource, SourceStatus>;

function reportWithTenants(tenants: string[]) {
  const current: PeriodAggregates = {
    period: parsePeriod('2026-10'),
    daily: [{ ...emptyUsage(), day: '2026-10-01', agent: 'answer', route: 'draft-reply', model: 'gpt-5-mini', provider: 'openai', calls: tenants.length, costUsd: tenants.length }],
    tenants: tenants.map((tenant) => ({ ...emptyUsage(), tenant, calls: 1, costUsd: 1 })),
    distributions: [],
    evaluations: [],
    sources: { ...COMPLETE, [ReportSource.BILLING]: { complete: false, reason: 'Cost Explorer: AccessDenied' } },
  };
  return buildReport({ config: exampleConfig(), catalog: PriceCatalog.builtIn(), current, generatedAt: new Date('2026-11-02T08:00:00Z') });
}

/** Splits RFC 4180 CSV text into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') {quoted = false;} else {field += c;}
    } else if (c === '"') {quoted = true;} else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else {field += c;}
  }
  return rows;
}

test('tenant ids of any content survive the CSV round trip, and none becomes a spreadsheet formula', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 20 }), (tenants) => {
    const csv = renderCsvFiles(reportWithTenants(tenants)).find((f) => f.name === 'by-tenant.csv')!.body;
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(tenants.length + 1);
    // A value a spreadsheet would run as a formula is written behind a quote; every other value as it is.
    const written = (tenant: string) => (/^[=+\-@\t\r]/.test(tenant) ? `'${tenant}` : tenant);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(9);
      expect(/^[=+\-@\t\r]/.test(row[0])).toBe(false);
    }
    expect(rows.slice(1).map((row) => row[0]).sort()).toEqual(tenants.map(written).sort());
  }));
});

test('no tenant id can break a Markdown table row', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 20 }), (tenants) => {
    const md = renderMarkdown(reportWithTenants(tenants));
    const section = md.slice(md.indexOf('## Spend by tenant'), md.indexOf('## Why spend moved'));
    const tableRows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Tenant'));
    expect(tableRows).toHaveLength(tenants.length);
    // Five cells: an unescaped pipe would make more.
    for (const row of tableRows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  }));
});

test('incomplete sections are marked where they appear, with the reason', () => {
  const md = renderMarkdown(reportWithTenants(['a']));
  expect(md).toContain('> **2 section(s) incomplete:** Why spend moved, Billed vs recorded Bedrock spend.');
  expect(md).toMatch(/## Billed vs recorded Bedrock spend\n> \*\*Incomplete:\*\* Cost Explorer: AccessDenied/);
});

test('the summary: totals, change, anomalies, the top three recommendations, what is missing, where the report lies', () => {
  const text = summaryText(reportWithTenants(['a', 'b']), { s3Uri: 's3://bucket/reports/2026-10/', consoleUrl: 'https://console.aws.amazon.com/s3/buckets/bucket' });
  expect(text).toContain('AI spend report for Example Support Co. (example), 2026-10');
  expect(text).toContain('Spend: $2.00 over 2 model calls.');
  expect(text).toContain('Budget: 0% of $18,000.00 used.');
  expect(text).toContain('No spend anomaly alarm fired.');
  expect(text).toContain('Incomplete sections:\n- Why spend moved: no telemetry for the previous period (2026-09): changes cannot be computed\n- Billed vs recorded Bedrock spend: Cost Explorer: AccessDenied');
  expect(text).not.toContain('Top recommendations');
  expect(text).toContain('Full report (HTML, Markdown, CSV, JSON): s3://bucket/reports/2026-10/');
});

test('a model in use near its end of life: the Markdown, the CSV and the HTML name the date and the suggested successor with its cost', async () => {
  // GIVEN a month of Opus 4.5 calls (retiring 2027-01-22; the catalog suggests Opus 4.6, at the same list price)
  const current: PeriodAggregates = {
    period: parsePeriod('2026-11'),
    daily: [{
      ...emptyUsage(),
      day: '2026-11-03',
      agent: 'answer',
      route: 'draft-reply',
      model: 'claude-opus-4-5',
      provider: 'anthropic',
      calls: 800,
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      costUsd: 7.5,
    }],
    tenants: [{ ...emptyUsage(), tenant: 'acme', calls: 800, costUsd: 7.5 }],
    distributions: [],
    evaluations: [],
    sources: COMPLETE,
  };
  // WHEN the report is built on 2026-12-01 and rendered
  const report = buildReport({ config: exampleConfig(), catalog: PriceCatalog.builtIn(), current, generatedAt: new Date('2026-12-01T08:00:00Z') });
  const title = 'Claude Opus 4.5 (claude-opus-4-5) reaches its end of life in 52 days (2027-01-22): move to Claude Opus 4.6 (claude-opus-4-6)';
  // THEN every rendering carries it
  expect(report.recommendations.filter((r) => r.kind === 'model-end-of-life').map((r) => r.title)).toEqual([title]);
  const markdown = renderMarkdown(report);
  expect(markdown).toContain(`**${title}**: $0.00 a month.`);
  expect(markdown).toContain('suggested successor Claude Opus 4.6 (claude-opus-4-6: $5/M input, $25/M output against $5/M and $25/M): the same tokens would cost the same');
  const csv = renderCsvFiles(report).find((f) => f.name === 'recommendations.csv')!;
  expect(parseCsv(csv.body).map((row) => row[1])).toContain('model-end-of-life');
  const html = await renderHtml(report);
  expect(html).toContain(title);
  expect(html).toContain('2027-01-22');
});

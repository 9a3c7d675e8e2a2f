import { execFileSync } from 'child_process';
import * as fc from 'fast-check';
import { DefaultTreeAdapterMap, parse } from 'parse5';
import { chartIds, chartSpecs, MAX_CHART_ROUTES, TOP_TENANTS } from '../../lib/reporting/charts';
import { escapeHtml, periodLabel, renderHtml } from '../../lib/reporting/html';
import { GovernanceReportData, reportSchema } from '../../lib/reporting/report-schema';
import { PROJECT_ROOT } from '../support/example';
import { emptyReport, sampleQuarterlyReport, sampleReport } from '../support/sample-report';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) elements(child, out);
  if ('content' in node && node.content) elements(node.content, out);
  return out;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

/** The `<figure>` of one chart, as HTML text. */
function figureOf(html: string, id: string): string {
  const start = html.indexOf(`<figure class="chart" id="chart-${id}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</figure>', start));
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

const BAR = /aria-roledescription="bar"/g;

describe('sample report fixtures', () => {
  test('GIVEN the fixtures WHEN parsed with the report schema THEN they are valid reports', () => {
    // THEN
    expect(() => reportSchema.parse(sampleReport())).not.toThrow();
    expect(() => reportSchema.parse(sampleQuarterlyReport())).not.toThrow();
    expect(() => reportSchema.parse(emptyReport())).not.toThrow();
  });

  test('GIVEN the sample WHEN its breakdowns are summed THEN each adds up to the total, to the cent', () => {
    // GIVEN
    const report = sampleReport();
    const cents = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 100);
    // THEN
    const total = Math.round(report.totals.costUsd * 100);
    expect(cents(report.byModel.map((m) => m.costUsd))).toBe(total);
    expect(cents(report.byAgent.map((a) => a.costUsd))).toBe(total);
    expect(cents(report.byRoute.map((r) => r.costUsd))).toBe(total);
    expect(cents(report.byTenant.map((t) => t.costUsd))).toBe(total);
    expect(cents(report.charts.dailyByModel.map((d) => d.costUsd))).toBe(total);
    for (const m of report.movement) expect(cents(m.parts.map((p) => p.usd))).toBe(Math.round(m.changeUsd * 100));
  });
});

describe('renderHtml', () => {
  let html: string;
  beforeAll(async () => {
    html = await renderHtml(sampleReport());
  });

  test('GIVEN the sample WHEN rendered THEN the page loads nothing from anywhere: no script, stylesheet link, image, font or remote URL', () => {
    // THEN
    const document = parse(html);
    const tags = new Set(elements(document).map((e) => e.tagName));
    for (const tag of ['script', 'link', 'img', 'iframe', 'object', 'embed', 'image', 'use', 'foreignObject', 'audio', 'video', 'source']) {
      expect(tags.has(tag)).toBe(false);
    }
    for (const element of elements(document)) {
      for (const attr of element.attrs) {
        expect(attr.name.startsWith('on')).toBe(false);
        expect(['src', 'srcset', 'action', 'formaction', 'poster']).not.toContain(attr.name);
        if (attr.name === 'href' || attr.name === 'xlink:href') expect(attr.value).toMatch(/^#/);
      }
    }
    // The only absolute URLs are XML namespace names, which are never fetched.
    const urls = new Set(html.match(/https?:\/\/[^\s"')<]+/g));
    expect([...urls].sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    expect(html).not.toMatch(/@import|@font-face|url\((?!#)/);
  });

  test('GIVEN the sample WHEN rendered THEN the header names the client, the period and when it was generated', () => {
    // THEN
    expect(html).toContain('<title>Example Support Co.: governance report, October 2026</title>');
    expect(html).toContain('<h1>Example Support Co. <span class="muted">(example)</span></h1>');
    expect(html).toContain('<dd>October 2026</dd>');
    expect(html).toContain('<dd>September 2026</dd>');
    expect(html).toContain('<dd>2026-11-02 08:00 UTC</dd>');
  });

  test('GIVEN the sample WHEN rendered THEN totals show spend, change against the previous month and budget used', () => {
    // THEN
    expect(html).toContain('<p class="value">$16,017.90</p>');
    expect(html).toContain('<span class="change up">+$2,233.35 (+16.2%)</span> vs 2026-09 ($13,784.55)');
    expect(html).toContain('<p class="value">89.0%</p>');
    expect(html).toContain('<span style="width:89.0%"></span>');
    expect(html).toContain('of $18,000.00');
  });

  test('GIVEN the sample WHEN rendered THEN every monthly chart is drawn as inline SVG with one mark per data row', () => {
    // GIVEN
    const report = sampleReport();
    // THEN
    for (const id of chartIds.filter((c) => c !== 'trends')) expect(figureOf(html, id)).toMatch(/<svg[^>]*class="marks"/);
    expect(html).not.toContain('id="chart-trends"');
    expect(count(figureOf(html, 'daily-spend-by-model'), BAR)).toBe(report.charts.dailyByModel.length);
    expect(count(figureOf(html, 'spend-by-agent'), BAR)).toBe(report.byAgent.length);
    expect(count(figureOf(html, 'tenant-pareto'), BAR)).toBe(TOP_TENANTS);
    expect(count(figureOf(html, 'tenant-pareto'), /aria-roledescription="line mark"/g)).toBe(1);
    const routesWithCache = new Set(report.charts.dailyCacheHitRate.filter((r) => r.cacheHitRatePercent !== null).map((r) => r.route));
    expect(count(figureOf(html, 'cache-hit-rate'), /aria-roledescription="line mark"/g)).toBe(routesWithCache.size);
    // Five measures a route: p50, p95, p99, errors and throttles against their SLOs.
    expect(count(figureOf(html, 'slo-attainment'), BAR)).toBe(report.slo.length * 5);
  });

  test('GIVEN the sample WHEN rendered THEN the values the charts show are the report\'s, by name', () => {
    // THEN
    expect(figureOf(html, 'spend-by-agent')).toContain('aria-label="USD: $11,192; Agent: answer"');
    expect(figureOf(html, 'spend-by-agent')).toContain('aria-label="USD: $11,000; Agent: answer; mark: Monthly budget"');
    expect(figureOf(html, 'tenant-pareto')).toContain('Tenant: northwind-traders');
    expect(figureOf(html, 'cache-hit-rate')).toContain('No cache-eligible tokens on retrieval/rerank, triage/detect-language.');
  });

  test('GIVEN the sample WHEN rendered THEN movement, anomalies, recommendations, accuracy, coverage and reconciliation are shown', () => {
    // THEN
    expect(html).toContain('answer/draft-reply +$1,846.75: +$1,544.20 from cache hit rate 82.1% → 41.3% since Oct 12');
    expect(html).toContain('<td class="num">82.1% → 41.3%</td>');
    expect(html).toContain('<span class="nowrap">Oct 12 09:14 UTC</span>');
    expect(html).toContain('<span class="nowrap">16 h 6 min</span>');
    expect(html).toMatch(/model-swap[\s\S]*\$5,608\.40 <span class="muted">a month[\s\S]*prompt-caching[\s\S]*\$2,316\.30/);
    expect(html).toContain('<p class="evidence ok"><strong>Evidence.</strong> backed by evaluation: support-rubric');
    expect(html).toContain('<p class="evidence warn"><strong>Evidence.</strong> candidate: needs a shadow evaluation');
    expect(html).toContain('<span class="badge bad">✗ Below</span>');
    expect(html).toContain('<div class="flag" role="note"><strong>Gap above 5%.</strong>');
    expect(html).toContain('The top 20 of 64 tenants; the per-tenant CSV has every tenant.');
    expect(html).toContain('made 81 API calls');
  });

  test('GIVEN a report WHEN rendered again, and in a process in another time zone THEN the HTML is the same', async () => {
    // WHEN
    const again = await renderHtml(sampleReport());
    // A time zone is fixed when a process starts: render in one that is 14 hours ahead of UTC.
    const script = 'require("./lib/reporting/html").renderHtml(require("./test/support/sample-report").sampleReport())'
      + '.then((html) => process.stdout.write(new Date("2026-10-01").getTimezoneOffset() + "\\n" + html))';
    const east = execFileSync(process.execPath, [require.resolve('tsx/cli'), '-e', script], {
      cwd: PROJECT_ROOT, env: { ...process.env, TZ: 'Pacific/Kiritimati' }, maxBuffer: 64 * 1024 * 1024, encoding: 'utf-8',
    });
    // THEN
    expect(again).toBe(html);
    expect(east).toBe(`-840\n${html}`);
  }, 60_000);

  test('GIVEN several charts on one page WHEN rendered THEN their SVG ids are unique', () => {
    // THEN
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs).toEqual(['slo-attainment-def1']);
    for (const ref of refs) expect(ids).toContain(ref);
  });

  test('GIVEN more routes than a chart can show WHEN rendered THEN the per-route charts keep the ones that matter and say so, the tables keep all', async () => {
    // GIVEN 40 routes: the sample's 8 and 32 more, small, where one misses its SLO
    const report = sampleReport();
    const extra = Array.from({ length: 32 }, (_, i) => `extra/route-${String(i).padStart(2, '0')}`);
    const baseSlo = report.slo.find((s) => s.met === true)!;
    report.byRoute.push(...extra.map((route) => ({ ...report.byRoute[report.byRoute.length - 1], route, costUsd: 1 })));
    report.slo.push(...extra.map((route, i) => ({ ...baseSlo, route, calls: 10, met: i !== 31 })));
    report.charts.dailyCacheHitRate.push(...extra.map((route) => ({ day: '2026-10-01', route, cacheHitRatePercent: 50 })));
    // WHEN
    const page = await renderHtml(report);
    // THEN
    const cache = figureOf(page, 'cache-hit-rate');
    expect(count(cache, /aria-roledescription="line mark"/g)).toBe(MAX_CHART_ROUTES);
    expect(cache).toContain('The 10 routes with the most spend of 38.');
    // The sample's six cached routes all outspend the extra ones.
    for (const route of new Set(sampleReport().charts.dailyCacheHitRate.filter((r) => r.cacheHitRatePercent !== null).map((r) => r.route))) {
      expect(cache).toContain(`>${route}</text>`);
    }
    const slo = figureOf(page, 'slo-attainment');
    expect(count(slo, BAR)).toBe(MAX_CHART_ROUTES * 5);
    expect(slo).toContain('The 10 of 40 routes that missed or had the most calls.');
    expect(slo).toContain('extra/route-31');
    expect(count(page, /<code>extra\/route-\d+<\/code>/g)).toBe(32 * 2);
  });

  test('GIVEN a quarterly review WHEN rendered THEN it adds the trends chart and table', async () => {
    // WHEN
    const quarter = await renderHtml(sampleQuarterlyReport());
    // THEN
    expect(quarter).toContain('Quarterly architecture review');
    expect(quarter).toContain('<dd>Q3 2026 (July–September)</dd>');
    expect(count(figureOf(quarter, 'trends'), /aria-roledescription="line mark"/g)).toBe(5);
    expect(quarter).toMatch(/<td>September 2026<\/td><td class="num">\$13,784\.55<\/td>/);
  });
});

describe('renderHtml on empty or missing data', () => {
  let html: string;
  beforeAll(async () => {
    html = await renderHtml(emptyReport());
  });

  test('GIVEN no previous month, no spend and no tenants WHEN rendered THEN each part says so instead of drawing an empty chart', () => {
    // THEN
    expect(html).toContain('<span class="muted">no data for 2026-09</span>');
    expect(html).toContain('No spend was recorded in this period.');
    expect(html).toContain('no budget set');
    expect(html).toContain('No tenant attribution was recorded in this period.');
    expect(html).toContain('No comparison: 2026-09 has no data.');
    expect(html).toContain('No anomaly alarm fired in this period.');
    expect(html).toContain('No recommendation for this period.');
    expect(html).toContain('This report was rendered from exported telemetry; it made no AWS query.');
    expect(html).not.toContain('<svg');
    expect(count(html, /<figure class="chart no-data"/g)).toBe(5);
  });

  test('GIVEN incomplete sections WHEN rendered THEN each is marked with its reasons, and the header lists them', () => {
    // THEN
    expect(html).toContain('<strong>2 of 10 sections are incomplete:</strong> <a href="#tenants">Spend by tenant</a>, <a href="#reconciliation">Billed vs recorded Bedrock spend</a>.');
    expect(html).toMatch(/<section id="tenants" class="report-section incomplete">\n<h2>Spend by tenant <span class="badge bad">incomplete<\/span><\/h2>\n<div class="incomplete-notice" role="note">[^]*throttled after 5 retries \(ThrottlingException\)/);
    expect(html).toMatch(/<section id="reconciliation" class="report-section incomplete">[^]*AccessDeniedException/);
    expect(html).toMatch(/<section id="totals" class="report-section">/);
  });

  test('GIVEN daily rows that are all zero WHEN the charts are built THEN the daily chart is not drawn and says spend was zero', () => {
    // GIVEN
    const report = sampleReport();
    const dailyByModel = report.charts.dailyByModel.map((d) => ({ ...d, costUsd: 0 }));
    const zero: GovernanceReportData = { ...report, charts: { ...report.charts, dailyByModel } };
    // WHEN
    const daily = chartSpecs(zero).find((c) => c.id === 'daily-spend-by-model')!;
    // THEN
    expect(daily.spec).toBeNull();
    expect(daily.empty).toBe('Spend was zero on every day of the period.');
  });

  test('GIVEN a report that lists no sections WHEN rendered THEN each part is headed by its id and none is marked incomplete', async () => {
    // GIVEN
    const report = { ...emptyReport(), sections: [] };
    // WHEN
    const page = await renderHtml(report);
    // THEN
    expect(page).toContain('<section id="breakdowns" class="report-section">\n<h2>Breakdowns</h2>');
    expect(page).toContain('The report lists no sections.');
    expect(page).not.toMatch(/class="(incomplete-banner|report-section incomplete)"/);
  });

  test('GIVEN a section incomplete without a reason WHEN rendered THEN it still says it is incomplete', async () => {
    // GIVEN
    const report = sampleReport();
    report.sections = report.sections.map((s) => (s.id === 'slo' ? { ...s, complete: false, reasons: [] } : s));
    // WHEN
    const page = await renderHtml(report);
    // THEN
    expect(page).toMatch(/<section id="slo" class="report-section incomplete">[^]*No reason was recorded\./);
  });
});

describe('escaping', () => {
  test('GIVEN markup characters WHEN escaped THEN none is left raw', () => {
    expect(escapeHtml('<a href="x" onclick=\'y\'>&amp;</a>')).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u001Fc\u0085d\te\nf')).toBe('a\uFFFDb\uFFFDc\uFFFDd\te\nf');
  });

  test('GIVEN period ids WHEN labelled THEN months and quarters read as words, anything else as given', () => {
    expect(periodLabel('2026-10')).toBe('October 2026');
    expect(periodLabel('2026-Q4')).toBe('Q4 2026 (October–December)');
    expect(periodLabel('<b>')).toBe('<b>');
  });

  const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '\'><svg onload=alert(1)>', '</textarea></style></title><b>', '<!--', ']]>', '&lt;b&gt;', '{{x}}', '${x}', 'javascript:alert(1)', '</svg><iframe src=//x>', '"; x="', '\u2028', 'datum.x'];
  const name = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c),
  );

  /** The sample (its first five days, to keep runs quick) with outside strings in every name and text. */
  function withNames(n: { tenant: string; route: string; agent: string; model: string; client: string; text: string }): GovernanceReportData {
    const sample = sampleReport();
    const firstDays = (d: { day: string }) => d.day <= '2026-10-05';
    const { dailyByModel, dailyCacheHitRate } = sample.charts;
    const charts = { dailyByModel: dailyByModel.filter(firstDays), dailyCacheHitRate: dailyCacheHitRate.filter(firstDays) };
    const report = { ...sample, charts };
    const route = (r: string) => (r === 'answer/draft-reply' ? n.route : r);
    const model = (m: string) => (m === 'gpt-5-mini' ? n.model : m);
    return reportSchema.parse({
      ...report,
      displayName: n.client,
      clientId: n.client,
      byModel: report.byModel.map((m) => ({ ...m, model: model(m.model), provider: n.text })),
      byAgent: report.byAgent.map((a) => (a.agent === 'retrieval' ? { ...a, agent: n.agent } : a)),
      byRoute: report.byRoute.map((r) => ({ ...r, route: route(r.route) })),
      byTenant: report.byTenant.map((t, i) => (i === 0 ? { ...t, tenant: n.tenant } : t)),
      movement: report.movement.map((m) => ({
        ...m, key: route(m.key), text: n.text, parts: m.parts.map((p) => ({ ...p, text: n.text, since: n.text })),
      })),
      anomalies: report.anomalies.map((a) => ({
        ...a, kind: n.text, alarmName: n.text, severity: n.text, agent: n.agent, route: n.route, start: n.text, text: n.text,
      })),
      slo: report.slo.map((s) => ({ ...s, route: route(s.route) })),
      accuracy: report.accuracy.map((a) => ({ ...a, route: route(a.route), model: model(a.model), variant: n.text, evaluator: n.text })),
      recommendations: report.recommendations.map((r) => ({ ...r, target: n.route, title: n.text, arithmetic: n.text, evidence: n.text })),
      coverage: {
        ...report.coverage,
        unconfiguredRoutes: [n.route],
        silentRoutes: [n.text],
        bedrock: report.coverage.bedrock.map((b) => ({ ...b, model: n.model })),
      },
      reconciliation: { ...report.reconciliation, likelyCauses: [n.text] },
      charts: {
        dailyByModel: report.charts.dailyByModel.map((d) => ({ ...d, model: model(d.model) })),
        dailyCacheHitRate: report.charts.dailyCacheHitRate.map((d) => ({ ...d, route: route(d.route) })),
      },
      sections: report.sections.map((s) => ({ ...s, title: n.text, complete: false, reasons: [n.text] })),
      queryCost: { ...report.queryCost!, apiCalls: { [n.text]: 1 } },
    });
  }

  /** The renderer shows control characters as U+FFFD, and HTML reads CR as LF. */
  // eslint-disable-next-line no-control-regex
  const parsed = (s: string) => s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/g, '\uFFFD');

  test('GIVEN arbitrary strings in every name and text WHEN rendered THEN none breaks out into an element or attribute', async () => {
    const benign = elements(parse(await renderHtml(withNames({ tenant: 't', route: 'r', agent: 'a', model: 'm', client: 'c', text: 'x' }))));
    const outsideSvg = (list: Element[]) => list.filter((e) => e.namespaceURI === 'http://www.w3.org/1999/xhtml').map((e) => `${e.tagName}[${e.attrs.map((a) => a.name).join(',')}]`);
    await fc.assert(fc.asyncProperty(
      fc.record({ tenant: name, route: name, agent: name, model: name, client: name, text: name }),
      async (names) => {
        // WHEN
        const document = parse(await renderHtml(withNames(names)));
        const all = elements(document);
        // THEN the page has exactly the benign page's HTML elements and attributes, in order,
        expect(outsideSvg(all)).toEqual(outsideSvg(benign));
        // no script or event handler anywhere, SVG included,
        for (const element of all) {
          expect(['script', 'img', 'iframe', 'foreignObject', 'image', 'use']).not.toContain(element.tagName);
          for (const attr of element.attrs) expect(attr.name.startsWith('on')).toBe(false);
        }
        // and every name reads back as the text it was.
        const cells = all.filter((e) => e.tagName === 'code').map(textOf);
        expect(cells).toContain(parsed(names.tenant));
        expect(cells).toContain(parsed(names.route));
        expect(textOf(all.find((e) => e.tagName === 'title')!)).toContain(parsed(names.client));
      },
    ), { numRuns: 10 });
  }, 120_000);
});

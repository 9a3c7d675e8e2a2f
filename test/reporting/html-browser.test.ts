/// <reference lib="dom" />
/*
 * report.html in a real headless Chromium (Debian's `chromium` package, which .ci/run installs):
 * the page loads with no error and no request beyond its own file, every chart is drawn with
 * marks of real size, and every section is there. Skipped, loudly, only outside CI when
 * Chromium is absent; under CI a missing Chromium fails the run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'puppeteer-core';
import { chartIds } from '../../lib/reporting/charts';
import { renderHtml } from '../../lib/reporting/html';
import { GovernanceReportData } from '../../lib/reporting/report-schema';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from '../support/chromium';
import { emptyReport, sampleQuarterlyReport, sampleReport } from '../support/sample-report';

const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
const PRESENT = chromiumInstalled();

if (!PRESENT && !IN_CI) {
  const bar = '!'.repeat(78);
  // eslint-disable-next-line no-console
  console.warn(`\n${bar}\nSKIPPED: the HTML report's browser test. No Chromium at ${CHROMIUM_PATH}.\n`
    + `Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH. CI never skips this test.\n${bar}\n`);
}

const describeInBrowser = PRESENT || IN_CI ? describe : describe.skip;

/** What a page did while it loaded and what it shows, gathered in the browser. */
interface Loaded {
  readonly errors: string[];
  readonly requests: string[];
  readonly page: Page;
}

const MAIN_HEADINGS = ['Totals', 'Spend by model, agent and route', 'Spend by tenant', 'SLO attainment', 'Why spend moved', 'Anomalies',
  'Recommendations', 'Accuracy evidence', 'Coverage', 'Billed vs recorded Bedrock spend'];

describeInBrowser('report.html in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!PRESENT) throw new Error(`CI is set and Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs Debian's chromium package before the tests.`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-report-html-'));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, report: GovernanceReportData): Promise<Loaded> {
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, await renderHtml(report));
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 900 });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') errors.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
    page.on('requestfailed', (request) => errors.push(`failed request: ${request.url()}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    return { errors, requests, page };
  }

  /** Per chart: its SVG's rendered size, how many marks it has, and how many of them have a visible area or length. */
  function charts(page: Page) {
    return page.$$eval('figure[data-chart]', (figures) => figures.map((figure) => {
      const svg = figure.querySelector('svg');
      const marks = svg ? [...svg.querySelectorAll('[aria-roledescription="bar"], .role-mark path, .role-mark line, .role-mark rect, .role-mark circle')] : [];
      const box = svg?.getBoundingClientRect();
      return {
        id: figure.getAttribute('data-chart'),
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        marks: marks.length,
        visibleMarks: marks.filter((m) => {
          const b = (m as SVGGraphicsElement).getBBox();
          return b.width > 0 || b.height > 0;
        }).length,
        empty: figure.querySelector('.empty')?.textContent ?? null,
      };
    }));
  }

  test('GIVEN the sample month WHEN opened THEN no error, no request beyond its own file, and every chart drawn with marks', async () => {
    // WHEN
    const { errors, requests, page } = await open('month', sampleReport());
    // THEN
    expect(errors).toEqual([]);
    expect(requests).toEqual([expect.stringMatching(/^file:\/\/.*month\.html$/)]);
    const drawn = await charts(page);
    expect(drawn.map((c) => c.id)).toEqual(chartIds.filter((id) => id !== 'trends'));
    for (const chart of drawn) {
      expect(chart).toMatchObject({ empty: null });
      expect(chart.width).toBeGreaterThan(300);
      expect(chart.height).toBeGreaterThan(100);
      expect(chart.visibleMarks).toBeGreaterThan(0);
    }
    // Charts scale down to the page: nothing is wider than the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1000);
    await page.close();
  }, 60_000);

  test('GIVEN the sample month WHEN opened THEN the header and every section heading are there', async () => {
    // WHEN
    const { page } = await open('headings', sampleReport());
    // THEN
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Example Support Co. (example)');
    expect(await page.$$eval('h2', (hs) => hs.map((h) => h.textContent))).toEqual([...MAIN_HEADINGS, 'Completeness of this report']);
    expect(await page.title()).toBe('Example Support Co.: governance report, October 2026');
    await page.close();
  }, 60_000);

  test('GIVEN a quarterly review WHEN opened THEN the trends chart is drawn too', async () => {
    // WHEN
    const { errors, page } = await open('quarter', sampleQuarterlyReport());
    // THEN
    expect(errors).toEqual([]);
    const drawn = await charts(page);
    expect(drawn.map((c) => c.id)).toEqual([...chartIds]);
    expect(drawn.find((c) => c.id === 'trends')!.visibleMarks).toBeGreaterThan(0);
    expect(await page.$$eval('h2', (hs) => hs.map((h) => h.textContent))).toEqual([...MAIN_HEADINGS, 'Quarterly trends', 'Completeness of this report']);
    await page.close();
  }, 60_000);

  test('GIVEN a report with no data and incomplete sections WHEN opened THEN it loads cleanly, says so, and marks the sections visibly', async () => {
    // WHEN
    const { errors, page } = await open('empty', emptyReport());
    // THEN
    expect(errors).toEqual([]);
    const drawn = await charts(page);
    expect(drawn.every((c) => c.marks === 0 && c.empty !== null)).toBe(true);
    const incomplete = await page.$$eval('section.incomplete', (sections) => sections.map((s) => ({
      id: s.id,
      border: getComputedStyle(s).borderLeftWidth,
      notice: s.querySelector('.incomplete-notice')?.textContent ?? '',
      visible: (s.querySelector('.incomplete-notice') as HTMLElement | null)?.offsetHeight ?? 0,
    })));
    expect(incomplete.map((s) => s.id)).toEqual(['tenants', 'reconciliation']);
    for (const s of incomplete) {
      expect(s.border).toBe('4px');
      expect(s.visible).toBeGreaterThan(20);
    }
    expect(incomplete[1].notice).toContain('AccessDeniedException');
    await page.close();
  }, 60_000);
});

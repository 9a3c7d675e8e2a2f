/*
 * `npm run report:screenshot`: renders the sample report (test/support/sample-report.ts) to HTML
 * and takes a full-page screenshot of it in headless Chromium into docs/report-screenshot.png,
 * the picture the README shows.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './chromium';
import { sampleReport } from './sample-report';
import { renderHtml } from '../../lib/reporting/html';

const OUT = path.join(__dirname, '..', '..', 'docs', 'report-screenshot.png');

async function main(): Promise<void> {
  if (!chromiumInstalled()) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-report-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, await renderHtml(sampleReport()));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 800, deviceScaleFactor: 1 });
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    await page.screenshot({ path: OUT as `${string}.png`, fullPage: true });
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

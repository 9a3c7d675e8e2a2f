/*
 * Debian's chromium, driven by puppeteer-core (which never downloads a browser of its own). CI
 * installs the package in .ci/run; CHROMIUM_PATH points elsewhere when a machine keeps it elsewhere.
 */
import * as fs from 'fs';
import { Browser, launch } from 'puppeteer-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumInstalled(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // CI runs as root, where Chromium's sandbox cannot start; the pages are our own files.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'],
  });
}

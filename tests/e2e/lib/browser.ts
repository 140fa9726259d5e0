// Debian's Chromium driven by playwright-core (no browser download): the flags this machine needs,
// a screenshot per page kept as a test artifact, and every browser-console error collected so a
// test can assert there were none.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './harness.js';

export const CHROMIUM = process.env['WATCHPOST_CHROMIUM'] ?? '/usr/bin/chromium';
export const artifactsDir = process.env['WATCHPOST_ARTIFACTS'] ?? join(repoRoot, 'test-artifacts');

/** Why browser tests cannot run here, or null. */
export function browserSkipReason(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `no Chromium at ${CHROMIUM} (./scripts/test installs it with apt-get as root; or set WATCHPOST_CHROMIUM)`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** console.error / uncaught page errors so far. */
  errors: string[];
  screenshot(name: string): Promise<string>;
}

export async function openPage(browser: Browser, suite: string, locale = 'en-US'): Promise<WatchedPage> {
  const context = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  const dir = join(artifactsDir, suite);
  mkdirSync(dir, { recursive: true });
  return {
    page,
    errors,
    async screenshot(name) {
      const file = join(dir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

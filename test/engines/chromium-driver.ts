import type { ConsoleMessage } from 'playwright';
import { launchChromium } from '../support/browser.ts';
import type { EngineDriver } from './driver.ts';

/** Debian's Chromium through Playwright, with the project's flags (test/support/browser.ts). */
export async function launchChromiumDriver(): Promise<EngineDriver> {
  const browser = await launchChromium();
  const page = await browser.newPage();
  let errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    // Chromium asks every origin for /favicon.ico; its 404 says nothing about the page.
    if (msg.location().url.endsWith('/favicon.ico')) return;
    errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return {
    engine: 'chromium',
    version: browser.version(),
    async goto(url) {
      await page.goto(url);
    },
    evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
    async setFiles(selector, paths) {
      await page.setInputFiles(selector, paths);
    },
    async takeConsoleErrors() {
      const taken = errors;
      errors = [];
      return taken;
    },
    async reload() {
      await page.reload();
    },
    close: () => browser.close(),
  };
}

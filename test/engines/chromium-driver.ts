import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright';
import { launchPersistent } from '../support/browser.ts';
import type { EngineDriver } from './driver.ts';

/**
 * Debian's Chromium through Playwright, with the project's flags (test/support/browser.ts), on a
 * profile of its own so that restart() is a browser restart that keeps IndexedDB and OPFS.
 */
export async function launchChromiumDriver(): Promise<EngineDriver> {
  const profile = await mkdtemp(join(tmpdir(), 'ru-chromium-'));
  let errors: string[] = [];
  let context: BrowserContext;
  let page: Page;
  const launch = async () => {
    context = await launchPersistent(profile);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() !== 'error') return;
      // Chromium asks every origin for /favicon.ico; its 404 says nothing about the page.
      if (msg.location().url.endsWith('/favicon.ico')) return;
      errors.push(`console.error: ${msg.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  };
  await launch();
  return {
    engine: 'chromium',
    version: context!.browser()?.version() ?? 'unknown',
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
    async back() {
      await page.goBack();
    },
    async restart() {
      await context.close();
      await launch();
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { EngineDriver } from './driver.ts';

/** Debian's Firefox ESR: Playwright's own Firefox cannot be downloaded here, so puppeteer-core drives it. */
export const FIREFOX_BINARY = '/usr/bin/firefox-esr';

/**
 * Firefox ESR through puppeteer-core over WebDriver BiDi (puppeteer-core never downloads a browser),
 * on a profile of its own so that restart() keeps IndexedDB and OPFS.
 */
export async function launchFirefoxDriver(): Promise<EngineDriver> {
  const profile = await mkdtemp(join(tmpdir(), 'ru-firefox-'));
  let errors: string[] = [];
  let browser: Browser;
  let page: Page;
  const launch = async () => {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_BINARY,
      headless: true,
      protocol: 'webDriverBiDi',
      userDataDir: profile,
    });
    page = (await browser.pages())[0] ?? (await browser.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${(error as Error).message}`));
  };
  await launch();
  return {
    engine: 'firefox',
    version: await browser!.version(),
    async goto(url) {
      await page.goto(url);
    },
    // As JSON text: BiDi's own serialisation of results stops at a small depth (nested objects
    // such as an event's detail.result came back undefined).
    async evaluate(fn, arg) {
      const json = await page.evaluate(
        `(async () => JSON.stringify(await (${fn.toString()})(${JSON.stringify(arg)})))()`,
      );
      return json === undefined ? (undefined as never) : JSON.parse(json as string);
    },
    async setFiles(selector, paths) {
      const input = await page.$(selector);
      if (!input) throw new Error(`no element matches ${selector}`);
      await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(
        ...paths,
      );
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
      await browser.close();
      await launch();
    },
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

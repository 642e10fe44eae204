import puppeteer from 'puppeteer-core';
import type { EngineDriver } from './driver.ts';

/** Debian's Firefox ESR: Playwright's own Firefox cannot be downloaded here, so puppeteer-core drives it. */
export const FIREFOX_BINARY = '/usr/bin/firefox-esr';

/** Firefox ESR through puppeteer-core over WebDriver BiDi (puppeteer-core never downloads a browser). */
export async function launchFirefoxDriver(
  opts: { userDataDir?: string } = {},
): Promise<EngineDriver> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_BINARY,
    headless: true,
    protocol: 'webDriverBiDi',
    userDataDir: opts.userDataDir,
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  let errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${(error as Error).message}`));
  return {
    engine: 'firefox',
    version: await browser.version(),
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
    close: () => browser.close(),
  };
}

import { existsSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type ConsoleMessage,
  type BrowserContext,
  type LaunchOptions,
  type Page,
} from 'playwright';

/** Debian's Chromium: Playwright cannot download its own browsers on this machine. */
const systemChromium = '/usr/bin/chromium';

/** The flags every test browser runs with: no sandbox (root in CI), no GPU, no background traffic. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function launchOptions(opts: LaunchOptions = {}): LaunchOptions {
  return {
    headless: true,
    ...(existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
    ...opts,
    args: [...chromiumArgs, ...(opts.args ?? [])],
  };
}

/** Launches headless Chromium (Debian's when installed) with the project's flags. */
export function launchChromium(opts?: LaunchOptions): Promise<Browser> {
  return chromium.launch(launchOptions(opts));
}

/** Launches a persistent context on `userDataDir`: closing and relaunching it is a browser restart. */
export function launchPersistent(
  userDataDir: string,
  opts?: LaunchOptions & { viewport?: { width: number; height: number } | null },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, launchOptions(opts));
}

/** Console errors and uncaught page errors seen on a page, for "no errors" assertions. */
export interface PageErrors {
  /** Every message, as `console.error: ...` or `pageerror: ...`. */
  readonly messages: string[];
  /** Stops collecting. */
  dispose(): void;
}

/** Starts collecting console errors and page errors of `page`. */
export function collectErrors(page: Page): PageErrors {
  const messages: string[] = [];
  const onConsole = (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    // Chromium asks every origin for /favicon.ico; its 404 says nothing about the page.
    if (where.endsWith('/favicon.ico')) return;
    messages.push(`console.error: ${msg.text()}${where ? ` (${where})` : ''}`);
  };
  const onPageError = (error: Error) => {
    messages.push(`pageerror: ${error.stack ?? error.message}`);
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  return {
    messages,
    dispose() {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
    },
  };
}

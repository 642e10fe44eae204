// Shared set-up of the element's browser tests: the real upload handler on a local (or given) store
// behind the Vite test app, Chromium, the element test page, and helpers a test reads like a user.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, FileChooser, Locator, Page, Route } from 'playwright';
import type { CallbackConfig } from '../../src/server/callbacks/index.ts';
import { createUploadHandler } from '../../src/server/index.ts';
import type { StorageAdapter } from '../../src/server/storage/types.ts';
import { createLocalStorage } from '../../src/server/storage/index.ts';
import { launchChromium } from '../support/browser.ts';
import { startApp, type App } from '../support/vite-app.ts';

/** A running handler + app + browser for one test file. */
export interface ElementEnv {
  app: App;
  browser: Browser;
  storage: StorageAdapter;
  /** A scratch folder for test files. */
  dir: string;
  close(): Promise<void>;
}

/** Starts the real handler on `storage` (default: a fresh local store) behind the Vite app, and Chromium. */
export async function startElementEnv(
  opts: { storage?: StorageAdapter; keyPrefix?: string; callbacks?: CallbackConfig } = {},
): Promise<ElementEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'ru-element-'));
  const storage =
    opts.storage ??
    createLocalStorage({ root: join(dir, 'store'), secret: 'element-test-secret-0123456789' });
  const handler = createUploadHandler({
    storage,
    tokenSecret: 'element-tests-token-secret-0123456789abcdef',
    keyPrefix: opts.keyPrefix,
    callbacks: opts.callbacks,
  });
  const app = await startApp({ handler });
  const browser = await launchChromium();
  return {
    app,
    browser,
    storage,
    dir,
    async close() {
      await browser.close();
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the element test page; `attrs` become the element's attributes. The File System Access
 * pickers (files and folders) are removed (Playwright cannot drive it) so the element falls back to <input type=file>,
 * unless `keepPicker` is set.
 */
export async function openElementPage(
  target: ElementEnv | BrowserContext,
  url: string,
  attrs: Record<string, string> = {},
  opts: { keepPicker?: boolean } = {},
): Promise<Page> {
  const page = 'app' in target ? await target.browser.newPage() : await target.newPage();
  // tsx (esbuild) names functions with a __name helper that does not exist in the page.
  await page.addInitScript('window.__name = (f) => f');
  if (!opts.keepPicker) {
    await page.addInitScript(
      'delete window.showOpenFilePicker; delete Window.prototype.showOpenFilePicker;' +
        'delete window.showDirectoryPicker; delete Window.prototype.showDirectoryPicker;',
    );
  }
  await page.goto(`${url}/test/browser/pages/element.html?${new URLSearchParams(attrs)}`);
  await page.waitForFunction(() => customElements.get('resumable-upload') !== undefined);
  await page.evaluate(() => document.querySelector('resumable-upload')!.updateComplete);
  return page;
}

/** Deterministic bytes of a given size: every test run uploads the same content. */
export function testBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 255;
  }
  return bytes;
}

/** MD5 in hex. */
export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Writes a test file on disk (disk-backed Files keep their name, size and mtime across reloads). */
export async function writeTestFile(
  dir: string,
  name: string,
  size: number,
  seed = 1,
): Promise<{ path: string; md5: string; size: number }> {
  await mkdir(join(dir, 'files'), { recursive: true });
  const path = join(dir, 'files', name);
  const bytes = testBytes(size, seed);
  await writeFile(path, bytes);
  return { path, md5: md5Hex(bytes), size };
}

/** MD5 (hex) of the bytes the store holds under `key`. */
export async function storedMd5(storage: StorageAdapter, key: string): Promise<string> {
  const getObject = (
    storage as { getObject?: (i: { key: string }) => Promise<ReadableStream<Uint8Array>> }
  ).getObject;
  if (!getObject) throw new Error('this storage adapter cannot read objects back');
  const stream = await getObject.call(storage, { key });
  const hash = createHash('md5');
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** The element. */
export function element(page: Page): Locator {
  return page.locator('resumable-upload');
}

/** The list item of the upload of `name`. */
export function item(page: Page, name: string): Locator {
  return page.locator('resumable-upload li.item', { hasText: name });
}

/** Chooses files the way a person does: click the drop zone, pick in the file chooser. */
export async function chooseFiles(page: Page, paths: string[]): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    element(page).locator('.drop-zone').click(),
  ]);
  await chooser.setFiles(paths);
}

/**
 * Catches the page's file choosers from now on. Playwright turns on file-chooser interception
 * without waiting for the browser to confirm, so a key press sent right after `waitForEvent`
 * can open the (headless, invisible) native dialog instead; listening early closes that race.
 */
export function fileChoosers(page: Page): { next(): Promise<FileChooser> } {
  const ready: FileChooser[] = [];
  const waiting: ((chooser: FileChooser) => void)[] = [];
  page.on('filechooser', (chooser) => {
    const waiter = waiting.shift();
    if (waiter) waiter(chooser);
    else ready.push(chooser);
  });
  return {
    next: () => {
      const chooser = ready.shift();
      return chooser ? Promise.resolve(chooser) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** Drops in-page generated files on the drop zone (a DataTransfer, as a real drag and drop). */
export async function dropFiles(
  page: Page,
  files: { name: string; size: number; type?: string; seed?: number }[],
): Promise<void> {
  await page.evaluate((specs) => {
    const dt = new DataTransfer();
    for (const spec of specs) {
      const bytes = new Uint8Array(spec.size);
      let x = (spec.seed ?? 1) * 2654435761 || 1;
      for (let i = 0; i < spec.size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 255;
      }
      dt.items.add(new File([bytes], spec.name, { type: spec.type ?? '' }));
    }
    const zone = document
      .querySelector('resumable-upload')!
      .shadowRoot!.querySelector('.drop-zone')!;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(
        new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }),
      );
    }
  }, files);
}

/**
 * Drops files from disk on the drop zone as the person's drag from the file manager does: through
 * Chromium's input pipeline (CDP Input.dispatchDragEvent), so the drop carries real file paths and
 * `DataTransferItem.getAsFileSystemHandle()` gives handles, which an in-page DataTransfer cannot.
 */
export async function dropDiskFiles(page: Page, paths: string[]): Promise<void> {
  const box = await element(page).locator('.drop-zone').boundingBox();
  if (!box) throw new Error('the drop zone is not visible');
  const cdp = await page.context().newCDPSession(page);
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  // dragOperationsMask 1: copy, the drop effect the element asks for.
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  try {
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
      await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
    }
  } finally {
    await cdp.detach();
  }
}

/** Holds part PUTs to the store until released; counts the parts sent. */
export interface PartGate {
  /** PUTs that reached the store (released ones). */
  readonly sent: string[];
  /** PUTs waiting. */
  readonly held: number;
  /** Lets `count` held (or future) PUTs through; all of them when omitted. */
  release(count?: number): void;
  /** Stops holding: every current and future PUT goes through. */
  open(): Promise<void>;
}

/** Holds every part PUT of `page` (local store URLs) until the test releases it. */
export async function holdParts(page: Page): Promise<PartGate> {
  const waiting: Route[] = [];
  const sent: string[] = [];
  let budget = 0;
  let opened = false;
  const pass = (route: Route) => {
    sent.push(route.request().url());
    void route.continue().catch(() => {});
  };
  const handler = (route: Route) => {
    if (route.request().method() !== 'PUT') return void route.continue();
    if (opened || budget > 0) {
      if (!opened) budget--;
      return pass(route);
    }
    waiting.push(route);
  };
  // The local store's URLs, and S3 presigned ones (Swift s3api).
  await page.route(
    (url) => url.pathname.includes('/_local/') || url.searchParams.has('X-Amz-Signature'),
    handler,
  );
  return {
    sent,
    get held() {
      return waiting.length;
    },
    release(count = Infinity) {
      budget += count;
      while (budget > 0 && waiting.length) {
        budget--;
        pass(waiting.shift()!);
      }
      if (budget === Infinity) budget = 0;
    },
    async open() {
      opened = true;
      while (waiting.length) pass(waiting.shift()!);
    },
  };
}

const axeSource = readFileSync(
  join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'),
  'utf8',
);

interface AxeResult {
  violations: { id: string; nodes: { target: unknown; failureSummary?: string }[] }[];
}

/**
 * Runs axe-core on the element (shadow DOM included), or on the whole page with `whole`; returns
 * violations as "rule: target: why" lines.
 */
export async function axeViolations(page: Page, opts: { whole?: boolean } = {}): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axeSource });
  }
  return page.evaluate(async (whole) => {
    // Colours measured halfway through a transition (hover, theme switch) are neither state's.
    const root = document.querySelector('resumable-upload')?.shadowRoot;
    await Promise.all(
      [...document.getAnimations(), ...(root?.getAnimations() ?? [])]
        .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => {})),
    );
    const { axe } = window as unknown as {
      axe: { run(context: unknown, options: unknown): Promise<AxeResult> };
    };
    const result = await axe.run(whole ? document : document.querySelector('resumable-upload'), {
      resultTypes: ['violations'],
    });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`),
    );
  }, opts.whole ?? false);
}

/** Saves a screenshot of the element for reviewers (not compared) under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(import.meta.dirname, '../../test-results/screenshots');
  await mkdir(dir, { recursive: true });
  await element(page).screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
}

/** Events the page recorded (type, detail, bubbles, composed). */
export function recordedEvents(
  page: Page,
): Promise<
  { type: string; detail: Record<string, unknown>; bubbles: boolean; composed: boolean }[]
> {
  return page.evaluate(() => (window as unknown as { events: never[] }).events);
}

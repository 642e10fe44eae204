import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withObjectListing } from '../../src/cli/objects-route.ts';
import { createUploadHandler } from '../../src/server/index.ts';
import { createLocalStorage } from '../../src/server/storage/index.ts';
import { collectErrors, launchChromium } from '../support/browser.ts';
import { startApp, type App } from '../support/vite-app.ts';
import { chooseFiles, holdParts, storedMd5, writeTestFile } from './element-fixture.ts';

const MiB = 1024 * 1024;
/** Paths of React's modules (pre-bundled deps) and of the example's own sources. */
const isReact = /\/(react|react-dom)([._/]|$)/;
const shots = join(import.meta.dirname, '../../test-results/screenshots');

let dir: string;
let app: App;
let browser: Browser;
let storage: ReturnType<typeof createLocalStorage>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-react-'));
  storage = createLocalStorage({
    root: join(dir, 'store'),
    secret: 'react-test-secret-0123456789',
  });
  const handler = createUploadHandler({
    storage,
    tokenSecret: 'react-test-token-secret-0123456789abcdef',
  });
  app = await startApp({
    handler: withObjectListing(handler, storage),
    // React ships CommonJS; the development JSX transform imports jsx-dev-runtime.
    optimizeDeps: ['react', 'react-dom/client', 'react/jsx-dev-runtime'],
  });
  browser = await launchChromium();
  await mkdir(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the demo React page', () => {
  it('uploads through the element in React, with metadata from JSX, across parent re-renders', async () => {
    const file = await writeTestFile(dir, 'react-12MiB.bin', 12 * MiB, 7);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The File System Access picker cannot be driven by Playwright: use the <input type=file> path.
    await page.addInitScript(
      'delete window.showOpenFilePicker; delete Window.prototype.showOpenFilePicker;',
    );
    const errors = collectErrors(page);
    const requested: string[] = [];
    page.on('request', (request) => {
      requested.push(new URL(request.url()).pathname);
    });
    const creates: { metadata?: Record<string, string> }[] = [];
    await page.route('**/api/upload/create', (route) => {
      creates.push(route.request().postDataJSON());
      void route.continue();
    });
    const gate = await holdParts(page);

    // The main page links to the React page and loads no React itself.
    await page.goto(`${app.url}/demo/index.html`);
    await page.waitForFunction(() => customElements.get('resumable-upload') !== undefined);
    expect(requested.filter((path) => isReact.test(path))).toEqual([]);
    await page.getByRole('link', { name: 'The same element in a React 19 app' }).click();
    await page.waitForURL('**/demo/react.html');
    await page.locator('#root resumable-upload').waitFor();
    // The same check sees React on this page (so it means something above).
    expect(requested.filter((path) => isReact.test(path)).length).toBeGreaterThan(0);
    await page.evaluate(() => document.querySelector('resumable-upload')!.updateComplete);

    // The album input is React state; the element's metadata property follows it.
    await page.getByLabel('Album (sent as metadata)').fill('holidays-2026');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('resumable-upload')!.metadata))
      .toEqual({ album: 'holidays-2026' });
    // A mark on the node: a re-render that replaced the element would lose it.
    await page.evaluate(() => {
      (document.querySelector('resumable-upload') as unknown as { mark: number }).mark = 42;
    });

    await chooseFiles(page, [file.path]);
    await expect.poll(() => gate.held, { timeout: 60_000 }).toBeGreaterThan(0);
    gate.release(1);
    await expect
      .poll(() => page.locator('#progress').textContent(), { timeout: 30_000 })
      .toMatch(/Overall progress: [1-9]\d*%/);

    // Re-render the parent while the other parts are held.
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Re-render' }).click();
    await expect
      .poll(() => page.locator('#renders').textContent())
      .toBe('Re-renders by the button: 3');
    await expect
      .poll(() => page.locator('resumable-upload li.item').getAttribute('data-phase'))
      .toBe('uploading');
    await page.screenshot({ path: join(shots, 'react-uploading.png'), fullPage: true });

    await gate.open();
    const stored = page.locator('#stored li');
    await expect.poll(() => stored.count(), { timeout: 90_000 }).toBe(1);
    const key = await page.evaluate(() => document.querySelector('resumable-upload')!.value[0]!);
    expect(await stored.textContent()).toContain(`Stored: ${key} (`);

    // One upload, never restarted: one create, three 5 MiB parts sent once each, the same node.
    expect(creates).toHaveLength(1);
    expect(creates[0]!.metadata).toEqual({ album: 'holidays-2026' });
    expect(gate.sent).toHaveLength(3);
    expect(
      await page.evaluate(
        () => (document.querySelector('resumable-upload') as unknown as { mark?: number }).mark,
      ),
    ).toBe(42);
    expect(await page.locator('resumable-upload li.item').count()).toBe(1);
    expect(await storedMd5(storage, key)).toBe(file.md5);
    expect((await storage.headObject({ key }))?.metadata).toEqual({ album: 'holidays-2026' });
    expect(await page.locator('#errors').count()).toBe(0);

    await page.screenshot({ path: join(shots, 'react-done.png'), fullPage: true });
    expect(errors.messages).toEqual([]);
    await page.close();
  });
});

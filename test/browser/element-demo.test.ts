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
import { generatedBlock } from '../../demo/generated-file.ts';
import { holdParts, md5Hex, storedMd5 } from './element-fixture.ts';

const shots = join(import.meta.dirname, '../../test-results/screenshots');

/** The demo's generated file, from the demo's own generator. */
function generated(mib: number): Buffer {
  return Buffer.concat(Array.from({ length: mib }, (_, i) => generatedBlock(i)));
}

let dir: string;
let app: App;
let browser: Browser;
let storage: ReturnType<typeof createLocalStorage>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-demo-'));
  storage = createLocalStorage({ root: join(dir, 'store'), secret: 'demo-test-secret-0123456789' });
  const handler = createUploadHandler({
    storage,
    tokenSecret: 'demo-test-token-secret-0123456789abcdef',
  });
  app = await startApp({ handler: withObjectListing(handler, storage) });
  browser = await launchChromium();
  await mkdir(shots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the demo page', () => {
  it('generates a large file, survives a reload mid-upload, resumes with one click and lists the object', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    const gate = await holdParts(page);
    await page.goto(`${app.url}/demo/index.html`);
    await page.waitForFunction(() => customElements.get('resumable-upload') !== undefined);
    await expect.poll(() => page.locator('#store').textContent()).toMatch(/Nothing yet/);

    await page.selectOption('#generate-size', '64');
    await page.click('#generate');
    await expect.poll(() => gate.held, { timeout: 60_000 }).toBeGreaterThan(0);
    gate.release(3);
    await expect
      .poll(() => page.locator('#log li[data-event="upload-part"]').count(), { timeout: 30_000 })
      .toBe(3);
    await page.screenshot({ path: join(shots, 'demo-uploading.png'), fullPage: true });

    await page.reload();
    const resume = page
      .locator('resumable-upload')
      .getByRole('button', { name: 'Resume generated-64MiB.bin' });
    await resume.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(shots, 'demo-pending.png'), fullPage: true });

    await gate.open();
    const sentBefore = gate.sent.length;
    await resume.click();
    await expect
      .poll(() => page.locator('resumable-upload li.item').getAttribute('data-phase'), {
        timeout: 90_000,
      })
      .toBe('done');
    // 64 MiB in 8 MiB parts: the three stored before the reload were not sent again.
    expect(gate.sent.length - sentBefore).toBe(5);
    const key = await page.evaluate(() => document.querySelector('resumable-upload')!.value[0]!);
    expect(await storedMd5(storage, key)).toBe(md5Hex(generated(64)));
    await expect.poll(() => page.locator('#store').textContent()).toContain(key);

    // The form submits the key once nothing is running.
    await page.getByRole('button', { name: 'Submit the form' }).click();
    await expect.poll(() => page.locator('#form-output').textContent()).toContain(`files = ${key}`);
    await page.screenshot({ path: join(shots, 'demo-done.png'), fullPage: true });
    expect(errors.messages).toEqual([]);
    await page.close();
  });
});

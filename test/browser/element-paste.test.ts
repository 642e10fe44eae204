import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright';
import {
  axeViolations,
  element,
  openElementPage,
  recordedEvents,
  screenshot,
  startElementEnv,
  storedMd5,
  md5Hex,
  type ElementEnv,
} from './element-fixture.ts';

let env: ElementEnv;
let context: BrowserContext;

beforeAll(async () => {
  env = await startElementEnv();
  context = await env.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
});
afterAll(async () => {
  await context?.close();
  await env?.close();
});

/** Puts a small PNG on the system clipboard (as a screenshot tool does). */
async function copyImage(page: Page, color: string): Promise<void> {
  await page.evaluate(async (fill) => {
    const canvas = new OffscreenCanvas(40, 30);
    const g = canvas.getContext('2d')!;
    g.fillStyle = fill;
    g.fillRect(0, 0, 40, 30);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
  }, color);
}

/** Records the bytes of every file pasted in the page (the browser re-encodes clipboard images). */
async function recordPastes(page: Page): Promise<() => Promise<Buffer[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { pasted: Promise<number[]>[] };
    w.pasted = [];
    window.addEventListener(
      'paste',
      (e) => {
        for (const f of e.clipboardData?.files ?? []) {
          w.pasted.push(f.arrayBuffer().then((b) => [...new Uint8Array(b)]));
        }
      },
      { capture: true },
    );
  });
  return async () =>
    (
      await page.evaluate(() =>
        Promise.all((window as unknown as { pasted: Promise<number[]>[] }).pasted),
      )
    ).map((b) => Buffer.from(b));
}

async function keyOf(page: Page, name: string): Promise<string> {
  const ev = (await recordedEvents(page)).find(
    (e) => e.type === 'upload-success' && (e.detail.upload as { name: string }).name === name,
  );
  return (ev!.detail.result as { key: string }).key;
}

describe('<resumable-upload> paste', () => {
  it('uploads an image pasted with Ctrl+V while the element has focus, and ignores pastes elsewhere', async () => {
    const page = await openElementPage(context, env.app.url, { multiple: '' });
    const pasted = await recordPastes(page);
    // Focus outside the element: a paste in the page's title field is not the element's.
    await page.getByLabel('Title').focus();
    await copyImage(page, '#c33');
    await page.keyboard.press('ControlOrMeta+V');
    // The title field took the paste (an image: nothing to insert), the element added nothing.
    await element(page).locator('.drop-zone').focus();
    await copyImage(page, '#3a3');
    await page.keyboard.press('ControlOrMeta+V');
    await expect
      .poll(() => element(page).locator('li.item').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    const added = (await recordedEvents(page)).filter((e) => e.type === 'upload-added');
    expect(added).toHaveLength(1);
    const name = (added[0]!.detail.upload as { name: string }).name;
    expect(name).toMatch(/\.png$/);
    const files = await pasted();
    expect(files).toHaveLength(2);
    expect(await storedMd5(env.storage, await keyOf(page, name))).toBe(md5Hex(files[1]!));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pasted');
    await page.close();
  });

  it('with paste="document" takes pastes anywhere but in the page\u2019s text fields; a text paste is left alone', async () => {
    const page = await openElementPage(context, env.app.url, { paste: 'document', multiple: '' });
    await page.getByLabel('Title').focus();
    await copyImage(page, '#33c');
    await page.keyboard.press('ControlOrMeta+V');
    await page.locator('h1').click();
    await page.evaluate(() => navigator.clipboard.writeText('just text'));
    await page.keyboard.press('ControlOrMeta+V');
    await copyImage(page, '#c3c');
    await page.keyboard.press('ControlOrMeta+V');
    await expect.poll(() => element(page).locator('li.item').count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => element(page).locator('li.item').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    expect((await recordedEvents(page)).filter((e) => e.type === 'upload-added')).toHaveLength(1);
    await page.close();
  });

  it('refuses pastes while disabled', async () => {
    const page = await openElementPage(context, env.app.url, { paste: 'document', disabled: '' });
    // Whether the element took each paste: it cancels the pastes it takes (window listens last).
    await page.evaluate(() => {
      const w = window as unknown as { taken: boolean[] };
      w.taken = [];
      window.addEventListener('paste', (e) => w.taken.push(e.defaultPrevented));
    });
    const taken = () => page.evaluate(() => (window as unknown as { taken: boolean[] }).taken);
    await copyImage(page, '#999');
    await page.locator('h1').click();
    await page.keyboard.press('ControlOrMeta+V');
    await expect.poll(taken).toEqual([false]);
    await page.evaluate(() =>
      document.querySelector('resumable-upload')!.removeAttribute('disabled'),
    );
    await page.keyboard.press('ControlOrMeta+V');
    await expect.poll(taken).toEqual([false, true]);
    await expect.poll(() => element(page).locator('li.item').count(), { timeout: 30_000 }).toBe(1);
    await page.close();
  });
});

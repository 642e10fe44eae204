import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import {
  axeViolations,
  dropFiles,
  element,
  item,
  openElementPage,
  recordedEvents,
  screenshot,
  startElementEnv,
  storedMd5,
  testBytes,
  md5Hex,
  type ElementEnv,
} from './element-fixture.ts';

let env: ElementEnv;

beforeAll(async () => {
  env = await startElementEnv();
});
afterAll(async () => {
  await env?.close();
});

async function rejections(page: Page) {
  return (await recordedEvents(page))
    .filter((e) => e.type === 'upload-rejected')
    .map((e) => [(e.detail.file as { name: string }).name, e.detail.code]);
}

function notices(page: Page): Promise<string[]> {
  return element(page).locator('[part~="notice"] .notice-text').allTextContents();
}

describe('<resumable-upload> limits and form conventions', () => {
  it('refuses files past max-files and under min-file-size with a plain-words notice; manual waits for Start', async () => {
    const page = await openElementPage(env, env.app.url, {
      multiple: '',
      manual: '',
      name: 'files',
      'max-files': '2',
      'min-file-size': '10',
    });
    const creates: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/create')) creates.push(r.url());
    });
    await dropFiles(page, [
      { name: 'tiny.txt', size: 5 },
      { name: 'one.bin', size: 2000, seed: 1 },
      { name: 'two.bin', size: 3000, seed: 2 },
      { name: 'three.bin', size: 4000, seed: 3 },
    ]);
    await expect
      .poll(() => rejections(page))
      .toEqual([
        ['tiny.txt', 'file-too-small'],
        ['three.bin', 'too-many-files'],
      ]);
    expect(await notices(page)).toEqual([
      'tiny.txt was not added: it is smaller than the 10 bytes minimum. Choose a larger file.',
      'three.bin was not added: only 2 files can be added. Remove one from the list to add another.',
    ]);
    // manual: listed, waiting for Start, nothing sent.
    await expect.poll(() => item(page, 'one.bin').getAttribute('data-phase')).toBe('waiting');
    expect(creates).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'limits-rejected');

    await element(page).getByRole('button', { name: 'Start all' }).click();
    await expect
      .poll(() => page.evaluate(() => document.querySelector('resumable-upload')!.value.length), {
        timeout: 60_000,
      })
      .toBe(2);
    const events = await recordedEvents(page);
    // `input` on progress, `change` each time the finished keys changed: one, then two keys.
    expect(events.some((e) => e.type === 'input' && e.bubbles && e.composed)).toBe(true);
    const changes = events.filter((e) => e.type === 'change');
    expect(changes.map((e) => (e.detail as unknown as string[]).length)).toEqual([1, 2]);
    expect(changes.every((e) => e.bubbles && !e.composed)).toBe(true);
    const keys = changes.at(-1)!.detail as unknown as string[];
    const one = keys.find((k) => k.endsWith('/one.bin'))!;
    expect(await storedMd5(env.storage, one)).toBe(md5Hex(testBytes(2000, 1)));

    // The list is full of finished files: Clear finished frees the places, and the value changes.
    await element(page).getByRole('button', { name: 'Clear finished' }).click();
    await expect
      .poll(async () => (await recordedEvents(page)).filter((e) => e.type === 'change').length)
      .toBe(3);
    await dropFiles(page, [{ name: 'four.bin', size: 100, seed: 4 }]);
    await expect.poll(() => item(page, 'four.bin').getAttribute('data-phase')).toBe('waiting');
    await page.close();
  });

  it('refuses a file that would take the list past max-total-size', async () => {
    const page = await openElementPage(env, env.app.url, {
      multiple: '',
      manual: '',
      'max-total-size': '5kB',
    });
    await dropFiles(page, [
      { name: 'big.bin', size: 4000 },
      { name: 'over.bin', size: 2000 },
      { name: 'fits.bin', size: 1000 },
    ]);
    await expect.poll(() => rejections(page)).toEqual([['over.bin', 'total-too-large']]);
    expect(await notices(page)).toEqual([
      'over.bin was not added: with it the files in the list would be over the 5 kB total. Remove some files first.',
    ]);
    await expect.poll(() => item(page, 'fits.bin').getAttribute('data-phase')).toBe('waiting');
    await page.close();
  });

  it('still reads auto-start="false", with one deprecation warning; autoStart mirrors manual', async () => {
    const context = await env.browser.newContext();
    const warnings: string[] = [];
    context.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    const p = await openElementPage(context, env.app.url, { 'auto-start': 'false' });
    const state = await p.evaluate(async () => {
      const el = document.querySelector('resumable-upload')!;
      const before = { manual: el.manual, autoStart: el.autoStart };
      el.setAttribute('auto-start', 'false');
      el.autoStart = true;
      await el.updateComplete;
      return { before, after: { manual: el.manual, attr: el.hasAttribute('manual') } };
    });
    expect(state).toEqual({
      before: { manual: true, autoStart: false },
      after: { manual: false, attr: false },
    });
    await dropFiles(p, [{ name: 'auto.bin', size: 100 }]);
    await expect
      .poll(() => item(p, 'auto.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    // Once per page, though the attribute was set twice.
    expect(warnings.filter((w) => w.includes('auto-start="false" is deprecated'))).toHaveLength(1);
    await context.close();
  });
});

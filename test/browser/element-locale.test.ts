import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import {
  axeViolations,
  chooseFiles,
  element,
  holdParts,
  openElementPage,
  screenshot,
  startElementEnv,
  storedMd5,
  writeTestFile,
  type ElementEnv,
} from './element-fixture.ts';

const MiB = 1024 * 1024;
let env: ElementEnv;

beforeAll(async () => {
  env = await startElementEnv();
});
afterAll(async () => {
  await env?.close();
});

const dropZoneText = (page: Page) => element(page).locator('.drop-zone-label').textContent();

/** The locale modules the page fetched (Vite serves each as its own module). */
function localeRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const match = /\/src\/element\/locales\/([\w-]+)\.ts/.exec(request.url());
    if (match) seen.push(match[1]!);
  });
  return seen;
}

describe('<resumable-upload> languages', () => {
  it('follows its own lang, an ancestor’s (across a shadow root) and the document’s, loading only the locales used', async () => {
    const page = await openElementPage(env, env.app.url);
    const fetched = localeRequests(page);
    expect(await dropZoneText(page)).toBe('Drop files here or choose files');

    await page.evaluate(() => (document.documentElement.lang = 'de'));
    await expect.poll(() => dropZoneText(page)).toBe('Dateien hierher ziehen oder auswählen');
    await page.evaluate(() => document.querySelector('form')!.setAttribute('lang', 'ja'));
    await expect
      .poll(() => dropZoneText(page))
      .toBe('ここにファイルをドロップするか、ファイルを選択');
    await page.evaluate(() =>
      document.querySelector('resumable-upload')!.setAttribute('lang', 'zh-CN'),
    );
    await expect.poll(() => dropZoneText(page)).toBe('将文件拖放到此处，或选择文件');
    // `strings` still replaces single texts over the locale's.
    await page.evaluate(() => {
      document.querySelector('resumable-upload')!.strings = { dropZone: '拖到这里' };
    });
    await expect.poll(() => dropZoneText(page)).toBe('拖到这里');
    expect(await element(page).locator('.drop-zone-hint').textContent()).toBe('一次一个文件。');
    await page.evaluate(() => document.querySelector('resumable-upload')!.removeAttribute('lang'));
    await page.evaluate(() => (document.querySelector('resumable-upload')!.strings = null));
    await expect.poll(() => dropZoneText(page)).toContain('ここにファイル');

    // Inside another component's shadow root: the host's lang applies, and its changes are seen.
    await page.evaluate(() => {
      const host = document.createElement('div');
      host.id = 'host';
      host.setAttribute('lang', 'ko');
      host.attachShadow({ mode: 'open' }).append(document.createElement('resumable-upload'));
      document.body.append(host);
    });
    const inner = () =>
      page.evaluate(
        () =>
          document
            .querySelector('#host')!
            .shadowRoot!.querySelector('resumable-upload')!
            .shadowRoot!.querySelector('.drop-zone-label')?.textContent,
      );
    await expect.poll(inner).toBe('여기에 파일을 끌어다 놓거나 파일을 선택하세요');
    await page.evaluate(() => document.querySelector('#host')!.setAttribute('lang', 'pt-PT'));
    await expect.poll(inner).toBe('Solte os arquivos aqui ou escolha arquivos');
    // A lang inside the shadow root, between the host and the element.
    await page.evaluate(() => {
      const root = document.querySelector('#host')!.shadowRoot!;
      const wrapper = document.createElement('section');
      wrapper.setAttribute('lang', 'ru');
      wrapper.append(root.querySelector('resumable-upload')!);
      root.append(wrapper);
    });
    await expect.poll(inner).toBe('Перетащите файлы сюда или выберите их');

    // One module per language, fetched when first used; none of the others (en is built in).
    expect([...new Set(fetched)].sort()).toEqual(['de', 'ja', 'ko', 'pt-BR', 'ru', 'zh-CN']);
    await page.close();
  });

  it('in Arabic with dir="rtl" from the page: mirrored, the bar grows from the right, axe clean, the upload stored', async () => {
    const page = await openElementPage(env, env.app.url, { 'part-size': '5MiB', concurrency: '1' });
    await page.setViewportSize({ width: 900, height: 700 });
    await page.evaluate(() => {
      document.documentElement.lang = 'ar';
      document.documentElement.dir = 'rtl';
    });
    await expect.poll(() => dropZoneText(page)).toBe('أفلِت الملفات هنا أو اخترها');
    const gate = await holdParts(page);
    const file = await writeTestFile(env.dir, 'تقرير-2026.bin', 12 * MiB + 3, 21);
    await chooseFiles(page, [file.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
    gate.release(1);
    const item = element(page).locator('li.item');
    const indicator = item.locator('.progress-indicator');
    await expect
      .poll(async () => (await indicator.boundingBox())?.width ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(100);
    expect(await item.getAttribute('data-phase')).toBe('uploading');
    expect(await item.locator('.state').textContent()).toBe('جارٍ الرفع');

    // The filled part hugs the track's right edge; the name is right of the state.
    const track = (await item.locator('.progress').boundingBox())!;
    const bar = (await indicator.boundingBox())!;
    expect(Math.abs(bar.x + bar.width - (track.x + track.width))).toBeLessThan(1);
    expect(bar.x - track.x).toBeGreaterThan(10);
    const name = (await item.locator('.name').boundingBox())!;
    const state = (await item.locator('.state').boundingBox())!;
    expect(name.x).toBeGreaterThan(state.x);
    expect(await item.locator('.progress').getAttribute('aria-valuetext')).toMatch(/من/);
    // The figures read right to left: the percentage (first) is right of the time left (last).
    const [first, last] = await item.locator('.details').evaluate((details) => {
      const text = [...details.childNodes].find((n) => n.nodeType === 3 && n.textContent!.trim())!;
      const range = document.createRange();
      const x = (i: number) => {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        return range.getBoundingClientRect().x;
      };
      return [x(0), x(text.textContent!.length - 1)];
    });
    expect(first).toBeGreaterThan(last!);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rtl-arabic-uploading');

    await gate.open();
    await expect.poll(() => item.getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    expect(await item.locator('.state').textContent()).toBe('اكتمل');
    const key = await page.evaluate(() => document.querySelector('resumable-upload')!.value[0]!);
    expect(await storedMd5(env.storage, key)).toBe(file.md5);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rtl-arabic-done');
    await page.close();
  });

  it('in Chinese from its own lang: localized states, sizes and the form message, axe clean', async () => {
    const page = await openElementPage(env, env.app.url, {
      lang: 'zh-CN',
      multiple: '',
      name: 'files',
      'part-size': '5MiB',
      concurrency: '1',
    });
    await page.setViewportSize({ width: 900, height: 700 });
    expect(await dropZoneText(page)).toBe('将文件拖放到此处，或选择文件');
    const gate = await holdParts(page);
    const big = await writeTestFile(env.dir, '年度报告.bin', 11 * MiB, 22);
    const small = await writeTestFile(env.dir, 'small.txt', 2_500, 23);
    await chooseFiles(page, [big.path]);
    const bigItem = element(page).locator('li.item', { hasText: '年度报告.bin' });
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBeGreaterThan(0);
    gate.release(1);
    await expect
      .poll(() => bigItem.locator('.details').textContent(), { timeout: 30_000 })
      .toMatch(/^[1-9]\d*%（[\d.]+ MB \/ 11\.5 MB）/);
    expect(await bigItem.locator('.state').textContent()).toBe('上传中');
    expect(
      await page.evaluate(() => document.querySelector('resumable-upload')!.validationMessage),
    ).toBe('请等待上传完成。');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'zh-cn-uploading');

    await gate.open();
    await chooseFiles(page, [small.path]);
    const items = element(page).locator('li.item');
    await expect
      .poll(() => items.evaluateAll((els) => els.map((el) => el.getAttribute('data-phase'))), {
        timeout: 60_000,
      })
      .toEqual(['done', 'done']);
    expect(await bigItem.locator('.state').textContent()).toBe('已完成');
    expect(
      await element(page)
        .locator('li.item', { hasText: 'small.txt' })
        .locator('.size')
        .textContent(),
    ).toBe('2.5 kB');
    const keys = await page.evaluate(() => document.querySelector('resumable-upload')!.value);
    expect(
      await storedMd5(
        env.storage,
        keys.find((k) => k.endsWith('.bin'))!,
      ),
    ).toBe(big.md5);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'zh-cn-done');
    await page.close();
  });
});

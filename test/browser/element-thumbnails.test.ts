import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import {
  axeViolations,
  element,
  item,
  openElementPage,
  screenshot,
  startElementEnv,
  type ElementEnv,
} from './element-fixture.ts';

let env: ElementEnv;

beforeAll(async () => {
  env = await startElementEnv();
});
afterAll(async () => {
  await env?.close();
});

/**
 * Adds files made in the page: a 200x100 JPEG whose EXIF says "rotate 90°" (orientation 6), a
 * 120x80 PNG, a "JPEG" of random bytes, and a text file.
 */
async function addSamples(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const image = async (w: number, h: number, type: string) => {
      const canvas = new OffscreenCanvas(w, h);
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#2a7';
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#c33';
      g.fillRect(0, 0, w / 2, h / 2);
      return new Uint8Array(
        await (await canvas.convertToBlob({ type, quality: 0.9 })).arrayBuffer(),
      );
    };
    const jpeg = await image(200, 100, 'image/jpeg');
    // APP1 Exif, big-endian TIFF, one IFD entry: Orientation (0x0112), SHORT, 1, value 6.
    const exif = [
      0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x4d, 0x4d, 0x00, 0x2a, 0x00,
      0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];
    const rotated = new Uint8Array([...jpeg.subarray(0, 2), ...exif, ...jpeg.subarray(2)]);
    const noise = crypto.getRandomValues(new Uint8Array(5000));
    document
      .querySelector('resumable-upload')!
      .addFiles([
        new File([rotated], 'rotated.jpg', { type: 'image/jpeg' }),
        new File([await image(120, 80, 'image/png')], 'chart.png', { type: 'image/png' }),
        new File([noise], 'broken.jpg', { type: 'image/jpeg' }),
        new File(['just words'], 'notes.txt', { type: 'text/plain' }),
      ]);
  });
}

function state(page: Page, name: string) {
  return () => item(page, name).getAttribute('data-thumbnail');
}

describe('<resumable-upload> thumbnails', () => {
  it('shows upright previews of images made in a worker; skips files that fail to decode and non-images', async () => {
    const page = await openElementPage(env, env.app.url, { multiple: '', manual: '' });
    await addSamples(page);
    await expect.poll(state(page, 'rotated.jpg'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(state(page, 'chart.png'), { timeout: 30_000 }).toBe('ready');
    await expect.poll(state(page, 'broken.jpg'), { timeout: 30_000 }).toBe('failed');
    expect(await state(page, 'notes.txt')()).toBe('skipped');
    const thumbs = element(page).locator('img[part~="thumbnail"]');
    expect(await thumbs.count()).toBe(2);
    expect(await item(page, 'broken.jpg').locator('img').count()).toBe(0);
    // The EXIF orientation was applied: the 200x100 photo is shown portrait.
    const size = await item(page, 'rotated.jpg')
      .locator('img')
      .evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        return { w: img.naturalWidth, h: img.naturalHeight };
      });
    expect(size.h).toBeGreaterThan(size.w);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'thumbnails');

    // Turned off: the previews go, and the attribute says so.
    await page.evaluate(() => {
      document.querySelector('resumable-upload')!.thumbnails = false;
    });
    await expect.poll(() => thumbs.count()).toBe(0);
    expect(await element(page).getAttribute('thumbnails')).toBe('off');
    await page.close();
  });

  it('makes none with thumbnails="off", nor for images over thumbnail-max-size', async () => {
    const cases: Record<string, string>[] = [
      { thumbnails: 'off' },
      { 'thumbnail-max-size': '100' },
    ];
    for (const attrs of cases) {
      const page = await openElementPage(env, env.app.url, { multiple: '', manual: '', ...attrs });
      await addSamples(page);
      await item(page, 'notes.txt').waitFor();
      // Nothing was queued: the state is set when the files are added, no decode to wait for.
      const states = await element(page)
        .locator('li.item')
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-thumbnail')));
      expect(states).toEqual(
        attrs.thumbnails ? [null, null, null, null] : ['skipped', 'skipped', 'skipped', 'skipped'],
      );
      expect(await element(page).locator('img').count()).toBe(0);
      await page.close();
    }
  });

  it('measures main-thread long tasks while 20 large photos get thumbnails (reported, not asserted)', async () => {
    const figures = [];
    // With thumbnails, then without: the same 20 files, so the difference is the thumbnails' cost.
    for (const thumbnails of ['on', 'off']) {
      figures.push({ thumbnails, ...(await measure(thumbnails)) });
    }
    console.log('thumbnail long tasks:', JSON.stringify(figures));
    const dir = join(import.meta.dirname, '../../test-results');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'thumbnail-long-tasks.json'), JSON.stringify(figures, null, 2));
  }, 300_000);
});

/** Adds 20 12-megapixel JPEG photos; resolves the long tasks seen until every preview is shown. */
async function measure(thumbnails: string) {
  {
    const page = await openElementPage(env, env.app.url, { multiple: '', manual: '', thumbnails });
    const result = await page.evaluate(async (on) => {
      // One 4000x3000 JPEG photo (12 MP, noisy so it does not compress to nothing), made before measuring.
      const canvas = new OffscreenCanvas(4000, 3000);
      const g = canvas.getContext('2d')!;
      const gradient = g.createLinearGradient(0, 0, 4000, 3000);
      gradient.addColorStop(0, '#1d4ed8');
      gradient.addColorStop(1, '#f59e0b');
      g.fillStyle = gradient;
      g.fillRect(0, 0, 4000, 3000);
      const tile = g.createImageData(500, 500);
      for (let i = 0; i < tile.data.length; i += 65536) {
        crypto.getRandomValues(tile.data.subarray(i, i + 65536));
      }
      for (let x = 0; x < 4000; x += 500)
        for (let y = 0; y < 3000; y += 500) g.putImageData(tile, x, y);
      const photo = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
      const files = Array.from(
        { length: 20 },
        (_, i) =>
          new File([photo], `photo-${String(i + 1).padStart(2, '0')}.jpg`, { type: 'image/jpeg' }),
      );
      await new Promise((resolve) => setTimeout(resolve, 0));
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push(entry.duration);
      });
      observer.observe({ type: 'longtask' });
      const el = document.querySelector('resumable-upload')!;
      const started = performance.now();
      el.addFiles(files);
      await new Promise<void>((resolve) => {
        const check = () => {
          const ready = el.shadowRoot!.querySelectorAll(
            on ? 'li[data-thumbnail="ready"]' : 'li.item',
          ).length;
          if (ready === 20) resolve();
          else requestAnimationFrame(check);
        };
        check();
      });
      const elapsed = performance.now() - started;
      // Long tasks are reported after they end: one more frame lets the last ones in.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      observer.disconnect();
      return { photoBytes: photo.size, elapsed, longTasks };
    }, thumbnails === 'on');
    const figures = {
      photos: 20,
      photoBytes: result.photoBytes,
      elapsedMs: Math.round(result.elapsed),
      longTasks: result.longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...result.longTasks)),
      over50Ms: result.longTasks.filter((d) => d > 50).length,
    };
    expect(await element(page).locator('img[part~="thumbnail"]').count()).toBe(
      thumbnails === 'on' ? 20 : 0,
    );
    await page.close();
    return figures;
  }
}

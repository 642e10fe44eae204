import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import {
  axeViolations,
  dropDiskFiles,
  element,
  fileChoosers,
  md5Hex,
  openElementPage,
  recordedEvents,
  screenshot,
  startElementEnv,
  storedMd5,
  testBytes,
  type ElementEnv,
} from './element-fixture.ts';

let env: ElementEnv;
let album: string;
const contents = { 'a.jpg': testBytes(3000, 1), 'sub/b.txt': testBytes(1500, 2) };

beforeAll(async () => {
  env = await startElementEnv();
  // album/ with a file, a subfolder, an empty folder and Finder's .DS_Store.
  album = join(env.dir, 'album');
  await mkdir(join(album, 'sub'), { recursive: true });
  await mkdir(join(album, 'empty'), { recursive: true });
  for (const [path, bytes] of Object.entries(contents)) await writeFile(join(album, path), bytes);
  await writeFile(join(album, '.DS_Store'), 'finder');
});
afterAll(async () => {
  await env?.close();
});

/** Every finished upload: its path in the list and its object key. */
async function finished(page: Page): Promise<{ path: string; key: string }[]> {
  return (await recordedEvents(page))
    .filter((e) => e.type === 'upload-success')
    .map((e) => {
      const upload = e.detail.upload as { relativePath?: string; name: string };
      return {
        path: upload.relativePath ?? upload.name,
        key: (e.detail.result as { key: string }).key,
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Checks that album/ went up whole: paths in the keys, the bytes stored, no .DS_Store. */
async function expectAlbum(page: Page): Promise<void> {
  await expect.poll(async () => (await finished(page)).length, { timeout: 60_000 }).toBe(2);
  const done = await finished(page);
  expect(done.map((d) => d.path)).toEqual(['album/a.jpg', 'album/sub/b.txt']);
  for (const { path, key } of done) {
    expect(key).toMatch(new RegExp(`^uploads/[0-9a-f]{32}/${path}$`));
    const bytes = contents[path.slice('album/'.length) as keyof typeof contents];
    expect(await storedMd5(env.storage, key)).toBe(md5Hex(bytes));
  }
}

describe('<resumable-upload> folders', () => {
  it('uploads a chosen folder through <input webkitdirectory>, paths kept, .DS_Store and empty folders skipped', async () => {
    const page = await openElementPage(env, env.app.url, { multiple: '' });
    const choosers = fileChoosers(page);
    await element(page).getByRole('button', { name: 'Choose a folder' }).click();
    await (await choosers.next()).setFiles(album);
    await expectAlbum(page);
    // The list shows each file's path.
    expect(await element(page).locator('[part~="name"]').allTextContents()).toEqual([
      'album/a.jpg',
      'album/sub/b.txt',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'folder-uploaded');
    await page.close();
  });

  it('walks a folder dropped from the file manager (File System Access handles)', async () => {
    const page = await openElementPage(env, env.app.url, { multiple: '' });
    await dropDiskFiles(page, [album]);
    await expectAlbum(page);
    await page.close();
  });

  it('walks a dropped folder through webkitGetAsEntry where handles are missing', async () => {
    const context = await env.browser.newContext();
    await context.addInitScript('delete DataTransferItem.prototype.getAsFileSystemHandle;');
    const page = await openElementPage(context, env.app.url, { multiple: '' });
    await dropDiskFiles(page, [album]);
    await expectAlbum(page);
    await context.close();
  });

  it('uses showDirectoryPicker where present; keep-system-files uploads Thumbs.db too', async () => {
    const page = await openElementPage(
      env,
      env.app.url,
      { multiple: '', 'keep-system-files': '' },
      { keepPicker: true },
    );
    // A real directory handle (the site's private storage) stands in for the person's choice.
    await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const trip = await root.getDirectoryHandle('trip', { create: true });
      const day = await trip.getDirectoryHandle('day 1', { create: true });
      for (const [dir, name, text] of [
        [day, 'x.txt', 'xxxxxxxx'],
        [trip, 'Thumbs.db', 'windows'],
      ] as const) {
        const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
        await writable.write(text);
        await writable.close();
      }
      (window as unknown as { showDirectoryPicker: () => Promise<unknown> }).showDirectoryPicker =
        async () => trip;
    });
    await element(page).getByRole('button', { name: 'Choose a folder' }).click();
    await expect.poll(async () => (await finished(page)).length, { timeout: 60_000 }).toBe(2);
    expect((await finished(page)).map((d) => d.path)).toEqual([
      'trip/day 1/x.txt',
      'trip/Thumbs.db',
    ]);
    await page.close();
  });
});

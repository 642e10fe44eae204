import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import {
  axeViolations,
  chooseFiles,
  element,
  holdParts,
  item,
  md5Hex,
  openElementPage,
  recordedEvents,
  screenshot,
  startElementEnv,
  storedMd5,
  testBytes,
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

function partNumbers(urls: string[]): number[] {
  return urls.map((u) => Number(new URL(u).pathname.split('/').at(-1)));
}

async function partsStored(page: Page): Promise<number> {
  return (await recordedEvents(page)).filter((e) => e.type === 'upload-part').length;
}

async function successKey(page: Page, name: string): Promise<string> {
  const ev = (await recordedEvents(page)).find(
    (e) => e.type === 'upload-success' && (e.detail.upload as { name: string }).name === name,
  );
  return (ev!.detail.result as { key: string }).key;
}

function pendingItem(page: Page, name: string) {
  return element(page).locator('[part~="pending-item"]', { hasText: name });
}

describe('<resumable-upload> unfinished uploads after a reload', () => {
  it('lists an upload cut by a reload and resumes it from its stored file handle with one click', async () => {
    const page = await openElementPage(
      env,
      env.app.url,
      { 'part-size': '5MiB', concurrency: '1' },
      { keepPicker: true },
    );
    const size = 16 * MiB + 9;
    // The file lives in the Origin Private File System; the picker is replaced by one that returns
    // its handle, as the real picker would (Playwright cannot drive the real one).
    await page.evaluate(async (size) => {
      const dir = await navigator.storage.getDirectory();
      const handle = await dir.getFileHandle('from-disk.bin', { create: true });
      const writable = await handle.createWritable();
      const bytes = new Uint8Array(size);
      let x = 21 * 2654435761;
      for (let i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 255;
      }
      await writable.write(bytes);
      await writable.close();
      (
        window as unknown as { showOpenFilePicker: () => Promise<FileSystemFileHandle[]> }
      ).showOpenFilePicker = async () => [handle];
    }, size);
    const gate = await holdParts(page);
    await element(page).locator('.drop-zone').click();
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
    gate.release(2);
    await expect.poll(() => partsStored(page), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);

    await page.reload();
    await page.evaluate(() => document.querySelector('resumable-upload')!.updateComplete);
    const pending = pendingItem(page, 'from-disk.bin');
    await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(1);
    await expect(pending.textContent()).resolves.toMatch(/10\.5 MB of 16\.8 MB already uploaded/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pending');

    await gate.open();
    const sentBefore = gate.sent.length;
    await pending.getByRole('button', { name: 'Resume from-disk.bin' }).click();
    await expect
      .poll(() => item(page, 'from-disk.bin').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    expect(await pending.count()).toBe(0);
    expect(await storedMd5(env.storage, await successKey(page, 'from-disk.bin'))).toBe(
      md5Hex(testBytes(size, 21)),
    );
    // Only the parts that had not made it were sent after the reload.
    expect(partNumbers(gate.sent.slice(sentBefore)).sort()).toEqual([3, 4]);
    await expect(item(page, 'from-disk.bin').textContent()).resolves.toMatch(/resumed/);
    await page.close();
  });

  it('asks for the same file when no handle was stored, refuses another file, and resumes with the right one', async () => {
    // No private copy either (opfs-copy-max-size 0): the file must be chosen again.
    const page = await openElementPage(env, env.app.url, {
      'part-size': '5MiB',
      concurrency: '1',
      'opfs-copy-max-size': '0',
    });
    const gate = await holdParts(page);
    const file = await writeTestFile(env.dir, 'picked.bin', 11 * MiB, 22);
    const other = await writeTestFile(env.dir, 'other.bin', 1000, 23);
    await chooseFiles(page, [file.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
    gate.release(1);
    await expect.poll(() => partsStored(page), { timeout: 30_000 }).toBe(1);

    await page.reload();
    const pending = pendingItem(page, 'picked.bin');
    await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(1);
    const choose = pending.getByRole('button', { name: 'Choose picked.bin again to resume it' });
    await expect(choose.textContent()).resolves.toMatch(/Choose the same file to resume/);
    // The unfinished upload is what the list shows: no "No uploads yet." under it.
    expect(await element(page).locator('[part~="empty"]').count()).toBe(0);

    // Another file is refused with a reason, and nothing starts.
    let [chooser] = await Promise.all([page.waitForEvent('filechooser'), choose.click()]);
    await chooser.setFiles([other.path]);
    await expect
      .poll(() => element(page).locator('[part~="notice"]').textContent())
      .toMatch(
        /other\.bin was not added: this is not the unfinished file\. Choose picked\.bin \(11\.5 MB\) to resume it\./,
      );
    expect(await element(page).locator('li.item').count()).toBe(0);

    await gate.open();
    const sentBefore = gate.sent.length;
    [chooser] = await Promise.all([page.waitForEvent('filechooser'), choose.click()]);
    await chooser.setFiles([file.path]);
    await expect
      .poll(() => item(page, 'picked.bin').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    expect(await storedMd5(env.storage, await successKey(page, 'picked.bin'))).toBe(file.md5);
    expect(partNumbers(gate.sent.slice(sentBefore))).toEqual([2, 3]);
    expect(await pending.count()).toBe(0);
    await page.close();
  });

  it('discards an unfinished upload: it leaves the list and the store drops its parts', async () => {
    const page = await openElementPage(env, env.app.url, { 'part-size': '5MiB', concurrency: '1' });
    const gate = await holdParts(page);
    const file = await writeTestFile(env.dir, 'discard-me.bin', 11 * MiB, 24);
    await chooseFiles(page, [file.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
    gate.release(1);
    await expect.poll(() => partsStored(page), { timeout: 30_000 }).toBe(1);
    await page.reload();
    const pending = pendingItem(page, 'discard-me.bin');
    await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(1);
    await pending
      .getByRole('button', { name: 'Discard the unfinished upload of discard-me.bin' })
      .click();
    await expect.poll(() => pending.count()).toBe(0);
    const storage = env.storage as unknown as {
      listUploads(i: { prefix: string }): Promise<{ key: string }[]>;
    };
    await expect
      .poll(async () =>
        (await storage.listUploads({ prefix: '' })).filter((u) =>
          u.key.endsWith('/discard-me.bin'),
        ),
      )
      .toEqual([]);
    // After another reload it does not come back.
    await page.reload();
    expect(
      await page.evaluate(() => document.querySelector('resumable-upload')!.engine.listPending()),
    ).toEqual([]);
    expect(await pending.count()).toBe(0);
    await page.close();
  });
});

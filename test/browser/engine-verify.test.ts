import { createHash } from 'node:crypto';
import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import {
  MiB,
  countPuts,
  diskFile,
  openEngine,
  startBackend,
  storedMd5,
  holdParts,
  SAVED_TIMEOUT,
  tempDir,
  tracePuts,
  untilSaved,
  type Backend,
} from './engine-support.ts';

/** A whole-second date for the test files, so that utimes can put it back exactly after an edit. */
const DATE = 1_767_225_600; // 2026-01-01, seconds

/** Writes `bytes` at `offset` in the file and puts its modification date back: same name, size and date. */
async function editInPlace(path: string, offset: number, bytes: Uint8Array): Promise<string> {
  const handle = await open(path, 'r+');
  await handle.write(bytes, 0, bytes.length, offset);
  await handle.close();
  await utimes(path, DATE, DATE);
  expect((await stat(path)).mtimeMs).toBe(DATE * 1000);
  return createHash('md5')
    .update(await readFile(path))
    .digest('hex');
}

describe.each(['local', 'swift'] as const)(
  'resume checks the saved parts against the file (%s store)',
  (kind) => {
    let browser: Browser;
    let backend: Backend;
    let dir: string;

    beforeAll(async () => {
      dir = await tempDir();
      backend = await startBackend(kind, inject('s3'));
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await backend?.close();
      await rm(dir, { recursive: true, force: true });
    });

    /**
     * Uploads a 5-part file with the parts `held` kept from the store, reloads once the others are saved,
     * edits the file inside part `edited` with its date restored, chooses it again and lets it finish.
     */
    async function editAfterReload(name: string, held: number[], edited: number) {
      const size = 4 * 5 * MiB + 1000;
      const file = await diskFile(dir, name, size);
      await utimes(file.path, DATE, DATE);
      const context = await browser.newContext();
      const page = await context.newPage();
      await openEngine(page, backend, { concurrency: 5 });
      await holdParts(page, (n) => held.includes(n));
      await page.setInputFiles('#file', file.path);
      const trace = tracePuts(page);
      const [id] = await page.evaluate(() => window.engine.addInput());
      await untilSaved(page, id!, 5 - held.length, trace);
      expect(await page.evaluate((i) => window.engine.savedParts(i), id!)).toBe(5 - held.length);

      // Reload first: unrouting would let the held PUTs through.
      await page.reload();
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await page.waitForFunction(() => 'engine' in window);
      await page.evaluate(() => window.engine.make({ concurrency: 5 }));
      const editedMd5 = await editInPlace(
        file.path,
        (edited - 1) * 5 * MiB + 3,
        new TextEncoder().encode('edited in place'),
      );
      expect(editedMd5).not.toBe(file.md5);
      expect((await stat(file.path)).size).toBe(size);

      const puts = countPuts(page);
      await page.setInputFiles('#file', file.path);
      const [again] = await page.evaluate(() => window.engine.addInput());
      expect(again).toBe(id);
      const outcome = await page.evaluate((i) => window.engine.settle(i), id!);
      expect(outcome.name, JSON.stringify(outcome.detail)).toBe('upload-success');
      expect((outcome.detail.upload as { resumed: boolean }).resumed).toBe(true);
      const key = (outcome.detail.result as { key: string }).key;
      await context.close();
      return { stored: await storedMd5(backend.storage, key), editedMd5, puts: [...puts].sort() };
    }

    it(
      'stores the edited bytes when a file changed inside an early saved part keeps its date',
      async () => {
        const { stored, editedMd5, puts } = await editAfterReload('early.bin', [3, 4, 5], 1);
        expect(stored).toBe(editedMd5);
        // The held parts, and part 1 again because its bytes no longer match its record.
        expect(puts).toEqual([1, 3, 4, 5]);
      },
      2 * SAVED_TIMEOUT,
    );

    it(
      'stores the edited bytes when the edit is in the last part, saved before the reload',
      async () => {
        const { stored, editedMd5, puts } = await editAfterReload('last.bin', [2, 3, 4], 5);
        expect(stored).toBe(editedMd5);
        expect(puts).toEqual([2, 3, 4, 5]);
      },
      2 * SAVED_TIMEOUT,
    );
  },
);

import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, launchPersistent } from '../support/browser.ts';
import {
  MiB,
  countPuts,
  diskFile,
  openEngine,
  holdParts,
  SAVED_TIMEOUT,
  startBackend,
  storedMd5,
  tempDir,
  tracePuts,
  untilSaved,
  type Backend,
} from './engine-support.ts';

describe.each(['local', 'swift'] as const)('engine resume after a reload (%s store)', (kind) => {
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

  it(
    'completes after a reload, re-sending only the parts not finished before it',
    async () => {
      const file = await diskFile(dir, 'reload.bin', 4 * 5 * MiB + 5);
      const context = await browser.newContext();
      const page = await context.newPage();
      // No private copy (opfsCopyMaxSize 0): this is the path of a file that must be chosen again.
      await openEngine(page, backend, { concurrency: 2, opfsCopyMaxSize: 0 });
      await holdParts(page, (n) => n > 2);
      await page.setInputFiles('#file', file.path);
      const trace = tracePuts(page);
      const [id] = await page.evaluate(() => window.engine.addInput());
      await untilSaved(page, id!, 2, trace);

      // Reload first: unrouting would let the held PUTs through.
      await page.reload();
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await page.waitForFunction(() => 'engine' in window);
      await page.evaluate(() => window.engine.make({ concurrency: 2 }));
      const pending = await page.evaluate(() => window.engine.listPending());
      expect(pending.map((p) => [p.id, p.partsDone, p.hasHandle])).toEqual([[id, 2, false]]);

      const puts = countPuts(page);
      await page.setInputFiles('#file', file.path);
      const [again] = await page.evaluate(() => window.engine.addInput());
      expect(again).toBe(id);
      const outcome = await page.evaluate((i) => window.engine.settle(i), id!);
      expect(outcome.name, JSON.stringify(outcome.detail)).toBe('upload-success');
      expect((outcome.detail.upload as { resumed: boolean }).resumed).toBe(true);
      expect(await storedMd5(backend.storage, (outcome.detail.result as { key: string }).key)).toBe(
        file.md5,
      );
      expect([...puts].sort()).toEqual([3, 4, 5]);
      expect(await page.evaluate(() => window.engine.listPending())).toEqual([]);
      await context.close();
    },
    2 * SAVED_TIMEOUT,
  );

  it('shows the same file in a second tab as busy, not failed', async () => {
    const file = await diskFile(dir, 'tabs.bin', 2 * 5 * MiB);
    const context = await browser.newContext();
    const first = await context.newPage();
    const second = await context.newPage();
    await openEngine(first, backend);
    await openEngine(second, backend);
    await holdParts(first, (n) => n > 0);
    await first.setInputFiles('#file', file.path);
    const [id] = await first.evaluate(() => window.engine.addInput());
    await first.waitForFunction((i) => window.engine.count('upload-state', i) >= 2, id!);
    await second.setInputFiles('#file', file.path);
    await second.evaluate(() => window.engine.addInput());
    const busy = await second.evaluate((i) => window.engine.waitFor('upload-error', i), id!);
    expect(busy.detail.code).toBe('busy-in-other-tab');
    expect((busy.detail.upload as { phase: string }).phase).toBe('paused');
    expect(await second.evaluate(() => window.engine.uploads().map((u) => u.phase))).toEqual([
      'paused',
    ]);
    await context.close();
  });
});

describe.each(['local', 'swift'] as const)(
  'engine resume from a stored file handle after a browser restart (%s store)',
  (kind) => {
    let backend: Backend;
    let profile: string;

    beforeAll(async () => {
      backend = await startBackend(kind, inject('s3'));
      profile = await mkdtemp(join(tmpdir(), 'ru-engine-profile-'));
    });
    afterAll(async () => {
      await backend?.close();
      await rm(profile, { recursive: true, force: true });
    });

    /** The test file's bytes, made the same way in the page and here. */
    function pattern(size: number): Uint8Array {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
      return bytes;
    }

    it(
      'continues with no file chosen again and sends only the unfinished parts',
      async () => {
        const size = 3 * 5 * MiB + 100;
        let context = await launchPersistent(profile);
        let page = context.pages()[0] ?? (await context.newPage());
        await openEngine(page, backend, { concurrency: 1 });
        await page.evaluate(async (n) => {
          const bytes = new Uint8Array(n);
          for (let i = 0; i < n; i++) bytes[i] = (Math.imul(i, 2654435761) >>> 24) & 0xff;
          const root = await navigator.storage.getDirectory();
          const handle = await root.getFileHandle('resume.bin', { create: true });
          const writable = await handle.createWritable();
          await writable.write(bytes);
          await writable.close();
        }, size);
        await holdParts(context, (n) => n > 1);
        const trace = tracePuts(page);
        const [id] = await page.evaluate(() => window.engine.addOpfs('resume.bin'));
        await untilSaved(page, id!, 1, trace);
        await context.close();

        context = await launchPersistent(profile);
        page = context.pages()[0] ?? (await context.newPage());
        await openEngine(page, backend, { concurrency: 1 });
        const pending = await page.evaluate(() => window.engine.listPending());
        expect(pending.map((p) => [p.id, p.partsDone, p.hasHandle])).toEqual([[id, 1, true]]);
        const puts = countPuts(page);
        await page.evaluate((i) => window.engine.resumePending(i), id!);
        const outcome = await page.evaluate((i) => window.engine.settle(i), id!);
        expect(outcome.name, JSON.stringify(outcome.detail)).toBe('upload-success');
        const md5 = createHash('md5').update(pattern(size)).digest('hex');
        expect(
          await storedMd5(backend.storage, (outcome.detail.result as { key: string }).key),
        ).toBe(md5);
        expect([...puts].sort()).toEqual([2, 3, 4]);
        await context.close();
      },
      2 * SAVED_TIMEOUT,
    );
  },
);

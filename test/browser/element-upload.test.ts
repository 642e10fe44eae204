import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from '../support/browser.ts';
import { closedPortUrl } from '../support/callback-receiver.ts';
import {
  axeViolations,
  chooseFiles,
  dropDiskFiles,
  dropFiles,
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
  // One callback target whose receiver is never there, for the "stored, but not told" warning.
  env = await startElementEnv({
    callbacks: {
      secrets: ['element-upload-callback-secret-0123456789'],
      targets: { offline: { urls: await closedPortUrl(), allowPrivateAddresses: true } },
      retry: { attempts: 0 },
    },
  });
});
afterAll(async () => {
  await env?.close();
});

describe('<resumable-upload> choosing, dropping and finishing uploads', () => {
  it('uploads chosen files to completion with the stored bytes intact, and is accessible when empty and done', async () => {
    const page = await openElementPage(env, env.app.url, { multiple: '', 'part-size': '5MiB' });
    const errors = collectErrors(page);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'empty');

    const big = await writeTestFile(env.dir, 'big-report.bin', 12 * MiB + 123, 2);
    const small = await writeTestFile(env.dir, 'notes.txt', 3000, 3);
    await chooseFiles(page, [big.path, small.path]);

    await expect
      .poll(() => item(page, 'big-report.bin').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    await expect
      .poll(() => item(page, 'notes.txt').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    await expect(
      item(page, 'big-report.bin').locator('[part~="state"]').textContent(),
    ).resolves.toBe('Done');

    const events = await recordedEvents(page);
    const successes = events.filter((e) => e.type === 'upload-success');
    expect(successes).toHaveLength(2);
    for (const ev of successes) {
      expect(ev.bubbles && ev.composed).toBe(true);
      const result = ev.detail.result as {
        key: string;
        etag: string;
        size: number;
        location: string;
      };
      const file = ev.detail.upload as { name: string };
      const expected = file.name === 'notes.txt' ? small : big;
      expect(result.size).toBe(expected.size);
      expect(result.location).toBeTruthy();
      expect(await storedMd5(env.storage, result.key)).toBe(expected.md5);
    }
    // The big file went in parts of 5 MiB: three parts, each reported with its ETag.
    const parts = events.filter(
      (e) =>
        e.type === 'upload-part' && (e.detail.upload as { name: string }).name === 'big-report.bin',
    );
    expect(parts.map((e) => e.detail.partNumber).sort()).toEqual([1, 2, 3]);
    for (const p of parts) expect(p.detail.etag).toMatch(/^[0-9a-f]{32}$/);
    const added = events
      .filter((e) => e.type === 'upload-added')
      .map((e) => (e.detail.upload as { name: string }).name);
    expect(added.sort()).toEqual(['big-report.bin', 'notes.txt']);
    const progress = events.filter((e) => e.type === 'upload-progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.detail.overall).toMatchObject({ bytesTotal: big.size + small.size });

    // The progress bar says where it stands, in numbers and words.
    const bar = item(page, 'big-report.bin').locator('[role=progressbar]');
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(bar.getAttribute('aria-valuetext')).resolves.toContain('100%');

    // The live region announced the outcome.
    await expect
      .poll(() => element(page).locator('[role=status]').textContent())
      .toMatch(/uploaded/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'done');
    // The dark colour scheme keeps enough contrast too.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'done-dark');
    expect(errors.messages).toEqual([]);
    await page.close();
  });

  it('starts its MD5 worker while the picker is open, and hashes the chosen file with it', async () => {
    // No OPFS copy of the chosen file (its worker would be a second one): only the MD5 worker runs here.
    const page = await openElementPage(env, env.app.url, {
      'part-size': '5MiB',
      'opfs-copy-max-size': '0',
    });
    expect(page.workers()).toHaveLength(0);
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      element(page).locator('.drop-zone').click(),
    ]);
    // No file is chosen yet: the worker starts while the person looks for one.
    await expect.poll(() => page.workers().length, { timeout: 30_000 }).toBe(1);
    const warmed = page.workers()[0];
    const file = await writeTestFile(env.dir, 'warm-worker.bin', 5 * MiB + 3000, 31);
    await chooser.setFiles([file.path]);
    await expect
      .poll(() => item(page, 'warm-worker.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    const ev = (await recordedEvents(page)).find((e) => e.type === 'upload-success')!;
    expect(await storedMd5(env.storage, (ev.detail.result as { key: string }).key)).toBe(file.md5);
    // The same worker hashed both parts: none was started for the file itself.
    expect(page.workers()).toEqual([warmed]);
    await page.close();
  });

  it('uploads files dropped on the drop zone', async () => {
    const page = await openElementPage(env, env.app.url, { multiple: '' });
    // An in-page DataTransfer has no files on disk (getAsFileSystemHandle gives null): plain files.
    await dropFiles(page, [
      { name: 'dropped-a.bin', size: 70_000, seed: 7 },
      { name: 'dropped-b.bin', size: 1, seed: 8 },
    ]);
    await expect
      .poll(() => item(page, 'dropped-a.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    await expect
      .poll(() => item(page, 'dropped-b.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    const events = await recordedEvents(page);
    for (const [name, size, seed] of [
      ['dropped-a.bin', 70_000, 7],
      ['dropped-b.bin', 1, 8],
    ] as const) {
      const ev = events.find(
        (e) => e.type === 'upload-success' && (e.detail.upload as { name: string }).name === name,
      )!;
      const key = (ev.detail.result as { key: string }).key;
      expect(await storedMd5(env.storage, key)).toBe(md5Hex(testBytes(size, seed)));
    }
    await page.close();
  });

  it('keeps the file handle of a dropped file, so it resumes after a reload with one click', async () => {
    const page = await openElementPage(env, env.app.url, { 'part-size': '5MiB', concurrency: '1' });
    const gate = await holdParts(page);
    const file = await writeTestFile(env.dir, 'dragged.bin', 11 * MiB + 3, 9);
    await dropDiskFiles(page, [file.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
    gate.release(1);
    await expect
      .poll(
        async () => (await recordedEvents(page)).filter((e) => e.type === 'upload-part').length,
        {
          timeout: 30_000,
        },
      )
      .toBe(1);

    await page.reload();
    const pending = element(page).locator('[part~="pending-item"]', { hasText: 'dragged.bin' });
    await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(1);
    // The saved record holds the drop's handle: Resume, not "Choose the same file".
    const saved = await page.evaluate(() =>
      document.querySelector('resumable-upload')!.engine.listPending(),
    );
    expect(saved).toMatchObject([{ name: 'dragged.bin', hasHandle: true }]);
    await gate.open();
    const sentBefore = gate.sent.length;
    await pending.getByRole('button', { name: 'Resume dragged.bin' }).click();
    await expect
      .poll(() => item(page, 'dragged.bin').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    const ev = (await recordedEvents(page)).find((e) => e.type === 'upload-success')!;
    expect(await storedMd5(env.storage, (ev.detail.result as { key: string }).key)).toBe(file.md5);
    // Part 1 made it before the reload and was not sent again.
    const parts = gate.sent
      .slice(sentBefore)
      .map((u) => Number(new URL(u).pathname.split('/').at(-1)));
    expect(parts.sort()).toEqual([2, 3]);
    await page.close();
  });

  it('shows why a file was not added: too large, or a type that is not accepted', async () => {
    const page = await openElementPage(env, env.app.url, {
      multiple: '',
      'max-file-size': '100kB',
      accept: '.txt,image/*',
    });
    await dropFiles(page, [
      { name: 'huge.txt', size: 200_000 },
      { name: 'program.exe', size: 10, type: 'application/x-msdownload' },
    ]);
    const notices = element(page).locator('[part~="notice"]');
    await expect.poll(() => notices.count()).toBe(2);
    await expect(notices.nth(0).textContent()).resolves.toMatch(
      /huge\.txt was not added: it is larger than the 100 kB limit/,
    );
    await expect(notices.nth(1).textContent()).resolves.toMatch(
      /program\.exe was not added: this type of file is not accepted here \(accepted: \.txt,image\/\*\)/,
    );
    const rejected = (await recordedEvents(page)).filter((e) => e.type === 'upload-rejected');
    expect(rejected.map((e) => [(e.detail.file as { name: string }).name, e.detail.code])).toEqual([
      ['huge.txt', 'file-too-large'],
      ['program.exe', 'type-not-accepted'],
    ]);
    // Nothing reached the server: the list is still empty.
    expect(await element(page).locator('li.item').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'rejected');
    await notices
      .nth(0)
      .getByRole('button', { name: /Dismiss/ })
      .click();
    await expect.poll(() => notices.count()).toBe(1);
    await page.close();
  });

  it('warns about an invalid attribute and falls back instead of breaking', async () => {
    const page = await openElementPage(env, env.app.url, { 'part-size': 'lots', concurrency: '0' });
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await dropFiles(page, [{ name: 'fine.bin', size: 5000 }]);
    await expect
      .poll(() => item(page, 'fine.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    await page.reload();
    await page.evaluate(() => document.querySelector('resumable-upload')!.updateComplete);
    await dropFiles(page, [{ name: 'fine2.bin', size: 5000 }]);
    await expect
      .poll(() => item(page, 'fine2.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    expect(warnings.join('\n')).toMatch(/part-size "lots" is not a size/);
    expect(warnings.join('\n')).toMatch(/concurrency "0" is not a whole number/);
    await page.close();
  });

  it('waits for Start with manual, and shows replaced strings', async () => {
    const page = await openElementPage(env, env.app.url, { multiple: '', manual: '' });
    await page.evaluate(async () => {
      const el = document.querySelector('resumable-upload')!;
      el.strings = {
        dropZone: 'Dateien hier ablegen',
        startAll: 'Alle starten',
        phases: { done: 'Fertig' },
      };
      await el.updateComplete;
    });
    await expect(element(page).locator('[part~="drop-zone-label"]').textContent()).resolves.toBe(
      'Dateien hier ablegen',
    );
    await dropFiles(page, [
      { name: 'later-a.bin', size: 3000, seed: 61 },
      { name: 'later-b.bin', size: 4000, seed: 62 },
    ]);
    await expect.poll(() => item(page, 'later-a.bin').getAttribute('data-phase')).toBe('waiting');
    expect(
      await item(page, 'later-a.bin').getByRole('button', { name: 'Start later-a.bin' }).count(),
    ).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'waiting');
    await element(page).getByRole('button', { name: 'Alle starten' }).click();
    await expect
      .poll(() => item(page, 'later-b.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    await expect
      .poll(() => item(page, 'later-a.bin').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    await expect(item(page, 'later-a.bin').locator('[part~="state"]').textContent()).resolves.toBe(
      'Fertig',
    );
    await page.close();
  });

  it('explains a refusal that a retry cannot fix, and offers no Retry', async () => {
    const page = await openElementPage(env, env.app.url, { 'callback-target': 'nope' });
    await dropFiles(page, [{ name: 'misconfigured.pdf', size: 2000, seed: 71 }]);
    await expect
      .poll(() => item(page, 'misconfigured.pdf').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('failed');
    const error = (await recordedEvents(page)).find((e) => e.type === 'upload-error')!;
    expect(error.detail.code).toBe('unknown-callback-target');
    await expect(
      item(page, 'misconfigured.pdf').locator('[part~="error"]').textContent(),
    ).resolves.toBe(
      "misconfigured.pdf could not be uploaded. The page's upload settings are wrong (they name a callback the server does not know), so retrying will not help. Tell the site's owner.",
    );
    expect(await element(page).getByRole('button', { name: /Retry/ }).count()).toBe(0);
    // Cancel stays, to take it off the list of things in progress.
    expect(
      await item(page, 'misconfigured.pdf')
        .getByRole('button', { name: 'Cancel misconfigured.pdf' })
        .count(),
    ).toBe(1);
    await page.close();
  });

  it('still uploads where IndexedDB is refused, and says that progress cannot be saved', async () => {
    // As in an opaque origin or a browser that blocks storage: opening any database throws.
    const context = await env.browser.newContext();
    await context.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException(
          'The user denied permission to access the database.',
          'SecurityError',
        );
      };
    });
    const page = await openElementPage(context, env.app.url, { 'part-size': '5MiB' });
    const file = await writeTestFile(env.dir, 'no-storage.bin', 6 * MiB + 5, 91);
    await chooseFiles(page, [file.path]);
    await expect
      .poll(() => item(page, 'no-storage.bin').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('done');
    const events = await recordedEvents(page);
    const unavailable = events.find((e) => e.type === 'upload-resume-unavailable');
    expect(unavailable?.detail.reason).toMatch(/denied permission/);
    await expect(element(page).locator('[part~="warning"]').textContent()).resolves.toContain(
      'This browser cannot save upload progress (The user denied permission to access the database). Uploads work',
    );
    const success = events.find((e) => e.type === 'upload-success')!;
    const key = (success.detail.result as { key: string }).key;
    expect(await storedMd5(env.storage, key)).toBe(file.md5);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'resume-unavailable');
    await context.close();
  });

  it('tells the person to choose a file again when it changed on disk mid-upload, and offers no Retry', async () => {
    const page = await openElementPage(env, env.app.url, { 'part-size': '5MiB' });
    const file = await writeTestFile(env.dir, 'edited-draft.bin', 11 * MiB, 81);
    // Hold create: by then part 1 is hashed (create carries its MD5 and signs its PUT) and no PUT can have
    // started, so every later read of the file (part 1's PUT, the other parts' hashes) sees it changed.
    let releaseCreate!: () => void;
    const createHeld = new Promise<void>((held) =>
      page.route('**/create', async (route) => {
        held();
        await new Promise<void>((resolve) => (releaseCreate = resolve));
        await route.continue();
      }),
    );
    await chooseFiles(page, [file.path]);
    await createHeld;
    await writeFile(file.path, testBytes(11 * MiB, 82));
    releaseCreate();
    await expect
      .poll(() => item(page, 'edited-draft.bin').getAttribute('data-phase'), { timeout: 60_000 })
      .toBe('failed');
    const error = (await recordedEvents(page)).find((e) => e.type === 'upload-error')!;
    expect(error.detail.code).toBe('file-changed');
    await expect(
      item(page, 'edited-draft.bin').locator('[part~="error"]').textContent(),
    ).resolves.toContain('Remove it and choose the file again.');
    // Retrying the same File cannot help (Chromium refuses to read it again): no Retry, nor Retry all.
    expect(await element(page).getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await page.close();
  });

  it("tells in plain words that a stored file's callback failed, and is accessible then", async () => {
    const page = await openElementPage(env, env.app.url, { 'callback-target': 'offline' });
    await dropFiles(page, [{ name: 'told-later.jpg', size: 3000, type: 'image/jpeg', seed: 72 }]);
    await expect
      .poll(() => item(page, 'told-later.jpg').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done');
    await expect(
      item(page, 'told-later.jpg').locator('[part~="callback-warning"]').textContent(),
    ).resolves.toBe(
      'told-later.jpg is stored, but the application could not be told yet: its server was unreachable. The server retries this on its own; there is no need to upload again.',
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'callback-warning');
    await page.close();
  });
});

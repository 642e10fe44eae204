import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright';
import type { StorageAdapter } from '../../src/server/storage/types.ts';
import {
  axeViolations,
  chooseFiles,
  dropFiles,
  element,
  holdParts,
  item,
  openElementPage,
  recordedEvents,
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

/** Part numbers of the part URLs a gate let through. */
function partNumbers(urls: string[]): number[] {
  return urls.map((u) => Number(new URL(u).pathname.split('/').at(-1)));
}

function phase(page: Page, name: string) {
  return () => item(page, name).getAttribute('data-phase');
}

async function keyOf(page: Page, name: string): Promise<string> {
  const ev = (await recordedEvents(page)).find(
    (e) => e.type === 'upload-success' && (e.detail.upload as { name: string }).name === name,
  );
  return (ev!.detail.result as { key: string }).key;
}

/** Multipart uploads the store holds open for a file name. */
async function openUploads(storage: StorageAdapter, name: string): Promise<unknown[]> {
  const s = storage as { listUploads?: (i: { prefix: string }) => Promise<{ key: string }[]> };
  if (!s.listUploads) throw new Error('this storage adapter cannot list uploads');
  return (await s.listUploads({ prefix: '' })).filter((u) => u.key.endsWith(`/${name}`));
}

describe('<resumable-upload> pause, resume, cancel, retry and the form', () => {
  it('pauses and resumes through the UI without re-sending finished parts; the form waits for the upload', async () => {
    const page = await openElementPage(env, env.app.url, {
      name: 'files',
      'part-size': '5MiB',
      concurrency: '1',
    });
    const gate = await holdParts(page);
    const file = await writeTestFile(env.dir, 'paused-video.bin', 16 * MiB + 5, 11);
    await chooseFiles(page, [file.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
    await expect.poll(phase(page, 'paused-video.bin')).toBe('uploading');

    // While the upload runs the form is invalid, with a message, and does not submit.
    const validity = await page.evaluate(() => {
      const el = document.querySelector('resumable-upload')!;
      return { valid: el.form!.checkValidity(), message: el.validationMessage };
    });
    expect(validity).toEqual({ valid: false, message: 'Please wait until the upload finishes.' });
    await page.getByRole('button', { name: 'Submit' }).click();
    expect(
      await page.evaluate(() => (window as unknown as { submitted: unknown }).submitted),
    ).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'uploading');

    // One part through, then pause: the part in flight is dropped, nothing more is sent.
    gate.release(1);
    await expect
      .poll(
        async () => (await recordedEvents(page)).filter((e) => e.type === 'upload-part').length,
        {
          timeout: 30_000,
        },
      )
      .toBe(1);
    await item(page, 'paused-video.bin')
      .getByRole('button', { name: 'Pause paused-video.bin' })
      .click();
    await expect.poll(phase(page, 'paused-video.bin')).toBe('paused');
    expect((await recordedEvents(page)).some((e) => e.type === 'upload-paused')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'paused');
    await gate.open();

    await item(page, 'paused-video.bin')
      .getByRole('button', { name: 'Resume paused-video.bin' })
      .click();
    await expect.poll(phase(page, 'paused-video.bin'), { timeout: 60_000 }).toBe('done');
    expect((await recordedEvents(page)).some((e) => e.type === 'upload-resumed')).toBe(true);
    const key = await keyOf(page, 'paused-video.bin');
    expect(await storedMd5(env.storage, key)).toBe(file.md5);
    // Part 1 was stored before the pause and never sent again.
    expect(partNumbers(gate.sent).filter((n) => n === 1)).toHaveLength(1);
    expect(new Set(partNumbers(gate.sent))).toEqual(new Set([1, 2, 3, 4]));

    // Finished: the form submits, with the object key under the element's name.
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { submitted: unknown }).submitted))
      .toEqual([
        ['title', 't'],
        ['files', key],
      ]);
    await page.close();
  });

  it('cancels through the UI: the store drops the multipart upload and the file is marked cancelled', async () => {
    const page = await openElementPage(env, env.app.url, { 'part-size': '5MiB', concurrency: '1' });
    const gate = await holdParts(page);
    const file = await writeTestFile(env.dir, 'cancel-me.bin', 11 * MiB, 12);
    await chooseFiles(page, [file.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
    expect(await openUploads(env.storage, 'cancel-me.bin')).toHaveLength(1);
    await item(page, 'cancel-me.bin').getByRole('button', { name: 'Cancel cancel-me.bin' }).click();
    await expect.poll(phase(page, 'cancel-me.bin'), { timeout: 30_000 }).toBe('aborted');
    await gate.open();
    await expect
      .poll(() => openUploads(env.storage, 'cancel-me.bin'), { timeout: 30_000 })
      .toHaveLength(0);
    // The phase turns 'aborted' at once and the store drops the upload when the handler gets the
    // abort; upload-aborted fires when its answer is back in the page: wait for the event itself.
    const abortedEvents = async () =>
      (await recordedEvents(page)).filter((e) => e.type === 'upload-aborted');
    await expect.poll(abortedEvents, { timeout: 30_000 }).toHaveLength(1);
    const aborted = await abortedEvents();
    expect((aborted[0]!.detail.upload as { name: string }).name).toBe('cancel-me.bin');
    await expect(
      item(page, 'cancel-me.bin').locator('[part~="state"]').textContent(),
    ).resolves.toBe('Cancelled');
    // The form is no longer held up by it.
    expect(
      await page.evaluate(() => document.querySelector('resumable-upload')!.checkValidity()),
    ).toBe(true);
    await page.close();
  });

  it('explains a failure in plain words, and Retry finishes the upload', async () => {
    const page = await openElementPage(env, env.app.url, {});
    // The server refuses the first attempt (a 403 is not retried by the engine).
    await page.route('**/api/upload/create', (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'forbidden', message: 'not allowed' } }),
      }),
    );
    const file = await writeTestFile(env.dir, 'refused.pdf', 40_000, 13);
    await chooseFiles(page, [file.path]);
    await expect.poll(phase(page, 'refused.pdf'), { timeout: 30_000 }).toBe('failed');
    await expect(item(page, 'refused.pdf').locator('[part~="error"]').textContent()).resolves.toBe(
      'refused.pdf could not be uploaded. You are not allowed to upload here.',
    );
    const error = (await recordedEvents(page)).find((e) => e.type === 'upload-error')!;
    expect(error.detail).toMatchObject({ code: 'forbidden', upload: { name: 'refused.pdf' } });
    expect(error.detail.message).toEqual(expect.any(String));
    await expect
      .poll(() => element(page).locator('[role=status]').textContent())
      .toMatch(/refused\.pdf failed/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'failed');

    await page.unroute('**/api/upload/create');
    await item(page, 'refused.pdf').getByRole('button', { name: 'Retry refused.pdf' }).click();
    await expect.poll(phase(page, 'refused.pdf'), { timeout: 30_000 }).toBe('done');
    expect(await storedMd5(env.storage, await keyOf(page, 'refused.pdf'))).toBe(file.md5);
    await page.close();
  });

  it('pauses, resumes and cancels every file with the all-files buttons', async () => {
    const page = await openElementPage(env, env.app.url, {
      multiple: '',
      'part-size': '5MiB',
      concurrency: '1',
    });
    const gate = await holdParts(page);
    const a = await writeTestFile(env.dir, 'all-a.bin', 6 * MiB, 14);
    const b = await writeTestFile(env.dir, 'all-b.bin', 6 * MiB, 15);
    await chooseFiles(page, [a.path, b.path]);
    await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(2);
    await element(page).getByRole('button', { name: 'Pause all', exact: true }).click();
    await expect.poll(phase(page, 'all-a.bin')).toBe('paused');
    await expect.poll(phase(page, 'all-b.bin')).toBe('paused');
    await gate.open();
    await element(page).getByRole('button', { name: 'Resume all', exact: true }).click();
    await expect.poll(phase(page, 'all-a.bin'), { timeout: 60_000 }).toBe('done');
    await expect.poll(phase(page, 'all-b.bin'), { timeout: 60_000 }).toBe('done');
    expect(await storedMd5(env.storage, await keyOf(page, 'all-b.bin'))).toBe(b.md5);
    await element(page).getByRole('button', { name: 'Clear finished' }).click();
    await expect.poll(() => element(page).locator('li.item').count()).toBe(0);

    // Two more, held at their first part, then Cancel all: the store drops both multipart uploads.
    const held = await holdParts(page);
    const c = await writeTestFile(env.dir, 'all-c.bin', 6 * MiB, 16);
    const d = await writeTestFile(env.dir, 'all-d.bin', 6 * MiB, 17);
    await chooseFiles(page, [c.path, d.path]);
    await expect.poll(() => held.held, { timeout: 30_000 }).toBe(2);
    expect(await openUploads(env.storage, 'all-c.bin')).toHaveLength(1);
    expect(await openUploads(env.storage, 'all-d.bin')).toHaveLength(1);
    await element(page).getByRole('button', { name: 'Cancel all', exact: true }).click();
    await expect.poll(phase(page, 'all-c.bin'), { timeout: 30_000 }).toBe('aborted');
    await expect.poll(phase(page, 'all-d.bin'), { timeout: 30_000 }).toBe('aborted');
    await held.open();
    for (const name of ['all-c.bin', 'all-d.bin']) {
      await expect(item(page, name).locator('[part~="state"]').textContent()).resolves.toBe(
        'Cancelled',
      );
      await expect.poll(() => openUploads(env.storage, name), { timeout: 30_000 }).toHaveLength(0);
    }
    expect(await element(page).getByRole('button', { name: 'Cancel all' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'cancelled');
    await page.close();
  });

  it('retries every failed file with Retry all', async () => {
    const page = await openElementPage(env, env.app.url, {
      multiple: '',
      'part-size': '5MiB',
      concurrency: '1',
    });
    // The store refuses every part PUT until the test lets them through (a refusal the engine does not retry).
    let refusing = true;
    await page.route(
      (url) => url.pathname.includes('/_local/'),
      (route) => {
        if (route.request().method() !== 'PUT' || !refusing) return void route.continue();
        void route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'signature-mismatch', message: 'signature does not match' },
          }),
        });
      },
    );
    const a = await writeTestFile(env.dir, 'retry-a.bin', 11 * MiB, 18);
    const b = await writeTestFile(env.dir, 'retry-b.bin', 7 * MiB, 19);
    await chooseFiles(page, [a.path, b.path]);
    await expect.poll(phase(page, 'retry-a.bin'), { timeout: 30_000 }).toBe('failed');
    await expect.poll(phase(page, 'retry-b.bin'), { timeout: 30_000 }).toBe('failed');
    await expect(
      item(page, 'retry-a.bin').locator('[part~="error"]').textContent(),
    ).resolves.toMatch(
      /^retry-a\.bin could not be uploaded\. Something went wrong .*Press Retry to try again\.$/,
    );
    const retryAll = element(page).getByRole('button', { name: 'Retry all', exact: true });
    expect(await retryAll.getAttribute('part')).toBe('button retry-button retry-all-button');

    refusing = false;
    await retryAll.click();
    await expect.poll(phase(page, 'retry-a.bin'), { timeout: 60_000 }).toBe('done');
    await expect.poll(phase(page, 'retry-b.bin'), { timeout: 60_000 }).toBe('done');
    expect(await storedMd5(env.storage, await keyOf(page, 'retry-a.bin'))).toBe(a.md5);
    expect(await storedMd5(env.storage, await keyOf(page, 'retry-b.bin'))).toBe(b.md5);
    expect(await retryAll.count()).toBe(0);
    await page.close();
  });

  it('is disabled by a disabled fieldset and enabled again with it, without writing its own disabled attribute', async () => {
    const page = await openElementPage(env, env.app.url, {});
    const choosers: unknown[] = [];
    await page.evaluate(async () => {
      const el = document.querySelector('resumable-upload')!;
      const writes: (string | null)[] = [];
      (window as unknown as { disabledWrites: unknown }).disabledWrites = writes;
      new MutationObserver((records) => {
        for (let i = 0; i < records.length; i++) writes.push(el.getAttribute('disabled'));
      }).observe(el, { attributes: true, attributeFilter: ['disabled'] });
      const fieldset = document.createElement('fieldset');
      el.before(fieldset);
      fieldset.append(el);
      fieldset.disabled = true;
      await el.updateComplete;
    });
    const zone = element(page).locator('.drop-zone');
    await expect(zone.isDisabled()).resolves.toBe(true);
    page.on('filechooser', (chooser) => choosers.push(chooser));
    await page.evaluate(() => document.querySelector('resumable-upload')!.browse());
    await dropFiles(page, [{ name: 'refused-drop.bin', size: 1000 }]);
    await page.evaluate(() => document.querySelector('resumable-upload')!.updateComplete);
    expect(await element(page).locator('li.item').count()).toBe(0);
    expect(choosers).toEqual([]);

    await page.evaluate(async () => {
      document.querySelector('fieldset')!.disabled = false;
      await document.querySelector('resumable-upload')!.updateComplete;
    });
    await expect(zone.isDisabled()).resolves.toBe(false);
    const file = await writeTestFile(env.dir, 'after-fieldset.bin', 30_000, 20);
    await chooseFiles(page, [file.path]);
    await expect.poll(phase(page, 'after-fieldset.bin'), { timeout: 30_000 }).toBe('done');
    expect(await storedMd5(env.storage, await keyOf(page, 'after-fieldset.bin'))).toBe(file.md5);
    const own = await page.evaluate(() => {
      const el = document.querySelector('resumable-upload')!;
      return {
        property: el.disabled,
        attribute: el.hasAttribute('disabled'),
        writes: (window as unknown as { disabledWrites: unknown }).disabledWrites,
      };
    });
    expect(own).toEqual({ property: false, attribute: false, writes: [] });
    await page.close();
  });
});

// A file edited after an upload was cut by a reload (issue 11): chosen again with the same name and
// size but a new date, it uploads from the start, and the saved upload of the old version is aborted
// on the store, leaves "Unfinished uploads" and is announced by upload-discarded. Both stores.
import { randomBytes } from 'node:crypto';
import { utimes } from 'node:fs/promises';
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createS3Storage, type StorageAdapter } from '../../src/server/index.ts';
import {
  chooseFiles,
  element,
  holdParts,
  item,
  openElementPage,
  recordedEvents,
  startElementEnv,
  storedMd5,
  writeTestFile,
  type ElementEnv,
} from './element-fixture.ts';

const MiB = 1024 * 1024;

const stores: Record<string, () => { storage?: StorageAdapter; keyPrefix?: string }> = {
  'the local store': () => ({}),
  'Swift s3api': () => {
    const s3 = inject('s3');
    return {
      storage: createS3Storage({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      }),
      keyPrefix: `element-test/${randomBytes(4).toString('hex')}/`,
    };
  },
};

/** Multipart uploads the store lists as unfinished (S3 ListMultipartUploads) for a file name. */
async function openUploads(storage: StorageAdapter, name: string) {
  return (await storage.listUploads({ prefix: '' })).filter((u) => u.key.endsWith(`/${name}`));
}

async function events(page: Page, type: string) {
  return (await recordedEvents(page)).filter((e) => e.type === type);
}

describe.each(Object.keys(stores))(
  '<resumable-upload> with a file edited after a reload on %s',
  (store) => {
    let env: ElementEnv;
    beforeAll(async () => {
      env = await startElementEnv(stores[store]!());
    });
    afterAll(async () => {
      await env?.close();
    });

    it('aborts the saved upload of the old version, lists it no more, and uploads the new one whole', async () => {
      const name = `edited-${randomBytes(3).toString('hex')}.bin`;
      const page = await openElementPage(env, env.app.url, {
        'part-size': '5MiB',
        concurrency: '1',
      });
      const gate = await holdParts(page);
      const first = await writeTestFile(env.dir, name, 11 * MiB, 31);
      await utimes(first.path, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
      await chooseFiles(page, [first.path]);
      await expect.poll(() => gate.held, { timeout: 30_000 }).toBe(1);
      gate.release(1);
      await expect
        .poll(async () => (await events(page, 'upload-part')).length, { timeout: 30_000 })
        .toBe(1);
      const old = await openUploads(env.storage, name);
      expect(old).toHaveLength(1);

      await page.reload();
      const pending = element(page).locator('[part~="pending-item"]', { hasText: name });
      await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(1);

      // The person edits the file (same size) and saves it: a new modification date.
      const edited = await writeTestFile(env.dir, name, 11 * MiB, 32);
      await utimes(edited.path, new Date('2026-02-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
      await gate.open();
      await chooseFiles(page, [edited.path]);

      await expect
        .poll(async () => (await events(page, 'upload-discarded')).length, { timeout: 30_000 })
        .toBe(1);
      const [discarded] = await events(page, 'upload-discarded');
      expect(discarded!.detail).toMatchObject({
        reason: 'file-changed',
        pending: {
          name,
          size: 11 * MiB,
          partsDone: 1,
          lastModified: Date.parse('2026-01-01T00:00:00Z'),
        },
      });
      expect(discarded!.bubbles && discarded!.composed).toBe(true);
      await expect.poll(() => pending.count(), { timeout: 15_000 }).toBe(0);
      await expect
        .poll(() => item(page, name).getAttribute('data-phase'), { timeout: 60_000 })
        .toBe('done');
      const [success] = await events(page, 'upload-success');
      expect((success!.detail.upload as { resumed: boolean }).resumed).toBe(false);
      const key = (success!.detail.result as { key: string }).key;
      expect(key).not.toBe(old[0]!.key);
      expect(await storedMd5(env.storage, key)).toBe(edited.md5);
      // The old version's multipart upload is gone from the store, and nothing else is open.
      await expect.poll(() => openUploads(env.storage, name), { timeout: 30_000 }).toEqual([]);
      // After another reload nothing is pending.
      await page.reload();
      expect(
        await page.evaluate(() => document.querySelector('resumable-upload')!.engine.listPending()),
      ).toEqual([]);
      await page.close();
    });
  },
);

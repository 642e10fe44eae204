import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createS3Storage } from '../../src/server/index.ts';
import {
  axeViolations,
  chooseFiles,
  item,
  openElementPage,
  recordedEvents,
  startElementEnv,
  storedMd5,
  writeTestFile,
  type ElementEnv,
} from './element-fixture.ts';

const MiB = 1024 * 1024;
let env: ElementEnv;

beforeAll(async () => {
  const s3 = inject('s3');
  env = await startElementEnv({
    storage: createS3Storage({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    }),
    keyPrefix: `element-test/${randomBytes(4).toString('hex')}/`,
  });
});
afterAll(async () => {
  await env?.close();
});

describe('<resumable-upload> on OpenStack Swift s3api', () => {
  it('uploads a chosen multipart file straight to the S3 store with the bytes intact', async () => {
    const page = await openElementPage(env, env.app.url, { name: 'files', 'part-size': '5MiB' });
    const file = await writeTestFile(env.dir, 'to-swift.bin', 11 * MiB + 3, 51);
    await chooseFiles(page, [file.path]);
    await expect
      .poll(() => item(page, 'to-swift.bin').getAttribute('data-phase'), { timeout: 90_000 })
      .toBe('done');
    const success = (await recordedEvents(page)).find((e) => e.type === 'upload-success')!;
    const result = success.detail.result as { key: string; etag: string; size: number };
    expect(result.size).toBe(file.size);
    // A multipart object of three parts: S3's ETag says so.
    expect(result.etag).toMatch(/-3$/);
    expect(await storedMd5(env.storage, result.key)).toBe(file.md5);
    expect(await page.evaluate(() => document.querySelector('resumable-upload')!.value)).toEqual([
      result.key,
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

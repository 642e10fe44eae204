// Create's refusals and additions for what people expect of an upload widget, through the real
// handler on the local adapter and on Swift s3api: a minimum file size, and folder paths in keys.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bytesOf,
  md5,
  put,
  startHarness,
  type Harness,
  type StoreKind,
} from './handler-support.ts';

describe.each<StoreKind>(['local', 'swift'])('create with limits and folders on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, inject('s3'), { minFileSize: 10 });
  });
  afterAll(() => h.close());

  it('refuses a file under minFileSize with 400 file-too-small and starts nothing', async () => {
    const res = await h.post('create', { fileName: 'tiny.txt', size: 9, contentType: '' });
    expect(res.body.error?.code).toBe('file-too-small');
    expect(res.status).toBe(400);
    // A file of exactly the minimum is stored.
    const bytes = bytesOf(10, 3);
    const created = await h.post('create', {
      fileName: 'ten.txt',
      size: 10,
      contentType: '',
      contentMd5: md5(bytes).base64,
    });
    expect(created.status).toBe(200);
    expect((await put(created.body.put, bytes)).status).toBe(200);
    const done = await h.post('complete', {
      token: created.body.token,
      parts: [{ partNumber: 1, etag: md5(bytes).hex }],
    });
    expect(done.body.size).toBe(10);
  });
});

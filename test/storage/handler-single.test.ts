// Single-mode uploads (issue 11, finding 1) on the local store and on Swift s3api: the object a
// complete announced is never replaced through that upload's token or URLs, a repeated complete
// answers the same object without a second callback, and an abort before complete leaves nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SignedPart } from '../../src/protocol/index.ts';
import { startReceiver, type Receiver } from '../support/callback-receiver.ts';
import {
  bytesOf,
  md5,
  put,
  startHarness,
  storedMd5,
  type Harness,
  type Json,
  type StoreKind,
} from './handler-support.ts';

describe.each<StoreKind>(['local', 'swift'])('single-mode uploads on %s', (kind) => {
  let h: Harness;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness(kind, inject('s3'), {
      callbacks: {
        secrets: ['single-mode-callback-secret'],
        targets: { app: { urls: receiver.url, allowPrivateAddresses: true } },
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  function expectError(res: { status: number; body: Json }, code: string, status: number) {
    expect(res.body.error?.code, JSON.stringify(res.body)).toBe(code);
    expect(res.status).toBe(status);
  }

  async function create(bytes: Uint8Array<ArrayBuffer>, name: string) {
    const created = await h.post('create', {
      fileName: name,
      size: bytes.length,
      contentType: 'application/octet-stream',
      contentMd5: md5(bytes).base64,
      callback: { target: 'app' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.mode).toBe('single');
    return created.body;
  }

  /** Everything stored in the upload's folder (the key's and any staging object). */
  async function folder(key: string) {
    const objects = await h.storage.listObjects({ prefix: key.slice(0, key.lastIndexOf('/') + 1) });
    return objects.map((o) => o.key);
  }

  it('never replaces the completed object through its token or URLs; a repeated complete answers it again without a callback', async () => {
    const first = bytesOf(1_000, 1);
    const other = bytesOf(1_000, 2);
    const created = await create(first, 'kept.bin');
    // A URL for other bytes of the same size, signed while the upload was open.
    const early = await h.post('sign-parts', {
      token: created.token,
      parts: [{ partNumber: 1, size: other.length, contentMd5: md5(other).base64 }],
    });
    expect(early.status).toBe(200);
    expect((await put(created.put as SignedPart, first)).status).toBe(200);
    const parts = [{ partNumber: 1, etag: md5(first).hex }];
    const before = receiver.received.length;

    const done = await h.post('complete', { token: created.token, parts });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ key: created.key, size: 1_000, etag: md5(first).hex });
    expect(done.body.callback?.status).toBe('ok');
    expect(receiver.received.length).toBe(before + 1);
    expect(await folder(created.key)).toEqual([created.key]);

    // After complete: no new URL, and the URLs signed before only reach the staging key.
    expectError(
      await h.post('sign-parts', {
        token: created.token,
        parts: [{ partNumber: 1, size: other.length, contentMd5: md5(other).base64 }],
      }),
      'no-such-upload',
      404,
    );
    expect((await put(early.body.parts[0] as SignedPart, other)).status).toBe(200);
    expect(await storedMd5(h.storage, created.key)).toEqual({ hex: md5(first).hex, size: 1_000 });

    const again = await h.post('complete', { token: created.token, parts });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toEqual({ ...done.body, callback: undefined });
    expect(receiver.received.length).toBe(before + 1);
    expect(await storedMd5(h.storage, created.key)).toEqual({ hex: md5(first).hex, size: 1_000 });
    // The repeat removed what the early URL staged: nothing is left beside the object.
    expect(await folder(created.key)).toEqual([created.key]);
    // Abort after complete keeps the object.
    expectError(await h.post('abort', { token: created.token }), 'no-such-upload', 404);
    expect(await storedMd5(h.storage, created.key)).toEqual({ hex: md5(first).hex, size: 1_000 });
  });

  it('leaves nothing on the store when aborted before complete', async () => {
    const bytes = bytesOf(2_000, 3);
    const created = await create(bytes, 'dropped.bin');
    expect((await put(created.put as SignedPart, bytes)).status).toBe(200);
    expect(await h.post('list-parts', { token: created.token })).toMatchObject({
      status: 200,
      body: { parts: [{ partNumber: 1, size: 2_000, etag: md5(bytes).hex }] },
    });
    const before = receiver.received.length;
    expect(await h.post('abort', { token: created.token })).toMatchObject({
      status: 200,
      body: { aborted: true },
    });
    expect(await folder(created.key)).toEqual([]);
    expect(await h.storage.headObject({ key: created.key })).toBeNull();
    expectError(
      await h.post('complete', {
        token: created.token,
        parts: [{ partNumber: 1, etag: md5(bytes).hex }],
      }),
      'invalid-part',
      400,
    );
    expect(receiver.received.length).toBe(before);
  });

  it('refuses the reserved metadata name of the completion marker', async () => {
    const res = await h.post('create', {
      fileName: 'meta.bin',
      size: 10,
      contentType: '',
      metadata: { 'Upload-Marker': 'forged' },
    });
    expectError(res, 'invalid-request', 400);
  });
});

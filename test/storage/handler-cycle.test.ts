// create -> sign -> PUT -> complete through the real handler and a real HTTP server, on the local
// adapter and on Swift s3api: the stored bytes are exactly the file's (MD5 of the object read back).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { MiB } from '../../src/protocol/index.ts';
import {
  bytesOf,
  md5,
  put,
  startHarness,
  storedMd5,
  uploadFile,
  type Harness,
  type StoreKind,
} from './handler-support.ts';

describe.each<StoreKind>(['local', 'swift'])('upload handler on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, inject('s3'));
  });
  afterAll(() => h.close());

  it('stores a small file with one PUT when create carries its MD5 (single mode)', async () => {
    const bytes = bytesOf(1000, 1);
    const created = await h.post('create', {
      fileName: 'note.txt',
      size: bytes.length,
      contentType: 'text/plain',
      contentMd5: md5(bytes).base64,
      // Metadata travels as signed headers of the PUT: the browser must send them as given.
      metadata: { album: 'summer-2024', 'taken-by': 'alice' },
    });
    expect(created.body).toMatchObject({ mode: 'single', uploadId: '', partCount: 1 });
    const answer = await put(created.body.put, bytes);
    expect(answer.status).toBe(200);
    expect(answer.etag).toBe(md5(bytes).hex);
    const done = await h.post('complete', {
      token: created.body.token,
      parts: [{ partNumber: 1, etag: answer.etag }],
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      key: created.body.key,
      size: 1000,
      etag: md5(bytes).hex,
      contentType: 'text/plain',
      bucket: h.storage.bucket,
    });
    expect(new URL(done.body.location).pathname).toContain(encodeURIComponent('note.txt'));
    expect(await storedMd5(h.storage, created.body.key)).toEqual({
      hex: md5(bytes).hex,
      size: 1000,
    });
  });

  it('stores a 0-byte file', async () => {
    const { created, completed } = await uploadFile(h, new Uint8Array(0), { fileName: 'empty' });
    expect(created.mode).toBe('single');
    expect(completed.body).toMatchObject({ size: 0, etag: md5(new Uint8Array(0)).hex });
    expect((await h.storage.headObject({ key: created.key }))?.size).toBe(0);
  });

  it('signs part 1 of a single-mode upload through sign-parts and lists it after the PUT', async () => {
    const bytes = bytesOf(4096, 2);
    const { body: created } = await h.post('create', {
      fileName: 'b.bin',
      size: bytes.length,
      contentType: '',
    });
    expect(created.put).toBeUndefined();
    expect((await h.post('list-parts', { token: created.token })).body.parts).toEqual([]);
    const signed = await h.post('sign-parts', {
      token: created.token,
      parts: [{ partNumber: 1, size: bytes.length, contentMd5: md5(bytes).base64 }],
    });
    expect((await put(signed.body.parts[0], bytes)).status).toBe(200);
    expect((await h.post('list-parts', { token: created.token })).body.parts).toEqual([
      { partNumber: 1, size: 4096, etag: md5(bytes).hex },
    ]);
  });

  it('stores a multipart file of three parts, the last one short', async () => {
    const bytes = bytesOf(10 * MiB + 1234, 3);
    const { created, completed } = await uploadFile(h, bytes, {
      fileName: 'video.mp4',
      contentType: 'video/mp4',
      partSize: 5 * MiB,
      metadata: { album: 'summer-2024' },
    });
    expect(created).toMatchObject({ mode: 'multipart', partSize: 5 * MiB, partCount: 3 });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({
      key: created.key,
      size: bytes.length,
      contentType: 'video/mp4',
    });
    expect(completed.body.etag).toMatch(/^[0-9a-f]{32}-3$/);
    expect(await storedMd5(h.storage, created.key)).toEqual({
      hex: md5(bytes).hex,
      size: bytes.length,
    });
    // Nothing of the upload is left unfinished in the store.
    expect(await h.storage.listUploads({ prefix: h.prefix })).toEqual([]);
  });

  it('stores a multipart file whose part 1 went up with the URL create signed (firstPart)', async () => {
    const bytes = bytesOf(5 * MiB + 4321, 5);
    const first = bytes.subarray(0, 5 * MiB);
    const created = await h.post('create', {
      fileName: 'two.bin',
      size: bytes.length,
      contentType: 'application/octet-stream',
      partSize: 5 * MiB,
      firstPart: { size: first.length, contentMd5: md5(first).base64 },
    });
    expect(created.body).toMatchObject({ mode: 'multipart', partCount: 2 });
    expect(created.body.put).toMatchObject({ partNumber: 1, method: 'PUT' });
    const one = await put(created.body.put, first);
    expect(one.status).toBe(200);
    expect(one.etag).toBe(md5(first).hex);
    // The URL is signed for those bytes only: other bytes of the same length are refused.
    const other = await put(created.body.put, bytesOf(5 * MiB, 6));
    expect(other.status).toBe(400);
    const rest = bytes.subarray(5 * MiB);
    const signed = await h.post('sign-parts', {
      token: created.body.token,
      parts: [{ partNumber: 2, size: rest.length, contentMd5: md5(rest).base64 }],
    });
    const two = await put(signed.body.parts[0], rest);
    expect(two.status).toBe(200);
    const done = await h.post('complete', {
      token: created.body.token,
      parts: [
        { partNumber: 1, etag: one.etag },
        { partNumber: 2, etag: two.etag },
      ],
    });
    expect(done.status).toBe(200);
    expect(await storedMd5(h.storage, created.body.key)).toEqual({
      hex: md5(bytes).hex,
      size: bytes.length,
    });
  });

  it('lists the parts already stored, so a browser can resume', async () => {
    const bytes = bytesOf(10 * MiB + 1, 4);
    const { body: created } = await h.post('create', {
      fileName: 'resume.bin',
      size: bytes.length,
      contentType: '',
      partSize: 5 * MiB,
    });
    const first = bytes.slice(0, 5 * MiB);
    const signed = await h.post('sign-parts', {
      token: created.token,
      parts: [{ partNumber: 1, size: first.length, contentMd5: md5(first).base64 }],
    });
    expect((await put(signed.body.parts[0], first)).status).toBe(200);
    const listed = await h.post('list-parts', { token: created.token });
    expect(listed.body.parts).toEqual([{ partNumber: 1, size: 5 * MiB, etag: md5(first).hex }]);
    expect((await h.post('abort', { token: created.token })).body).toEqual({ aborted: true });
  });

  it('keeps a hostile file name inside the key the server chose', async () => {
    const bytes = bytesOf(10, 5);
    const { created, completed } = await uploadFile(h, bytes, {
      fileName: '../../../\u202Eevil\u0000/..\\x.txt',
    });
    expect(completed.status).toBe(200);
    expect(created.key.startsWith(h.prefix)).toBe(true);
    expect(created.key.slice(h.prefix.length)).toMatch(/^[0-9a-f]{32}\/[^/]+$/);
    for (const bad of ['../', '\u202E', '\u0000']) expect(created.key).not.toContain(bad);
    expect(await storedMd5(h.storage, created.key)).toEqual({ hex: md5(bytes).hex, size: 10 });
    if (h.dir) expect(await readdir(h.dir)).toEqual(['store']);
  });

  it.each<[string, string, string]>([
    ['a lone UTF-16 surrogate', 'a\ud800b.txt', 'a\ufffdb.txt'],
    ['2,000 bytes', `${'n'.repeat(1996)}.txt`, `${'n'.repeat(196)}.txt`],
    ['only dots', '...', 'file'],
    ['only control characters', '\u0001\u0007\u001b\u007f', 'file'],
  ])('stores a file whose name is %s under a safe key', async (_name, fileName, expected) => {
    const bytes = bytesOf(20, 6);
    const { created, completed } = await uploadFile(h, bytes, { fileName });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    expect(created.key).toMatch(/^handler-test\/[0-9a-f]{12}\/[0-9a-f]{32}\/[^/]+$/);
    expect(created.key.split('/').at(-1)).toBe(expected);
    expect(completed.body.key).toBe(created.key);
    expect(await storedMd5(h.storage, created.key)).toEqual({ hex: md5(bytes).hex, size: 20 });
  });

  it('answers 500 internal when a custom key function returns a lone surrogate, storing nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const custom = await startHarness(kind, inject('s3'), {
      key: ({ fileName }) => `${h.prefix}custom/\udc00${fileName}`,
    });
    try {
      const res = await custom.post('create', {
        fileName: 'x.txt',
        size: 20_000_000,
        contentType: 'text/plain',
      });
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('internal');
      expect(String(errors.mock.calls[0]?.[1])).toMatch(/not well-formed Unicode/);
      expect(await custom.storage.listUploads({ prefix: `${h.prefix}custom/` })).toEqual([]);
    } finally {
      errors.mockRestore();
      await custom.close();
    }
  });

  it.runIf(kind === 'local')('writes nothing outside the local store folder', async () => {
    const entries = await readdir(join(h.dir!), { recursive: true });
    expect(entries.every((entry) => entry === 'store' || entry.startsWith(`store/`))).toBe(true);
  });
});

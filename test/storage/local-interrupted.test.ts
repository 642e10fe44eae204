import { request } from 'node:http';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../src/protocol/index.ts';
import { createLocalStorage, type LocalStorage } from '../../src/server/storage/index.ts';
import { encodeKey } from '../../src/server/storage/local-paths.ts';
import { bytesOf, md5, putSigned, serveAdapter, storedMd5 } from './conformance-http.ts';

let root: string;
let store: LocalStorage;
let server: Awaited<ReturnType<typeof serveAdapter>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ru-local-interrupted-'));
  store = createLocalStorage({ root, secret: 'local-interrupted-secret-0123456789' });
  server = await serveAdapter(store);
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

async function newPart(size: number, seed: number) {
  const key = `interrupted/${seed}.bin`;
  const bytes = bytesOf(size, seed);
  const { uploadId } = await store.createUpload({ key, contentType: 'application/octet-stream' });
  const signed = await store.signPart({
    key,
    uploadId,
    partNumber: 1,
    size,
    contentMd5: md5(bytes).base64,
    expiresIn: 60,
    context: { baseUrl: server.baseUrl },
  });
  return { key, uploadId, bytes, signed };
}

/** Waits (bounded) until the upload's folder holds no temporary file: the server has cleaned up. */
async function settled(uploadId: string): Promise<string[]> {
  const dir = join(root, 'uploads', uploadId);
  let names = await readdir(dir);
  for (let i = 0; i < 100 && names.some((n) => n.startsWith('.tmp-')); i++) {
    await sleep(50);
    names = await readdir(dir);
  }
  return names;
}

describe('a part write interrupted midway', () => {
  it('leaves no listed part and no temporary file when the connection drops', async () => {
    const { key, uploadId, bytes, signed } = await newPart(4 * MiB, 1);
    const url = new URL(signed.url);
    await new Promise<void>((resolve) => {
      const req = request(url, {
        method: 'PUT',
        headers: { ...signed.headers, 'Content-Length': String(bytes.byteLength) },
      });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      // Half the bytes, then the connection is cut, as when a laptop lid closes.
      req.write(bytes.subarray(0, 2 * MiB), () => setTimeout(() => req.destroy(), 100));
    });
    expect(await settled(uploadId)).toEqual(['upload.json']);
    expect(await store.listParts({ key, uploadId })).toEqual([]);

    // The part can then be sent again in full.
    expect((await putSigned(signed, bytes)).status).toBe(200);
    expect(await store.listParts({ key, uploadId })).toEqual([
      { partNumber: 1, size: bytes.byteLength, etag: md5(bytes).hex },
    ]);
  });

  it('leaves no listed part when the request body stream fails', async () => {
    const { key, uploadId, bytes, signed } = await newPart(1 * MiB, 2);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 512 * 1024));
        setTimeout(() => controller.error(new Error('disk read failed')), 20);
      },
    });
    const response = await store.handle(
      new Request(signed.url, {
        method: 'PUT',
        headers: signed.headers,
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response?.status).toBe(400);
    expect(await response?.text()).toContain('<Code>IncompleteBody</Code>');
    expect(await settled(uploadId)).toEqual(['upload.json']);
    expect(await store.listParts({ key, uploadId })).toEqual([]);
  });

  it('keeps exactly one version of a part sent twice at the same time', async () => {
    const { key, uploadId, signed } = await newPart(100_000, 3);
    const other = bytesOf(100_000, 4);
    const otherSigned = await store.signPart({
      key,
      uploadId,
      partNumber: 1,
      size: other.byteLength,
      contentMd5: md5(other).base64,
      expiresIn: 60,
      context: { baseUrl: server.baseUrl },
    });
    const first = bytesOf(100_000, 3);
    const answers = await Promise.all([putSigned(signed, first), putSigned(otherSigned, other)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const parts = await store.listParts({ key, uploadId });
    expect(parts).toHaveLength(1);
    expect([md5(first).hex, md5(other).hex]).toContain(parts[0]!.etag);
    expect(
      (await readdir(join(root, 'uploads', uploadId))).filter((n) => n.startsWith('part-')),
    ).toHaveLength(1);
  });

  it('refuses a part that arrives after its upload was aborted, leaving nothing behind', async () => {
    const { key, uploadId, bytes, signed } = await newPart(10_000, 5);
    await store.abortUpload({ key, uploadId });
    const answer = await putSigned(signed, bytes);
    expect([answer.status, answer.code]).toEqual([404, 'NoSuchUpload']);
    expect(await readdir(join(root, 'uploads'))).not.toContain(uploadId);
  });
});

/** Uploads `bytes` as a one-part multipart upload of `key` and completes it. */
async function completeOnePart(key: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  const { uploadId } = await store.createUpload({ key, contentType: 'application/octet-stream' });
  const signed = await store.signPart({
    key,
    uploadId,
    partNumber: 1,
    size: bytes.byteLength,
    contentMd5: md5(bytes).base64,
    expiresIn: 60,
    context: { baseUrl: server.baseUrl },
  });
  expect((await putSigned(signed, bytes)).status).toBe(200);
  await store.completeUpload({ key, uploadId, parts: [{ partNumber: 1, etag: md5(bytes).hex }] });
}

/** The files of `key` in objects/, with parts folders' random suffixes masked. */
async function filesOf(key: string): Promise<string[]> {
  const name = encodeKey(key);
  return (await readdir(join(root, 'objects')))
    .filter((n) => n.startsWith(`${name}.`))
    .map((n) => n.replace(/\.parts-[0-9a-f]{16}$/, '.parts-*'))
    .sort();
}

describe('an object stored again under its key', () => {
  it('keeps only the current version on disk, whichever way each version was stored', async () => {
    const key = 'replaced/object.bin';
    await completeOnePart(key, bytesOf(3_000, 20));
    expect(await filesOf(key)).toEqual([`${encodeKey(key)}.json`, `${encodeKey(key)}.parts-*`]);
    await completeOnePart(key, bytesOf(4_000, 21));
    expect(await filesOf(key)).toEqual([`${encodeKey(key)}.json`, `${encodeKey(key)}.parts-*`]);

    const single = bytesOf(5_000, 22);
    const signed = await store.signPut({
      key,
      size: single.byteLength,
      contentMd5: md5(single).base64,
      contentType: 'application/octet-stream',
      expiresIn: 60,
      context: { baseUrl: server.baseUrl },
    });
    expect((await putSigned(signed, single)).status).toBe(200);
    expect(await filesOf(key)).toEqual([`${encodeKey(key)}.data`, `${encodeKey(key)}.json`]);

    const last = bytesOf(6_000, 23);
    await completeOnePart(key, last);
    expect(await filesOf(key)).toEqual([`${encodeKey(key)}.json`, `${encodeKey(key)}.parts-*`]);
    expect(await storedMd5(store, key)).toEqual({ hex: md5(last).hex, size: 6_000 });
    expect(await readdir(join(root, 'trash'))).toEqual([]);
  });
});

describe('leftovers of a crashed run', () => {
  it('are swept for objects too: unfinished completes and parts folders no sidecar names', async () => {
    const key = 'swept/object.bin';
    const bytes = bytesOf(2_000, 30);
    await completeOnePart(key, bytes);
    const objects = join(root, 'objects');
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    const unfinished = join(objects, '.tmp-0000000000000004');
    const orphan = join(objects, `${encodeKey(key)}.parts-0123456789abcdef`);
    for (const folder of [unfinished, orphan]) {
      await mkdir(folder);
      await writeFile(join(folder, '00001'), 'a linked part');
      await utimes(folder, old, old);
    }
    const current = (await readdir(objects)).find(
      (n) => n.includes('.parts-') && !n.endsWith('cdef'),
    );
    await utimes(join(objects, current!), old, old);

    await store.sweep();
    const left = await readdir(objects);
    expect(left).not.toContain('.tmp-0000000000000004');
    expect(left).not.toContain(`${encodeKey(key)}.parts-0123456789abcdef`);
    expect(left).toContain(current);
    expect(await storedMd5(store, key)).toEqual({ hex: md5(bytes).hex, size: 2_000 });
  });

  it('are swept: old temporary files and unfinished deletions go, recent writes and parts stay', async () => {
    const { key, uploadId, bytes, signed } = await newPart(1_000, 6);
    expect((await putSigned(signed, bytes)).status).toBe(200);
    const dir = join(root, 'uploads', uploadId);
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await writeFile(join(dir, '.tmp-0000000000000001'), 'half a part');
    await utimes(join(dir, '.tmp-0000000000000001'), old, old);
    await writeFile(join(dir, '.tmp-0000000000000002'), 'a part being written now');
    await mkdir(join(root, 'objects'), { recursive: true });
    await writeFile(join(root, 'objects', '.tmp-0000000000000003'), 'half an object');
    await utimes(join(root, 'objects', '.tmp-0000000000000003'), old, old);
    await mkdir(join(root, 'trash', `${'f'.repeat(32)}.tmp-1`), { recursive: true });

    await store.sweep();
    expect((await readdir(dir)).sort()).toEqual(
      ['.tmp-0000000000000002', `part-00001-${md5(bytes).hex}`, 'upload.json'].sort(),
    );
    expect(await readdir(join(root, 'objects'))).not.toContain('.tmp-0000000000000003');
    expect(await readdir(join(root, 'trash'))).toEqual([]);
    expect(await store.listParts({ key, uploadId })).toHaveLength(1);
  });
});

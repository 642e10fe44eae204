// The embedded local store's security findings of issue 11, through the real handler called
// in-process (so a request can carry any Host): URLs are never learned from another request.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MiB, type SignedPart } from '../../src/protocol/index.ts';
import { createUploadHandler, type UploadHandler } from '../../src/server/index.ts';
import { createLocalStorage, type LocalStorage } from '../../src/server/storage/index.ts';
import { bytesOf, md5 } from './conformance-http.ts';

const SECRET = 'local-security-test-secret-of-32-characters';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ru-local-security-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function harness(store: LocalStorage) {
  const handler: UploadHandler = createUploadHandler({ storage: store, tokenSecret: SECRET });
  async function post(origin: string, route: string, body: unknown): Promise<Json> {
    const response = await handler(
      new Request(`${origin}/api/upload/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    const json = (await response.json()) as Json;
    if (response.status !== 200) throw new Error(`${route}: ${JSON.stringify(json)}`);
    return json;
  }
  /** A multipart upload of two parts, every call made as if sent to `origin` (its Host header). */
  async function upload(origin: string, name: string): Promise<Json> {
    const bytes = bytesOf(5 * MiB + 10, name.length);
    const created = await post(origin, 'create', {
      fileName: name,
      size: bytes.length,
      contentType: '',
      partSize: 5 * MiB,
    });
    const slices = [bytes.slice(0, 5 * MiB), bytes.slice(5 * MiB)];
    const signed = await post(origin, 'sign-parts', {
      token: created.token,
      parts: slices.map((slice, i) => ({
        partNumber: i + 1,
        size: slice.length,
        contentMd5: md5(slice).base64,
      })),
    });
    const parts = [];
    for (const [i, part] of (signed.parts as SignedPart[]).entries()) {
      const response = await handler(
        new Request(part.url, { method: 'PUT', headers: part.headers, body: slices[i] }),
      );
      expect(response.status).toBe(200);
      parts.push({ partNumber: i + 1, etag: response.headers.get('etag')!.replaceAll('"', '') });
    }
    return post(origin, 'complete', { token: created.token, parts });
  }
  return { handler, post, upload };
}

describe('the local store behind the handler', () => {
  it('answers every complete with a location on its own request, never on a forged Host seen before', async () => {
    const { upload } = harness(createLocalStorage({ root: join(dir, 'host'), secret: SECRET }));
    const forged = await upload('http://attacker.example', 'first.bin');
    expect(forged.location).toMatch(/^http:\/\/attacker\.example\/api\/upload\/_local\/objects\//);
    const honest = await upload('http://127.0.0.1:8080', 'second.bin');
    expect(honest.location).toBe(
      `http://127.0.0.1:8080/api/upload/_local/objects/${encodeURIComponent(honest.key)}`,
    );
  });

  it('uses its configured baseUrl for every location, whatever the request', async () => {
    const store = createLocalStorage({
      root: join(dir, 'configured'),
      secret: SECRET,
      baseUrl: 'https://files.example.com/api/upload/',
    });
    const { upload } = harness(store);
    const done = await upload('http://attacker.example', 'third.bin');
    expect(done.location).toBe(
      `https://files.example.com/api/upload/_local/objects/${encodeURIComponent(done.key)}`,
    );
  });
});

describe('object reads from the local store', () => {
  it('are private by default: the location of a complete needs a signed GET', async () => {
    const store = createLocalStorage({ root: join(dir, 'private'), secret: SECRET });
    const { handler, upload } = harness(store);
    const done = await upload('http://127.0.0.1:8080', 'private.bin');
    const unsigned = await handler(
      new Request(done.location, { headers: { origin: 'http://elsewhere.example' } }),
    );
    expect(unsigned.status).toBe(403);
    const signed = store.signGet({
      key: done.key,
      expiresIn: 60,
      context: { baseUrl: 'http://127.0.0.1:8080/api/upload' },
    });
    const read = await handler(new Request(signed));
    expect(read.status).toBe(200);
    expect(md5(new Uint8Array(await read.arrayBuffer())).hex).toBe(
      md5(bytesOf(5 * MiB + 10, 'private.bin'.length)).hex,
    );
  });
});

describe('abandoned multipart uploads on the local store', () => {
  /** Starts an upload with one stored part; `age` days ago, as its record says. */
  async function started(store: LocalStorage, root: string, key: string, ageDays: number) {
    const { uploadId } = await store.createUpload({ key, contentType: 'text/plain' });
    const part = bytesOf(1_000, key.length);
    const signed = await store.signPart({
      key,
      uploadId,
      partNumber: 1,
      size: part.length,
      contentMd5: md5(part).base64,
      expiresIn: 60,
      context: { baseUrl: 'http://127.0.0.1:8080/api/upload' },
    });
    const put = new Request(signed.url, { method: 'PUT', headers: signed.headers, body: part });
    expect((await store.handle(put))?.status).toBe(200);
    const file = join(root, 'uploads', uploadId, 'upload.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as { initiated: string };
    record.initiated = new Date(Date.now() - ageDays * 86400_000).toISOString();
    await writeFile(file, JSON.stringify(record));
    return uploadId;
  }

  it('sweep() aborts those started longer ago than the upload lifetime, and keeps the others', async () => {
    const root = join(dir, 'abandoned');
    const store = createLocalStorage({ root, secret: SECRET });
    const old = await started(store, root, 'old/a.txt', 8);
    const recent = await started(store, root, 'recent/b.txt', 6);
    expect(await store.listUploads({ prefix: '' })).toHaveLength(2);
    await store.sweep();
    expect(await store.listUploads({ prefix: '' })).toEqual([
      { key: 'recent/b.txt', uploadId: recent },
    ]);
    expect(await readdir(join(root, 'uploads'))).toEqual([recent]);
    expect(await readdir(join(root, 'trash'))).toEqual([]);
    await expect(store.listParts({ key: 'old/a.txt', uploadId: old })).rejects.toMatchObject({
      code: 'NoSuchUpload',
    });
  });

  it('honours uploadLifetime, and a new upload starts the sweep in the background', async () => {
    const root = join(dir, 'lifetime');
    const first = createLocalStorage({ root, secret: SECRET, uploadLifetime: 3600 });
    await started(first, root, 'two-hours/a.txt', 2 / 24);
    // A new store (a restarted server) sweeps when its first upload starts.
    const store = createLocalStorage({ root, secret: SECRET, uploadLifetime: 3600 });
    const { uploadId } = await store.createUpload({ key: 'new/b.txt', contentType: '' });
    await vi.waitFor(
      async () => {
        expect(await store.listUploads({ prefix: '' })).toEqual([{ key: 'new/b.txt', uploadId }]);
      },
      { timeout: 30_000, interval: 50 },
    );
  });

  it('refuses an uploadLifetime that is not a positive number of seconds', () => {
    for (const uploadLifetime of [0, -1, Number.NaN]) {
      expect(() =>
        createLocalStorage({ root: join(dir, 'bad'), secret: SECRET, uploadLifetime }),
      ).toThrow(TypeError);
    }
  });
});

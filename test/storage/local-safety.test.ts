import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalStorage,
  StorageError,
  type LocalStorage,
} from '../../src/server/storage/index.ts';
import { partFields, UrlSigner } from '../../src/server/storage/local-signing.ts';
import { bytesOf, md5, putSigned, serveAdapter, storedMd5 } from './conformance-http.ts';

const SECRET = 'local-safety-secret-0123456789';
let sandbox: string;
let root: string;
let store: LocalStorage;
let server: Awaited<ReturnType<typeof serveAdapter>>;

beforeAll(async () => {
  // The store lives in sandbox/store/root; anything written outside it shows up in sandbox.
  sandbox = await mkdtemp(join(tmpdir(), 'ru-local-safety-'));
  root = join(sandbox, 'store', 'root');
  await mkdir(root, { recursive: true });
  store = createLocalStorage({ root, secret: SECRET });
  server = await serveAdapter(store);
});
afterAll(async () => {
  await server.close();
  await rm(sandbox, { recursive: true, force: true });
});

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const hostileKeys = [
  '../../escaped.txt',
  '../../../../../../../../tmp/escaped.txt',
  '/etc/escaped.txt',
  'a/../../../escaped.txt',
  '..',
  '.',
  'nul\0byte.txt',
  '..\\..\\escaped.txt',
  'right-to-left \u202Etxt.exe',
  'long/'.repeat(500) + 'x'.repeat(3_000),
];

describe('the local store with hostile keys', () => {
  it.each(hostileKeys.map((key) => [JSON.stringify(key).slice(0, 50), key]))(
    'keeps %s inside its root, through multipart and single PUT, and reads it back',
    async (_label, key) => {
      const context = { baseUrl: server.baseUrl };
      const part = bytesOf(3_000, key.length);
      const { uploadId } = await store.createUpload({ key, contentType: 'text/plain' });
      const signed = await store.signPart({
        key,
        uploadId,
        partNumber: 1,
        size: part.byteLength,
        contentMd5: md5(part).base64,
        expiresIn: 60,
        context,
      });
      const answer = await putSigned(signed, part);
      expect(answer.status, answer.body).toBe(200);
      await store.completeUpload({ key, uploadId, parts: [{ partNumber: 1, etag: answer.etag }] });
      expect(await storedMd5(store, key)).toEqual({ hex: md5(part).hex, size: part.byteLength });

      const single = bytesOf(10, 1);
      const put = await store.signPut({
        key: `${key}.single`,
        size: 10,
        contentMd5: md5(single).base64,
        contentType: 'text/plain',
        expiresIn: 60,
        context,
      });
      expect((await putSigned(put, single)).status).toBe(200);
      expect(await storedMd5(store, `${key}.single`)).toEqual({ hex: md5(single).hex, size: 10 });

      // Nothing outside root: the sandbox holds only store/root/...
      for (const file of await allFiles(sandbox)) {
        expect(relative(root, file).startsWith('..'), file).toBe(false);
      }
      expect(await readdir(join(sandbox, 'store'))).toEqual(['root']);
      expect((await store.listObjects({ prefix: key })).map((o) => o.key)).toEqual(
        expect.arrayContaining([key, `${key}.single`]),
      );
    },
  );

  it('lists every hostile key exactly as given', async () => {
    const keys = (await store.listObjects({ prefix: '' })).map((o) => o.key);
    expect(keys.sort()).toEqual(hostileKeys.flatMap((k) => [k, `${k}.single`]).sort());
  });

  it('answers NoSuchUpload for upload ids that are paths, without touching the disk', async () => {
    for (const uploadId of ['../../store', '..', '/etc', `../uploads/${'a'.repeat(32)}`, '']) {
      await expect(store.listParts({ key: 'k', uploadId })).rejects.toMatchObject({
        code: 'NoSuchUpload',
      });
      await expect(store.abortUpload({ key: 'k', uploadId })).rejects.toBeInstanceOf(StorageError);
    }
    // Each PUT is signed with the store's own secret for the hostile id, as a leaked or forged
    // signature would be: only the upload-id check stands between it and the disk.
    const signer = new UrlSigner(SECRET);
    const body = new TextEncoder().encode('x');
    const contentMd5 = md5(body).base64;
    const expires = Math.floor(Date.now() / 1000) + 60;
    for (const pathId of ['..%2F..%2Fstore', '..%2f..', '%2e%2e%2Fstore', 'a'.repeat(31) + '%5C']) {
      const signature = signer.sign(partFields(pathId, 1, 1, contentMd5, expires));
      const response = await fetch(
        `${server.baseUrl}/_local/uploads/${pathId}/1?size=1&expires=${expires}&signature=${signature}`,
        { method: 'PUT', body, headers: { 'content-md5': contentMd5 } },
      );
      expect(response.status, pathId).toBe(404);
      expect(await response.text()).toContain('<Code>NoSuchUpload</Code>');
    }
    expect(await readdir(join(sandbox, 'store'))).toEqual(['root']);
  });

  it('refuses an empty key', async () => {
    await expect(store.createUpload({ key: '', contentType: 'text/plain' })).rejects.toThrow(
      TypeError,
    );
  });
});

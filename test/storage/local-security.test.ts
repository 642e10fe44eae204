// The embedded local store's security findings of issue 11, through the real handler called
// in-process (so a request can carry any Host): URLs are never learned from another request.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, type LocalStorage } from '../../src/server/storage/index.ts';
import { bytesOf, md5, putSigned, serveAdapter } from './conformance-http.ts';

let root: string;
let store: LocalStorage;
let privateStore: LocalStorage;
let server: Awaited<ReturnType<typeof serveAdapter>>;
let privateServer: Awaited<ReturnType<typeof serveAdapter>>;
const origin = 'http://app.example';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ru-local-http-'));
  // A public store (as the demo runs it), and the same files served only through signed GET URLs.
  store = createLocalStorage({ root, secret: 'local-http-secret-0123456789', publicRead: true });
  privateStore = createLocalStorage({ root, secret: 'local-http-secret-0123456789' });
  server = await serveAdapter(store);
  privateServer = await serveAdapter(privateStore);
});
afterAll(async () => {
  await server.close();
  await privateServer.close();
  await rm(root, { recursive: true, force: true });
});

async function signedPart(bytes: Uint8Array, contentMd5 = md5(bytes).base64) {
  const key = `cors/${Math.random()}.bin`;
  const { uploadId } = await store.createUpload({ key, contentType: 'application/octet-stream' });
  const signed = await store.signPart({
    key,
    uploadId,
    partNumber: 1,
    size: bytes.byteLength,
    contentMd5,
    expiresIn: 60,
    context: { baseUrl: server.baseUrl },
  });
  return { key, uploadId, signed };
}

function expectCors(response: Response) {
  expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  expect(response.headers.get('access-control-expose-headers')).toMatch(/\bETag\b/i);
}

describe('the local store over HTTP', () => {
  it('answers a CORS preflight for a part PUT', async () => {
    const { signed } = await signedPart(bytesOf(10, 1));
    const response = await fetch(signed.url, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-md5',
      },
    });
    expect(response.status).toBe(204);
    expectCors(response);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toContain('content-md5');
  });

  it('sends CORS headers and the ETag on success, and on every error with an S3 XML body', async () => {
    const bytes = bytesOf(100, 2);
    const ok = await signedPart(bytes);
    const success = await fetch(ok.signed.url, {
      method: 'PUT',
      headers: { ...ok.signed.headers, Origin: origin },
      body: bytes,
    });
    expect(success.status).toBe(200);
    expectCors(success);
    expect(success.headers.get('etag')).toBe(`"${md5(bytes).hex}"`);
    expect(success.headers.get('connection')).not.toBe('close');

    const wrong = await signedPart(bytes, md5(bytesOf(100, 3)).base64);
    const tampered = await signedPart(bytes);
    const dead = await signedPart(bytes);
    await store.abortUpload({ key: dead.key, uploadId: dead.uploadId });
    const cases = [
      [wrong.signed.url, wrong.signed.headers, 400, 'BadDigest'],
      [
        tampered.signed.url.replace(
          /signature=(.)/,
          (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`,
        ),
        tampered.signed.headers,
        403,
        'SignatureDoesNotMatch',
      ],
      [dead.signed.url, dead.signed.headers, 404, 'NoSuchUpload'],
      [`${server.baseUrl}/_local/uploads/${dead.uploadId}/1`, {}, 403, 'AccessDenied'],
    ] as const;
    for (const [url, headers, status, code] of cases) {
      const response = await fetch(url, {
        method: 'PUT',
        headers: { ...headers, Origin: origin },
        body: bytes,
      });
      expect([response.status, code]).toEqual([status, code]);
      expectCors(response);
      // The body may be unread: the connection closes, and says so, so no client reuses it.
      expect(response.headers.get('connection')).toBe('close');
      expect(response.headers.get('content-type')).toContain('xml');
      expect(await response.text()).toContain(`<Code>${code}</Code>`);
    }
  });

  it('answers * when the request names no origin', async () => {
    const response = await fetch(`${server.baseUrl}/_local/objects/missing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a body longer or shorter than the signed length', async () => {
    const bytes = bytesOf(100, 4);
    const { signed, key, uploadId } = await signedPart(bytes);
    for (const body of [bytesOf(101, 4), bytesOf(99, 4)]) {
      const answer = await putSigned(signed, body);
      expect(answer.status).toBe(403);
    }
    expect(await store.listParts({ key, uploadId })).toEqual([]);
  });

  it('refuses a part number outside 1..10000 before it checks the signature', async () => {
    const bytes = bytesOf(10, 5);
    const { signed } = await signedPart(bytes);
    const url = (number: string) => signed.url.replace(/\/1\?/, `/${number}?`);
    for (const number of ['0', '10001', '1e3', '01']) {
      const answer = await putSigned({ ...signed, url: url(number) }, bytes);
      expect([answer.status, answer.code], number).toEqual([400, 'InvalidArgument']);
      expect(answer.body).toContain('between 1 and 10000');
    }
    // In range, the number is signed: part 1's signature does not sign part 10000.
    const last = await putSigned({ ...signed, url: url('10000') }, bytes);
    expect([last.status, last.code]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('leaves other requests to the handler', async () => {
    expect(
      await store.handle(new Request(`${server.baseUrl}/create`, { method: 'POST' })),
    ).toBeNull();
    expect(await store.handle(new Request('http://x/_localx/uploads/1'))).toBeNull();
  });

  it('serves a stored object by key, as a download that cannot run as a page', async () => {
    const bytes = new TextEncoder().encode('<script>alert(1)</script>');
    const key = 'shown/page one.html';
    const put = await store.signPut({
      key,
      size: bytes.byteLength,
      contentMd5: md5(bytes).base64,
      contentType: 'text/html',
      expiresIn: 60,
      context: { baseUrl: server.baseUrl },
    });
    expect((await putSigned(put, bytes)).status).toBe(200);
    const response = await fetch(`${server.baseUrl}/_local/objects/${encodeURIComponent(key)}`, {
      headers: { Origin: origin },
    });
    expect(response.status).toBe(200);
    expectCors(response);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('etag')).toBe(`"${md5(bytes).hex}"`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);

    const head = await fetch(`${server.baseUrl}/_local/objects/${encodeURIComponent(key)}`, {
      method: 'HEAD',
    });
    expect([head.status, head.headers.get('content-length')]).toEqual([
      200,
      String(bytes.byteLength),
    ]);
  });

  it('serves objects of a private store only through an unexpired signed GET URL', async () => {
    const key = 'shown/page one.html';
    const unsigned = await fetch(
      `${privateServer.baseUrl}/_local/objects/${encodeURIComponent(key)}`,
    );
    expect(unsigned.status).toBe(403);
    const url = privateStore.signGet({
      key,
      expiresIn: 60,
      context: { baseUrl: privateServer.baseUrl },
    });
    expect((await fetch(url)).status).toBe(200);
    const forged = url.replace(/shown/, 'other');
    expect((await fetch(forged)).status).toBe(403);
  });
});

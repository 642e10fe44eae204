import { afterEach, describe, expect, it, vi } from 'vitest';
import { MiB, TiB } from '../../src/protocol/index.ts';
import { createUploadHandler, HandlerError, StorageError } from '../../src/server/index.ts';
import type { UploadHandlerOptions } from '../../src/server/options.ts';
import { FakeStorage, md5Base64 } from './server-fake-storage.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const BASE = 'http://127.0.0.1:8080/api/upload';
const MD5 = md5Base64(new Uint8Array(0));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup(options: Partial<UploadHandlerOptions> = {}) {
  const storage = new FakeStorage();
  const handler = createUploadHandler({ storage, tokenSecret: SECRET, ...options });
  async function post(route: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await handler(
      new Request(`${BASE}/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Json,
    };
  }
  async function create(body: Json = {}) {
    const res = await post('create', {
      fileName: 'a.bin',
      size: 20_000_000,
      contentType: 'application/octet-stream',
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  return { storage, handler, post, create };
}

function expectError(res: { status: number; body: Json }, code: string, status: number) {
  expect(res.body.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(res.status).toBe(status);
  expect(typeof res.body.error.message).toBe('string');
}

afterEach(() => vi.restoreAllMocks());

describe('create', () => {
  it('starts a multipart upload with a server-chosen key and the default plan', async () => {
    const { storage, create } = setup();
    const res = await create({ fileName: '../../etc/passwd', metadata: { album: 'x' } });
    expect(res).toMatchObject({
      mode: 'multipart',
      bucket: 'fake',
      partSize: 8 * MiB,
      partCount: 3,
    });
    expect(res.key).toMatch(/^uploads\/[0-9a-f]{32}\/_.._etc_passwd$/);
    expect(res.uploadId).toBe('up-1');
    expect(res.tokenExpiresAt).toBeGreaterThan(Date.now() + 6 * 86400_000);
    expect(storage.calls[0]).toEqual({
      method: 'createUpload',
      input: { key: res.key, contentType: 'application/octet-stream', metadata: { album: 'x' } },
    });
  });

  it('accepts the browser part size within limits and grows it for huge files', async () => {
    const { create } = setup();
    expect((await create({ partSize: 16 * MiB })).partSize).toBe(16 * MiB);
    const huge = await create({ size: 200 * 1024 * MiB, partSize: 5 * MiB });
    expect(huge.partCount).toBeLessThanOrEqual(10_000);
    expect(huge.partSize * huge.partCount).toBeGreaterThanOrEqual(200 * 1024 * MiB);
  });

  it('uses single mode for a file that fits in one part, with the PUT signed when the MD5 is given', async () => {
    const { storage, create } = setup();
    const res = await create({ size: 5, contentMd5: MD5, contentType: 'text/plain' });
    expect(res).toMatchObject({ mode: 'single', uploadId: '', partCount: 1 });
    expect(res.put).toMatchObject({ partNumber: 1, method: 'PUT' });
    expect(res.put.headers['Content-MD5']).toBe(MD5);
    expect(storage.calls.map((c) => c.method)).toEqual(['signPut']);
    // The PUT goes to the upload's own staging key beside the key, never to the key itself.
    const folder = res.key.slice(0, res.key.lastIndexOf('/') + 1);
    expect(storage.calls[0]!.input).toMatchObject({ size: 5, contentType: 'text/plain' });
    expect((storage.calls[0]!.input as Json).key).toMatch(
      new RegExp(`^${folder}\\.upload-[0-9a-f]{32}$`),
    );
  });

  it('signs part 1 of a multipart upload with create when the browser sends its first part as planned', async () => {
    const { storage, create } = setup();
    const res = await create({ firstPart: { size: 8 * MiB, contentMd5: MD5 } });
    expect(res).toMatchObject({ mode: 'multipart', partSize: 8 * MiB });
    expect(res.put).toMatchObject({ partNumber: 1, method: 'PUT' });
    expect(res.put.headers['Content-MD5']).toBe(MD5);
    expect(storage.calls.map((c) => c.method)).toEqual(['createUpload', 'signPart']);
    expect(storage.calls[1]!.input).toMatchObject({
      key: res.key,
      uploadId: res.uploadId,
      partNumber: 1,
      size: 8 * MiB,
      contentMd5: MD5,
    });
    // The server grew the part size (a huge file): the browser's first part is not part 1, nothing is signed.
    const grown = await create({
      size: 200 * 1024 * MiB,
      partSize: 5 * MiB,
      firstPart: { size: 5 * MiB, contentMd5: MD5 },
    });
    expect(grown.partSize).toBeGreaterThan(5 * MiB);
    expect(grown.put).toBeUndefined();
  });

  it('refuses a malformed first-part MD5 with invalid-digest, before starting anything', async () => {
    const { post, storage } = setup();
    const res = await post('create', {
      fileName: 'a',
      size: 20_000_000,
      contentType: '',
      firstPart: { size: 8 * MiB, contentMd5: 'abc' },
    });
    expectError(res, 'invalid-digest', 400);
    expect(storage.calls).toEqual([]);
  });

  it('treats a 0-byte file as a single empty part', async () => {
    const { create } = setup();
    const res = await create({ size: 0, contentType: '' });
    expect(res).toMatchObject({ mode: 'single', partCount: 1 });
    expect(res.put).toBeUndefined();
  });

  it('uses the custom key function with the sanitized name and the principal', async () => {
    const key = vi.fn(
      ({ fileName, principal }: { fileName: string; principal: string }) =>
        `u/${principal}/${fileName}`,
    );
    const { create } = setup({ key, authorize: () => 'alice' });
    expect((await create({ fileName: 'a\u202Eb.txt' })).key).toBe('u/alice/ab.txt');
  });

  it('answers 500 internal when a custom key function returns an unsafe key', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { post, storage } = setup({ key: () => '../outside' });
    const res = await post('create', { fileName: 'a', size: 1, contentType: '' });
    expectError(res, 'internal', 500);
    expect(storage.writes()).toEqual([]);
  });

  it.each<[string, Json]>([
    ['a missing fileName', { fileName: undefined }],
    ['a numeric fileName', { fileName: 42 }],
    ['a negative size', { size: -1 }],
    ['a fractional size', { size: 1.5 }],
    ['a size given as a string', { size: '10' }],
    ['a missing size', { size: undefined }],
    ['a non-integer partSize', { partSize: 5 * MiB + 0.5 }],
    ['a contentType that is not a MIME type', { contentType: 'not a type' }],
    ['metadata with a bad name', { metadata: { 'a b': 'x' } }],
    ['metadata with a non-ASCII value', { metadata: { a: 'é' } }],
    ['metadata over 2 KB', { metadata: { a: 'x'.repeat(3000) } }],
    ['a callback without target', { callback: {} }],
  ])('refuses %s with invalid-request', async (_name, patch) => {
    const { post, storage } = setup();
    const body = { fileName: 'a.bin', size: 10, contentType: 'text/plain', ...patch };
    expectError(await post('create', body), 'invalid-request', 400);
    expect(storage.writes()).toEqual([]);
  });

  it('refuses an empty file name with invalid-file-name', async () => {
    const { post } = setup();
    expectError(
      await post('create', { fileName: '', size: 1, contentType: '' }),
      'invalid-file-name',
      400,
    );
    expectError(
      await post('create', { fileName: '  ', size: 1, contentType: '' }),
      'invalid-file-name',
      400,
    );
  });

  it('refuses sizes over the configured limit and over 5 TiB with file-too-large', async () => {
    const limited = setup({ maxFileSize: 1000 });
    expectError(
      await limited.post('create', { fileName: 'a', size: 1001, contentType: '' }),
      'file-too-large',
      413,
    );
    const { post } = setup();
    expectError(
      await post('create', { fileName: 'a', size: 5 * TiB + 1, contentType: '' }),
      'file-too-large',
      413,
    );
    expectError(
      await post('create', { fileName: 'a', size: 1e300, contentType: '' }),
      'file-too-large',
      413,
    );
  });

  it('refuses part sizes outside 5 MiB..5 GiB with invalid-part-size', async () => {
    const { post } = setup();
    const body = { fileName: 'a', size: 100 * MiB, contentType: '' };
    expectError(await post('create', { ...body, partSize: 4 * MiB }), 'invalid-part-size', 400);
    expectError(
      await post('create', { ...body, partSize: 6 * 1024 * MiB }),
      'invalid-part-size',
      400,
    );
    expectError(await post('create', { ...body, partSize: -1 }), 'invalid-part-size', 400);
  });

  it('refuses content types outside the allowed list, wildcards included', async () => {
    const { post } = setup({ allowedContentTypes: ['image/*', 'application/pdf'] });
    const body = { fileName: 'a', size: 10 };
    expect((await post('create', { ...body, contentType: 'image/png' })).status).toBe(200);
    expect((await post('create', { ...body, contentType: 'application/pdf; x=1' })).status).toBe(
      200,
    );
    expectError(
      await post('create', { ...body, contentType: 'text/html' }),
      'content-type-not-allowed',
      415,
    );
    expectError(
      await post('create', { ...body, contentType: '' }),
      'content-type-not-allowed',
      415,
    );
  });

  it('refuses a malformed contentMd5 with invalid-digest', async () => {
    const { post } = setup();
    for (const contentMd5 of ['abc', 'not base64 at all!!!!!==', `${MD5.slice(0, 21)}B==`]) {
      expectError(
        await post('create', { fileName: 'a', size: 1, contentType: '', contentMd5 }),
        'invalid-digest',
        400,
      );
    }
  });

  it('refuses a callback target when none is configured', async () => {
    const { post } = setup();
    const res = await post('create', {
      fileName: 'a',
      size: 1,
      contentType: '',
      callback: { target: 'app' },
    });
    expectError(res, 'unknown-callback-target', 400);
  });
});

describe('request bodies and routes', () => {
  it('refuses a body that is not JSON with invalid-json', async () => {
    const { post } = setup();
    expectError(await post('create', '{"fileName":'), 'invalid-json', 400);
    expectError(await post('create', ''), 'invalid-json', 400);
  });

  it('refuses a JSON value that is not an object with invalid-request', async () => {
    const { post } = setup();
    expectError(await post('create', '[1,2]'), 'invalid-request', 400);
    expectError(await post('create', 'null'), 'invalid-request', 400);
  });

  it('refuses a body without the JSON content type', async () => {
    const { post } = setup();
    expectError(
      await post('create', '{}', { 'content-type': 'text/plain' }),
      'invalid-request',
      400,
    );
  });

  it('refuses bodies over the limit with payload-too-large, declared or streamed', async () => {
    const { post, handler } = setup({ maxBodySize: 1024 });
    expectError(
      await post('create', { fileName: 'x'.repeat(2000), size: 1, contentType: '' }),
      'payload-too-large',
      413,
    );
    const stream = new Blob(['{"a":"', 'x'.repeat(5000), '"}']).stream();
    const res = await handler(
      new Request(`${BASE}/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error.code).toBe('payload-too-large');
  });

  it('answers unknown routes with not-found and other methods with method-not-allowed', async () => {
    const { handler, post } = setup();
    expectError(await post('nope', {}), 'not-found', 404);
    const outside = await handler(new Request('http://127.0.0.1:8080/elsewhere'));
    expect(outside.status).toBe(404);
    const get = await handler(new Request(`${BASE}/create`));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect(((await get.json()) as Json).error.code).toBe('method-not-allowed');
  });

  it('lets the storage adapter answer its own URLs first', async () => {
    const storage = new FakeStorage();
    const handle = vi.fn(async (request: Request) =>
      new URL(request.url).pathname.includes('/_fake/')
        ? new Response('mine', { status: 201 })
        : null,
    );
    const handler = createUploadHandler({
      storage: Object.assign(storage, { handle }),
      tokenSecret: SECRET,
    });
    const res = await handler(new Request(`${BASE}/_fake/up-1/1`, { method: 'PUT', body: 'x' }));
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('mine');
    expect((await handler(new Request(`${BASE}/create`))).status).toBe(405);
  });

  it('builds signing URLs from publicUrl when given, else from the request', async () => {
    const behindProxy = setup({ publicUrl: 'https://files.example/app/' });
    const { token } = await behindProxy.create();
    await behindProxy.post('sign-parts', {
      token,
      parts: [{ partNumber: 1, size: 8 * MiB, contentMd5: MD5 }],
    });
    expect(behindProxy.storage.calls.at(-1)!.input).toMatchObject({
      context: { baseUrl: 'https://files.example/app/api/upload' },
    });
    const direct = setup();
    const second = await direct.create();
    await direct.post('sign-parts', {
      token: second.token,
      parts: [{ partNumber: 1, size: 8 * MiB, contentMd5: MD5 }],
    });
    expect(direct.storage.calls.at(-1)!.input).toMatchObject({ context: { baseUrl: BASE } });
  });
});

describe('authorize', () => {
  it('answers 401 unauthorized when the hook returns null', async () => {
    const { post, storage } = setup({ authorize: () => null });
    expectError(
      await post('create', { fileName: 'a', size: 1, contentType: '' }),
      'unauthorized',
      401,
    );
    expect(storage.calls).toEqual([]);
  });

  it('answers 403 forbidden when the hook throws HandlerError(forbidden)', async () => {
    const { post } = setup({
      authorize: () => {
        throw new HandlerError('forbidden', 'not in the uploaders group');
      },
    });
    const res = await post('create', { fileName: 'a', size: 1, contentType: '' });
    expectError(res, 'forbidden', 403);
    expect(res.body.error.message).toBe('not in the uploaders group');
  });

  it('answers 500 internal with a generic message when the hook crashes', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { post } = setup({
      authorize: () => {
        throw new Error('database password is hunter2');
      },
    });
    const res = await post('create', { fileName: 'a', size: 1, contentType: '' });
    expectError(res, 'internal', 500);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(log).toHaveBeenCalled();
  });
});

describe('sign-parts', () => {
  it('signs parts whose sizes follow the plan, the last one the remainder', async () => {
    const { post, create } = setup();
    const { token } = await create();
    const parts = [
      { partNumber: 1, size: 8 * MiB, contentMd5: MD5 },
      { partNumber: 3, size: 20_000_000 - 16 * MiB, contentMd5: MD5 },
    ];
    const res = await post('sign-parts', { token, parts });
    expect(res.status).toBe(200);
    expect(res.body.parts.map((p: Json) => p.partNumber)).toEqual([1, 3]);
    expect(res.body.parts[0].headers['Content-MD5']).toBe(MD5);
  });

  it('refuses part numbers outside the plan with part-number-out-of-range', async () => {
    const { post, create, storage } = setup();
    const { token } = await create();
    for (const partNumber of [0, 4, 10_001, -1]) {
      const res = await post('sign-parts', {
        token,
        parts: [{ partNumber, size: 8 * MiB, contentMd5: MD5 }],
      });
      expectError(res, 'part-number-out-of-range', 400);
    }
    expect(storage.calls.filter((c) => c.method === 'signPart')).toEqual([]);
  });

  it('refuses sizes that differ from the plan with part-size-mismatch', async () => {
    const { post, create } = setup();
    const { token } = await create();
    for (const part of [
      { partNumber: 1, size: 8 * MiB - 1 },
      { partNumber: 2, size: 5 * MiB },
      { partNumber: 3, size: 8 * MiB },
    ]) {
      expectError(
        await post('sign-parts', { token, parts: [{ ...part, contentMd5: MD5 }] }),
        'part-size-mismatch',
        400,
      );
    }
  });

  it('refuses a malformed Content-MD5 with invalid-digest, signing nothing of the batch', async () => {
    const { post, create, storage } = setup();
    const { token } = await create();
    const parts = [
      { partNumber: 1, size: 8 * MiB, contentMd5: MD5 },
      { partNumber: 2, size: 8 * MiB, contentMd5: 'ZZZ' },
    ];
    expectError(await post('sign-parts', { token, parts }), 'invalid-digest', 400);
    expect(storage.calls.filter((c) => c.method === 'signPart')).toEqual([]);
  });

  it('refuses an empty batch or one over 100 parts with invalid-request', async () => {
    const { post, create } = setup();
    const { token } = await create({ size: 2000 * MiB });
    expectError(await post('sign-parts', { token, parts: [] }), 'invalid-request', 400);
    const many = Array.from({ length: 101 }, (_, i) => ({
      partNumber: i + 1,
      size: 8 * MiB,
      contentMd5: MD5,
    }));
    expectError(await post('sign-parts', { token, parts: many }), 'invalid-request', 400);
  });

  it('signs the whole object through signPut in single mode', async () => {
    const { post, create, storage } = setup();
    const { token } = await create({ size: 3, contentType: 'text/plain', metadata: { a: 'b' } });
    const res = await post('sign-parts', {
      token,
      parts: [{ partNumber: 1, size: 3, contentMd5: MD5 }],
    });
    expect(res.body.parts[0]).toMatchObject({ partNumber: 1, method: 'PUT' });
    expect(storage.calls.at(-1)).toMatchObject({
      method: 'signPut',
      input: { size: 3, contentType: 'text/plain', metadata: { a: 'b' }, contentMd5: MD5 },
    });
    expectError(
      await post('sign-parts', { token, parts: [{ partNumber: 2, size: 3, contentMd5: MD5 }] }),
      'part-number-out-of-range',
      400,
    );
    expectError(
      await post('sign-parts', { token, parts: [{ partNumber: 1, size: 4, contentMd5: MD5 }] }),
      'part-size-mismatch',
      400,
    );
  });
});

describe('upload token', () => {
  it('refuses forged, altered, expired and other users\u2019 tokens with 403, touching nothing', async () => {
    const now = Date.now();
    let user = 'alice';
    const { post, create, storage } = setup({ authorize: () => user });
    const { token } = await create();
    const forged = await setup({ tokenSecret: 'x'.repeat(40) }).create();
    const [body, mac] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Json;
    const altered = `${Buffer.from(JSON.stringify({ ...payload, key: 'uploads/other' })).toString('base64url')}.${mac}`;
    storage.calls.length = 0;

    const sign = (t: string) =>
      post('sign-parts', { token: t, parts: [{ partNumber: 1, size: 8 * MiB, contentMd5: MD5 }] });
    const complete = (t: string) =>
      post('complete', { token: t, parts: [{ partNumber: 1, etag: 'e' }] });
    for (const bad of [forged.token, altered, `${token}x`, 'garbage']) {
      expectError(await sign(bad), 'invalid-token', 403);
      expectError(await complete(bad), 'invalid-token', 403);
      expectError(await post('abort', { token: bad }), 'invalid-token', 403);
      expectError(await post('list-parts', { token: bad }), 'invalid-token', 403);
    }
    user = 'mallory';
    expectError(await sign(token), 'invalid-token', 403);
    expectError(await post('abort', { token }), 'invalid-token', 403);
    user = 'alice';
    vi.useFakeTimers({ now: now + 8 * 86400_000, toFake: ['Date'] });
    try {
      const expired = await sign(token);
      expectError(expired, 'invalid-token', 403);
      expect(expired.body.error.message).toMatch(/expired/);
    } finally {
      vi.useRealTimers();
    }
    expect(storage.calls).toEqual([]);
    expect(storage.uploads.size).toBe(1);
  });
});

describe('large malformed bodies', () => {
  const malformed = Array.from({ length: 10_000 }, () => ({ partNumber: 'one', etag: 7 }));

  it('checks the token before validating 10,000 malformed parts', async () => {
    const { post, storage } = setup();
    const res = await post('complete', { token: 'not.a-token', parts: malformed });
    expectError(res, 'invalid-token', 403);
    expect(storage.calls).toEqual([]);
  });

  it('answers at most 20 validation details, the message counting them all', async () => {
    const { post, create } = setup();
    const { token } = await create();
    const response = await post('complete', { token, parts: malformed });
    expectError(response, 'invalid-request', 400);
    expect(response.body.error.details).toHaveLength(20);
    expect(response.body.error.message).toBe(
      'parts.0.partNumber: Invalid input: expected number, received string (20000 problems in all)',
    );
    expect(JSON.stringify(response.body).length).toBeLessThan(5_000);
  });
});

describe('list-parts, complete and abort', () => {
  const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

  it('completes a multipart upload and answers the stored object', async () => {
    const { post, create, storage } = setup();
    const up = await create({ size: 10 * MiB, partSize: 5 * MiB });
    const e1 = storage.putPart(up.uploadId, 1, bytes(5 * MiB, 1));
    const e2 = storage.putPart(up.uploadId, 2, bytes(5 * MiB, 2));
    const listed = await post('list-parts', { token: up.token });
    expect(listed.body.parts).toEqual([
      { partNumber: 1, size: 5 * MiB, etag: e1 },
      { partNumber: 2, size: 5 * MiB, etag: e2 },
    ]);
    const res = await post('complete', {
      token: up.token,
      parts: [
        { partNumber: 1, etag: `"${e1}"` },
        { partNumber: 2, etag: e2 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      bucket: 'fake',
      key: up.key,
      size: 10 * MiB,
      location: `https://fake.example/${up.key}`,
    });
    expect(res.body.etag).toMatch(/^[0-9a-f]{32}-2$/);
    // The upload is gone from the store: a second complete is 404.
    expectError(
      await post('complete', {
        token: up.token,
        parts: [
          { partNumber: 1, etag: e1 },
          { partNumber: 2, etag: e2 },
        ],
      }),
      'no-such-upload',
      404,
    );
  });

  it('refuses incomplete, unordered or out-of-range lists before the store sees them', async () => {
    const { post, create, storage } = setup();
    const up = await create({ size: 10 * MiB, partSize: 5 * MiB });
    storage.calls.length = 0;
    expectError(
      await post('complete', { token: up.token, parts: [{ partNumber: 1, etag: 'a' }] }),
      'invalid-part',
      400,
    );
    expectError(
      await post('complete', {
        token: up.token,
        parts: [
          { partNumber: 2, etag: 'a' },
          { partNumber: 1, etag: 'b' },
        ],
      }),
      'invalid-part-order',
      400,
    );
    expectError(
      await post('complete', {
        token: up.token,
        parts: [
          { partNumber: 1, etag: 'a' },
          { partNumber: 1, etag: 'b' },
        ],
      }),
      'invalid-part-order',
      400,
    );
    expectError(
      await post('complete', {
        token: up.token,
        parts: [
          { partNumber: 1, etag: 'a' },
          { partNumber: 3, etag: 'b' },
        ],
      }),
      'part-number-out-of-range',
      400,
    );
    expectError(await post('complete', { token: up.token, parts: [] }), 'invalid-request', 400);
    expect(storage.calls).toEqual([]);
  });

  it('maps the store InvalidPart (wrong ETag) to invalid-part', async () => {
    const { post, create, storage } = setup();
    const up = await create({ size: 10 * MiB, partSize: 5 * MiB });
    const e1 = storage.putPart(up.uploadId, 1, bytes(5 * MiB, 1));
    storage.putPart(up.uploadId, 2, bytes(5 * MiB, 2));
    const res = await post('complete', {
      token: up.token,
      parts: [
        { partNumber: 1, etag: e1 },
        { partNumber: 2, etag: e1 },
      ],
    });
    expectError(res, 'invalid-part', 400);
  });

  it('refuses a multipart object whose size differs from the declared size, keeping it', async () => {
    const { post, create, storage } = setup();
    const up = await create({ size: 10 * MiB, partSize: 5 * MiB });
    const e1 = storage.putPart(up.uploadId, 1, bytes(5 * MiB, 1));
    const e2 = storage.putPart(up.uploadId, 2, bytes(1, 2));
    const res = await post('complete', {
      token: up.token,
      parts: [
        { partNumber: 1, etag: e1 },
        { partNumber: 2, etag: e2 },
      ],
    });
    expectError(res, 'part-size-mismatch', 400);
    expect(storage.objects.has(up.key)).toBe(true);
  });

  it('completes a single-mode upload after its PUT, checking size and ETag', async () => {
    const { post, create, storage } = setup();
    const up = await create({ size: 4, contentType: 'text/plain' });
    expect((await post('list-parts', { token: up.token })).body.parts).toEqual([]);
    expectError(
      await post('complete', { token: up.token, parts: [{ partNumber: 1, etag: 'x' }] }),
      'invalid-part',
      400,
    );
    const etag = storage.putSingle(up.token, new TextEncoder().encode('abcd'), 'text/plain');
    expect((await post('list-parts', { token: up.token })).body.parts).toEqual([
      { partNumber: 1, size: 4, etag },
    ]);
    expectError(
      await post('complete', { token: up.token, parts: [{ partNumber: 1, etag: '0'.repeat(32) }] }),
      'invalid-part',
      400,
    );
    const res = await post('complete', {
      token: up.token,
      parts: [{ partNumber: 1, etag: `"${etag}"` }],
    });
    expect(res.body).toEqual({
      bucket: 'fake',
      key: up.key,
      etag,
      size: 4,
      location: `https://fake.example/${encodeURIComponent(up.key)}`,
      contentType: 'text/plain',
    });
  });

  it('refuses a single-mode object of another size with part-size-mismatch', async () => {
    const { post, create, storage } = setup();
    const up = await create({ size: 4 });
    const etag = storage.putSingle(up.token, new Uint8Array(3));
    expectError(
      await post('complete', { token: up.token, parts: [{ partNumber: 1, etag }] }),
      'part-size-mismatch',
      400,
    );
  });

  it('aborts a multipart upload; the upload is unknown afterwards', async () => {
    const { post, create, storage } = setup();
    const up = await create();
    const res = await post('abort', { token: up.token });
    expect(res).toMatchObject({ status: 200, body: { aborted: true } });
    expect(storage.uploads.size).toBe(0);
    expectError(await post('list-parts', { token: up.token }), 'no-such-upload', 404);
    expectError(await post('abort', { token: up.token }), 'no-such-upload', 404);
  });

  it('aborts in single mode by deleting the staged PUT only, never the key', async () => {
    const { post, create, storage } = setup();
    const up = await create({ size: 1 });
    storage.putSingle(up.token, new Uint8Array(1));
    expect((await post('abort', { token: up.token })).body).toEqual({ aborted: true });
    const written = storage.writes();
    expect(written.map((c) => c.method)).toEqual(['deleteObject']);
    expect((written[0]!.input as Json).key).not.toBe(up.key);
    expect(storage.objects.size).toBe(0);
  });
});

describe('store errors', () => {
  it.each<[string, StorageError | Error, string, number]>([
    ['SlowDown', new StorageError('SlowDown', 'slow', 503), 'store-unavailable', 503],
    [
      'ServiceUnavailable',
      new StorageError('ServiceUnavailable', 'down', 503),
      'store-unavailable',
      503,
    ],
    ['an unknown 5xx', new StorageError('Internal', 'boom', 502), 'store-unavailable', 503],
    ['EntityTooSmall', new StorageError('EntityTooSmall', 'small', 400), 'entity-too-small', 400],
    [
      'InvalidPartOrder',
      new StorageError('InvalidPartOrder', 'order', 400),
      'invalid-part-order',
      400,
    ],
    ['BadDigest', new StorageError('BadDigest', 'digest', 400), 'bad-digest', 400],
    ['InvalidDigest', new StorageError('InvalidDigest', 'digest', 400), 'invalid-digest', 400],
    ['NoSuchKey', new StorageError('NoSuchKey', 'key', 404), 'no-such-upload', 404],
    ['AccessDenied', new StorageError('AccessDenied', 'creds', 403), 'internal', 500],
    ['a plain Error', new Error('socket hang up'), 'internal', 500],
  ])('maps %s', async (_name, error, code, status) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { post, create, storage } = setup();
    const up = await create({ size: 10 * MiB, partSize: 5 * MiB });
    storage.failNext.completeUpload = error;
    const res = await post('complete', {
      token: up.token,
      parts: [
        { partNumber: 1, etag: 'a' },
        { partNumber: 2, etag: 'b' },
      ],
    });
    expectError(res, code, status);
    if (code === 'internal') expect(res.body.error.message).toBe('internal error');
  });
});

describe('CORS', () => {
  const origin = 'https://app.example';

  it('answers preflights for allowed origins', async () => {
    const { handler } = setup({ cors: [origin] });
    const res = await handler(
      new Request(`${BASE}/create`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
  });

  it('puts CORS headers on errors too, and none for other origins', async () => {
    const { post } = setup({ cors: [origin] });
    const error = await post('create', 'nope', { origin });
    expectError(error, 'invalid-json', 400);
    expect(error.headers.get('access-control-allow-origin')).toBe(origin);
    expect(error.headers.get('vary')).toContain('Origin');
    const missing = await post('nope', {}, { origin });
    expect(missing.headers.get('access-control-allow-origin')).toBe(origin);
    const other = await post('create', 'nope', { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers any origin with * when configured so', async () => {
    const { post } = setup({ cors: '*' });
    const res = await post(
      'create',
      { fileName: 'a', size: 1, contentType: '' },
      { origin: 'https://x.example' },
    );
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

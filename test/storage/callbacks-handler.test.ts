// Callbacks through the real upload handler, on the embedded local store and on Swift s3api:
// the complete call carries the application's answer, and a failed callback never loses the object.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyCallback, type CallbackConfig } from '../../src/server/callbacks/index.ts';
import { MAX_RESPONSE_BYTES } from '../../src/server/callbacks/send.ts';
import {
  createUploadHandler,
  MIN_PART_SIZE,
  type CompleteUploadResponse,
  type CreateUploadResponse,
  type SignedPart,
  type StorageAdapter,
  type UploadHandler,
} from '../../src/server/index.ts';
import { createLocalStorage, createS3Storage } from '../../src/server/storage/index.ts';
import {
  asRequest,
  closedPortUrl,
  startReceiver,
  type Receiver,
} from '../support/callback-receiver.ts';
import { storedMd5 } from './handler-support.ts';

const TOKEN_SECRET = 'handler-token-secret-of-32-characters!!';
const CALLBACK_SECRET = 'callback-secret-0123456789';
const ORIGIN = 'http://127.0.0.1:9';

interface Store {
  storage: StorageAdapter;
  /** Sends a signed PUT: to the handler for the local store, over the network for Swift. */
  put(handler: UploadHandler, part: SignedPart, bytes: Uint8Array<ArrayBuffer>): Promise<Response>;
  close(): Promise<void>;
}

const stores: Record<string, () => Promise<Store>> = {
  'local store': async () => {
    const root = await mkdtemp(join(tmpdir(), 'ru-callbacks-'));
    return {
      storage: createLocalStorage({ root, secret: 'local-store-secret-0123456789' }),
      put: (handler, part, bytes) =>
        handler(new Request(part.url, { method: 'PUT', headers: part.headers, body: bytes })),
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
  'Swift s3api': async () => {
    const s3 = inject('s3');
    return {
      storage: createS3Storage({
        endpoint: s3.endpoint,
        region: s3.region,
        bucket: s3.bucket,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      }),
      put: (_handler, part, bytes) =>
        fetch(part.url, { method: 'PUT', headers: part.headers, body: bytes }),
      close: async () => {},
    };
  },
};

function md5(bytes: Uint8Array, encoding: 'hex' | 'base64'): string {
  return createHash('md5').update(bytes).digest(encoding);
}

function bytesOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 31 + seed) & 255;
  return bytes;
}

async function call<T>(handler: UploadHandler, route: string, body: unknown) {
  const response = await handler(
    new Request(`${ORIGIN}/api/upload/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: (await response.json()) as T };
}

/** One upload as the engine does it: create, sign, PUT every part, complete. */
async function upload(
  handler: UploadHandler,
  store: Store,
  bytes: Uint8Array<ArrayBuffer>,
  callback: { target: string; vars?: Record<string, string> },
): Promise<{ created: CreateUploadResponse; done: CompleteUploadResponse }> {
  const single = bytes.length <= MIN_PART_SIZE;
  const created = await call<CreateUploadResponse>(handler, 'create', {
    fileName: 'holiday photo.jpg',
    size: bytes.length,
    contentType: 'image/jpeg',
    partSize: MIN_PART_SIZE,
    ...(single ? { contentMd5: md5(bytes, 'base64') } : {}),
    callback,
  });
  expect(created.status).toBe(200);
  const plan = created.body;
  const slices = Array.from({ length: plan.partCount }, (_, i) =>
    bytes.subarray(i * plan.partSize, Math.min(bytes.length, (i + 1) * plan.partSize)),
  );
  let signed: SignedPart[];
  if (plan.mode === 'single') {
    signed = [plan.put!];
  } else {
    const parts = slices.map((slice, i) => ({
      partNumber: i + 1,
      size: slice.length,
      contentMd5: md5(slice, 'base64'),
    }));
    const answer = await call<{ parts: SignedPart[] }>(handler, 'sign-parts', {
      token: plan.token,
      parts,
    });
    expect(answer.status).toBe(200);
    signed = answer.body.parts;
  }
  const etags: { partNumber: number; etag: string }[] = [];
  for (const part of signed) {
    const response = await store.put(handler, part, slices[part.partNumber - 1]!);
    expect(response.status).toBe(200);
    etags.push({
      partNumber: part.partNumber,
      etag: response.headers.get('etag')!.replace(/"/g, ''),
    });
  }
  const done = await call<CompleteUploadResponse>(handler, 'complete', {
    token: plan.token,
    parts: etags,
  });
  expect(done.status).toBe(200);
  return { created: plan, done: done.body };
}

for (const [storeName, makeStore] of Object.entries(stores)) {
  describe(`callbacks through the handler on the ${storeName}`, () => {
    let store: Store;
    let app: Receiver;
    let failing: Receiver;
    let down: string;
    let handler: UploadHandler;

    beforeAll(async () => {
      store = await makeStore();
      app = await startReceiver((request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ saved: true, album: JSON.parse(request.body).album }));
      });
      down = await closedPortUrl();
      failing = await startReceiver((request, response) => {
        if (request.path === '/timeout') return; // never answers: the 300 ms timeout fires first
        if (request.path === '/http-500') response.writeHead(500).end('{"error":"boom"}');
        else if (request.path === '/not-json') response.writeHead(200).end('saved, thanks');
        else if (request.path === '/redirect') {
          response.writeHead(302, { location: `${failing.url}/followed` }).end();
        } else if (request.path === '/too-large') {
          // No Content-Length: the limit must hold while the answer streams in.
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('["');
          response.write('x'.repeat(MAX_RESPONSE_BYTES));
          response.end('"]');
        } else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
      const failingTarget = (path: string) => ({
        urls: `${failing.url}${path}`,
        timeout: 300,
        allowPrivateAddresses: true,
      });
      const callbacks: CallbackConfig = {
        targets: {
          app: {
            urls: app.url,
            bodyType: 'json',
            body: JSON.stringify({
              bucket: '${bucket}',
              object: '${object}',
              etag: '${etag}',
              size: '${size}',
              mimeType: '${mimeType}',
              uploadId: '${uploadId}',
              parts: '${parts}',
              contentMd5: '${contentMd5}',
              principal: '${principal}',
              album: '${x:album}',
            }),
            vars: { 'x:album': { maxLength: 32, pattern: '[\\w -]*' } },
            allowPrivateAddresses: true,
          },
          offline: { urls: down, allowPrivateAddresses: true },
          notes: {
            urls: app.url,
            bodyType: 'json',
            body: { album: '${x:note}' },
            vars: { 'x:note': { maxLength: 6000 } },
            allowPrivateAddresses: true,
          },
          timeout: failingTarget('/timeout'),
          'http-500': failingTarget('/http-500'),
          'not-json': failingTarget('/not-json'),
          redirect: failingTarget('/redirect'),
          'too-large': failingTarget('/too-large'),
        },
        secrets: [CALLBACK_SECRET],
        retry: { attempts: 0 },
      };
      handler = createUploadHandler({
        storage: store.storage,
        tokenSecret: TOKEN_SECRET,
        authorize: () => 'alice',
        callbacks,
      });
    });

    afterAll(async () => {
      handler?.callbacks?.close();
      await app?.close();
      await failing?.close();
      await store?.close();
    });

    it.each([
      ['a single-request upload', 1000],
      ['a multipart upload', MIN_PART_SIZE + 1000],
    ])('%s: complete returns the object facts and the callback answer', async (_name, size) => {
      const bytes = bytesOf(size, size);
      const before = app.received.length;
      const { created, done } = await upload(handler, store, bytes, {
        target: 'app',
        vars: { 'x:album': 'Summer 2026' },
      });

      expect(done).toMatchObject({ key: created.key, size, contentType: 'image/jpeg' });
      expect(done.callback).toEqual({
        status: 'ok',
        httpStatus: 200,
        body: { saved: true, album: 'Summer 2026' },
      });
      expect(app.received).toHaveLength(before + 1);
      const { payload } = await verifyCallback(asRequest(app.received.at(-1)!), CALLBACK_SECRET);
      const single = created.mode === 'single';
      expect(payload).toEqual({
        bucket: store.storage.bucket,
        object: created.key,
        etag: done.etag,
        size,
        mimeType: 'image/jpeg',
        uploadId: created.uploadId,
        parts: created.partCount,
        contentMd5: single ? md5(bytes, 'base64') : '',
        principal: 'alice',
        album: 'Summer 2026',
      });
      if (single) expect(done.etag).toBe(md5(bytes, 'hex'));
      else expect(done.etag).toMatch(/-2$/);
    });

    it.each([
      ['a single-request upload', 2000],
      ['a multipart upload', MIN_PART_SIZE + 2000],
    ])(
      '%s: with the receiver down, complete succeeds with callback failed and the object stays',
      async (_name, size) => {
        const bytes = bytesOf(size, 7);
        const { created, done } = await upload(handler, store, bytes, { target: 'offline' });

        expect(done.callback).toMatchObject({ status: 'failed', reason: 'unreachable' });
        const head = await store.storage.headObject({ key: created.key });
        expect(head?.size).toBe(size);
        const id = done.callback?.status === 'failed' ? done.callback.id : '';
        expect((await handler.callbacks?.pending())?.find((p) => p.id === id)).toMatchObject({
          target: 'offline',
          facts: { object: created.key, size, principal: 'alice' },
        });
      },
    );

    it('refuses at create an unknown target, a URL, an unknown variable and a bad value', async () => {
      const base = { fileName: 'a.txt', size: 10, contentType: 'text/plain' };
      const attempts: [unknown, string][] = [
        [{ target: 'elsewhere' }, 'unknown-callback-target'],
        [{ target: 'https://evil.example.com/hook' }, 'unknown-callback-target'],
        [
          { target: 'app', vars: { 'x:url': 'https://evil.example.com' } },
          'invalid-callback-variable',
        ],
        [{ target: 'app', vars: { 'x:album': '<script>' } }, 'invalid-callback-variable'],
        [{ target: 'app', vars: { 'x:album': 'a'.repeat(33) } }, 'invalid-callback-variable'],
      ];
      for (const [callback, code] of attempts) {
        const answer = await call<{ error: { code: string } }>(handler, 'create', {
          ...base,
          callback,
        });
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe(code);
      }
    });

    it.each<[string, unknown]>([
      ['url', 'https://evil.example.com/hook'],
      ['host', 'evil.example.com'],
      ['body', '{"stolen":"${principal}"}'],
      ['bodyType', 'json'],
      ['template', 'a=${bucket}'],
    ])(
      'refuses at create a callback that also sets %s, with invalid-request',
      async (field, value) => {
        const answer = await call<{ error: { code: string; message: string } }>(handler, 'create', {
          fileName: 'a.txt',
          size: 10,
          contentType: 'text/plain',
          callback: { target: 'app', [field]: value },
        });
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe('invalid-request');
        expect(answer.body.error.message).toContain(`callback: only target and vars may be set`);
        expect(answer.body.error.message).toContain(field);
      },
    );

    it("judges a variable's length by its target's maxLength alone, with invalid-callback-variable", async () => {
      const base = { fileName: 'a.txt', size: 10, contentType: 'text/plain' };
      const create = (callback: unknown) =>
        call<CreateUploadResponse & { error: { code: string } }>(handler, 'create', {
          ...base,
          callback,
        });
      // Over the 4,096 characters the schema used to allow, within the target's own 6,000.
      const long = await create({ target: 'notes', vars: { 'x:note': 'n'.repeat(5000) } });
      expect(long.status).toBe(200);
      expect(long.body.token).toBeTruthy();
      const refusals: unknown[] = [
        { target: 'app', vars: { 'x:album': 'a'.repeat(5000) } },
        { target: 'notes', vars: { 'x:note': 'n'.repeat(6001) } },
        { target: 'notes', vars: { [`x:${'n'.repeat(200)}`]: 'v' } },
        { target: 'notes', vars: { 'x:note': 'é'.repeat(3000) } },
        { target: 'notes', vars: { 'x:note': 'a\ud800b' } },
      ];
      for (const callback of refusals) {
        const answer = await create(callback);
        expect(answer.status, JSON.stringify(callback).slice(0, 60)).toBe(400);
        expect(answer.body.error.code).toBe('invalid-callback-variable');
      }
    });

    it.each([
      ['timeout', 'timeout', undefined],
      ['http-500', 'http-status', 500],
      ['not-json', 'not-json', 200],
      ['redirect', 'redirect', 302],
      ['too-large', 'too-large', 200],
    ] as const)(
      'keeps the object when the callback fails with %s: complete answers 200 with the reason',
      async (target, reason, httpStatus) => {
        const bytes = bytesOf(3000, target.length);
        const { created, done } = await upload(handler, store, bytes, { target });

        expect(done).toMatchObject({
          key: created.key,
          size: bytes.length,
          etag: md5(bytes, 'hex'),
        });
        expect(done.callback).toMatchObject({ status: 'failed', reason });
        if (done.callback?.status === 'failed') expect(done.callback.httpStatus).toBe(httpStatus);
        expect(await storedMd5(store.storage, created.key)).toEqual({
          hex: md5(bytes, 'hex'),
          size: bytes.length,
        });
        expect(failing.received.some((r) => r.path === `/${target}`)).toBe(true);
        // The redirect points at the receiver: it was never followed there.
        expect(failing.received.some((r) => r.path === '/followed')).toBe(false);
      },
    );
  });
}

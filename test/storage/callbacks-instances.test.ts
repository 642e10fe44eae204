// handler.callbacks across instances, on the local store and on Swift s3api: two handlers on one
// store (each with its own adapter, as two servers would have) read and drive one outbox. And when
// the outbox cannot be written, complete says the callback failed and was not queued.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CompleteUploadResponse, CreateUploadResponse } from '../../src/protocol/index.ts';
import {
  createLocalStorage,
  createS3Storage,
  createUploadHandler,
  type CallbackConfig,
  type StorageAdapter,
  type UploadHandler,
} from '../../src/server/index.ts';
import { startReceiver, type Receiver } from '../support/callback-receiver.ts';
import { bytesOf, md5 } from './handler-support.ts';

const TOKEN_SECRET = 'instances-test-token-secret-of-32-characters';
const ORIGIN = 'http://127.0.0.1:9';

interface Store {
  /** A fresh adapter on the same store (another server's). */
  adapter(): StorageAdapter;
  /** Callback options that make this store's outbox (or a broken one) the handler's. */
  outbox(adapter: StorageAdapter): Partial<CallbackConfig>;
  /** Makes the outbox impossible to write; returns the callbacks options to use. */
  broken(): Promise<Partial<CallbackConfig>>;
  /** PUTs a signed URL: through the handler on the local store, over the network on Swift. */
  local: boolean;
  close(): Promise<void>;
}

const stores: Record<string, () => Promise<Store>> = {
  'local store': async () => {
    const root = await mkdtemp(join(tmpdir(), 'ru-instances-'));
    const adapter = () => createLocalStorage({ root, secret: 'local-store-secret-0123456789' });
    return {
      adapter,
      outbox: () => ({}),
      broken: async () => {
        // A file where the outbox's folder belongs: every write fails (ENOTDIR), even as root.
        const brokenRoot = await mkdtemp(join(tmpdir(), 'ru-instances-broken-'));
        await writeFile(join(brokenRoot, 'callbacks'), 'not a folder');
        const storage = createLocalStorage({
          root: brokenRoot,
          secret: 'local-store-secret-01234',
        });
        return { outbox: storage.callbackOutbox() };
      },
      local: true,
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
  'Swift s3api': async () => {
    const s3 = inject('s3');
    const prefix = `.instances-test-${randomBytes(4).toString('hex')}/`;
    const made: ReturnType<typeof createS3Storage>[] = [];
    const make = (bucket = s3.bucket) => {
      const storage = createS3Storage({
        endpoint: s3.endpoint,
        region: s3.region,
        bucket,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
      made.push(storage);
      return storage;
    };
    return {
      adapter: () => make(),
      // Its own prefix: other test files deliver from the bucket's default outbox at the same time.
      outbox: (adapter) => ({
        outbox: (adapter as ReturnType<typeof make>).callbackOutbox(prefix),
      }),
      // An outbox in a bucket that does not exist: its PUT fails with NoSuchBucket.
      broken: async () => ({ outbox: make('no-such-bucket-for-the-outbox').callbackOutbox() }),
      local: false,
      close: async () => made.forEach((s) => s.destroy()),
    };
  },
};

for (const [storeName, makeStore] of Object.entries(stores)) {
  describe(`handler.callbacks across instances (${storeName})`, () => {
    let store: Store;
    let receiver: Receiver;
    const state = { healthy: false };
    const handlers: UploadHandler[] = [];

    beforeAll(async () => {
      store = await makeStore();
      receiver = await startReceiver((_request, response) => {
        if (state.healthy) {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"saved":true}');
        } else response.writeHead(503).end();
      });
    });
    afterEach(() => {
      for (const handler of handlers.splice(0)) handler.callbacks?.close();
      state.healthy = false;
    });
    afterAll(async () => {
      await receiver?.close();
      await store?.close();
    });

    /** A handler as one server instance has it; its own delivery rounds are off unless asked. */
    function instance(storage: StorageAdapter, callbacks: Partial<CallbackConfig> = {}) {
      const handler = createUploadHandler({
        storage,
        tokenSecret: TOKEN_SECRET,
        authorize: () => 'alice',
        callbacks: {
          targets: { app: { urls: receiver.url, bodyType: 'json', allowPrivateAddresses: true } },
          secrets: 'instances-callback-secret-0123',
          deliveryInterval: 2 ** 31 - 1,
          ...store.outbox(storage),
          ...callbacks,
        },
      });
      handlers.push(handler);
      return handler;
    }

    async function call<T>(handler: UploadHandler, route: string, body: unknown): Promise<T> {
      const response = await handler(
        new Request(`${ORIGIN}/api/upload/${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return JSON.parse(text) as T;
    }

    /** One small upload with callback target `app` through `handler`. */
    async function upload(handler: UploadHandler, storage: StorageAdapter, seed: number) {
      const bytes = bytesOf(500 + seed, seed);
      const sum = md5(bytes);
      const created = await call<CreateUploadResponse>(handler, 'create', {
        fileName: `f-${seed}.bin`,
        size: bytes.length,
        contentType: 'application/octet-stream',
        contentMd5: sum.base64,
        callback: { target: 'app' },
      });
      const part = created.put!;
      const request = new Request(part.url, { method: 'PUT', headers: part.headers, body: bytes });
      const put = store.local ? await handler(request) : await fetch(request);
      expect(put.status).toBe(200);
      const done = await call<CompleteUploadResponse>(handler, 'complete', {
        token: created.token,
        parts: [{ partNumber: 1, etag: sum.hex }],
      });
      expect(await storage.headObject({ key: created.key })).toMatchObject({ size: bytes.length });
      return { key: created.key, callback: done.callback! };
    }

    const idOf = (result: { status: string; id?: string }) =>
      result.status === 'failed' ? result.id! : '';

    it('pending() and retry(id) on one instance see and deliver what another queued', async () => {
      const storageA = store.adapter();
      const a = instance(storageA);
      const b = instance(store.adapter());
      const { key, callback } = await upload(a, storageA, 1);
      expect(callback).toMatchObject({ status: 'failed', reason: 'http-status', httpStatus: 503 });
      const id = idOf(callback);

      expect((await b.callbacks!.pending()).find((p) => p.id === id)).toMatchObject({
        state: 'waiting',
        attempts: 1,
        facts: { object: key },
        lastError: { reason: 'http-status', httpStatus: 503 },
      });
      state.healthy = true;
      expect(await b.callbacks!.retry(id)).toEqual({
        status: 'ok',
        httpStatus: 200,
        body: { saved: true },
      });
      expect((await a.callbacks!.pending()).some((p) => p.id === id)).toBe(false);
      expect(await a.callbacks!.retry(id)).toBeUndefined();
      const sent = receiver.received.filter((r) => r.headers['webhook-id'] === id);
      expect(sent).toHaveLength(2);
    });

    it('keeps an entry whose attempts are spent listed as dead on every instance until removed', async () => {
      const storageA = store.adapter();
      const a = instance(storageA, { retry: { attempts: 0 } });
      const b = instance(store.adapter(), { retry: { attempts: 0 } });
      const id = idOf((await upload(a, storageA, 2)).callback);
      const before = receiver.received.length;

      state.healthy = true;
      await b.callbacks!.deliverDue();
      expect(receiver.received).toHaveLength(before);
      const dead = (await b.callbacks!.pending()).find((p) => p.id === id);
      expect(dead).toMatchObject({ state: 'dead', attempts: 1 });
      expect(dead).not.toHaveProperty('nextAttemptAt');

      expect(await b.callbacks!.remove(id)).toBe(true);
      expect((await a.callbacks!.pending()).some((p) => p.id === id)).toBe(false);
      expect(await a.callbacks!.remove(id)).toBe(false);
    });

    it('answers not-queued when the outbox cannot be written, and logs the whole entry', async () => {
      const storage = store.adapter();
      const handler = instance(storage, await store.broken());
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        const { callback } = await upload(handler, storage, 3);
        expect(callback).toMatchObject({ status: 'failed', reason: 'not-queued' });
        expect(callback.status === 'failed' && callback.message).toContain(
          'could not be queued for retry',
        );
        const id = idOf(callback);
        expect(id).toMatch(/^cb_/);
        expect(logged.mock.calls.some((args) => String(args[0]).includes(id))).toBe(true);
      } finally {
        logged.mockRestore();
      }
    });
  });
}

// Callbacks that outlive the server process, on the local store and on Swift s3api: the receiver is
// down, complete answers `callback: failed`, the server is killed with SIGKILL and started again, the
// receiver comes back, and the callback arrives under the first attempt's webhook-id. Then two
// server processes on one store queue callbacks, one is killed, and every callback is delivered,
// each under its own one id.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompleteUploadResponse, CreateUploadResponse } from '../../src/protocol/index.ts';
import {
  createLocalStorage,
  createS3Storage,
  verifyCallback,
  type CallbackOutbox,
} from '../../src/server/index.ts';
import {
  asRequest,
  closedPortUrl,
  startReceiver,
  type Receiver,
} from '../support/callback-receiver.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { bytesOf, md5 } from './handler-support.ts';

const CALLBACK_SECRET = 'restart-callback-secret-0123456789';

interface Store {
  env: Record<string, string>;
  /** The outbox the servers use, read from the test process. */
  outbox: CallbackOutbox;
  close(): Promise<void>;
}

const stores: Record<string, () => Promise<Store>> = {
  'local store': async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ru-restart-'));
    const storage = createLocalStorage({ root: dir, secret: 'unused-here-0123456789' });
    return {
      env: { UPLOAD_DIR: dir },
      outbox: storage.callbackOutbox(),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
  'Swift s3api': async () => {
    const s3 = inject('s3');
    // Its own prefix: other test files deliver from the bucket's default outbox at the same time.
    const prefix = `.restart-test-${randomBytes(4).toString('hex')}/`;
    const storage = createS3Storage({
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: s3.bucket,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    return {
      env: {
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        CALLBACK_OUTBOX_PREFIX: prefix,
      },
      outbox: storage.callbackOutbox(prefix),
      close: async () => storage.destroy(),
    };
  },
};

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, `${url}: ${text}`).toBe(200);
  return JSON.parse(text) as T;
}

/** A small file through a server, with callback target `app`: create, PUT, complete. */
async function upload(server: ServerProcess, seed: number) {
  const bytes = bytesOf(1000 + seed, seed);
  const sum = md5(bytes);
  const api = `${server.url}/api/upload`;
  const created = await post<CreateUploadResponse>(`${api}/create`, {
    fileName: `photo-${seed}.jpg`,
    size: bytes.length,
    contentType: 'image/jpeg',
    contentMd5: sum.base64,
    callback: { target: 'app' },
  });
  const part = created.put!;
  const put = await fetch(part.url, { method: part.method, headers: part.headers, body: bytes });
  expect(put.status, await put.clone().text()).toBe(200);
  const done = await post<CompleteUploadResponse>(`${api}/complete`, {
    token: created.token,
    parts: [{ partNumber: 1, etag: sum.hex }],
  });
  return { key: created.key, callback: done.callback! };
}

/** Resolves once `check` holds; checks again after every tick of the event loop's timers. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

for (const [storeName, makeStore] of Object.entries(stores)) {
  describe(`callbacks outlive the server process (${storeName})`, () => {
    let store: Store;
    let hook: string;
    let env: Record<string, string>;
    const servers: ServerProcess[] = [];
    let receiver: Receiver | undefined;

    beforeAll(async () => {
      store = await makeStore();
      hook = await closedPortUrl();
      env = {
        ...store.env,
        UPLOAD_TOKEN_SECRET: 'restart-test-token-secret-of-32-characters',
        CALLBACK_URL: `${hook}/hook`,
        CALLBACK_SECRET,
        CALLBACK_ALLOW_PRIVATE: '1',
        CALLBACK_OUTBOX_INTERVAL: '100',
      };
    });
    afterEach(async () => {
      for (const server of servers.splice(0)) await server.stop('SIGKILL');
      await receiver?.close();
      receiver = undefined;
    });
    afterAll(() => store?.close());

    const start = async () => {
      const server = await startServerProcess(env);
      servers.push(server);
      return server;
    };
    /** The receiver comes back on the port the servers post to. */
    const receiverBack = async () => {
      receiver = await startReceiver(undefined, Number(new URL(hook).port));
      return receiver;
    };

    it('delivers after a SIGKILL and a restart, under the first attempt’s webhook-id', async () => {
      const first = await start();
      const { key, callback } = await upload(first, 1);
      expect(callback).toMatchObject({ status: 'failed', reason: 'unreachable' });
      const id = callback.status === 'failed' ? callback.id : '';
      // Written before complete answered.
      expect((await store.outbox.list()).map((e) => e.id)).toContain(id);

      await first.stop('SIGKILL');
      expect(first.child.signalCode).toBe('SIGKILL');
      await start();
      const back = await receiverBack();
      await until(() => back.received.some((r) => r.headers['webhook-id'] === id));

      const got = back.received.find((r) => r.headers['webhook-id'] === id)!;
      const verified = await verifyCallback(asRequest(got), CALLBACK_SECRET);
      expect(verified.id).toBe(id);
      expect(verified.payload).toMatchObject({ object: key, size: 1001, mimeType: 'image/jpeg' });
      // Delivered: gone from the outbox.
      await until(async () => !(await store.outbox.list()).some((e) => e.id === id));
    });

    it('two server processes on one store deliver every queued callback, one killed, duplicates under one id', async () => {
      const [a, b] = await Promise.all([start(), start()]);
      const uploads = [];
      for (let i = 0; i < 6; i++) uploads.push(await upload(i % 2 ? b : a, 10 + i));
      const idOf = new Map<string, string>();
      for (const { key, callback } of uploads) {
        expect(callback).toMatchObject({ status: 'failed', reason: 'unreachable' });
        if (callback.status === 'failed') idOf.set(key, callback.id);
      }
      // One instance dies before the receiver is back: the other delivers its callbacks too.
      await a.stop('SIGKILL');
      const back = await receiverBack();
      const ids = new Set(idOf.values());
      await until(() =>
        [...ids].every((id) => back.received.some((r) => r.headers['webhook-id'] === id)),
      );
      await until(async () => !(await store.outbox.list()).some((e) => ids.has(e.id)));

      for (const got of back.received) {
        const { id, payload } = await verifyCallback(asRequest(got), CALLBACK_SECRET);
        // Whoever delivered it, and however often: the id is the one complete answered for this object.
        expect(id).toBe(idOf.get((payload as { object: string }).object));
      }
    });
  });
}

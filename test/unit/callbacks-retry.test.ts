import { afterEach, describe, expect, it } from 'vitest';
import {
  createCallbackRunner,
  type CallbackFacts,
  type PendingCallback,
} from '../../src/server/callbacks/index.ts';
import { startReceiver, type Receiver } from '../support/callback-receiver.ts';

const SECRET = 'callback-secret-0123456789';
const FACTS: CallbackFacts = {
  bucket: 'media',
  object: 'uploads/a.jpg',
  etag: 'abc',
  size: 3,
  mimeType: 'image/jpeg',
  uploadId: 'up-1',
  parts: 1,
  principal: 'alice',
};

let app: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A receiver that answers 503 until `healthy` is set. */
async function flakyReceiver() {
  const state = { healthy: false };
  app = await startReceiver((_req, res) => {
    if (state.healthy) res.writeHead(200, { 'content-type': 'application/json' }).end('{"n":1}');
    else res.writeHead(503).end();
  });
  return state;
}

describe('failed callbacks are queued and retried', () => {
  it('retries in the background until the receiver recovers', async () => {
    const state = await flakyReceiver();
    const failures: PendingCallback[] = [];
    let succeeded: (entry: PendingCallback) => void = () => {};
    const success = new Promise<PendingCallback>((resolve) => (succeeded = resolve));
    const runner = createCallbackRunner({
      targets: { app: { urls: app!.url, allowPrivateAddresses: true } },
      secrets: SECRET,
      retry: { attempts: 10, baseDelay: 20, maxDelay: 40 },
      deliveryInterval: 20,
      onFailure: (entry) => {
        failures.push(entry);
        // Recover after two background failures.
        if (entry.attempts === 3) state.healthy = true;
      },
      onSuccess: succeeded,
    });

    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect(result).toMatchObject({ status: 'failed', reason: 'http-status', httpStatus: 503 });
    const id = result.status === 'failed' ? result.id : '';
    expect(await runner.pending()).toMatchObject([
      { id, target: 'app', facts: FACTS, attempts: 1, lastError: { reason: 'http-status' } },
    ]);

    const recovered = await success;
    expect(recovered).toMatchObject({ id, attempts: 3 });
    expect(failures.map((f) => f.attempts)).toEqual([1, 2, 3]);
    expect(app!.received).toHaveLength(4);
    expect(await runner.pending()).toEqual([]);
    runner.close();
  });

  it('retries on demand with retry(id), and stops background attempts after the bound', async () => {
    const state = await flakyReceiver();
    const runner = createCallbackRunner({
      targets: { app: { urls: app!.url, allowPrivateAddresses: true } },
      secrets: SECRET,
      retry: { attempts: 0 },
    });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    const id = result.status === 'failed' ? result.id : '';
    expect(await runner.pending()).toEqual([expect.objectContaining({ id, attempts: 1 })]);
    // attempts: 0 means no background retry is scheduled.
    expect((await runner.pending())[0]).not.toHaveProperty('nextAttemptAt');

    expect(await runner.retry(id)).toMatchObject({ status: 'failed', id, reason: 'http-status' });
    expect((await runner.pending())[0]?.attempts).toBe(2);

    state.healthy = true;
    expect(await runner.retry(id)).toEqual({ status: 'ok', httpStatus: 200, body: { n: 1 } });
    expect(await runner.pending()).toEqual([]);
    expect(await runner.retry(id)).toBeUndefined();
    expect(app!.received).toHaveLength(3);
  });

  it('close() stops delivery rounds but keeps the outbox, its schedule and retry(id)', async () => {
    await flakyReceiver();
    const runner = createCallbackRunner({
      targets: { app: { urls: app!.url, allowPrivateAddresses: true } },
      secrets: SECRET,
      retry: { attempts: 3, baseDelay: 60_000, maxDelay: 60_000 },
    });
    const result = await runner.run(runner.validate({ target: 'app' }), FACTS);
    expect((await runner.pending())[0]?.nextAttemptAt).toBeGreaterThan(Date.now());
    runner.close();
    // Another instance on the same outbox still delivers it when it is due.
    expect((await runner.pending())[0]).toMatchObject({ state: 'waiting', attempts: 1 });
    const id = result.status === 'failed' ? result.id : '';
    expect(await runner.retry(id)).toMatchObject({ status: 'failed', id });
    expect((await runner.pending())[0]?.attempts).toBe(2);
  });

  it('never throws from run(), even when a hook throws', async () => {
    await flakyReceiver();
    const runner = createCallbackRunner({
      targets: { app: { urls: app!.url, allowPrivateAddresses: true } },
      secrets: SECRET,
      retry: { attempts: 0 },
      onFailure: () => {
        throw new Error('persisting failed');
      },
    });
    await expect(runner.run({ target: 'app', vars: {} }, FACTS)).resolves.toMatchObject({
      status: 'failed',
    });
    await expect(runner.run({ target: 'gone', vars: {} }, FACTS)).resolves.toMatchObject({
      status: 'failed',
      reason: 'unknown-target',
    });
  });

  it('re-sends a persisted callback under its own id after a restart', async () => {
    const state = await flakyReceiver();
    state.healthy = true;
    const runner = createCallbackRunner({
      targets: { app: { urls: app!.url, allowPrivateAddresses: true } },
      secrets: SECRET,
    });
    const result = await runner.run({ target: 'app', vars: {} }, FACTS, { id: 'cb_persisted' });
    expect(result.status).toBe('ok');
    expect(app!.received[0]?.headers['webhook-id']).toBe('cb_persisted');
  });
});

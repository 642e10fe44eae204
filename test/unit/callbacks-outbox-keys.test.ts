// The outbox's objects share the bucket with uploads: no upload key may land under its prefix.
import { describe, expect, it, vi } from 'vitest';
import {
  createMemoryOutbox,
  createS3Storage,
  createUploadHandler,
} from '../../src/server/index.ts';
import { FakeStorage } from './server-fake-storage.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const callbacks = {
  targets: { app: { urls: 'https://app.example.com/hook' } },
  secrets: 'callback-secret-0123456789',
};

describe('the callback outbox in the key space', () => {
  it("refuses a keyPrefix under the S3 outbox's prefix, where default keys would land", () => {
    // Never contacted: the adapter only names its outbox here.
    const storage = createS3Storage({ bucket: 'b', endpoint: 'http://127.0.0.1:1' });
    const make = (keyPrefix: string) =>
      createUploadHandler({
        storage,
        tokenSecret: SECRET,
        keyPrefix,
        callbacks,
      }).callbacks?.close();
    expect(() => make('.resumable-upload/callbacks/')).toThrow(/overlaps the callback outbox/);
    expect(() => make('.resumable-upload/callbacks/more/')).toThrow(TypeError);
    expect(() => make('.resumable-upload/')).not.toThrow();
    expect(() => make('')).not.toThrow();
    expect(() => make('uploads/')).not.toThrow();
    storage.destroy();
  });

  it('answers 500 internal, before the store is asked, when a custom key lands under the outbox', async () => {
    const storage = new FakeStorage();
    const outbox = { ...createMemoryOutbox(), keyPrefix: 'outbox/' };
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = createUploadHandler({
      storage,
      tokenSecret: SECRET,
      key: ({ fileName }) => `outbox/${fileName}`,
      callbacks: { ...callbacks, outbox },
    });
    const response = await handler(
      new Request('http://127.0.0.1/api/upload/create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          fileName: 'cb_x.json',
          size: 6 * 1024 * 1024,
          contentType: 'application/json',
        }),
      }),
    );
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('internal');
    expect(storage.writes()).toEqual([]);
    handler.callbacks?.close();
    error.mockRestore();
  });
});

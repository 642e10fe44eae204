// The handler's side of the callbacks seam, with a stand-in runner; the runner itself is tested
// by the callbacks module's own tests.
import { describe, expect, it, vi } from 'vitest';
import { HandlerError } from '../../src/server/errors.ts';
import { FakeStorage } from './server-fake-storage.ts';

const runner = {
  validate: vi.fn((choice: { target: string; vars?: Record<string, string> }) => {
    if (choice.target !== 'app')
      throw new HandlerError('unknown-callback-target', 'no such target');
    if (choice.vars && 'x:bad' in choice.vars) {
      throw new HandlerError('invalid-callback-variable', 'x:bad is not allowed');
    }
    return { target: choice.target, vars: choice.vars ?? {} };
  }),
  run: vi.fn(async () => ({ status: 'ok' as const, httpStatus: 200, body: { saved: true } })),
};
vi.mock('../../src/server/callbacks/index.ts', () => ({ createCallbackRunner: () => runner }));
const { createUploadHandler } = await import('../../src/server/index.ts');

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

async function post(handler: (r: Request) => Promise<Response>, route: string, body: unknown) {
  const res = await handler(
    new Request(`http://127.0.0.1/api/upload/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('callbacks seam', () => {
  it('validates the choice at create and runs it after complete with the store facts', async () => {
    const storage = new FakeStorage();
    const handler = createUploadHandler({
      storage,
      tokenSecret: SECRET,
      callbacks: { targets: {}, secrets: [] },
      authorize: () => 'alice',
    });
    expect(handler.callbacks).toBe(runner);
    const created = await post(handler, 'create', {
      fileName: 'a.txt',
      size: 3,
      contentType: 'text/plain',
      callback: { target: 'app', vars: { 'x:album': 'summer' } },
    });
    expect(created.status).toBe(200);
    const etag = storage.putSingle(
      created.body.token,
      new TextEncoder().encode('abc'),
      'text/plain',
    );
    const done = await post(handler, 'complete', {
      token: created.body.token,
      parts: [{ partNumber: 1, etag }],
    });
    expect(done.body.callback).toEqual({ status: 'ok', httpStatus: 200, body: { saved: true } });
    expect(runner.run).toHaveBeenCalledWith(
      { target: 'app', vars: { 'x:album': 'summer' } },
      {
        bucket: 'fake',
        object: created.body.key,
        etag,
        size: 3,
        mimeType: 'text/plain',
        uploadId: '',
        parts: 1,
        contentMd5: Buffer.from(etag, 'hex').toString('base64'),
        principal: 'alice',
      },
    );
  });

  it('refuses unknown targets and bad variables at create, before the store is touched', async () => {
    const storage = new FakeStorage();
    const handler = createUploadHandler({
      storage,
      tokenSecret: SECRET,
      callbacks: { targets: {}, secrets: [] },
    });
    const base = { fileName: 'a', size: 100_000_000, contentType: '' };
    const unknown = await post(handler, 'create', { ...base, callback: { target: 'evil' } });
    expect(unknown.body.error.code).toBe('unknown-callback-target');
    expect(unknown.status).toBe(400);
    const bad = await post(handler, 'create', {
      ...base,
      callback: { target: 'app', vars: { 'x:bad': '1' } },
    });
    expect(bad.body.error.code).toBe('invalid-callback-variable');
    expect(bad.status).toBe(400);
    expect(storage.calls).toEqual([]);
  });
});

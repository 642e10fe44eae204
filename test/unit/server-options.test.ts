import { describe, expect, it } from 'vitest';
import { createUploadHandler } from '../../src/server/index.ts';
import type { UploadHandlerOptions } from '../../src/server/options.ts';
import { FakeStorage } from './server-fake-storage.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const good = (): UploadHandlerOptions => ({ storage: new FakeStorage(), tokenSecret: SECRET });

describe('createUploadHandler options', () => {
  it('builds a handler with a callbacks property from good options', () => {
    const handler = createUploadHandler(good());
    expect(typeof handler).toBe('function');
    expect(handler.callbacks).toBeUndefined();
  });

  it.each<[string, Partial<UploadHandlerOptions> | Record<string, unknown>]>([
    ['no storage', { storage: undefined }],
    ['a storage without methods', { storage: { bucket: 'x' } }],
    ['no token secret', { tokenSecret: undefined }],
    ['a short token secret', { tokenSecret: 'short' }],
    ['an empty secret list', { tokenSecret: [] }],
    ['a relative basePath', { basePath: 'api' }],
    ['a publicUrl that is not http(s)', { publicUrl: 'ftp://x' }],
    ['a publicUrl with a query', { publicUrl: 'https://x.example/?a=1' }],
    ['maxFileSize over 5 TiB', { maxFileSize: 6 * 1024 ** 4 }],
    ['a negative maxFileSize', { maxFileSize: -1 }],
    ['defaultPartSize under 5 MiB', { defaultPartSize: 1024 }],
    ['a fractional urlExpiresIn', { urlExpiresIn: 1.5 }],
    ['urlExpiresIn over 7 days', { urlExpiresIn: 8 * 86400 }],
    ['a zero tokenTtl', { tokenTtl: 0 }],
    ['allowedContentTypes that are not MIME patterns', { allowedContentTypes: ['image'] }],
    ['cors with a path', { cors: ['https://x.example/app'] }],
    ['cors as a bare string', { cors: 'https://x.example' }],
    ['a keyPrefix with ..', { keyPrefix: '../up/' }],
    ['a keyPrefix starting with /', { keyPrefix: '/up/' }],
    ['an authorize that is not a function', { authorize: 'yes' }],
    ['a key that is not a function', { key: 'k' }],
    ['callbacks that are not an object', { callbacks: 'x' }],
  ])('throws a TypeError for %s', (_name, patch) => {
    expect(() => createUploadHandler({ ...good(), ...patch } as UploadHandlerOptions)).toThrow(
      TypeError,
    );
  });

  it('accepts the documented shapes', () => {
    expect(() =>
      createUploadHandler({
        ...good(),
        basePath: '/files/',
        publicUrl: 'https://uploads.example/app/',
        maxFileSize: 1024,
        allowedContentTypes: ['image/*', 'application/pdf'],
        defaultPartSize: 16 * 1024 * 1024,
        tokenSecret: [SECRET, `${SECRET}-old`],
        tokenTtl: 3600,
        urlExpiresIn: 60,
        cors: ['https://app.example'],
        keyPrefix: '',
      }),
    ).not.toThrow();
  });
});

import { afterEach, expect, test, vi } from 'vitest';
import type { Md5Digest } from '../../src/engine/ports.ts';
import type { HashImpl } from '../../src/worker/protocol.ts';

const digest: Md5Digest = {
  hex: '900150983cd24fb0d6963f7d28e17f72',
  base64: 'kAFQmDzSS7DWlj99KOF/cg==',
};

/** A pool that answers at once and reports `impl` (which a fallback changes). */
function fakePool(impl: HashImpl) {
  return {
    impl,
    destroyed: false,
    md5: () => Promise.resolve(digest),
    destroy() {
      this.destroyed = true;
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

test('one console.info per page after the first digest, naming the implementation that hashed', async () => {
  const { announcingHasher, hasherMessage } = await import('../../src/worker/announce.ts');
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  const pool = fakePool('hash-wasm');
  const hasher = announcingHasher(pool, undefined);
  expect(info).not.toHaveBeenCalled();
  await hasher.md5(new Blob(['abc']));
  await hasher.md5(new Blob(['abc']));
  // A second engine on the same page (the element rebuilds its engine on changed settings) says nothing new.
  await announcingHasher(fakePool('hash-wasm'), undefined).md5(new Blob(['abc']));
  expect(info.mock.calls).toEqual([[hasherMessage('hash-wasm', undefined)]]);
  hasher.destroy();
  expect(pool.destroyed).toBe(true);
});

test('a pool that fell back to spark-md5 is announced as such, with the reason', async () => {
  const { announcingHasher } = await import('../../src/worker/announce.ts');
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  const pool = fakePool('hash-wasm');
  const hasher = announcingHasher(pool, undefined);
  pool.impl = 'spark-md5';
  await hasher.md5(new Blob(['abc']));
  expect(info).toHaveBeenCalledTimes(1);
  expect(info.mock.calls[0]![0]).toMatch(/spark-md5.*'wasm-unsafe-eval'/);
});

test('a forced spark-md5 names the option, not a refused WebAssembly', async () => {
  const { hasherMessage } = await import('../../src/worker/announce.ts');
  expect(hasherMessage('spark-md5', 'spark-md5')).toMatch(/hasher: 'spark-md5'/);
  expect(hasherMessage('spark-md5', 'spark-md5')).not.toMatch(/WebAssembly/);
});

test('a failed first job announces nothing', async () => {
  const { announcingHasher } = await import('../../src/worker/announce.ts');
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  const pool = {
    ...fakePool('hash-wasm'),
    md5: () => Promise.reject(new Error('NotReadableError')),
  };
  await expect(announcingHasher(pool, undefined).md5(new Blob(['x']))).rejects.toThrow();
  expect(info).not.toHaveBeenCalled();
});

import type { Hasher } from '../engine/ports.ts';

/**
 * A Hasher that builds its worker pool on first use, so constructing an Uploader starts no workers. Once
 * destroyed it stays so, like the pool: a late md5() rejects with AbortError and warm() does nothing, instead
 * of starting a pool that nobody would terminate.
 */
export function lazyHasher(create: () => Hasher): Hasher {
  let hasher: Hasher | undefined;
  let destroyed = false;
  return {
    md5(blob, signal, range) {
      if (destroyed)
        return Promise.reject(new DOMException('The hasher was destroyed.', 'AbortError'));
      hasher ??= create();
      return hasher.md5(blob, signal, range);
    },
    warm() {
      if (destroyed) return;
      hasher ??= create();
      // An empty Blob: the pool starts a worker, which loads and compiles its hasher, and answers at once.
      hasher.md5(new Blob([])).catch(() => {});
    },
    destroy() {
      destroyed = true;
      hasher?.destroy();
      hasher = undefined;
    },
  };
}

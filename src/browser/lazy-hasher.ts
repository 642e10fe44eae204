import type { Hasher } from '../engine/ports.ts';

/** A Hasher that builds its worker pool on first use, so constructing an Uploader starts no workers. */
export function lazyHasher(create: () => Hasher): Hasher {
  let hasher: Hasher | undefined;
  return {
    md5(blob, signal, range) {
      hasher ??= create();
      return hasher.md5(blob, signal, range);
    },
    warm() {
      hasher ??= create();
      // An empty Blob: the pool starts a worker, which loads and compiles its hasher, and answers at once.
      hasher.md5(new Blob([])).catch(() => {});
    },
    destroy() {
      hasher?.destroy();
      hasher = undefined;
    },
  };
}

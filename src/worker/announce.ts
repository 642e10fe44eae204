import type { Hasher } from '../engine/ports.ts';
import type { HashImpl } from './protocol.ts';

/** The one line the page's console gets about the MD5 implementation in use (pure, for tests). */
export function hasherMessage(used: HashImpl, asked: HashImpl | undefined): string {
  if (used === 'hash-wasm') return 'resumable-upload: MD5 by hash-wasm (WebAssembly) in workers.';
  if (asked === 'spark-md5')
    return "resumable-upload: MD5 by spark-md5 (option hasher: 'spark-md5').";
  return (
    'resumable-upload: MD5 by spark-md5, because WebAssembly may not run on this page ' +
    "(a Content-Security-Policy without 'wasm-unsafe-eval'); allow it for hashing about 3x faster."
  );
}

// Per page, not per engine: an element that rebuilds its engine, or several elements, say it once.
let announced: string | undefined;

/**
 * Wraps a worker pool so that its first digest tells the console, once per page, which implementation
 * computed it: only a worker can know whether WebAssembly may run in a worker (a blob: worker follows the
 * page's CSP, a worker loaded from a URL its own response's), so the pool's answer is awaited, not guessed.
 */
export function announcingHasher(
  pool: Hasher & { readonly impl: HashImpl },
  asked: HashImpl | undefined,
): Hasher {
  return {
    async md5(blob, signal, range) {
      const digest = await pool.md5(blob, signal, range);
      const message = hasherMessage(pool.impl, asked);
      if (message !== announced) {
        announced = message;
        console.info(message);
      }
      return digest;
    },
    destroy: () => pool.destroy(),
  };
}

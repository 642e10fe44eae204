import type { Hasher } from '../engine/ports.ts';
import { defaultWorkerCount } from './count.ts';
import { WorkerPool, type WorkerFactory } from './pool.ts';
import type { HashImpl, ReadMode } from './protocol.ts';
// Inlined workers (a blob: URL holding the bundled worker) load with no bundler configuration in the
// application, in the dev server and from the library build alike. The CSP implication: a page with a
// Content-Security-Policy must allow `worker-src blob:` (or `script-src blob:` when worker-src is absent);
// a hash-wasm worker also needs `'wasm-unsafe-eval'`, and falls back to spark-md5 without it.
import Md5Worker from './md5.worker.ts?worker&inline';

export type { HashImpl, ReadMode } from './protocol.ts';
export { WorkerPool, type WorkerFactory, type WorkerPoolOptions } from './pool.ts';
export { defaultWorkerCount } from './count.ts';
export { announcingHasher, hasherMessage } from './announce.ts';

/** Options of createWorkerHasher(). */
export interface WorkerHasherOptions {
  /** How many workers (default: navigator.hardwareConcurrency - 1, clamped to 1..4). */
  workers?: number;
  /**
   * 'hash-wasm' (default: about 3x faster; falls back to spark-md5 for good when a worker may not run
   * WebAssembly) or 'spark-md5' (plain JavaScript, works under any CSP that allows the worker).
   */
  impl?: HashImpl;
  /**
   * 'byob' (default): blob.stream() into one reused buffer, faster than 'slice' and with less memory
   * (bench/README.md); a read that stalls (seen once, cause unknown) falls back to slices after 10 s.
   * 'slice': chunkSize pieces with arrayBuffer(). 'stream': blob.stream()'s own chunks.
   */
  read?: ReadMode;
  /** Bytes read from the Blob per step with 'byob' and 'slice' (default 2 MiB): bounds each worker's memory. */
  chunkSize?: number;
  /**
   * Recycle a worker after it hashed this many bytes (default 256 MiB), returning its heap to the browser.
   * Measured here on 2 GiB: hash-wasm with 2 workers rose 313 MiB recycling at 2 GiB, 145 MiB at 256 MiB,
   * at the same speed (a new worker starts in milliseconds).
   */
  recycleAfterBytes?: number;
  /** A silent worker fails its job with TimeoutError after this many ms plus 2 ms per KB (default 60,000). */
  jobTimeout?: number;
  /** Makes the workers (tests inject failing ones). */
  createWorker?: WorkerFactory;
}

/** The default worker factory: the inlined MD5 worker, named after the hasher it runs. */
export const createMd5Worker: WorkerFactory = (impl) => new Md5Worker({ name: impl });

/** Creates the default Hasher: a pool of Web Workers computing MD5s of Blob slices off the main thread. */
export function createWorkerHasher(options: WorkerHasherOptions = {}): Hasher & WorkerPool {
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 1)
    throw new TypeError('createWorkerHasher: workers must be an integer >= 1');
  const impl = options.impl ?? 'hash-wasm';
  if (impl !== 'spark-md5' && impl !== 'hash-wasm')
    throw new TypeError(`createWorkerHasher: unknown impl ${String(impl)}`);
  return new WorkerPool({
    size: workers,
    impl,
    read: options.read ?? 'byob',
    chunkSize: options.chunkSize ?? 2 * 1024 * 1024,
    recycleAfterBytes: options.recycleAfterBytes ?? 256 * 1024 * 1024,
    jobTimeout: options.jobTimeout ?? 60_000,
    createWorker: options.createWorker ?? createMd5Worker,
  });
}

import type { ByteRange, Hasher, Md5Digest } from '../engine/ports.ts';
import {
  rebuildError,
  type HashImpl,
  type ReadMode,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol.ts';

/** Makes one worker running `impl`. */
export type WorkerFactory = (impl: HashImpl) => Worker;

/** Options of a WorkerPool. */
export interface WorkerPoolOptions {
  /** How many workers at most (created on demand). */
  size: number;
  /** The implementation to start with; 'hash-wasm' falls back to 'spark-md5' when WebAssembly is refused. */
  impl: HashImpl;
  /** How the workers read Blobs. */
  read: ReadMode;
  /** Bytes read from the Blob per step inside the worker (`slice` reading). */
  chunkSize: number;
  /** A worker that has hashed this many bytes is terminated when idle and replaced on demand. */
  recycleAfterBytes: number;
  /** A job fails with TimeoutError after this many ms plus 2 ms per KB of its Blob without an answer. */
  jobTimeout: number;
  createWorker: WorkerFactory;
}

interface Job {
  id: number;
  blob: Blob;
  range: ByteRange | undefined;
  /** The bytes to hash: the range's or the Blob's. */
  size: number;
  resolve(digest: Md5Digest): void;
  reject(error: unknown): void;
  /** Removes the abort listener. */
  detach(): void;
}

/** One worker of the pool and what the pool knows of it. */
interface PoolWorker {
  /** The Web Worker itself. */
  thread: Worker;
  /** Fails the job if the worker goes silent (a stalled disk or network drive), so nothing waits forever. */
  watchdog?: ReturnType<typeof setTimeout>;
  impl: HashImpl;
  bytes: number;
  /** Jobs finished: a hash-wasm worker that fails before its first result is taken for a refused WebAssembly. */
  done: number;
  job?: Job;
}

/** WebAssembly refused (CSP without 'wasm-unsafe-eval') or unavailable: names of the errors it raises. */
const wasmFailures = new Set(['CompileError', 'LinkError', 'RuntimeError', 'EvalError']);

function abortError(): DOMException {
  return new DOMException('The hash was aborted.', 'AbortError');
}

/**
 * A pool of MD5 workers implementing Hasher: a FIFO queue, one job per worker, a failed worker rejects its
 * job and is replaced, an abort terminates the worker hashing that job, and workers are recycled after
 * `recycleAfterBytes` because their heaps grow over long runs (reference: 400 MB after 12 GiB).
 */
export class WorkerPool implements Hasher {
  private readonly workers = new Set<PoolWorker>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private destroyed = false;
  private implInUse: HashImpl;

  constructor(private readonly options: WorkerPoolOptions) {
    this.implInUse = options.impl;
  }

  /** The implementation new workers run (changes to 'spark-md5' after a WebAssembly failure). */
  get impl(): HashImpl {
    return this.implInUse;
  }

  /** Workers alive now (for tests and the bench). */
  get workerCount(): number {
    return this.workers.size;
  }

  md5(blob: Blob, signal?: AbortSignal, range?: ByteRange): Promise<Md5Digest> {
    return new Promise<Md5Digest>((resolve, reject) => {
      if (this.destroyed)
        return reject(new DOMException('The hasher was destroyed.', 'AbortError'));
      if (signal?.aborted) return reject(abortError());
      const onAbort = () => this.abort(job);
      const job: Job = {
        id: this.nextId++,
        blob,
        range,
        size: range ? range.end - range.start : blob.size,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  destroy(): void {
    this.destroyed = true;
    for (const job of this.queue.splice(0))
      this.settle(job, new DOMException('The hasher was destroyed.', 'AbortError'));
    for (const worker of [...this.workers]) {
      if (worker.job)
        this.settle(worker.job, new DOMException('The hasher was destroyed.', 'AbortError'));
      this.retire(worker);
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idleWorker();
      if (worker === 'spawn-failed') continue;
      if (!worker) return;
      const job = this.queue.shift()!;
      worker.job = job;
      const request: WorkerRequest = {
        type: 'md5',
        id: job.id,
        blob: job.blob,
        ...(job.range ? { start: job.range.start, end: job.range.end } : {}),
        read: this.options.read,
        chunkSize: this.options.chunkSize,
      };
      try {
        worker.thread.postMessage(request);
        // 2 ms per KB is 0.5 MB/s, far below any working disk: only a stalled read or a dead worker gets here.
        const limit = this.options.jobTimeout + job.size / 500;
        worker.watchdog = setTimeout(() => {
          const error = new Error(`MD5 worker gave no answer in ${Math.round(limit)} ms`);
          this.onCrash(worker, Object.assign(error, { name: 'TimeoutError' }));
        }, limit);
      } catch (error) {
        worker.job = undefined;
        this.settle(job, error);
      }
    }
  }

  /** An idle worker, a new one, undefined when all are busy, or 'spawn-failed' (its job was rejected). */
  private idleWorker(): PoolWorker | 'spawn-failed' | undefined {
    for (const worker of this.workers)
      if (!worker.job && worker.impl === this.implInUse) return worker;
    // Workers of a dropped implementation are retired as soon as they are idle.
    for (const worker of [...this.workers])
      if (!worker.job && worker.impl !== this.implInUse) this.retire(worker);
    if (this.workers.size >= this.options.size) return undefined;
    return this.spawn();
  }

  private spawn(): PoolWorker | 'spawn-failed' {
    let thread: Worker;
    try {
      thread = this.options.createWorker(this.implInUse);
    } catch (error) {
      // A CSP that forbids blob: workers throws here (SecurityError): fail the job that waited for this
      // worker; pump() goes on to the next one, which tries again and fails the same way: no job is left waiting.
      const job = this.queue.shift();
      if (job) this.settle(job, error);
      return 'spawn-failed';
    }
    const worker: PoolWorker = { thread, impl: this.implInUse, bytes: 0, done: 0 };
    thread.onmessage = (event: MessageEvent<WorkerResponse>) => this.onResponse(worker, event.data);
    thread.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.onCrash(
        worker,
        new Error(`MD5 worker failed: ${event.message || 'the worker could not run'}`),
      );
    };
    thread.onmessageerror = () =>
      this.onCrash(worker, new Error('MD5 worker sent a message that could not be read'));
    this.workers.add(worker);
    return worker;
  }

  private onResponse(worker: PoolWorker, response: WorkerResponse): void {
    const job = worker.job;
    if (!job || job.id !== response.id) return;
    worker.job = undefined;
    clearTimeout(worker.watchdog);
    if (response.type === 'result') {
      worker.done++;
      worker.bytes += response.bytes;
      this.settle(job, null, { base64: response.base64, hex: response.hex });
      if (worker.bytes >= this.options.recycleAfterBytes) this.retire(worker);
    } else if (worker.impl === 'hash-wasm' && wasmFailures.has(response.error.name)) {
      this.fallBack(job);
    } else {
      this.settle(job, rebuildError(response.error));
    }
    this.pump();
  }

  private onCrash(worker: PoolWorker, error: Error): void {
    const job = worker.job;
    worker.job = undefined;
    this.retire(worker);
    if (job && worker.impl === 'hash-wasm' && worker.done === 0 && error.name !== 'TimeoutError')
      this.fallBack(job);
    else if (job)
      this.settle(
        job,
        error.name === 'Error' ? Object.assign(error, { name: 'WorkerError' }) : error,
      );
    this.pump();
  }

  /** Switches to spark-md5 for good and queues `job` again first (it was never hashed). */
  private fallBack(job: Job): void {
    this.implInUse = 'spark-md5';
    this.queue.unshift(job);
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    for (const worker of this.workers) {
      // Terminating is the only way to stop a worker mid-Blob; a fresh one is made on demand.
      if (worker.job === job) this.retire(worker);
    }
    this.settle(job, abortError());
    this.pump();
  }

  private retire(worker: PoolWorker): void {
    clearTimeout(worker.watchdog);
    worker.thread.onmessage = worker.thread.onerror = worker.thread.onmessageerror = null;
    worker.thread.terminate();
    this.workers.delete(worker);
  }

  private settle(job: Job, error: unknown, digest?: Md5Digest): void {
    job.detach();
    if (digest) job.resolve(digest);
    else job.reject(error);
  }
}

import { hexToBase64 } from '../protocol/digest.ts';
import { byobChunks, readChunks, streamChunks } from './md5-digest.ts';
import { serializeError, type WorkerRequest, type WorkerResponse } from './protocol.ts';

/** Bytes read between two nudges of the garbage collector (two 8 MiB parts). */
export const NUDGE_EVERY_BYTES = 16 * 1024 * 1024;

/**
 * Frees the chunks a worker has read and dropped. Every chunk a Blob read makes (the stream's own chunks
 * under a BYOB reader, arrayBuffer() slices) is an ArrayBuffer whose bytes live outside the JS heap; the
 * tiny wrappers hardly fill the young generation, so V8 frees those bytes only when its count of external
 * memory has grown by about 64 MiB: each worker held 50-65 MiB of dead chunks (bench/README.md). Allocating
 * and dropping a large ArrayBuffer, never written so never resident, moves that count past the limit and V8
 * collects at once (a few ms for a worker's small heap), so a worker holds at most about 16 MiB of them.
 */
export class DeadBufferCollector {
  private since = 0;

  constructor(private readonly every = NUDGE_EVERY_BYTES) {}

  /** Counts bytes read; nudges the collector once `every` bytes were read since the last nudge. */
  read(bytes: number): void {
    this.since += bytes;
    if (this.since < this.every) return;
    this.since = 0;
    // Zero-filled on allocation by the OS (fresh pages, never touched): adds to V8's count, not to RSS.
    void new ArrayBuffer(64 * 1024 * 1024).byteLength;
  }
}

/** An incremental MD5: feed chunks, then read the hex digest; `reset` readies it for the next job. */
export interface IncrementalMd5 {
  reset(): void;
  update(chunk: Uint8Array): void;
  hexDigest(): string;
}

/** The part of a DedicatedWorkerGlobalScope the loop uses (the DOM and WebWorker libs cannot share a program). */
export interface WorkerScope {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}

/**
 * Runs a worker's message loop. The pool sends one job at a time and terminates the worker to abort one,
 * so the loop needs no cancellation. `createMd5` may be async (WebAssembly compiles once per worker).
 */
export function serveMd5(
  scope: WorkerScope,
  createMd5: () => IncrementalMd5 | Promise<IncrementalMd5>,
): void {
  let md5: Promise<IncrementalMd5> | undefined;
  const collector = new DeadBufferCollector();

  async function hash(request: WorkerRequest): Promise<WorkerResponse> {
    const { id, read, chunkSize, start, end } = request;
    try {
      const blob =
        start !== undefined && end !== undefined ? request.blob.slice(start, end) : request.blob;
      md5 ??= Promise.resolve().then(createMd5);
      const hasher = await md5;
      hasher.reset();
      const chunks =
        read === 'byob'
          ? byobChunks(blob, chunkSize)
          : read === 'stream'
            ? streamChunks(blob)
            : readChunks(blob, chunkSize);
      for await (const chunk of chunks) hasher.update(chunk);
      const hex = hasher.hexDigest();
      collector.read(blob.size);
      return { type: 'result', id, hex, base64: hexToBase64(hex), bytes: blob.size };
    } catch (error) {
      return { type: 'error', id, error: serializeError(error) };
    }
  }

  scope.addEventListener('message', (event) => {
    void hash(event.data).then((response) => scope.postMessage(response));
  });
}

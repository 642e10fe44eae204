import { byobChunks, hexToBase64, readChunks, streamChunks } from './md5-digest.ts';
import { serializeError, type WorkerRequest, type WorkerResponse } from './protocol.ts';

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

  async function hash({ id, blob, read, chunkSize }: WorkerRequest): Promise<WorkerResponse> {
    try {
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
      return { type: 'result', id, hex, base64: hexToBase64(hex), bytes: blob.size };
    } catch (error) {
      return { type: 'error', id, error: serializeError(error) };
    }
  }

  scope.addEventListener('message', (event) => {
    void hash(event.data).then((response) => scope.postMessage(response));
  });
}
